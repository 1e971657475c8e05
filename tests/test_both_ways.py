"""Grading only the cells the answers need gives the row a run of every cell gives, for every
corpus the kit has: the answers of tests/corpus/ laid into the released notebooks, the
hostile notebooks of tests/hostile/ laid into them too, and the troublesome files and
folders of the layout tests. Each notebook is graded both ways, two at a time; the rows
must be identical but for "cells_run"."""
import ast
import builtins
import functools
import importlib
import inspect
import json
import os
import pkgutil
import sys
import tempfile
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from autograder.build.demo_class import submission
from autograder.checking.course import ASSIGNMENTS, exercises_of
from autograder.grading.cell_facts import global_reads
from autograder.grading.submission import find_notebooks, grade_notebook
from autograder.reports.run_reports import contract_row
from autograder.sandbox.starter import Limits, Sandbox, bubblewrap_works

from . import corpus
from .conftest import ROOT, write_submission
from .hostile import broken, processes, protocol
from .test_class_survives import SURROGATE
from .test_hostile import HOSTILE, LIMITS, SLEEP_MARKER, assert_hostile_row, fill, listener

for _module in pkgutil.iter_modules(corpus.__path__):
    importlib.import_module(f"{corpus.__name__}.{_module.name}")


# -- the corpus of answers, as a student writes them into the released notebook -------------
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _locals(body: list) -> set[str]:
    """The names a function's body binds for itself (nested scopes aside)."""
    found, todo = set(), list(body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            found.add(node.name)
        if not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Lambda, *_COMPREHENSIONS)):
            todo.extend(ast.iter_child_nodes(node))
    return found


def _renamed(source: str, names: dict[str, str]) -> str:
    """`source` with the module-level functions in `names` renamed where they are defined
    and wherever a global of that name is read (not a parameter or local of that name)."""
    lines = source.splitlines(keepends=True)
    places = []

    def visit(node, local: frozenset[str]):
        if isinstance(node, ast.Name):
            if node.id in names and node.id not in local:
                places.append((node.lineno, node.col_offset, node.id))
        elif isinstance(node, (ast.FunctionDef, ast.Lambda)):
            arguments = node.args
            for outer in [*arguments.defaults, *filter(None, arguments.kw_defaults),
                          *getattr(node, "decorator_list", [])]:
                visit(outer, local)
            if isinstance(node, ast.FunctionDef) and node.name in names and not local:
                places.append((node.lineno, lines[node.lineno - 1].index(
                    f"def {node.name}(") + 4, node.name))
            body = node.body if isinstance(node.body, list) else [node.body]
            inner = local | _locals(body) | {a.arg for a in [
                *arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                *filter(None, [arguments.vararg, arguments.kwarg])]}
            for statement in body:
                visit(statement, inner)
        elif isinstance(node, _COMPREHENSIONS):
            inner = local | {n.id for generator in node.generators
                             for n in ast.walk(generator.target) if isinstance(n, ast.Name)}
            for child in ast.iter_child_nodes(node):
                visit(child, inner)
        else:
            for child in ast.iter_child_nodes(node):
                visit(child, local)

    visit(ast.parse(source), frozenset())
    for line, column, name in sorted(places, reverse=True):
        text = lines[line - 1]
        assert text[column:column + len(name)] == name
        lines[line - 1] = text[:column] + names[name] + text[column + len(name):]
    return "".join(lines)


@functools.cache
def _corpus_module(name: str) -> tuple[str, dict[str, tuple[str, set[str]]]]:
    """A corpus module's imports, and its functions (check_same_shapes too): {name: (their
    source, the names they read)}."""
    source = inspect.getsource(sys.modules[name])
    lines = source.splitlines(keepends=True)
    tree = ast.parse(source)
    imports = [ast.unparse(node) for node in tree.body if isinstance(node, ast.Import)
               or isinstance(node, ast.ImportFrom) and not node.level]
    functions = {"check_same_shapes": inspect.getsource(corpus.check_same_shapes)}
    functions |= {node.name: "".join(lines[node.lineno - 1:node.end_lineno])
                  for node in tree.body if isinstance(node, ast.FunctionDef)}
    return "\n".join(imports), {
        function: (text, {node.id for node in ast.walk(ast.parse(text))
                          if isinstance(node, ast.Name)})
        for function, text in functions.items()}


