"""Limits per submission: a cgroup for each grading child, made by the grader.

RLIMITs count one process at a time: three forked children of 1.5 GiB each, or SysV shared
memory detached from every process, are not counted against a 4 GiB limit. A cgroup counts
all of a submission's processes together, and the memory cgroup counts the shared memory and
the tmpfs pages they touch (its /tmp) too. Each child gets one cgroup per hierarchy that
holds a controller we use (memory, pids, cpu): on cgroup v1 one per controller's hierarchy,
on v2 one. The grader opens each cgroup's `cgroup.procs` and hands the open files to the
fork server with the fork request; the forked child writes "0" to them (moving itself in:
the kernel checks the permissions of whoever opened the file, the grader) before it runs
anything of the student's, then closes them. After the child is killed the grader kills
whatever is left in the cgroups and removes them.

Where this cannot work (not root and nothing delegated, no controller, a container's
namespace whose own cgroup cannot have children with controllers), hierarchies() finds
nothing or trial() fails, and the grader says so: the per-process limits still hold.
"""
import os
import signal
import time
import uuid
from dataclasses import dataclass
from itertools import count
from pathlib import Path

CONTROLLERS = ("memory", "pids", "cpu")
PREFIX = "hadamard-submission-"
CPU_PERIOD_US = 100_000
# Written only where the kernel has them: swap accounting may be off.
OPTIONAL = {"memory.memsw.limit_in_bytes", "memory.swap.max"}
_numbers = count()


class CgroupError(OSError):
    """A submission's cgroup could not be made or set up."""


@dataclass(frozen=True)
class Hierarchy:
    """Where this grader makes submissions' cgroups for some controllers."""
    version: int                   # 1 or 2
    parent: Path                   # the folder the cgroups are made in
    controllers: tuple[str, ...]


def settings(version: int, controllers, *, memory_bytes: int, processes: int,
             cpus: float) -> dict[str, str]:
    """The files a submission's cgroup is given, in the order they must be written (v1's
    memory+swap limit may not be below the memory limit)."""
    quota = str(max(1000, int(cpus * CPU_PERIOD_US)))
    wanted = {
        1: {"memory": {"memory.limit_in_bytes": str(memory_bytes),
                       "memory.memsw.limit_in_bytes": str(memory_bytes)},
            "pids": {"pids.max": str(processes)},
            # Equal shares with every other submission, and at most `cpus` cores.
            "cpu": {"cpu.shares": "1024", "cpu.cfs_period_us": str(CPU_PERIOD_US),
                    "cpu.cfs_quota_us": quota}},
        2: {"memory": {"memory.max": str(memory_bytes), "memory.swap.max": "0"},
            "pids": {"pids.max": str(processes)},
            "cpu": {"cpu.weight": "100", "cpu.max": f"{quota} {CPU_PERIOD_US}"}},
    }[version]
    return {name: value for controller in controllers
            for name, value in wanted[controller].items()}


def _mounts(mountinfo: str) -> list[tuple[str, str, str, set[str]]]:
    """(type, mount point, root inside the hierarchy, super options) of each cgroup mount."""
    found = []
    for line in mountinfo.splitlines():
        fields = line.split()
        rest = fields[fields.index("-") + 1:]
        if rest[0] in ("cgroup", "cgroup2"):
            found.append((rest[0], fields[4], fields[3], set(rest[2].split(","))))
    return found


def _inside(mount_point: str, mount_root: str, path: str) -> Path | None:
    """Where cgroup `path` (as /proc/self/cgroup gives it) is under this mount, if it is."""
    if mount_root == "/":
        return Path(mount_point, path.lstrip("/"))
    if path == mount_root or path.startswith(mount_root + "/"):
        return Path(mount_point, path[len(mount_root):].lstrip("/"))
    return None


def _v2_parent(own: Path, mount_point: str) -> tuple[Path, tuple[str, ...]]:
    """Where v2 cgroups can be made: a cgroup with processes cannot have children that use
    controllers (unless it is the root), so the grader's own cgroup if its children already
    get them, else its parent (its children, the grader's cgroup among them, do). Nothing is
    ever enabled: that would change other processes' cgroups."""
    for candidate in (own, own.parent):
        if not candidate.is_relative_to(mount_point):
            break
        try:
            enabled = (candidate / "cgroup.subtree_control").read_text().split()
        except OSError:
            continue
        usable = tuple(c for c in CONTROLLERS if c in enabled)
        if usable:
            return candidate, usable
    return own, ()


