"""What one notebook cell reads, binds and writes, read from its code without running it.

The facts autograder.grading.cell_selection chooses cells by: the global names a cell's
top-level code reads as it runs, those its functions read whenever they are called, the
names it binds or changes (assigns, imports, defines, writes into, calls a method on, a
module's attribute or state, a module's random state), whether it writes files, and, for
each function it defines, what calling it changes. Code the analysis cannot see through
(exec or eval, globals(), a star import, get_ipython(), interpreter machinery, a cell that
is not Python) raises Opaque.
"""
import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass

OPAQUE_CALLS = {"exec", "eval", "compile", "globals", "locals", "vars", "get_ipython",
                "__import__", "setattr", "delattr", "breakpoint"}
OPAQUE_MODULES = {"importlib", "builtins", "inspect", "ctypes", "gc"}
OPAQUE_ATTRIBUTES = {"modules", "_getframe", "settrace", "setprofile", "meta_path",
                     "path_hooks", "f_globals", "f_locals", "f_back"}
PLAIN_DUNDERS = {"__name__", "__doc__", "__version__", "__qualname__"}
# A call of one of these on a module changes state that later code may read: error and
# warning settings, default dtypes. Printing options and thread counts change no result.
MODULE_STATE = re.compile(r"^(seterr\w*|setbufsize|set_default_\w+|use_deterministic\w*|"
                          r"set_flush_denormal|filterwarnings|simplefilter|resetwarnings|"
                          r"reload)$")
# A module's random state: seeding writes it, drawing reads it (and moves it on).
SEEDS = re.compile(r"^(seed|manual_seed|set_rng_state|set_state)$")
DRAWS = re.compile(r"^(rand\w*|normal|uniform|bernoulli|multinomial|poisson|choice|"
                   r"shuffle|permutation|binomial|exponential|standard_\w+|dropout\w*|"
                   r"Dropout\w*|get_rng_state|get_state)$")
# Settings changed only for the duration of a with block.
SCOPED = {"catch_warnings", "errstate", "printoptions", "no_grad", "enable_grad",
          "set_grad_enabled", "inference_mode"}


def _random_state(module: str) -> str:
    """The pseudo-name standing for a module's global random state."""
    return f"{module}.random-state"


# Calls that write a file another cell may read (a figure saved is read by nobody).
FILE_WRITES = re.compile(r"^(open|save|savez|savez_compressed|savetxt|tofile|write_text|"
                         r"write_bytes|dump|to_csv|to_json|to_pickle|mkdir|makedirs|touch|"
                         r"unlink|rmtree|symlink_to|copyfile|copytree)$")


class Opaque(Exception):
    """The analysis cannot see what this code reads or changes."""


# The pseudo-name a function changes when it writes files (which other cells may read).
FILES = "<files>"


@dataclass(frozen=True)
class Function:
    """A function (or a class: any of its methods) a cell defines, for its callers: what a
    call changes among the notebook's globals (FILES among them), the globals it reads
    (the functions it calls), and, for each function it calls by name, the globals it
    hands it (which that function may change)."""
    name: str
    changes: frozenset[str]
    reads: frozenset[str]
    passes: tuple[tuple[str, frozenset[str]], ...]


@dataclass(frozen=True)
class CellFacts:
    reads_now: frozenset[str]   # global names its top-level code reads as the cell runs
    reads_later: frozenset[str]  # what its functions read whenever they are called
    binds: frozenset[str]       # global names it binds or changes
    writes_files: bool
    functions: tuple[Function, ...] = ()   # the functions it defines
    passes: tuple[tuple[str, frozenset[str]], ...] = ()  # calls by name as it runs: (name,
    #                                                       the globals given to it)


def _called_name(call: ast.Call) -> str | None:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return None


