"""The course through nbgrader's exchange, between real Unix users: an instructor and three
students (right, a typical mistake, hostile), each command run as its user, in the order
of the README's instructor section. Users, course, exchange and homes are created here and
removed after; the course is a copy (the kit, solutions/, nbgrader_config.py) in a
temporary folder, run with this checkout's venv."""
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.build.demo_class import submission
from autograder.sandbox.starter import REDUCED_ISOLATION
from tests.conftest import ROOT
from tests.hostile import WRONG_SCORE

pytestmark = pytest.mark.slow

ASSIGNMENT = "01-definition"
NOTEBOOK = "definition.ipynb"
COURSE_ID = "hadamard"
KINDS = {"right": "correct", "mistake": "mistake", "hostile": "untouched"}
# The hostile student's answer to hadamard: from inside the grader, it tries to overwrite
# the instructor's gradebook, to leave a file in the course and to read the solutions.
HOSTILE = '''import glob, pathlib
for target in ["@COURSE@/gradebook.db", "@COURSE@/owned", *glob.glob("/tmp/*/gradebook.db")]:
    try:
        pathlib.Path(target).write_text("overwritten by a student")
    except OSError:
        pass
print(glob.glob("@COURSE@/solutions/*/*.ipynb"))


def hadamard(A, B):
    print(100)
    return A + B
'''


# The total of each student's 01-definition in the gradebook (auto and manual scores).
_SCORES = f"""
import json
from nbgrader.api import Gradebook
with Gradebook("sqlite:///gradebook.db", {COURSE_ID!r}) as gradebook:
    print(json.dumps({{s.student.id: s.score for s in
                      gradebook.find_assignment({ASSIGNMENT!r}).submissions}}))
"""


@dataclass(frozen=True)
class User:
    name: str
    uid: int
    gid: int
    home: Path


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "creating Unix users needs root"
    absent = [name for name in ("useradd", "userdel", "setpriv", "unshare", "mount")
              if not shutil.which(name)]
    return f"{', '.join(absent)} not found (Debian's passwd, util-linux, mount)" if absent \
        else None


def _user_namespaces() -> bool:
    """Whether a user other than root can start bubblewrap here."""
    limit = Path("/proc/sys/user/max_user_namespaces")
    return bool(shutil.which("bwrap")) and limit.exists() and int(limit.read_text()) > 0


def _hidden_ancestor(path: Path) -> Path | None:
    """The first folder above `path` that other users cannot enter, or None."""
    for folder in reversed(path.parents):
        if not folder.stat().st_mode & 0o001:
            return folder
    return None


class Machine:
    """A shared machine: its users, the exchange and the course, all in one folder."""

    def __init__(self, base: Path):
        self.base = base
        self.venv_bin = Path(sys.prefix) / "bin"
        self.exchange = base / "exchange"
        self.course = base / "course"
        self.instructor: User | None = None
        self.students: dict[str, User] = {}
        # The venv and its interpreter may live where other users cannot enter (pyenv under
        # /root, a CI checkout in a private temporary folder): each user's command then runs
        # in a mount namespace of its own in which only the folders on the way to them are
        # searchable, nothing else changed.
        needed: dict[Path, set[str]] = {}
        for target in (Path(os.path.realpath(sys.executable)), Path(sys.prefix)):
            hidden = _hidden_ancestor(target)
            if hidden is not None:
                needed.setdefault(hidden, set()).add(target.relative_to(hidden).parts[0])
        mounts: list[str] = []
        for number, (hidden, children) in enumerate(sorted(needed.items())):
            stand_in = base / f"stand-in-{number}"
            for child in sorted(children):
                (stand_in / child).mkdir(parents=True)
                mounts.append(f"mount --bind '{hidden / child}' '{stand_in / child}'")
            stand_in.chmod(0o755)
            mounts.append(f"mount --rbind '{stand_in}' '{hidden}'")
        self.reveal = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                       " && ".join([*mounts, 'exec "$@"']), "sh"] if mounts else []

    def add_user(self, role: str) -> User:
        name = f"hdm{role[:4]}{secrets.token_hex(3)}"
        home = self.base / "home" / name
        subprocess.run(["useradd", "--create-home", "--home-dir", str(home), "--user-group",
                        "--shell", "/bin/sh", name], check=True, capture_output=True)
        home.chmod(0o700)  # a private home, as on a JupyterHub
        entry = pwd.getpwnam(name)
        return User(name, entry.pw_uid, entry.pw_gid, home)

    def run(self, user: User, *command: str, cwd: Path | None = None, input: str | None = None,
            check: bool = True) -> subprocess.CompletedProcess:
        """`command` as `user`, in `cwd` (default: their home), with the venv on PATH."""
        env = {"HOME": str(user.home), "USER": user.name, "LOGNAME": user.name,
               "PATH": f"{self.venv_bin}:/usr/bin:/bin", "LANG": "C.UTF-8"}
        if user == self.instructor:  # their kit is the course's copy, as in their checkout
            env["PYTHONPATH"] = str(self.course)
        as_user = ["setpriv", f"--reuid={user.uid}", f"--regid={user.gid}", "--init-groups",
                   "--reset-env", "--", "env", *(f"{k}={v}" for k, v in env.items())]
        done = subprocess.run([*self.reveal, *as_user, *command], cwd=cwd or user.home,
                              input=input, capture_output=True, text=True, timeout=1800)
        if check and done.returncode:
            raise AssertionError(f"{' '.join(command)} as {user.name} failed "
                                 f"({done.returncode}):\n{done.stdout[-2000:]}\n"
                                 f"{done.stderr[-4000:]}")
        return done

    def nbgrader(self, user: User, *args: str, cwd: Path | None = None):
        return self.run(user, "nbgrader", *args, "--log-level=WARN", cwd=cwd)


