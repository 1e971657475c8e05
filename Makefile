# The kit's two everyday commands are `make lab` and `make test`; both set up .venv/ first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LAB_PORT ?= 8888

ASSIGNMENTS := $(sort $(notdir $(wildcard solutions/[0-9]*)))
# nbgrader runs helpers (alembic) by name: the venv's bin/ must be on PATH.
NBGRADER := PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/nbgrader

.DEFAULT_GOAL := help
.PHONY: help install system lab test test-fast lint release solutions student-bundle

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

install: $(STAMP) ## Create .venv/ with the pinned stack and the kit (again when requirements.txt or pyproject.toml changes)

# The stamp records that requirements.txt and pyproject.toml were installed; the kit itself
# is installed editable, so `autograder` imports everywhere the venv runs (kernels too).
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# JupyterLab refuses to run as root unless told; these course machines run as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# System packages the kit uses, installed with Debian's apt when missing (as root); without
# root, a warning says what to install. Pairs are command:package; chromium is the browser
# the browser tests drive (tests/test_browser.py, through Playwright); Slurm and munge run
# the one-node cluster of tests/test_slurm.py (its daemons start only in that test).
SYSTEM_PACKAGES := bwrap:bubblewrap setpriv:util-linux chromium:chromium \
	slurmctld:slurm-wlm munged:munge
system: ## Install the system packages the kit uses (bubblewrap, chromium, Slurm) when missing
	@missing=""; for pair in $(SYSTEM_PACKAGES); do command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair##*:}"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing$$missing"; \
	  (apt-get install -y --no-install-recommends $$missing || (apt-get update && apt-get install -y --no-install-recommends $$missing)) >/dev/null; \
	else echo "warning: please install$$missing (until then the grader runs without a sandbox, and the browser and Slurm tests are skipped)"; fi

# The browser tests start JupyterLab with this target, on a copy of notebooks/ (LAB_DIR) and
# with options of their own (LAB_OPTIONS: no browser, loopback, a token, ...).
LAB_DIR ?= notebooks
LAB_OPTIONS ?=
lab: $(STAMP) ## Start JupyterLab on the student notebooks
	$(BIN)/jupyter lab --ServerApp.root_dir=$(LAB_DIR) --port=$(LAB_PORT) $(ALLOW_ROOT) $(LAB_OPTIONS)

test: $(STAMP) system ## Run every test of the kit
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest

# The slow tests start processes, notebooks, browsers or nbgrader (marked `slow`).
test-fast: $(STAMP) ## The everyday tier: everything but the slow tests
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -m "not slow"

# ruff and mypy are pinned in requirements.txt; their configuration is in pyproject.toml.
lint: $(STAMP) ## Run ruff and mypy
	$(BIN)/ruff check autograder tests benchmarks
	$(BIN)/mypy

# Timing metadata and other cell metadata are dropped so that re-running changes only what
# the notebooks really show; nbgrader's metadata is kept.
solutions: $(STAMP) ## Re-run the solution notebooks in place (their stored outputs are tested by nbval)
	PATH="$(CURDIR)/$(BIN):$$PATH" MPLBACKEND=module://matplotlib_inline.backend_inline \
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --log-level=WARN \
	  --ExecutePreprocessor.record_timing=False --ClearMetadataPreprocessor.enabled=True \
	  --ClearMetadataPreprocessor.clear_notebook_metadata=False \
	  --ClearMetadataPreprocessor.preserve_cell_metadata_mask=nbgrader \
	  --ClearMetadataPreprocessor.preserve_cell_metadata_mask=tags \
	  solutions/*/*.ipynb

release: $(STAMP) ## Regenerate notebooks/ (the student version) from solutions/ with nbgrader
	for a in $(ASSIGNMENTS); do $(NBGRADER) generate_assignment $$a --force --log-level=WARN || exit 1; done

student-bundle: $(STAMP) ## Build dist/student-bundle/ and its .zip: what students get, no solutions
	rm -rf dist/student-bundle dist/student-bundle.zip
	$(BIN)/python -m autograder bundle dist/student-bundle

# ASSIGNMENT=01-definition makes the zip grade that assignment's notebook whatever its file
# name; without it, each notebook is graded as its name says.
.PHONY: gradescope
gradescope: $(STAMP) ## Build dist/gradescope-autograder.zip: the grader as a Gradescope autograder
	$(BIN)/python -m autograder gradescope build dist/gradescope-autograder.zip $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))
