"""A simulated class: the course released into a folder and handed in by students who
did everything, nothing, or made a typical mistake. For tests, benchmarks and demos.

    course = demo_class.release(Path("/tmp/course"))
    demo_class.hand_in(course, {"ada": "correct", "bob": "untouched", "cy": "mistake"})
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from autograder.checking.course import ASSIGNMENTS
from autograder.layout import ROOT

KINDS = ("correct", "untouched", "mistake")
# The partly wrong submission of each assignment: one exercise answered with a typical mistake.
MISTAKES = {
    "01-definition": ("hadamard", "def hadamard(A, B):\n    return A @ B\n"),
    "02-broadcasting": ("scale_rows", "def scale_rows(d, B):\n    return d * B\n"),
    "03-gradients": ("hadamard_backward",
                     "def hadamard_backward(grad_out, A, B):\n"
                     "    return grad_out * A, grad_out * B\n"),
    "04-gating-dropout": ("dropout_backward",
                          "def dropout_backward(grad_out, mask, p):\n    return grad_out * mask\n"),
    "05-performance": ("hadamard_into", "def hadamard_into(A, B, out):\n    return A * B\n"),
    "06-backprop": ("mlp_loss_and_grads",  # the mask forgotten in the backward pass
                    "def mlp_loss_and_grads(X, y, W1, b1, W2, b2, mask=None, p=0.0):\n"
                    "    N, rows = len(X), np.arange(len(X))\n"
                    "    z1 = X @ W1 + b1\n"
                    "    h = np.maximum(z1, 0) * (1.0 if mask is None else mask / (1 - p))\n"
                    "    s = h @ W2 + b2\n"
                    "    s = s - s.max(axis=1, keepdims=True)\n"
                    "    log_P = s - np.log(np.exp(s).sum(axis=1, keepdims=True))\n"
                    "    G = np.exp(log_P)\n"
                    "    G[rows, y] -= 1\n"
                    "    G /= N\n"
                    "    dz1 = G @ W2.T * (z1 > 0)\n"
                    "    grads = {'W1': X.T @ dz1, 'b1': dz1.sum(0),\n"
                    "             'W2': h.T @ G, 'b2': G.sum(0)}\n"
                    "    return float(-log_P[rows, y].mean()), grads\n"),
}


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run nbgrader in `course` with this venv's tools on PATH; raise if it fails."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run([str(bin_dir / "nbgrader"), *args, "--log-level=WARN"], cwd=course,
                         env=env, capture_output=True, text=True, timeout=3600)
    if run.returncode:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{run.stderr[-3000:]}")
    return run


def release(course: Path) -> Path:
    """Copy the course's nbgrader source into `course` and generate every assignment."""
    course.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions", course / "solutions", dirs_exist_ok=True)
    for assignment in ASSIGNMENTS:
        nbgrader(course, "generate_assignment", assignment, "--force")
    return course


def _answer(source_cell: dict) -> str:
    lines = "".join(source_cell["source"]).splitlines(keepends=True)
    return "".join(line for line in lines
                   if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)


def submission(course: Path, assignment: str, kind: str) -> dict:
    """The released notebook with its answer cells filled in the way `kind` says."""
    notebook = ASSIGNMENTS[assignment][0]
    released = json.loads((course / "notebooks" / assignment / notebook).read_text())
    source = json.loads((course / "solutions" / assignment / notebook).read_text())
    answers = {c["metadata"]["nbgrader"]["grade_id"]: _answer(c) for c in source["cells"]
               if c["metadata"].get("nbgrader", {}).get("solution")}
    wrong_name, wrong_code = MISTAKES[assignment]
    for cell in released["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers and kind != "untouched":
            cell["source"] = wrong_code if kind == "mistake" and grade_id == wrong_name \
                else answers[grade_id]
    return released


def hand_in(course: Path, students: dict[str, str], assignments=tuple(ASSIGNMENTS)) -> Path:
    """Write submitted/<student>/<assignment>/<notebook> for each student, of their kind."""
    for student, kind in students.items():
        for assignment in assignments:
            path = course / "submitted" / student / assignment / ASSIGNMENTS[assignment][0]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(submission(course, assignment, kind), indent=1))
    return course / "submitted"
