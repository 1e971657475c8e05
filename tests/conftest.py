"""Shared helpers of the kit's tests: building notebooks and submission folders."""
import functools
import json
from pathlib import Path

import pytest


def notebook_json(cells, *, test_cells=()) -> dict:
    """A minimal nbformat 4 notebook; `test_cells` are nbgrader test cells (checks)."""
    def cell(source, nbgrader=None):
        meta = {"nbgrader": nbgrader} if nbgrader else {}
        return {"cell_type": "code", "metadata": meta, "source": source, "outputs": [],
                "execution_count": None}
    test = {"grade": True, "solution": False, "locked": True, "points": 1,
            "grade_id": "check", "schema_version": 3}
    return {"nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}},
            "cells": [cell(s) for s in cells] + [cell(s, test) for s in test_cells]}


ROOT = Path(__file__).resolve().parents[1]


def write_submission(root: Path, student: str, assignment: str, cells=None, *,
                     kind: str | None = None, text: str | None = None,
                     test_cells=()) -> Path:
    """The one way the tests hand work in: <root>/submitted/<student>/<assignment>/<its
    notebook>, holding `cells` (a minimal notebook, with `test_cells` as nbgrader checks),
    or the released notebook answered as the demo class's `kind` of student ("correct",
    "untouched", "mistake"), or with kind="solution" the solution notebook as it is, or
    `text` as it is (a broken file)."""
    from autograder.build.demo_class import submission
    from autograder.checking.course import ASSIGNMENTS

    path = Path(root, "submitted", student, assignment, ASSIGNMENTS[assignment][0])
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "solution":
        path.write_bytes((ROOT / "solutions" / assignment / path.name).read_bytes())
    elif kind is not None:
        path.write_text(json.dumps(submission(ROOT, assignment, kind)))
    elif text is not None:
        path.write_text(text)
    else:
        path.write_text(json.dumps(notebook_json(cells, test_cells=test_cells)))
    return path


@pytest.fixture
def submit(tmp_path):
    """submit(student, assignment, cells | kind=... | text=...): write_submission in this
    test's folder."""
    return functools.partial(write_submission, tmp_path)


@pytest.fixture(scope="module")
def fixed_kit():
    """The kit's fingerprint held still for a module's grade runs: an edit to the kit while
    the tests run (a live checkout) would make every stored row stale, as a new kit should."""
    from autograder.grading import run

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(run, "kit_fingerprint", lambda: "kit-1")
        yield


ROSTER = """\
id,name,email,sis_user_id,sis_login_id,section,canvas_id
ada,"Lovelace, Ada",ada@example.edu,1001,alovelace,Section A,501
bob,Bob Babbage,bob@example.edu,1002,bbabbage,Section B,502
cy,Cy Young,cy@example.edu,1003,cyoung,Section A,503
fay,Fay Wray,fay@example.edu,1006,fwray,Section B,506
"""


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory) -> Path:
    """A small class graded once by the CLI (HTML feedback), for the class report and the
    exports: in 01-definition and 02-broadcasting, ada right, bob untouched, cy and dee with
    the demo class's typical mistake; eve's 01-definition cut short. roster.csv names ada,
    bob and cy, and fay, who handed nothing in; dee and eve are not in it. The folder holds
    submitted/, results/ and roster.csv."""
    from autograder.cli import main

    folder = tmp_path_factory.mktemp("graded-class")
    kinds = {"ada": "correct", "bob": "untouched", "cy": "mistake", "dee": "mistake"}
    for assignment in ("01-definition", "02-broadcasting"):
        for student, kind in kinds.items():
            write_submission(folder, student, assignment, kind=kind)
    write_submission(folder, "eve", "01-definition", text='{"nbformat": 4, "cells": [')
    (folder / "roster.csv").write_text(ROSTER)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        assert main(["grade", "submitted", "--out", "results", "--feedback", "html",
                     "--json"]) == 0
    return folder
