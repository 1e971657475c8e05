"""The class report: what it computes from a graded class, and the page itself, rendered in
Chromium (figures decoded, tables there, nothing fetched from anywhere).

With UPDATE_DOCS_SCREENSHOTS=1, the Chromium test also saves the README's screenshots,
docs/class-report.png and docs/feedback.png."""
import importlib
import os
import re
import shutil
from pathlib import Path

import pytest

from autograder.checking.course import REGISTRY
from autograder.checking.feedback import advice, check_details
from autograder.checking.mistakes import Mistake
from autograder.checking.results import (
    CheckResult,
    ExerciseResult,
    HandGraded,
    KnownMistake,
    Row,
    Status,
    Stop,
)
from autograder.cli import main
from autograder.reports.class_report import render
from autograder.reports.class_stats import (
    common_mistakes,
    exercise_stats,
    hand_graded_stats,
    load,
    problems,
    scores_by_assignment,
)

ROOT = Path(__file__).resolve().parents[1]
MATRIX_PRODUCT = "a matrix product (A @ B) instead of the Hadamard product"
# facts.md: Debian's Chromium, driven by pip's playwright, on these machines.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def mistake_named(hint: str | None) -> str | None:
    """The name of the known mistake that a hint names (as feedback.advice writes it), or
    None: where a reader of the feedback sees the name end. A name never holds ". ", so the
    first ". " ends it."""
    found = re.match(r"Likely mistake: (.+?)\.(?: |$)", hint or "")
    return found.group(1) if found else None


def test_every_known_mistake_is_named_back_from_its_advice():
    """The feedback names each known mistake whole: each name must parse back from it."""
    mistakes = []
    for name in REGISTRY:
        module = importlib.import_module(f"autograder.checks.test_{name}")
        found = [v for v in vars(module).values() if isinstance(v, Mistake)]
        mistakes += [(m, name) for m in found + list(getattr(module, "MISTAKES", []))]
    assert len(mistakes) > 100
    for mistake, exercise in mistakes:
        assert mistake_named(advice(mistake.known(), exercise)) == mistake.name
        assert mistake_named(advice(mistake.known(), exercise) + " Check the arguments first.") \
            == mistake.name
    assert mistake_named("Leave the inputs alone: compute into a new array.") is None
    assert mistake_named(None) is None


def _check(exercise, status, message="", **facts) -> CheckResult:
    return CheckResult(exercise, "a case", 1.0, False, Status(status), message, **facts)


def test_calls_stopped_by_a_time_limit_are_listed_with_the_errors():
    time_limit = "the call did not return within 10 s (an infinite loop?)"
    gone = "not run: the submission's 60 s were used up"
    stuck = Row("submitted/gus/01-definition/definition.ipynb", "gus", "01-definition",
                {"hadamard": ExerciseResult("hadamard", [
                    _check("hadamard", "passed"),
                    _check("hadamard", "failed", f"it raised TimeoutError: {time_limit}",
                           stopped=Stop.TIME_LIMIT, stopped_because=time_limit),
                    _check("hadamard", "failed", f"it raised ProcessStopped: {gone}",
                           stopped=Stop.PROCESS_GONE, stopped_because=gone)])})
    fine = Row("submitted/hal/01-definition/definition.ipynb", "hal", "01-definition",
               {"hadamard": ExerciseResult("hadamard", [
                   _check("hadamard", "failed", "result: 1 of 4 entries differ",
                          mistake=KnownMistake(MATRIX_PRODUCT, "Multiply."))])})
    [problem] = problems([stuck, fine])
    assert problem.row is stuck
    assert problem.reason == ("hadamard: 2 of 3 checks stopped (the call did not return "
                              "within 10 s (an infinite loop?))")


