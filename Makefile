# Two entry points for a fresh machine: `make brief` (the main job) and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF

.PHONY: brief test record examples lint install install-dev

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e '.[local,dev]'

install-dev: $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'

brief: install
	$(BIN)/llmsum brief seeds/ -o brief.md
	@echo "brief written to brief.md"

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q --record-mode=none --block-network --allowed-hosts=127.0.0.1

# Re-record every model exchange against the embedded model (and rewrite examples/seeds).
record: install
	rm -f cassettes/*.yaml
	$(BIN)/pytest -q --record-mode=all --live tests/test_seeds_recorded.py tests/test_adversarial_recorded.py

# Rewrite examples/seeds from the existing recordings, after a change to grounding/reconcile/render.
examples: install-dev
	$(BIN)/pytest -q --record-mode=none --block-network --allowed-hosts=127.0.0.1 --update-examples tests/test_seeds_recorded.py

lint: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
