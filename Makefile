# Every target creates .venv and installs what it needs when it is missing, so that on a fresh
# machine with Python 3.11 `make demo` and `make test` are all a newcomer types.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_OUT ?= demo-out
DEMO_ROWS ?= 2000

.PHONY: demo test fuzz lint bench clean install postgresql schema graphviz chromium proof-docs

install: $(STAMP) graphviz

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: $(STAMP) graphviz
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

# The proof's lineage graph is laid out by Graphviz's `dot`: Debian's graphviz, installed here
# when missing (with its fonts, so that dot measures the labels the browser draws).
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  echo "installing Debian's graphviz: the proof's lineage graph is laid out by dot"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends graphviz fonts-dejavu-core; }

# `prove --format pdf` prints with headless Chromium, and the tests look at the proof's page in
# it (a screenshot, no console errors): Debian's chromium, installed here when missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium: the proof's PDF and its tests in a real browser"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core; }

test: $(STAMP) postgresql graphviz chromium
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
	$(BIN)/vulture

bench: $(STAMP) postgresql
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python benchmarks/run.py

# schemas/contract.schema.json from the models (a test fails when it is stale).
schema: $(STAMP)
	$(BIN)/datacontract schema --output schemas/contract.schema.json

# The adequacy proof as docs/ shows it, honest and with a counterexample: the demo's synthetic
# ledger proven to HTML, PDF and a screenshot of the page (docs/proof-*.{pdf,png}).
PROOF_AT ?= 2025-12-31T12:00:00+01:00
PROOF_ISSUER ?= datacontract demo (synthetische gegevens)
proof-docs: $(STAMP) graphviz chromium
	@set -e; for case in honest background-too-early; do \
	  out=$(DEMO_OUT)/proof-$$case; \
	  if [ $$case = honest ]; then violation=""; else violation="--violation $$case"; fi; \
	  $(BIN)/datacontract demo --out $$out --rows 200 --seed 7 $$violation >/dev/null || true; \
	  for fmt in html pdf; do \
	    $(BIN)/datacontract prove --contract contracts/groeipakket-toereikendheid-2025.yaml \
	      --ledger $$out/ledger.jsonl --keyring $$out/keys --checkpoint $$out/ledger.checkpoint \
	      --at $(PROOF_AT) --issuer "$(PROOF_ISSUER)" --format $$fmt --output docs/proof-$$case.$$fmt || true; \
	  done; \
	  $(BIN)/python -m tests.browser docs/proof-$$case.html docs/proof-$$case.png; \
	  rm docs/proof-$$case.html; \
	done

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .mypy_cache .ruff_cache