def test_written_answers_show_their_grades_and_the_total_counts_those_given():
    """ann's answer has its grade, ben's waits for one, cat left hers as released (0)."""
    def row(student, score):
        return Row(f"submitted/{student}/01-definition/definition.ipynb", student,
                   "01-definition",
                   {"hadamard": ExerciseResult("hadamard", [_check("hadamard", "passed")])},
                   by_hand=(HandGraded("written_orthogonal", 2.0, score),))
    rows = [row("ann", 1.5), row("ben", None), row("cat", 0.0)]
    [stats] = hand_graded_stats(rows)
    assert (stats.grade_id, stats.submissions, stats.scores, stats.pending) == \
        ("written_orthogonal", 3, [1.5, 0.0], 1)
    page = render(rows, {}, title="a class", from_gradebook=True)
    assert ('<tr><td>01-definition</td><td>written_orthogonal</td><td class="n">2</td>'
            '<td class="n">3</td><td class="n">2</td><td class="n">1</td>'
            '<td class="n">0.75</td></tr>') in page
    assert '<td>1/1; graded by hand: 1.5/2 points</td><td class="n">2.5</td>' in page
    assert '<td>1/1; graded by hand: 2 points pending</td><td class="n">1</td>' in page
    assert "Grades as nbgrader&#x27;s gradebook holds them." in page


@pytest.mark.slow
def test_the_statistics_of_a_graded_class(graded_class):
    submissions = load(graded_class / "results")
    assert len(submissions) == 9
    scores = {s.assignment: s for s in scores_by_assignment(submissions)}
    assert list(scores) == ["01-definition", "02-broadcasting"]
    assert scores["01-definition"].errors == 1 and len(scores["01-definition"].scores) == 4
    assert scores["01-definition"].max_score == 13.25
    assert max(scores["01-definition"].scores) == 13.25 and min(scores["01-definition"].scores) == 0
    stats = {s.name: s for s in exercise_stats(submissions)}
    assert list(stats)[:4] == ["hadamard_lists", "hadamard", "hadamard_all", "frobenius_inner"]
    # ada alone gets full marks for the exercise that cy and dee got wrong; bob did nothing.
    assert (stats["hadamard"].graded, stats["hadamard"].full_marks,
            stats["hadamard"].not_done) == (4, 1, 1)
    assert (stats["hadamard_all"].full_marks, stats["hadamard_all"].not_done) == (3, 1)
    mistakes = common_mistakes(submissions)
    assert [(m.exercise, m.submissions) for m in mistakes] == [("hadamard", 2), ("scale_rows", 2)]
    assert mistakes[0].name == MATRIX_PRODUCT
    hint = check_details(mistakes[0].example)[-1]  # the advice, below the call and message
    assert hint.startswith(f"Likely mistake: {MATRIX_PRODUCT}.")
    written = {(s.assignment, s.grade_id): (s.max_score, s.submissions, s.scores, s.pending)
               for s in hand_graded_stats(submissions)}
    assert written == {("01-definition", "written_orthogonal"): (2.0, 4, [0.0], 3),
                       ("02-broadcasting", "written_centering"): (2.0, 4, [0.0], 3)}
    [broken] = problems(submissions)
    assert broken.row.student == "eve" and broken.reason.startswith("the notebook is not "
                                                                    "valid JSON")


@pytest.fixture(scope="module")
def report(graded_class) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(graded_class)
        assert main(["report", "results", "--roster", "roster.csv"]) == 0
    return graded_class / "results" / "class-report.html"


@pytest.mark.slow
def test_the_report_is_one_self_contained_page_that_a_rerun_rewrites_identically(
        report, graded_class, capsys):
    page = report.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)=["'](?!data:)""", page)  # nothing to fetch
    assert page.count('<img src="data:image/png;base64,') == 4
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(graded_class)
        assert main(["report", "results", "--roster", "roster.csv"]) == 0
    assert capsys.readouterr().out == "wrote results/class-report.html\n"
    assert report.read_text() == page


