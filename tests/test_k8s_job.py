"""The Kubernetes Job of the README (deploy/k8s-grade-job.yaml) is valid for Kubernetes'
own schema (PyPI's kubernetes-validate, whose schemas ship inside the package: no network),
and shards the class the way the Slurm array does."""
import re
import socket

import kubernetes_validate
import pytest
import yaml

from tests.conftest import ROOT

JOB = ROOT / "deploy" / "k8s-grade-job.yaml"
# The oldest schema the package ships (Indexed Jobs are GA since 1.24) and the newest.
VERSIONS = ("1.25.0", kubernetes_validate.latest_version())


@pytest.fixture
def no_network(monkeypatch):
    """Validation must not fetch anything: any connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("kubernetes-validate tried to use the network")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def job() -> dict:
    documents = list(yaml.safe_load_all(JOB.read_text()))
    assert len(documents) == 1
    return documents[0]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_job_is_valid_for_kubernetes(version, no_network):
    # strict: a property Kubernetes does not know (a typo) is an error, not ignored.
    kubernetes_validate.validate(job(), version, strict=True)


def test_the_schema_check_catches_a_typo(no_network):
    typo = job()
    typo["spec"]["paralelism"] = typo["spec"].pop("parallelism")
    with pytest.raises(kubernetes_validate.ValidationError, match="paralelism"):
        kubernetes_validate.validate(typo, VERSIONS[-1], strict=True)
    wrong_type = job()
    wrong_type["spec"]["completions"] = "eight"
    with pytest.raises(kubernetes_validate.ValidationError, match="eight"):
        kubernetes_validate.validate(wrong_type, VERSIONS[-1], strict=True)


def test_each_pod_grades_its_own_shard_and_resumes_it():
    spec = job()["spec"]
    pod = spec["template"]["spec"]
    (container,) = pod["containers"]
    command = " ".join(container["command"])
    assert spec["completionMode"] == "Indexed"
    shard = re.search(r'--shard "\$JOB_COMPLETION_INDEX/(\d+)"', command)
    assert shard and int(shard[1]) == spec["completions"]  # N shards, one per index
    assert '--out "grading-results/shard-$JOB_COMPLETION_INDEX"' in command
    assert "python -m autograder grade submitted/" in command
    assert container["workingDir"] == "/course"
    jobs = re.search(r"--jobs (\d+)", command)
    assert jobs and jobs[1] == container["resources"]["requests"]["cpu"]
    assert pod["restartPolicy"] == "OnFailure"  # a pod restarted in place keeps its shard
    # The same command line as the Slurm array's, shard for shard.
    slurm = (ROOT / "deploy" / "slurm-grade.sbatch").read_text()
    assert "python -m autograder grade submitted/" in slurm
    assert '--out "grading-results/shard-$SLURM_ARRAY_TASK_ID"' in slurm


def test_the_readme_points_to_the_deployment_files():
    readme = (ROOT / "README.md").read_text()
    assert "deploy/k8s-grade-job.yaml" in readme
    assert "deploy/slurm-grade.sbatch" in readme
    assert "kubernetes-validate" in (ROOT / "requirements.txt").read_text()
