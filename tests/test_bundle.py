"""The student bundle (autograder.build.student_bundle): what it holds and leaves out, that
its install leaves nothing behind, and that, installed on its own, its check cells give every
answer the same feedback as the course's public checks."""
import ast
import importlib
import inspect
import json
import os
import pkgutil
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.build.student_bundle import (
    STUDENT_PACKAGES,
    TORCH_CPU_INDEX,
    WHEEL,
    build,
    sanitize,
    student_requirements,
)
from autograder.checking.course import ASSIGNMENTS, REGISTRY
from autograder.checking.engine import run_checks
from autograder.checking.errors import KitError
from autograder.protocol.calls import InProcess
from autograder.references import REFERENCES

from . import corpus

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
# One known mistake per assignment, named by answers that only the mistake's model recognises.
WRONG = "hadamard"  # the grade id of the answer cell that test_a_released_notebook gets wrong
NAMED = {"hadamard/matmul": "Likely mistake: a matrix product (A @ B)",
         "scale_rows/scales_columns": "Likely mistake: the columns scaled instead of the rows",
         "unbroadcast/mean": "Likely mistake: a mean instead of a sum",
         "masked_softmax/inverted_mask": "Likely mistake: the mask inverted",
         "hadamard_into/matmul_into": "Likely mistake: a matrix product written into out"}

for module in pkgutil.iter_modules(corpus.__path__):
    importlib.import_module(f"{corpus.__name__}.{module.name}")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("dist") / "student-bundle")


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.fixture(scope="module")
def installed(bundle, tmp_path_factory) -> Path:
    """The checks installed as the bundle's README says (`pip install <the wheel>`, in the
    bundle's folder), into a folder of their own; the bundle's folder is left as it was."""
    site = tmp_path_factory.mktemp("install") / "site"
    before = listing(bundle)
    run = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                          "--no-index", "--no-build-isolation", "--target", str(site), WHEEL],
                         capture_output=True, text=True, timeout=300, cwd=bundle)
    assert run.returncode == 0, run.stderr
    assert listing(bundle) == before  # no build/, no *.egg-info
    return site


def public_feedback(corpus) -> dict:
    """Each corpus answer's public-check feedback, by answer id: run in this process on the
    kit, and pasted into a process that has only the installed bundle."""
    from autograder.checking.engine import run_checks
    from autograder.checking.feedback import exercise_feedback
    from autograder.protocol.calls import InProcess

    by_exercise = {}
    for answer in corpus.ANSWERS:
        by_exercise.setdefault(answer.id.split("/")[0], []).append(answer)
    feedback = {}
    for k in range(max(map(len, by_exercise.values()))):  # one answer per exercise a run
        batch = {name: answers[k] for name, answers in by_exercise.items() if k < len(answers)}
        caller = InProcess({name: answer.function for name, answer in batch.items()})
        results = run_checks(list(batch), caller, hidden=False)
        feedback.update({a.id: exercise_feedback(results[name]) for name, a in batch.items()})
    return feedback


# Runs with `python -I` and sys.path cleared of the kit (its venv's .pth file adds it).
IN_THE_BUNDLE = """
import contextlib, importlib, io, json, os, pkgutil, sys
kit, site, corpus_parent = sys.argv[1:]
sys.path = [site, corpus_parent] + [p for p in sys.path if p and os.path.realpath(p) != kit]

import autograder, corpus
from autograder import check, grade
from autograder.checking.errors import KitError
from autograder.checking.course import REGISTRY

for module in pkgutil.iter_modules(corpus.__path__):
    importlib.import_module(f"corpus.{module.name}")

def stub(*args, **kwargs):
    raise NotImplementedError()

stubs = {}
for name in REGISTRY:
    stub.__name__ = name
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.suppress(AssertionError):
        check(stub)
    stubs[name] = printed.getvalue()
try:
    grade(stub)
    graded = None
except KitError as error:
    graded = str(error)
modules = sorted(m.__name__ for m in list(sys.modules.values())
                 if os.path.realpath(getattr(m, "__file__", None) or "/").startswith(kit + "/")
                 and "/.venv/" not in m.__file__)
print(json.dumps({"package": autograder.__file__, "kit_modules": modules, "grade": graded,
                  "stubs": stubs, "feedback": public_feedback(corpus)}))
"""


