"""What a run leaves for the instructor, made from the rows alone (so merging shards writes
exactly what one run over everything would):

    <out>/report.json                 the contract's JSON document, as `--json` prints it
    <out>/gradebook.csv               a row per submission, a column per exercise
    <out>/feedback/<student>/<assignment>/<notebook>.md (or .html)   a page per submission

and the summary table printed at the end of a run.
"""
import html
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from autograder.checking.course import REGISTRY
from autograder.checking.errors import KitError
from autograder.checking.feedback import exercise_feedback, points_text, submission_feedback
from autograder.checking.results import Row, total
from autograder.files import csv_text, json_text, write_atomically
from autograder.grading.store import submission_id

REPORT = "report.json"
GRADEBOOK = "gradebook.csv"
FEEDBACK = "feedback"
FEEDBACK_FORMATS = {"markdown": ".md", "html": ".html"}


def in_report_order(rows) -> list[Row]:
    """Rows sorted by path (component by component, as a folder listing is), whatever
    order they were graded or merged in."""
    return sorted(rows, key=lambda row: Path(row.path).parts)


def contract_row(row: Row) -> dict:
    """The row in the shape of the course contract's JSON (../shared/course-spec.md), and
    its cells graded by hand (score null: pending), whose points are not in its score."""
    return {"path": row.path, "student": row.student, "assignment": row.assignment,
            "status": row.status, "error": row.error, "score": row.score,
            "max_score": row.max_score, "cells_run": "all" if row.every_cell else "needed",
            "exercises": {name: {"score": e.score, "max_score": e.max_score,
                                 "feedback": exercise_feedback(e)}
                          for name, e in row.exercises.items()},
            "graded_by_hand": {cell.grade_id: {"max_score": cell.max_score,
                                               "score": cell.score}
                               for cell in row.by_hand}}


def by_hand_text(row: Row) -> str:
    """"graded by hand: 1/2 points, 2 points pending", or "" without such cells."""
    graded = [cell for cell in row.by_hand if not cell.pending]
    pending = total(cell.max_score for cell in row.by_hand if cell.pending)
    parts = []
    if graded:
        parts.append(f"{points_text(total(cell.score or 0 for cell in graded))}/"
                     f"{points_text(total(cell.max_score for cell in graded))} points")
    if pending:
        parts.append(f"{points_text(pending)} points pending")
    return "graded by hand: " + ", ".join(parts) if parts else ""


def by_hand_blocks(row: Row) -> list[tuple[str, str]]:
    """The feedback page's part on the answers a person grades."""
    if not row.by_hand:
        return []
    lines = [f"{cell.grade_id}: " + (f"pending, {points_text(cell.max_score)} points"
                                     if cell.score is None else
                                     f"{points_text(cell.score)}/{points_text(cell.max_score)}"
                                     f" points") for cell in row.by_hand]
    return [("heading", "Written answers, graded by hand"),
            ("text", "Your instructor grades these; their points are not in the score "
                     "above."),
            ("report", "\n".join(lines))]


def json_document(rows) -> str:
    return json_text({"submissions": [contract_row(row) for row in rows]})


def read_report(out: Path) -> list[str]:
    """The paths of the notebooks a grade run's report holds, in its order."""
    return [str(row["path"]) for row in read_report_rows(out)]


def read_report_rows(out: Path) -> list[dict]:
    """The rows of a grade run's report, as its JSON has them, in its order."""
    try:
        document = json.loads((Path(out) / REPORT).read_text(encoding="utf-8"))
        return [dict(row, path=str(row["path"])) for row in document["submissions"]]
    except FileNotFoundError:
        raise KitError(f"{out} has no {REPORT}: is it the --out folder of a finished "
                       f"grade run? (an interrupted run writes it once it is resumed "
                       f"and finishes)") from None
    except (ValueError, KeyError, TypeError):
        raise KitError(f"{Path(out) / REPORT} is not a grade report") from None


def gradebook_csv(rows) -> str:
    """A row per submission (student, assignment), a column per exercise of the assignments
    graded (course order); an exercise cell is empty where the notebook was not graded."""
    assignments = {row.assignment for row in rows}
    exercises = [name for name, ex in REGISTRY.items() if ex.assignment in assignments]
    lines: list[list[str]] = [["student", "assignment", "status", "score", "max_score",
                               *exercises, "error", "path"]]
    for row in rows:
        scores = {name: points_text(e.score) for name, e in row.exercises.items()}
        lines.append([row.student or "", row.assignment or "", row.status,
                      points_text(row.score), points_text(row.max_score),
                      *(scores.get(name, "") for name in exercises), row.error or "",
                      row.path])
    return csv_text(lines)


