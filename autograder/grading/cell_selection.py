"""Which of a notebook's cells grading must run: what the graded functions need, no more.

Most of a notebook's run time is its teaching cells (figures, timing loops, autograd demos),
and an unchanged teaching cell of the release decides nothing the checks see unless it
binds a name that the student's code reads. So the cells run are the student's own (answer
cells, and every cell added or changed relative to the release), then, transitively, every
cell that binds or changes a name those read (assigns it, imports it, defines it, writes
into it, calls a method on it, sets a module's attribute or state), and every cell that
writes a file. Each cell keeps its place in notebook order, so each name gets the value a
top-to-bottom run gives it. A cell that calls a function of the notebook (or hands it to
another) changes what that function changes when it runs: the globals it writes into, and
the arguments it is given (an in-place answer called by a teaching cell on that cell's
arrays).

Where the analysis cannot see through the code (exec or eval, globals(), a star import,
get_ipython(), a magic, a cell that is not Python), it answers None: run every cell. The
caller also runs every cell when a check meets a NameError or AttributeError.
"""
import dataclasses
import json
from functools import cache, lru_cache

from autograder.checking.course import ASSIGNMENTS
from autograder.grading.cell_facts import FILES, CellFacts, Opaque, facts, imported, parse, stored
from autograder.grading.notebooks import CodeCell, Notebook
from autograder.layout import ROOT

RELEASE = ROOT / "notebooks"


def _with_calls(known: list[CellFacts | None]) -> list[CellFacts | None]:
    """The cells' facts, each cell also changing what the notebook's functions it calls
    change: the globals they write into (and the functions they call, theirs), and the
    globals it hands them."""
    changes: dict[str, set[str]] = {}
    calls: dict[str, set[str]] = {}
    passes: dict[str, list] = {}
    for fact in filter(None, known):
        for function in fact.functions:
            changes.setdefault(function.name, set()).update(function.changes)
            calls.setdefault(function.name, set()).update(function.reads)
            passes.setdefault(function.name, []).extend(function.passes)
    for name in changes:
        for callee, given in passes[name]:
            if callee in changes:
                changes[name] |= given
    grown = True
    while grown:
        grown = False
        for name, changed in changes.items():
            more = set().union(*(changes[other] for other in calls[name] & changes.keys()))
            if not more <= changed:
                changed |= more
                grown = True
    result: list[CellFacts | None] = []
    for fact in known:
        if fact is None:
            result.append(fact)
            continue
        extra = set().union(*(changes[name] for name in fact.reads_now & changes.keys()),
                            *(given for callee, given in fact.passes if callee in changes))
        result.append(dataclasses.replace(fact, binds=fact.binds | (extra - {FILES}),
                                          writes_files=fact.writes_files or FILES in extra)
                      if extra - fact.binds else fact)
    return result


@cache
def _release_sources(assignment: str) -> frozenset[str] | None:
    """The sources of the release's cells that are not answer cells: the teaching cells a
    student received."""
    path = RELEASE / assignment / ASSIGNMENTS[assignment][0]
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return frozenset(
        "".join(cell.get("source", "")) for cell in document.get("cells", [])
        if cell.get("cell_type") == "code"
        and not cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


# The release's cells are the same in every student's notebook: each is analysed once.
@lru_cache(maxsize=4096)
def _names(source: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """The names a cell imports and the names it stores; None if it is not Python."""
    try:
        tree = parse(source)
    except Opaque:
        return None
    return frozenset(imported(tree)), frozenset(stored(tree))


@lru_cache(maxsize=4096)
def _facts(source: str, modules: frozenset[str]) -> CellFacts | None:
    try:
        return facts(parse(source), modules)
    except Opaque:
        return None


def cells_to_run(notebook: Notebook) -> tuple[CodeCell, ...] | None:
    """The cells grading must run, in notebook order; None: every cell (the analysis cannot
    tell, or there is no release to compare with)."""
    teaching = _release_sources(notebook.assignment) if notebook.assignment in ASSIGNMENTS \
        else None
    if teaching is None:
        return None
    cells = [cell for cell in notebook.cells if not cell.is_test]
    names = [_names(cell.source) for cell in cells]
    if None in names:
        return None
    imports = set().union(*(found[0] for found in names if found))
    modules = frozenset(imports - set().union(*(found[1] for found in names if found)))
    known = [_facts(cell.source, modules) for cell in cells]
    if any(fact is None and cell.source not in teaching for cell, fact in zip(cells, known)):
        return None   # the student's own code, unseen: run everything
    known = _with_calls(known)
    # An opaque cell of the release's own runs, after all that precedes it.
    opaque = [i for i, fact in enumerate(known) if fact is None]
    needed = {i for i, cell in enumerate(cells) if cell.source not in teaching
              or known[i] is None or known[i].writes_files}
    needed |= set(range(max(opaque) + 1)) if opaque else set()
    # A name a needed cell reads as it runs needs the cells before it that bind it; a name
    # its functions read, every cell that binds it (the checks call them after them all).
    while True:
        more = set()
        for i in needed:
            fact = known[i]
            if fact is None:
                continue
            more |= {j for j, other in enumerate(known) if j not in needed and other is not None
                     and other.binds & (fact.reads_later if j > i
                                        else fact.reads_later | fact.reads_now)}
        if not more:
            break
        needed |= more
    return tuple(cell for i, cell in enumerate(cells) if i in needed)

