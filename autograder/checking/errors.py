"""The kit's exceptions: what a student did wrong versus what an instructor set up wrong."""
from autograder.checking.results import KnownMistake, Stop


class CheckFailed(AssertionError):
    """A check found the student's answer wrong: what it found, as facts for the result.
    `message` is written for the student; `hint` is advice beyond `mistake`'s own."""

    def __init__(self, message: str, hint: str | None = None, *, context: str = "",
                 mistake: KnownMistake | None = None, stopped: Stop | None = None,
                 stopped_because: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.context = context  # the call that failed: "hadamard(A, B) with A = ..., B = ..."
        self.mistake = mistake
        self.stopped = stopped  # a call of the student's function never returned
        self.stopped_because = stopped_because


class NotImplementedYet(CheckFailed):
    """The student's function still raises NotImplementedError (the released stub)."""


class NotDefined(CheckFailed):
    """The notebook does not define the exercise's function."""


class KitError(Exception):
    """A problem with how the kit is set up or called; worded for the instructor."""
