"""The grader's throughput on a large class: notebooks per second per core, peak memory.

    .venv/bin/python benchmarks/throughput.py [--students 34] [--jobs N]

Releases the course into a temporary folder, hands it in for --students students (a mix of
correct, untouched and partly wrong work, every assignment: 6 x students notebooks, 204 by
default), grades them with `python -m autograder grade` (sandboxed, parallel), and prints
the wall time, notebooks per second per core, the share graded by the fast path (only the
cells the answers need), and peak resident memory, sampled every 0.2 s: of the largest
grading process (the command or one of its workers: the grader's side) and of the largest
sandboxed process (a worker's fork server, which holds torch, or a notebook's child).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.build.demo_class import KINDS, hand_in, release

GRADER = b"autograder\0grade"           # in the command line of the command and its workers
SANDBOXED = b"autograder.sandbox.inside"  # the fork servers, and the children they fork


def _largest_rss() -> dict[bytes, int]:
    """The largest resident set, in KiB, of grading and of sandboxed processes right now."""
    largest = {GRADER: 0, SANDBOXED: 0}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            command = (entry / "cmdline").read_bytes()
            kinds = [kind for kind in largest if kind in command]
            if not kinds:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    largest[kinds[0]] = max(largest[kinds[0]], int(line.split()[1]))
        except (OSError, ValueError):
            pass  # ended while we looked
    return largest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=34)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    cores = args.jobs or os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as folder:
        course = release(Path(folder) / "course")
        students = {f"student{i:03d}": KINDS[i % len(KINDS)] for i in range(args.students)}
        submitted = hand_in(course, students)
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        start = time.perf_counter()
        with tempfile.TemporaryFile("w+") as out:
            grading = subprocess.Popen([sys.executable, "-m", "autograder", "grade",
                                        str(submitted), "--json", "--out",
                                        str(course / "results"), *jobs],
                                       stdout=out, stderr=subprocess.DEVNULL, text=True)
            peak = {GRADER: 0, SANDBOXED: 0}
            while grading.poll() is None:
                for kind, rss in _largest_rss().items():
                    peak[kind] = max(peak[kind], rss)
                time.sleep(0.2)
            seconds = time.perf_counter() - start
            if grading.returncode:
                sys.exit(f"the grade command failed (exit {grading.returncode})")
            out.seek(0)
            rows = json.load(out)["submissions"]
    fast = sum(row.get("cells_run") == "needed" for row in rows)
    print(f"notebooks              {len(rows)}")
    print(f"wall time              {seconds:7.1f} s  ({seconds / len(rows):.3f} s each)")
    print(f"throughput             {len(rows) / seconds / cores:7.2f} notebooks/s per core "
          f"({cores} cores)")
    print(f"fast path              {fast}/{len(rows)} notebooks")
    print(f"peak memory            {peak[GRADER] / 1024:7.0f} MiB (largest grading process)")
    print(f"                       {peak[SANDBOXED] / 1024:7.0f} MiB (largest sandboxed "
          f"process)")


if __name__ == "__main__":
    main()
