"""Attacks that look for answers or try to bend the comparison: the course's solutions and
references on disk, other students, the network, patched NumPy or grader modules, and
results that lie about what they are.

Where an attack could find something, the notebook uses what it found and answers
correctly: its exact expected score (that of the wrong answer) proves it found nothing.
"""
from . import CORRECT, WRONG, WRONG_SCORE, Hostile

# Defines the correct answers if `leaked` is not empty, else the wrong one.
USE_LEAK = ("if leaked:\n    exec(@CORRECT@)\nelse:\n" +
            "\n".join("    " + line for line in WRONG.splitlines())).replace("@CORRECT@",
                                                                           repr(CORRECT))

READ_SOLUTIONS = r'''import glob, os  # READ-SOLUTIONS-ATTACK
candidates = set()
for pattern in ["@ROOT@/solutions/*/*.ipynb", "@ROOT@/autograder/references/*.py",
                "/work/main/solutions/*/*.ipynb", "/work/**/*.ipynb", "/root/**/*.ipynb",
                "/home/**/*.ipynb", "/tmp/**/*.ipynb", "/grader/**/*.py", "/submission*/**/*",
                "../**/*.ipynb", "../../*/*/*.ipynb", "/proc/1/root/@ROOT@/solutions/*/*",
                "/proc/1/cwd/**/*.ipynb", "@SUBMITTED@/*/*/*.ipynb", "@HONEST@"]:
    candidates.update(glob.glob(pattern, recursive=True))
leaked = []
for path in sorted(candidates):
    try:
        with open(path, errors="ignore") as f:
            text = f.read()
    except OSError:
        continue
    # Its own notebook (its working copy, or the read-only original it was copied from)
    # holds this very attack, correct answer included: not a leak.
    if "def hadamard(" in text and "READ-SOLUTIONS-ATTACK" not in text:
        leaked.append(path)'''

IMPORT_REFERENCES = r'''import importlib, importlib.util, sys
leaked = []
attempts = [
    lambda: importlib.import_module("autograder.references").REFERENCES,
    lambda: __import__("autograder.references", fromlist=["REFERENCES"]).REFERENCES,
]
for attempt in attempts:
    try:
        leaked.append(attempt())
    except Exception:
        pass
sys.path.insert(0, "@ROOT@")
for name in [m for m in sys.modules if m == "autograder" or m.startswith("autograder.")]:
    del sys.modules[name]
importlib.invalidate_caches()
try:
    from autograder.references import REFERENCES
    leaked.append(REFERENCES)
except Exception:
    pass
try:
    from autograder import references
    leaked.append(references)
except Exception:
    pass
try:
    spec = importlib.util.spec_from_file_location(
        "stolen", "@ROOT@/autograder/references/definition.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    leaked.append(module)
except Exception:
    pass'''

NETWORK = r'''import socket, urllib.request
leaked = []
for host in ["127.0.0.1", "localhost", "10.0.2.2", "172.17.0.1"]:
    try:
        with socket.create_connection((host, @PORT@), timeout=1) as s:
            leaked.append(s.recv(1 << 16))
    except OSError:
        pass
try:
    leaked.append(urllib.request.urlopen("http://example.com", timeout=1).read())
except Exception:
    pass
try:
    leaked.append(socket.getaddrinfo("example.com", 80))
except OSError:
    pass'''

PATCH_NUMPY = r'''import numpy as np
np.allclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, bool)
np.testing.assert_allclose = lambda *a, **k: None
try:
    np.ndarray.__eq__ = lambda self, other: True
except TypeError:
    pass'''

