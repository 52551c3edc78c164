# Set-up and every check in two commands: `make run` and `make test`. Both are safe to re-run.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint unit editors bench clean-venv

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	@touch $(STAMP)

## The main job: check the bundled sample project.
run: $(STAMP)
	$(BIN)/fastapi-practices check examples/shop --exit-zero --statistics

## Every test: lint, types, unit + LSP tests, and the real-editor smoke tests.
test: lint unit editors

lint: $(STAMP)
	$(BIN)/ruff check server tests bench
	$(BIN)/ruff format --check server tests bench
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider tests --ignore=tests/editors

editors: $(STAMP)
	bash scripts/ensure-editors.sh
	$(BIN)/pytest -q -p no:cacheprovider tests/editors

bench: $(STAMP)
	$(BIN)/python -m bench

clean-venv:
	rm -rf $(VENV)
