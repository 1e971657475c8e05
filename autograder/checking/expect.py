"""What a check author writes with: cases, point markers, and `expect_*` assertions.

A check is a pytest test that receives `student` (the student's function, however it is
really called) and `reference` fixtures from autograder.checking.plugin, and asserts with the
helpers here. Every helper raises `CheckFailed` with a message written for the student.
"""
import copy
import inspect
from collections.abc import Callable, Container, Iterable, Sequence, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
import pytest

from autograder.checking import compare as comparing
from autograder.checking.errors import CheckFailed, NotDefined, NotImplementedYet
from autograder.checking.mistakes import Mistake, Seen, matching_mistake, mistake_raising
from autograder.checking.results import Stop
from autograder.protocol.calls import Call, Caller, StudentRaised
from autograder.protocol.codec import type_name

if TYPE_CHECKING:  # what pytest.param makes; pytest does not export its type
    from _pytest.mark.structures import ParameterSet

hidden = pytest.mark.hidden   # @hidden: graded, never run by the student's check cell


def points(public: float, *, hidden: float = 0.0) -> pytest.MarkDecorator:
    """What a check is worth: @points(1.5, hidden=1.0) shares 1.5 points equally among its
    public cases and 1.0 among its hidden ones (a check that is @hidden as a whole shares
    `public` among all its cases). Adding or removing a case never changes an exercise's
    maximum, so it always matches the notebook's nbgrader points."""
    return pytest.mark.points(public, hidden=hidden)


@dataclass(frozen=True)
class Case:
    """One set of inputs, named for the student: the name is what feedback shows."""
    name: str
    args: tuple[object, ...]
    kwargs: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name


# An item of `cases`: a Case, or a tuple of values with the Case first.
CaseItem: TypeAlias = "Case | tuple[Case, *tuple[object, ...]]"


def cases(public: Iterable[CaseItem],
          hidden: Iterable[CaseItem] = ()) -> list["ParameterSet"]:
    """One check's cases, for `@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))`: each
    named by its Case, the hidden ones marked `hidden` (graded, not run by the check cell).
    An item may also be a tuple of values, the Case first ("case, why")."""
    def param(item: CaseItem,
              marks: pytest.MarkDecorator | tuple[()] = ()) -> "ParameterSet":
        values = item if isinstance(item, tuple) else (item,)
        return pytest.param(*values, id=values[0].name, marks=marks)
    return [param(item) for item in public] + [param(item, pytest.mark.hidden) for item in hidden]


# The exercise's hooks (expect_same, returns): each names a Mistake, or None.
AdviseRaised: TypeAlias = Callable[[Case, StudentRaised], Mistake | None]
MistakeOf: TypeAlias = Callable[[Case, object, comparing.Mismatch], Mistake | None]


