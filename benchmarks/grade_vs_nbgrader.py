"""The kit's grader against `nbgrader autograde`, on the same class, in one run.

    .venv/bin/python benchmarks/grade_vs_nbgrader.py [--students 8] [--jobs N]

Releases the course into a temporary folder, hands it in for --students students (a mix
of correct, untouched and partly wrong work, every assignment: 5 x students submissions),
grades everything with nbgrader autograde and with `python -m autograder grade` (sandboxed,
parallel), checks that both give the same totals, and prints both times and their ratio.
"""
import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.build.demo_class import KINDS, hand_in, nbgrader, release
from autograder.checking.course import ASSIGNMENTS


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        course = release(Path(folder) / "course")
        students = {f"student{i:02d}": KINDS[i % len(KINDS)] for i in range(args.students)}
        submitted = hand_in(course, students)
        count = len(list(submitted.rglob("*.ipynb")))

        start = time.perf_counter()
        for assignment in ASSIGNMENTS:
            nbgrader(course, "autograde", assignment, "--force")
        nbgrader_seconds = time.perf_counter() - start
        nbgrader(course, "export")

        start = time.perf_counter()
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        graded = subprocess.run([sys.executable, "-m", "autograder", "grade", str(submitted),
                                 "--json", "--out", str(course / "kit-results"), *jobs],
                                capture_output=True, text=True, check=True)
        kit_seconds = time.perf_counter() - start

        with open(course / "grades.csv") as f:
            theirs = {(r["student_id"], r["assignment"]): float(r["score"])
                      for r in csv.DictReader(f)}
        ours = {(r["student"], r["assignment"]): r["score"]
                for r in json.loads(graded.stdout)["submissions"]}
        differ = sorted(key for key in theirs.keys() | ours.keys()
                        if abs(ours.get(key, -1) - theirs.get(key, -1)) > 1e-6)
        for key in differ:
            print(f"differ: {key}: nbgrader {theirs.get(key)}, kit {ours.get(key)}")
        agree = not differ
    print(f"submissions            {count}")
    print(f"nbgrader autograde     {nbgrader_seconds:7.1f} s  "
          f"({nbgrader_seconds / count:.2f} s each)")
    print(f"python -m autograder   {kit_seconds:7.1f} s  ({kit_seconds / count:.2f} s each)")
    print(f"speed-up               {nbgrader_seconds / kit_seconds:7.1f}x")
    print(f"same totals            {'yes' if agree else 'NO'}")
    sys.exit(0 if agree else 1)


if __name__ == "__main__":
    main()
