"""Corpora of student answers, one module per exercise (tests/corpus/<exercise>.py).

Each module decorates its answers: `@correct` ones must get full marks (any approach:
loops, einsum, torch, printing, warnings); `@wrong("text")` ones must lose marks, and the
feedback must contain "text" (the name of the mistake). tests/test_corpus.py runs them all.
"""
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Answer:
    function: Callable
    correct: bool
    feedback_must_contain: str = ""

    @property
    def id(self) -> str:
        return f"{self.function.__module__.rsplit('.', 1)[-1]}/{self.function.__name__}"


ANSWERS: list[Answer] = []


def correct(function):
    ANSWERS.append(Answer(function, True))
    return function


def wrong(feedback_must_contain: str):
    def register(function):
        ANSWERS.append(Answer(function, False, feedback_must_contain))
        return function
    return register
