"""The solution notebooks fit the checks: each exercise has its answer and check cell worth
its checks' points, and every section a hint points to exists as a heading."""
import importlib
import json
import re
from pathlib import Path

import pytest

from autograder.checking.course import REGISTRY
from autograder.checking.engine import run_checks
from autograder.protocol.calls import InProcess
from autograder.references import REFERENCES

ROOT = Path(__file__).resolve().parents[1]


def source_notebook(name) -> dict:
    exercise = REGISTRY[name]
    return json.loads((ROOT / "solutions" / exercise.assignment / exercise.notebook).read_text())


def cells_with(notebook, key):
    return {c["metadata"]["nbgrader"]["grade_id"]: c for c in notebook["cells"]
            if c["metadata"].get("nbgrader", {}).get(key)}


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_each_exercise_has_its_answer_and_check_cell_worth_its_points(name):
    """One answer cell defines the function; one check cell checks it, worth the checks' total."""
    notebook = source_notebook(name)
    answer = "".join(cells_with(notebook, "solution")[name]["source"])
    assert re.search(rf"^def {name}\(", answer, flags=re.M)
    assert "### BEGIN SOLUTION" in answer and "### END SOLUTION" in answer
    check = cells_with(notebook, "grade")[f"check_{name}"]
    assert "".join(check["source"]) == (f"check({name})\n### BEGIN HIDDEN TESTS\n"
                                        f"from autograder import grade\ngrade({name})\n"
                                        f"### END HIDDEN TESTS")
    # JupyterLab's Run All stops at a raising cell unless it is tagged so: an unfinished
    # exercise must not keep the rest of the notebook from running.
    assert "raises-exception" in check["metadata"].get("tags", [])
    maximum = run_checks([name], InProcess({name: REFERENCES[name]}), hidden=True)[name].max_score
    assert check["metadata"]["nbgrader"]["points"] == pytest.approx(maximum)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_section_a_hint_names_is_a_heading_of_the_notebook(name):
    """'See "<section>" in <notebook>' always leads somewhere."""
    headings = {line.lstrip("#").strip()
                for cell in source_notebook(name)["cells"] if cell["cell_type"] == "markdown"
                for line in "".join(cell["source"]).splitlines() if line.startswith("#")}
    module = importlib.import_module(f"autograder.checks.test_{name}")
    assert getattr(module, "MISTAKES", None), f"{name}: its check file lists no MISTAKES"
    for mistake in module.MISTAKES:
        assert mistake.section in headings, mistake.section


@pytest.mark.parametrize("path", sorted([*ROOT.glob("solutions/*/*.ipynb"),
                                          *ROOT.glob("notebooks/*/*.ipynb")]),
                         ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_notebooks_name_their_kernel(path):
    """A notebook without a kernelspec opens a "Select Kernel" dialog in JupyterLab."""
    assert json.loads(path.read_text())["metadata"]["kernelspec"]["name"] == "python3"
