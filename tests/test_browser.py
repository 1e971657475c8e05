"""The student notebooks in a real browser: Debian's Chromium, driven by Playwright, against
JupyterLab started by `make lab` itself (on a copy of notebooks/, with test-only options).

What a student does, checked on screen: open each notebook (never a "Select Kernel"
dialog), Run All (the teaching outputs and figures render, every check cell says "not
implemented yet"), type an answer into an exercise's cell, run it and its check (✓ for a
right answer, the named mistake for a typical wrong one), and nbgrader's Validate button.
What an instructor does: grade a written answer by hand in nbgrader's formgrader, served by
`make lab` in a course folder, and find the grade in `nbgrader export`.

Screenshots go to artifacts/browser/ (not in git). With UPDATE_DOCS_SCREENSHOTS=1 the
screenshot the README shows is written again to docs/.
"""
import csv
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from autograder.checking.course import ASSIGNMENTS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "browser"
DOCS = ROOT / "docs"
CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip("no chromium: `make system` installs it (as root; Debian's package chromium)",
                allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402  (after the skip)

# Chromium as these machines run it: no sandbox as root, no GPU, no calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# JupyterLab's state goes to the test's own folders, never to ~/.jupyter or ~/.ipython.
ISOLATED_DIRS = ["JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR",
                 "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR"]
# Waits are for conditions; these are only their limits, generous for a loaded 2-core box.
SERVER_START_S = 120
OPEN_S = 120       # page load, kernel start, kernel idle
RUN_ALL_S = 240    # a whole notebook (05-performance times things)
CELL_S = 60        # one answer cell and its check
VALIDATE_S = 180   # nbgrader runs the whole notebook again, in a kernel of its own
POLL_MS = 100

NOT_IMPLEMENTED = "is not implemented yet"
RAN = re.compile(r"\[\d+\]")  # a prompt that shows an execution count
TRACEBACK = "Traceback (most recent call last)"


# ---------------------------------------------------------------- JupyterLab, via make lab

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server started by `make lab` on a copy of notebooks/, or, with `course`,
    in an nbgrader course folder (its root and working folder: formgrader reads its
    nbgrader_config.py from there)."""

    def __init__(self, base: Path, course: Path | None = None):
        self.base = base
        self.notebooks = base / "notebooks"
        self.course = course
        self.token = secrets.token_hex(16)
        self.log = base / "lab.log"
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}  # a make of our own
        for name in ISOLATED_DIRS:
            folder = base / name.lower()
            folder.mkdir()
            self.env[name] = str(folder)
        # No "news" notification asking to fetch news from the internet.
        notification = (Path(self.env["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyterlab"
                        / "apputils-extension" / "notification.jupyterlab-settings")
        notification.parent.mkdir(parents=True)
        notification.write_text(json.dumps({"fetchNews": "false"}))
        self.process = None
        self.port = None

    def start(self):
        for _ in range(3):  # a free port can be taken between its choice and the bind
            self.port = _free_port()
            options = ["--no-browser", "--ip=127.0.0.1", "--port-retries=0",
                       f"--ServerApp.token={self.token}", "--LabApp.news_url=None"]
            # `make lab` as a student runs it, with the test's notebooks folder, port and
            # options; -o: never reinstall the venv from here; BIN: this test's Python.
            where = ["-C", str(self.course), "-f", str(ROOT / "Makefile")] if self.course \
                else []
            command = ["make", "--no-print-directory", *where, "-o", ".venv/.installed", "lab",
                       f"BIN={Path(sys.executable).parent}",
                       f"LAB_DIR={self.course or self.notebooks}",
                       f"LAB_PORT={self.port}", "LAB_OPTIONS=" + " ".join(options)]
            with open(self.log, "ab") as log:
                self.process = subprocess.Popen(
                    command, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                    stderr=subprocess.STDOUT, start_new_session=True)  # a group of its own
            deadline = time.monotonic() + SERVER_START_S
            while time.monotonic() < deadline and self.process.poll() is None:
                try:
                    self.api("GET", "api/status", timeout=2)
                    return
                except OSError:
                    time.sleep(0.2)
            if self.process.poll() is None:
                self.stop()
                break
            if "already in use" not in self.log.read_text(errors="replace"):
                break
        raise AssertionError(f"JupyterLab did not start:\n{self.log.read_text()[-3000:]}")

    def api(self, method, path, timeout=10):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def url(self, path):
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"

    def shut_down_kernels(self):
        for session in self.api("GET", "api/sessions"):
            self.api("DELETE", f"api/sessions/{session['id']}")

    def _kernel_pids(self):
        """Kernels this server started: their command line names its runtime folder."""
        runtime = self.env["JUPYTER_RUNTIME_DIR"]
        pids = []
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                if runtime in (proc / "cmdline").read_bytes().decode(errors="replace"):
                    pids.append(int(proc.name))
            except OSError:
                pass
        return pids

    def stop(self):
        if self.process is None:
            return
        try:  # kernels run in sessions of their own: the server shuts them down
            self.api("POST", "api/shutdown", timeout=5)
            self.process.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            pass
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self.process.poll() is None:
                os.killpg(self.process.pid, sig)
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    pass
        for pid in self._kernel_pids():
            os.kill(pid, signal.SIGKILL)
        self.process = None

    def fresh_copy(self, assignment) -> str:
        """The released notebook again (no outputs, nothing typed); its path under the root."""
        notebook = ASSIGNMENTS[assignment][0]
        (self.notebooks / assignment).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / "notebooks" / assignment / notebook,
                        self.notebooks / assignment / notebook)
        return f"{assignment}/{notebook}"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab as `make lab` starts it, on a temporary copy of notebooks/: the tests type
    into notebooks and JupyterLab saves them; the repo's notebooks/ are never touched."""
    base = tmp_path_factory.mktemp("lab")
    server = Lab(base)
    shutil.copytree(ROOT / "notebooks", server.notebooks,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # this run's screenshots only
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, lab, request):
    """A new tab; when the test fails, its last view is saved as <test>-failed.png."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(OPEN_S * 1000)
    failed_before = request.session.testsfailed
    yield tab
    try:
        if request.session.testsfailed > failed_before:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=ARTIFACTS / f"{_slug(request.node.name)}-failed.png")
    finally:
        context.close()
        lab.shut_down_kernels()


def _slug(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


# ---------------------------------------------------------------- what the page shows

# "ready" once the notebook's kernel is named in its toolbar (it says "No Kernel" before)
# and the status bar says Idle; "select-kernel" as soon as that dialog shows.
KERNEL_STATE_JS = """() => {
  for (const dialog of document.querySelectorAll('.jp-Dialog'))
    if (dialog.textContent.includes('Select Kernel')) return 'select-kernel';
  const name = document.querySelector('.jp-NotebookPanel-toolbar .jp-KernelName');
  const bar = document.querySelector('#jp-main-statusbar');
  const named = name && name.textContent.trim() && !name.textContent.includes('No Kernel');
  return named && bar && bar.textContent.includes('| Idle') ? 'ready' : false;
}"""

# Every code cell of the open notebook: its source, prompt, outputs (MIME type and text)
# and images. textContent, not innerText: cells out of view are not rendered.
CELLS_JS = """() => Array.from(
  document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-CodeCell'), cell => ({
    source: Array.from(cell.querySelectorAll('.jp-InputArea-editor .cm-line'),
                       line => line.textContent).join('\\n'),
    prompt: (cell.querySelector('.jp-InputArea-prompt') || {}).textContent || '',
    outputs: Array.from(cell.querySelectorAll('.jp-OutputArea-output'), out => ({
      mime: out.getAttribute('data-mime-type') || '', text: out.textContent})),
    images: Array.from(cell.querySelectorAll('.jp-OutputArea-output img'),
                       img => ({loaded: img.complete, width: img.naturalWidth})),
  }))"""

# Run All has finished: "all" once the last code cell has run and nothing is queued or
# running ([*]) on an idle kernel; "stopped" when some cells ran, none is queued and the
# kernel has stayed idle for QUIET_MS (JupyterLab clears the [*] of the cells after one that
# raised, whether the kernel then runs them or not, so only a quiet kernel tells).
QUIET_MS = 5000
RUN_FINISHED_JS = """() => {
  const prompts = Array.from(document.querySelectorAll(
    '.jp-NotebookPanel .jp-Notebook .jp-CodeCell .jp-InputArea-prompt'), p => p.textContent);
  const bar = document.querySelector('#jp-main-statusbar');
  const ran = p => /\\[\\d+\\]/.test(p);
  const quiet = prompts.some(ran) && !prompts.some(p => p.includes('*'))
    && bar && bar.textContent.includes('| Idle');
  if (!quiet) { window.__quietSince = null; return false; }
  if (ran(prompts[prompts.length - 1])) return 'all';
  window.__quietSince = window.__quietSince || Date.now();
  return Date.now() - window.__quietSince >= %d ? 'stopped' : false;
}""" % QUIET_MS

# The cell at `index` (among code cells) has run again: its prompt shows a new number.
CELL_RAN_JS = """([index, before]) => {
  const cell = document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-CodeCell')[index];
  const prompt = cell.querySelector('.jp-InputArea-prompt').textContent;
  const bar = document.querySelector('#jp-main-statusbar');
  return /\\[\\d+\\]/.test(prompt) && prompt !== before && bar.textContent.includes('| Idle');
}"""


def open_notebook(page, lab, assignment):
    """Opens a fresh copy of the assignment's notebook (in a workspace of its own, so no
    other notebook reopens with it) and waits for its kernel to be idle."""
    path = lab.fresh_copy(assignment)
    page.goto(lab.url(f"lab/workspaces/{_slug(assignment)}/tree/{path}"))
    state = page.wait_for_function(KERNEL_STATE_JS, polling=POLL_MS, timeout=OPEN_S * 1000)
    assert state.json_value() == "ready", f"{path} opened a 'Select Kernel' dialog"
    expect(page.locator(".jp-Dialog")).to_have_count(0)


def run_all(page):
    """Run → Run All Cells, then waits until every cell that was going to run has run."""
    page.locator("#jp-menu-panel .lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    page.wait_for_function(RUN_FINISHED_JS, polling=POLL_MS, timeout=RUN_ALL_S * 1000)


def cells(page):
    return page.evaluate(CELLS_JS)


def text(cell):
    return "\n".join(out["text"] for out in cell["outputs"])


def check_cells(all_cells):
    """{exercise: index} of the check cells, `check(<exercise>)`, in notebook order."""
    found = {}
    for index, cell in enumerate(all_cells):
        match = re.fullmatch(r"check\((\w+)\)", cell["source"].strip())
        if match:
            found[match.group(1)] = index
    return found


def teaching_cells(assignment):
    """{code cell index: figures} of the teaching cells that show something in the solution
    notebook (its stored outputs), but for those that use a student's answer ("Uses your
    ..."): with nothing solved yet, these show the same in the student's notebook."""
    notebook = json.loads((ROOT / "solutions" / assignment / ASSIGNMENTS[assignment][0])
                          .read_text())
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    return {index: sum("image/png" in out.get("data", {}) for out in cell["outputs"])
            for index, cell in enumerate(code)
            if cell["outputs"] and "Uses your " not in "".join(cell["source"])
            and not {"grade", "solution"} & {key for key, value in
                                             cell["metadata"].get("nbgrader", {}).items()
                                             if value is True}}


