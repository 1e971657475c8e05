"""The fork server: runs inside a grading sandbox, imports the heavy libraries once, then
forks a fresh grading child (autograder.sandbox.inside.child) for each submission.

A notebook's setup cell imports numpy, matplotlib and torch: about 1.5 s per process, paid
here once per worker instead of once per submission. A fork costs milliseconds.

The grader talks to it over a Unix socket on fd 0 (JSON lines; a fork request carries the
child's two pipe ends as file descriptors, then `cgroups` cgroup.procs files that the child
writes "0" to, joining its submission's cgroups, before anything else):
  {"fork": {"cwd": ..., "copy_to": ..., "cpu_seconds": ..., "memory_bytes": ...,
            "file_bytes": ..., "cgroups": n}}
      -> {"pid": n}          the child runs autograder.sandbox.inside.child on the passed pipes
  {"status": n}  -> {"exit": code} | {"signal": name} | {"running": true}
  {"reset": true} -> {"clean": true}: every child and all they started are killed, and the
                     IPC objects and files they made are removed
"""
import ctypes
import importlib
import json
import os
import resource
import shutil
import signal
import socket
import sys
import time

PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
IPC_RMID = 0
CANNOT_JOIN_CGROUP = 125  # the child's exit status when it cannot enter its cgroup


def preload(modules):
    for name in modules:
        before = set(sys.modules)
        try:
            importlib.import_module(name)
        except Exception:
            # Forget the half-imported modules, so that the notebook's own import fails
            # again, visibly, instead of finding a broken module.
            for module in set(sys.modules) - before:
                del sys.modules[module]
    if "torch" in sys.modules:
        # A process's first backward pass with a given gradient costs about a second (lazy
        # set-up in torch); done here once, every forked child starts with it done.
        try:
            torch = sys.modules["torch"]
            x = torch.ones((2, 2), dtype=torch.float64, requires_grad=True)
            (x * x).backward(torch.ones_like(x))     # a gradient given, as the course does
            (x * x).sum().backward()
        except Exception:
            pass
    if "IPython.core.interactiveshell" in sys.modules:
        from autograder.sandbox.inside import child

        child.shell()


