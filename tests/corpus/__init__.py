"""Corpora of student answers, one module per exercise (tests/corpus/<exercise>.py).

Each module decorates its answers: `@correct` ones must get full marks (any approach:
loops, einsum, torch, printing, warnings); `@wrong("text")` ones must lose marks, and the
feedback must contain "text" (the name of the mistake), and none of `never=(...)` (mistakes
the answer does not make). tests/test_corpus.py runs them all.
"""
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Answer:
    function: Callable
    correct: bool
    feedback_must_contain: str = ""
    feedback_must_not_contain: tuple[str, ...] = ()  # mistakes the answer does not make

    @property
    def id(self) -> str:
        return f"{self.function.__module__.rsplit('.', 1)[-1]}/{self.function.__name__}"


ANSWERS: list[Answer] = []


def correct(function):
    ANSWERS.append(Answer(function, True))
    return function


def wrong(feedback_must_contain: str, *, never: tuple[str, ...] = ()):
    def register(function):
        ANSWERS.append(Answer(function, False, feedback_must_contain, never))
        return function
    return register


def check_same_shapes(*arrays):
    """The argument check a careful student writes first: at least one array, one shape."""
    if not arrays:
        raise ValueError("give at least one array")
    for array in arrays[1:]:
        if np.shape(array) != np.shape(arrays[0]):
            raise ValueError(f"shapes {np.shape(arrays[0])} and {np.shape(array)} differ")
