"""Every requirement an exercise states is checked publicly; hidden cases add inputs only."""
import subprocess
import sys

import numpy as np
import pytest

from autograder.checking.course import REGISTRY
from autograder.checking.expect import Case
from autograder.checking.requirements import (
    Requirement,
    allowed_kinds,
    gaps,
    input_kinds,
    requirements,
)


@pytest.mark.parametrize("exercise", sorted(REGISTRY))
def test_every_requirement_has_a_public_check_and_hidden_cases_add_inputs_only(exercise):
    """No check runs only hidden; no hidden case tries a kind of input no public case tries;
    every kind of input the statement allows (KINDS) is tried publicly."""
    assert gaps(exercise) == []


@pytest.mark.parametrize("exercise", sorted(REGISTRY))
def test_each_check_file_says_which_inputs_its_statement_allows(exercise):
    assert allowed_kinds(exercise), f"autograder/checks/test_{exercise}.py lists no KINDS"
    assert requirements(exercise)


def test_input_kinds_name_axes_dtypes_mixing_and_other_arguments():
    case = Case("c", (np.zeros((2, 3), np.float32), np.zeros(3, np.int64), 0.5),
                {"axis": 1, "mask": np.ones(3, bool)})
    assert input_kinds(case) == {"2-d", "float32", "1-d", "int64", "float", "axis=int",
                                 "mask=1-d", "mask=bool", "mixed dtypes"}


def test_a_hidden_case_of_a_new_kind_is_a_gap():
    public = Case("2-d", (np.zeros((2, 2)),))
    hidden = Case("3-d", (np.zeros((2, 2, 2)),))
    requirement = Requirement("test_x", "x", (public,), (hidden, public))
    assert requirement.new_in_hidden() == {"3-d": {"3-d"}}


def test_the_command_prints_the_table_and_fails_only_on_a_gap():
    run = subprocess.run([sys.executable, "-m", "autograder", "requirements", "hadamard"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Different shapes raise ValueError" in run.stdout
    assert "public (" in run.stdout and "hidden (" in run.stdout
    unknown = subprocess.run([sys.executable, "-m", "autograder", "requirements", "nope"],
                             capture_output=True, text=True, timeout=60)
    assert unknown.returncode == 2 and "no exercise named nope" in unknown.stderr
