# The project's tasks. `make test` is exactly what CI runs (see .ci/run).

CARGO ?= cargo

.PHONY: test lint unit demo fmt fuzz-smoke

## Everything CI checks: formatting, lints, and every test suite.
test: lint unit

## Formatting and lints, warnings as errors.
lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

## Unit, conformance, CLI and documentation tests.
unit:
	$(CARGO) test --workspace --locked

## A 60-second run of every fuzz target (needs cargo-fuzz; see fuzz/README.md).
fuzz-smoke:
	bash fuzz/run.sh 60

## The main job on its built-in month.
demo:
	$(CARGO) run --release --locked -p loggvakt-cli -- demo

## Rewrites the sources in the house format.
fmt:
	$(CARGO) fmt --all
