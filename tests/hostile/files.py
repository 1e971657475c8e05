"""Attacks on files outside the submission's private copy: the real submission folder, the
host's /tmp, the course, the grader's modules, other students' notebooks.

As in secrets.py, a notebook that manages any of it answers correctly (`USE_LEAK`): its
exact expected score says it did not. The test also checks the files themselves.
"""
from . import WRONG_SCORE, Hostile
from .secrets import USE_LEAK

# Its private /tmp and its own folder's copy are its to write; nothing else is. (The test's
# folders live under the host's /tmp: inside the sandbox those paths are in its own /tmp,
# so the test checks them on the host, after the run.)
WRITE_OUTSIDE = r'''import os
leaked = []


def escaped(path):
    return not os.path.realpath(path).startswith("/tmp/")


for path in ["@OWN_FOLDER@/planted.txt", "@ROOT@/@HOSTMARK@", "@SUBMITTED@/@HOSTMARK@",
             "../@HOSTMARK@", "../../@HOSTMARK@", "/submissions/@HOSTMARK@",
             "/grader/@HOSTMARK@", "/grader/autograder/@HOSTMARK@", "/@HOSTMARK@",
             "/usr/@HOSTMARK@", "/proc/1/root/tmp/@HOSTMARK@", "/proc/1/cwd/@HOSTMARK@"]:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
    except OSError:
        pass
    try:
        with open(path, "w") as f:
            f.write("planted")
        leaked += [path] if escaped(path) else []
    except OSError:
        pass
for path in ["/tmp/@HOSTMARK@", "@HOSTTMP@/@HOSTMARK@", "/dev/shm/@HOSTMARK@"]:
    try:  # its own /tmp: allowed, and gone with the sandbox
        with open(path, "w") as f:
            f.write("planted")
    except OSError:
        pass
try:
    os.symlink("@SUBMITTED@/@HOSTMARK@", "escape")
    with open("escape", "w") as f:
        f.write("planted")
    leaked += ["escape"] if escaped("escape") else []
except OSError:
    pass'''

OVERWRITE_OTHERS = r'''import glob, os, shutil
leaked = []
victims = glob.glob("../../*/*/*.ipynb") + glob.glob("../*/*.ipynb") \
    + glob.glob("/submissions/*/*.ipynb") + glob.glob("@SUBMITTED@/*/*/*.ipynb") \
    + ["@HONEST@"]
for path in victims:
    if os.path.realpath(path).startswith(os.getcwd() + "/"):
        continue  # its own copy
    for attack in (lambda: open(path, "w").write("{}"), lambda: os.truncate(path, 0),
                   lambda: os.rename(path, path + ".gone"), lambda: os.chmod(path, 0),
                   lambda: os.remove(path), lambda: shutil.rmtree(os.path.dirname(path))):
        try:
            attack()
            leaked.append(path)
        except OSError:
            pass'''

CASES = [
    Hostile("write-out", "writes to its real folder, the host's /tmp, the course, the "
                         "grader's modules, a symlink out",
            (WRITE_OUTSIDE, USE_LEAK), WRONG_SCORE),
    Hostile("overwrite", "overwrites, truncates, deletes other students' notebooks",
            (OVERWRITE_OTHERS, USE_LEAK), WRONG_SCORE),
]
