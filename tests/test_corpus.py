"""Every corpus answer is graded right: correct ones in full, wrong ones down, with the
mistake named."""
import importlib
import pkgutil

import pytest

from autograder.checking.course import REGISTRY
from autograder.checking.engine import run_checks
from autograder.checking.feedback import exercise_feedback
from autograder.protocol.calls import InProcess

from . import corpus

for module in pkgutil.iter_modules(corpus.__path__):
    importlib.import_module(f"{corpus.__name__}.{module.name}")


def grade_answer(answer):
    exercise = answer.id.split("/")[0]
    result = run_checks([exercise], InProcess({exercise: answer.function}), hidden=True)
    return result[exercise]


@pytest.mark.parametrize("answer", [a for a in corpus.ANSWERS if a.correct], ids=lambda a: a.id)
def test_correct_answer_gets_full_marks(answer):
    """A correct answer, whatever its approach, loses no mark."""
    result = grade_answer(answer)
    assert result.max_score > 0
    assert result.score == result.max_score, exercise_feedback(result)


@pytest.mark.parametrize("answer", [a for a in corpus.ANSWERS if not a.correct],
                         ids=lambda a: a.id)
def test_wrong_answer_loses_marks_and_is_named(answer):
    """A wrong answer loses marks, and its feedback names the mistake."""
    result = grade_answer(answer)
    feedback = exercise_feedback(result)
    assert result.score < result.max_score, feedback
    assert answer.feedback_must_contain in feedback, feedback


def test_every_exercise_has_a_corpus():
    """Each exercise of the contract has correct and wrong answers in the corpus."""
    exercises = {a.id.split("/")[0] for a in corpus.ANSWERS}
    assert exercises == set(REGISTRY)
    for name in REGISTRY:
        kinds = {a.correct for a in corpus.ANSWERS if a.id.startswith(name + "/")}
        assert kinds == {True, False}, name
