# One target per task; CI (.ci/run) calls `make test`, the README's test command.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench bench-calendar bench-engine clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

demo: $(STAMP)  ## generate a synthetic year, measure it, print compliance
	$(BIN)/mittari demo

test: lint typecheck unit  ## everything CI runs

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy src/mittari/engine src/mittari/spec

unit: $(STAMP)
	$(BIN)/pytest

bench: bench-calendar bench-engine

bench-calendar: $(STAMP)
	$(BIN)/python bench/bench_calendar.py

bench-engine: $(STAMP)
	$(BIN)/python bench/bench_engine.py

clean:
	rm -rf $(VENV) build *.egg-info