def as_markdown(blocks) -> str:
    parts = []
    for kind, text in blocks:
        if kind == "report":  # a fence longer than any run of backticks inside
            fence = "`" * max([3, *(len(run) + 1 for run in re.findall("`+", text))])
            parts.append(f"{fence}text\n{text}\n{fence}")
        else:
            parts.append({"title": "# ", "heading": "## ", "text": ""}[kind] + text)
    return "\n\n".join(parts) + "\n"


def as_html(blocks) -> str:
    tags = {"title": "h1", "heading": "h2", "text": "p", "report": "pre"}
    title = html.escape(blocks[0][1])
    body = "\n".join(f"<{tags[kind]}>{html.escape(text)}</{tags[kind]}>"
                     for kind, text in blocks)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title}</title>\n<style>body {{ font-family: sans-serif; "
            f"max-width: 56em; margin: 2em auto; }} pre {{ background: #f6f6f6; "
            f"padding: 1em; white-space: pre-wrap; }}</style>\n</head>\n<body>\n{body}\n"
            f"</body>\n</html>\n")


def feedback_pages(rows, *, fmt: str) -> dict[Path, str]:
    """{path under feedback/: page}: nbgrader's feedback/<student>/<assignment>/ layout; a
    notebook outside it, or a second one with the same place, gets its id in the name."""
    render = as_html if fmt == "html" else as_markdown
    pages = {}
    for row in rows:
        path = Path(row.path)
        name = Path(row.student or "", row.assignment or "", path.stem + FEEDBACK_FORMATS[fmt])
        if not (row.student and row.assignment) or name in pages:
            name = name.with_stem(f"{path.stem}-{submission_id(path)}")
        pages[name] = render(submission_feedback(row) + by_hand_blocks(row))
    return pages


def write_reports(rows, out: Path, *, feedback: str = "markdown") -> str:
    """Write every report of `rows` into `out`; feedback pages of notebooks no longer in the
    rows are removed, so feedback/ always matches report.json. Returns report.json's text,
    which `--json` prints."""
    out = Path(out)
    document = json_document(rows)
    write_atomically(out / REPORT, document)
    write_atomically(out / GRADEBOOK, gradebook_csv(rows))
    pages = feedback_pages(rows, fmt=feedback) if feedback != "none" else {}
    for name, page in pages.items():
        try:
            write_atomically(out / FEEDBACK / name, page)
        except OSError as error:  # one page that cannot be written stops no other report
            print(f"warning: feedback page {name} was not written: {error.strerror}",
                  file=sys.stderr)
    for old in (out / FEEDBACK).rglob("*"):
        if old.is_file() and old.suffix in FEEDBACK_FORMATS.values() \
                and old.relative_to(out / FEEDBACK) not in pages:
            old.unlink()
    return document


def summary_table(rows) -> str:
    """A line per submission, then a line per assignment: how many, and the mean score."""
    lines = [f"{'student':<16} {'assignment':<20} {'score':>12}  status"]
    for row in rows:
        score = f"{points_text(row.score)}/{points_text(row.max_score)}"
        status = row.status if row.graded else f"error: {row.error}"
        if row.by_hand:
            status += f"; {by_hand_text(row)}"
        lines.append(f"{row.student or '-':<16} {row.assignment or '-':<20} "
                     f"{score:>12}  {status}")
    by_assignment = defaultdict(list)
    for row in rows:
        by_assignment[row.assignment or "-"].append(row)
    lines += ["", f"{'assignment':<20} {'graded':>7} {'errors':>7} {'mean score':>14}"]
    for assignment, group in sorted(by_assignment.items()):
        graded = [row for row in group if row.graded]
        mean = (f"{sum(r.score for r in graded) / len(graded):.2f}/"
                f"{points_text(graded[0].max_score)}") if graded else "-"
        lines.append(f"{assignment:<20} {len(graded):>7} {len(group) - len(graded):>7} "
                     f"{mean:>14}")
    return "\n".join(lines)
