"""What a list of names given as hotwords makes Whisper write, undone. Every later reader of the
transcript takes capitals for names and words for words (speaker names, the caption fixer), so:

- Title Case drift: the decoder sometimes carries on in the list's style and capitalises every
  word of a segment ("Joining, Me, Now, Is Tobias Nwachukwu, An Emergency Nurse, At The
  Hospital"; seen on corpus item 04 under AVX2, not under AVX-512). Such a segment is given
  sentence case again: its common words lower-cased, names kept.
- A name spelled out letter by letter: the decoder, primed with a name it cannot read, writes
  its letters ("Oleksandra H-N-A-T-Y-S-H-Y-N", "Fire Chief LWAZ I-N-T-U-L-I": held-out items 18
  and 35 under AVX2). Where the letters are those of a name of the list, they are that name.
"""

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
# Fewer single letters in a row are an abbreviation or an initial ("J. R.", "U-N").
MIN_SPELLED_LETTERS = 3


def _bare(word: str) -> str:
    return re.sub(r"[^\w'’-]", "", word)


def _opens_sentence(previous: Word | None) -> bool:
    """Whether the word after ``previous`` (None: the segment's first) starts a sentence."""
    return previous is None or previous.word.rstrip().endswith((".", "?", "!"))


def title_case_drift(segment: Segment) -> bool:
    """Whether the segment capitalises the function words inside its sentences: at least
    ``MIN_CAPITALISED_FUNCTION_WORDS`` of them, and more than half."""
    capitalised = total = 0
    for previous, word in zip([None, *segment.words], segment.words):
        bare = _bare(word.word)
        if _opens_sentence(previous) or bare.lower() not in _FUNCTION_WORDS:
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
        if _opens_sentence(previous):
            parts = parts[:1] + [lower_case(p) for p in parts[1:]]  # a sentence's first word keeps its capital
        else:
            parts = [lower_case(p) for p in parts]
        words.append(replace(word, word=word.word.replace(bare, "-".join(parts), 1)) if bare else word)
    for k in range(len(words) - 1):
        following = _bare(words[k + 1].word)
        if words[k].word.endswith(",") and following[:1].islower():
            words[k] = replace(words[k], word=words[k].word[:-1])
    return replace(segment, text="".join(w.word for w in words).strip(), words=words)


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _spelled_letter(word: Word, first: bool) -> bool:
    """A single letter standing as a word: the first of a spelled run (" H"), or a later one
    joined to it by a hyphen ("-N")."""
    text = word.word.rstrip(",.?!;:")
    if first:
        return text.startswith(" ") and len(text.strip()) == 1 and text.strip().isalpha()
    return text.startswith("-") and len(text) == 2 and text[1].isalpha()


def _spelled_runs(words: list[Word]) -> list[tuple[int, int]]:
    """Runs of at least ``MIN_SPELLED_LETTERS`` single letters joined by hyphens; the first may
    be joined to the word before as well ("LWAZ" "-I" "-N" ...)."""
    runs, i = [], 0
    while i < len(words):
        if _spelled_letter(words[i], first=True) or i > 0 and _spelled_letter(words[i], first=False):
            j = i + 1
            while j < len(words) and _spelled_letter(words[j], first=False):
                j += 1
            if j - i >= MIN_SPELLED_LETTERS:
                runs.append((i, j))
                i = j
                continue
        i += 1
    return runs


def join_spelled_names(segment: Segment, names: Iterable[str] = ()) -> Segment:
    """The segment with each run of spelled-out letters whose letters, with those of the whole
    word before it or not, are the letters of a name of ``names`` (or of consecutive words of
    one) written as that name; the longest such name from the run's start. Letters that spell
    no name are left as Whisper wrote them (the caption fixer never takes them: align.fix)."""
    runs = _spelled_runs(segment.words)
    if not runs:
        return segment
    spellings: dict[str, list[str]] = {}
    for name in names:
        parts = name.split()
        for a in range(len(parts)):
            for b in range(a + 1, len(parts) + 1):
                spellings.setdefault(_letters("".join(parts[a:b])), parts[a:b])
    words = list(segment.words)
    for start, end in reversed(runs):
        found = next(
            (
                (first, last, parts)
                for first in (start - 1, start)  # the word before may hold the name's first letters ("LWAZ")
                if first >= 0 and words[first].word.startswith(" ")
                for last in range(end, start + 1, -1)
                if (parts := spellings.get(_letters("".join(w.word for w in words[first:last])))) is not None
            ),
            None,
        )
        if found is None:
            continue
        first, last, parts = found
        begin, finish = words[first].start, words[last - 1].end
        step = (finish - begin) / len(parts)
        probability = min(w.probability for w in words[first:last])
        mark = words[last - 1].word.rstrip()[-1:]
        trailing = mark if mark in ",.?!;:" else ""
        joined = [Word(begin + k * step, begin + (k + 1) * step, " " + part, probability) for k, part in enumerate(parts)]
        joined[-1] = replace(joined[-1], word=joined[-1].word + trailing)
        if last < len(words) and words[last].word.startswith("-"):
            # what the decoder went on with after the letters is a word of its own ("-Blexander,")
            words[last] = replace(words[last], word=" " + words[last].word[1:])
        words[first:last] = joined
    if words == list(segment.words):
        return segment
    return replace(segment, text="".join(w.word for w in words).strip(), words=words)


__all__ = ["join_spelled_names", "title_case_drift", "undo_title_case"]