def code_cell(page, index):
    return page.locator(".jp-NotebookPanel .jp-Notebook .jp-CodeCell").nth(index)


def bring_into_view(page, cell, block="center"):
    """Scrolls the notebook to `cell` and waits until it is drawn: JupyterLab skips drawing
    cells out of view, and their innerText stays empty until they are."""
    cell.evaluate("(e, block) => e.scrollIntoView({block})", block)
    page.wait_for_function("e => e.innerText.trim().length > 0", arg=cell.element_handle(),
                           polling="raf", timeout=CELL_S * 1000)


def shoot(page, name, **options):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", **options)
    return ARTIFACTS / f"{name}.png"


# ---------------------------------------------------------------- the tests

@pytest.mark.parametrize("assignment", list(ASSIGNMENTS))
def test_run_all_shows_the_lessons_and_a_not_implemented_report_per_check(page, lab,
                                                                          assignment):
    names = ASSIGNMENTS[assignment][1]
    open_notebook(page, lab, assignment)
    run_all(page)
    shown = cells(page)
    checks = check_cells(shown)
    assert list(checks) == names, f"check cells found: {list(checks)}"
    first = shown[checks[names[0]]]
    bring_into_view(page, code_cell(page, checks[names[0]]))
    shoot(page, f"{assignment}-run-all")

    never_ran = [name for name in names if not RAN.search(shown[checks[name]]["prompt"])]
    assert not never_ran, (
        f"Run All stopped at the first failing check cell ({names[0]}: "
        f"{text(first)[:200]!r}); these check cells never ran: {never_ran}. JupyterLab "
        "stops a Run All at a cell that raises unless the cell has the tag "
        "'raises-exception' (give it to the check cells in solutions/, then make release).")
    for name in names:
        report = text(shown[checks[name]])
        assert f"✗ {name} {NOT_IMPLEMENTED}" in report, f"check({name}) shows {report[:500]!r}"

    not_run = [cell["source"][:80] for cell in shown if not RAN.search(cell["prompt"])]
    assert not not_run, f"cells Run All did not run: {not_run}"
    check_indexes = set(checks.values())
    failed = [cell["source"][:80] for index, cell in enumerate(shown)
              if index not in check_indexes and TRACEBACK in text(cell)]
    assert not failed, f"teaching or answer cells failed: {failed}"

    # The lessons render: each teaching cell shows its outputs, each figure is an image.
    teaching = teaching_cells(assignment)
    silent = [shown[index]["source"][:80] for index in teaching if not shown[index]["outputs"]]
    assert not silent, f"teaching cells that show nothing: {silent}"
    missing = [(shown[index]["source"][:80], len(shown[index]["images"]), figures)
               for index, figures in teaching.items() if len(shown[index]["images"]) < figures]
    assert not missing, f"figures missing (cell, shown, expected): {missing}"
    images = [image for cell in shown for image in cell["images"]]
    assert all(image["loaded"] and image["width"] > 0 for image in images), images


