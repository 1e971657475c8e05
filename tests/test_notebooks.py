"""Reading submissions: code cells, test cells, assignment and student, and a clear reason
for every file that is not a gradable notebook."""
import json

import pytest

from autograder.grading.notebooks import NotebookError, read

from .conftest import notebook_json


def test_code_cells_assignment_and_student_come_from_the_nbgrader_layout(submit):
    """submitted/<student>/<assignment>/<notebook> names the student and the assignment."""
    path = submit("alice", "02-broadcasting", ["x = 1", ["def f():\n", "    return 2\n"]],
                  test_cells=["check(f)"])
    notebook = read(path)
    assert (notebook.student, notebook.assignment) == ("alice", "02-broadcasting")
    assert [(c.index, c.source, c.is_test) for c in notebook.cells] == [
        (1, "x = 1", False), (2, "def f():\n    return 2\n", False), (3, "check(f)", True)]


def test_a_loose_notebook_is_identified_by_its_file_name(tmp_path):
    """Outside nbgrader's layout the file name tells the assignment; there is no student."""
    path = tmp_path / "gradients.ipynb"
    path.write_text(json.dumps(notebook_json(["pass"])))
    assert (read(path).assignment, read(path).student) == ("03-gradients", None)


def test_an_nbformat_3_notebook_is_read(tmp_path):
    """Old notebooks keep their cells in worksheets, with code under "input"."""
    path = tmp_path / "definition.ipynb"
    path.write_text(json.dumps({"nbformat": 3, "nbformat_minor": 0, "worksheets": [
        {"cells": [{"cell_type": "code", "input": ["y = 2\n"], "outputs": []},
                   {"cell_type": "markdown", "source": "text"}]}]}))
    assert [c.source for c in read(path).cells] == ["y = 2\n"]


@pytest.mark.parametrize("content, reason", [
    (b"", "the file is empty"),
    (b'{"nbformat": 4, "cells": [', "the notebook is not valid JSON (line 1, column 27: "
                                    "Expecting value); it may be truncated"),
    (bytes(range(256)), "the file is not UTF-8 text (is it a notebook at all?)"),
    (b'{"hello": "world"}', "this JSON file is not a Jupyter notebook (no 'nbformat' field)"),
    (b'[1, 2]', "this JSON file is not a Jupyter notebook (no 'nbformat' field)"),
    (b'{"nbformat": 5, "cells": []}', "unsupported notebook format version 5"),
    (b'{"nbformat": 4, "cells": {}}', "the notebook has no list of cells"),
], ids=["empty", "truncated", "binary", "other-json", "json-list", "version-5", "cells-dict"])
def test_broken_files_get_a_clear_reason(tmp_path, content, reason):
    """Each kind of broken file is refused with a message that says what is wrong."""
    path = tmp_path / "definition.ipynb"
    path.write_bytes(content)
    with pytest.raises(NotebookError) as raised:
        read(path)
    assert str(raised.value) == reason


def test_a_missing_file_is_reported(tmp_path):
    """A path that does not exist is refused, not skipped."""
    with pytest.raises(NotebookError, match="cannot read the file: No such file"):
        read(tmp_path / "definition.ipynb")