@pytest.fixture(scope="module")
def in_the_bundle(installed, tmp_path_factory) -> dict:
    corpus_parent = tmp_path_factory.mktemp("corpus")
    shutil.copytree(Path(corpus.__file__).parent, corpus_parent / "corpus",
                    ignore=shutil.ignore_patterns("__pycache__"))
    script = textwrap.dedent(inspect.getsource(public_feedback)) + IN_THE_BUNDLE
    run = subprocess.run([sys.executable, "-I", "-c", script, str(ROOT.resolve()),
                          str(installed), str(corpus_parent)],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-5000:]
    return json.loads(run.stdout.splitlines()[-1])


ORACLE_IMPORTS_REFERENCES = "from autograder.references import REFERENCES"


def _files(bundle) -> dict[str, str]:
    """The bundle's text files, and the members of its wheel, by path."""
    files = {path.relative_to(bundle).as_posix(): path.read_text(encoding="utf-8")
             for path in bundle.rglob("*") if path.is_file() and path.suffix != ".whl"}
    with zipfile.ZipFile(bundle / WHEEL) as wheel:
        files |= {f"{WHEEL}/{name}": wheel.read(name).decode() for name in wheel.namelist()}
    return files


def test_the_bundle_holds_the_notebooks_and_the_checks_and_no_solution(bundle):
    """Notebooks, a pristine copy of each, the checks as a wheel and how to install them;
    no solution, reference or grader."""
    for folder in ("notebooks", "originals"):
        assert sorted(p.name for p in (bundle / folder).iterdir()) == sorted(ASSIGNMENTS)
    assert {p.name for p in bundle.iterdir()} == \
        {"README.md", WHEEL, "notebooks", "originals", "requirements.txt"}
    for assignment, (notebook, _) in ASSIGNMENTS.items():
        path = f"{assignment}/{notebook}"
        assert (bundle / "originals" / path).read_bytes() == \
            (bundle / "notebooks" / path).read_bytes() == (ROOT / "notebooks" / path).read_bytes()
    files = _files(bundle)
    package = {name.split("/")[2] for name in files if name.startswith(f"{WHEEL}/autograder/")}
    assert "checking" in package and "checks" in package
    assert not package & {"references", "grading", "cli.py", "sandbox", "build"}
    for path, text in files.items():
        if path == f"{WHEEL}/autograder/checking/oracle.py":
            # The oracle's import of the references, for the kit: never run in a bundle,
            # which answers from recorded.json (test_the_installed_bundle_runs_on_its_own).
            text = text.replace(ORACLE_IMPORTS_REFERENCES, "", 1)
        for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "autograder.references"):
            assert secret not in text, f"{secret} in {path}"


def test_students_install_what_the_notebooks_need_and_torch_for_the_cpu():
    """requirements.txt: the kit's pins of what students use, torch's CPU-only index, and no
    grading, browser or lint tool; the README explains the index and how to start over."""
    kit = {line.split("==")[0]: line
           for line in (ROOT / "requirements.txt").read_text().splitlines()
           if "==" in line and not line.startswith("#")}
    lines = [line for line in student_requirements().splitlines()
             if line and not line.startswith("#")]
    assert lines == [TORCH_CPU_INDEX, *(kit[name] for name in STUDENT_PACKAGES)]
    assert TORCH_CPU_INDEX == "--extra-index-url https://download.pytorch.org/whl/cpu"
    for tool in ("nbgrader", "nbval", "playwright", "ruff", "mypy"):
        assert tool not in student_requirements()


