"""Attacks on the child process itself: exits, hangs, memory, output, files, processes,
signals and crashes."""
from . import ONE_CALL_SCORE, WRONG, WRONG_SCORE, Hostile, on_one_call
from .secrets import USE_LEAK

KILL_EVERYTHING = '''import os, signal
for pid in os.listdir("/proc"):
    if pid.isdigit() and int(pid) != os.getpid():
        try:
            os.kill(int(pid), signal.SIGKILL)
        except OSError:
            pass
try:
    os.kill(-1, signal.SIGKILL)
except OSError:
    pass'''

RECURSION = """import sys
sys.setrecursionlimit(10**6)


class Deep:
    def __repr__(self):
        return repr(self)"""

CASES = [
    # exits
    Hostile("exit-top", "sys.exit() at the top level",
            ("import sys\nsys.exit(3)", WRONG), WRONG_SCORE),
    Hostile("exit-call", "sys.exit() in every call",
            ("import sys\n\ndef hadamard(A, B):\n    sys.exit(0)",), 0,
            feedback="Do not call sys.exit()"),
    Hostile("raise-base", "a BaseException (KeyboardInterrupt) out of one call",
            (on_one_call("raise KeyboardInterrupt"),), ONE_CALL_SCORE),
    Hostile("osexit-top", "os._exit() at the top level",
            ("import os\nos._exit(0)", WRONG), 0, status="error", error="exited with status 0"),
    Hostile("osexit-call", "os._exit() in one call",
            (on_one_call("import os\nos._exit(9)"),), ONE_CALL_SCORE,
            feedback="exited with status 9"),
    Hostile("osexit-all", "os._exit() in every call: the restarts run out",
            ("import os\n\ndef hadamard(A, B):\n    os._exit(9)",), 0, feedback="not run"),
    # time
    Hostile("loop-top", "an infinite loop at the top level",
            ("while True:\n    pass", WRONG), WRONG_SCORE),
    Hostile("loop-swallow", "a top-level loop that catches the time limit and goes on",
            ("while True:\n    try:\n        while True:\n            pass\n"
             "    except BaseException:\n        pass",), 0, status="error",
            error="stopped while running its cells"),
    Hostile("loop-call", "an infinite loop in one call",
            (on_one_call("while True:\n    pass"),), ONE_CALL_SCORE,
            feedback="did not return within"),
    Hostile("loop-noalarm", "SIGALRM ignored, then an infinite loop in one call",
            ("import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)",
             on_one_call("while True:\n    pass")), ONE_CALL_SCORE),
    Hostile("sleep-top", "a sleep longer than the cell limit",
            ("import time\ntime.sleep(600)", WRONG), WRONG_SCORE),
    Hostile("sleep-call", "a sleep longer than the call limit in one call",
            (on_one_call("import time\ntime.sleep(600)"),), ONE_CALL_SCORE),
    # memory
    Hostile("mem-top", "10 GB allocated at the top level",
            ("hoard = bytearray(10 * 2**30)",
             "import numpy as np\nmore = np.ones(10 * 2**30 // 8)", WRONG), WRONG_SCORE),
    Hostile("mem-call", "10 GB allocated in one call",
            (on_one_call("hoard = np.ones(10 * 2**30 // 8)"),), ONE_CALL_SCORE),
    Hostile("mem-grow", "memory touched until the limit, in one call",
            (on_one_call("hoard = []\nwhile True:\n    hoard.append(np.ones(2**25))"),),
            ONE_CALL_SCORE),
    # output
    Hostile("out-top", "1 GB printed at the top level",
            ("print('x' * 2**30)", WRONG), WRONG_SCORE),
    Hostile("out-call", "1 GB printed in one call",
            (on_one_call("print('x' * 2**30)"),), ONE_CALL_SCORE),
    Hostile("out-loop", "printing without end in one call",
            (on_one_call("while True:\n    print('y' * 2**20)"),), ONE_CALL_SCORE),
    # files
    Hostile("bigfile-top", "a 256 MB file in its folder and in /tmp",
            ("with open('big.bin', 'wb') as f:\n    f.write(b'0' * 2**28)",
             "with open('/tmp/big.bin', 'wb') as f:\n    f.write(b'0' * 2**28)", WRONG),
            WRONG_SCORE),
    # Files of the largest size allowed, one after another, in its /tmp (which is memory).
    Hostile("fill-tmp", "1 GB of files in /tmp",
            ("import os\nwritten = 0\ntry:\n    for n in range(16):\n"
             "        with open(f'/tmp/fill-{n}', 'wb') as f:\n"
             "            written += f.write(b'0' * 2**26)\nexcept OSError:\n    pass\n"
             "leaked = written >= 2**30", USE_LEAK), WRONG_SCORE),
    Hostile("bigfile-call", "a 256 MB file written in one call",
            (on_one_call("with open('big.bin', 'wb') as f:\n    f.write(b'0' * 2**28)"),),
            ONE_CALL_SCORE),
    # processes
    Hostile("spawn-top", "sleepers started, in a new session, and double-forked away",
            ("import os, subprocess\n"
             "subprocess.Popen(['sleep', '@SLEEP@'])\n"
             "subprocess.Popen(['sleep', '@SLEEP@'], start_new_session=True)\n"
             "if os.fork() == 0:\n"
             "    os.setsid()\n"
             "    if os.fork() == 0:\n"
             "        os.execvp('sleep', ['sleep', '@SLEEP@'])\n"
             "    os._exit(0)", WRONG), WRONG_SCORE),
    Hostile("spawn-call", "a sleeper started in one call",
            (on_one_call("import subprocess\n"
                         "subprocess.Popen(['sleep', '@SLEEP@'], start_new_session=True)"),),
            ONE_CALL_SCORE),
    # Every process, the notebook's own too, forks and spins for ever (the time limit is
    # caught): the notebook never finishes its cells, for as long as it is allowed to run.
    Hostile("forkbomb", "forks until the process limit, every process spinning",
            ("import os\nwhile True:\n    try:\n        os.fork()\n    except BaseException:\n"
             "        pass",), 0, status="error", error="stopped while running its cells"),
    # signals: its parent is the fork server, and the sandbox ends with it, the notebook too
    # (the sleep makes sure that it is while the cells run); nothing outside is reachable.
    Hostile("kill-parent", "SIGKILL to its parent",
            ("import os, signal, time\nos.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(1)",
             WRONG), 0, status="error", error="its sandbox stopped"),
    Hostile("kill-all", "SIGKILL to every pid it can see, at the top level",
            (KILL_EVERYTHING + "\nimport time\ntime.sleep(1)", WRONG), 0, status="error",
            error="its sandbox stopped"),
    # crashes
    Hostile("segv-top", "a segfault at the top level",
            ("import ctypes\nctypes.string_at(0)", WRONG), 0, status="error",
            error="SIGSEGV"),
    Hostile("segv-call", "a segfault in one call",
            (on_one_call("import ctypes\nctypes.string_at(0)"),), ONE_CALL_SCORE,
            feedback="SIGSEGV"),
    # Recursion through C (repr calling repr) overflows the C stack long before 10**6.
    Hostile("recurse-top", "sys.setrecursionlimit(10**6) and deep recursion at the top level",
            (RECURSION + "\nrepr(Deep())", WRONG), 0, status="error", error="SIGSEGV"),
    Hostile("recurse-call", "deep recursion in one call",
            (RECURSION, on_one_call("repr(Deep())")), ONE_CALL_SCORE, feedback="SIGSEGV"),
]

