"""Command line:

    python -m autograder grade PATH... [--json] [--jobs N] [--out DIR] [--shard K/N]
                                       [--regrade] [--feedback FORMAT] [--nbgrader-course DIR]
    python -m autograder merge FOLDER... [--json] [--out DIR] [--feedback FORMAT]
                                         [--nbgrader-course DIR]
    python -m autograder report DIR [--roster FILE]
    python -m autograder export DIR --to canvas|moodle|gradescope [--roster FILE] [--out PATH]
                                    [--assignment-id ASSIGNMENT=ID ...]
    python -m autograder bundle OUT_DIR
    python -m autograder gradescope build ZIP [--assignment A]
    python -m autograder gradescope run

A thin layer: parse arguments, call autograder.grading.run (grade, merge),
autograder.reports.class_report (report) or autograder.exports.lms (export), write, print,
pick the exit code. With --json, stdout is the contract's JSON document and nothing else.
"""
import argparse
import os
import sys
from pathlib import Path

from autograder.checking.course import ASSIGNMENTS, REGISTRY
from autograder.checking.errors import KitError
from autograder.exports.lms import FORMATS, parse_assignment_id, write_export
from autograder.exports.nbgrader_gradebook import write_to_course
from autograder.grading.run import Shard, grade_submissions, merge_results
from autograder.reports.class_report import write_class_report
from autograder.reports.roster import COLUMNS, read_roster
from autograder.reports.run_reports import (
    FEEDBACK_FORMATS,
    summary_table,
    write_reports,
)
from autograder.sandbox.starter import Sandbox

INTERRUPTED = 130  # the shell's status for a process stopped by Ctrl-C


def _argument(parse):
    """An argparse type from a parser that raises KitError: its message is the usage error."""
    def convert(text: str):
        try:
            return parse(text)
        except KitError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    return convert


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograder",
                                     description="Grade Hadamard course notebooks.")
    outputs = argparse.ArgumentParser(add_help=False)
    outputs.add_argument("--json", action="store_true",
                         help="print one JSON document on stdout and nothing else")
    outputs.add_argument("--out", type=Path, default=Path("grading-results"), metavar="DIR",
                         help="write results and reports here (default: grading-results/)")
    outputs.add_argument("--feedback", choices=[*FEEDBACK_FORMATS, "none"],
                         default="markdown",
                         help="format of the feedback page per submission (default: markdown)")
    outputs.add_argument("--nbgrader-course", type=Path, metavar="DIR",
                         help="also write the scores into the gradebook of the nbgrader "
                              "course rooted at DIR (its nbgrader_config.py says where)")
    commands = parser.add_subparsers(dest="command", required=True)
    grade = commands.add_parser("grade", parents=[outputs],
                                help="grade notebooks or folders of notebooks "
                                     "(such as nbgrader's submitted/)")
    grade.add_argument("paths", nargs="+", metavar="PATH")
    grade.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="grade N notebooks at a time (default: all cores)")
    grade.add_argument("--shard", type=_argument(Shard.parse), metavar="K/N",
                       help="grade only slice K of N (K = 0 .. N-1), for a batch scheduler")
    grade.add_argument("--regrade", action="store_true",
                       help="grade every notebook again, even those --out already holds")
    merge = commands.add_parser("merge", parents=[outputs],
                                help="combine the --out folders of shards into one set of "
                                     "reports")
    merge.add_argument("folders", nargs="+", type=Path, metavar="FOLDER")
    results = argparse.ArgumentParser(add_help=False)
    results.add_argument("results", type=Path, metavar="DIR",
                         help="the --out folder of a grade or merge run")
    results.add_argument("--roster", type=Path, metavar="FILE",
                         help=f"CSV with a header row, columns {','.join(COLUMNS)} (only id, "
                              f"the student's folder name, is required)")
    report = commands.add_parser("report", parents=[results],
                                 help="write the class report, DIR/class-report.html")
    report.add_argument("--nbgrader-course", type=Path, metavar="DIR",
                        help="with the grades given by hand (written answers) in the "
                             "gradebook of the nbgrader course rooted at DIR")
    export = commands.add_parser("export", parents=[results],
                                 help="write the grades for Canvas, Moodle or Gradescope")
    export.add_argument("--to", choices=list(FORMATS), required=True)
    export.add_argument("--out", type=Path, metavar="PATH",
                        help="where (default: DIR/canvas.csv, DIR/moodle.csv, "
                             "DIR/gradescope/)")
    export.add_argument("--assignment-id", type=_argument(parse_assignment_id),
                        action="append", default=[], metavar="ASSIGNMENT=ID",
                        help="canvas: the assignment's id in Canvas, for its column to "
                             "update that assignment (repeat for each)")
    bundle = commands.add_parser("bundle", help="build the student bundle: OUT_DIR and "
                                                "OUT_DIR.zip (released notebooks, public "
                                                "checks, no solutions)")
    bundle.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="a new or empty folder")
    requirements = commands.add_parser(
        "requirements", help="each exercise's requirements, the public and hidden checks "
                             "that enforce them, and any gap in the grading rules")
    requirements.add_argument("exercises", nargs="*", metavar="EXERCISE",
                              help="default: every exercise")
    gradescope = commands.add_parser("gradescope", help="the kit as a Gradescope autograder")
    steps = gradescope.add_subparsers(dest="step", required=True)
    build = steps.add_parser("build", help="write the autograder zip")
    build.add_argument("zip_path", type=Path, metavar="ZIP")
    build.add_argument("--assignment", choices=list(ASSIGNMENTS),
                       help="the assignment it grades (default: whichever the notebook's "
                            "file name says)")
    steps.add_parser("run", help="grade $AUTOGRADER_ROOT/submission (default /autograder): "
                                 "what run_autograder does on Gradescope")
    return parser


