# The two commands: `make run` (chat on the bundled report) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install system-deps run index test lint format bench eval clean

install: $(STAMP)

# CPU torch goes in first: asked for by another package, pip would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	@# Bytecode now, not at the first question: where writing it is disabled, every start paid ~0.1 s.
	$(BIN)/python -m compileall -q cli qa index service training
	touch $(STAMP)

index: install
	$(BIN)/reportqa index build

# No `index` step: chat rebuilds the index itself when a report changed, and starts at once when not.
run: install
	$(BIN)/reportqa chat

# The tests use a real Redis, a real Chromium and LibreOffice (with a Chinese font) to make PDF and
# Word files: installed from Debian's packages when missing.
SYSTEM_PACKAGES := redis-server chromium libreoffice-writer-nogui fonts-wqy-zenhei
system-deps:
	@command -v redis-server >/dev/null && command -v chromium >/dev/null && command -v soffice >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES); \
	  else \
	    echo "make test needs $(SYSTEM_PACKAGES): install them (Debian: sudo apt-get install $(SYSTEM_PACKAGES))"; exit 1; \
	  fi; }

test: install system-deps
	$(BIN)/python -m pytest -q

# Style, types (strict) and the layers: cli, service -> qa -> index, never upwards.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/bench_index.py
	$(BIN)/python bench/bench_ask.py
	$(BIN)/python bench/bench_loaders.py

eval: install
	$(BIN)/reportqa eval retrieval --squad eval/cmrc2018_trial.json
	$(BIN)/reportqa eval qa --questions eval/report_dev.jsonl --dialogs eval/report_dev_dialogs.jsonl
	$(BIN)/reportqa eval squad eval/cmrc2018_trial.json

clean:
	rm -rf var .pytest_cache
