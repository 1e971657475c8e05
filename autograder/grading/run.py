"""A grading run over many notebooks: this shard's slice of them, the stored rows an earlier
run left reused, the rest graded in parallel and each row stored the moment it is done.
And the merge of several shards' output folders into one, as if a single run had graded all.
"""
import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from autograder.checking.errors import KitError
from autograder.checking.results import Row
from autograder.grading.pool import grade_each
from autograder.grading.progress import Progress
from autograder.grading.store import (
    ResultStore,
    content_hash,
    copy_stored,
    kit_fingerprint,
    stored_row,
)
from autograder.grading.submission import find_notebooks, not_graded
from autograder.reports.run_reports import in_report_order, read_report
from autograder.sandbox.starter import Sandbox


@dataclass(frozen=True)
class Shard:
    """Slice `index` (0 ≤ index < count) of the notebooks. A notebook's slice depends on
    its path alone, so every shard agrees without talking to the others, and a late
    submission does not move anyone else's."""
    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> "Shard":
        try:
            index, count = map(int, text.split("/"))
        except ValueError:
            raise KitError(f"--shard wants K/N, such as 0/4, not {text!r}") from None
        if not 0 <= index < count:
            raise KitError(f"--shard {text}: K counts from 0 and must be below N")
        return cls(index, count)

    def holds(self, path: Path) -> bool:
        digest = hashlib.sha256(os.fsencode(Path(path).as_posix())).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index


def grade_submissions(paths, *, sandbox: Sandbox, out: Path, jobs: int | None = None,
                      shard: Shard | None = None, regrade: bool = False,
                      progress: bool = False) -> list[Row]:
    """Rows of every notebook under `paths` (of `shard` only, if given), in path order.

    A notebook whose stored row is still valid is not graded again (unless `regrade`); on
    Ctrl-C, KeyboardInterrupt propagates once every finished row is stored.
    """
    found = list(dict.fromkeys(find_notebooks(paths)))  # a path given twice: one row
    if shard is not None:
        found = [entry for entry in found if shard.holds(entry.path)]
    # A refused notebook's row says why, and names no student: it is no one's grade. It is
    # stored like any row, so that reports and merges find it.
    store = ResultStore(out, kit=kit_fingerprint())
    rows = {entry.path: not_graded(entry.path, entry.refused) for entry in found
            if entry.refused}
    for path, row in rows.items():
        _save(store, path, None, row)
    notebooks = [entry.path for entry in found if not entry.refused]
    hashes = {path: content_hash(path) for path in notebooks}
    if not regrade:
        for path in notebooks:
            row = store.reusable(path, hashes[path])
            if row is not None:
                rows[path] = row
    with Progress(len(found), reused=len(rows), show=progress) as bar:
        def keep(path: Path, row: Row):
            _save(store, path, hashes[path], row)
            rows[path] = row
            bar.advance(row)

        grade_each([path for path in notebooks if path not in rows], sandbox, jobs=jobs,
                   on_row=keep)
    return in_report_order(rows.values())


def _save(store: ResultStore, path: Path, notebook_sha256: str | None, row: Row) -> None:
    try:
        store.save(path, notebook_sha256, row)
    except (OSError, ValueError) as error:  # the row stands; it is only not reused
        print(f"warning: the row of {path} was not stored: {error}", file=sys.stderr)


def merge_results(folders, *, out: Path) -> list[Row]:
    """The rows of several finished runs' output folders (shards), in path order; their
    stored rows are copied into `out`, which then resumes like a single run's folder."""
    rows = {}
    for folder in folders:
        for path in read_report(folder):
            row = stored_row(folder, path)
            earlier = rows.setdefault(row.path, row)
            if earlier != row:
                raise KitError(f"{row.path} has different rows in two of the folders "
                               f"(graded twice, from different contents?); grade it again "
                               f"in one of them and merge again")
            if Path(folder).resolve() != Path(out).resolve():
                copy_stored(row.path, source=folder, target=out)
    return in_report_order(rows.values())