# A process that changes pid without end (it forks, and the parent exits), so that a reset
# that lists the processes once and kills them misses it; it kills every other child of
# the fork server: the next student's.
PID_HOPPER = r'''import os, signal, time
server = os.getppid()
with open("/proc/self/comm") as f:
    mark = f.read().strip()


def parent_and_name(pid):
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    return int(stat.rsplit(")", 1)[1].split()[1]), stat[stat.index("(") + 1:stat.rindex(")")]


if os.fork() == 0:
    os.setsid()
    while True:
        try:
            if os.fork():
                os._exit(0)
        except OSError:
            pass
        for entry in os.listdir("/proc"):
            try:
                parent, name = parent_and_name(int(entry))
                if parent == server and name != mark:
                    os.kill(int(entry), signal.SIGKILL)
            except (OSError, ValueError):
                pass
        time.sleep(0.001)'''

# Read-only folders in the fork server's /tmp, which a reset that only deletes cannot
# remove: a package named like the next student's own helper module, and the folder that
# student keeps scratch files in.
TMP_PLANT = r'''import os
os.makedirs("/tmp/helpers", exist_ok=True)
with open("/tmp/helpers/__init__.py", "w") as f:
    f.write("import os\nos._exit(7)\n")
os.makedirs("/tmp/scratch", exist_ok=True)
with open("/tmp/scratch/planted", "w") as f:
    f.write("a folder with a file in it is not removed with it")
for folder in ("/tmp/helpers", "/tmp/scratch"):
    os.chmod(folder, 0o555)'''