def _root_name(node: ast.AST) -> str | None:
    """The name an attribute or subscript chain starts from: `a` in a.b[0].c."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _targets(node: ast.AST) -> Iterable[str]:
    """The global names an assignment target binds or writes into."""
    if isinstance(node, (ast.Tuple, ast.List)):
        for element in node.elts:
            yield from _targets(element)
    else:
        name = _root_name(node)
        if name:
            yield name


def parse(source: str) -> ast.Module:
    if any(line.lstrip().startswith(("%", "!")) for line in source.splitlines()):
        raise Opaque("a magic")
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise Opaque("not Python") from None


def imported(tree: ast.Module) -> set[str]:
    """The names a cell binds by importing."""
    return {(alias.asname or alias.name).split(".")[0] for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}


def stored(tree: ast.Module) -> set[str]:
    """The names a cell assigns, deletes or defines (imports aside)."""
    return {node.id for node in ast.walk(tree)
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)} | \
        {node.name for node in ast.walk(tree)
         if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _stores_in(body: list[ast.AST]) -> set[str]:
    """Names stored in a scope's own body, nested scopes aside (their names are)."""
    found: set[str] = set()
    todo = list(body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            found.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found |= {(a.asname or a.name).split(".")[0] for a in node.names}
        if isinstance(node, _SCOPES):
            if not isinstance(node, ast.Lambda):
                found.add(node.name)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return found


def global_reads(node: ast.AST, local: frozenset[str] = frozenset(), *,
                 bodies: bool = True) -> set[str]:
    """The names `node` reads from the notebook's globals: loads not bound in an enclosing
    function, lambda or comprehension; with `bodies` False, only what runs at once (a
    function reads its globals when it is called, not when it is defined)."""
    if isinstance(node, ast.Name):
        return {node.id} if isinstance(node.ctx, ast.Load) and node.id not in local else set()
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        arguments = node.args
        outside = [*arguments.defaults, *[d for d in arguments.kw_defaults if d],
                   *getattr(node, "decorator_list", []),
                   *([node.returns] if getattr(node, "returns", None) else [])]
        reads = set().union(*(global_reads(n, local, bodies=bodies) for n in outside))
        if not bodies:
            return reads
        params = {a.arg for a in [*arguments.posonlyargs, *arguments.args,
                                  *arguments.kwonlyargs,
                                  *filter(None, [arguments.vararg, arguments.kwarg])]}
        body = node.body if isinstance(node.body, list) else [node.body]
        declared = {name for n in body for sub in ast.walk(n)
                    if isinstance(sub, ast.Global) for name in sub.names}
        inner = local | params | (_stores_in(body) - declared)
        return reads | set().union(*(global_reads(n, frozenset(inner)) for n in body))
    if isinstance(node, _COMPREHENSIONS):
        targets = {n.id for g in node.generators for n in ast.walk(g.target)
                   if isinstance(n, ast.Name)}
        inner = frozenset(local | targets)
        reads = global_reads(node.generators[0].iter, local, bodies=bodies)
        parts = [*(n for g in node.generators for n in (g.target, *g.ifs)),
                 *(g.iter for g in node.generators[1:]),
                 *([node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt])]
        return reads | set().union(*(global_reads(n, inner, bodies=bodies) for n in parts))
    return set().union(*(global_reads(child, local, bodies=bodies)
                         for child in ast.iter_child_nodes(node)))


def _running(body: list[ast.AST]) -> Iterable[ast.AST]:
    """The nodes of `body` that run when it runs: function bodies aside (a class's body
    runs, its methods' do not)."""
    todo = list(body)
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = node.args
            todo += [*arguments.defaults, *filter(None, arguments.kw_defaults),
                     *getattr(node, "decorator_list", [])]
        else:
            todo.extend(ast.iter_child_nodes(node))


def _passes(body: list[ast.AST], local: set[str] | frozenset[str]
            ) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each call by name that runs with `body`, and the globals (not in `local`: not the
    function's own, not modules) whose objects it is given."""
    found = []
    for node in _running(body):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            given = {_root_name(argument) for argument in
                     [*node.args, *(keyword.value for keyword in node.keywords)]}
            found.append((node.func.id, frozenset(given - local - {None})))
    return tuple(sorted(found, key=str))


def _function(node: ast.AST, modules: frozenset[str]) -> Function:
    """What calling the function (or using the class) `node` defines changes and reads."""
    if isinstance(node, ast.ClassDef):
        methods = [_function(item, modules) for item in node.body
                   if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))]
        return Function(node.name, frozenset().union(*(m.changes for m in methods)),
                        frozenset(global_reads(node)),
                        tuple(p for method in methods for p in method.passes))
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    arguments = node.args
    declared = {name for statement in node.body for sub in ast.walk(statement)
                if isinstance(sub, ast.Global) for name in sub.names}
    local = {a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                             *filter(None, [arguments.vararg, arguments.kwarg])]} | \
        (_stores_in(node.body) - declared)
    body = facts(ast.Module(body=node.body, type_ignores=[]), modules)
    return Function(node.name,
                    frozenset(body.binds - local | ({FILES} if body.writes_files else set())),
                    frozenset(global_reads(node)), _passes(node.body, local | modules))


