"""Names the video spells itself (title, description), found where the captions wrote them as
other words: "Della Croix Burn" for *Delacroix-Byrne*, "Thomas veer biscuit" for *Tomasz
Wierzbicki*, "Coffee" before "Mensah Boateng" for *Kofi*.

A caption run is a candidate for a name when it sounds like a run of whole words of one of the
video's names and is spelled otherwise. Whether it is that name is the fixer's decision (the
ASR's reading there, the audio, where the run stands); this module only finds the candidates,
the same way on any text: nothing in it knows a particular name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Sequence

import jellyfish
from rapidfuzz.distance import Indel

from align.alignment import normalize_token
from align.evidence import phonetic_similarity

# A candidate run has at most this many caption words more than the name has spoken parts
# ("Oh yell Ron price" for the two parts of "Oyelaran-Price"), or a word per syllable of the
# name where that is more ("Acta Berg so on day" for *Achterberg-Sowande*: ``NameRun.syllables``).
EXTRA_WORDS = 2
MAX_RUN_WORDS = 5
# Letters of the caption run against the name's: a name is not heard in a run of half or twice
# its length.
MIN_LENGTH_RATIO = 0.7
MAX_LENGTH_RATIO = 1.4
# A name run needs this many letters: shorter ones ("Al", "Jo") sound like too many words.
MIN_NAME_LETTERS = 3


def letters(words: Sequence[str]) -> str:
    return "".join(_word_letters(w) for w in words)


@lru_cache(maxsize=1 << 16)
def _word_letters(word: str) -> str:
    # Cached: every caption run of up to five words is compared with every name run, so the
    # same words are read many thousand times (most of the name search's time).
    return "".join(ch for ch in normalize_token(word) if ch.isalnum())


def _syllables(part: str) -> int:
    letters_only = "".join(ch for ch in part.lower() if ch.isalpha())
    if len(letters_only) > 2 and letters_only.endswith("e") and letters_only[-2] not in "aeiouy":
        letters_only = letters_only[:-1]  # "price", "Lowe": the e is not said
    return max(1, len(re.findall(r"[aeiouy]+", letters_only)))


def spoken_parts(words: Sequence[str]) -> list[str]:
    """The parts a name is said in: words, and the pieces of hyphenated words."""
    return [p for w in words for p in normalize_token(w).split() if p]


@dataclass(frozen=True)
class NameRun:
    """Whole words ``words`` of one of the video's names ``phrase`` (as the video writes it)."""

    words: tuple[str, ...]
    phrase: tuple[str, ...]

    @cached_property
    def key(self) -> str:
        return letters(self.words)

    @cached_property
    def word_keys(self) -> frozenset[str]:
        return frozenset(letters([w]) for w in self.words)

    @cached_property
    def syllables(self) -> int:
        """About how many syllables the run is said in (vowel groups of its spelling, a final
        silent e not counted): a captioner who did not know the name may write a word for each
        ("Acta Berg so on day" for *Achterberg-Sowande*), never more."""
        return sum(_syllables(part) for part in spoken_parts(self.words))

    def other_parts(self) -> set[str]:
        """The letters of the phrase's other words and of their spoken parts ("Graham" for the
        run "Oyelaran-Price" of "Graham Oyelaran-Price")."""
        own = set(spoken_parts(self.words)) | {letters([w]) for w in self.words}
        rest = [w for w in self.phrase if w not in self.words]
        return ({letters([w]) for w in rest} | set(spoken_parts(rest))) - own - {""}


@dataclass(frozen=True)
class NameCandidate:
    """Caption words ``[start, end)`` that sound like ``run`` (similarity 0..1) but are spelled otherwise."""

    start: int
    end: int
    run: NameRun
    similarity: float
    # The ASR words [asr_start, asr_end) spell the name exactly so (found from the ASR's side),
    # or None (found from the caption's sound alone).
    asr_span: tuple[int, int] | None = None


def name_runs(phrases: Sequence[str]) -> list[NameRun]:
    """Every run of whole words of the names ("Priya Raman-Holt", "Raman-Holt", "Priya"),
    longest first, each of at least ``MIN_NAME_LETTERS`` letters."""
    runs: dict[str, NameRun] = {}
    for phrase in phrases:
        parts = tuple(_without_possessive(w) for w in phrase.split())
        for i in range(len(parts)):
            for j in range(i + 1, len(parts) + 1):
                run = NameRun(parts[i:j], parts)
                if len(run.key) >= MIN_NAME_LETTERS:
                    runs.setdefault(run.key, run)
    return sorted(runs.values(), key=lambda r: -len(r.key))


def _without_possessive(word: str) -> str:
    """"Meridian News'" -> "Meridian News", "Agency's" -> "Agency": the name, not its case."""
    for ending in ("'s", "’s", "'", "’"):
        if word.endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)]
    return word


def same_name(caption: Sequence[str], run: "NameRun") -> bool:
    """Whether the caption writes the name itself, possessive or not ("Ministry" /
    "Ministry's"): no misspelling."""
    return _written_key(caption) == run.key


def _written_key(caption: Sequence[str]) -> str:
    return letters([_without_possessive(w) for w in caption])


