# Two set-up-to-result commands (see README.md):
#   make demo   creates .venv, installs exitban (its runtime dependencies only), runs army-officers-2019
#               at full scale, writes its HTML report
#   make test   creates .venv, installs exitban with test extras, runs the test suite
#   make docs   builds the docs site (MkDocs, API reference from the docstrings) into site/, warnings as errors
#   make wheel-check  installs the built wheel beside Mesa and pandas in a fresh venv and runs a scenario (CI)
# Every install takes the exact tested versions from constraints.txt (`make constraints` remakes it).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
CONSTRAINTS := constraints.txt
LOCK_VENV := .venv-lock

NEWEST_PYTHON ?= python3.13
NEWEST_VENV ?= .venv-newest

.PHONY: demo test test-newest newest-ready wheel-check lint bench clean constraints docs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

# What the demo needs: exitban and its runtime dependencies (no test extra, no browser driver).
$(RUN_STAMP): $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e .
	touch $(RUN_STAMP)

$(STAMP): $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e ".[test]"
	touch $(STAMP) $(RUN_STAMP)

demo: $(RUN_STAMP)
	@echo "make demo: the first run on a machine compiles the engine once (about 1 to 3 minutes on 2 cores)"
	$(BIN)/exitban warmup
	$(BIN)/exitban run army-officers-2019 --seed 0 --out runs/army-officers-2019
	$(BIN)/exitban report runs/army-officers-2019 --out runs/army-officers-2019/report.html

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/python -m pytest -q

# CI's second interpreter: the newest supported Python runs the unit tier and the output digests
# (the same bytes as on the oldest); every other tier ran on 3.11, so that CI stays near 15 minutes.
test-newest:
	$(MAKE) VENV=$(NEWEST_VENV) PYTHON=$(NEWEST_PYTHON) $(NEWEST_VENV)/.installed
	$(NEWEST_VENV)/bin/python -c 'import sys; assert sys.version_info[:2] == (3, 13), sys.version'
	$(NEWEST_VENV)/bin/python -m pytest -q tests/unit tests/regression/test_output_digests.py

# The newest Python's environment, installed, with the engine compiled into Numba's cache (what the
# first run does): .ci/run makes it while the oldest Python's tests run, one core each.
newest-ready:
	$(MAKE) VENV=$(NEWEST_VENV) PYTHON=$(NEWEST_PYTHON) $(NEWEST_VENV)/.installed
	$(NEWEST_VENV)/bin/python -c "$$COMPILE_ENGINE"

define COMPILE_ENGINE
import time, exitban
from exitban.compiled import engine_compiled
started = time.perf_counter()
exitban.simulate(exitban.load_scenario("army-officers-2019").with_overrides(scale=0.0005, days=2), seed=0)
assert engine_compiled(), "a run left engine functions out of Numba's cache"
print(f"engine compiled in {time.perf_counter() - started:.0f} s")
endef
export COMPILE_ENGINE

# The built wheel, not this tree: a fresh venv with Mesa and pandas at constraints.txt's versions, then
# the wheel with -c constraints.txt; fails if the wheel lacks a package file, if the install changed a
# version, or if its `exitban` (run outside the tree) cannot run a tiny scenario and report it. It
# compiles the engine once more; .ci/run runs it beside the tests, after newest-ready. It needs only the
# standard library: .venv's interpreter (the oldest Python, as `make test`) makes the fresh venv.
wheel-check: $(BIN)/python
	$(BIN)/python tools/install_beside.py --constraints $(CONSTRAINTS) --run

lint: $(STAMP)
	$(BIN)/ruff check --fix src tests benchmarks tools
	$(BIN)/ruff format src tests benchmarks tools

# The test extra holds the docs extra; tests/regression/test_docs_site.py runs the same build.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs build --strict -d site

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py

# The exact set: the newest versions pyproject.toml's ranges allow, resolved in a fresh venv with no
# constraints. Run `make test` (and the output digests) on the result before committing it.
constraints:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/pip install --quiet -e ".[test]"
	grep '^#' $(CONSTRAINTS) > $(LOCK_VENV)/constraints.txt
	$(LOCK_VENV)/bin/pip freeze --exclude-editable | grep -v '^exitban' >> $(LOCK_VENV)/constraints.txt
	mv $(LOCK_VENV)/constraints.txt $(CONSTRAINTS)
	rm -rf $(LOCK_VENV)

clean:
	rm -rf $(VENV) $(NEWEST_VENV) $(LOCK_VENV) runs .pytest_cache site .cache/mkdocs-jupyter
