"""The grader's end of a worker's fork server (autograder.sandbox.inside.fork_server): the
server process, the messages that ask it for a child, reset it and read how a child ended,
and each child it forked, on the two pipes the grader talks to it over."""
import json
import os
import signal
import socket
import subprocess

from autograder.sandbox import cgroups


class Child:
    """One submission's grading child, forked by the server: its two pipes, its cgroup (if
    any), and how to end it."""

    def __init__(self, server: "ForkServer", pid: int, stdin, stdout,
                 cgroup: cgroups.SubmissionCgroup | None = None):
        self.server, self.pid, self.stdin, self.stdout = server, pid, stdin, stdout
        self.cgroup = cgroup

    def exit_reason(self) -> str:
        answer = self.server.ask({"status": self.pid})
        if "signal" in answer:
            return f"it was killed by signal {answer['signal']}"
        if answer.get("exit") is not None:
            return f"it exited with status {answer['exit']}"
        return "it stopped answering"

    def kill(self):
        """Kill the child and everything it started; the server is reset for the next one
        (which removes what it left in its sandbox), and its cgroup removed."""
        self.server.reset()  # first: a child whose pipes close may exit, orphaning
        if self.cgroup is not None:  # what the reset missed is killed with it
            self.cgroup.remove()
        for stream in (self.stdin, self.stdout):
            stream.close()


class ForkServer:
    """The grader's end of autograder.sandbox.inside.fork_server, running in a sandbox (or not)."""

    START_SECONDS = 120  # importing torch on a loaded machine

    def __init__(self, argv, env, cwd, preexec_fn):
        mine, theirs = socket.socketpair()
        self.process = subprocess.Popen(argv, stdin=theirs, stdout=theirs,
                                        stderr=subprocess.DEVNULL, cwd=cwd, env=env,
                                        start_new_session=True, preexec_fn=preexec_fn)
        theirs.close()
        self.socket = mine
        self.replies = mine.makefile("rb")
        self._ready = False   # its heavy imports run while the grader does its own

    def _wait_until_ready(self):
        if not self._ready:
            self._expect(self.START_SECONDS)
            self._ready = True

    def _expect(self, seconds: float) -> dict:
        self.socket.settimeout(seconds)
        try:
            line = self.replies.readline()
        except OSError:  # a timeout: the server is stuck
            line = b""
        if not line:
            self.stop()
            raise ServerGone("the grading sandbox stopped answering")
        return json.loads(line)

    def ask(self, message: dict, fds=(), seconds: float = 10) -> dict:
        self._wait_until_ready()
        try:
            socket.send_fds(self.socket, [json.dumps(message).encode() + b"\n"], list(fds))
        except OSError:
            self.stop()
            raise ServerGone("the grading sandbox is gone") from None
        return self._expect(seconds)

    def fork(self, request: dict, cgroup: cgroups.SubmissionCgroup | None) -> Child:
        """A child that joins `cgroup` (its cgroup.procs files go with the request) before
        it runs anything else."""
        join = cgroup.open_procs() if cgroup is not None else []
        to_child, from_grader = os.pipe()
        from_child, to_grader = os.pipe()
        try:
            answer = self.ask({"fork": {**request, "cgroups": len(join)}},
                              fds=(to_child, to_grader, *join))
        finally:
            for fd in (to_child, to_grader, *join):
                os.close(fd)
        return Child(self, answer["pid"], os.fdopen(from_grader, "wb"),
                     os.fdopen(from_child, "rb"), cgroup)

    def reset(self):
        try:
            self.ask({"reset": True}, seconds=15)
        except ServerGone:
            pass  # stopped: its whole sandbox, the child with it, is gone

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        self.socket.close()


class ServerGone(Exception):
    """The fork server died or hung (a submission may have killed it); it is restarted."""
