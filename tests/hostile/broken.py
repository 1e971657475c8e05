"""Files that are not readable notebooks, each at a notebook's place in submitted/: every one
gets an error row that says why (an nbformat 3 notebook is read and graded)."""
import json
import os
from collections.abc import Callable
from dataclasses import dataclass

from . import CORRECT, FULL_DEFINITION


@dataclass(frozen=True)
class Broken:
    student: str
    what: str
    write: Callable        # write(path): put the file at the notebook's path
    error: str             # part of the reason; "" for a graded row
    score: float = 0.0


def _text(text):
    return lambda path: path.write_text(text)


def _nbformat3(path):
    cell = {"cell_type": "code", "input": CORRECT, "language": "python", "outputs": [],
            "metadata": {}, "prompt_number": 1}
    path.write_text(json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": ""},
                                "worksheets": [{"cells": [cell], "metadata": {}}]}))


CASES = [
    Broken("empty", "an empty file", _text(""), "the file is empty"),
    Broken("truncated", "JSON cut short", _text('{"nbformat": 4, "cells": [{"cell_type": '),
           "not valid JSON"),
    Broken("garbage", "binary garbage", lambda path: path.write_bytes(bytes(range(256)) * 64),
           "not UTF-8"),
    Broken("not-nb", "JSON that is not a notebook", _text('{"hello": ["world"]}'),
           "not a Jupyter notebook"),
    Broken("json-list", "a JSON list", _text("[1, 2, 3]"), "not a Jupyter notebook"),
    Broken("nbformat99", "an unknown nbformat", _text('{"nbformat": 99, "cells": []}'),
           "unsupported notebook format version 99"),
    Broken("bad-source", "a cell whose source is a number",
           _text('{"nbformat": 4, "cells": [{"cell_type": "code", "source": 5}]}'),
           "neither text nor a list of lines"),
    Broken("deep-json", "JSON nested 100 000 deep",
           _text('{"nbformat": 4, "cells": ' + "[" * 100_000 + "]" * 100_000 + "}"),
           "nested too deeply"),
    Broken("huge", "a 21 MB notebook",
           _text('{"nbformat": 4, "cells": [], "pad": "' + "x" * (21 * 2**20) + '"}'),
           "notebooks over 20 MiB are not graded"),
    Broken("directory", "a directory named like the notebook", lambda path: path.mkdir(),
           "is a directory"),
    Broken("to-passwd", "a symlink to /etc/passwd", lambda path: path.symlink_to("/etc/passwd"),
           "symbolic link"),
    Broken("to-zero", "a symlink to /dev/zero", lambda path: path.symlink_to("/dev/zero"),
           "symbolic link"),
    Broken("fifo", "a named pipe nobody writes to", lambda path: os.mkfifo(path),
           "not a regular file"),
    Broken("nbformat3", "an nbformat 3 notebook with a correct answer", _nbformat3, "",
           FULL_DEFINITION),
]
