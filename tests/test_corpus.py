"""Every corpus answer is graded right: correct ones in full, wrong ones down, with the
mistake named."""
import importlib
import pkgutil

import pytest

from autograder.checking.course import REGISTRY
from autograder.checking.engine import PYTEST_ARGS, run_checks
from autograder.checking.feedback import exercise_feedback
from autograder.checking.plugin import ChecksPlugin
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
    for mistake in answer.feedback_must_not_contain:
        assert mistake not in feedback, feedback


def test_every_exercise_has_a_corpus():
    """Each exercise of the contract has correct and wrong answers in the corpus."""
    exercises = {a.id.split("/")[0] for a in corpus.ANSWERS}
    assert exercises == set(REGISTRY)
    for name in REGISTRY:
        kinds = {a.correct for a in corpus.ANSWERS if a.id.startswith(name + "/")}
        assert kinds == {True, False}, name


def _check_module(exercise):
    return importlib.import_module(f"autograder.checks.test_{exercise}")


@pytest.mark.parametrize("exercise", sorted(REGISTRY))
def test_every_modelled_mistake_is_named_by_a_wrong_answer(exercise):
    """Every mistake with a model is recognised in at least one wrong answer of the corpus:
    a model no answer reaches is untested (and may never match a real student's code)."""
    named = set()
    for answer in corpus.ANSWERS:
        if answer.correct or answer.id.split("/")[0] != exercise:
            continue
        named |= {check.mistake.name for check in grade_answer(answer).checks
                  if check.mistake is not None}
    modelled = [m.name for m in _check_module(exercise).MISTAKES if m.model is not None]
    unnamed = [name for name in modelled if name not in named]
    assert not unnamed, f"{exercise}: no wrong answer in tests/corpus/{exercise}.py is " \
                        f"named {unnamed}"


@pytest.mark.parametrize("exercise", sorted(REGISTRY))
def test_mistake_names_are_distinct_phrases(exercise):
    """The class report counts mistakes by name, and advice() ends the name with ". ": a name
    is one phrase and means one mistake in its check file (one hint, one section, though
    several models may show it)."""
    meaning = {}
    for mistake in _check_module(exercise).MISTAKES:
        assert ". " not in mistake.name, f"{exercise}: {mistake.name!r} is not one phrase"
        known = mistake.known()
        assert meaning.setdefault(mistake.name, known) == known, \
            f"{exercise}: two different mistakes are named {mistake.name!r}"


@pytest.mark.parametrize("exercise", sorted(REGISTRY))
def test_raising_whatever_it_gets_scores_nothing(exercise):
    """An answer that raises ValueError on every input earns no point, not even from the
    checks that invalid inputs are rejected (the contract's grading rules)."""
    def refuse(*args, **kwargs):
        raise ValueError("no")
    result = run_checks([exercise], InProcess({exercise: refuse}), hidden=True)[exercise]
    assert result.max_score > 0 and result.score == 0, exercise_feedback(result)


def _first_wrong_answer_of_each_exercise():
    firsts = {}
    for answer in corpus.ANSWERS:
        if not answer.correct:
            firsts.setdefault(answer.id.split("/")[0], answer)
    return list(firsts.values())


@pytest.mark.parametrize("answer", _first_wrong_answer_of_each_exercise(), ids=lambda a: a.id)
def test_the_engine_scores_as_pytest_itself_does(answer, monkeypatch):
    """The engine runs the checks pytest collected without pytest's per-test machinery: the
    results are the ones pytest's own run gives, check by check."""
    exercise = answer.id.split("/")[0]
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)
    plugin = ChecksPlugin(InProcess({exercise: answer.function}))
    code = pytest.main(PYTEST_ARGS + [str(REGISTRY[exercise].checks_file)], plugins=[plugin])
    assert code == pytest.ExitCode.TESTS_FAILED
    assert plugin.results[exercise] == grade_answer(answer)