def _build(args) -> int:
    """The bundle and gradescope commands: what the kit hands out, or runs on Gradescope."""
    from autograder.build import gradescope_zip, student_bundle
    from autograder.grading import gradescope

    try:
        if args.command == "bundle":
            student_bundle.build(args.out_dir)
            print(f"wrote {args.out_dir}/ and {args.out_dir}.zip")
        elif args.step == "build":
            print(f"wrote {gradescope_zip.build(args.zip_path, assignment=args.assignment)}")
        else:
            gradescope.run(Path(os.environ.get("AUTOGRADER_ROOT", "/autograder")),
                           assignment=gradescope.configured_assignment())
    except KitError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def _publish(args) -> int:
    """The report and export commands: files made from a finished run's results."""
    try:
        roster = read_roster(args.roster) if args.roster else {}
        if args.command == "report":
            path, notes = write_class_report(args.results, roster,
                                             course=args.nbgrader_course), []
        else:
            path, notes = write_export(args.results, to=args.to, roster=roster,
                                       target=args.out,
                                       assignment_ids=dict(args.assignment_id))
    except KitError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"wrote {path}")
    return 0


def _grade(args) -> list[dict]:
    sandbox = Sandbox()
    for warning in sandbox.warnings:
        print(warning, file=sys.stderr)
    try:
        return grade_submissions(args.paths, sandbox=sandbox, out=args.out, jobs=args.jobs,
                                 shard=args.shard, regrade=args.regrade,
                                 progress=not args.json)
    finally:
        sandbox.close()


def _requirements(args) -> int:
    """Print the requirement tables; exit 1 if any exercise has a gap."""
    from autograder.checking.requirements import gaps, table_text

    exercises = args.exercises or list(REGISTRY)
    print("\n\n".join(table_text(name) for name in exercises))
    return 1 if any(gaps(name) for name in exercises) else 0


def main(argv=None) -> int:
    # A file name's undecodable byte or a student's lone surrogate must not stop the output.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "requirements":
        unknown = [name for name in args.exercises if name not in REGISTRY]
        if unknown:
            parser.error(f"no exercise named {', '.join(unknown)} (there are: "
                         f"{', '.join(REGISTRY)})")
        return _requirements(args)
    if args.command == "grade" and args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.command == "export" and args.assignment_id and args.to != "canvas":
        parser.error("--assignment-id is for --to canvas")
    if args.command in ("report", "export"):
        return _publish(args)
    if args.command in ("bundle", "gradescope"):
        return _build(args)
    try:
        rows = _grade(args) if args.command == "grade" else \
            merge_results(args.folders, out=args.out)
    except KeyboardInterrupt:
        print(f"interrupted: what was graded is kept in {args.out}/; run the same command "
              f"again to grade the rest", file=sys.stderr)
        return INTERRUPTED
    except KitError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    document = write_reports(rows, args.out, feedback=args.feedback)
    if args.json:
        sys.stdout.write(document)
    else:
        print(summary_table(rows))
        print(f"\nreports: {args.out}/ (report.json, gradebook.csv, feedback/)")
    if args.nbgrader_course is not None:
        try:
            left_out = write_to_course(rows, course=args.nbgrader_course)
        except KitError as error:
            print(f"error: the gradebook was not updated: {error}", file=sys.stderr)
            return 1
        for note in left_out:
            print(f"warning: {note}", file=sys.stderr)
    return 0