PATCH_GRADER = r'''import sys, types
import autograder, autograder.protocol.calls, autograder.protocol.codec
autograder.check = lambda f: None
autograder.grade = lambda f: 100.0
sys.modules["autograder.checking.compare"] = types.SimpleNamespace(compare=lambda *a, **k: None)
autograder.protocol.calls.call_from_response = lambda *a, **k: None
autograder.protocol.codec.compare = lambda *a, **k: None
for path in ["/grader/autograder/checking/compare.py", "/grader/autograder/protocol/calls.py",
             autograder.protocol.calls.__file__, "@ROOT@/autograder/checking/compare.py"]:
    try:
        with open(path, "a") as f:
            f.write("\ncompare = lambda *a, **k: None\n")
    except OSError:
        pass'''

LIAR = r'''import numpy as np


class Liar:
    """Equal to everything, an ndarray by its own account, the right values when asked."""
    def __init__(self, values):
        self.values = values
    __class__ = property(lambda self: np.ndarray)
    __array_interface__ = property(lambda self: self.values.__array_interface__)
    shape = property(lambda self: self.values.shape)
    dtype = property(lambda self: self.values.dtype)
    def __array__(self, dtype=None, copy=None):
        return self.values
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def __repr__(self):
        return repr(self.values)


def hadamard(A, B):
    return Liar(A * B)'''

SUBCLASS = r'''import numpy as np


class Always(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), bool)
    def __ne__(self, other):
        return np.zeros(np.shape(self), bool)


def hadamard(A, B):
    return (A * B).view(Always)'''

FLOAT_LIAR = r'''import numpy as np


class Close(float):
    def __eq__(self, other):
        return True
    __hash__ = float.__hash__


def frobenius_inner(A, B):
    return Close(np.sum(A + B))'''

PICKLES = r'''import os, pickle
import numpy as np


class Payload:
    def __reduce__(self):
        return (os.system, ("touch @HOSTMARK@",))


def hadamard(A, B):
    if A.shape == B.shape == (2, 3):
        return pickle.dumps(A * B)
    if A.shape == (3, 3):
        return pickle.dumps(Payload())
    if A.shape == (5,):
        return np.array([Payload()] * 5, dtype=object)
    return Payload()'''

CASES = [
    Hostile("read-secret", "opens the solutions and references, globs for notebooks "
                           "everywhere, reads ../../ other students",
            (READ_SOLUTIONS, USE_LEAK), WRONG_SCORE),
    Hostile("import-refs", "imports the grader's references (sys.path, importlib, a file "
                           "location)", (IMPORT_REFERENCES, USE_LEAK), WRONG_SCORE),
    Hostile("network", "connects to a listener on the grader's host, and to the internet",
            (NETWORK, USE_LEAK), WRONG_SCORE),
    Hostile("patch-numpy", "np.allclose, np.isclose, np.array_equal, ndarray.__eq__ patched",
            (PATCH_NUMPY, WRONG), WRONG_SCORE),
    Hostile("patch-grader", "the grader's modules patched, and written to",
            (PATCH_GRADER, WRONG), WRONG_SCORE),
    # An object that says it equals everything, and that it is an ndarray with the right
    # values: not a plain array, so no value check passes; only (2, 3) * (3, 2) raising
    # ValueError does, as for an honest A * B.
    Hostile("liar", "__eq__, __class__, __array__, __array_interface__ that lie",
            (LIAR,), 0.25, feedback="should be a NumPy array, but it is"),
    # The right values in an ndarray subclass: the same, and the 0-d case passes because a
    # NumPy scalar's view() is a plain NumPy scalar again.
    Hostile("subclass", "an ndarray subclass whose == is always true",
            (SUBCLASS,), 0.416667, feedback="a subclass of ndarray"),
    # Not a float, so no value check passes; A + B still raises ValueError for (2, 3) with
    # (3, 2), as the honest float(np.sum(A + B)) does (which also gets the empty case).
    Hostile("float-liar", "a float subclass equal to everything",
            (FLOAT_LIAR,), 0.25, exercise="frobenius_inner",
            feedback="should be a Python float, but it is"),
    Hostile("pickles", "pickled bytes, an object whose __reduce__ runs a command, "
                       "an object array of them",
            (PICKLES,), 0),
]