def _children_of(pid: int) -> set[int]:
    """Every descendant of `pid`, found through /proc (setsid() does not hide them)."""
    parents = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as f:
                    parents[int(entry.name)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass  # it ended while we looked
    tree, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return tree


def _kill(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


EXITED: dict[int, int] = {}  # wait statuses of children reaped before anyone asked


def _reap():
    try:
        while True:
            pid, code = os.waitpid(-1, os.WNOHANG)
            if not pid:
                return
            EXITED[pid] = code
    except ChildProcessError:
        pass


def _remove_anyway(function, path, _):
    """rmtree's error handler: a submission may have made a folder of its /tmp read-only
    (to outlive the reset); all of it is this server's user's, so it can be opened again."""
    for folder in (os.path.dirname(path), path):
        try:
            os.chmod(folder, 0o700)
        except OSError:
            pass
    function(path)


# Top folders of /tmp that hold this Python or its venv (bound read-only there when the
# grader itself lives under /tmp): never emptied.
_HOLDS_PYTHON = {os.path.join("/tmp", os.path.relpath(path, "/tmp").split(os.sep)[0])
                 for path in (sys.prefix, sys.base_prefix) if path.startswith("/tmp/")}
# Where a submission can leave files (in a sandbox: its private /tmp, its IPC namespace's
# message queues; /dev is read-only there), and, as a user of its own outside one, the
# system's shared folders. In a sandbox everything there is the submissions'; outside,
# what the server's user owns.
SANDBOX_SCRATCH = ("/tmp", "/dev/shm", "/dev/mqueue")
SHARED_SCRATCH = ("/tmp", "/var/tmp", "/dev/shm", "/dev/mqueue")


def _remove_ipc_objects(owner: int | None):
    """Remove the SysV shared memory segments, semaphore sets and message queues (all, or
    those `owner` created): a segment detached from every process outlives them, readable
    by whoever comes next, and no rlimit counts it. Segments still attached go when their
    (killed) processes are gone."""
    libc = ctypes.CDLL(None, use_errno=True)
    remove = {"shm": lambda id_: libc.shmctl(id_, IPC_RMID, None),
              "sem": lambda id_: libc.semctl(id_, 0, IPC_RMID),
              "msg": lambda id_: libc.msgctl(id_, IPC_RMID, None)}
    for kind, remove_one in remove.items():
        try:
            with open(f"/proc/sysvipc/{kind}") as table:
                header, *rows = [line.split() for line in table]
        except (OSError, ValueError):
            continue
        for row in rows:
            fields = dict(zip(header, row))
            if owner is None or int(fields["cuid"]) == owner:
                remove_one(int(row[1]))  # the id; an error means it is gone already


def _remove_files(folders, owner: int | None):
    """Empty these folders (of what `owner` owns, if given)."""
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # not there (no mqueue file system mounted)
        for entry in entries:
            try:
                if entry.path in _HOLDS_PYTHON or \
                        owner is not None and entry.stat(follow_symlinks=False).st_uid != owner:
                    continue
                shutil.rmtree(entry.path, onerror=_remove_anyway) \
                    if entry.is_dir(follow_symlinks=False) else os.unlink(entry.path)
            except OSError:
                pass  # removed meanwhile, or not ours to remove


def clean(isolated: bool, own_user: bool):
    """Remove what submissions left in the sandbox, or, outside one as a user of its own,
    what that user owns in the shared places. Outside one as the grader's user, nothing: it
    may own other things of the same kinds."""
    if isolated or own_user:
        owner = None if isolated else os.getuid()
        _remove_ipc_objects(owner)
        _remove_files(SANDBOX_SCRATCH if isolated else SHARED_SCRATCH, owner)


def reset(isolated: bool, own_user: bool):
    """Kill the child and everything it started: all descendants of this server, which is
    their subreaper, so even processes that double-forked away are found. Then what they
    made is removed (clean())."""
    if isolated:
        # In the sandbox's pid namespace kill(-1) reaches every process but this server and
        # bwrap, and no fork slips past it; a process that keeps forking and exiting (a new
        # pid each time) can slip between listing the processes and killing them.
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass  # nothing else was running
    victims = _children_of(os.getpid()) - {os.getpid()}
    _kill(victims)
    deadline = time.monotonic() + 5
    _reap()  # reaped first: a killed child stays in /proc until it is
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{p}") for p in victims):
        time.sleep(0.001)
        _reap()
    EXITED.clear()
    clean(isolated, own_user)


def status(pid: int) -> dict:
    """How child `pid` ended, waiting up to 2 s for it to end."""
    deadline = time.monotonic() + 2
    while pid not in EXITED and time.monotonic() < deadline:
        _reap()
        time.sleep(0.01)
    if pid not in EXITED:
        return {"running": True}
    code = EXITED.pop(pid)
    if os.WIFSIGNALED(code):
        return {"signal": signal.Signals(os.WTERMSIG(code)).name}
    return {"exit": os.WEXITSTATUS(code)}


def run_child(connection, request: dict, fds):
    """In the forked child: become a fresh grading child on the passed pipes."""
    # Close the server's socket itself: close() alone leaves it open while the server's
    # reply file still refers to it, and with it student code could read the grader's next
    # messages (a reset, the next student's fork and pipes) and answer them.
    os.close(connection.detach())
    join, fds = fds[2:], fds[:2]
    try:  # never run a submission outside its limits
        if len(join) != request.get("cgroups", 0):
            raise OSError("the cgroups did not all arrive")
        for fd in join:
            os.write(fd, b"0")
            os.close(fd)
    except OSError:
        os._exit(CANNOT_JOIN_CGROUP)
    os.setsid()
    os.dup2(fds[0], 0)
    os.dup2(fds[1], 1)
    for fd in fds:
        os.close(fd)
    for kind, key in ((resource.RLIMIT_CPU, "cpu_seconds"), (resource.RLIMIT_AS, "memory_bytes"),
                      (resource.RLIMIT_FSIZE, "file_bytes")):
        resource.setrlimit(kind, (request[key], request[key]))
    folder = request["cwd"]
    if request.get("copy_to"):  # in a sandbox: work on a copy in the size-capped /tmp
        shutil.copytree(folder, request["copy_to"])
        folder = request["copy_to"]
    os.chdir(folder)
    # The server's start folder (its /tmp) heads sys.path: the submission's own folder goes
    # there instead, so that its helper modules import (as in nbgrader's kernel) and nothing
    # an earlier submission left in /tmp can shadow a module.
    sys.path[0] = folder
    from autograder.sandbox.inside import child

    child.main()


def _messages(connection):
    """(message, fds) pairs from the grader, one JSON line each."""
    buffer, fds = b"", []
    while True:
        while b"\n" not in buffer:
            data, more_fds, _, _ = socket.recv_fds(connection, 1 << 16, 8)
            if not data:
                return
            buffer += data
            fds += more_fds
        line, buffer = buffer.split(b"\n", 1)
        yield json.loads(line), fds
        fds = []


def main():
    isolated, own_user = "--isolated" in sys.argv, "--own-user" in sys.argv
    connection = socket.socket(fileno=os.dup(0))
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    # Children run as the same user: without this they could ptrace the server, or read its
    # memory, and plant code in the next student's child.
    libc = ctypes.CDLL(None)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    # Orphans of a child (a daemon's double fork) become ours, so reset() finds them.
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    clean(isolated, own_user)  # what an earlier server of this worker's user left
    preload(sys.argv[sys.argv.index("--preload") + 1].split(",") if "--preload" in sys.argv
            else ())
    reply = connection.makefile("wb", buffering=0)
    reply.write(b'{"ready": true}\n')
    for message, fds in _messages(connection):
        _reap()
        if "fork" in message:
            pid = os.fork()
            if pid == 0:
                try:
                    run_child(connection, message["fork"], fds)
                finally:
                    os._exit(0)
            for fd in fds:
                os.close(fd)
            answer = {"pid": pid}
        elif "status" in message:
            answer = status(int(message["status"]))
        else:
            reset(isolated, own_user)
            answer = {"clean": True}
        reply.write(json.dumps(answer).encode() + b"\n")


if __name__ == "__main__":
    main()
