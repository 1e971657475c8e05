"""Where the checks get what only the course's own code knows: the reference's answers, the
contract's parameter names, and the output of each known mistake's model.

In the course kit that is the code itself (`References`). A student bundle has none of it
(autograder.build.student_bundle leaves out the references and the mistake models), so it
replays the answers recorded when the bundle was built (`Recorded`). `default()` chooses,
once; the checks never know which one they got.
"""
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import NotRequired, Protocol, TypedDict

from autograder.checking.course import CHECKS_DIR
from autograder.checking.errors import KitError
from autograder.checking.expect import parameters_of
from autograder.checking.mistakes import DoesNotApply, Mistake
from autograder.protocol import codec

# Written by autograder.build.student_bundle, in bundles only.
RECORDING = CHECKS_DIR / "recorded.json"


class Oracle(Protocol):
    """What answers for the references: `References` or `Recorded`."""

    @property
    def covers_hidden(self) -> bool: ...

    def reference(self, exercise: str) -> Callable[..., object]: ...

    def parameters(self, exercise: str) -> tuple[str, ...]: ...

    def mistakes(self, exercise: str, declared: Iterable[Mistake]) -> tuple[Mistake, ...]: ...


class Outcome(TypedDict):
    """A mistake model's recorded outcome on one set of inputs: its result, or what it raised
    (the exception type's name and its message)."""
    result: NotRequired[codec.Plain]
    raised: NotRequired[str]
    message: NotRequired[str]


class Recording(TypedDict):
    """recorded.json (see `Recorded`)."""
    parameters: dict[str, list[str]]
    references: dict[str, dict[str, codec.Plain]]
    mistakes: dict[str, dict[str, dict[str, Outcome]]]


def digest(args: tuple[object, ...], kwargs: Mapping[str, object]) -> str:
    """The key of one set of arguments: a hash of their plain-data encoding."""
    plain = codec.to_plain((tuple(args), dict(kwargs)))
    return hashlib.sha256(json.dumps(plain, sort_keys=True).encode()).hexdigest()


class References:
    """The course kit's own code: the reference implementations and the mistake models."""
    covers_hidden = True

    def __init__(self) -> None:
        from autograder.references import REFERENCES  # imported only where the references exist

        self.functions: dict[str, Callable[..., object]] = REFERENCES

    def reference(self, exercise: str) -> Callable[..., object]:
        return self.functions[exercise]

    def parameters(self, exercise: str) -> tuple[str, ...]:
        return parameters_of(self.functions[exercise])

    def mistakes(self, exercise: str, declared: Iterable[Mistake]) -> tuple[Mistake, ...]:
        return tuple(declared)


class Recorded:
    """A student bundle's answers, recorded from `References` on the public checks' inputs.

    `table` is recorded.json: "parameters" (exercise → names), "references" (exercise →
    digest → the reference's result) and "mistakes" (exercise → position in MISTAKES →
    digest → the model's outcome), results in autograder.protocol.codec's plain data.
    """
    covers_hidden = False  # recorded on the public checks only

    def __init__(self, table: Recording) -> None:
        self.table = table

    def reference(self, exercise: str) -> Callable[..., object]:
        answers = self.table["references"].get(exercise, {})

        def replay(*args: object, **kwargs: object) -> object:
            key = digest(args, kwargs)
            if key not in answers:
                raise KitError(f"no recorded answer of the reference {exercise} for these "
                               f"inputs: rebuild the student bundle (make student-bundle)")
            return codec.from_plain(answers[key])
        return replay

    def parameters(self, exercise: str) -> tuple[str, ...]:
        return tuple(self.table["parameters"][exercise])

    def mistakes(self, exercise: str, declared: Iterable[Mistake]) -> tuple[Mistake, ...]:
        """The declared mistakes, each whose model was recorded replaying its outcomes."""
        recorded = self.table["mistakes"].get(exercise, {})
        return tuple(replace(mistake, model=_replayer(recorded[str(i)]))
                     if str(i) in recorded else mistake for i, mistake in enumerate(declared))


def _replayer(outcomes: dict[str, Outcome]) -> Callable[..., object]:
    def replay(*args: object, **kwargs: object) -> object:
        outcome = outcomes.get(digest(args, kwargs))
        if outcome is None:  # inputs never recorded: no match, like a model that cannot run
            raise DoesNotApply("not recorded")
        if "result" in outcome:
            return codec.from_plain(outcome["result"])
        if outcome["raised"] == DoesNotApply.__name__:
            raise DoesNotApply(outcome["message"])
        # An exception of the recorded type's name and message: all that
        # diagnose.mistake_raising compares with what the student's code raised.
        raise type(outcome["raised"], (Exception,), {})(outcome["message"])
    return replay


@functools.cache
def default() -> Oracle:
    """`Recorded` in a student bundle (it has recorded.json), else `References`."""
    if RECORDING.exists():
        return Recorded(json.loads(RECORDING.read_text(encoding="utf-8")))
    return References()
