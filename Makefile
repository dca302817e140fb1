# Every target creates .venv and installs what it needs when it is missing, so that on a fresh
# machine with Python 3.11 `make demo` and `make test` are all a newcomer types.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_OUT ?= demo-out
DEMO_ROWS ?= 2000

.PHONY: demo test fuzz lint bench clean install postgresql schema

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/datacontract demo --out $(DEMO_OUT) --rows $(DEMO_ROWS) --seed 7
	$(BIN)/datacontract demo-protocols --out $(DEMO_OUT)/protocols --seed 7

# The ledger's PostgreSQL tests (and `make bench`) start their own server in a temporary
# directory: they need Debian's postgresql binaries (initdb, pg_ctl), installed here when missing.
postgresql:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing Debian's postgresql: the ledger's tests start their own server"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends postgresql; }

test: $(STAMP) postgresql
	$(BIN)/python -m pytest

# The fuzz suite at length: hundreds of mutations per format and per contract (make test runs
# a few of each); FUZZ_EXAMPLES=N to choose.
FUZZ_EXAMPLES ?= 300
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/fuzz

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(STAMP) postgresql
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python benchmarks/run.py

# schemas/contract.schema.json from the models (a test fails when it is stale).
schema: $(STAMP)
	$(BIN)/datacontract schema --output schemas/contract.schema.json

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .mypy_cache .ruff_cache
