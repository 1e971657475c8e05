"""The class report: one self-contained HTML page for the instructor, its figures embedded
as PNG data, made from a grade run's output folder:

    python -m autograder report grading-results [--roster roster.csv]
    # → grading-results/class-report.html

It shows the score distribution of each assignment, each exercise's pass rate, the known
mistakes the checks named most often (with one example message, which names no student),
the submissions that could not be graded or whose calls were stopped, and a table of
students. Plots use the Okabe-Ito palette, whose colours stay apart for the common kinds of
colour blindness; each figure's numbers are also in a table. Nothing in the page depends on
time, so the same results give the same bytes.
"""
import base64
import html
import io
import statistics
import textwrap
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from autograder.checking.feedback import failed_check, points_text
from autograder.checking.results import Row
from autograder.files import write_atomically
from autograder.reports.class_stats import (
    common_mistakes,
    exercise_stats,
    hand_graded_score,
    hand_graded_stats,
    load,
    problems,
    score_sheet,
    scores_by_assignment,
)
from autograder.reports.roster import Student
from autograder.reports.run_reports import by_hand_text

CLASS_REPORT = "class-report.html"
# Okabe & Ito (2008), "Color Universal Design".
BLUE, ORANGE, VERMILLION, GREY = "#0072B2", "#E69F00", "#D55E00", "#999999"
TOP_MISTAKES = 10
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 64em; margin: 2em auto; padding: 0 1em;
       color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border-bottom: 1px solid #ddd; padding: .3em .7em; text-align: left;
         vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; }
figure img { max-width: 100%; height: auto; }
pre { background: #f6f6f6; padding: .6em; white-space: pre-wrap; margin: .3em 0; }
.muted { color: #666; }
"""


class _Html(str):
    """Markup already escaped, put in a table cell as it is."""


def _cell(value, tag: str) -> str:
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    text = value if isinstance(value, _Html) else html.escape(
        points_text(value) if numeric else str(value))
    return f'<{tag} class="n">{text}</{tag}>' if numeric else f"<{tag}>{text}</{tag}>"


def _table(header, rows, *, label: str) -> str:
    head = "".join(_cell(h, "th") for h in header)
    body = "\n".join("<tr>" + "".join(_cell(v, "td") for v in row) + "</tr>" for row in rows)
    return (f'<table aria-label="{html.escape(label)}">\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody>\n</table>")


def _figure(figure: Figure, *, alt: str) -> str:
    """The figure as an <img> with its PNG inline (no Software entry: same bytes each time)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    width, height = (round(x * 100) for x in figure.get_size_inches())
    return (f'<figure><img src="data:image/png;base64,{data}" width="{width}" '
            f'height="{height}" alt="{html.escape(alt)}"></figure>')


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _score_histogram(scores) -> Figure:
    figure = Figure(figsize=(6.4, 2.6), layout="constrained")
    axes = figure.add_subplot()
    axes.hist(scores.scores, bins=np.linspace(0, scores.max_score, 11), color=BLUE,
              edgecolor="white")
    mean = statistics.fmean(scores.scores)
    axes.axvline(mean, color=VERMILLION, linestyle="--", label=f"mean {mean:.2f}")
    axes.set_xlim(0, scores.max_score)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(f"score (of {points_text(scores.max_score)} points)")
    axes.set_ylabel("submissions")
    axes.set_title(scores.assignment, loc="left")
    axes.legend(frameon=False)
    return figure


def _scores_section(submissions) -> str:
    parts = ["<h2>Scores</h2>"]
    rows = []
    for scores in scores_by_assignment(submissions):
        if scores.scores:
            parts.append(_figure(_score_histogram(scores),
                                 alt=f"Histogram of the scores of {scores.assignment}"))
            rows.append([scores.assignment, len(scores.scores), scores.errors,
                         round(statistics.fmean(scores.scores), 2),
                         statistics.median(scores.scores), min(scores.scores),
                         max(scores.scores), scores.max_score])
        else:
            rows.append([scores.assignment, 0, scores.errors, "-", "-", "-", "-", "-"])
    parts.append(_table(["assignment", "graded", "not graded", "mean", "median", "lowest",
                         "highest", "points"], rows, label="Scores per assignment"))
    return "\n".join(parts)


def _pass_rate_chart(stats) -> Figure:
    figure = Figure(figsize=(7.2, 0.32 * len(stats) + 1.3), layout="constrained")
    axes = figure.add_subplot()
    y = np.arange(len(stats))[::-1]  # the course's first exercise at the top
    full = [100 * s.full_marks / s.graded for s in stats]
    mean = [100 * s.mean_score / s.max_score if s.max_score else 0 for s in stats]
    axes.barh(y + 0.2, full, height=0.4, color=BLUE, label="full marks")
    # Hatched as well as coloured, so the two bars differ in grey print too.
    axes.barh(y - 0.2, mean, height=0.4, color=ORANGE, hatch="//", edgecolor="white",
              label="mean score")
    for i in range(1, len(stats)):  # a line between assignments
        if stats[i].assignment != stats[i - 1].assignment:
            axes.axhline(y[i] + 0.5, color=GREY, linewidth=0.6)
    axes.set_yticks(y, [s.name for s in stats])
    axes.set_xlim(0, 100)
    axes.xaxis.set_major_formatter(PercentFormatter())
    axes.set_xlabel("of the graded submissions")
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1), frameon=False, ncols=2)
    return figure