TALL = 1900  # px: the typing test's window shows an answer cell and its whole report
CORRECT = ["def hadamard(A, B):",
           'if np.shape(A) != np.shape(B): raise ValueError("the shapes differ")',
           "return A * B"]
NO_SHAPE_CHECK = ["def hadamard(A, B):", "return A * B"]  # * broadcasts (3,) with (3, 1)
MATRIX_PRODUCT = ["def hadamard(A, B):", "return A @ B"]


def type_answer(page, index, lines):
    """Types `lines` into the code cell at `index` as a student does: click into its editor,
    select all, type (the editor indents after a colon, so lines carry no indentation)."""
    bring_into_view(page, code_cell(page, index))
    editor = code_cell(page, index).locator(".cm-content")
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    for number, line in enumerate(lines):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.type(line)
    return editor


def run_cell(page, index):
    """Selects the code cell at `index` (a click on its prompt), runs it with Shift+Enter
    and waits for its prompt to show a new number."""
    before = cells(page)[index]["prompt"]
    bring_into_view(page, code_cell(page, index))
    code_cell(page, index).locator(".jp-InputArea-prompt").click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(CELL_RAN_JS, arg=[index, before], polling=POLL_MS,
                           timeout=OPEN_S * 1000)


def run_answer_and_check(page, answer_index, check_index):
    """Shift+Enter in the answer cell runs it and moves to its check cell; Shift+Enter
    again runs the check. Waits for the check's prompt to show a new number."""
    before = cells(page)[check_index]["prompt"]
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(CELL_RAN_JS, arg=[check_index, before], polling=POLL_MS,
                           timeout=CELL_S * 1000)
    shown = cells(page)
    return shown[answer_index], text(shown[check_index])


