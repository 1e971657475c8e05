"""Shared helpers of the kit's tests: building notebooks and submission folders."""
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


@pytest.fixture
def submit_solution(tmp_path):
    """submit_solution(student, assignment): the solution notebook, handed in as is."""
    from autograder.exercises import ASSIGNMENTS

    def write(student, assignment) -> Path:
        notebook = ASSIGNMENTS[assignment][0]
        path = tmp_path / "submitted" / student / assignment / notebook
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((ROOT / "solutions" / assignment / notebook).read_bytes())
        return path
    return write


@pytest.fixture
def submit(tmp_path):
    """submit(student, assignment, cells) writes submitted/<student>/<assignment>/<nb>."""
    from autograder.exercises import ASSIGNMENTS

    def write(student, assignment, cells, **kwargs) -> Path:
        path = tmp_path / "submitted" / student / assignment / ASSIGNMENTS[assignment][0]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(notebook_json(cells, **kwargs)))
        return path
    return write
