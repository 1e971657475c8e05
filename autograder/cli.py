"""Command line: `python -m autograder grade PATH... [--json] [--jobs N]`.

A thin layer: parse arguments, call autograder.grading, print, pick the exit code.
"""
import argparse
import json
import sys

from .grading import grade_all
from .sandbox import REDUCED_ISOLATION, Sandbox


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograder",
                                     description="Grade Hadamard course notebooks.")
    commands = parser.add_subparsers(dest="command", required=True)
    grade = commands.add_parser("grade", help="grade notebooks or folders of notebooks "
                                              "(such as nbgrader's submitted/)")
    grade.add_argument("paths", nargs="+", metavar="PATH")
    grade.add_argument("--json", action="store_true",
                       help="print one JSON document on stdout and nothing else")
    grade.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="grade N notebooks at a time (default: all cores)")
    return parser


def _table(rows) -> str:
    lines = [f"{'student':<16} {'assignment':<20} {'score':>12}  status"]
    for row in rows:
        score = f"{row['score']:g}/{row['max_score']:g}"
        status = row["status"] if row["status"] == "graded" else f"error: {row['error']}"
        lines.append(f"{row['student'] or '-':<16} {row['assignment'] or '-':<20} "
                     f"{score:>12}  {status}")
    return "\n".join(lines)


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if args.jobs is not None and args.jobs < 1:
        _parser().error("--jobs must be at least 1")
    sandbox = Sandbox()
    if not sandbox.isolated:
        print(REDUCED_ISOLATION, file=sys.stderr)
    try:
        rows = grade_all(args.paths, sandbox, jobs=args.jobs)
    finally:
        sandbox.close()
    if args.json:
        json.dump({"submissions": rows}, sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(_table(rows))
    return 0
