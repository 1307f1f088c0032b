# Entry points. Each target installs what it needs first (scripts/setup is idempotent).
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup demo test bench

setup:
	./scripts/setup

demo: setup
	./scripts/demo

test: setup
	$(PY) -m pytest -n 2 -q

bench: setup
	$(PY) bench/run
