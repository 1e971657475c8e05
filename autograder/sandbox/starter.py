"""How a submission's process is started: the one module that starts student code.

With bubblewrap (Debian's `bubblewrap`), each submission runs with no network, a read-only
system, a private /tmp, an unprivileged uid, and nothing of the course visible: the only
files it sees are the system, Python, the venv's packages, a private copy of its own
folder, and a staged copy of the few grader modules the child needs
(`autograder.sandbox.inside.child` and the plain-data modules), under a stub `autograder`
whose check() does nothing. No reference, check, solution, hidden case or other student is
reachable.

Without bubblewrap the same child runs as a plain process with the same limits, as an
unprivileged user when the grader is root, and the grader says that isolation is reduced.

Limits hold per submission where cgroups can be used (autograder.sandbox.cgroups): memory
(shared memory and /tmp included), processes and CPU share of all of its processes
together. Everywhere, each process also has its own RLIMITs (address space, CPU time, file
size) and the worker's user a process limit: where cgroups cannot be used those are what
holds, and the grader says so.

Children are forked from a warm server (autograder.sandbox.inside.fork_server) that has already
imported numpy, matplotlib and torch: one sandbox and one server per grading worker, a fresh child
per submission, and everything that child started killed before the next one.
"""
import functools
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from autograder.layout import PACKAGE, STAGED_IN_SANDBOX, python_files
from autograder.sandbox import cgroups
from autograder.sandbox.fork_client import Child, ForkServer

# What a course notebook's setup cell imports: loaded once per worker by the fork server.
PRELOAD = ("numpy", "matplotlib", "matplotlib.pyplot", "torch", "torch.nn.functional",
           "IPython.core.interactiveshell", "traitlets.config")
STUB_INIT = '''"""The grader's stand-in inside the sandbox: check cells are not graded here."""


def check(function):
    return None


def grade(function):
    return 0.0
'''
NOBODY = 65534
FIRST_WORKER_USER = 2**30  # + a worker's pid: far from real users and from nobody
# One BLAS/OpenMP thread: parallel grading uses the cores, and sums come out the same.
CHILD_ENV = {"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1",
             "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1",
             "PYTHONDONTWRITEBYTECODE": "1", "HOME": "/tmp", "MPLCONFIGDIR": "/tmp",
             "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
REDUCED_ISOLATION = ("warning: bubblewrap is not available, so student code runs without a "
                     "sandbox (same limits, no filesystem or network isolation). Install it "
                     "with `make system` (Debian: apt-get install bubblewrap).")
REDUCED_LIMITS = ("warning: {what} cannot be limited per submission here ({why}): each "
                  "process has its own limits (RLIMITs) instead, which do not count shared "
                  "memory. Run the grader as root, or in a cgroup delegated to it, for "
                  "per-submission limits.")
LIMITED_BY_CGROUP = {"memory": "memory", "pids": "processes", "cpu": "the CPU share"}


@dataclass(frozen=True)
class Limits:
    """What one submission may use."""
    cell_seconds: float = 30.0         # one top-level cell, like nbgrader's timeout
    call_seconds: float = 10.0         # one call of a student function
    submission_seconds: float = 300.0  # everything for one notebook, wall clock
    cpu_seconds: int = 300
    memory_bytes: int = 4 * 2**30      # address space: torch alone maps about 0.7 GiB;
    #                                    and, with cgroups, all processes' memory together
    processes: int = 256               # threads count too
    cpus: float = 1.0                  # with cgroups: cores its processes may use together
    file_bytes: int = 64 * 2**20       # the largest file it may write
    tmp_bytes: int = 512 * 2**20       # all of its private /tmp, which is in memory


def _namespace_args() -> list[str]:
    """As root, bwrap runs privileged and `setpriv` makes the child a real unprivileged
    user, so that the process limit applies (root, and a user namespace's root that maps to
    it, ignore RLIMIT_NPROC). Otherwise bwrap maps the grader's user to nobody itself."""
    if os.getuid() == 0:
        return ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                "--unshare-cgroup-try"]
    return ["--unshare-all", "--uid", str(NOBODY), "--gid", str(NOBODY), "--cap-drop", "ALL"]


def _drop_privileges(user: int) -> list[str]:
    if os.getuid() == 0:
        return [shutil.which("setpriv") or "/usr/bin/setpriv", f"--reuid={user}",
                f"--regid={user}", "--clear-groups", "--no-new-privs", "--"]
    return []


def _worker_user() -> int:
    """As root, the user this grading worker's submissions run as: one of its own, not
    nobody. RLIMIT_NPROC counts every process of a user, so workers sharing one would share
    the limit (a fork bomb graded in one worker stops the other's fork server from starting
    its child), and without bubblewrap they could kill each other's processes. Nobody when
    the user namespace has no such ids (a container's)."""
    user = FIRST_WORKER_USER + os.getpid()
    with open("/proc/self/uid_map") as uid_map:
        for line in uid_map:
            first, _, count = map(int, line.split())
            if first <= user < first + count:
                return user
    return NOBODY


