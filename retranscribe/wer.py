"""Word error rate with Whisper's English normaliser (whisper-normalizer) and jiwer: the one
WER used by every benchmark, score and test."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jiwer


@lru_cache(maxsize=1)
def _normalizer():
    from whisper_normalizer.english import EnglishTextNormalizer

    return EnglishTextNormalizer()


def normalize(text: str) -> str:
    return _normalizer()(text)


@dataclass
class WordErrors:
    wer: float
    substitutions: int
    deletions: int
    insertions: int
    reference_words: int


def word_errors(reference: str, hypothesis: str) -> WordErrors:
    """Errors of ``hypothesis`` against ``reference`` after normalising both. An empty
    reference gives WER 0 for an empty hypothesis and 1 otherwise (jiwer refuses it)."""
    ref, hyp = normalize(reference), normalize(hypothesis)
    if not ref.split():
        return WordErrors(float(bool(hyp.split())), 0, 0, len(hyp.split()), 0)
    if not hyp.split():
        n = len(ref.split())
        return WordErrors(1.0, 0, n, 0, n)
    out = jiwer.process_words(ref, hyp)
    return WordErrors(out.wer, out.substitutions, out.deletions, out.insertions, len(ref.split()))


def wer(reference: str, hypothesis: str) -> float:
    return word_errors(reference, hypothesis).wer
