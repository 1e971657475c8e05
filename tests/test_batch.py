"""Large runs: an interrupted run resumes where it stopped, and shards graded apart (a Slurm
array, a Kubernetes Indexed Job) partition the class and merge into what one run gives.

Grading itself is replaced by a quick stand-in with the real row's shape: these tests are
about which notebooks get graded, and what is written."""
import json
import time
from pathlib import Path

import pytest

from autograder.checking.results import CheckResult, ExerciseResult, Row, Status
from autograder.cli import main
from autograder.grading import store, submission
from autograder.grading.run import Shard

from .conftest import write_submission

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("fixed_kit")]  # workers are processes

STUDENTS = [f"s{i:02d}" for i in range(6)]
ASSIGNED = ["01-definition", "05-performance"]


@pytest.fixture
def course(tmp_path, monkeypatch) -> list[str]:
    """12 notebooks under submitted/, the current folder being the course's."""
    monkeypatch.chdir(tmp_path)
    paths = []
    for student in STUDENTS:
        for assignment in ASSIGNED:
            path = write_submission(".", student, assignment,
                                    text=json.dumps({"nbformat": 4, "cells": [], "by": student}))
            paths.append(str(path))
    return sorted(paths)


@pytest.fixture
def graded_now(monkeypatch, tmp_path):
    """Grading replaced by a stand-in whose score comes from the notebook's bytes; returns
    the paths graded so far (logged by the worker processes)."""
    log = tmp_path / "graded.log"

    def stand_in(path: Path, sandbox) -> Row:
        time.sleep(0.05)  # long enough for an interrupt to find notebooks not started yet
        with open(log, "a") as f:
            f.write(f"{path}\n")
        score = len(path.read_bytes()) % 4  # of 4 points: 4 checks of 1 point each
        checks = [CheckResult("hadamard", f"stand-in check {k}", 1.0, False,
                              Status.PASSED if k < score else Status.FAILED,
                              "" if k < score else f"stand-in feedback {score}")
                  for k in range(4)]
        return Row(str(path), path.parent.parent.name, path.parent.name,
                   {"hadamard": ExerciseResult("hadamard", checks)})
    monkeypatch.setattr(submission, "grade_notebook", stand_in)
    return lambda: log.read_text().split() if log.exists() else []


def files_of(folder: str) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def grade(*args) -> int:
    return main(["grade", "submitted", "--jobs", "2", *args])


def test_an_interrupted_run_keeps_what_is_done_and_resumes_with_the_rest(
        course, graded_now, monkeypatch, capsys):
    save = store.ResultStore.save
    calls = []

    def save_then_interrupt(self, *args):  # Ctrl-C arrives right after the first row
        save(self, *args)
        calls.append(args)
        if len(calls) == 1:
            raise KeyboardInterrupt
    monkeypatch.setattr(store.ResultStore, "save", save_then_interrupt)

    assert grade("--out", "out", "--json") == 130
    captured = capsys.readouterr()
    assert captured.out == "" and "run the same command again" in captured.err
    assert not Path("out/report.json").exists()
    kept = sorted(json.loads(p.read_text())["row"]["path"]
                  for p in Path("out/submissions").glob("*.json"))
    assert 1 <= len(kept) < len(course)
    assert sorted(graded_now()) == kept  # the rows in progress were kept too

    assert grade("--out", "out", "--json") == 0
    assert sorted(graded_now()) == course  # each notebook graded exactly once in all
    resumed = capsys.readouterr().out
    assert grade("--out", "fresh", "--json") == 0
    assert resumed == capsys.readouterr().out == Path("out/report.json").read_text()
    assert files_of("out") == files_of("fresh")


def test_shards_partition_the_class_and_merge_into_what_one_run_gives(course, graded_now,
                                                                      capsys):
    for k in range(3):
        assert grade("--shard", f"{k}/3", "--out", f"shard-{k}", "--json") == 0
    shards = [[row["path"] for row in json.loads(Path(f"shard-{k}/report.json").read_text())
               ["submissions"]] for k in range(3)]
    assert sorted(sum(shards, [])) == course  # every notebook in exactly one shard
    assert all(shards)
    assert sorted(graded_now()) == course

    capsys.readouterr()
    assert grade("--out", "single", "--json") == 0
    single = capsys.readouterr().out
    assert main(["merge", "shard-0", "shard-1", "shard-2", "--out", "merged", "--json"]) == 0
    assert capsys.readouterr().out == single
    assert files_of("merged") == files_of("single")


def test_a_shard_is_chosen_by_path_alone():
    """Adding a notebook never moves another one to a different shard (resume still works)."""
    def slices(paths):
        return [{p for p in paths if Shard(k, 4).holds(Path(p))} for k in range(4)]

    paths = [f"submitted/s{i}/01-definition/definition.ipynb" for i in range(40)]
    before = slices(paths)
    assert set().union(*before) == set(paths) and all(before)
    assert sum(map(len, before)) == len(paths)  # no notebook in two shards
    late = [f"submitted/late{i}/01-definition/definition.ipynb" for i in range(10)]
    after = slices(paths + late)
    assert [shard - set(late) for shard in after] == before
    assert Shard.parse("3/4") == Shard(3, 4)


@pytest.mark.parametrize("bad", ["4/4", "-1/4", "1", "a/b", "1/0"])
def test_a_bad_shard_is_refused(bad, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["grade", "submitted", "--shard", bad])
    assert exit_.value.code == 2 and "--shard" in capsys.readouterr().err


def test_merge_refuses_a_shard_that_has_not_finished(course, graded_now, capsys):
    assert grade("--shard", "0/2", "--out", "shard-0") == 0
    Path("shard-1").mkdir()
    assert main(["merge", "shard-0", "shard-1", "--out", "merged"]) == 1
    assert "shard-1 has no report.json" in capsys.readouterr().err
    assert not Path("merged/report.json").exists()
