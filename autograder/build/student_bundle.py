"""The student bundle: what an instructor hands out (`make student-bundle`).

    python -m autograder bundle dist/student-bundle   # also writes dist/student-bundle.zip

It holds the released notebooks and an `autograder` package that runs their check cells on
the public checks alone: no solutions, no reference implementation, no hidden case. Where
a check needs the references, the bundle replays their answers, recorded here from the
references themselves (autograder.checking.oracle.Recorded).

The check files go in sanitized, by conventions they follow (the build fails where one is
broken, and tests/test_bundle.py proves that no hidden case is left):
- a hidden check is a test decorated `@hidden`, or the second argument of
  `cases(public, hidden)`: both are dropped (a check's points for its hidden cases,
  `@points(public, hidden=...)`, say nothing about them and stay);
- a known mistake's model, `Mistake(name, model, hint, section)`, becomes None: the bundle
  replays the model's outputs on the public inputs instead;
- then whatever the rest no longer uses is dropped (model helpers and their imports, lists
  of hidden cases). What is left may use no name with the word HIDDEN in it, and import no
  module that the bundle leaves out, such as autograder.references.
"""
import ast
import json
import shutil
from pathlib import Path

from autograder.checking.course import CHECKS_DIR, REGISTRY
from autograder.checking.engine import run_checks
from autograder.checking.errors import KitError
from autograder.checking.mistakes import model_output
from autograder.checking.oracle import RECORDING, References, digest
from autograder.layout import PACKAGE, ROOT, SHIPPED_TO_STUDENTS, python_files
from autograder.protocol import codec
from autograder.protocol.calls import InProcess

INSTRUCTOR_ONLY = {"nbgrader", "nbval"}  # left out of the students' requirements.txt
ROOTS = {"MISTAKES"}  # read by the plugin; pytest collects the test_* functions

README = """\
# The Hadamard product: course notebooks

Five Jupyter notebooks on the Hadamard (element-wise) product, with checks that tell you
whether your answers are right, and why not when they are not.

## Set up (once)

You need Python 3.11 or newer. In this folder:

```sh
python -m venv .venv
source .venv/bin/activate         # Windows: .venv\\Scripts\\activate
pip install -r requirements.txt   # the course's packages (torch is large)
pip install .                     # the checks (the `autograder` package in this folder)
```

## Work

```sh
source .venv/bin/activate         # Windows: .venv\\Scripts\\activate
jupyter lab notebooks
```

Work through the notebooks in order: `01-definition`, `02-broadcasting`, `03-gradients`,
`04-gating-dropout`, `05-performance`. Each exercise is a function to write in the cell that
says `raise NotImplementedError()`; the cell after it, `check(...)`, checks it. Each ✗ says
which input failed, what was expected and what you returned, and, when your answer matches
a known mistake, names it and the section of the notebook to reread.

These are the public checks. Your grade also includes hidden checks on more inputs, so
make the public ones pass for the right reason.
"""

PYPROJECT = """\
# `pip install .` installs the checks that the notebooks import (`from autograder import check`).
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "hadamard-course-checks"
version = "1"
description = "The public checks of the Hadamard product course's notebooks"
requires-python = ">=3.11"

[tool.setuptools]
packages = ["autograder", "autograder.checking", "autograder.protocol", "autograder.checks"]
package-data = {"autograder.checks" = ["pytest.ini", "recorded.json"]}
"""