@functools.cache
def bubblewrap_works() -> bool:
    """bwrap is installed and can make its namespaces here (user namespaces may be off)."""
    bwrap = shutil.which("bwrap")
    if not bwrap or (os.getuid() == 0 and not shutil.which("setpriv")):
        return False
    trial = subprocess.run([bwrap, *_namespace_args(), "--ro-bind", "/", "/", "true"],
                           capture_output=True, timeout=30)
    return trial.returncode == 0


def _binds(read_only: list[str]) -> list[str]:
    """The system read-only, and each extra path read-only at the same place, its parent
    folders created traversable (bwrap would make them 0700, closed to nobody)."""
    args = []
    for top in ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib64", "/lib32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    parents = sorted({str(parent) for path in read_only for parent in Path(path).parents
                      if str(parent) not in ("/", "/tmp") and not str(parent).startswith("/usr")},
                     key=lambda p: p.count("/"))
    for parent in parents:
        args += ["--perms", "0755", "--dir", parent]
    for path in read_only:
        args += ["--ro-bind", path, path]
    return args


def _others_can_run_python() -> bool:
    """Whether an unprivileged user can reach this Python (not if it lives under /root)."""
    paths = {os.path.realpath(sys.executable), sys.prefix, sys.base_prefix}
    return all(os.stat(folder).st_mode & 0o001 for path in paths
               for folder in [path, *map(str, Path(path).parents)] if os.path.isdir(folder))


def _processes_of(uid: int) -> int:
    count = 0
    for entry in os.scandir("/proc"):
        try:
            count += entry.name.isdigit() and entry.stat().st_uid == uid
        except OSError:  # the process ended while we looked
            pass
    return count


