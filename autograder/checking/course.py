"""The course contract as data: which exercise belongs to which assignment and notebook.

Exercise ids are the contract's function names (../shared/course-spec.md); outside tools
grade against them, so they never change. Points come from the checks themselves
(the `points` markers in autograder/checks/), not from here.
"""
from dataclasses import dataclass
from pathlib import Path

CHECKS_DIR = Path(__file__).resolve().parents[1] / "checks"  # autograder/checks


@dataclass(frozen=True)
class Exercise:
    name: str          # the function the student defines
    assignment: str    # nbgrader assignment id
    notebook: str      # notebook file name inside the assignment

    @property
    def checks_file(self) -> Path:
        return CHECKS_DIR / f"test_{self.name}.py"


ASSIGNMENTS = {
    "01-definition": ("definition.ipynb",
                      ["hadamard_lists", "hadamard", "hadamard_all", "frobenius_inner"]),
    "02-broadcasting": ("broadcasting.ipynb",
                        ["broadcast_shape", "scale_rows", "scale_cols", "squared_error",
                         "brighten"]),
    "03-gradients": ("gradients.ipynb",
                     ["hadamard_backward", "unbroadcast", "broadcast_hadamard_backward",
                      "activation_backward", "layer_grads", "numerical_gradient",
                      "autograd_hadamard_grads"]),
    "04-gating-dropout": ("gating_dropout.ipynb",
                          ["dropout_forward", "dropout_backward", "glu", "swiglu",
                           "lstm_cell", "glu_backward", "masked_softmax"]),
    "05-performance": ("performance.ipynb", ["hadamard_into", "log_hadamard_all"]),
    "06-backprop": ("backprop.ipynb", ["mlp_loss_and_grads"]),
}

REGISTRY = {
    name: Exercise(name, assignment, notebook)
    for assignment, (notebook, names) in ASSIGNMENTS.items()
    for name in names
}


def exercises_of(assignment: str) -> list[Exercise]:
    return [ex for ex in REGISTRY.values() if ex.assignment == assignment]


def assignment_of_notebook(filename: str) -> str | None:
    """The assignment whose notebook has this file name, or None."""
    for assignment, (notebook, _) in ASSIGNMENTS.items():
        if notebook == filename:
            return assignment
    return None