def test_typed_answers_get_their_report_and_validate_gives_its_verdict(page, lab):
    assignment, exercise = "01-definition", "hadamard"
    # Tall and wide enough for an answer cell and its whole check report at once.
    page.set_viewport_size({"width": 1600, "height": TALL})
    open_notebook(page, lab, assignment)
    run_cell(page, 0)  # the setup cell: imports, and check()
    check_index = check_cells(cells(page))[exercise]
    answer_index = check_index - 1
    answer_cell, check_cell = code_cell(page, answer_index), code_cell(page, check_index)

    # A right answer: every public check passes.
    type_answer(page, answer_index, CORRECT)
    answer, report = run_answer_and_check(page, answer_index, check_index)
    assert answer["source"] == "\n    ".join(CORRECT), f"the editor holds {answer['source']!r}"
    assert TRACEBACK not in text(answer), text(answer)
    assert "✓" in report and "✗" not in report, report
    assert re.search(rf"{exercise}: (\d+)/\1 checks passed", report), report
    bring_into_view(page, answer_cell, "start")
    shoot(page, "01-definition-hadamard-right")

    # The most common slip: no shape check. Passes some checks, and the report says which
    # failed, with what, and what to do. The README shows this report.
    type_answer(page, answer_index, NO_SHAPE_CHECK)
    answer, report = run_answer_and_check(page, answer_index, check_index)
    assert answer["source"] == "\n    ".join(NO_SHAPE_CHECK), answer["source"]
    assert "✓" in report and "✗" in report and "expected ValueError" in report, report
    bring_into_view(page, answer_cell, "start")
    bring_into_view(page, check_cell, "nearest")
    shoot(page, "01-definition-hadamard-no-shape-check")
    # The answer cell and its check's report, as the README shows them.
    top, bottom = answer_cell.bounding_box(), check_cell.bounding_box()
    clip = {"x": top["x"], "y": top["y"], "width": top["width"],
            "height": bottom["y"] + bottom["height"] - top["y"] - 2}  # not the next cell
    assert clip["y"] >= 0 and clip["y"] + clip["height"] <= TALL, clip
    report_shot = shoot(page, "check-report", clip=clip)
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        shutil.copyfile(report_shot, DOCS / "check-report.png")

    # A typical wrong answer, the matrix product: the check names the mistake.
    type_answer(page, answer_index, MATRIX_PRODUCT)
    answer, report = run_answer_and_check(page, answer_index, check_index)
    assert answer["source"] == "\n    ".join(MATRIX_PRODUCT), answer["source"]
    assert "✗" in report and "Likely mistake: a matrix product" in report, report
    bring_into_view(page, answer_cell, "start")
    bring_into_view(page, check_cell, "nearest")
    shoot(page, "01-definition-hadamard-matrix-product")

    # nbgrader's Validate saves the notebook, runs it in a kernel of its own and answers in
    # a dialog: with hadamard wrong (and the other exercises not done) it must fail, and
    # name a failing check cell.
    page.locator(".jp-NotebookPanel-toolbar jp-button.validate-button").click()
    verdict = page.locator(".jp-Dialog #validation-message")
    verdict.wait_for(timeout=VALIDATE_S * 1000)
    shoot(page, "01-definition-validate")
    classes, message = verdict.get_attribute("class") or "", verdict.text_content()
    assert "validation-failed" in classes and "validation-success" not in classes, (
        classes, message[:1000])
    assert re.search(r"check\(\w+\)", message), message[:1000]
    page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click()
    expect(page.locator(".jp-Dialog")).to_have_count(0)