def build(out_dir: Path) -> Path:
    """Write the student bundle into `out_dir` (new or empty) and `out_dir`.zip; return it."""
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise KitError(f"{out_dir} is not empty: remove it first")
    checks = out_dir / "autograder" / "checks"
    checks.mkdir(parents=True)
    # What check() needs in a notebook: no references, no grading, no child process.
    for file in [PACKAGE / "__init__.py", *python_files(*SHIPPED_TO_STUDENTS)]:
        shipped = out_dir / "autograder" / file.relative_to(PACKAGE)
        shipped.parent.mkdir(exist_ok=True)
        shutil.copyfile(file, shipped)
    for name in ("__init__.py", "pytest.ini"):
        shutil.copyfile(CHECKS_DIR / name, checks / name)
    for exercise in REGISTRY.values():
        path = exercise.checks_file
        (checks / path.name).write_text(sanitize(path.read_text(encoding="utf-8"), path.name),
                                        encoding="utf-8")
    # Keys unsorted: a result's dict keeps its order, which feedback follows.
    (checks / RECORDING.name).write_text(json.dumps(record()), encoding="utf-8")
    shutil.copytree(ROOT / "notebooks", out_dir / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (out_dir / "README.md").write_text(README, encoding="utf-8")
    (out_dir / "requirements.txt").write_text(requirements(), encoding="utf-8")
    (out_dir / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    shutil.make_archive(str(out_dir), "zip", out_dir.parent, out_dir.name)
    return out_dir


def requirements(leave_out=INSTRUCTOR_ONLY) -> str:
    """The kit's pinned stack, minus what only instructors use (or minus `leave_out`)."""
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    pins = [line for line in lines if line and not line.startswith("#")
            and line.split("==")[0] not in leave_out]
    return "# The course's packages, pinned.\n" + "\n".join(pins) + "\n"


# Sanitizing a check file

def sanitize(source: str, filename: str) -> str:
    """A check file's public checks, without mistake models (see the module's docstring)."""
    module = ast.parse(source)
    module.body = [statement for statement in module.body if not _is_hidden_check(statement)]
    _PublicOnly().visit(module)
    _drop_unused(module)
    _enforce_conventions(module, filename)
    return (f"# autograder/checks/{filename}, sanitized for the student bundle: its public "
            f"checks, no mistake models.\n{ast.unparse(module)}\n")


def _name(node) -> str | None:
    """`hidden` for `hidden`, `pytest.mark.hidden` or `hidden(...)`."""
    if isinstance(node, ast.Call):
        return _name(node.func)
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else None


def _is_hidden_check(statement) -> bool:
    return isinstance(statement, ast.FunctionDef) and \
        any(_name(decorator) == "hidden" for decorator in statement.decorator_list)


class _PublicOnly(ast.NodeTransformer):
    """Each Mistake's model becomes None; cases(public, hidden) keeps its public cases."""

    def visit_Call(self, node):
        self.generic_visit(node)
        if _name(node.func) == "Mistake":
            if len(node.args) > 1:
                node.args[1] = ast.Constant(None)
            for keyword in node.keywords:
                if keyword.arg == "model":
                    keyword.value = ast.Constant(None)
        elif _name(node.func) == "cases":
            node.args = node.args[:1]
            node.keywords = [k for k in node.keywords if k.arg != "hidden"]
        return node


def _used(statements) -> set[str]:
    return {node.id for statement in statements for node in ast.walk(statement)
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store)}


def _bound(statement) -> set[str] | None:
    """The names a top-level def, class or plain assignment binds; None for anything else."""
    if isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
        return {statement.name}
    if isinstance(statement, ast.Assign):
        targets = [name for target in statement.targets
                   for name in (target.elts if isinstance(target, ast.Tuple) else [target])]
        if all(isinstance(target, ast.Name) for target in targets):
            return {target.id for target in targets}
    return None


def _imported_name(alias) -> str:
    return alias.asname or alias.name.split(".")[0]


def _drop_unused(module):
    """Drop top-level imports, defs and assignments that nothing else uses, until none is left."""
    changed = True
    while changed:
        changed = False
        for statement in list(module.body):
            used = _used(s for s in module.body if s is not statement) | ROOTS
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                kept = [alias for alias in statement.names if _imported_name(alias) in used]
                changed |= len(kept) < len(statement.names)
                statement.names = kept
                if not kept:
                    module.body.remove(statement)
                continue
            names = _bound(statement)
            if names and not names & used and not any(n.startswith("test_") for n in names):
                module.body.remove(statement)
                changed = True


def _autograder_modules(module) -> set[str]:
    """The autograder modules a check file imports: {"expect", "references.gradients", ...}."""
    imported = set()
    for node in ast.walk(module):
        if isinstance(node, ast.ImportFrom) and node.module == "autograder":
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("autograder."):
            imported.add(node.module.removeprefix("autograder."))
        elif isinstance(node, ast.Import):
            imported |= {alias.name.removeprefix("autograder.") for alias in node.names
                         if alias.name.startswith("autograder.")}
    return imported


def _enforce_conventions(module, filename: str):
    left_out = sorted(name for name in _autograder_modules(module)
                      if name.split(".")[0] not in SHIPPED_TO_STUDENTS)
    if left_out:
        raise KitError(f"{filename}: its public checks import "
                       f"{', '.join('autograder.' + m for m in left_out)}, which the student "
                       f"bundle leaves out (only a mistake's model may use the references)")
    hidden = sorted({node.id for node in ast.walk(module)
                     if isinstance(node, ast.Name) and "HIDDEN" in node.id.split("_")})
    if hidden:
        raise KitError(f"{filename}: its public checks use {', '.join(hidden)}; hidden cases "
                       f"belong to @hidden checks or to the second argument of cases()")


# Recording the references' answers

class Recorder:
    """The references in the student's seat of the public checks, and the oracle of that run
    (autograder.checking.oracle), recording what a bundle needs in their place: each reference's
    answers, its parameter names, and each mistake model's outcome on every input that the
    student's function gets (where the checks may ask which mistake a result matches)."""

    def __init__(self):
        self.live = References()
        self.declared = {}  # exercise → its MISTAKES, as the plugin hands them to the checks
        self.table = {"parameters": {name: list(self.live.parameters(name)) for name in REGISTRY},
                      "references": {}, "mistakes": {}}

    # As the caller: the student's function is the reference.
    def defines(self, name: str) -> bool:
        return True

    def call(self, name: str, args: tuple, kwargs: dict):
        key = digest(args, kwargs)
        outcomes = self.table["mistakes"].setdefault(name, {})
        for position, mistake in enumerate(self.declared[name]):
            if mistake.model is not None:
                outcomes.setdefault(str(position), {})[key] = _outcome(mistake, args, kwargs)
        return InProcess({name: self.live.reference(name)}).call(name, args, kwargs)

    # As the oracle.
    covers_hidden = False

    def parameters(self, exercise: str) -> tuple[str, ...]:
        return self.live.parameters(exercise)

    def mistakes(self, exercise: str, declared) -> tuple:
        self.declared[exercise] = self.live.mistakes(exercise, declared)
        return self.declared[exercise]

    def reference(self, exercise: str):
        function = self.live.reference(exercise)
        answers = self.table["references"].setdefault(exercise, {})

        def recording(*args, **kwargs):
            key = digest(args, kwargs)  # before the call: hadamard_into writes into its out
            result = function(*args, **kwargs)
            answers[key] = codec.to_plain(result)
            return result
        return recording


def _outcome(mistake, args: tuple, kwargs: dict) -> dict:
    try:
        return {"result": codec.to_plain(model_output(mistake, args, kwargs))}
    except Exception as error:  # DoesNotApply too: oracle.Recorded raises it again
        return {"raised": type(error).__qualname__, "message": str(error)}


def record() -> dict:
    """What oracle.Recorded replays: the public checks run with the references as student."""
    recorder = Recorder()
    results = run_checks(list(REGISTRY), recorder, hidden=False, oracle=recorder)
    failed = [f"{result.name}: {check.title}: {check.message}" for result in results.values()
              for check in result.checks if not check.passed]
    if failed:
        raise KitError("the references fail these public checks:\n" + "\n".join(failed))
    return recorder.table
