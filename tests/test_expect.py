"""The unchanged-inputs check sees every input, positional or passed by keyword."""
import numpy as np
import pytest

from autograder.checking.expect import Case, StudentFunction, changed_inputs
from autograder.protocol.calls import InProcess


def doubles_b_in_place(A, B):
    B *= 2
    return A * B


def leaves_inputs_alone(A, B):
    return A * B


@pytest.mark.parametrize("function, passed_by_keyword, changed", [
    (doubles_b_in_place, False, ["B"]),
    (doubles_b_in_place, True, ["B"]),
    (leaves_inputs_alone, False, []),
    (leaves_inputs_alone, True, []),
])
def test_an_input_changed_in_place_is_named_however_it_was_passed(function, passed_by_keyword,
                                                                     changed):
    A, B = np.arange(6.0).reshape(2, 3), np.ones((2, 3))
    case = Case("2x3", (A,), {"B": B}) if passed_by_keyword else Case("2x3", (A, B))
    student = StudentFunction("hadamard", InProcess({"hadamard": function}), ("A", "B"))
    assert changed_inputs(student, case, student.call(case)) == changed
    assert np.array_equal(B, np.ones((2, 3)))  # the case's own arrays are never touched
