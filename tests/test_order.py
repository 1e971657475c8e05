"""A result never depends on what was graded before it: the engine collects each
exercise's checks once and runs them for every answer, and a grading worker grades one
notebook after another in one sandbox, so the tests grade the same work in two orders."""
import random

import pytest

from autograder.build.demo_class import KINDS
from autograder.checking.course import ASSIGNMENTS
from autograder.grading.submission import grade_notebook
from autograder.reports.run_reports import contract_row
from autograder.sandbox.starter import Sandbox

from . import test_corpus
from .conftest import write_submission

pytestmark = pytest.mark.slow


def test_an_answers_result_is_the_same_whatever_was_graded_before_it():
    """Every corpus answer, right and wrong, graded in the corpus's order and in a shuffled
    one: the same results, check by check."""
    answers = list(test_corpus.corpus.ANSWERS)
    in_order = {answer.id: test_corpus.grade_answer(answer) for answer in answers}
    random.Random(12).shuffle(answers)
    shuffled = {answer.id: test_corpus.grade_answer(answer) for answer in answers}
    assert shuffled == in_order


def test_a_notebooks_row_is_the_same_whatever_its_worker_graded_before_it(tmp_path):
    """A class of every kind of work (right, untouched, partly wrong, the solutions) graded
    by one sandbox in one order, then by another in a shuffled order: the same rows."""
    paths = [write_submission(tmp_path, kind, assignment, kind=kind)
             for assignment in ASSIGNMENTS for kind in KINDS]
    paths += [write_submission(tmp_path, "sol", assignment, kind="solution")
              for assignment in ASSIGNMENTS]
    rows = []
    for order in (paths, random.Random(3).sample(paths, len(paths))):
        sandbox = Sandbox()
        try:
            rows.append({path: contract_row(grade_notebook(path, sandbox)) for path in order})
        finally:
            sandbox.close()
    assert rows[0] == rows[1]
