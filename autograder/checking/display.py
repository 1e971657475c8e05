"""A check cell's report in a notebook: HTML in JupyterLab, with its plain-text twin (the text
of autograder.checking.feedback, which feedback files use), and the one-line exception that
makes the cell fail without a traceback into the kit.

The HTML is made from the results' facts with feedback's wording; everything in it that a
student's code can reach (its output, values' reprs, exception messages) is escaped.
"""
import importlib
import sys
from html import escape
from typing import Any

from autograder.checking.feedback import (
    FAIL,
    LIKELY,
    PASS,
    exercise_feedback,
    mistake_advice,
    one_line_report,
    public_share_line,
    summary_line,
    verdict,
)
from autograder.checking.results import CheckResult, ExerciseResult

# Inline styles: the report has no stylesheet of its own. JupyterLab's theme colours, with
# fallbacks for other front ends.
PASSED_STYLE = "color: var(--jp-success-color1, #1a7f37); font-weight: bold"
FAILED_STYLE = "color: var(--jp-error-color1, #cf222e); font-weight: bold"
NOTE_STYLE = "color: var(--jp-ui-font-color2, #57606a)"
DETAILS_STYLE = "margin: 0.15em 0 0.5em 1.5em"


class ChecksNotPassed(AssertionError):
    """A check cell whose checks did not all pass. Its cell fails (nbgrader's Validate and
    nbclient see an error output), and IPython shows this one line instead of a traceback."""

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


class Report:
    """One exercise's check-cell report: IPython shows its HTML, or else its text."""

    def __init__(self, result: ExerciseResult) -> None:
        self.result = result
        self.text = exercise_feedback(result)

    def __str__(self) -> str:
        return self.text

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # text/plain
        printer.text(self.text)

    def _repr_html_(self) -> str:
        return report_html(self.result)

    @property
    def passed(self) -> bool:
        return bool(self.result.checks) and all(c.passed for c in self.result.checks)

    def show(self) -> None:
        """Display the report in IPython (a one-line report is printed: it needs no HTML);
        print it anywhere else."""
        if not in_ipython() or one_line_report(self.result) is not None:
            print(self.text)
            return
        importlib.import_module("IPython.display").display(self)

    def failure(self) -> ChecksNotPassed:
        return ChecksNotPassed(verdict(self.result))


def in_ipython() -> bool:
    """Whether this runs in an IPython shell (a kernel); never imports IPython to ask."""
    ipython = sys.modules.get("IPython")
    return ipython is not None and ipython.get_ipython() is not None


def report_html(result: ExerciseResult) -> str:
    """The report as HTML: the summary, what the public checks are worth, ✓/✗ per check and
    a failed check's details."""
    short = one_line_report(result)
    if short is not None:
        return f"<div>{escape(short)}</div>"
    share = public_share_line(result)
    parts = ['<div class="autograder-report">',
             f"<div><strong>{escape(summary_line(result))}</strong></div>"]
    if share:
        parts.append(f'<div style="{NOTE_STYLE}">{escape(share)}</div>')
    parts.append('<ul style="list-style: none; margin: 0.4em 0 0; padding-left: 0.5em">')
    parts += [_check_html(check) for check in result.checks]
    parts.append("</ul></div>")
    return "\n".join(parts)


def _check_html(check: CheckResult) -> str:
    if check.passed:
        return f'<li><span style="{PASSED_STYLE}">{PASS}</span> {escape(check.title)}</li>'
    details = []
    if check.context:  # the call that failed, with its inputs
        details.append(f'<div><code style="white-space: pre-wrap">{escape(check.context)}'
                       f"</code></div>")
    if check.message:  # what was expected and what came back
        details.append(f"<div>{escape(check.message)}</div>")
    if check.mistake:
        details.append(f"<div><strong>{escape(LIKELY)}</strong> "
                       f"{escape(mistake_advice(check.mistake, check.exercise))}</div>")
    if check.hint:
        details.append(f"<div>{escape(check.hint)}</div>")
    return (f'<li><span style="{FAILED_STYLE}">{FAIL}</span> <strong>{escape(check.title)}'
            f'</strong><div style="{DETAILS_STYLE}">{"".join(details)}</div></li>')
