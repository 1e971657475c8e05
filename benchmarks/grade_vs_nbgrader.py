"""The kit's grader against `nbgrader autograde`, on the same class, in one run.

    .venv/bin/python benchmarks/grade_vs_nbgrader.py [--students 8] [--jobs N]

Releases the course into a temporary folder, hands it in for --students students (a mix
of correct, untouched and partly wrong work, every assignment: 5 x students submissions),
grades everything with stock nbgrader autograde (its own kernel execution: the anchor, as
instructors run nbgrader without the kit), with `nbgrader autograde` as this course
configures it (the kit's sandboxed grading inside nbgrader), and with `python -m autograder
grade` (sandboxed, parallel), checks that all three give the same totals, and prints the
times, the ratio and how many notebooks the kit graded by the fast path.
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

# Appended to the course's config: nbgrader's own autograde pipeline, its kernel execution
# included (the kit's config replaces Execute with its sandboxed grading).
STOCK = """
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute", "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata"]
"""


def autograde_all(course: Path) -> float:
    start = time.perf_counter()
    for assignment in ASSIGNMENTS:
        nbgrader(course, "autograde", assignment, "--force")
    return time.perf_counter() - start


def exported(course: Path) -> dict:
    nbgrader(course, "export")
    with open(course / "grades.csv") as f:
        return {(r["student_id"], r["assignment"]): float(r["score"])
                for r in csv.DictReader(f)}


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

        kit_config = (course / "nbgrader_config.py").read_text()
        (course / "nbgrader_config.py").write_text(kit_config + STOCK)
        nbgrader_seconds = autograde_all(course)
        theirs = exported(course)
        (course / "nbgrader_config.py").write_text(kit_config)
        inside_seconds = autograde_all(course)
        inside = exported(course)

        start = time.perf_counter()
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        graded = subprocess.run([sys.executable, "-m", "autograder", "grade", str(submitted),
                                 "--json", "--out", str(course / "kit-results"), *jobs],
                                capture_output=True, text=True, check=True)
        kit_seconds = time.perf_counter() - start

        rows = json.loads(graded.stdout)["submissions"]
        ours = {(r["student"], r["assignment"]): r["score"] for r in rows}
        fast = sum(row.get("cells_run") == "needed" for row in rows)
        differ = sorted(key for key in theirs.keys() | ours.keys() | inside.keys()
                        if abs(ours.get(key, -1) - theirs.get(key, -1)) > 1e-6
                        or abs(ours.get(key, -1) - inside.get(key, -1)) > 1e-6)
        for key in differ:
            print(f"differ: {key}: stock nbgrader {theirs.get(key)}, nbgrader with the kit "
                  f"{inside.get(key)}, kit {ours.get(key)}")
        agree = not differ
    print(f"submissions            {count}")
    print(f"nbgrader autograde     {nbgrader_seconds:7.1f} s  "
          f"({nbgrader_seconds / count:.2f} s each)")
    print(f"nbgrader + the kit     {inside_seconds:7.1f} s  "
          f"({inside_seconds / count:.2f} s each)")
    print(f"python -m autograder   {kit_seconds:7.1f} s  ({kit_seconds / count:.2f} s each)")
    print(f"speed-up               {nbgrader_seconds / kit_seconds:7.1f}x")
    print(f"fast path              {fast}/{count} notebooks (only the cells the answers need)")
    print(f"same totals            {'yes' if agree else 'NO'}")
    sys.exit(0 if agree else 1)


if __name__ == "__main__":
    main()