@pytest.fixture(scope="module")
def machine():
    reason = _missing()
    if reason:
        pytest.skip(reason)
    base = Path(tempfile.mkdtemp(prefix="exchange-test-"))
    base.chmod(0o755)
    (base / "home").mkdir(mode=0o755)
    machine = Machine(base)
    users = []
    try:
        machine.instructor = machine.add_user("instructor")
        users.append(machine.instructor)
        for role in KINDS:
            machine.students[role] = machine.add_user(role)
            users.append(machine.students[role])
        yield machine
    finally:
        for user in users:
            subprocess.run(["userdel", user.name], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def _notebook(course: Path, kind: str) -> str:
    notebook = submission(course, ASSIGNMENT, KINDS[kind])
    if kind == "hostile":
        for cell in notebook["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == "hadamard":
                cell["source"] = HOSTILE.replace("@COURSE@", str(course))
    return json.dumps(notebook, indent=1)


def test_the_course_runs_through_the_exchange_between_real_users(machine):
    teacher, students = machine.instructor, machine.students
    course, exchange = machine.course, machine.exchange
    # The exchange as nbgrader documents it: one folder everyone may write to.
    exchange.mkdir()
    exchange.chmod(0o777)
    # The instructor's course: the kit, its nbgrader source and configuration, theirs.
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    shutil.copytree(ROOT / "autograder", course / "autograder", ignore=skip)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, course / "solutions" / ASSIGNMENT)
    config = (ROOT / "nbgrader_config.py").read_text()
    (course / "nbgrader_config.py").write_text(f"{config}\nc.Exchange.root = {str(exchange)!r}\n")
    subprocess.run(["chown", "-R", f"{teacher.uid}:{teacher.gid}", str(course)], check=True)
    course.chmod(0o700)  # solutions and the gradebook are the instructor's alone
    for student in students.values():  # where students' nbgrader finds the exchange
        machine.run(student, "python", "-c", "import os, sys; os.mkdir('.jupyter'); "
                    "open('.jupyter/nbgrader_config.py', 'w').write(sys.stdin.read())",
                    input=f"c.Exchange.root = {str(exchange)!r}\n")

    # The instructor releases the assignment.
    machine.nbgrader(teacher, "generate_assignment", ASSIGNMENT, "--force", cwd=course)
    machine.nbgrader(teacher, "release_assignment", ASSIGNMENT, cwd=course)
    outbound = exchange / COURSE_ID / "outbound" / ASSIGNMENT
    assert (outbound / NOTEBOOK).is_file()
    assert oct((exchange / COURSE_ID / "inbound").stat().st_mode & 0o7777) == "0o2733"

    # Each student fetches it, answers in their own copy, and submits.
    for kind, student in students.items():
        machine.nbgrader(student, "fetch_assignment", ASSIGNMENT, "--course", COURSE_ID)
        work = student.home / ASSIGNMENT / NOTEBOOK
        assert work.stat().st_uid == student.uid
        machine.run(student, "python", "-c", f"import sys; open({str(work)!r}, 'w')"
                    ".write(sys.stdin.read())", input=_notebook(course, kind))
        machine.nbgrader(student, "submit", ASSIGNMENT, "--course", COURSE_ID)

    # What a student cannot do: list the others' submissions, change the release, enter
    # the instructor's course.
    attempts = machine.run(students["hostile"], "python", "-c", f"""
import os
for attempt in (lambda: os.listdir({str(exchange / COURSE_ID / 'inbound')!r}),
                lambda: open({str(outbound / NOTEBOOK)!r}, 'a'),
                lambda: os.listdir({str(course / 'solutions')!r})):
    try:
        attempt()
        print('allowed')
    except PermissionError:
        print('refused')
""")
    assert attempts.stdout.split() == ["refused"] * 3

    # The instructor collects the work and grades it with the kit, both ways.
    machine.nbgrader(teacher, "collect", ASSIGNMENT, cwd=course)
    submitted = {kind: course / "submitted" / s.name / ASSIGNMENT / NOTEBOOK
                 for kind, s in students.items()}
    assert all(path.stat().st_uid == teacher.uid for path in submitted.values())
    solutions = (course / "solutions" / ASSIGNMENT / NOTEBOOK).read_bytes()
    machine.nbgrader(teacher, "autograde", ASSIGNMENT, cwd=course)
    by_nbgrader = machine.run(teacher, "python", "-c", _SCORES, cwd=course).stdout
    done = machine.run(teacher, "python", "-m", "autograder", "grade", "submitted/",
                       "--nbgrader-course", ".", "--json", cwd=course)
    rows = {row["student"]: row for row in json.loads(done.stdout)["submissions"]}
    if _user_namespaces():  # the instructor's grading ran in bubblewrap, not without it
        assert REDUCED_ISOLATION not in done.stderr
    scores = json.loads(machine.run(teacher, "python", "-c", _SCORES, cwd=course).stdout)
    assert json.loads(by_nbgrader) == scores  # nbgrader autograde and the kit agree
    name = {kind: student.name for kind, student in students.items()}
    assert {kind: scores[name[kind]] for kind in KINDS} == \
        {kind: rows[name[kind]]["score"] for kind in KINDS}
    assert rows[name["right"]]["score"] == rows[name["right"]]["max_score"]
    assert 0 < rows[name["mistake"]]["score"] < rows[name["right"]]["score"]
    assert rows[name["hostile"]]["score"] == WRONG_SCORE  # what A + B earns on hadamard
    assert "Likely mistake: a matrix product" in \
        rows[name["mistake"]]["exercises"]["hadamard"]["feedback"]
    # The hostile answer reached nothing of the course.
    assert not (course / "owned").exists()
    assert (course / "solutions" / ASSIGNMENT / NOTEBOOK).read_bytes() == solutions

    # A manual grade: the written answer, as formgrader saves it.
    machine.run(teacher, "python", "-c", f"""
from nbgrader.api import Gradebook
with Gradebook("sqlite:///gradebook.db", {COURSE_ID!r}) as gradebook:
    for student, score in (({name['right']!r}, 2.0), ({name['mistake']!r}, 0.5)):
        grade = gradebook.find_grade("written_orthogonal", "definition", {ASSIGNMENT!r}, student)
        grade.manual_score, grade.needs_manual_grade = score, False
    gradebook.db.commit()
""", cwd=course)
    final = json.loads(machine.run(teacher, "python", "-c", _SCORES, cwd=course).stdout)
    assert final == {**scores, name["right"]: scores[name["right"]] + 2.0,
                     name["mistake"]: scores[name["mistake"]] + 0.5}

    # Feedback, generated, released, and fetched by each student: their own only.
    machine.nbgrader(teacher, "generate_feedback", ASSIGNMENT, cwd=course)
    machine.nbgrader(teacher, "release_feedback", ASSIGNMENT, cwd=course)
    for kind, student in students.items():
        machine.nbgrader(student, "fetch_feedback", ASSIGNMENT, "--course", COURSE_ID)
        pages = sorted((student.home / ASSIGNMENT / "feedback").rglob("*.html"))
        assert [page.name for page in pages] == ["definition.html"], pages
        page = pages[0].read_text()
        assert pages[0].stat().st_uid == student.uid
        assert f"Score: {final[student.name]:g}" in page, kind
        assert ("Likely mistake: a matrix product" in page) == (kind == "mistake")
        others = [other.name for other in students.values() if other != student]
        assert not any(other in page for other in others)
    # Nor anyone else's: the exchange's feedback is found by its hash, not listed.
    for folder in (exchange / COURSE_ID / "feedback", students["right"].home / ASSIGNMENT):
        listing = machine.run(students["hostile"], "python", "-c",
                              f"import os; os.listdir({str(folder)!r})", check=False)
        assert "PermissionError" in listing.stderr, folder

