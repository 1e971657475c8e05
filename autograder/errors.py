"""The kit's exceptions: what a student did wrong versus what an instructor set up wrong."""


class CheckFailed(AssertionError):
    """A check found the student's answer wrong. `message` is written for the student."""

    def __init__(self, message: str, hint: str | None = None, *, context: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.context = context  # the call that failed: "hadamard(A, B) with A = ..., B = ..."


class NotImplementedYet(CheckFailed):
    """The student's function still raises NotImplementedError (the released stub)."""


class NotDefined(CheckFailed):
    """The notebook does not define the exercise's function."""


class KitError(Exception):
    """A problem with how the kit is set up or called; worded for the instructor."""