def hierarchies(mountinfo: str | None = None, cgroup: str | None = None) -> list[Hierarchy]:
    """The cgroup folders this process could make submissions' cgroups in, by controller:
    v1 hierarchies first (what hybrid machines use), then v2 for what v1 does not have.
    `mountinfo` and `cgroup`: the text of /proc/self/mountinfo and /proc/self/cgroup."""
    try:
        mounts = _mounts(mountinfo if mountinfo is not None
                         else Path("/proc/self/mountinfo").read_text())
        own = [line.split(":", 2) for line in (
            cgroup if cgroup is not None else Path("/proc/self/cgroup").read_text()).splitlines()]
    except OSError:
        return []
    found: dict[Path, list[str]] = {}
    for _, names, path in own:
        for controller in set(names.split(",")) & set(CONTROLLERS):
            for kind, point, root, options in mounts:
                where = _inside(point, root, path) if kind == "cgroup" \
                    and controller in options else None
                if where is not None and where.is_dir():
                    found.setdefault(where, []).append(controller)
                    break
    result = [Hierarchy(1, where, tuple(c for c in CONTROLLERS if c in controllers))
              for where, controllers in found.items()]
    missing = [c for c in CONTROLLERS if not any(c in h.controllers for h in result)]
    v2_path = next((path for hid, names, path in own if hid == "0" and not names), None)
    v2_mount = next(((point, root) for kind, point, root, _ in mounts if kind == "cgroup2"),
                    None)
    if missing and v2_path is not None and v2_mount is not None:
        where = _inside(*v2_mount, v2_path)
        if where is not None and where.is_dir():
            parent, usable = _v2_parent(where, v2_mount[0])
            usable = tuple(c for c in usable if c in missing)
            if usable:
                result.append(Hierarchy(2, parent, usable))
    return result


class SubmissionCgroup:
    """One grading child's cgroups (one per hierarchy), from mkdir to rmdir."""

    def __init__(self, hierarchies: list[Hierarchy], *, memory_bytes: int, processes: int,
                 cpus: float):
        name = f"{PREFIX}{os.getpid()}-{next(_numbers)}-{uuid.uuid4().hex[:8]}"
        self.folders: list[Path] = []
        try:
            for hierarchy in hierarchies:
                folder = hierarchy.parent / name
                folder.mkdir(mode=0o755)
                self.folders.append(folder)
                for file, value in settings(hierarchy.version, hierarchy.controllers,
                                            memory_bytes=memory_bytes, processes=processes,
                                            cpus=cpus).items():
                    if file in OPTIONAL and not (folder / file).exists():
                        continue
                    (folder / file).write_text(value)
        except OSError as error:
            self.remove()
            raise CgroupError(f"its cgroup could not be set up ({error})") from error

    def open_procs(self) -> list[int]:
        """Files that move whoever writes "0" to them into these cgroups (the caller
        closes them)."""
        fds: list[int] = []
        try:
            for folder in self.folders:
                fds.append(os.open(folder / "cgroup.procs", os.O_WRONLY | os.O_CLOEXEC))
        except OSError as error:
            for fd in fds:
                os.close(fd)
            raise CgroupError(f"its cgroup could not be opened ({error})") from None
        return fds

    def processes(self) -> set[int]:
        """The pids in any of these cgroups now (the grader's pid namespace)."""
        found = set()
        for folder in self.folders:
            try:
                found |= {int(pid) for pid in (folder / "cgroup.procs").read_text().split()}
            except OSError:
                pass  # removed already
        return found

    def remove(self, seconds: float = 5) -> bool:
        """Kill every process left in the cgroups, then remove them; False if one could not
        be removed within `seconds` (a process that would not die)."""
        deadline = time.monotonic() + seconds
        while self.folders:
            for pid in self.processes():
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            for folder in list(self.folders):
                try:
                    folder.rmdir()
                except FileNotFoundError:
                    pass
                except OSError:  # busy: a process in it has not finished exiting
                    continue
                self.folders.remove(folder)
            if self.folders:
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.001)
        return True


def trial(found: list[Hierarchy], **limits) -> str:
    """Why cgroups cannot be used here for these limits ("" when they can): one is made,
    set up and removed."""
    if not found:
        return "no cgroup controller this process may use"
    try:
        SubmissionCgroup(found, **limits).remove()
    except CgroupError as error:
        return str(error.__cause__)
    return ""
