"""The results store: one file per graded notebook in the output folder, so that an
interrupted or repeated run grades only what is new or changed.

`<out>/submissions/<id>.json`, where <id> is a hash of the notebook's path as the run names
it (the row's path), holds {"notebook_sha256", "kit", "row"}: the notebook's typed Row
(autograder.checking.results) as JSON, every check's result with it, which the reports and
exports read. A stored row is reused while the notebook's bytes and what decides a score
(`kit_fingerprint`) are unchanged. Error rows are graded again on every run: an error can
be passing (a worker killed by the system). Nothing in a file depends on time, so a rerun
rewrites it byte for byte.
"""
import dataclasses
import hashlib
import json
import os
from pathlib import Path

from autograder.checking.errors import KitError
from autograder.checking.results import (
    CheckResult,
    ExerciseResult,
    HandGraded,
    KnownMistake,
    Row,
    Status,
    Stop,
)
from autograder.files import json_text, write_atomically
from autograder.grading.notebooks import NotebookError, read_bytes_safely
from autograder.layout import DECIDES_SCORES, PACKAGE, python_files


def row_to_plain(row: Row) -> dict:
    """The row as JSON-ready data (enums as their values)."""
    return {"path": row.path, "student": row.student, "assignment": row.assignment,
            "error": row.error, "every_cell": row.every_cell,
            "exercises": {name: [dataclasses.asdict(check) for check in exercise.checks]
                          for name, exercise in row.exercises.items()},
            "by_hand": [dataclasses.asdict(cell) for cell in row.by_hand]}


def _check_from_plain(record: dict) -> CheckResult:
    mistake = record.get("mistake")
    stopped = record.get("stopped")
    return CheckResult(**{**record, "status": Status(record["status"]),
                          "mistake": KnownMistake(**mistake) if mistake else None,
                          "stopped": Stop(stopped) if stopped else None})


def row_from_plain(data: dict) -> Row:
    """The Row that `row_to_plain` wrote; raises KeyError, TypeError or ValueError if not."""
    exercises = {str(name): ExerciseResult(str(name), [_check_from_plain(c) for c in checks])
                 for name, checks in data["exercises"].items()}
    # A row stored before these fields existed does not load, so it is graded again.
    by_hand = tuple(HandGraded(**cell) for cell in data["by_hand"])
    return Row(data["path"], data["student"], data["assignment"], exercises, data["error"],
               by_hand=by_hand,
               every_cell=bool(data["every_cell"]))


def submission_id(path) -> str:
    """A stable file name for the notebook at `path` (as the run names it)."""
    return hashlib.sha256(os.fsencode(str(path))).hexdigest()[:20]


def content_hash(path: Path) -> str | None:
    """The notebook's bytes and every regular file beside it (what its code can read in
    the sandbox: a data file, a helper module), hashed, so that changing any of them
    regrades it; None when the notebook cannot be read (its row is an error)."""
    try:
        digest = hashlib.sha256(read_bytes_safely(path))
    except NotebookError:
        return None
    try:
        entries = sorted(os.scandir(path.parent), key=lambda entry: entry.name)
    except OSError:
        entries = []
    for entry in entries:
        if entry.name == path.name or not entry.is_file(follow_symlinks=False):
            continue
        name = entry.name.encode("utf-8", "surrogateescape")
        try:
            fingerprint = hashlib.sha256(read_bytes_safely(Path(entry.path))).digest()
        except NotebookError:  # too large to hash: its size and time stand for it
            status = entry.stat(follow_symlinks=False)
            fingerprint = f"{status.st_size}:{status.st_mtime_ns}".encode()
        digest.update(name + b"\0" + fingerprint)
    return digest.hexdigest()


def kit_fingerprint() -> str:
    """A hash of what decides a score (autograder.layout.DECIDES_SCORES): stored rows are
    reused only by the same checks, references and engine, so fixing a check regrades
    everything, and a change to the reports or the exports regrades nothing."""
    digest = hashlib.sha256()
    for file in python_files(*DECIDES_SCORES, suffixes=(".py", ".ini")):
        digest.update(file.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def stored_file(out: Path, path) -> Path:
    """Where the output folder `out` keeps the row of the notebook at `path`."""
    return Path(out) / "submissions" / f"{submission_id(path)}.json"


def stored_row(out: Path, path) -> Row:
    """The row stored in the output folder `out` for the notebook at `path`."""
    try:
        stored = json.loads(stored_file(out, path).read_text(encoding="utf-8"))
        return row_from_plain(stored["row"])
    except (OSError, ValueError, KeyError, TypeError):
        raise KitError(f"{out} holds no results for {path}: grade again with this kit, into "
                       f"the same --out folder") from None


def copy_stored(path, *, source: Path, target: Path):
    """Copy the stored row of `path` from one output folder (a shard's) to another."""
    try:
        text = stored_file(source, path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return
    write_atomically(stored_file(target, path), text)


class ResultStore:
    """The stored rows of the output folder `out`, written by a kit whose fingerprint is `kit`."""

    def __init__(self, out: Path, *, kit: str):
        self.out = Path(out)
        self.kit = kit

    def reusable(self, path: Path, notebook_sha256: str | None) -> Row | None:
        """The stored row of this notebook if grading it again would give the same row."""
        try:
            stored = json.loads(stored_file(self.out, path).read_text(encoding="utf-8"))
            row = row_from_plain(stored["row"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if notebook_sha256 is not None and stored.get("notebook_sha256") == notebook_sha256 \
                and stored.get("kit") == self.kit and row.path == str(path) and row.graded:
            return row
        return None

    def save(self, path: Path, notebook_sha256: str | None, row: Row):
        entry = {"notebook_sha256": notebook_sha256, "kit": self.kit, "row": row_to_plain(row)}
        write_atomically(stored_file(self.out, path), json_text(entry))
