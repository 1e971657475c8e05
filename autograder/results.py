"""The results store: one file per graded notebook in the output folder, so that an
interrupted or repeated run grades only what is new or changed.

`<out>/submissions/<id>.json`, where <id> is a hash of the notebook's path as the run names
it (the row's "path"), holds {"notebook_sha256", "kit", "row"}. A stored row is reused while
the notebook's bytes and the kit's code (checks, references, engine) are unchanged. Error rows
are graded again on every run: an error can be passing (a worker killed by the system).
Nothing in a file depends on time, so a rerun rewrites it byte for byte.
"""
import hashlib
import json
import os
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


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


class ResultStore:
    """The stored rows under `<out>/submissions/`."""

    def __init__(self, out: Path, *, kit: str):
        self.folder = Path(out) / "submissions"
        self.kit = kit

    def file_for(self, path) -> Path:
        return self.folder / f"{submission_id(path)}.json"

    def reusable(self, path: Path, notebook_sha256: str | None) -> dict | None:
        """The stored row of this notebook if grading it again would give the same row."""
        try:
            stored = json.loads(self.file_for(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        row = stored.get("row", {})
        if notebook_sha256 is not None and stored.get("notebook_sha256") == notebook_sha256 \
                and stored.get("kit") == self.kit and row.get("path") == str(path) \
                and row.get("status") == "graded":
            return row
        return None

    def save(self, path: Path, notebook_sha256: str | None, row: dict):
        entry = {"notebook_sha256": notebook_sha256, "kit": self.kit, "row": row}
        write_atomically(self.file_for(path),
                         json.dumps(entry, indent=1, ensure_ascii=False) + "\n")

    def copy_from(self, out: Path, path):
        """Take the stored row of `path` from another run's output folder (a shard's)."""
        try:
            text = (Path(out) / self.folder.name / self.file_for(path).name).read_text(
                encoding="utf-8")
        except FileNotFoundError:
            return
        write_atomically(self.file_for(path), text)
