# The two quick-start commands: `make demo` and `make test`. Each sets the machine up first.
UV ?= uv
export PATH := $(HOME)/.local/bin:$(PATH)

.PHONY: setup demo test bench
setup:
	@./scripts/setup.sh

demo: setup
	$(UV) run --frozen retranscribe demo

test:
	@./scripts/setup.sh --test
	$(UV) run --frozen pytest

bench: setup
	$(UV) run --frozen python benchmarks/run_all.py