# ---------------------------------------------------------------- formgrader, for instructors

WRITTEN = "written_orthogonal"   # 01-definition's written answer, worth 2 points


@pytest.fixture(scope="module")
def course_lab(tmp_path_factory):
    """An nbgrader course (01-definition released, alice's right answers handed in, her
    written answer the model one) graded by the kit into its gradebook, and JupyterLab
    started by `make lab` in it. Yields (server, course, alice's row)."""
    from autograder.build.demo_class import hand_in, nbgrader
    from autograder.cli import main

    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions", course / "solutions")
    nbgrader(course, "generate_assignment", "01-definition", "--force")
    hand_in(course, {"alice": "correct"}, assignments=["01-definition"])
    out = course / "results"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(course)
        assert main(["grade", "submitted", "--out", str(out), "--nbgrader-course", "."]) == 0
    [row] = json.loads((out / "report.json").read_text())["submissions"]
    assert row["graded_by_hand"] == {WRITTEN: {"max_score": 2.0, "score": None}}
    server = Lab(tmp_path_factory.mktemp("course-lab"), course=course)
    server.start()
    yield server, course, row
    server.stop()


def exported_grades(course: Path) -> dict:
    from autograder.build.demo_class import nbgrader

    nbgrader(course, "export")
    with open(course / "grades.csv") as f:
        return {(r["student_id"], r["assignment"]): (float(r["score"]), float(r["max_score"]))
                for r in csv.DictReader(f)}


