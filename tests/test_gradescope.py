"""The Gradescope autograder zip: what it holds, and its run_autograder run on a simulated
/autograder tree (the zip unpacked in source/, a submission, this venv's Python in place of
the one setup.sh installs)."""
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.build.gradescope_zip import build

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def zips(tmp_path_factory) -> dict:
    """Two autograders: one for any notebook, one for 01-definition."""
    folder = tmp_path_factory.mktemp("zips")
    return {None: build(folder / "any.zip"),
            "01-definition": build(folder / "definition.zip", assignment="01-definition")}


def run_autograder(zip_path: Path, tmp_path: Path, submission: dict[str, Path]) -> dict:
    """Lay out /autograder as Gradescope does, run run_autograder, return results.json."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(root / "source")
    for name in ("run_autograder", "setup.sh"):  # extractall drops the modes
        (root / "source" / name).chmod(0o755)
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    for name, notebook in submission.items():
        (root / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(notebook, root / "submission" / name)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    run = subprocess.run([str(root / "run_autograder")], env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    return json.loads((root / "results" / "results.json").read_text())


def test_the_zip_holds_the_scripts_the_whole_grader_and_its_requirements(zips, tmp_path):
    with zipfile.ZipFile(zips["01-definition"]) as archive:
        names = archive.namelist()
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        requirements = archive.read("requirements.txt").decode()
        config = json.loads(archive.read("gradescope.json"))
        hidden_checks = archive.read("autograder/checks/test_hadamard.py").decode()
    assert names[:4] == ["setup.sh", "run_autograder", "requirements.txt", "gradescope.json"]
    assert modes["setup.sh"] == modes["run_autograder"] == 0o100755
    assert config == {"assignment": "01-definition"}
    assert "autograder/references/definition.py" in names  # graded on Gradescope's servers
    assert "HIDDEN = [" in hidden_checks and "cases(PUBLIC, HIDDEN)" in hidden_checks
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    pins = dict(line.split("==") for line in requirements.splitlines()
                if line and not line.startswith("#"))
    assert {"numpy", "torch", "pytest", "ipykernel", "matplotlib"} <= set(pins)
    assert not {"jupyterlab", "nbgrader", "playwright"} & set(pins)
    assert build(tmp_path / "again.zip", assignment="01-definition").read_bytes() == \
        zips["01-definition"].read_bytes()
    syntax = subprocess.run(["bash", "-n", "/dev/stdin"], capture_output=True, text=True,
                            input=zipfile.ZipFile(zips[None]).read("setup.sh").decode())
    assert syntax.returncode == 0, syntax.stderr


def test_run_autograder_grades_the_submission_as_the_grade_command_does(zips, graded_class,
                                                                        tmp_path):
    """A renamed upload is still graded as the zip's assignment; hidden checks show once
    grades are published."""
    notebook = graded_class / "submitted/cy/01-definition/definition.ipynb"
    results = run_autograder(zips["01-definition"], tmp_path,
                             {"definition (1).ipynb": notebook})
    row = next(r for r in json.loads((graded_class / "results/report.json").read_text())
               ["submissions"] if r["path"] == "submitted/cy/01-definition/definition.ipynb")
    assert 0 < results["score"] == row["score"] < row["max_score"]
    assert results["output"] == f"definition.ipynb: {row['score']:g}/{row['max_score']:g} points"
    assert (results["visibility"], results["stdout_visibility"]) == ("visible", "hidden")
    assert {t["visibility"] for t in results["tests"]} == {"visible", "after_published"}
    assert round(sum(t["max_score"] for t in results["tests"]), 6) == row["max_score"]
    failed = [t["name"] for t in results["tests"] if t["status"] == "failed"]
    assert failed and all(name.startswith("hadamard: ") for name in failed)


@pytest.mark.parametrize("assignment", [None, "01-definition"])
def test_copies_of_a_notebook_in_one_upload_are_never_graded_and_added(zips, graded_class,
                                                                       tmp_path, assignment):
    """One upload, one grade: seven copies of a notebook in sub-folders get nothing, and the
    output says to upload one notebook; the score can never pass the maximum."""
    notebook = graded_class / "submitted/cy/01-definition/definition.ipynb"
    results = run_autograder(zips[assignment], tmp_path,
                             {f"copy{k}/definition.ipynb": notebook for k in range(7)})
    assert (results["score"], results["tests"]) == (0, [])
    assert results["output"].startswith("Upload one notebook")


def test_a_submission_without_a_notebook_scores_zero_and_says_why(zips, tmp_path):
    results = run_autograder(zips["01-definition"], tmp_path, {})
    assert (results["score"], results["tests"]) == (0, [])
    assert results["output"] == ("No notebook (.ipynb) in this submission: upload "
                                 "definition.ipynb.")