def test_the_readme_says_how_to_install_and_how_to_start_over(bundle):
    readme = (bundle / "README.md").read_text()
    assert f"pip install {WHEEL}" in readme and "pip install -r requirements.txt" in readme
    assert "pip install ." not in readme
    assert TORCH_CPU_INDEX in readme and "CPU-only" in readme
    assert "cp originals/01-definition/definition.ipynb notebooks/01-definition/" in readme
    assert all(f"- `{assignment}/{notebook}`" in readme
               for assignment, (notebook, _) in ASSIGNMENTS.items())
    assert "hidden checks" in readme


def test_no_hidden_case_is_in_the_bundle(bundle):
    """No title of a hidden check is a string of the bundle's code, or in its other files.
    (Strings, not any text: a hint may say "(1,) and (0,) give (0,)", a hidden case's title.)"""
    def titles(hidden):
        results = run_checks(list(REGISTRY), InProcess(REFERENCES), hidden=hidden)
        return {check.title for result in results.values() for check in result.checks}
    hidden = titles(True) - titles(False)
    assert len(hidden) > 100
    strings, texts = set(), []
    for path, text in _files(bundle).items():
        if path.endswith(".py"):
            strings |= {node.value for node in ast.walk(ast.parse(text))
                        if isinstance(node, ast.Constant) and isinstance(node.value, str)}
        else:
            texts.append(text)
    leaked = sorted(title for title in hidden
                    if title in strings or any(title in text for text in texts))
    assert not leaked, leaked


def test_no_reference_or_mistake_model_is_in_the_bundle(bundle):
    """No reference's code, and no Mistake with a model: only their recorded answers."""
    files = _files(bundle)
    sources = [ast.unparse(ast.parse(text)) for path, text in files.items()
               if path.endswith(".py")]
    for name, function in REFERENCES.items():
        body = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0].body
        code = ast.unparse([statement for statement in body
                            if not isinstance(statement, ast.Expr)])  # no docstring
        assert not any(code in source for source in sources), name
    checks = [path for path in files if path.startswith(f"{WHEEL}/autograder/checks/test_")]
    assert len(checks) == len(REGISTRY)
    for path in checks:
        for node in ast.walk(ast.parse(files[path])):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Mistake":
                assert ast.literal_eval(node.args[1]) is None, (path, node.args[0])


@pytest.mark.parametrize("public_code, refusal", [
    ("from autograder.references.definition import hadamard\n"
     "def test_same(student):\n    hadamard(1, 2)\n", "import autograder.references.definition"),
    ("HIDDEN = [1]\n"
     "def test_cases(student):\n    assert HIDDEN\n", "use HIDDEN; hidden cases belong"),
])
def test_the_build_refuses_public_checks_that_need_what_it_leaves_out(public_code, refusal):
    """A public check may use neither the references nor hidden cases: the build says which."""
    with pytest.raises(KitError, match=refusal):
        sanitize(public_code, "test_example.py")


def test_sanitizing_keeps_public_checks_and_drops_the_rest():
    """Hidden checks and cases, models and what only they used go; public checks stay."""
    source = textwrap.dedent("""\
        from autograder.checking.expect import cases, hidden
        from autograder.references.definition import hadamard
        def _model(A, B):
            return hadamard(A, B).T
        MISTAKES = [Mistake("transposed", _model, "Do not transpose.")]
        HIDDEN_CASES = [3]
        @hidden
        def test_hidden(student):
            assert HIDDEN_CASES
        @pytest.mark.parametrize("case", cases([1], [2]))
        def test_public(student, case):
            assert case
        """)
    assert sanitize(source, "test_example.py").splitlines()[1:] == [
        "from autograder.checking.expect import cases",
        "MISTAKES = [Mistake('transposed', None, 'Do not transpose.')]",
        "",
        "@pytest.mark.parametrize('case', cases([1]))",
        "def test_public(student, case):",
        "    assert case"]
    assert sanitize(source, "test_example.py", full_points=3.5).splitlines()[-1] == \
        "FULL_POINTS = 3.5"


