"""How long each solution notebook takes to run top to bottom (target: 20 s each).

    .venv/bin/python benchmarks/notebook_times.py

Runs every solutions/<assignment>/<notebook>.ipynb in a fresh kernel, as nbval and nbgrader
do (kernel start-up included), and prints the wall time of each.
"""
import os
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 20


def main():
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for path in sorted(ROOT.glob("solutions/*/*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(notebook, timeout=120,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        seconds = time.perf_counter() - start
        verdict = "ok" if seconds <= TARGET_SECONDS else f"over {TARGET_SECONDS} s"
        print(f"{path.relative_to(ROOT)}  {seconds:5.1f} s  {verdict}")


if __name__ == "__main__":
    main()
