"""Plain-data encoding of call arguments and results, for crossing a process boundary.

JSON with tagged objects: it can express arrays, scalars, tuples, dicts, a NumPy random
Generator and the kit's named probe functions, and nothing that runs code when decoded
(never pickle). Anything else a student returns becomes an `Opaque` record: its type name
and a short, bounded description, enough for feedback and useless for cheating.
"""
import base64
import json
import math
import re
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

from autograder.protocol import probes

MAX_REPR = 200
PLAIN_DTYPE_KINDS = "biufc"  # bool, int, uint, float, complex: nothing with objects inside
BIT_GENERATORS = {"PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64"}

# What `to_plain` makes: JSON-ready data (the tagged objects are dicts).
Plain: TypeAlias = "None | bool | int | float | str | list[Plain] | dict[str, Plain]"


@dataclass(frozen=True)
class Opaque:
    """Something the student's code returned that is not plain data, seen from outside."""
    type_name: str
    description: str
    # An array's values, when it is array-like (a tensor, a subclass).
    values: NDArray[Any] | None = None


@dataclass(frozen=True)
class ArgRef:
    """The result *is* (not equals) positional argument `index`: what `out=` exercises return."""
    index: int


def type_name(obj: object) -> str:
    if isinstance(obj, Opaque):
        return obj.type_name
    cls = type(obj)
    module = cls.__module__
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"


def _array_payload(array: NDArray[Any]) -> dict[str, Plain]:
    array = np.asarray(array, order="C")  # ascontiguousarray would make 0-d 1-d
    return {"dtype": array.dtype.str, "shape": list(array.shape),
            "data": base64.b64encode(array.tobytes()).decode("ascii")}


def _array_from_payload(payload: Any) -> NDArray[Any]:
    # `payload` is untrusted decoded JSON: whatever it is, it is converted or refused here.
    dtype = np.dtype(payload["dtype"])
    if dtype.kind not in PLAIN_DTYPE_KINDS:
        raise ValueError(f"refusing to decode an array of dtype {dtype}")
    shape = tuple(int(n) for n in payload["shape"])
    data = base64.b64decode(payload["data"])
    return np.frombuffer(data, dtype=dtype).reshape(shape).copy()


def _describe(obj: object) -> str:
    try:
        text = repr(obj)
    except Exception as error:  # a hostile or broken __repr__ still gets described
        text = f"<repr failed: {type(error).__name__}>"
    return text if len(text) <= MAX_REPR else text[:MAX_REPR] + "..."


def _tensor_values(obj: Any) -> object:
    """The values of a torch tensor, without importing torch when it was never imported."""
    try:
        return obj.detach().cpu().numpy()
    except Exception:
        return None


def to_plain(obj: object, *, args: tuple[object, ...] = ()) -> Plain:
    """Encode `obj` as JSON-ready data; a result that is one of `args` becomes an ArgRef."""
    for index, arg in enumerate(args):
        if obj is arg and isinstance(obj, np.ndarray):
            return {"__argref__": index}
    if obj is None or type(obj) is bool or type(obj) is int or type(obj) is str:
        return obj
    if type(obj) is float:
        if math.isfinite(obj):
            return obj
        return {"__float__": repr(obj)}
    if type(obj) is complex:
        return {"__complex__": [repr(obj.real), repr(obj.imag)]}
    if type(obj) is np.ndarray and obj.dtype.kind in PLAIN_DTYPE_KINDS:
        return {"__ndarray__": _array_payload(obj)}
    if isinstance(obj, np.generic) and type(obj).__module__ == "numpy" \
            and obj.dtype.kind in PLAIN_DTYPE_KINDS:
        return {"__npscalar__": _array_payload(np.asarray(obj))}
    if type(obj) is tuple:
        return {"__tuple__": [to_plain(item, args=args) for item in obj]}
    if type(obj) is list:
        return [to_plain(item, args=args) for item in obj]
    if type(obj) is dict and all(type(k) is str for k in obj):
        return {"__dict__": {k: to_plain(v, args=args) for k, v in obj.items()}}
    if type(obj) is np.random.Generator:
        state = dict(obj.bit_generator.state)  # str keys, JSON-ready values
        return {"__generator__": {"bit_generator": type(obj.bit_generator).__name__,
                                  "state": state}}
    if callable(obj) and probes.name_of(obj) is not None:
        return {"__probe__": probes.name_of(obj)}
    values: object = None
    if isinstance(obj, np.ndarray) and obj.dtype.kind in PLAIN_DTYPE_KINDS:
        values = np.asarray(obj)
    elif type(obj).__module__.startswith("torch"):
        values = _tensor_values(obj)
    opaque: dict[str, Plain] = {"type": type_name(obj), "description": _describe(obj)}
    if isinstance(values, np.ndarray) and values.dtype.kind in PLAIN_DTYPE_KINDS:
        opaque["values"] = _array_payload(values)
    return {"__opaque__": opaque}