class Sandbox:
    """Starts one grading child per submission, forked from a warm server in a sandbox.

    Picklable, so that each grading worker process gets a copy; each copy starts its own
    server on first use.
    """

    def __init__(self, limits: Limits = Limits(), *, isolate: bool | None = None,
                 preload: tuple[str, ...] = PRELOAD, use_cgroups: bool = True):
        self.limits = limits
        self.isolated = bubblewrap_works() if isolate is None else isolate
        self.preload = preload
        self._cgroups, self.reduced_limits = self._find_cgroups(use_cgroups)
        # A non-root grader's own processes count against RLIMIT_NPROC too.
        self._process_allowance = limits.processes + (0 if os.getuid() == 0 else
                                                      _processes_of(os.getuid()))
        self._staging = Path(tempfile.mkdtemp(prefix="hadamard-grader-"))
        package = self._staging / "autograder"
        package.mkdir()
        (package / "__init__.py").write_text(STUB_INIT)
        for file in python_files(*STAGED_IN_SANDBOX):
            staged = package / file.relative_to(PACKAGE)
            staged.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(file, staged)
        for folder in package.rglob("*"):  # sandbox/, above sandbox/inside/, is empty here
            if folder.is_dir():
                (folder / "__init__.py").touch()
        os.chmod(self._staging, 0o755)
        self._server = None

    def __getstate__(self):
        return {**self.__dict__, "_server": None}

    @property
    def limits_per_submission(self) -> tuple[str, ...]:
        """The controllers that limit each submission as a whole."""
        return tuple(c for c in cgroups.CONTROLLERS
                     if any(c in hierarchy.controllers for hierarchy in self._cgroups))

    @property
    def warnings(self) -> list[str]:
        """What a run says once, on stderr: how this machine falls short of the full
        isolation."""
        return [warning for warning in (
            "" if self.isolated else REDUCED_ISOLATION, self.reduced_limits) if warning]

    def _cgroup_limits(self) -> dict:
        return {"memory_bytes": self.limits.memory_bytes, "processes": self.limits.processes,
                "cpus": self.limits.cpus}

    def _find_cgroups(self, wanted: bool) -> tuple[list[cgroups.Hierarchy], str]:
        """Where submissions' cgroups are made (tried once, here), and the warning for the
        controllers that cannot be used."""
        found = cgroups.hierarchies() if wanted else []
        why = cgroups.trial(found, **self._cgroup_limits()) if wanted else "turned off"
        if why:
            found = []
        missing = [c for c in cgroups.CONTROLLERS if not any(c in h.controllers for h in found)]
        if not missing:
            return found, ""
        *others, last = [LIMITED_BY_CGROUP[c] for c in missing]
        what = f"{', '.join(others)} and {last}" if others else last
        return found, REDUCED_LIMITS.format(what=what[0].upper() + what[1:],
                                            why=why or "no such controller for this process")

    def close(self):
        if self._server is not None:
            self._server.stop()
            self._server = None
        shutil.rmtree(self._staging, ignore_errors=True)

    @property
    def _workroot(self) -> Path:
        """This process's folder of submission copies: what its server sees as /submissions."""
        root = self._staging / f"work-{os.getpid()}"
        root.mkdir(mode=0o755, exist_ok=True)
        return root

    def workdir_for(self, folder: Path) -> Path:
        """A private, writable copy of the submission's own folder (files only)."""
        workdir = Path(tempfile.mkdtemp(prefix="submission-", dir=self._workroot))
        for entry in folder.iterdir() if folder.is_dir() else ():
            if entry.is_file() and not entry.is_symlink() \
                    and entry.stat().st_size <= self.limits.file_bytes:
                shutil.copy(entry, workdir / entry.name)
        os.chmod(workdir, 0o777)
        return workdir

    def server_command(self) -> tuple[list[str], dict, str]:
        """(argv, environment, cwd) of this process's fork server."""
        server = [sys.executable, "-m", "autograder.sandbox.inside.fork_server",
                  "--preload", ",".join(self.preload)]
        if not self.isolated:
            # As a user of its own (not nobody, whom others share), whatever that user owns
            # is the submissions' to remove.
            own = self._runs_as_own_user() and _worker_user() != NOBODY
            server += ["--own-user"] if own else []
            return server, {**CHILD_ENV, "PYTHONPATH": str(self._staging)}, "/"
        env = [arg for key, value in {**CHILD_ENV, "PYTHONPATH": "/grader"}.items()
               for arg in ("--setenv", key, value)]
        python = sorted({sys.base_prefix, sys.prefix})
        argv = [shutil.which("bwrap"), *_namespace_args(), "--die-with-parent", "--new-session",
                # /tmp is a tmpfs, in memory that no rlimit counts: without a size, files
                # of the largest size allowed, one after another, would fill the machine's.
                # It comes first, so that a Python or venv that lives under /tmp is bound
                # on top of it rather than hidden by it.
                "--perms", "1777", "--size", str(self.limits.tmp_bytes), "--tmpfs", "/tmp",
                *_binds(python), "--perms", "0755", "--dir", "/grader",
                "--ro-bind", str(self._staging / "autograder"), "/grader/autograder",
                # Read-only: each child works on its own copy in /tmp, whose size is capped,
                # so no submission can fill the host's disk.
                "--ro-bind", str(self._workroot), "/submissions",
                # /dev read-only (it is a tmpfs of no size limit; its shm/ with it), and
                # the IPC namespace's message queues where the server can remove them.
                "--dev", "/dev", "--mqueue", "/dev/mqueue", "--remount-ro", "/dev",
                "--proc", "/proc",
                "--chdir", "/tmp",
                "--clearenv", *env, *_drop_privileges(_worker_user()), *server, "--isolated"]
        return argv, {}, "/"

    def prepare(self) -> "ForkServer":
        """This process's fork server, started now if need be, without waiting for it: it
        imports numpy and torch while the caller does its own start-up."""
        if self._server is None or not self._server.alive():
            argv, env, cwd = self.server_command()
            self._server = ForkServer(argv, env, cwd,
                                       functools.partial(self._limit, _worker_user()))
        return self._server

    def start(self, workdir: Path) -> Child:
        """A fresh grading child for one submission, working in `workdir`."""
        server = self.prepare()
        where = ({"cwd": f"/submissions/{workdir.name}", "copy_to": "/tmp/submission"}
                 if self.isolated else {"cwd": str(workdir)})
        cgroup = (cgroups.SubmissionCgroup(self._cgroups, **self._cgroup_limits())
                  if self._cgroups else None)
        try:
            return server.fork({**where, "cpu_seconds": self.limits.cpu_seconds,
                                "memory_bytes": self.limits.memory_bytes,
                                "file_bytes": self.limits.file_bytes}, cgroup)
        except BaseException:
            if cgroup is not None:
                cgroup.remove()
            raise

    def _runs_as_own_user(self) -> bool:
        return not self.isolated and os.getuid() == 0 and _others_can_run_python()

    def _limit(self, user: int):
        """In the server, before exec: limits that bwrap and everything under it inherit
        (each child sets its own CPU, memory and file limits again after the fork)."""
        limits = self.limits
        for kind, value in ((resource.RLIMIT_AS, limits.memory_bytes),
                            (resource.RLIMIT_FSIZE, limits.file_bytes),
                            (resource.RLIMIT_NPROC, self._process_allowance),
                            (resource.RLIMIT_CORE, 0)):
            resource.setrlimit(kind, (value, value))
        if self._runs_as_own_user():
            os.setgid(user)  # no sandbox: at least not root
            os.setuid(user)
