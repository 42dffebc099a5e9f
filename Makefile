# Two set-up-to-result commands (see README.md):
#   make demo   creates .venv, installs exitban, runs army-officers-2019 at full scale, writes its HTML report
#   make test   creates .venv, installs exitban with test extras, runs the test suite
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

NEWEST_PYTHON ?= python3.13
NEWEST_VENV ?= .venv-newest

.PHONY: demo test test-newest newest-ready lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	@echo "make demo: the first run on a machine compiles the engine once (about 1 to 3 minutes on 2 cores)"
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

lint: $(STAMP)
	$(BIN)/ruff check --fix src tests benchmarks tools
	$(BIN)/ruff format src tests benchmarks tools

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py

clean:
	rm -rf $(VENV) $(NEWEST_VENV) runs .pytest_cache
