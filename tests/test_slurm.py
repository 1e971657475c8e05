"""The class graded by a real Slurm cluster: a one-node cluster (Debian's slurm-wlm and munge,
`make system` installs them) started here with a generated configuration, running the job
array of deploy/slurm-grade.sbatch on a simulated class of 120 notebooks. The merged shards
are byte for byte what a single run writes, and a task killed mid-way and requeued resumes
its shard without grading again what it had stored."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from autograder.build import demo_class
from autograder.checking.course import ASSIGNMENTS
from autograder.grading.run import Shard
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

STUDENTS = 20  # × 6 assignments: 120 notebooks
TASKS = 4
KILLED = 1  # the array task killed mid-way and requeued


def _missing() -> str | None:
    """Why the cluster cannot run here, or None."""
    if os.geteuid() != 0:
        return "the one-node Slurm cluster needs root (its daemons run as root)"
    commands = ("munged", "mungekey", "slurmctld", "slurmd", "sbatch", "scontrol", "squeue")
    absent = [name for name in commands if not shutil.which(name)]
    if absent:
        how = ("run `make system`, which installs slurm-wlm and munge with apt"
               if shutil.which("apt-get") else "install Slurm and munge (no apt-get here)")
        return f"{', '.join(absent)} not found: {how}"
    return None


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _stop(pid_file: Path, timeout: float = 20) -> None:
    """Stop the daemon whose pid `pid_file` holds (SIGTERM, then SIGKILL)."""
    try:
        pid = int(pid_file.read_text())
    except (OSError, ValueError):
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


def _config(folder: Path, munge_socket: Path) -> str:
    host = socket.gethostname().split(".")[0]
    controller_port, node_port = _free_ports(2)
    return f"""\
ClusterName=hadamardtest
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={controller_port}
SlurmdPort={node_port}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={munge_socket}
SlurmUser=root
SlurmdUser=root
StateSaveLocation={folder}/state
SlurmdSpoolDir={folder}/spool
SlurmctldPidFile={folder}/slurmctld.pid
SlurmdPidFile={folder}/slurmd.pid
SlurmctldLogFile={folder}/slurmctld.log
SlurmdLogFile={folder}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName={host} NodeAddr=127.0.0.1 CPUs={os.cpu_count()} State=UNKNOWN
PartitionName=grading Nodes=ALL Default=YES MaxTime=INFINITE State=UP
"""


@pytest.fixture(scope="module")
def slurm():
    """The environment in which Slurm's commands reach a one-node cluster of this machine:
    its own munged (own key and socket), slurmctld and slurmd, on free ports, every file in
    a temporary folder; stopped after the tests, whatever happened."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="slurm-"))
    folder.chmod(0o755)  # munged wants its socket's folders searchable by all
    munge = folder / "munge"
    munge.mkdir(mode=0o755)
    (folder / "state").mkdir()
    (folder / "spool").mkdir()
    conf = folder / "slurm.conf"
    conf.write_text(_config(folder, munge / "munge.socket"))
    env = {**os.environ, "SLURM_CONF": str(conf)}
    try:
        subprocess.run(["mungekey", "--create", f"--keyfile={munge / 'munge.key'}"], check=True)
        subprocess.run(["munged", f"--socket={munge / 'munge.socket'}",
                        f"--key-file={munge / 'munge.key'}", f"--pid-file={munge / 'munged.pid'}",
                        f"--log-file={munge / 'munged.log'}",
                        f"--seed-file={munge / 'munged.seed'}"], check=True)
        subprocess.run(["slurmctld", "-f", str(conf)], check=True, env=env)
        subprocess.run(["slurmd", "-f", str(conf)], check=True, env=env)
        deadline = time.monotonic() + 60
        while "idle" not in _out(env, "sinfo", "-h", "-o", "%T"):
            if time.monotonic() > deadline:
                logs = "".join(path.read_text() for path in folder.glob("*.log"))
                raise AssertionError(f"the node never became idle:\n{logs[-3000:]}")
            time.sleep(0.5)
        yield env
    finally:
        subprocess.run(["scancel", "--full", "--signal=KILL", "--user=root"], env=env,
                       capture_output=True)
        subprocess.run(["scancel", "--user=root"], env=env, capture_output=True)
        _stop(folder / "slurmd.pid")
        _stop(folder / "slurmctld.pid")
        _stop(munge / "munged.pid")
        shutil.rmtree(folder, ignore_errors=True)


def _out(env, *command: str, cwd=None) -> str:
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True,
                          check=True).stdout


