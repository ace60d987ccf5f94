# The project's tasks. `make test` is exactly what CI runs (see .ci/run).

CARGO ?= cargo
PYTHON ?= python3
# The Python binding's virtual environment, made by `make python`.
VENV ?= .venv
# One target directory for every build; maturin builds for an explicit
# target, as the other bindings do, so their artifacts are shared.
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
TRIPLE ?= x86_64-unknown-linux-gnu

.PHONY: test lint unit python node html bench bench-smoke bench-venv demo fmt fuzz-smoke

## Everything CI checks: formatting, lints, and every test suite.
test: lint unit python node html bench-smoke

## Formatting and lints, warnings as errors.
lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

## Unit, conformance, CLI and documentation tests.
unit:
	$(CARGO) test --workspace --locked

## The Python binding: a venv with the pinned tools, the wheel built into
## the shared target directory and installed, then its tests (which compare
## with the command: built as `unit` built it, so nothing compiles twice).
python:
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -r bindings-python/requirements-dev.txt
	$(CARGO) test --workspace --locked --no-run
	rm -rf $(TARGET_DIR)/wheels
	$(VENV)/bin/maturin build --locked --target $(TRIPLE) \
		-m bindings-python/Cargo.toml --out $(TARGET_DIR)/wheels
	$(VENV)/bin/pip install -q --force-reinstall --no-deps $(TARGET_DIR)/wheels/loggvakt-*.whl
	cd bindings-python && ../$(VENV)/bin/python -m pytest -q

## The HTML report in headless Chromium (Debian's `chromium`): loads
## nothing, logs no error, prints on A4. Reuses the venv of `python` and the
## command `unit` built; screenshots and PDFs go to $(TARGET_DIR)/html-report.
html:
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -r tests/html/requirements.txt
	$(CARGO) build --locked -p loggvakt-cli
	CARGO_TARGET_DIR=$(abspath $(TARGET_DIR)) $(VENV)/bin/python -m pytest -q tests/html

## The benchmark tools (bench/requirements.txt) in the same venv.
bench-venv:
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -r bench/requirements.txt

## Loggvakt against DuckDB and pandas on months of 1M and 10M events,
## release builds; the months are cached in the target directory. Prints
## the table bench/README.md records. See bench/README.md.
bench: bench-venv
	$(VENV)/bin/python bench/run.py

## The benchmark harness on 20k events, debug builds: every engine must
## give the same finding keys per rule. No timing is judged.
bench-smoke: bench-venv
	$(VENV)/bin/python bench/run.py --smoke

## The Node binding: the pinned tools from package-lock.json, the addon
## built in the dev profile for $(TRIPLE) (the profile and target the
## Python wheel uses, so they share the dependencies' build), a check that
## the committed index.js and index.d.ts are what the build generates, the
## typed example compiled with tsc, then the tests (which compare with the
## command built by `unit`).
node:
	cd bindings-node && npm ci --no-audit --no-fund
	$(CARGO) build --locked -p loggvakt-cli
	cd bindings-node && npx napi build --platform --target $(TRIPLE) \
		--js index.js --dts index.d.ts -- --locked
	git diff --exit-code -- bindings-node/index.js bindings-node/index.d.ts
	cd bindings-node && npx tsc --noEmit -p test/tsconfig.json
	cd bindings-node && node --test test/

## A 60-second run of every fuzz target (needs cargo-fuzz; see fuzz/README.md).
fuzz-smoke:
	bash fuzz/run.sh 60

## The main job on its built-in month.
demo:
	$(CARGO) run --release --locked -p loggvakt-cli -- demo

## Rewrites the sources in the house format.
fmt:
	$(CARGO) fmt --all
