"""The package's layering along its trust boundaries (autograder/layout.py)."""
import ast
import shutil
import subprocess
import sys

import pytest

from autograder import layout
from autograder.grading import store
from autograder.sandbox.starter import Sandbox


def autograder_imports(path) -> set[str]:
    """Every autograder module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import; the kit imports autograder.*")
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("autograder"):
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("autograder")}
    return found


def imports_outside(folders, allowed) -> dict[str, set[str]]:
    """{file: the autograder imports it makes outside `allowed` packages}, for `folders`."""
    bad = {}
    for path in layout.python_files(*folders):
        outside = {name for name in autograder_imports(path)
                   if not name.startswith(tuple(f"autograder.{p}." for p in allowed))}
        if outside:
            bad[str(path.relative_to(layout.PACKAGE))] = outside
    return bad


def test_checking_and_protocol_never_import_grading_reports_or_exports():
    """What checks an answer (and ships to students) stands on its own."""
    assert imports_outside(["checking", "__init__.py"],
                           ["checking", "protocol", "references"]) == {}
    assert imports_outside(["protocol"], ["protocol"]) == {}


def test_reports_and_exports_read_rows_without_the_engine_or_the_sandbox():
    """The reports and the exports read typed results: loading them loads no pytest, no
    checking engine and no sandbox."""
    modules = [".".join(path.relative_to(layout.ROOT).with_suffix("").parts)
               for path in layout.python_files("reports", "exports")]
    loaded = subprocess.run(
        [sys.executable, "-c", f"import sys\nfor m in {modules!r}: __import__(m)\n"
                               "print(' '.join(sys.modules))"],
        capture_output=True, text=True, check=True).stdout.split()
    assert {"pytest", "autograder.checking.engine", "autograder.sandbox.starter"} \
        .isdisjoint(loaded)


def test_what_enters_the_sandbox_imports_only_the_protocol():
    """The fork server and the child import nothing of the grader but the protocol."""
    assert imports_outside(["sandbox/inside"], ["protocol", "sandbox.inside"]) == {}


def test_the_sandbox_stages_exactly_its_packages():
    """The staged package holds the protocol and sandbox/inside, and nothing else that runs."""
    sandbox = Sandbox(isolate=False)
    try:
        staged = sorted(p.relative_to(sandbox._staging / "autograder").as_posix()
                        for p in (sandbox._staging / "autograder").rglob("*.py")
                        if p.read_text())  # empty __init__.py files hold no code
        expected = sorted(p.relative_to(layout.PACKAGE).as_posix()
                          for p in layout.python_files(*layout.STAGED_IN_SANDBOX)
                          if p.read_text())
        assert staged == ["__init__.py", *expected]  # __init__: the stub check()
        assert not any(name.startswith(("checking/", "checks/", "references/"))
                       for name in staged)
    finally:
        sandbox.close()


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """The fingerprint computed over a copy of the package, which the test may edit."""
    copy = tmp_path / "autograder"
    shutil.copytree(layout.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(layout, "PACKAGE", copy)
    monkeypatch.setattr(store, "PACKAGE", copy)
    return copy


@pytest.mark.parametrize("edited, regrades", [
    ("checks/test_hadamard.py", True),
    ("references/definition.py", True),
    ("checking/compare.py", True),
    ("protocol/codec.py", True),
    ("sandbox/starter.py", True),
    ("checks/pytest.ini", True),
    ("grading/cell_facts.py", True),
    ("grading/cell_selection.py", True),
    ("grading/notebooks.py", True),
    ("grading/submission.py", True),
    ("reports/class_report.py", False),
    ("grading/progress.py", False),
    ("exports/lms.py", False),
    ("cli.py", False),
])
def test_only_what_decides_a_score_regrades(package_copy, edited, regrades):
    """Stored rows are reused unless a file that decides a score changed."""
    before = store.kit_fingerprint()
    with open(package_copy / edited, "a", encoding="utf-8") as file:
        file.write("\n# edited\n")
    assert (store.kit_fingerprint() != before) is regrades