def _exercises_section(submissions) -> str:
    stats = exercise_stats(submissions)
    if not stats:
        return "<h2>Exercises</h2>\n<p>No submission was graded.</p>"
    rows = [[s.name, s.assignment, s.graded, _percent(s.full_marks, s.graded),
             round(s.mean_score, 2), s.max_score, _percent(s.checks_passed, s.checks_run),
             s.not_done] for s in stats]
    return "\n".join([
        "<h2>Exercises</h2>",
        "<p>Full marks: the share of graded submissions that passed every check of the "
        "exercise. Mean score: its average score, as a share of its points.</p>",
        _figure(_pass_rate_chart(stats), alt="Bar chart of each exercise's share of full "
                                              "marks and mean score"),
        _table(["exercise", "assignment", "graded", "full marks", "mean score", "points",
                "checks passed", "not attempted"], rows, label="Exercises")])


def _mistakes_chart(mistakes) -> Figure:
    shown = mistakes[:TOP_MISTAKES]
    figure = Figure(figsize=(7.2, 0.6 * len(shown) + 1.0), layout="constrained")
    axes = figure.add_subplot()
    y = np.arange(len(shown))[::-1]
    bars = axes.barh(y, [m.submissions for m in shown], color=VERMILLION)
    axes.bar_label(bars, padding=3)
    labels = [textwrap.fill(textwrap.shorten(f"{m.exercise}: {m.name}", 84, placeholder=" …"),
                            42) for m in shown]
    axes.set_yticks(y, labels, fontsize=9)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("submissions")
    axes.margins(x=0.1)
    return figure


def _mistakes_section(submissions) -> str:
    mistakes = common_mistakes(submissions)
    if not mistakes:
        return "<h2>Common mistakes</h2>\n<p>No check named a known mistake.</p>"
    rows = [[m.name, m.exercise, m.submissions,
             _Html("<details><summary>example</summary><pre>"
                   + html.escape(textwrap.dedent("\n".join(failed_check(m.example))))
                   + "</pre></details>")] for m in mistakes]
    charted = f" (the chart: the {TOP_MISTAKES} most frequent)" \
        if len(mistakes) > TOP_MISTAKES else ""
    return "\n".join([
        "<h2>Common mistakes</h2>",
        f"<p>The known mistakes that the checks named, by how many submissions made them"
        f"{charted}. Each example is a message as a student got it.</p>",
        _figure(_mistakes_chart(mistakes), alt="Bar chart of the most common mistakes"),
        _table(["mistake", "exercise", "submissions", "example"], rows,
               label="Common mistakes")])


