"""What a submission can read from inside the sandbox: its own folder's copy, Python and its
packages, the grader's code that the protocol needs, and nothing else of the course."""
from pathlib import Path

import pytest

from autograder.grading.notebooks import read
from autograder.layout import ROOT
from autograder.sandbox.notebook_process import NotebookProcess
from autograder.sandbox.starter import Sandbox, bubblewrap_works

from .conftest import write_submission

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not bubblewrap_works(), reason="bubblewrap cannot run here")]

# Defined in the submission, called by the test as if it were an exercise: every readable
# file outside the system's own folders and Python's, by path.
WALKER = '''\
import os, sys

def readable_files():
    skip = ("/proc", "/sys", "/dev", "/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc")
    prefixes = tuple(sorted({sys.base_prefix, sys.prefix}))
    found = []
    for top, folders, files in os.walk("/"):
        if top.startswith(skip) or top.startswith(prefixes):
            folders[:] = []
            continue
        for name in files:
            path = os.path.join(top, name)
            if os.access(path, os.R_OK):
                found.append(path)
    return sorted(found)

def probe_attributes():
    import autograder.protocol.probes as probes
    return sorted(name for name in vars(probes) if not name.startswith("__"))
'''


# What the fork server's imports (matplotlib, IPython) leave in the sandbox's own /tmp.
CACHES = {("/", "tmp", ".cache"), ("/", "tmp", ".ipython")}


def test_the_sandbox_shows_nothing_of_the_course_but_the_students_own_folder(tmp_path):
    notebook = write_submission(tmp_path, "ivy", "01-definition", [WALKER])
    (notebook.parent / "data.csv").write_text("1,2\n")
    write_submission(tmp_path, "victim", "01-definition", kind="solution")
    sandbox = Sandbox()
    process = NotebookProcess(read(notebook), sandbox)
    try:
        call = process.call("readable_files", (), {})
        probes = process.call("probe_attributes", (), {}).result
    finally:
        process.close()
        sandbox.close()
    assert call.raised is None, call.raised
    seen = [Path(path) for path in call.result]
    own = [path for path in seen if path.name in (notebook.name, "data.csv")]
    assert own, seen                       # its own folder's copy is there ...
    grader = [path for path in seen if path.parts[:3] == ("/", "grader", "autograder")]
    caches = [path for path in seen if path.parts[:3] in CACHES or
              path.parent == Path("/tmp") and path.name.startswith("fontlist-")]
    others = [path for path in seen if path not in own + grader + caches]
    assert not others, "\n".join(map(str, others))  # ... and nothing else outside the system's
    staged = {path.relative_to("/grader/autograder").parts[0] for path in grader}
    assert staged <= {"__init__.py", "protocol", "sandbox"}, staged
    assert not any(str(path).startswith(str(ROOT)) for path in seen)
    # numerical_gradient's probe functions are there, and no expected gradient with them.
    assert "sum_of_squares" in probes and not any("GRADIENT" in name for name in probes)
