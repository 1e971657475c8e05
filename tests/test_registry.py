"""Completeness: every exercise of the contract has a reference, public and hidden checks,
and known mistakes with advice."""
import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

from autograder.checking.course import ASSIGNMENTS, REGISTRY
from autograder.references import REFERENCES

CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "course-spec.md"


def test_the_registry_matches_the_reference_implementations():
    """Each exercise id has exactly one reference, and nothing else has one."""
    assert set(REFERENCES) == set(REGISTRY)


@pytest.mark.skipif(not CONTRACT.exists(), reason="the course contract is not beside the repo")
def test_the_registry_matches_the_contract():
    """Assignments, notebooks and function names are the contract's, exactly."""
    text = CONTRACT.read_text()
    for assignment, (notebook, names) in ASSIGNMENTS.items():
        section = text.split(f"### Assignment `{assignment}` — notebook `{notebook}`")[1]
        section = section.split("###")[0]
        assert re.findall(r"^\| `(\w+)\(", section, flags=re.M) == names


def _markers(node) -> set[str]:
    found = set()
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        found.add(ast.unparse(target).split(".")[-1])
    return found


def _hidden_kinds(function) -> set[bool]:
    """Which of a check's cases are hidden: all, by @hidden, or each by its param's mark
    (autograder.checking.expect.cases)."""
    marks = getattr(function, "pytestmark", [])
    if any(mark.name == "hidden" for mark in marks):
        return {True}
    params = [p for mark in marks if mark.name == "parametrize" for p in mark.args[1]]
    return {any(m.name == "hidden" for m in getattr(p, "marks", ())) for p in params} or {False}


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_exercise_has_public_and_hidden_checks_worth_points(name):
    """Each check file has public and hidden checks, all with points and a docstring."""
    tree = ast.parse(REGISTRY[name].checks_file.read_text())
    tests = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]
    assert tests, name
    for test in tests:
        assert "points" in _markers(test), f"{name}: {test.name} has no points"
        assert ast.get_docstring(test), f"{name}: {test.name} has no docstring"
    module = importlib.import_module(f"autograder.checks.test_{name}")
    kinds = set().union(*(_hidden_kinds(getattr(module, t.name)) for t in tests))
    assert kinds == {True, False}, f"{name} needs public and hidden checks"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_known_mistakes_come_with_advice(name):
    """Every known mistake has a name, a hint and a notebook section to look at."""
    module = importlib.import_module(f"autograder.checks.test_{name}")
    assert getattr(module, "MISTAKES", None), f"{name}: its check file lists no MISTAKES"
    for mistake in module.MISTAKES:
        assert mistake.name and mistake.hint.endswith(".") and mistake.section, mistake


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_a_check_takes_the_kits_fixtures_and_its_cases_only(name):
    """The engine runs collected checks itself (autograder.checking.plugin.ChecksPlugin.run):
    their arguments are `student`, `reference` and their parametrized values, nothing else
    pytest would have to set up."""
    module = importlib.import_module(f"autograder.checks.test_{name}")
    for test in (value for key, value in vars(module).items() if key.startswith("test_")):
        marks = getattr(test, "pytestmark", [])
        parametrized = {argument.strip() for mark in marks if mark.name == "parametrize"
                        for argument in mark.args[0].split(",")}
        arguments = set(inspect.signature(test).parameters)
        assert arguments <= {"student", "reference"} | parametrized, (name, test.__name__)