def describe_value(value: object) -> str:
    """A short description of an input: dtype and shape, and the values when few."""
    if isinstance(value, np.ndarray):
        text = f"{value.dtype} array of shape {comparing.shape_text(value.shape)}"
        if 0 < value.size <= 4:
            values = np.array2string(value, separator=", ", precision=4).replace("\n", "")
            text += f" {' '.join(values.split())}"
        return text
    if isinstance(value, np.random.Generator):
        return "a seeded numpy.random.Generator"
    if callable(value):
        return f"the function {getattr(value, '__name__', '?')}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class StudentFunction:
    """The student's function for one exercise, called through a pluggable caller."""

    def __init__(self, name: str, caller: Caller, parameters: Sequence[str],
                 mistakes: Iterable[Mistake] = ()) -> None:
        self.name = name
        self.caller = caller
        self.parameters = parameters    # the contract's parameter names, from the reference
        self.mistakes = tuple(mistakes)

    def label(self, position: int) -> str:
        """The contract's name of a positional parameter ("A"), or "argument 3" for *args."""
        names = self.parameters
        if position < len(names) and not names[position].startswith("*"):
            return names[position]
        return f"argument {position + 1}"

    def describe(self, case: Case) -> str:
        """The call as the student would write it, with what was passed."""
        labels = [self.label(i) for i in range(len(case.args))] + list(case.kwargs)
        values = list(case.args) + list(case.kwargs.values())
        passed = "; ".join(f"{label} = {describe_value(v)}" for label, v in zip(labels, values))
        return f"called {self.name}({', '.join(labels)}) with {passed or 'no arguments'}"

    def fail(self, case: Case, message: str, *, mistake: Mistake | None = None,
             hint: str | None = None, call: Call | None = None) -> CheckFailed:
        """How every check reports a failure, to be raised: what went wrong on `case`, the
        known mistake it shows (if any), other advice, and whether `call` was stopped."""
        stopped = Stop(call.stopped) if call is not None and call.stopped else None
        return CheckFailed(message, hint=hint, context=self.describe(case),
                           mistake=mistake.known() if mistake else None, stopped=stopped,
                           stopped_because=call.raised.message
                           if stopped and call is not None and call.raised is not None else "")

    def call(self, case: Case) -> Call:
        """Call the function; a raised exception is recorded in the Call, not raised here."""
        if not self.caller.defines(self.name):
            raise NotDefined(f"{self.name} is not defined: run the cell that defines it "
                             f"(and keep the name {self.name})")
        return self.caller.call(self.name, case.args, case.kwargs)

    def returns(self, case: Case, *, advise_raised: AdviseRaised | None = None) -> Call:
        """Call the function and insist that it returns (raises CheckFailed if it raised).
        `advise_raised(case, raised)` is the exercise's own Mistake for what was raised where
        no model raises the same, or None."""
        call = self.call(case)
        if call.raised is None:
            return call
        if call.raised.is_a(NotImplementedError):
            raise NotImplementedYet(f"{self.name} is not implemented yet "
                                    f"(it raises NotImplementedError)")
        mistake = (advise_raised(case, call.raised) if advise_raised else None) or \
            mistake_raising(self.mistakes, case.args, case.kwargs, call.raised)
        hint = None
        if not mistake and call.raised.type_name == "SystemExit":
            hint = "Do not call sys.exit() or exit() inside a function."
        raise self.fail(case, f"it raised {call.raised}", mistake=mistake, hint=hint,
                        call=call)

    def explain(self, case: Case, got: object, *, also: Iterable[Seen] = (),
                dtype: bool = False) -> Mistake | None:
        """The known mistake whose model returns what the student's function returned, here
        and on the calls in `also` (its dtype too, with `dtype`)."""
        return matching_mistake(self.mistakes, case.args, case.kwargs, got, also=also,
                                dtype=dtype)


def reference_result(reference: Callable[..., object], case: Case) -> object:
    """The reference's answer, on copies: a reference never sees the check's own objects."""
    return reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))


DTYPE_HINT = ("Keep NumPy's promoted dtype: float32 in gives float32 out, and float32 with "
              "int64 gives float64. A new array made with np.zeros(shape) or "
              "np.asarray(x, dtype=float) is float64 whatever the inputs; make it like "
              "the inputs (np.zeros_like, or dtype=np.result_type(...)). torch promotes "
              "differently (int64 with float32 gives float32): convert a tensor result "
              "with .numpy().astype(np.result_type(...)), or compute in NumPy.")


def expect_same(student: StudentFunction, reference: Callable[..., object], case: Case, *,
                rtol: float | None = None, dtype_free: Set[str] = frozenset(),
                advise_raised: AdviseRaised | None = None,
                mistake_of: MistakeOf | None = None, may_return_input: bool = False) -> Call:
    """The student's result equals the reference's (type, shape, dtype, values), the inputs
    come back unchanged, and the result shares no memory with them (unless
    `may_return_input`: an exercise whose result may be an input unchanged).

    Two hooks name an exercise's own Mistakes where no model can, each returning None when
    it has nothing to say: `advise_raised(case, raised)` for what the function raised,
    before the models that raise the same error; `mistake_of(case, got, mismatch)` for a
    wrong result that no model reproduces (NaN, say), after the models.
    """
    expected = reference_result(reference, case)
    call = student.returns(case, advise_raised=advise_raised)
    mismatch = comparing.compare(call.result, expected, rtol=rtol, dtype_free=dtype_free)
    # A second, independent bug is reported with the first: a wrong value does not hide
    # an input written in place.
    also = "".join(f"; besides, it changed its input {label} in place (compute into a new "
                   f"array: A * B, not A *= B)"
                   for label in changed_inputs(student, case, call)) if mismatch else ""
    if mismatch and mismatch.kind == "dtype":
        # Only a model that returns the student's very dtype explains a wrong dtype.
        mistake = student.explain(case, call.result, dtype=True)
        raise student.fail(case, mismatch.message + also, mistake=mistake,
                           hint=None if mistake else DTYPE_HINT)
    if mismatch:
        mistake = student.explain(case, call.result)
        if mistake is None and mistake_of is not None:
            mistake = mistake_of(case, call.result, mismatch)
        raise student.fail(case, mismatch.message + also, mistake=mistake)
    expect_unchanged(student, case, call)
    if not may_return_input:
        expect_new_arrays(student, case, call)
    return call


