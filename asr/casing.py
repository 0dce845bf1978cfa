"""Whisper's Title Case drift, undone: with a list of names as hotwords the decoder sometimes
carries on in the list's style and capitalises every word of a segment ("Joining, Me, Now, Is
Tobias Nwachukwu, An Emergency Nurse, At The Hospital"; seen on corpus item 04 under AVX2,
not under AVX-512). Every later reader of the transcript takes capitals for names (speaker
names, the caption fixer's casing), so such a segment is given sentence case again: its common
words lower-cased, names kept."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from wordfreq import zipf_frequency

from retranscribe.transcript import Segment, Word

# Words that are never capitalised inside an English sentence: capitals on several of them, in
# most of their uses in one segment, are the drift and not a name.
_FUNCTION_WORDS = frozenset(
    "a an the and or but of to in on at for from with by as is are was were be been has have had "
    "it its this that these those we you he she they our your his her their my what when who how "
    "not no so if then than there here into about over up out".split()
)
MIN_CAPITALISED_FUNCTION_WORDS = 3
# A word this common in English (wordfreq Zipf; "hospital" 4.6, "average" 4.7) is lower-cased in
# a drifted segment; rarer ones keep their capital: most are names ("Nwachukwu" 0, "Lakeshore" 2.3).
COMMON_WORD_ZIPF = 3.0


def _bare(word: str) -> str:
    return re.sub(r"[^\w'’-]", "", word)


def title_case_drift(segment: Segment) -> bool:
    """Whether the segment capitalises the function words inside its sentences: at least
    ``MIN_CAPITALISED_FUNCTION_WORDS`` of them, and more than half."""
    capitalised = total = 0
    for previous, word in zip([None, *segment.words], segment.words):
        bare = _bare(word.word)
        if previous is None or previous.word.rstrip().endswith((".", "?", "!")) or bare.lower() not in _FUNCTION_WORDS:
            continue
        total += 1
        capitalised += bare[:1].isupper()
    return capitalised >= MIN_CAPITALISED_FUNCTION_WORDS and capitalised * 2 > total


def undo_title_case(segment: Segment, names: Iterable[str] = ()) -> Segment:
    """The segment in sentence case where it drifted into Title Case (``title_case_drift``),
    else unchanged. Kept capitalised: a sentence's first word, "I", the words of ``names`` (the
    video's own names, as given to the decoder), abbreviations and words rarer than
    ``COMMON_WORD_ZIPF``. The drift's list commas go with it: a comma before a word that is
    lower-case once the segment is in sentence case ("Joining, me, now, is")."""
    if not title_case_drift(segment):
        return segment
    kept = {part.lower() for name in names for part in re.findall(r"[\w'’]+", name)}

    def lower_case(part: str) -> str:
        lower = part.lower()
        if (
            not part[:1].isupper()
            or part == "I"
            or lower.startswith(("i'", "i’"))
            or lower in kept
            or part.isupper() and len(part) > 1  # an abbreviation ("NHS")
            or zipf_frequency(lower, "en") < COMMON_WORD_ZIPF
        ):
            return part
        return part[0].lower() + part[1:]

    words: list[Word] = []
    for previous, word in zip([None, *segment.words], segment.words):
        bare = _bare(word.word)
        parts = bare.split("-")
        if previous is None or previous.word.rstrip().endswith((".", "?", "!")):
            parts = parts[:1] + [lower_case(p) for p in parts[1:]]  # a sentence's first word keeps its capital
        else:
            parts = [lower_case(p) for p in parts]
        words.append(replace(word, word=word.word.replace(bare, "-".join(parts), 1)) if bare else word)
    for k in range(len(words) - 1):
        following = _bare(words[k + 1].word)
        if words[k].word.endswith(",") and following[:1].islower():
            words[k] = replace(words[k], word=words[k].word[:-1])
    return replace(segment, text="".join(w.word for w in words).strip(), words=words)


__all__ = ["title_case_drift", "undo_title_case"]
