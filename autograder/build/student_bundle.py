"""The student bundle: what an instructor hands out (`make student-bundle`).

    python -m autograder bundle dist/student-bundle   # also writes dist/student-bundle.zip

It holds the released notebooks (and a pristine copy of each, to start one over), the
packages students need (requirements.txt: no grading or browser tools) and, as a wheel, an
`autograder` package that runs their check cells on the public checks alone: no solutions,
no reference implementation, no hidden case. Where a check needs the references, the bundle
replays their answers, recorded here from the references themselves
(autograder.checking.oracle.Recorded). A wheel, because installing one builds nothing:
`pip install .` of a source folder leaves build/ and *.egg-info in the student's folder.

The check files go in sanitized, by conventions they follow (the build fails where one is
broken, and tests/test_bundle.py proves that no hidden case is left):
- a hidden check is a test decorated `@hidden`, or the second argument of
  `cases(public, hidden)`: both are dropped (a check's points for its hidden cases,
  `@points(public, hidden=...)`, say nothing about them and stay);
- a known mistake's model, `Mistake(name, model, hint, section)`, becomes None: the bundle
  replays the model's outputs on the public inputs instead;
- then whatever the rest no longer uses is dropped (model helpers and their imports, lists
  of hidden cases). What is left may use no name with the word HIDDEN in it, and import no
  module that the bundle leaves out, such as autograder.references;
- the exercise's points over all its checks, as the kit counts them, are written in
  (FULL_POINTS): a check cell says what its public checks are worth of them.
"""
import ast
import base64
import hashlib
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

from autograder.checking.course import ASSIGNMENTS, CHECKS_DIR, REGISTRY
from autograder.checking.engine import run_checks
from autograder.checking.errors import KitError
from autograder.checking.mistakes import model_output
from autograder.checking.oracle import RECORDING, References, digest
from autograder.checking.plugin import FULL_POINTS
from autograder.layout import PACKAGE, ROOT, SHIPPED_TO_STUDENTS, python_files
from autograder.protocol import codec
from autograder.protocol.calls import InProcess

# What students install: the notebooks' imports (numpy, torch, matplotlib), JupyterLab and
# its kernel, and pytest, which runs the checks. Pinned as requirements.txt pins them.
STUDENT_PACKAGES = ("jupyterlab", "ipykernel", "numpy", "torch", "matplotlib", "pytest")
# Torch's CPU-only wheels: on Linux, PyPI's torch brings CUDA libraries of several GB that a
# laptop without an NVIDIA GPU never uses. Elsewhere the index offers what PyPI does.
TORCH_CPU_INDEX = "--extra-index-url https://download.pytorch.org/whl/cpu"
ROOTS = {"MISTAKES"}  # read by the plugin; pytest collects the test_* functions

DISTRIBUTION, VERSION = "hadamard_course_checks", "1"
WHEEL = f"{DISTRIBUTION}-{VERSION}-py3-none-any.whl"
METADATA = f"""\
Metadata-Version: 2.1
Name: {DISTRIBUTION.replace("_", "-")}
Version: {VERSION}
Summary: The public checks of the Hadamard product course's notebooks
Requires-Python: >=3.11
"""
WHEEL_INFO = """\
Wheel-Version: 1.0
Generator: autograder.build.student_bundle
Root-Is-Purelib: true
Tag: py3-none-any
"""

README = """\
# The Hadamard product: course notebooks

Jupyter notebooks on the Hadamard (element-wise) product, with checks that tell you whether
your answers are right, and why not when they are not.

## Set up (once)

You need Python 3.11 or newer. In this folder:

```sh
python -m venv .venv
source .venv/bin/activate         # Windows: .venv\\Scripts\\activate
pip install -r requirements.txt   # the course's packages
pip install {wheel}   # the checks
```

The first `pip install` takes a while: torch is large. requirements.txt asks for torch's
CPU-only build, with its line

    {index}

On Linux, the default torch comes with CUDA libraries for NVIDIA GPUs, several GB that these
notebooks never use; on Windows and macOS that index offers the same torch as PyPI. Want the
CUDA build anyway? Delete that line before you install.

The second installs the checks, the `autograder` package that the notebooks import
(`from autograder import check`), into `.venv`: nothing is built or written in this folder.

## Work

```sh
source .venv/bin/activate         # Windows: .venv\\Scripts\\activate
jupyter lab notebooks
```

Work through the notebooks in order:

{order}

Each exercise is a function to write in the cell that says `raise NotImplementedError()`;
the cell after it, `check(...)`, checks it.
Its report gives each check a ✓ or a ✗; each ✗ says which call failed, what was expected
and what you returned, and, when your answer matches a known mistake, names it and the
section of the notebook to reread. While some check fails, the cell ends with one red line
that says how many: that is the verdict on your answer, not a crash of the checks.

These are the public checks. The report's second line says what they are worth, say
"public checks: 2 of this exercise's 3.75 points": your grade also includes hidden checks,
which try more inputs of the same kinds. So make the public ones pass for the right reason.

## Start a notebook over

`originals/` holds a fresh copy of every notebook. To start one over, close it in
JupyterLab and copy its original over it (rename yours first to keep it), for example:

```sh
cp originals/01-definition/definition.ipynb notebooks/01-definition/
# Windows: copy originals\\01-definition\\definition.ipynb notebooks\\01-definition\\
```
"""


