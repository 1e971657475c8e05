"""The results store: one file per graded notebook in the output folder, so that an
interrupted or repeated run grades only what is new or changed.

`<out>/submissions/<id>.json`, where <id> is a hash of the notebook's path as the run names
it (the row's "path"), holds {"notebook_sha256", "kit", "row", "checks"}; "checks" is
{exercise: [{title, points, hidden, status, message, hint, context}, ...]}, each check's
result, which the class report and the exports read (the row keeps only feedback text). A
stored row is reused while the notebook's bytes and the kit's code (checks, references,
engine) are unchanged. Error rows are graded again on every run: an error can be passing (a
worker killed by the system). Nothing in a file depends on time, so a rerun rewrites it byte
for byte.
"""
import dataclasses
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KitError
from .plugin import CheckResult

PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Graded:
    """A notebook's row (the contract's shape) and its checks' results, per exercise in
    course order; no checks when the notebook could not be graded."""
    row: dict
    checks: dict[str, list[CheckResult]] = field(default_factory=dict)

    @property
    def graded(self) -> bool:
        return self.row["status"] == "graded"


def write_atomically(path: Path, text: str):
    """Readers see the old file or the new one, never a half-written one, even if the
    process is killed: a temporary file in the same folder, flushed, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide reports from teaching assistants
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def submission_id(path) -> str:
    """A stable file name for the notebook at `path` (as the run names it)."""
    return hashlib.sha256(str(path).encode()).hexdigest()[:20]


def content_hash(path: Path) -> str | None:
    """The notebook's bytes, hashed; None when it cannot be read (its row is an error)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def kit_fingerprint() -> str:
    """A hash of the grader's own code: stored rows are reused only by the same kit, so
    fixing a check regrades everything."""
    digest = hashlib.sha256()
    for file in sorted(PACKAGE.rglob("*")):
        if file.suffix in (".py", ".ini") and "__pycache__" not in file.parts:
            digest.update(file.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def stored_file(out: Path, path) -> Path:
    """Where the output folder `out` keeps the row of the notebook at `path`."""
    return Path(out) / "submissions" / f"{submission_id(path)}.json"


def stored_checks(out: Path, path) -> dict[str, list[CheckResult]]:
    """The check results stored in the output folder `out` for the notebook at `path`."""
    try:
        stored = json.loads(stored_file(out, path).read_text(encoding="utf-8"))
        return {exercise: [CheckResult(exercise, **record) for record in records]
                for exercise, records in stored["checks"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        raise KitError(f"{out} holds no check results for {path}: grade again with this "
                       f"kit, into the same --out folder") from None


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

    def reusable(self, path: Path, notebook_sha256: str | None) -> dict | None:
        """The stored row of this notebook if grading it again would give the same row."""
        try:
            stored = json.loads(stored_file(self.out, path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        row = stored.get("row", {})
        if notebook_sha256 is not None and stored.get("notebook_sha256") == notebook_sha256 \
                and stored.get("kit") == self.kit and row.get("path") == str(path) \
                and row.get("status") == "graded":
            return row
        return None

    def save(self, path: Path, notebook_sha256: str | None, graded: Graded):
        records = {exercise: [{key: value for key, value in dataclasses.asdict(check).items()
                               if key != "exercise"} for check in results]
                   for exercise, results in graded.checks.items()}
        entry = {"notebook_sha256": notebook_sha256, "kit": self.kit, "row": graded.row,
                 "checks": records}
        write_atomically(stored_file(self.out, path),
                         json.dumps(entry, indent=1, ensure_ascii=False) + "\n")