def test_the_installed_bundle_runs_on_its_own(installed, in_the_bundle):
    """The process imported the installed bundle, and nothing of the kit."""
    assert Path(in_the_bundle["package"]).is_relative_to(installed)
    assert in_the_bundle["kit_modules"] == []


def test_every_answer_gets_the_public_feedback_of_the_kit(in_the_bundle):
    """Every corpus answer, right or wrong, reads the same report from the bundle as from the
    kit's public checks: same checks, verdicts, messages and named mistakes."""
    expected = public_feedback(corpus)
    got = in_the_bundle["feedback"]
    assert sorted(got) == sorted(expected)
    differing = [answer for answer in expected if got[answer] != expected[answer]]
    assert not differing, f"{differing[0]}:\n{got[differing[0]]}\n\nthe kit says:\n" \
                          f"{expected[differing[0]]}"
    for answer in corpus.ANSWERS:
        if answer.correct:
            assert "✗" not in got[answer.id] and "checks passed" in got[answer.id], answer.id
    for answer, mistake in NAMED.items():
        assert mistake in got[answer], got[answer]


def test_a_stub_is_not_implemented_yet_and_grade_is_refused(in_the_bundle):
    """check() on the released stub says "not implemented yet"; grade() has no hidden checks."""
    for name in REGISTRY:
        assert f"{name} is not implemented yet" in in_the_bundle["stubs"][name]
    assert "hidden checks are not in a student bundle" in in_the_bundle["grade"]


def test_a_released_notebook_with_its_answers_passes_its_check_cells(bundle, installed):
    """01-definition, answer cells filled from solutions/ but for one wrong answer, runs from
    the bundle's notebooks/ with the installed bundle. Each check cell shows its report, as
    HTML and as text; a right answer's is all ✓, and the wrong one's cell fails in one line."""
    assignment = "01-definition"
    notebook_name, names = ASSIGNMENTS[assignment]
    folder = bundle / "notebooks" / assignment
    notebook = nbformat.read(folder / notebook_name, as_version=4)
    solutions = nbformat.read(ROOT / "solutions" / assignment / notebook_name, as_version=4)
    answers = {c.metadata.nbgrader.grade_id: c.source for c in solutions.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    answers[WRONG] = "def hadamard(A, B):\n    return A @ B"
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = answers[cell.metadata.nbgrader.grade_id]
    notebook.cells.append(
        nbformat.v4.new_code_cell("import autograder\nprint(autograder.__file__)"))
    NotebookClient(notebook, timeout=120, resources={"metadata": {"path": str(folder)}}).execute(
        env={**os.environ, "PYTHONPATH": str(installed)})

    def shown(cell, kind="stream"):
        return [o for o in cell.outputs if o.output_type == kind]
    checks = {c.source: c for c in notebook.cells if c.cell_type == "code"
              and c.metadata.get("nbgrader", {}).get("grade")}
    assert sorted(checks) == sorted(f"check({name})" for name in names)
    for source, cell in checks.items():
        [report] = shown(cell, "display_data")
        assert {"text/html", "text/plain"} <= set(report.data)
        text = report.data["text/plain"]
        if source == "check(hadamard)":
            [error] = shown(cell, "error")
            assert error.ename == "ChecksNotPassed" and len(error.traceback) == 1, error
            assert error.traceback[0].startswith("✗ hadamard: ") and "\n" not in error.traceback[0]
            assert "Likely mistake: a matrix product" in text
        else:
            assert "checks passed" in text and "✗" not in text, text
            assert not shown(cell, "error")
    printed = "".join(o.text for o in shown(notebook.cells[-1]))
    assert Path(printed.strip()).is_relative_to(installed)
