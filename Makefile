# Every target creates .venv and installs what it needs when it is missing, so that on a fresh
# machine with Python 3.11 `make demo` and `make test` are all a newcomer types.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
# Two stamps: the runtime (what `make demo` runs) and the development toolchain on top of it
# (pytest, mypy, ruff, playwright...: what `make test` and `make lint` need). `make demo` on a
# fresh clone installs only the first; `make test` afterwards adds the second.
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
DEMO_OUT ?= demo-out
DEMO_ROWS ?= 2000

.PHONY: demo test fuzz lint bench clean install postgresql schema graphviz chromium poppler proof-docs docs

install: $(DEV_STAMP) graphviz

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $(STAMP)

$(DEV_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(DEV_STAMP)

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

# `make proof-docs` renders each page of the proof's PDF to a PNG (docs/proof-*-N.png) with
# pdftoppm, so that the pictures in docs/ are the PDF's pages as printed: Debian's
# poppler-utils, installed here when missing.
poppler:
	@command -v pdftoppm >/dev/null 2>&1 || { \
	  echo "installing Debian's poppler-utils: make proof-docs renders the PDF's pages with pdftoppm"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends poppler-utils; }

test: $(DEV_STAMP) postgresql graphviz chromium
	$(BIN)/python -m pytest

# The fuzz suite at length: hundreds of mutations per format and per contract (make test runs
# a few of each); FUZZ_EXAMPLES=N to choose.
FUZZ_EXAMPLES ?= 300
fuzz: $(DEV_STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/fuzz

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/vulture

bench: $(DEV_STAMP) postgresql
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python benchmarks/run.py

# The generated parts of docs/cli.md (every command and option, from the click commands) and of
# docs/contract-format.md (every key, from the JSON Schema): tests/docs fails when they are stale.
docs: $(STAMP)
	$(BIN)/python docs/generate.py

# schemas/contract.schema.json from the models (a test fails when it is stale).
schema: $(STAMP)
	$(BIN)/datacontract schema --output schemas/contract.schema.json

# The adequacy proof as docs/ shows it, honest and with a counterexample: the demo's synthetic
# ledger proven to a PDF, and each page of that PDF as a picture (docs/proof-<case>-<page>.png,
# pdftoppm at 60 dpi: what a reader of the PDF sees, page by page).
PROOF_AT ?= 2025-12-31T12:00:00+01:00
PROOF_ISSUER ?= datacontract demo (synthetische gegevens)
PROOF_DPI ?= 60
proof-docs: $(DEV_STAMP) graphviz chromium poppler
	@set -e; for case in honest background-too-early; do \
	  out=$(DEMO_OUT)/proof-$$case; \
	  if [ $$case = honest ]; then violation=""; else violation="--violation $$case"; fi; \
	  $(BIN)/datacontract demo --out $$out --rows 200 --seed 7 $$violation >/dev/null || true; \
	  $(BIN)/datacontract prove --contract contracts/groeipakket-toereikendheid-2025.yaml \
	    --ledger $$out/ledger.jsonl --keyring $$out/keys --checkpoint $$out/ledger.checkpoint \
	    --at $(PROOF_AT) --issuer "$(PROOF_ISSUER)" --format pdf --output docs/proof-$$case.pdf || true; \
	  rm -f docs/proof-$$case.png docs/proof-$$case-*.png; \
	  pdftoppm -png -r $(PROOF_DPI) docs/proof-$$case.pdf docs/proof-$$case; \
	done

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .mypy_cache .ruff_cache
