"""One call of a student's function, made the same way wherever the function lives.

`perform_call` runs in whichever process holds the student's code (the notebook's kernel,
or the grading child process). Arguments arrive and results leave as plain data
(autograder.protocol.codec), so the checks see exactly the same thing in both places, and
nothing the student's code returns can act inside the grader.
"""
import builtins
import contextlib
import io
import traceback
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypedDict

import numpy as np

from autograder.protocol import codec


class RaisedPlain(TypedDict):
    """A raised exception as plain data (`describe_exception`)."""
    type: str
    bases: list[str]
    message: str
    where: str


class Request(TypedDict):
    """A call's arguments as plain data (`request_for`)."""
    args: codec.Plain
    kwargs: codec.Plain


class Response(TypedDict, total=False):
    """What happened in a call, as plain data: "result" or "raised", then the arguments
    after the call, and "stopped" for a call that never returned."""
    result: codec.Plain
    raised: RaisedPlain
    args_after: codec.Plain
    kwargs_after: codec.Plain
    stopped: str
    shares_memory: list[int | str]
    warned: list[str]


_BUILTIN_EXCEPTIONS = {name for name, value in vars(builtins).items()
                       if isinstance(value, type) and issubclass(value, BaseException)}


@dataclass(frozen=True)
class StudentRaised:
    """An exception raised by the student's code, described as plain data."""
    type_name: str
    builtin_bases: tuple[str, ...]  # e.g. ("ValueError", "Exception", "BaseException")
    message: str
    where: str  # the innermost line of the student's own code, e.g. "line 4: return A @ B"

    def is_a(self, exception_type: type) -> bool:
        return exception_type.__name__ in self.builtin_bases

    def __str__(self) -> str:
        text = f"{self.type_name}: {self.message}" if self.message else self.type_name
        return f"{text} ({self.where})" if self.where else text


@dataclass(frozen=True)
class Call:
    """What happened when a student's function was called with the check's arguments."""
    args: tuple[object, ...]
    kwargs: dict[str, object]
    result: object = None
    raised: StudentRaised | None = None
    result_is_arg: int | None = None  # the result *is* this positional argument
    args_after: tuple[object, ...] = ()
    kwargs_after: dict[str, object] = field(default_factory=dict)
    stopped: str | None = None  # the call never returned: "time limit" or "process gone"
    # The inputs (positions, keyword names) whose memory the result shares: writing into
    # the result would change them.
    shares_memory: tuple[int | str, ...] = ()
    # The warnings the call raised ("RuntimeWarning: divide by zero ..."), the first few:
    # only an exercise that forbids warnings looks at them.
    warned: tuple[str, ...] = ()


WARNINGS_KEPT = 3


def _where(error: BaseException) -> str:
    """The innermost frame outside the grader: the student's own line."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if "/autograder/" not in f.filename.replace("\\", "/")]
    if not frames:
        return ""
    frame = frames[-1]
    line = (frame.line or "").strip()
    return f"in {frame.name}, line {frame.lineno}" + (f": {line}" if line else "")


def describe_exception(error: BaseException) -> RaisedPlain:
    bases = [cls.__name__ for cls in type(error).__mro__ if cls.__name__ in _BUILTIN_EXCEPTIONS
             and cls.__module__ == "builtins"]
    try:
        message = str(error)
    except Exception:
        message = "<message could not be shown>"
    return {"type": type(error).__qualname__, "bases": bases,
            "message": message[:codec.MAX_REPR * 2], "where": _where(error)[:codec.MAX_REPR]}


def perform_call(function: Callable[..., object], request: Request) -> Response:
    """Call `function` with the request's plain-data arguments; answer in plain data."""
    args = _arguments(request["args"])
    kwargs = codec.from_plain(request["kwargs"])
    # What the function prints or warns goes nowhere: in a notebook's kernel it would
    # clutter the check's report, and nbgrader scores a cell with stderr output 0.
    response: Response = {}
    with warnings.catch_warnings(record=True) as caught, \
            contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("always")
        try:
            result = function(*args, **kwargs)
            response["result"] = codec.to_plain(result, args=args)
            response["shares_memory"] = _inputs_sharing_memory(result, args, kwargs)
        except (Exception, SystemExit) as error:  # SystemExit: sys.exit() inside a function
            response["raised"] = describe_exception(error)
    response["warned"] = [_warning_text(w) for w in caught[:WARNINGS_KEPT]]
    response["args_after"] = codec.to_plain(args)
    response["kwargs_after"] = codec.to_plain(kwargs)
    return response


def _warning_text(warning: warnings.WarningMessage) -> str:
    try:
        text = f"{warning.category.__name__}: {warning.message}"
    except Exception:
        text = "a warning whose message could not be shown"
    return text[:codec.MAX_REPR]


