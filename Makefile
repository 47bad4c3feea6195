# reportlib — run `make help` for the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
N ?= 10000

.DEFAULT_GOAL := help
.PHONY: help venv reports test quick lint unit nbcheck e2e lab bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	@touch $(STAMP)

venv: $(STAMP) ## create .venv and install reportlib with its dev extras

reports: $(STAMP) ## parse seeds/, run every notebook, write reports/ (index.html, HTML, Excel)
	$(BIN)/reportlib build --jobs $(JOBS) seeds

test: $(STAMP) lint unit nbcheck ## ruff, notebooks-without-outputs, pytest + doctests, nbval, end-to-end build

quick: $(STAMP) ## the fast tests only (no notebook builds; about a minute)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP) ## ruff and the clean-notebook check
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m reportlib.build.nbclean --check notebooks

unit: $(STAMP) ## pytest: unit tests, doctests and the end-to-end build test
	$(BIN)/python -m pytest -q

nbcheck: $(STAMP) ## nbval (lax) over every notebook, against the seeds
	$(BIN)/python -m pytest -q --nbval-lax -p no:doctest --override-ini addopts= notebooks

lab: $(STAMP) ## open the notebooks in JupyterLab (as root too; extra flags: make lab ARGS="--port 8890")
	$(BIN)/jupyter lab notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(ARGS)

bench: $(STAMP) ## benchmark the parser on a synthetic corpus (N=10000)
	$(BIN)/python benchmarks/parse_bench.py --n $(N)

clean: ## remove generated outputs (keeps .venv)
	rm -rf reports/* reports/.cache.json data/processed/* data/processed/.parse_cache && touch reports/.gitkeep data/processed/.gitkeep
