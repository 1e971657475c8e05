"""How long a student waits for a check cell: `check(f)` in a running kernel, per exercise.

    .venv/bin/python benchmarks/check_latency.py [--repeat N]

Runs each exercise's public checks in-process against the reference answer (all checks
pass, so every check runs to its end) and prints the first (cold) time and the median of
the next N. The cold time includes importing pytest and the checks, paid once per kernel.
"""
import argparse
import contextlib
import io
import statistics
import time

from autograder import check
from autograder.checking.course import REGISTRY
from autograder.references import REFERENCES


def time_check(function) -> float:
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        check(function)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    cold = time_check(REFERENCES["hadamard"])
    medians = {}
    for name in REGISTRY:
        time_check(REFERENCES[name])  # first use imports the exercise's check module
        medians[name] = statistics.median(time_check(REFERENCES[name])
                                          for _ in range(args.repeat))
    width = max(map(len, medians))
    for name, seconds in medians.items():
        print(f"{name:<{width}}  {seconds * 1000:7.1f} ms")
    print(f"{'first check in a kernel':<{width}}  {cold * 1000:7.1f} ms")
    print(f"{'median over exercises':<{width}}  "
          f"{statistics.median(medians.values()) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