def _arrays_in(value: object, depth: int = 0) -> list[np.ndarray]:
    """The NumPy arrays a result holds, in tuples, lists and dicts (a few levels deep)."""
    if isinstance(value, np.ndarray):
        return [value]
    if depth > 3:
        return []
    if isinstance(value, dict):
        items: list[object] = list(value.values())
    elif isinstance(value, (tuple, list)):
        items = list(value)
    else:
        return []
    return [array for item in items for array in _arrays_in(item, depth + 1)]


def _inputs_sharing_memory(result: object, args: tuple[object, ...],
                           kwargs: Mapping[str, object]) -> list[int | str]:
    """The inputs whose memory an array of the result overlaps (a view, or the input
    itself)."""
    arrays = _arrays_in(result)
    inputs: list[tuple[int | str, object]] = [*enumerate(args), *kwargs.items()]
    return [key for key, value in inputs if isinstance(value, np.ndarray)
            and any(np.may_share_memory(array, value) for array in arrays)]


STOPS = {"TimeoutError": "time limit", "ProcessStopped": "process gone"}


def failure_response(request: Request, type_name: str, message: str) -> Response:
    """A response for a call that never returned: `type_name` is one of STOPS' keys."""
    return {"raised": {"type": type_name, "bases": [], "message": message, "where": ""},
            "args_after": request["args"], "kwargs_after": request["kwargs"],
            "stopped": STOPS[type_name]}


def request_for(args: tuple[object, ...], kwargs: Mapping[str, object]) -> Request:
    """The arguments as plain data; an array passed twice (hadamard_into's out given as A)
    is sent once and referred to again, so the function gets one array in both places."""
    args = tuple(args)
    return {"args": {"__tuple__": [codec.to_plain(arg, args=args[:index])
                                   for index, arg in enumerate(args)]},
            "kwargs": codec.to_plain(dict(kwargs))}


def _arguments(plain: codec.Plain) -> tuple[object, ...]:
    """The arguments of a request: a reference to an earlier argument is that argument."""
    args: list[object] = []
    for arg in codec.from_plain(plain):
        if isinstance(arg, codec.ArgRef) and 0 <= arg.index < len(args):
            arg = args[arg.index]
        args.append(arg)
    return tuple(args)


def _resolve_argrefs(value: object, args_after: tuple[object, ...]) -> object:
    """Replace each ArgRef, at the top or inside a tuple, list or dict (a dropout_forward
    in eval mode returning `(x, mask)`), by that argument as it was after the call."""
    if isinstance(value, codec.ArgRef):
        return args_after[value.index]
    if type(value) is tuple:
        return tuple(_resolve_argrefs(item, args_after) for item in value)
    if type(value) is list:
        return [_resolve_argrefs(item, args_after) for item in value]
    if type(value) is dict:
        return {key: _resolve_argrefs(item, args_after) for key, item in value.items()}
    return value


def call_from_response(args: tuple[object, ...], kwargs: Mapping[str, object],
                       response: Response) -> Call:
    """Rebuild a Call on the grader's side from the plain-data response."""
    args_after = _arguments(response["args_after"])
    raised = None
    result: object = None
    result_is_arg: int | None = None
    if "raised" in response:
        r = response["raised"]
        raised = StudentRaised(str(r["type"]), tuple(map(str, r["bases"])), str(r["message"]),
                               str(r["where"]))
    else:
        result = codec.from_plain(response["result"])
        if isinstance(result, codec.ArgRef):
            result_is_arg = result.index
        result = _resolve_argrefs(result, args_after)
    stopped = response.get("stopped")
    shares = tuple(key for key in response.get("shares_memory", [])
                   if type(key) in (int, str))
    warned_plain = response.get("warned")
    warned = tuple(str(text)[:codec.MAX_REPR] for text in warned_plain[:WARNINGS_KEPT]) \
        if isinstance(warned_plain, list) else ()
    return Call(args=tuple(args), kwargs=dict(kwargs), result=result, raised=raised,
                result_is_arg=result_is_arg, args_after=tuple(args_after),
                kwargs_after=codec.from_plain(response["kwargs_after"]),
                stopped=stopped if stopped in STOPS.values() else None, shares_memory=shares,
                warned=warned)


class Caller(Protocol):
    """Reaches a student's functions wherever they live: `InProcess` in a notebook, a child
    process when grading (autograder.sandbox)."""

    def defines(self, name: str) -> bool: ...

    def call(self, name: str, args: tuple[object, ...], kwargs: dict[str, object]) -> Call: ...


class InProcess:
    """Calls functions that live in this process: a notebook's own namespace.

    The namespace is passed in explicitly (never found by walking stack frames).
    """

    def __init__(self, namespace: dict[str, Any]) -> None:  # a notebook's globals
        self.namespace = namespace

    def defines(self, name: str) -> bool:
        return callable(self.namespace.get(name))

    def call(self, name: str, args: tuple[object, ...], kwargs: dict[str, object]) -> Call:
        response = perform_call(self.namespace[name], request_for(args, kwargs))
        return call_from_response(args, kwargs, response)
