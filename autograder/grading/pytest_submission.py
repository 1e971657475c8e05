"""The kit's checks on a submitted notebook, run by plain pytest, for instructors who want
pytest's own output (-v, -x, -k) while looking into one submission:

    pytest -p autograder.grading.pytest_submission --submission path/to/notebook.ipynb \
        autograder/checks/test_hadamard.py

The notebook's code runs sandboxed, as in `python -m autograder grade`.
"""
from pathlib import Path

from autograder.checking.plugin import ChecksPlugin
from autograder.grading.notebooks import read
from autograder.sandbox.notebook_process import NotebookProcess
from autograder.sandbox.starter import Sandbox


def pytest_addoption(parser):
    parser.addoption("--submission", help="grade this notebook with the kit's checks")


def pytest_configure(config):
    submission = config.getoption("submission", None)
    if submission and not config.pluginmanager.has_plugin("autograder-checks"):
        sandbox = Sandbox()
        process = NotebookProcess(read(Path(submission)), sandbox)
        config.add_cleanup(sandbox.close)
        config.add_cleanup(process.close)
        config.pluginmanager.register(ChecksPlugin(process), "autograder-checks")
