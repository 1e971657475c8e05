"""How the kit writes the files it leaves for people and tools: atomically, and JSON always
the same way, so that the same results give the same bytes."""
import csv
import io
import json
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str):
    """Readers see the old file or the new one, never a half-written one, even if the
    process is killed: a temporary file in the same folder, flushed, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
    try:
        # errors="replace": a lone surrogate (a file name's undecodable byte) must not
        # stop a report being written.
        with os.fdopen(descriptor, "w", encoding="utf-8", errors="replace",
                       newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide reports from teaching assistants
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def json_text(data) -> str:
    """How the kit writes every JSON file for people and tools to read: indented, UTF-8
    as it is, ending with a newline."""
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


# A spreadsheet runs a cell that begins with one of these as a formula (OWASP's CSV
# injection): a student id "=1+1", or one that fetches a URL, in a gradebook an instructor
# opens.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(rows) -> str:
    """Rows as CSV for a spreadsheet: every text cell that a spreadsheet would take for a
    formula is prefixed with ' (numbers are left as they are)."""
    text = io.StringIO()
    csv.writer(text).writerows(
        [f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
         for cell in row] for row in rows)
    return text.getvalue()
