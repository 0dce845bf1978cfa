"""Word error rate with Whisper's English normaliser (whisper-normalizer) and jiwer: the one
WER used by every benchmark, score and test."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import jiwer


@lru_cache(maxsize=1)
def _normalizer():
    from whisper_normalizer.english import EnglishTextNormalizer

    return EnglishTextNormalizer()


# Units and amounts written as symbols, as they are said: Whisper's normaliser drops "°" and
# keeps "mm" / "£28m" as letters, so "20°" and "twenty degrees", "11 mm" and "eleven
# millimetres" would count as different words. A bare number with an attached "m" stays as it
# is ("5m people" is millions, "a 2m wall" metres): only a spaced "2 m" is metres.
_NUMBER = r"(?<![\w.])(?P<article>(?:\b[Aa]n?\s+)?)([$£€]?\d[\d,]*(?:\.\d+)?)"
_AMOUNT_SUFFIXES = {"k": "thousand", "m": "million", "mn": "million", "bn": "billion", "tn": "trillion"}
_AMOUNT = re.compile(r"(?<![\w.])([$£€]\d[\d,]*(?:\.\d+)?)\s?(k|mn?|bn|tn)(?![\w])", re.IGNORECASE)
# (symbol, singular, plural); longer symbols first so "km/h" is not read as "km".
_UNITS = [
    ("km/h", "kilometer per hour", "kilometers per hour"),
    ("kph", "kilometer per hour", "kilometers per hour"),
    ("mph", "mile per hour", "miles per hour"),
    ("°C", "degree celsius", "degrees celsius"),
    ("°F", "degree fahrenheit", "degrees fahrenheit"),
    ("°", "degree", "degrees"),
    ("mm", "millimeter", "millimeters"),
    ("cm", "centimeter", "centimeters"),
    ("km", "kilometer", "kilometers"),
    ("kg", "kilogram", "kilograms"),
    ("ml", "milliliter", "milliliters"),
]
_UNIT = re.compile(
    _NUMBER + r"(?:\s?(" + "|".join(re.escape(u) for u, _, _ in _UNITS) + r")|\s(m))(?![\w/])"
)
_UNIT_WORDS = {u.lower(): (one, many) for u, one, many in _UNITS} | {"m": ("meter", "meters")}


def _say_units(text: str) -> str:
    text = text.replace("º", "°").replace("° C", "°C").replace("° F", "°F")
    text = _AMOUNT.sub(lambda m: f"{m.group(1)} {_AMOUNT_SUFFIXES[m.group(2).lower()]}", text)

    def said(match: re.Match) -> str:
        article, number, unit = match.group("article"), match.group(2), (match.group(3) or match.group(4)).lower()
        one, many = _UNIT_WORDS[unit]
        # "a 9 kg pack" is said "a nine kilogram pack": after an article the unit is adjectival.
        return f"{article}{number} {one if article or number.lstrip('$£€') == '1' else many}"

    return _UNIT.sub(said, text)


def normalize(text: str) -> str:
    """The comparison form of a text: Whisper's English normaliser (numbers, spellings,
    punctuation) after units written as symbols are spelled out as they are said."""
    return _normalizer()(_say_units(text))


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