def facts(tree: ast.Module, modules: frozenset[str]) -> CellFacts:
    """What one cell reads, binds and writes, given the names that are modules (bound by
    imports, and by nothing else); Opaque if that cannot be known."""
    binds: set[str] = set()
    reads: set[str] = set()
    writes_files = False
    scoped = {id(call) for node in ast.walk(tree) if isinstance(node, (ast.With, ast.AsyncWith))
              if any(isinstance(item.context_expr, ast.Call)
                     and _called_name(item.context_expr) in SCOPED for item in node.items)
              for statement in node.body for call in ast.walk(statement)
              if isinstance(call, ast.Call)}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    raise Opaque("a star import")
                if alias.name.split(".")[0] in OPAQUE_MODULES or \
                        isinstance(node, ast.ImportFrom) and \
                        (node.module or "").split(".")[0] in OPAQUE_MODULES:
                    raise Opaque("an import of the interpreter's machinery")
                binds.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.Name) and node.id in OPAQUE_CALLS:
            raise Opaque(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            binds.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            binds.update(node.names)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) \
                else [node.target]
            for target in targets:
                binds.update(_targets(target))
        elif isinstance(node, ast.Call) and id(node) not in scoped:
            called = _called_name(node)
            if called and FILE_WRITES.match(called):
                writes_files = True
            if isinstance(node.func, ast.Attribute):
                owner = _root_name(node.func.value)
                attribute = node.func.attr
                if owner in modules and SEEDS.match(attribute):
                    binds.add(_random_state(owner))
                elif owner in modules and DRAWS.match(attribute):
                    reads.add(_random_state(owner))
                    binds.add(_random_state(owner))
                elif owner and (owner not in modules or MODULE_STATE.match(attribute)):
                    binds.add(owner)   # a method may change its object: a.sort(), rng.random()
        elif isinstance(node, ast.Attribute) and (node.attr in OPAQUE_ATTRIBUTES or
                                                  node.attr.startswith("__") and
                                                  node.attr not in PLAIN_DUNDERS):
            raise Opaque(f"the attribute {node.attr}")
    binds |= _stores_in(tree.body) | {name for node in ast.walk(tree)
                                      if isinstance(node, ast.Global) for name in node.names}
    functions = [node for node in ast.walk(tree) if isinstance(node, _SCOPES)]
    methods = {id(item) for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
               for item in node.body}
    defined = [node for node in _running(tree.body) if id(node) not in methods and
               isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    return CellFacts(frozenset(global_reads(tree, bodies=False) | reads),
                     frozenset(set().union(*map(global_reads, functions)) |
                               (reads if functions else set())),
                     frozenset(binds), writes_files,
                     tuple(_function(node, modules) for node in defined),
                     _passes(tree.body, modules))