SEQUENTIAL = [
    Hostile("pid-hopper", "a process that keeps changing pid and kills the next child",
            (PID_HOPPER, WRONG), WRONG_SCORE),
    Hostile("tmp-plant", "a module planted in /tmp where the reset cannot delete it",
            (TMP_PLANT, WRONG), WRONG_SCORE),
    *[case for case in CASES if case.student in ("kill-parent", "forkbomb")],
]

# Limits that only a submission's cgroup can hold (tests/test_hostile.py grades these with
# MEMORY_LIMIT, which leaves each process room for SEGMENT_BYTES or HOG_BYTES of its own):
# memory that no process has mapped, and memory spread over processes.
MEMORY_LIMIT = 2**30
SEGMENT_BYTES = 2**28
HOG_BYTES = 400 * 2**20

# SysV shared memory, each segment filled and detached: no process maps it, it outlives
# them all, and no rlimit counts it; 9 of them are over twice the limit.
SHM_HOARD = f'''import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
for _ in range(9):
    segment = libc.shmget(0, {SEGMENT_BYTES}, 0o1600)  # IPC_PRIVATE, IPC_CREAT | 0600
    address = libc.shmat(segment, None, 0)
    if segment < 0 or address == ctypes.c_void_p(-1).value:
        raise OSError(ctypes.get_errno(), "no segment")
    ctypes.memset(address, 1, {SEGMENT_BYTES})
    libc.shmdt(ctypes.c_void_p(address))'''

# Three forked children, each within its own address-space limit, together over the limit;
# `leaked` when all three hold their memory at once. The OOM killer picks the largest
# process, one of them, not the notebook's own.
FORK_HOGS = f'''import os, select, time
import numpy as np
ready, done = os.pipe()
hogs = []
for _ in range(3):
    pid = os.fork()
    if pid == 0:
        try:
            hoard = np.ones({HOG_BYTES} // 8)
            os.write(done, b"1")
            time.sleep(60)
        finally:
            os._exit(0)
    hogs.append(pid)
os.close(done)
held = b""
while len(held) < 3:
    if select.select([ready], [], [], 0.05)[0]:
        held += os.read(ready, 3)
    elif any(os.waitpid(pid, os.WNOHANG)[0] for pid in hogs):
        break  # one was killed
leaked = len(held) == 3
for pid in hogs:
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass'''

# One of each IPC object, for whoever comes next: SysV segment, semaphore set and message
# queue, and a POSIX message queue (glibc 2.34+ has mq_open in libc).
IPC_PLANT = '''import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
planted = [libc.shmget(0x4858, 4096, 0o1666), libc.semget(0x4858, 1, 0o1666),
           libc.msgget(0x4858, 0o1666),
           libc.mq_open(b"/hx-plant", os.O_CREAT | os.O_RDWR, 0o666, None)]
assert min(planted) >= 0, (planted, ctypes.get_errno())'''

PER_SUBMISSION = [
    Hostile("shm-hoard", "9 x 256 MiB of SysV shared memory, filled and detached",
            (SHM_HOARD, WRONG), 0, status="error", error="killed by signal SIGKILL"),
    Hostile("fork-hogs", "three forked children of 400 MiB each, held together",
            (FORK_HOGS, USE_LEAK), WRONG_SCORE),
    Hostile("ipc-plant", "SysV shared memory, semaphores, message queues and a POSIX "
                         "message queue, left for the next student", (IPC_PLANT, WRONG),
            WRONG_SCORE),
]

# The student graded right after each of PER_SUBMISSION in its worker: full marks only if
# nothing an earlier submission made (IPC objects, message queues, files) is there to see.
LEFT_BEHIND = '''import os, sys
left = [line for kind in ("shm", "sem", "msg")
        for line in open(f"/proc/sysvipc/{kind}").read().splitlines()[1:]]
left += os.listdir("/dev/mqueue") + os.listdir("/dev/shm")
# A Python that lives under /tmp (a CI checkout's venv) is bound there by the sandbox.
python = {p.split("/")[2] for p in (sys.prefix, sys.base_prefix) if p.startswith("/tmp/")}
left += [name for name in os.listdir("/tmp")
         if name not in ("submission", ".ipython", *python)]
assert not left, left
'''