def test_formgrader_takes_a_manual_grade_that_nbgrader_export_then_shows(browser, course_lab):
    """In JupyterLab, Nbgrader → Formgrader → Manual Grading → 01-definition → definition →
    alice's submission: her written answer shows with a score box that waits for a grade;
    1.5 typed there is saved, and `nbgrader export` adds it to the checks' score. The kit
    grading the class again leaves it as it is."""
    from autograder.cli import main

    server, course, row = course_lab
    assert exported_grades(course)["alice", "01-definition"] == (row["score"],
                                                                 row["max_score"] + 2)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(OPEN_S * 1000)
    try:
        page.goto(server.url("lab"))
        page.locator("#jp-menu-panel .lm-MenuBar-item",
                     has_text=re.compile(r"^Nbgrader$")).click()
        page.locator('.lm-Menu-item[data-command="nbgrader:open-formgrader"]').click()
        formgrader = page.frame_locator(".jp-MainAreaWidget iframe").first
        for link in ("/formgrader/gradebook", "/formgrader/gradebook/01-definition",
                     "/formgrader/gradebook/01-definition/definition"):
            formgrader.locator(f'a[href$="{link}"]').first.click()
        formgrader.locator('a[href*="/formgrader/submissions/"]').first.click()
        score = formgrader.locator(f"input#{WRITTEN}")
        answer = formgrader.locator(".nbgrader_cell", has=score)
        expect(answer).to_contain_text("Model answer")   # what alice wrote
        expect(score).to_have_class(re.compile("needs_manual_grade"))
        with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url
                                  and r.request.method == "PUT") as saved:
            score.fill("1.5")
            score.press("Tab")   # formgrader saves on change
        assert saved.value.ok, saved.value.status
        expect(score).not_to_have_class(re.compile("needs_manual_grade"))
        answer.scroll_into_view_if_needed()
        shoot(page, "formgrader-written-answer")
    finally:
        context.close()
    expected = (row["score"] + 1.5, row["max_score"] + 2)
    assert exported_grades(course)["alice", "01-definition"] == expected
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(course)
        assert main(["grade", "submitted", "--out", "results", "--nbgrader-course", ".",
                     "--regrade"]) == 0
    assert exported_grades(course)["alice", "01-definition"] == expected