def _job_field(env, job: str, field: str) -> str:
    for word in _out(env, "scontrol", "show", "job", job).split():
        if word.startswith(f"{field}="):
            return word.split("=", 1)[1]
    raise AssertionError(f"no {field} for job {job}")


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course folder as an instructor has it: the kit (a snapshot, so that edits to this
    checkout while the test runs change no score), the release, the venv, and 20 students'
    work in the six assignments, right, untouched or with a typical mistake."""
    course = tmp_path_factory.mktemp("course")
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for name in ("autograder", "notebooks", "solutions", "deploy"):
        shutil.copytree(ROOT / name, course / name, ignore=skip)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    (course / ".venv").symlink_to(sys.prefix)
    kinds = demo_class.KINDS
    demo_class.hand_in(course, {f"student{i:02d}": kinds[i % len(kinds)]
                                for i in range(STUDENTS)})
    return course


def _files(folder: Path) -> dict[str, bytes]:
    """What the comparison covers: report.json, gradebook.csv and the feedback pages."""
    paths = [folder / "report.json", folder / "gradebook.csv",
             *sorted((folder / "feedback").rglob("*"))]
    return {str(path.relative_to(folder)): path.read_bytes() for path in paths if path.is_file()}


def test_a_slurm_job_array_grades_the_class_as_one_run_would(slurm, course):
    notebooks = sorted(course.glob("submitted/*/*/*.ipynb"))
    assert len(notebooks) == STUDENTS * len(ASSIGNMENTS) >= 100
    python = [str(course / ".venv/bin/python"), "-m", "autograder"]

    started = time.monotonic()
    subprocess.run([*python, "grade", "submitted/", "--out", "grading-results/single",
                    "--jobs", str(os.cpu_count())], cwd=course, check=True,
                   capture_output=True, timeout=1800)
    single_seconds = time.monotonic() - started

    # The array as the README submits it, sized for this machine: 4 tasks of 1 CPU each.
    started = time.monotonic()
    job = _out(slurm, "sbatch", "--parsable", f"--array=0-{TASKS - 1}", "--cpus-per-task=1",
               "deploy/slurm-grade.sbatch", cwd=course).strip()
    killed = f"{job}_{KILLED}"
    shard = course / "grading-results" / f"shard-{KILLED}" / "submissions"
    deadline = time.monotonic() + 600
    while len(list(shard.glob("*.json"))) < 3:  # mid-way: some rows stored, not all
        assert time.monotonic() < deadline, f"task {killed} stored nothing in 10 minutes"
        assert not (shard.parent / "report.json").exists(), "the task finished too soon"
        time.sleep(0.1)
    # A node lost: every process of the task killed at once, nothing left to clean up.
    subprocess.run(["scancel", "--full", "--signal=KILL", killed], env=slurm, check=True)
    while _job_field(slurm, killed, "JobState") in ("RUNNING", "COMPLETING"):
        time.sleep(0.2)
    assert _job_field(slurm, killed, "JobState") in ("FAILED", "CANCELLED")
    assert not (shard.parent / "report.json").exists()
    stored = {path.name: path.stat().st_mtime_ns for path in shard.glob("*.json")}
    subprocess.run(["scontrol", "requeue", killed], env=slurm, check=True)
    # Slurm holds a requeued job back for a while (its BeginTime); start it at once.
    subprocess.run(["scontrol", "update", f"jobid={killed}", "StartTime=now"], env=slurm,
                   check=True)
    deadline = time.monotonic() + 1200
    while _out(slurm, "squeue", "-h", "-j", job).strip():
        assert time.monotonic() < deadline, "the array did not finish in 20 minutes"
        time.sleep(0.5)
    slurm_seconds = time.monotonic() - started

    count = len(notebooks)
    print(f"\n{count} notebooks: one run (--jobs {os.cpu_count()}) {single_seconds:.1f} s, "
          f"{count / single_seconds:.2f} notebooks/s; the Slurm array ({TASKS} tasks of 1 CPU, "
          f"one killed after {len(stored)} rows and requeued) {slurm_seconds:.1f} s, "
          f"{count / slurm_seconds:.2f} notebooks/s")

    for task in range(TASKS):
        name = f"{job}_{task}"
        assert (_job_field(slurm, name, "JobState"), _job_field(slurm, name, "ExitCode")) == \
            ("COMPLETED", "0:0"), (course / f"slurm-{name}.out").read_text()[-3000:]
    assert _job_field(slurm, killed, "Restarts") == "1"
    # The requeued task reused every row it had stored: none was written again.
    after = {path.name: path.stat().st_mtime_ns for path in shard.glob("*.json")}
    assert {name: after[name] for name in stored} == stored
    in_shard = [path for path in notebooks
                if Shard(KILLED, TASKS).holds(path.relative_to(course))]
    assert len(stored) < len(after) == len(in_shard)

    subprocess.run([*python, "merge", *(f"grading-results/shard-{k}" for k in range(TASKS)),
                    "--out", "grading-results/merged"], cwd=course, check=True,
                   capture_output=True, timeout=600)
    single = _files(course / "grading-results" / "single")
    merged = _files(course / "grading-results" / "merged")
    assert len(single) == 2 + len(notebooks)
    assert merged.keys() == single.keys()
    differ = [name for name in single if merged[name] != single[name]]
    assert not differ, f"{len(differ)} files differ from one run's, such as {differ[:3]}"
