"""The class roster: who each student id (their folder under submitted/) is in the learning
management system. Optional; the class report shows names and sections from it, and the
exports need it for the columns an LMS matches students by.

A CSV file, UTF-8 (a spreadsheet's BOM is fine), with a header row and a line per student:

    id,name,email,sis_user_id,sis_login_id,section,canvas_id
    alice,"Liddell, Alice",alice@example.edu,20231001,aliddell,Section A,58213

`id` is required; every other column may be left out or empty. `canvas_id` is Canvas's own
user id (the ID column of a gradebook that Canvas exported); Canvas matches the rows of an
import by it, or else by SIS User ID or SIS Login ID.
"""
import csv
from dataclasses import dataclass, fields
from pathlib import Path

from autograder.checking.errors import KitError


@dataclass(frozen=True)
class Student:
    id: str
    name: str = ""
    email: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    canvas_id: str = ""

    @property
    def display_name(self) -> str:
        return self.name or self.id


COLUMNS = tuple(f.name for f in fields(Student))


def read_roster(path: Path) -> dict[str, Student]:
    """{student id: Student}, in the file's order."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            header = reader.fieldnames or []
            lines = list(reader)
    except OSError as error:
        raise KitError(f"cannot read the roster {path}: {error.strerror}") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise KitError(f"the roster {path} is not a UTF-8 CSV file: {error}") from None
    # A misspelt column would otherwise be dropped without a word, and its data with it.
    unknown = [name for name in header if name not in COLUMNS]
    if "id" not in header or unknown:
        raise KitError(f"the roster {path} needs a header row with the column id and only "
                       f"these: {','.join(COLUMNS)}"
                       + (f" (not {', '.join(map(repr, unknown))})" if unknown else ""))
    roster = {}
    for number, line in enumerate(lines, start=2):
        if None in line:  # csv puts the cells beyond the header under None
            raise KitError(f"{path}, line {number}: more cells than columns")
        student = Student(**{key: (value or "").strip() for key, value in line.items()})
        if not student.id:
            raise KitError(f"{path}, line {number}: the id is empty")
        if student.id in roster:
            raise KitError(f"{path}, line {number}: the id {student.id!r} appears twice")
        roster[student.id] = student
    return roster
