"""The grader's throughput on a large class: notebooks per second per core, peak memory.

    .venv/bin/python benchmarks/throughput.py [--students 34] [--jobs N]

Releases the course into a temporary folder, hands it in for --students students (a mix of
correct, untouched and partly wrong work, every assignment: 6 x students notebooks, 204 by
default), grades them with `python -m autograder grade` (sandboxed, parallel), and prints
the wall time, notebooks per second per core, the share graded by the fast path (only the
cells the answers need), and the peak resident memory of the largest grading process.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.build.demo_class import KINDS, hand_in, release


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
        graded = subprocess.run([sys.executable, "-m", "autograder", "grade", str(submitted),
                                 "--json", "--out", str(course / "results"), *jobs],
                                capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - start
    rows = json.loads(graded.stdout)["submissions"]
    fast = sum(row.get("cells_run") == "needed" for row in rows)
    # ru_maxrss of the children: the largest of the grader's processes, in KiB on Linux.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"notebooks              {len(rows)}")
    print(f"wall time              {seconds:7.1f} s  ({seconds / len(rows):.3f} s each)")
    print(f"throughput             {len(rows) / seconds / cores:7.2f} notebooks/s per core "
          f"({cores} cores)")
    print(f"fast path              {fast}/{len(rows)} notebooks")
    print(f"peak memory            {peak:7.0f} MiB (largest grading process)")


if __name__ == "__main__":
    main()
