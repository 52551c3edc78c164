# Set-up and every check in two commands: `make run` and `make test`. Both are safe to re-run.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint unit client editors e2e bench clean-venv

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	@touch $(STAMP)

## The main job: check the bundled sample project.
run: $(STAMP)
	$(BIN)/fastapi-practices check examples/shop --exit-zero

## Every test: lint, types, unit + LSP tests, the extension's tests, real-editor smoke tests.
test: lint unit client editors

lint: $(STAMP)
	$(BIN)/ruff check server tests bench fuzz
	$(BIN)/ruff format --check server tests bench fuzz
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider tests --ignore=tests/editors

client: $(STAMP)
	FASTAPI_PRACTICES_PYTHON=$(abspath $(BIN))/python bash scripts/client-test.sh

editors: $(STAMP)
	bash scripts/ensure-editors.sh
	$(BIN)/pytest -q -p no:cacheprovider tests/editors

## Real VS Code (code-server + headless Chromium) end-to-end test of the extension.
e2e: $(STAMP)
	FBP_PYTHON=$(abspath $(BIN))/python bash scripts/e2e-vscode.sh

bench: $(STAMP)
	$(BIN)/python -m bench

clean-venv:
	rm -rf $(VENV)
