#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image, with this zip
# unpacked in /autograder/source. It makes /autograder/venv, a Python with the kit's pinned
# packages, which run_autograder grades with. The pins need Python 3.11 or newer: choose
# the Ubuntu 22.04 base image, whose apt has python3.11.
set -euo pipefail
cd /autograder/source

if ! command -v python3.11 >/dev/null; then
  apt-get update && apt-get install -y --no-install-recommends python3.11 python3.11-venv || true
fi
python="$(command -v python3.11 || command -v python3)"
"$python" -c 'import sys; assert sys.version_info >= (3, 11), "the kit needs Python 3.11 or newer"'
# Debian and Ubuntu ship venv apart from Python.
"$python" -m venv /autograder/venv || {
  apt-get install -y --no-install-recommends python3-venv "$(basename "$python")-venv"
  "$python" -m venv /autograder/venv
}
# bubblewrap is the grader's sandbox. Where the container does not allow it, the grader
# runs student code without one and says so on stderr, which students do not see.
apt-get install -y --no-install-recommends bubblewrap || echo "no bubblewrap: no sandbox"
# torch's CPU build: the default one brings gigabytes of CUDA that grading never uses.
/autograder/venv/bin/pip install --no-cache-dir --disable-pip-version-check \
  --extra-index-url https://download.pytorch.org/whl/cpu -r requirements.txt