def answer_source(answer: corpus.Answer) -> str:
    """The corpus answer as a student's answer cell: its module's imports, the functions it
    calls (the module's helpers and answers, and check_same_shapes), and its own function
    named as the exercise. The other functions get the exercise in their names, so that
    the helpers of two exercises (each module's own _check) cannot meet in one notebook."""
    exercise, name = answer.id.split("/")
    imports, functions = _corpus_module(answer.function.__module__)
    needed: list[str] = []
    todo = [name]
    while todo:
        current = todo.pop(0)
        if current not in needed:
            needed.append(current)
            todo += sorted(functions[current][1] & set(functions))
    cell = imports + "\n\n\n" + "\n\n".join(functions[f][0] for f in reversed(needed))
    return _renamed(cell, {f: exercise if f == name else f"{f}_{exercise}" for f in needed})


CORPUS = {kind: {exercise.name: [a for a in corpus.ANSWERS
                                 if a.id.split("/")[0] == exercise.name and a.correct == right]
                 for assignment in ASSIGNMENTS for exercise in exercises_of(assignment)}
          for kind, right in (("right", True), ("wrong", False))}


def released(assignment: str, answers: dict[str, str], kind: str = "untouched") -> dict:
    """The release of `assignment` answered as the demo class's `kind` of student, but for
    these answer cells: {grade_id: its source}."""
    document = submission(ROOT, assignment, kind)
    for cell in document["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers and cell["cell_type"] == "code":
            cell["source"] = answers[grade_id]
    return document


def corpus_notebooks(root: Path) -> dict[Path, dict[str, corpus.Answer]]:
    """The released notebooks, each with one corpus answer in every answer cell: notebook
    k of an assignment's right (wrong) ones holds the k-th right (wrong) answer of each
    exercise, going round again for an exercise with fewer; enough notebooks that every
    answer is in one. {path: {exercise: answer}}."""
    notebooks = {}
    for assignment in ASSIGNMENTS:
        names = [exercise.name for exercise in exercises_of(assignment)]
        for kind, answers in CORPUS.items():
            for k in range(max(len(answers[name]) for name in names)):
                chosen = {name: answers[name][k % len(answers[name])] for name in names}
                document = released(assignment, {name: answer_source(answer)
                                                 for name, answer in chosen.items()})
                path = write_submission(root, f"{kind}-{k:02d}", assignment,
                                        text=json.dumps(document))
                notebooks[path] = chosen
    return notebooks


# -- grading both ways, in two worker processes ---------------------------------------------
_sandbox: Sandbox | None = None


def _start(sandbox: Sandbox):
    global _sandbox
    _sandbox = sandbox
    sandbox.prepare()


def _both_ways(path: Path) -> tuple[dict, ...]:
    return tuple(contract_row(grade_notebook(path, _sandbox, every_cell=every))
                 for every in (False, True))


def both_ways(paths, limits: Limits = Limits()) -> dict[Path, tuple[dict, dict]]:
    """{path: (the row graded fast, the row of every cell)}, two notebooks at a time."""
    sandbox = Sandbox(limits)
    try:
        with ProcessPoolExecutor(max_workers=2, initializer=_start,
                                 initargs=(sandbox,)) as pool:
            return dict(zip(paths, pool.map(_both_ways, paths)))
    finally:
        sandbox.close()


def assert_same_rows(rows: dict[Path, tuple[dict, dict]]):
    """Each notebook's two rows are the same but for the cells run, and the second ran
    them all."""
    differ = [f"{path}:\n  fast {fast}\n  full {full}" for path, (fast, full) in rows.items()
              if {**fast, "cells_run": None} != {**full, "cells_run": None}]
    assert not differ, "\n".join(differ)
    assert all(full["cells_run"] == "all" for _, full in rows.values())


def _same_code(rendered, original, names: dict[str, str]):
    """The same bytecode, locals and closures, the globals read renamed as `names` says."""
    assert rendered.co_code == original.co_code, original.co_name
    for field in ("co_varnames", "co_cellvars", "co_freevars"):
        assert getattr(rendered, field) == getattr(original, field), original.co_name
    assert len(rendered.co_names) == len(original.co_names), original.co_name
    assert all(new in (old, names.get(old)) for new, old in zip(rendered.co_names,
                                                                original.co_names))
    nested = [[c for c in code.co_consts if inspect.iscode(c)] for code in (rendered, original)]
    assert len(nested[0]) == len(nested[1]), original.co_name
    for inner, original_inner in zip(*nested):
        _same_code(inner, original_inner, names)


def test_a_corpus_answer_is_a_cell_with_its_functions_as_the_corpus_has_them():
    """Every answer's cell runs by itself, binds the exercise, and binds every global its
    functions read; each function it defines is the corpus module's, the same bytecode,
    only the globals it calls renamed."""
    for answer in corpus.ANSWERS:
        exercise, name = answer.id.split("/")
        source = answer_source(answer)
        namespace: dict = {}
        exec(compile(source, answer.id, "exec"), namespace)
        unbound = global_reads(ast.parse(source)) - set(namespace) - set(dir(builtins))
        assert not unbound, (answer.id, unbound)
        module = sys.modules[answer.function.__module__]
        defined = {value.__name__: value for value in namespace.values()
                   if inspect.isfunction(value)}
        assert defined[exercise] is namespace[exercise]
        names = {f.removesuffix(f"_{exercise}"): f for f in defined if f != exercise}
        names[name] = exercise
        for original, new in names.items():
            _same_code(defined[new].__code__, getattr(module, original).__code__, names)


@pytest.mark.slow
def test_every_corpus_answer_gets_the_same_row_both_ways(tmp_path):
    """Every right and wrong answer of tests/corpus/, in the released notebook of its
    assignment: the same row fast and with every cell, and the row the corpus says
    (full marks for a right answer, the mistake named for a wrong one)."""
    notebooks = corpus_notebooks(tmp_path)
    assert {a.id for chosen in notebooks.values() for a in chosen.values()} == \
        {a.id for a in corpus.ANSWERS}
    # The longest first (the last assignments' teaching cells take seconds), for an even end.
    rows = both_ways(sorted(notebooks, key=lambda path: path.parent.name, reverse=True))
    assert_same_rows(rows)
    for path, chosen in notebooks.items():
        fast, _ = rows[path]
        assert fast["status"] == "graded", (path, fast["error"])
        for exercise, answer in chosen.items():
            result = fast["exercises"][exercise]
            if answer.correct:
                assert result["score"] == result["max_score"] > 0, (answer.id, result)
            else:
                assert result["score"] < result["max_score"], (answer.id, result)
                assert answer.feedback_must_contain in result["feedback"], (answer.id, result)
    fast_ways = sum(fast["cells_run"] == "needed" for fast, _ in rows.values())
    assert fast_ways == len(rows), f"only {fast_ways} of {len(rows)} graded fast"


# -- the hostile corpus, in the released notebooks ------------------------------------------
def hostile_notebooks(root: Path, port: int) -> dict[Path, object]:
    """Each hostile case's cells, filled as tests/test_hostile.py fills them, in its
    assignment's release answered correctly: the first in the answer cell of the exercise
    it attacks, the others right after it, and the teaching cells after them. {path: case}

    Not in notebooks of their own after tests/test_hostile.py's PRELUDE: its first cell
    names the process with ctypes, which the analysis cannot see through, so such a
    notebook runs every cell either way. In the release, the attack is the student's own
    code among teaching cells, which grading fast leaves out. The cases of
    processes.PER_SUBMISSION are not here: they need cgroups and a memory limit of their
    own (without them, shm-hoard holds 2.3 GB of the machine's shared memory)."""
    submitted = root / "submitted"
    honest = write_submission(root, "honest", "01-definition", kind="correct")
    placeholders = {"ROOT": ROOT, "SUBMITTED": submitted, "HONEST": honest,
                    "HOSTMARK": f"hx-planted-{uuid.uuid4().hex}",
                    "HOSTTMP": tempfile.gettempdir(),
                    "SLEEP": SLEEP_MARKER, "PORT": port}
    notebooks = {}
    cases = {case.student: case for case in [*HOSTILE, *processes.SEQUENTIAL,
                                             *protocol.SEQUENTIAL]}
    for case in cases.values():
        document = submission(ROOT, case.assignment, "correct")
        cells = fill(case.cells, {**placeholders,
                                  "OWN_FOLDER": submitted / case.student / case.assignment})
        at = next(i for i, cell in enumerate(document["cells"])
                  if cell["metadata"].get("nbgrader", {}).get("grade_id") == case.exercise)
        document["cells"][at]["source"] = cells[0]
        document["cells"][at + 1:at + 1] = [{"cell_type": "code", "metadata": {},
                                             "outputs": [], "execution_count": None,
                                             "source": cell} for cell in cells[1:]]
        path = write_submission(root, case.student, case.assignment, text=json.dumps(document))
        notebooks[path] = case
    return notebooks


# Each of these reaches the submission's time limit (10 s, both ways: a minute of the test's
# time together) in its own cell, which is run whatever cells precede it.
AT_THE_SUBMISSION_LIMIT = {"loop-swallow", "forkbomb", "forge-stop"}
# Whether 1 GB printed, a 200 MB array or 10 million ints encoded fit the call's 1 s depends
# on the machine's load (tests/hostile/protocol.py): the attacked exercise's feedback says
# that the call timed out, or what it returned; rows are compared without it.
RACES_THE_CALL_LIMIT = {"out-call", "big-result", "big-list"}


@pytest.mark.slow
@pytest.mark.skipif(not bubblewrap_works(), reason="bubblewrap cannot run here")
def test_every_hostile_notebook_gets_the_same_row_both_ways(tmp_path):
    """Every attack of tests/hostile/ (but those needing cgroups) in the release of its
    assignment, with the short limits of tests/test_hostile.py: the same row fast and with
    every cell, the row that test expects."""
    server, _ = listener()
    try:
        notebooks = {path: case for path, case in
                     hostile_notebooks(tmp_path, server.getsockname()[1]).items()
                     if case.student not in AT_THE_SUBMISSION_LIMIT}
        rows = both_ways(list(notebooks), LIMITS)
    finally:
        server.close()
    for path, case in notebooks.items():
        assert_hostile_row(case, rows[path][0])
        if case.student in RACES_THE_CALL_LIMIT:
            for row in rows[path]:
                row["exercises"][case.exercise]["feedback"] = "(depends on the load)"
    assert_same_rows(rows)


# -- the layout corpus: what find_notebooks finds in a class's folder -----------------------
def layout_folder(root: Path) -> tuple[Path, set[Path]]:
    """A submitted/ folder holding the troublesome files and names of
    tests/test_class_survives.py and tests/hostile/broken.py, and released notebooks in odd
    places: a helper module beside one, student folders of long and non-UTF-8 names, copies,
    a nested folder and a checkpoint. The folder, and the notebooks in it that are not
    graded (find_notebooks refuses them, or skips the checkpoint)."""
    folder = root / "submitted"
    write_submission(root, "solution", "01-definition", kind="solution")
    write_submission(root, "bad-text", "01-definition", SURROGATE)
    write_submission(root, "=1+1", "01-definition", kind="correct")
    for case in broken.CASES:
        path = folder / case.student / "01-definition" / "definition.ipynb"
        path.parent.mkdir(parents=True)
        case.write(path)
    os.mkfifo(root / "pipe")
    for student, target in [("fifo-link", root / "pipe"), ("zero-link", Path("/dev/zero"))]:
        place = folder / student / "01-definition"
        place.mkdir(parents=True)
        (place / "definition.ipynb").symlink_to(target)
    helped = released("02-broadcasting", {"scale_rows": (
        "import helper\n\n\ndef scale_rows(d, B):\n    return helper.scale(d, B)\n")}, "correct")
    path = write_submission(root, "helper", "02-broadcasting", text=json.dumps(helped))
    (path.parent / "helper.py").write_text(
        "import numpy as np\n\n\ndef scale(d, B):\n    if np.ndim(d) != 1 or "
        "np.ndim(B) != 2 or len(d) != len(B):\n        raise ValueError('shapes')\n"
        "    return d[:, None] * B\n")
    for student in ("s" * 200, os.fsdecode(b"st\xffdent")):
        write_submission(root, student, "03-gradients", kind="mistake")
    refused = set()
    copy = (folder / "=1+1/01-definition/definition.ipynb").read_text()
    for place, text in [("odd-names/01-definition/" + "x" * 245 + ".ipynb", "{}"),
                        (os.fsdecode(b"bytes/01-definition/definition\xff.ipynb"), "{}"),
                        ("=1+1/01-definition/definition-Copy1.ipynb", copy),
                        ("=1+1/01-definition/ivy/01-definition/definition.ipynb", copy),
                        ("=1+1/01-definition/.ipynb_checkpoints/definition-checkpoint.ipynb",
                         copy)]:
        path = folder / place
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        refused.add(path)
    return folder, refused


@pytest.mark.slow
def test_every_notebook_of_the_layout_corpus_gets_the_same_row_both_ways(tmp_path):
    """Whatever find_notebooks grades in a class's folder of troublesome files and names
    (and a notebook given by its own path) gets the same row fast and with every cell."""
    folder, refused = layout_folder(tmp_path)
    loose = tmp_path / "gradients.ipynb"
    loose.write_text(json.dumps(submission(ROOT, "03-gradients", "correct")))
    found = find_notebooks([folder, loose])
    graded = [entry.path for entry in found if not entry.refused]
    assert {entry.path for entry in found if entry.refused} == \
        {path for path in refused if ".ipynb_checkpoints" not in path.parts}
    assert not refused & set(graded)
    rows = both_ways(graded)
    assert_same_rows(rows)
    readable = {"solution", "bad-text", "=1+1", "nbformat3", "helper", "s" * 200,
                os.fsdecode(b"st\xffdent")}
    unreadable = {case.student for case in broken.CASES if case.error} | \
        {"fifo-link", "zero-link"}
    status = {path: fast["status"] for path, (fast, _) in rows.items()}
    assert {path for path in rows if status[path] == "graded"} == \
        {loose, *(path for path in rows if path.parts[-3] in readable)}
    assert {path.parts[-3] for path in rows if status[path] == "error"} == unreadable