def name_similarity(caption: Sequence[str], run: NameRun) -> float:
    """How alike caption words sound to a name run: the sound codes' similarity, held down by
    the letters' (sound codes alone make many short words alike)."""
    return min(phonetic_similarity(caption, run.words), Indel.normalized_similarity(letters(caption), run.key) + 0.2)


def _lengths_agree(key: str, name_key: str, by_sound: bool) -> bool:
    """Letters of about the same length; by sound, sound codes of about the same length will do
    ("Rory" / *Ruairí*: RR / RR)."""
    if MIN_LENGTH_RATIO <= len(name_key) / len(key) <= MAX_LENGTH_RATIO:
        return True
    if not by_sound:
        return False
    codes, name_codes = jellyfish.metaphone(key), jellyfish.metaphone(name_key)
    return bool(codes) and MIN_LENGTH_RATIO <= len(name_codes) / len(codes) <= MAX_LENGTH_RATIO


def closest_name(
    caption: Sequence[str], runs: Sequence[NameRun], threshold: float, by_sound: bool = False
) -> tuple[NameRun, float] | None:
    """The name run the caption words sound like but do not spell, or None. Every caption word
    takes part (lengths must agree), none is a whole word of that run spelled right, and no
    words at either end already spell a name ("Glen more" of "at Glen more" is *Glenmore*:
    "at" is another word, not part of the name). ``by_sound``: where the ASR spelled that name
    there, the sound codes alone may make them alike ("Coral" for *Kourou*, "Rory" for
    *Ruairí*)."""
    key = letters(caption)
    if len(key) < MIN_NAME_LETTERS or not all(letters([w]) for w in caption):
        return None
    keys = {run.key for run in runs}
    ends = [caption[:i] for i in range(1, len(caption))] + [caption[i:] for i in range(1, len(caption))]
    if any(letters(part) in keys for part in ends):
        return None  # a name spelled as the video spells it, and other words beside it
    written = _written_key(caption)
    if written in keys:
        # The name's letters: spelled as the video spells it (same_name; hyphen or space and
        # case aside), or the same letters split into other words ("Sol Berg a Chebe" for
        # *Solberg-Achebe*), which is the name misheard.
        run = next(r for r in runs if r.key == written)
        if spoken_parts([_without_possessive(w) for w in caption]) == spoken_parts(run.words):
            return None
        return (run, 1.0) if len(caption) <= max(len(spoken_parts(run.words)) + EXTRA_WORDS, run.syllables) else None
    best: tuple[NameRun, float] | None = None
    for run in runs:
        if not _lengths_agree(key, run.key, by_sound):
            continue
        if len(caption) > 1 and len(caption) > max(len(spoken_parts(run.words)) + EXTRA_WORDS, run.syllables):
            continue
        if any(letters([w]) in run.word_keys for w in caption):
            continue
        score = phonetic_similarity(caption, run.words) if by_sound else name_similarity(caption, run)
        if score >= threshold and (best is None or score > best[1]):
            best = (run, score)
    return best


def sounds_like_name_edge(words: Sequence[str], run: NameRun, at_start: bool) -> bool:
    """Whether words beside a caption run may be sounds of the name itself: before it, the
    name's beginning ("Oh" of "Oh Yeah Bungee Reed", *Oyebanji-Reed*: O / OYBNJRT); after it,
    its end (Metaphone codes). "the" or "detour" beside "McDonald Carr" (*Macdonald-Kerr*: 0,
    TTR / MKTNLTKR) are other words."""
    def code(parts: Sequence[str]) -> str:
        # As written: the normaliser drops "oh" and "um" as fillers, which here may be a name's sound.
        return jellyfish.metaphone("".join(ch for ch in unicodedata.normalize("NFKD", "".join(parts).lower()) if "a" <= ch <= "z"))

    edge, name = code(words), code(run.words)
    return bool(edge) and (name.startswith(edge) if at_start else name.endswith(edge))


def doubled_letters_only(caption: Sequence[str], name: Sequence[str]) -> bool:
    """Whether a caption run spells a name but for doubled letters, word by word ("Fion" /
    *Ffion*, "Vestergard" / *Vestergaard*): the same sounds, so no audio can tell them apart."""
    def parts(words: Sequence[str]) -> list[str]:
        return [_word_letters(p) for w in words for p in re.split(r"[-\s]+", w) if _word_letters(p)]

    said, written = parts(caption), parts(name)
    return said != written and len(said) == len(written) and all(
        re.sub(r"(.)\1+", r"\1", a) == re.sub(r"(.)\1+", r"\1", b) for a, b in zip(said, written)
    )


def find_name_candidates(words: Sequence[str], runs: Sequence[NameRun], threshold: float) -> list[NameCandidate]:
    """Every caption run (of up to ``MAX_RUN_WORDS`` words) that sounds like a name run but is
    spelled otherwise, overlapping ones included: where a name starts and ends is for the audio
    to say ("Saint Albin day Mont" or "... Mont is" for *Saint-Albans-des-Monts*)."""
    found: list[NameCandidate] = []
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + MAX_RUN_WORDS) + 1):
            match = closest_name(words[start:end], runs, threshold)
            if match is not None:
                found.append(NameCandidate(start, end, match[0], match[1]))
    return found


__all__ = ["NameCandidate", "NameRun", "closest_name", "doubled_letters_only", "find_name_candidates", "letters", "name_runs", "name_similarity", "same_name", "sounds_like_name_edge", "spoken_parts"]
