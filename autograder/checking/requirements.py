"""What each exercise requires and which checks enforce it, read from the check files.

A requirement is one check of an exercise (its docstring says what it demands) together
with the kinds of input its cases try: "2-d", "float32", "mixed dtypes", "axis=int", ...
The course's grading rules say that every requirement is enforced by a public check and
that hidden cases add inputs of the kinds the public ones already try, never new ones; a
check file also lists, as KINDS, the kinds of input its exercise's statement allows, and a
public case must try each. `gaps` lists every place where that does not hold, and
`table_text` is the instructor's view (`python -m autograder requirements`).
"""
import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType

import numpy as np

from autograder.checking.expect import Case


def input_kinds(case: Case) -> frozenset[str]:
    """The kinds of input a case tries: each array's number of axes and dtype, whether
    numeric dtypes are mixed, and the type of every other argument (keywords by name)."""
    kinds: set[str] = set()
    numeric: set[np.dtype] = set()
    named = [("", value) for value in case.args] + \
        [(f"{key}=", value) for key, value in case.kwargs.items()]
    for prefix, value in named:
        if isinstance(value, np.ndarray):
            kinds |= {f"{prefix}{value.ndim}-d", f"{prefix}{value.dtype}"}
            if value.dtype != bool:
                numeric.add(value.dtype)
        elif not (callable(value) or isinstance(value, np.random.Generator)):
            kinds.add(f"{prefix}{type(value).__name__}")
    if len(numeric) > 1:
        kinds.add("mixed dtypes")
    return frozenset(kinds)


@dataclass(frozen=True)
class Requirement:
    check: str                    # the check's function name
    text: str                     # what it demands (the first line of its docstring)
    public: tuple[Case, ...]
    hidden: tuple[Case, ...]

    @property
    def public_kinds(self) -> frozenset[str]:
        return frozenset().union(*(input_kinds(case) for case in self.public))

    def new_in_hidden(self) -> dict[str, frozenset[str]]:
        """Hidden cases that try a kind of input no public case of this check tries."""
        return {case.name: input_kinds(case) - self.public_kinds for case in self.hidden
                if input_kinds(case) - self.public_kinds}


def _cases(mark_values: Iterable[object]) -> tuple[tuple[Case, ...], tuple[Case, ...]]:
    public: list[Case] = []
    hidden: list[Case] = []
    for param in mark_values:
        values = getattr(param, "values", (param,))
        if not values or not isinstance(values[0], Case):
            continue
        is_hidden = any(mark.name == "hidden" for mark in getattr(param, "marks", ()))
        (hidden if is_hidden else public).append(values[0])
    return tuple(public), tuple(hidden)


def check_module(exercise: str) -> ModuleType:
    return importlib.import_module(f"autograder.checks.test_{exercise}")


def requirements(exercise: str) -> list[Requirement]:
    """The exercise's checks, in the order of its check file."""
    found = []
    for name, function in vars(check_module(exercise)).items():
        if not (name.startswith("test_") and callable(function)):
            continue
        is_hidden = any(mark.name == "hidden" for mark in getattr(function, "pytestmark", ()))
        public: tuple[Case, ...] = ()
        hidden: tuple[Case, ...] = ()
        for mark in getattr(function, "pytestmark", ()):
            if mark.name == "parametrize":
                public, hidden = _cases(mark.args[1])
        if is_hidden:
            public, hidden = (), public + hidden
        text = (function.__doc__ or name).strip().splitlines()[0]
        found.append(Requirement(name, text, public, hidden))
    return found


def allowed_kinds(exercise: str) -> frozenset[str]:
    """The kinds of input the exercise's statement allows (its check file's KINDS)."""
    return frozenset(getattr(check_module(exercise), "KINDS", ()))


def gaps(exercise: str) -> list[str]:
    """Where the exercise breaks the grading rules: a check no public case runs, a hidden
    case of a kind no public case tries, a kind of input the statement allows and no
    public case tries. Empty when all is well."""
    found = []
    checks = requirements(exercise)
    for requirement in checks:
        if not requirement.public:
            found.append(f"{requirement.check}: no public case")
        for case, kinds in requirement.new_in_hidden().items():
            found.append(f"{requirement.check}: hidden case {case!r} tries "
                         f"{', '.join(sorted(kinds))}, which no public case does")
    tried = frozenset().union(*(r.public_kinds for r in checks))
    for kind in sorted(allowed_kinds(exercise) - tried):
        found.append(f"the statement allows {kind}, which no public case tries")
    return found


def table_text(exercise: str) -> str:
    """The instructor's view: each requirement, its public and hidden cases, and the kinds
    of input the public ones try."""
    lines = [f"{exercise}"]
    for requirement in requirements(exercise):
        lines.append(f"  {requirement.text}   [{requirement.check}]")
        lines.append(f"    public ({len(requirement.public)}): "
                     + "; ".join(case.name for case in requirement.public))
        lines.append(f"    hidden ({len(requirement.hidden)}): "
                     + "; ".join(case.name for case in requirement.hidden))
        lines.append(f"    inputs tried publicly: {', '.join(sorted(requirement.public_kinds))}")
    allowed = allowed_kinds(exercise)
    if allowed:
        lines.append(f"  the statement allows: {', '.join(sorted(allowed))}")
    lines += [f"  GAP: {gap}" for gap in gaps(exercise)]
    return "\n".join(lines)