@pytest.mark.slow
def test_a_folder_without_results_is_refused(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 1
    assert "has no report.json" in capsys.readouterr().err


@pytest.fixture(scope="module")
def chromium():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("chromium is not installed (`make system` installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _table(page, label: str) -> list[list[str]]:
    return page.eval_on_selector(
        f'table[aria-label="{label}"]',
        "t => [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim()))")


def _screenshot(page, name: str, tmp_path: Path, *, full_page: bool):
    """A screenshot of the page; into docs/ as well when UPDATE_DOCS_SCREENSHOTS is set."""
    path = tmp_path / name
    page.screenshot(path=path, full_page=full_page)
    assert path.read_bytes().startswith(b"\x89PNG")
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS"):
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(path, ROOT / "docs" / name)


@pytest.mark.slow
def test_the_report_in_chromium_shows_its_figures_and_tables(report, chromium, graded_class,
                                                             tmp_path):
    page = chromium.new_page(viewport={"width": 1100, "height": 900})
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(report.as_uri())
    images = page.eval_on_selector_all(
        "img", "all => all.map(i => [i.complete, i.naturalWidth, i.naturalHeight, i.alt])")
    assert len(images) == 4
    assert all(complete and width > 0 and height > 0 and alt
               for complete, width, height, alt in images)
    assert [url for url in fetched if not url.startswith("data:")] == [report.as_uri()]

    scores = _table(page, "Scores per assignment")
    assert scores[0] == ["assignment", "graded", "not graded", "mean", "median", "lowest",
                         "highest", "points"]
    assert [row[:3] for row in scores[1:]] == [["01-definition", "4", "1"],
                                               ["02-broadcasting", "4", "0"]]
    exercises = _table(page, "Exercises")
    assert ["hadamard", "01-definition", "4", "25%"] == exercises[2][:4]
    mistakes = _table(page, "Common mistakes")
    assert mistakes[1][:3] == [MATRIX_PRODUCT, "hadamard", "2"]
    page.click("summary >> nth=0")  # the example opens, and names no student
    example = page.inner_text("details[open] pre")
    assert example.startswith("✗ ") and f"Likely mistake: {MATRIX_PRODUCT}." in example
    assert not re.search(r"\b(cy|dee)\b", example)
    problems_table = _table(page, "Not graded or stopped")
    assert problems_table[1][:3] == ["eve", "01-definition", "not graded"]
    assert "not valid JSON" in problems_table[1][3]
    students = _table(page, "Students")
    assert students[0] == ["student", "id", "section", "01-definition", "02-broadcasting",
                           "total"]
    pending = "graded by hand: 2 points pending"
    assert students[1] == ["Lovelace, Ada", "ada", "Section A", f"13.25/13.25; {pending}",
                           f"18/18; {pending}", "31.25"]
    assert students[2][3] == "0/13.25; graded by hand: 0/2 points"  # bob answered nothing
    by_hand = _table(page, "Graded by hand")
    assert by_hand == [["assignment", "answer", "points", "submissions", "graded", "pending",
                        "mean score"],
                       ["01-definition", "written_orthogonal", "2", "4", "1", "3", "0"],
                       ["02-broadcasting", "written_centering", "2", "4", "1", "3", "0"]]
    assert students[4][:5] == ["Fay Wray", "fay", "Section B", "no submission",
                               "no submission"]
    assert [row[1] for row in students[5:]] == ["dee", "eve"]
    assert "not in the roster, so without LMS ids: dee, eve" in page.inner_text("body")
    page.click("summary >> nth=0")  # closed again for the screenshot
    _screenshot(page, "class-report.png", tmp_path, full_page=True)

    page.goto((graded_class / "results/feedback/cy/01-definition/definition.html").as_uri())
    assert "Likely mistake: a matrix product" in page.inner_text("body")
    _screenshot(page, "feedback.png", tmp_path, full_page=False)  # the top tells enough
    page.close()