def _by_hand_section(submissions, *, from_gradebook: bool) -> str:
    stats = hand_graded_stats(submissions)
    if not stats:
        return ""
    rows = [[s.assignment, s.grade_id, s.max_score, s.submissions, len(s.scores), s.pending,
             round(statistics.fmean(s.scores), 2) if s.scores else "-"] for s in stats]
    source = ("Grades as nbgrader's gradebook holds them." if from_gradebook else
              "Grades are read from nbgrader's gradebook with --nbgrader-course; without "
              "it an answer is pending until then, unless left unanswered (0).")
    return "\n".join([
        "<h2>Graded by hand</h2>",
        f"<p>Written answers, graded in nbgrader's formgrader: their points are not in "
        f"the scores above. Pending: no grade yet. {html.escape(source)}</p>",
        _table(["assignment", "answer", "points", "submissions", "graded", "pending",
                "mean score"], rows, label="Graded by hand")])


def _problems_section(submissions) -> str:
    found = problems(submissions)
    if not found:
        return "<h2>Not graded or stopped</h2>\n<p>Every submission was graded in full.</p>"
    rows = [[p.row.student or "-", p.row.assignment or "-",
             "not graded" if not p.row.graded else "graded, calls stopped",
             p.reason, p.row.path] for p in found]
    return "\n".join([
        "<h2>Not graded or stopped</h2>",
        "<p>Submissions that could not be graded (they score 0 until graded again), and "
        "graded ones in which calls of the student's functions were stopped (a time limit, "
        "or the notebook's process dying); their checks failed.</p>",
        _table(["student", "assignment", "what happened", "why", "path"], rows,
               label="Not graded or stopped")])


def _students_section(submissions, roster: dict[str, Student]) -> str:
    book = score_sheet(submissions, roster)
    with_sections = any(student.section for student in book.students)
    header = ["student", "id", *(["section"] if with_sections else []), *book.assignments,
              "total"]
    # The total adds the points graded by hand so far to the checks' scores.
    rows = []
    for student in book.students:
        cells, total = [], 0.0
        for assignment in book.assignments:
            submission: Row | None = book.cells.get((student.id, assignment))
            if submission is None:
                cells.append("no submission")
            elif not submission.graded:
                cells.append("not graded")
            else:
                by_hand = by_hand_text(submission)
                cells.append(f"{points_text(submission.score)}/"
                             f"{points_text(submission.max_score)}"
                             + (f"; {by_hand}" if by_hand else ""))
                total += submission.score + hand_graded_score(submission)
        rows.append([student.display_name, student.id,
                     *([student.section] if with_sections else []), *cells, total])
    notes = "".join(f"<li>{html.escape(note)}</li>" for note in book.notes)
    return "\n".join(["<h2>Students</h2>", _table(header, rows, label="Students"),
                      f'<ul class="muted">{notes}</ul>' if notes else ""])


def render(submissions: list[Row], roster: dict[str, Student], *, title: str,
           from_gradebook: bool = False) -> str:
    graded = sum(s.graded for s in submissions)
    students = {s.student for s in submissions if s.student}
    summary = (f"{len(submissions)} submissions from {len(students)} students: {graded} "
               f"graded, {len(submissions) - graded} not graded.")
    sections = [_scores_section(submissions), _exercises_section(submissions),
                _mistakes_section(submissions),
                _by_hand_section(submissions, from_gradebook=from_gradebook),
                _problems_section(submissions), _students_section(submissions, roster)]
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f"<h1>{html.escape(title)}</h1>\n<p>{summary}</p>\n"
            + "\n".join(section for section in sections if section)
            + "\n</body>\n</html>\n")


def write_class_report(out: Path, roster: dict[str, Student], *,
                       course: Path | None = None) -> Path:
    """Write `out`/class-report.html from the grade run's results in `out`, with the grades
    given by hand in the gradebook of the nbgrader course at `course`, if given; return
    its path."""
    from autograder.exports.nbgrader_gradebook import with_hand_grades

    out = Path(out)
    path = out / CLASS_REPORT
    submissions = load(out)
    if course is not None:
        submissions = with_hand_grades(submissions, course=course)
    write_atomically(path, render(submissions, roster,
                                  title=f"Class report: {out.resolve().name}",
                                  from_gradebook=course is not None))
    return path
