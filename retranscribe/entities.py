"""Names and rare words a video spells itself (title, description, caption text).

Used twice: as hints for the ASR (hotwords / initial prompt) and as the align stage's entity
lexicon. A capitalised run of words is a name; a lone capital at a sentence start is not.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

# Capital and small letters of the Latin alphabets ("Émile", "Łukasz", "Ó Briain"), not only ASCII.
_ACCENTED_UPPER = "".join(sorted({ch for ch in map(chr, range(0xC0, 0x250)) if ch.isupper()}))
_UPPER = "A-Z" + _ACCENTED_UPPER
_LOWER = "a-z0-9" + "".join(sorted({ch for ch in map(chr, range(0xC0, 0x250)) if ch.islower()}))
# A run of capitalised words; inside it a lone accented capital is a word of the name (the
# Irish "Ó" of "Elspeth Ó Briain"), a lone ASCII one ("A", "I") is not.
_NAME_RUN = re.compile(
    rf"(?<![\w'’-])([{_UPPER}][\w'’-]*[{_LOWER}][\w'’-]*(?:\s+(?:[{_UPPER}][\w'’-]+|[{_ACCENTED_UPPER}](?=\s+[{_UPPER}])))*|[A-Z]{{2,}}\b)"
)
_SENTENCE_START = re.compile(rf"(?:^|[.!?:]\s+|\n\s*)([{_UPPER}][\w'’-]*)")
_FUNCTION_WORDS = {
    "the", "a", "an", "and", "but", "or", "so", "now", "well", "also", "i", "we", "you", "he",
    "she", "they", "it", "this", "that", "these", "those", "there", "here", "in", "on", "at",
    "for", "from", "to", "of", "with", "by", "as", "is", "are", "was", "were", "be", "yeah",
    "yes", "no", "not", "look", "take", "mr", "mrs", "ms", "dr", "his", "her", "their", "our",
    "my", "your", "what", "when", "where", "who", "why", "how", "if", "then", "thanks",
}


def extract_entities(texts: Iterable[str]) -> list[str]:
    """Name-like phrases, most frequent first (ties in order of appearance)."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for text in texts:
        if not text:
            continue
        starts = {m.start(1) for m in _SENTENCE_START.finditer(text)}
        for match in _NAME_RUN.finditer(text):
            words = match.group(1).split()
            # A sentence-start capital says nothing about the first word: drop it.
            if match.start(1) in starts:
                words = words[1:] if words[0].lower() in _FUNCTION_WORDS or len(words) == 1 else words
            while words and words[-1].lower() in _FUNCTION_WORDS:
                words = words[:-1]
            while words and words[0].lower() in _FUNCTION_WORDS:
                words = words[1:]
            if not words:
                continue
            phrase = " ".join(words).strip("'’-")
            if len(phrase) < 3:
                continue
            counts[phrase] += 1
            first_seen.setdefault(phrase, len(first_seen))
    return sorted(counts, key=lambda p: (-counts[p], first_seen[p]))