def expect_new_arrays(student: StudentFunction, case: Case, call: Call) -> None:
    """The result shares no memory with an input: a caller who writes into the result must
    never change its own data (the contract's conventions)."""
    for key in call.shares_memory:
        label = student.label(key) if isinstance(key, int) else key
        raise student.fail(
            case, f"the result shares memory with the input {label}: writing into the "
                  f"result would change {label}",
            hint="Return a new array: a copy (np.copy), or what a computation such as "
                 "np.multiply makes.")


def expect_no_warnings(student: StudentFunction, case: Case, call: Call, *, hint: str) -> None:
    """The call warned of nothing: for an exercise whose statement forbids warnings."""
    if call.warned:
        more = f" (and {len(call.warned) - 1} more)" if len(call.warned) > 1 else ""
        raise student.fail(case, f"it warned: {call.warned[0]}{more}; this exercise must "
                                 f"warn of nothing", hint=hint)


def changed_inputs(student: StudentFunction, case: Case, call: Call, *,
                   allowed: Container[int] = ()) -> list[str]:
    """The inputs, positional or keyword, that the call modified in place (except the
    positions in `allowed`, such as `out`), by their contract names."""
    inputs = [(student.label(i), before, after)
              for i, (before, after) in enumerate(zip(case.args, call.args_after))
              if i not in allowed]
    inputs += [(name, case.kwargs[name], after) for name, after in call.kwargs_after.items()
               if name in case.kwargs]
    return [label for label, before, after in inputs
            if not (callable(before) or isinstance(before, np.random.Generator))
            and comparing.compare(after, before) is not None]


IN_PLACE_HINT = "Leave the inputs alone: compute into a new array (A * B, not A *= B)."


def expect_unchanged(student: StudentFunction, case: Case, call: Call, *,
                     allowed: Container[int] = ()) -> None:
    """No input was modified in place (except the positions in `allowed`)."""
    for label in changed_inputs(student, case, call, allowed=allowed):
        raise student.fail(case, f"the function changed its input {label} in place",
                           hint=IN_PLACE_HINT)


def expect_raises(student: StudentFunction, exception_type: type[BaseException], case: Case, *,
                  why: str, valid: Case, advise_returned: Mistake | None = None) -> None:
    """The student's function raises `exception_type` on this invalid case.

    A call on the `valid` case must return first, so that an answer that raises whatever it
    gets earns nothing here (the contract's grading rules); a result then returned on `case`
    is shown in full, with the mistake. `advise_returned` is the exercise's Mistake when the
    function returned instead of raising, in place of the one a model would name.
    """
    try:
        returned = student.returns(valid).result
    except (NotImplementedYet, NotDefined):
        raise
    except CheckFailed as failed:
        failed.message = f"this check first needs a valid call to work, and {failed.message}"
        raise failed from None
    call = student.call(case)
    if call.raised is not None and call.raised.is_a(NotImplementedError):
        raise NotImplementedYet(f"{student.name} is not implemented yet "
                                f"(it raises NotImplementedError)")
    if call.raised is None:
        # A known mistake that returns on these invalid inputs (zip truncating unequal
        # shapes, say) is named before the general advice, if its model also returns what
        # the function returned on the valid case: a missing check is not a wrong sum.
        mistake = advise_returned or student.explain(
            case, call.result, also=[(valid.args, valid.kwargs, returned)])
        if mistake:
            # describe_value names an array by its dtype ("float64 array of shape (3, 3)")
            # and shows any other value as it is ("(3, 4)").
            article = "a " if isinstance(call.result, np.ndarray) else ""
            raise student.fail(case, f"expected {exception_type.__name__} because {why}, but "
                                     f"it returned {article}{describe_value(call.result)}",
                               mistake=mistake)
        returned = comparing.with_article(type_name(call.result))
        raise student.fail(case, f"expected {exception_type.__name__} because {why}, "
                                 f"but it returned {returned}",
                           mistake=mistake,
                           hint=f"Check the arguments first and raise "
                                f"{exception_type.__name__}(\"...\") with a message that "
                                f"says what is wrong.")
    if not call.raised.is_a(exception_type):
        raise student.fail(case, f"expected {exception_type.__name__} because {why}, "
                                 f"but it raised {call.raised}",
                           hint=f"Raise {exception_type.__name__} yourself, before the "
                                f"computation fails on its own.", call=call)
    if not call.raised.message.strip():
        raise student.fail(case, f"it raised {exception_type.__name__} with an empty message",
                           hint="Say what is wrong in the message, e.g. the two shapes.")


def parameters_of(function: Callable[..., object]) -> tuple[str, ...]:
    names: list[str] = []
    for p in inspect.signature(function).parameters.values():
        names.append(("*" + p.name) if p.kind is p.VAR_POSITIONAL else p.name)
    return tuple(names)
