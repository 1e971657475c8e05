"""Name the likely mistake behind a wrong result.

Each exercise's check file lists its known mistakes as small wrong implementations
(`Mistake.model`) next to the reference. When a student's result is wrong, every model is
run on the same inputs; the first whose output matches the student's names the mistake
and points to the notebook section that teaches it. Pure: returns Mistakes, writes nothing.
"""
import copy
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from autograder.checking.compare import compare
from autograder.checking.results import KnownMistake
from autograder.protocol.calls import StudentRaised


class DoesNotApply(Exception):
    """Raised by a mistake's model on inputs where that mistake cannot show: never a match.
    Models run on the grader's copies of the inputs, so student code never sees it."""


@dataclass(frozen=True)
class Mistake:
    name: str                  # "a matrix product (A @ B) instead of the Hadamard product"
    model: Callable[..., object] | None  # the mistake as code: same arguments, the wrong result
    hint: str                  # one sentence: what to do instead
    section: str = ""          # heading in the exercise's notebook that teaches it

    def known(self) -> KnownMistake:
        """The mistake as a fact of a check's result (its model stays here)."""
        return KnownMistake(self.name, self.hint, self.section)


def model_output(mistake: Mistake, args: tuple[object, ...], kwargs: dict[str, object]) -> object:
    """The model's result on copies of the inputs, warnings silenced; raises what it raises."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        model = mistake.model
        if model is None:  # the callers skip these; what calling None would raise
            raise TypeError(f"the mistake {mistake.name!r} has no model")
        return model(*copy.deepcopy(args), **copy.deepcopy(kwargs))


def mistake_raising(mistakes: Iterable[Mistake], args: tuple[object, ...],
                    kwargs: dict[str, object], raised: StudentRaised) -> Mistake | None:
    """The first mistake whose model raises what the student's code raised (same type and
    message), e.g. a matrix product failing on non-square inputs."""
    for mistake in mistakes:
        if mistake.model is None:
            continue
        try:
            model_output(mistake, args, kwargs)
        except DoesNotApply:
            continue
        except Exception as error:
            message = str(error)[:len(raised.message)]
            if raised.message and type(error).__qualname__ == raised.type_name \
                    and message == raised.message:
                return mistake
    return None


Seen = tuple[tuple[object, ...], dict[str, object], object]  # a call's args, kwargs, result


def _agrees(mistake: Mistake, call: Seen, *, when_not_applicable: bool,
            check_dtype: bool = False) -> bool:
    args, kwargs, got = call
    try:
        produced = model_output(mistake, args, kwargs)
    except DoesNotApply:
        return when_not_applicable
    except Exception:  # a model that cannot run on these inputs, where the student's did
        return False
    return compare(got, produced, check_dtype=check_dtype) is None


def matching_mistake(mistakes: Iterable[Mistake], args: tuple[object, ...],
                     kwargs: dict[str, object], got: object, *,
                     also: Iterable[Seen] = (), dtype: bool = False) -> Mistake | None:
    """The first mistake whose model reproduces `got` on these inputs and agrees with what
    the student's function returned on every call in `also`, where it applies: a diagnosis
    consistent with all the check saw. Dtypes are compared only with `dtype`, for a result
    whose only fault is its dtype (models otherwise compute in whatever dtype they like)."""
    seen = list(also)
    for mistake in mistakes:
        if mistake.model is not None \
                and _agrees(mistake, (args, kwargs, got), when_not_applicable=False,
                            check_dtype=dtype) \
                and all(_agrees(mistake, call, when_not_applicable=True) for call in seen):
            return mistake
    return None