def build(out_dir: Path) -> Path:
    """Write the student bundle into `out_dir` (new or empty) and `out_dir`.zip; return it."""
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise KitError(f"{out_dir} is not empty: remove it first")
    out_dir.mkdir(parents=True, exist_ok=True)
    recording, full_points = record()
    with tempfile.TemporaryDirectory() as staging:
        package = Path(staging) / "autograder"
        checks = package / "checks"
        checks.mkdir(parents=True)
        # What check() needs in a notebook: no references, no grading, no child process.
        for file in [PACKAGE / "__init__.py", *python_files(*SHIPPED_TO_STUDENTS)]:
            shipped = package / file.relative_to(PACKAGE)
            shipped.parent.mkdir(exist_ok=True)
            shutil.copyfile(file, shipped)
        for name in ("__init__.py", "pytest.ini"):
            shutil.copyfile(CHECKS_DIR / name, checks / name)
        for exercise in REGISTRY.values():
            path = exercise.checks_file
            (checks / path.name).write_text(
                sanitize(path.read_text(encoding="utf-8"), path.name,
                         full_points=full_points[exercise.name]), encoding="utf-8")
        # Keys unsorted: a result's dict keeps its order, which feedback follows.
        (checks / RECORDING.name).write_text(json.dumps(recording), encoding="utf-8")
        write_wheel(package, out_dir / WHEEL)
    for folder in ("notebooks", "originals"):
        shutil.copytree(ROOT / "notebooks", out_dir / folder,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    order = "\n".join(f"- `{assignment}/{notebook}`"
                      for assignment, (notebook, _) in ASSIGNMENTS.items())
    (out_dir / "README.md").write_text(
        README.format(order=order, wheel=WHEEL, index=TORCH_CPU_INDEX), encoding="utf-8")
    (out_dir / "requirements.txt").write_text(student_requirements(), encoding="utf-8")
    shutil.make_archive(str(out_dir), "zip", out_dir.parent, out_dir.name)
    return out_dir


def requirements(leave_out: set[str]) -> str:
    """The kit's pinned stack, minus `leave_out`."""
    pins = [line for line in _pins() if line.split("==")[0] not in leave_out]
    return "# The course's packages, pinned.\n" + "\n".join(pins) + "\n"


def student_requirements() -> str:
    """What students install (STUDENT_PACKAGES), pinned as the kit pins them."""
    pins = {line.split("==")[0]: line for line in _pins()}
    missing = [name for name in STUDENT_PACKAGES if name not in pins]
    if missing:
        raise KitError(f"requirements.txt pins no {', '.join(missing)}")
    return ("# The course's packages, pinned. The index line gets torch's CPU-only build\n"
            "# (README.md says why; delete it for the CUDA build on Linux).\n"
            f"{TORCH_CPU_INDEX}\n" + "\n".join(pins[name] for name in STUDENT_PACKAGES) + "\n")


def _pins() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def write_wheel(package: Path, path: Path) -> Path:
    """`package` (a folder named autograder) as a pure-Python wheel at `path`. Entries have
    fixed dates, so the same files make the same bytes."""
    files = {f"autograder/{p.relative_to(package).as_posix()}": p.read_bytes()
             for p in sorted(package.rglob("*")) if p.is_file()}
    info = f"{DISTRIBUTION}-{VERSION}.dist-info"
    files[f"{info}/METADATA"] = METADATA.encode()
    files[f"{info}/WHEEL"] = WHEEL_INFO.encode()
    record = [f"{name},sha256={_urlsafe_digest(data)},{len(data)}" for name, data in files.items()]
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o100644 << 16
            archive.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _urlsafe_digest(data: bytes) -> str:
    """A RECORD file's hash: sha256, urlsafe base64 without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


# Sanitizing a check file

def sanitize(source: str, filename: str, *, full_points: float | None = None) -> str:
    """A check file's public checks, without mistake models, and with the exercise's
    `full_points` where given (see the module's docstring)."""
    module = ast.parse(source)
    module.body = [statement for statement in module.body if not _is_hidden_check(statement)]
    _PublicOnly().visit(module)
    _drop_unused(module)
    if full_points is not None:
        module.body.append(ast.Assign([ast.Name(FULL_POINTS, ast.Store())],
                                      ast.Constant(full_points), lineno=0))
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


def record() -> tuple[dict, dict[str, float]]:
    """What oracle.Recorded replays: the public checks run with the references as student;
    and each exercise's full points, as that run counted them."""
    recorder = Recorder()
    results = run_checks(list(REGISTRY), recorder, hidden=False, oracle=recorder)
    failed = [f"{result.name}: {check.title}: {check.message}" for result in results.values()
              for check in result.checks if not check.passed]
    if failed:
        raise KitError("the references fail these public checks:\n" + "\n".join(failed))
    missing = [name for name, result in results.items() if result.full_max_score is None]
    if missing:
        raise KitError(f"no points counted for {', '.join(missing)}")
    return recorder.table, {name: result.full_max_score for name, result in results.items()
                            if result.full_max_score is not None}