def from_plain(data: Plain) -> Any:
    """Rebuild what `to_plain` encoded, as plain Python and NumPy objects."""
    if isinstance(data, list):
        return [from_plain(item) for item in data]
    if not isinstance(data, dict):
        return data
    (tag, tagged), = data.items()
    value: Any = tagged  # untrusted: each tag's branch converts it or refuses it
    if tag == "__ndarray__":
        return _array_from_payload(value)
    if tag == "__npscalar__":
        return _array_from_payload(value)[()]
    if tag == "__float__":
        return float(value)
    if tag == "__complex__":
        return complex(float(value[0]), float(value[1]))
    if tag == "__tuple__":
        return tuple(from_plain(item) for item in value)
    if tag == "__dict__":
        return {str(k): from_plain(v) for k, v in value.items()}
    if tag == "__argref__":
        return ArgRef(int(value))
    if tag == "__generator__":
        if value["bit_generator"] not in BIT_GENERATORS:
            raise ValueError(f"unknown bit generator {value['bit_generator']!r}")
        bit_generator = getattr(np.random, value["bit_generator"])()
        bit_generator.state = value["state"]
        return np.random.Generator(bit_generator)
    if tag == "__probe__":
        return probes.by_name(value)
    if tag == "__opaque__":
        values = value.get("values")
        return Opaque(str(value["type"])[:MAX_REPR], str(value["description"])[:MAX_REPR + 3],
                      _array_from_payload(values) if values else None)
    raise ValueError(f"unknown tag {tag!r}")


# Control characters other than newline and tab: a terminal or a spreadsheet may act on them.
_UNPRINTABLE = dict.fromkeys([*range(0x09), *range(0x0b, 0x20), 0x7f], "\ufffd")
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def safe_text(text: str) -> str:
    """Text the grader can print, store and write anywhere: lone surrogates (which no UTF-8
    file or terminal accepts) and control characters replaced (by ? and U+FFFD)."""
    if not _UNSAFE.search(text):
        return text
    return text.encode("utf-8", "replace").decode("utf-8").translate(_UNPRINTABLE)


def safe_plain(value: Any, depth: int = 0) -> Any:
    """A decoded JSON message with every string in it (keys too) made safe_text: what comes
    from a child process is made safe once, where it enters the grader."""
    if isinstance(value, str):
        return safe_text(value)
    if depth > 64:  # deeper than any message of the protocol: left to its reader to refuse
        return value
    if isinstance(value, list):
        return [safe_plain(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {safe_text(key) if isinstance(key, str) else key: safe_plain(item, depth + 1)
                for key, item in value.items()}
    return value


def dumps(obj: object, *, args: tuple[object, ...] = ()) -> str:
    return json.dumps(to_plain(obj, args=args))


def loads(text: str) -> Any:
    return from_plain(json.loads(text))
