"""Decide each disagreement between captions and ASR from evidence, and build the fixed captions.

Rules (issue 6): never drop caption words the audio gives no evidence against; keep the
caption where the ASR is unsure; correct confidently heard words. A correction needs the
audio to prefer the ASR's reading by a clear log-likelihood margin (``AcousticScorer``) and
the ASR to have heard it with confidence; a smaller margin on sound-alike words makes it a
*suspected* error, listed but not applied.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from dataclasses import dataclass, replace
from typing import Sequence

from rapidfuzz.distance import Indel

from align.alignment import Alignment, Block, BlockKind, normalize_token, same_spoken_words, spoken_key, whole_word_starts
from align.options import FixOptions
from align.evidence import WINDOW_PADDING, AcousticScorer, EntityLexicon, homophones, phonemes_changed, phonetic_similarity, pronunciations, runs_into_neighbour, vowels_unsaid, written_hyphenated
from align.names import MAX_RUN_WORDS, NameCandidate, NameRun, closest_name, doubled_letters_only, find_name_candidates, name_runs, name_similarity, sounds_like_name_edge, spoken_parts
from align.names import letters as _letters
from retranscribe.results import Correction, CorrectionStatus

CONTEXT_WORDS = 4
# The most caption words beside a disagreement that may say it in another written form
# ("£40 million" for the ASR's "pounds" after "40 million").
NUMBER_PHRASE_WORDS = 3


@dataclass
class _Piece:
    word: str


@dataclass
class Margin:
    """How much better the audio fits the ASR's reading than the caption's (nats): ``raw`` the
    log-likelihood difference of the two windows, ``value`` the smaller of that and the same per
    token (mean difference over the tokens where the readings differ and after, times the longer
    reading's count): a shorter reading gains nothing from having fewer tokens, nor a longer one
    from having more, near-certain pieces; ``dropped`` the mean
    log-probability of the caption tokens the ASR reading lacks (None when it lacks none)."""

    raw: float
    value: float
    dropped: float | None
MAX_WINDOW = 28.0
MAX_GROUP = 4
# Letters this alike (and sounding alike): a merge or split of the same word(s), nothing
# dropped ("Hal Sion" / "Halcyon" 0.71, "peach land" / "Peachland" 1.0); a repeated word
# ("this this" / "this" 0.67) or another word ("on this" / "honest" 0.5) drops one.
MERGE_SIMILARITY = 0.7
# ... and keeping this share of the letters at least ("Leo Baptist" / "Baptiste" keeps 0.8: a
# word is dropped).
MERGE_LENGTH = 0.85


@dataclass
class FixedWord:
    text: str
    start: float
    end: float
    speaker: str | None
    from_asr: bool = False


@dataclass
class FixResult:
    words: list[FixedWord]
    corrections: list[Correction]


def split_block(caption: Sequence[str], asr: Sequence[str]) -> list[tuple[int, int, int, int]]:
    """Split one disagreement into the smallest word groups that pair up by sound
    ("he Anna Cunningham" / "Heather And a cunning ham" -> he|Heather, Anna|And a,
    Cunningham|cunning ham), so each part is decided on its own evidence. Returns (c0, c1, a0,
    a1) spans."""
    n, m = len(caption), len(asr)
    if n == 0 or m == 0 or (n <= 1 and m <= 1):
        return [(0, n, 0, m)]
    # A group never ends inside a whole ASR word ("2" | ",000"): split at word starts only.
    piece_starts = set(whole_word_starts([_Piece(w) for w in asr])) | {m}
    cap_len = [len(normalize_token(w).replace(" ", "")) or 1 for w in caption]
    asr_len = [len(normalize_token(w).replace(" ", "")) or 1 for w in asr]
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if cost[i][j] == inf:
                continue
            for gi in range(0, min(MAX_GROUP, n - i) + 1):
                for gj in range(0, min(MAX_GROUP, m - j) + 1):
                    if gi == 0 and gj == 0:
                        continue
                    if j + gj not in piece_starts:
                        continue
                    letters = sum(cap_len[i : i + gi]) + sum(asr_len[j : j + gj])
                    if gi and gj and (
                        same_spoken_words(caption[i : i + gi], asr[j : j + gj])
                        or (key := _letters(caption[i : i + gi])) and key == _letters(asr[j : j + gj])
                    ):
                        # The same words in another written form ("eleven thousand" / "11,000") or
                        # the same letters spaced otherwise ("over night" / "overnight"): the two
                        # readings agree on these sounds, so the groups around them part there (a
                        # group of its own costs nothing), and each side's other words are
                        # decided on their own evidence.
                        if cost[i][j] < cost[i + gi][j + gj]:
                            cost[i + gi][j + gj] = cost[i][j]
                            back[i + gi][j + gj] = (i, j)
                        continue
                    if gi and gj:
                        # A word that begins another is that word cut short ("start" /
                        # "starts"), but a run that begins another run is a pair and a word
                        # more ("twenty nineteen" / "2019 and"), not one group that sounds alike.
                        alike = phonetic_similarity(caption[i : i + gi], asr[j : j + gj], prefixes=gi == gj == 1)
                        step = (1.0 - alike) * letters
                    else:
                        step = float(letters)
                    step += 0.5  # each group costs a little: no needless splitting
                    if cost[i][j] + step < cost[i + gi][j + gj]:
                        cost[i + gi][j + gj] = cost[i][j] + step
                        back[i + gi][j + gj] = (i, j)
    if back[n][m] is None:
        return [(0, n, 0, m)]  # a whole ASR word of more pieces than a group holds: one group
    spans = []
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj = back[i][j]
        spans.append((pi, i, pj, j))
        i, j = pi, pj
    return _merge_unpaired(spans[::-1])


# Words after which the next is a verb, and a following particle its own word ("to walk out",
# "they walk out", "will sign up").
_VERB_BEFORE = frozenset(
    "to will would can could may might must should shall do does did don't doesn't didn't won't "
    "can't cannot i you we they he she it".split()
)


# A caption-only group of more words than this stays on its own (kept: no ASR word speaks
# against it) instead of joining a neighbouring group, where one ASR word would once "cover"
# a 22-word soundbite the ASR never heard.
MAX_MERGED_CAPTION_ONLY = 1


def _merge_unpaired(spans: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """A short caption-only or an ASR-only group joins its neighbour: "jol and" / "Jong -un"
    is one error, not a substitution plus a deletion. Groups pair words with words: a longer
    caption-only run is never merged."""

    def one_sided(span: tuple[int, int, int, int]) -> bool:
        c0, c1, a0, a1 = span
        return (c1 == c0) != (a1 == a0)

    def long_caption_only(span: tuple[int, int, int, int]) -> bool:
        c0, c1, a0, a1 = span
        return a1 == a0 and c1 - c0 > MAX_MERGED_CAPTION_ONLY

    merged: list[tuple[int, int, int, int]] = []
    for span in spans:
        if long_caption_only(span) or (merged and long_caption_only(merged[-1])):
            merged.append(span)
        elif merged and (one_sided(span) or one_sided(merged[-1])):
            merged[-1] = (merged[-1][0], span[1], merged[-1][2], span[3])
        else:
            merged.append(span)
    return merged


# Currency and percent signs are words' meaning, not punctuation ("19%" is not "19").
_EDGE_PUNCT = re.compile(r"^[^\w'’$£€-]+|[^\w'’%]+$")


def plain(word: str) -> str:
    """A word without surrounding punctuation (an abbreviation keeps its last period: "U.S.").
    Both readings of a window are scored in this one form, so the captions' missing
    punctuation costs them nothing; casing stays, since Whisper scores "Anna Cunningham" as a
    name and "anna cunningham" as noise."""
    word = word.strip()
    stripped = _EDGE_PUNCT.sub("", word)
    if word.endswith(".") and "." in stripped:
        return stripped + "."
    return stripped


def _window_text(before: Sequence[str], reading: Sequence[str], after: Sequence[str]) -> str:
    """A reading in its scoring window's words, as the scorer reads it."""
    return " ".join(w for w in [*before, *(plain(w) for w in reading), *after] if w)


def _join_asr_words(words: Sequence[str]) -> list[str]:
    """Whisper's words that carry no leading space continue the previous word ("Jong" "-un",
    "U" ".S."): rejoined, they are one caption word."""
    joined: list[str] = []
    for raw in words:
        if joined and raw[:1] not in (" ", ""):
            joined[-1] += raw.strip()
        elif raw.strip():
            joined.append(raw.strip())
    return joined


def _caption_style(asr_words: Sequence[str], caption_words: Sequence[str], lexicon: EntityLexicon) -> list[str]:
    """ASR words written the way the captions write: no sentence punctuation, and no capital
    letter that only marks a sentence start (names the video spells keep theirs)."""
    lower_captions = bool(caption_words) and all(not w[:1].isupper() for w in caption_words)
    styled = []
    for word in _join_asr_words(asr_words):
        word = plain(word)
        if not word:
            continue
        if lower_captions and word[:1].isupper() and not lexicon.covers([word]) and word != "I":
            word = word.lower()
        styled.append(word)
    return styled


_NUMBER_WORDS = set(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million "
    "billion trillion point percent".split()
)


def _is_number_word(word: str) -> bool:
    word = plain(word).lower()
    return bool(word) and (word in _NUMBER_WORDS or all(part in _NUMBER_WORDS for part in word.split("-")) or word[0].isdigit())


@lru_cache(maxsize=4096)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _only_common_words(words: Sequence[str], zipf: float) -> bool:
    """Whether every word is one of the language's most common words (articles, pronouns,
    prepositions, auxiliaries, "one": wordfreq Zipf frequency at least ``zipf``); digits say more."""
    plain_words = [plain(w).lower() for w in words]
    return bool(plain_words) and all(w and not w[0].isdigit() and _zipf(w) >= zipf for w in plain_words)


def _is_rare_real_word(word: str, below: float) -> bool:
    """A word in the language's lexicon (wordfreq knows it) but rarely written: a captioner
    who wrote it most likely heard it ("nailbiter"); a typo or mishearing is a common word or
    no word at all ("trapid"). Three letters are enough where the pronouncing dictionary knows the
    word too ("ora" of *Kia ora* against a reading of "or", "ewe"): wordfreq's three-letter
    entries hold typos and handles as well ("orh")."""
    word = plain(word).lower()
    if len(word) < 3 or not word.isalpha() or len(word) == 3 and pronunciations([word]) is None:
        return False
    return 0.0 < _zipf(word) < below


def _word_boundaries(words: Sequence[str]) -> list[int]:
    """Where words (and the parts of hyphenated words) end, counted in letters."""
    ends, count = [], 0
    for word in words:
        for part in re.split(r"[-\u2010\u2011]", word):
            letters = len(_letters([part]))
            if letters:
                count += letters
                ends.append(count)
    return ends


def _open_compounds_kept(caption: Sequence[str], fixed: Sequence[str], common: float) -> list[str]:
    """``fixed`` (the caption's letters, some words joined) with each join of a compound the
    language writes open undone, made of caption words that all are in common use (wordfreq
    Zipf frequency ``common`` or more: "car", "parks"; not a fragment like "flabber"):
    - a joined word not in common use ("carparks" 1.7, "headteachers" 2.1; "upstairs" 3.9,
      "indoors" 3.6 are);
    - a compound British English writes with a hyphen ("south west" / "southwest",
      ``written_hyphenated``): the captions dropped the hyphen, as they drop punctuation; the
      closed form is the other side of the Atlantic's spelling, or Whisper's. A captioner's
      "up stairs" or "over night", which no dictionary hyphenates, is still joined."""
    kept: list[str] = []
    index = 0
    for word in fixed:
        target, parts = _letters([word]), []
        while index < len(caption) and len(_letters(parts)) < len(target):
            parts.append(caption[index])
            index += 1
        # Words as said: a hyphenated caption word ("south-west") is its two words.
        spoken = [piece for w in parts for piece in plain(w).lower().split("-") if piece]
        open_compound = (
            len(spoken) > 1
            and all(w.isalpha() and _zipf(w) >= common for w in spoken)
            and (_zipf(plain(word).lower()) < common or written_hyphenated(spoken))
        )
        kept.extend(parts if open_compound else [word])
    return kept


# Three or more single letters joined by hyphens, or lower-case ones joined by dots: a word
# spelled out ("b-o-d-h-r", "b.o.d.h.r."; capitals with dots, "U.S.A.", are an abbreviation).
_SPELLED_OUT = re.compile(r"(?:^|[^\w-])\w-\w-\w(?:-|$)|(?:^|[^\w.])[a-z]\.[a-z]\.[a-z](?:\.|$)")


def _rare_words_replaced(caption: Sequence[str], fixed: Sequence[str], options: FixOptions) -> list[str]:
    """The caption's real but rare words a reading would replace (``rare_word_zipf``), and its
    uncommon ones replaced by a far commoner reading (``uncommon_word_zipf``,
    ``common_reading_gap``): the model's preference alone is no evidence against them."""
    caption_lower, fixed_lower = {w.lower() for w in caption}, {f.lower() for f in fixed}
    reading_zipf = min((_zipf(plain(f).lower()) for f in fixed if f.lower() not in caption_lower), default=0.0)
    return [
        w for w in caption
        if w.lower() not in fixed_lower
        and (
            _is_rare_real_word(w, options.rare_word_zipf)
            or _is_rare_real_word(w, options.uncommon_word_zipf) and reading_zipf - _zipf(plain(w).lower()) >= options.common_reading_gap
        )
    ]


def _beyond_prior(margin: float, probability: float, options: FixOptions) -> bool:
    """Evidence as strong as an unlike reading needs (a name's margin, the ASR near-certain):
    more than the model's say alone, so a rare caption word may yield to it ("second doze"
    heard as *dose* at 14.7 nats and 0.99 is fixed; "quay" heard as "key", 10.0 nats with the
    ASR at 0.73, stays suspected)."""
    return margin >= options.unlike_reading_margin and probability >= options.unlike_reading_probability


def _number_dropped(caption: Sequence[str], fixed: Sequence[str]) -> bool:
    """Whether the caption words hold a number and the reading holds none. "one" is also a
    pronoun ("no one", "the one") and the captions' spelling of "won": no number to protect."""
    numbers = [w for w in caption if _is_number_word(w) and plain(w).lower() != "one"]
    return bool(numbers) and not any(_is_number_word(w) for w in fixed)


def _split_real_word(caption: Sequence[str], fixed: Sequence[str]) -> bool:
    """One real caption word of some length read as several words (six letters or more: a
    short word is as often a true split of two, "into" / "in to")."""
    if len(caption) != 1 or len(spoken_key(fixed).split()) < 2:
        return False
    word = plain(caption[0]).lower()
    return len(word) >= 6 and word.isalpha() and _zipf(word) > 0.0


class CaptionFixer:
    def __init__(
        self,
        alignment: Alignment,
        scorer: AcousticScorer | None,
        lexicon: EntityLexicon,
        options: FixOptions,
        judge: AcousticScorer | None = None,
    ):
        self.alignment = alignment
        self.options = options
        self.scorer = scorer
        # A second judge that did not produce the hypothesis (another Whisper model): a fix
        # the ASR's own model prefers must not be one the other model finds worse.
        self.judge = judge
        self.lexicon = lexicon
        self._window_start: float | None = None
        self._window_first_word = 0
        self._partner: list[int] | None = None
        self._cased = _captions_use_case([w.text for w in alignment.caption_words])

    def _speaker_at(self, asr_index: int) -> str | None:
        words = self.alignment.asr_words
        if not words:
            return None
        return words[min(max(asr_index, 0), len(words) - 1)].speaker

    def _window(self, a0: int, a1: int) -> tuple[list[str], list[str]] | None:
        """The ASR words before and after a disagreement inside its scoring window (windows are
        shared between nearby disagreements: the encoder pass is the cost)."""
        asr = self.alignment.asr_words
        ctx_start = max(0, a0 - CONTEXT_WORDS)
        ctx_end = min(len(asr), a1 + CONTEXT_WORDS)
        if ctx_end <= ctx_start:
            return None
        end = asr[ctx_end - 1].end + WINDOW_PADDING
        if self._window_start is None or end - self._window_start > MAX_WINDOW or asr[ctx_start].start < self._window_start:
            self._window_first_word = ctx_start
            self._window_start = max(0.0, asr[ctx_start].start - WINDOW_PADDING)
        first = min(self._window_first_word, a0)
        while first > 0 and asr[first].word[:1] not in (" ", ""):
            first -= 1  # never start a window inside a word
        before = [plain(w) for w in _join_asr_words([w.word for w in asr[first:a0]])]
        after = [plain(w) for w in _join_asr_words([w.word for w in asr[a1:ctx_end]])]
        return before, after

    def _compare(
        self, a0: int, a1: int, reading: Sequence[str], other: Sequence[str], scorer: AcousticScorer | None = None, prompt: str | None = None
    ) -> Margin | None:
        """How much better the audio fits ``reading`` than ``other`` in the place of ASR words a0..a1."""
        scorer = scorer or self.scorer
        if scorer is None:
            return None
        window = self._window(a0, a1)
        if window is None:
            return None
        before, after = window
        first = scorer.token_log_probs(self._window_start, _window_text(before, reading, after), prompt)
        second = scorer.token_log_probs(self._window_start, _window_text(before, other, after), prompt)
        if first is None or second is None:
            return None
        (tokens_a, lp_a), (tokens_b, lp_b) = first, second
        common = 0
        while common < min(len(tokens_a), len(tokens_b)) and tokens_a[common] == tokens_b[common]:
            common += 1  # the shared context before: identical under teacher forcing
        rest_a, rest_b = lp_a[common:], lp_b[common:]
        raw = sum(rest_a) - sum(rest_b)
        if rest_a and rest_b:
            per_token = (sum(rest_a) / len(rest_a) - sum(rest_b) / len(rest_b)) * max(len(rest_a), len(rest_b))
            # A raw sum favours the reading of fewer tokens, a per-token mean the one of more
            # ("Macdonald-Kerr" in six near-certain pieces): a reading must win on both.
            value = min(raw, per_token)
        else:
            value = raw
        dropped = None
        matcher = difflib.SequenceMatcher(a=tokens_b[common:], b=tokens_a[common:], autojunk=False)
        extra = []
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "delete" or (op == "replace" and i2 - i1 > j2 - j1):
                extra.extend(rest_b[i1 + (j2 - j1 if op == "replace" else 0) : i2])
        if extra:
            dropped = sum(extra) / len(extra)
        return Margin(raw, value, dropped)

    def _ceiling(self, a0: int, a1: int, caption: Sequence[str]) -> float | None:
        """The most any reading in the place of ASR words a0..a1 can beat ``caption`` by (see
        ``_compare``): what the caption reading's tokens from there to the end of its context
        lose, since another reading's tokens lose nothing at best. One scoring rules out every
        candidate where the audio and the words around already expect the caption's."""
        window = self._window(a0, a1) if self.scorer is not None else None
        if window is None:
            return None
        before, after = window
        # The very text ``_compare`` scores for the caption: the scorer keeps it for them.
        scored = self.scorer.token_log_probs(self._window_start, _window_text(before, caption, after))
        if scored is None:
            return None
        return -sum(scored[1][self.scorer.token_count(_window_text(before, [], [])) :])

    def _margin(self, c0: int, c1: int, a0: int, a1: int) -> Margin | None:
        """The ASR reading against the caption reading over a window around the disagreement."""
        caption = [w.text for w in self.alignment.caption_words[c0:c1]]
        heard = _join_asr_words([w.word for w in self.alignment.asr_words[a0:a1]])
        return self._compare(a0, a1, heard, caption)

    def _word_margins(self, a0: int, a1: int, caption: list[str], fixed: list[str]) -> list[float | None]:
        """For a fix of as many words as the caption has, how much the audio prefers the fix to
        the fix with each caption word put back: the evidence against each caption word."""
        margins: list[float | None] = []
        for k in range(len(fixed)):
            if _letters([caption[k]]) == _letters([fixed[k]]):
                margins.append(None)
                continue
            kept = fixed[:k] + [caption[k]] + fixed[k + 1 :]
            measured = self._compare(a0, a1, fixed, kept)
            margins.append(None if measured is None else round(measured.value, 2))
        return margins

    def _said_with_neighbours(self, c0: int, c1: int, a0: int, a1: int) -> bool:
        """Whether caption words c0..c1 and ASR words a0..a1 say the same once read with the
        words beside them: a unit or currency one side writes as a symbol on a neighbouring
        number ("£40 million" / "40 million pounds", "20 mph" / "20 miles per hour"). Fixed,
        the captions would say it twice or trade one form for the other. Exactly the same
        spoken words: a currency the captions lack ("40 million" / "40 million pounds") or a
        word they split ("peach land" / "Peachland") is still a difference."""
        words = self.alignment.caption_words
        pieces = lambda lo, hi: [w.word for w in self.alignment.asr_words[lo:hi]]
        partner = self._partners()
        for size in range(1, NUMBER_PHRASE_WORDS + 1):
            if c0 - size >= 0 and partner[c0 - size] < a0:
                if spoken_key([w.text for w in words[c0 - size : c1]]) == spoken_key(pieces(partner[c0 - size], a1), asr_pieces=True):
                    return True
            if c1 + size <= len(words) and partner[c1 + size - 1] >= a1:
                if spoken_key([w.text for w in words[c0 : c1 + size]]) == spoken_key(pieces(a0, partner[c1 + size - 1] + 1), asr_pieces=True):
                    return True
        return False

    def _partners(self) -> list[int]:
        if self._partner is None:
            self._partner = _asr_partner_index(self.alignment)
        return self._partner

    def _splits_a_number(self, c0: int, c1: int, fixed: Sequence[str], a0: int, a1: int) -> bool:
        """Whether caption words c0..c1 are part of a longer spelled-out number ("four" of
        "four thousand") and the fix would make a number neither side said: the captions'
        whole number with ``fixed`` in place must say what the ASR's whole number there says
        ("forty one million" with "billion" for the ASR's "41 billion" is that number in the
        captions' words; "eleven" + "000" for "11,000" is no number at all)."""
        words = self.alignment.caption_words
        if c1 <= c0 or not any(_is_number_word(w.text) for w in words[c0:c1]):
            return False
        start, end = c0, c1
        while start > 0 and _is_number_word(words[start - 1].text):
            start -= 1
        while end < len(words) and _is_number_word(words[end].text):
            end += 1
        if (start, end) == (c0, c1):
            return False
        heard = self.alignment.asr_words
        first, last = a0, a1
        while first > 0 and _is_number_word(heard[first - 1].word):
            first -= 1
        while last < len(heard) and _is_number_word(heard[last].word):
            last += 1
        said = [w.text for w in words[start:c0]] + list(fixed) + [w.text for w in words[c1:end]]
        return not same_spoken_words(said, [w.word for w in heard[first:last]])

    def decide(self, c0: int, c1: int, a0: int, a1: int) -> Correction | None:
        alignment = self.alignment
        options = self.options
        caption = [w.text for w in alignment.caption_words[c0:c1]]
        heard_raw = [w.word for w in alignment.asr_words[a0:a1]]
        if not heard_raw:
            return None  # no evidence against caption words: they stay (gaps are reported by the score)
        if caption and same_spoken_words(caption, heard_raw):
            return None  # the same words in another written form ("eleven thousand" / "11,000"): the caption's stays
        if self._said_with_neighbours(c0, c1, a0, a1):
            return None  # "£40 million" / "40 million pounds", "20 mph" / "20 miles per hour": the same words
        probabilities = [w.probability for w in alignment.asr_words[a0:a1]]
        probability = sum(probabilities) / len(probabilities)
        fixed = _caption_style(heard_raw, caption, self.lexicon)
        if caption and (spoken_key(caption) == spoken_key(fixed) or same_spoken_words(caption, [" " + w for w in fixed])):
            return None  # the ASR's words, as written into the captions, say the same: keep the caption's form
        similarity = phonetic_similarity(caption, fixed)
        measured = self._margin(c0, c1, a0, a1)
        margin = None if measured is None else measured.value
        caption_is_name = self.lexicon.contains(caption) or self.lexicon.covers(caption)
        asr_is_name = self.lexicon.covers(fixed)
        same_letters = _letters(caption) == _letters(fixed)
        # A respelling changes only the written form of the same words ("US" / "U.S.",
        # "Raman Holt" / "Raman-Holt") or joins what the captions split ("in doors" /
        # "indoors"). The same letters split or with a boundary moved are other words
        # ("Nobody" / "No body", "an ice" / "a nice", both Whisper's errors): decided as any
        # other change, unless the video itself writes them so (below).
        respelling = same_letters and set(_word_boundaries(fixed)) <= set(_word_boundaries(caption))
        to_common = bool(caption) and similarity < options.suspect_similarity and _only_common_words(fixed, options.common_word_zipf)
        # Word for word only (written words: "are" / "they're" is one for one): where words
        # are dropped or added, their phonemes would count as unlike sounds, and a dropped word
        # has evidence rules of its own.
        word_for_word = bool(caption) and len(caption) == len(fixed)
        sounds_changed = phonemes_changed(caption, fixed) if caption else None
        unlike_sounds = word_for_word and sounds_changed is not None and sounds_changed >= options.unlike_phoneme_share
        # A consonant added or dropped where the neighbouring word says the same one ("flames
        # straight" / "flame straight"): the audio holds it either way, only the prior decides.
        neighbours = alignment.caption_words
        merged_sound = bool(caption) and runs_into_neighbour(
            caption, fixed, neighbours[c0 - 1].text if c0 > 0 else None, neighbours[c1].text if c1 < len(neighbours) else None
        )
        unlike_reading = False
        if respelling:
            needed = options.spelling_margin
        elif caption_is_name and not asr_is_name or _number_dropped(caption, fixed):
            # A number the captions write is content the captioner heard as one: replaced by
            # no number ("four rainy seasons" / "for rainy seasons"), it needs what a name needs.
            needed = options.name_fix_margin
        elif to_common or unlike_sounds or merged_sound:
            needed = options.unlike_reading_margin
            unlike_reading = True
        else:
            needed = options.fix_margin
        start = alignment.times[c0][0] if c1 > c0 else alignment.asr_words[a0].start
        end = alignment.times[c1 - 1][1] if c1 > c0 else alignment.asr_words[a1 - 1].end
        spoken_caption = spoken_key(caption).split()
        spoken_fixed = spoken_key(fixed).split()
        dropped_words = len(spoken_caption) - len(spoken_fixed)
        cap_letters, fix_letters = _letters(caption), _letters(fixed)
        # Every letter kept ("can not" / "cannot", "through out" / "throughout"): no word
        # vanished, the same sounds are written as one.
        if same_letters or (
            similarity >= options.suspect_similarity
            and Indel.normalized_similarity(cap_letters, fix_letters) >= MERGE_SIMILARITY
            and len(fix_letters) >= MERGE_LENGTH * len(cap_letters)
            # A word of the language's most common ones after the first can vanish into the
            # ending of the word before it ("raise is" / "raises", "Halifax is" / "Halifax's"):
            # dropped, it needs evidence against it like any dropped word.
            and not any(_only_common_words([w], options.common_word_zipf) for w in caption[1:])
        ):
            dropped_words = 0  # the same sounds in fewer words ("peach land" / "Peachland"): nothing dropped
        rare = _rare_words_replaced(caption, fixed, options)
        evidence = {
            "log_likelihood_margin": None if measured is None else round(measured.raw, 2),
            "per_token_margin": None if margin is None else round(margin, 2),
            "dropped_token_log_prob": None if measured is None or measured.dropped is None else round(measured.dropped, 2),
            "asr_probability": round(float(probability), 3),
            "phonetic_similarity": round(similarity, 3),
            "phonemes_changed": None if sounds_changed is None else round(sounds_changed, 3),
            "runs_into_neighbour": merged_sound,
            "caption_in_lexicon": caption_is_name,
            "asr_in_lexicon": asr_is_name,
        }
        reasons = ["same letters, other spelling"] if respelling else []
        if margin is not None:
            reasons.append(f"audio prefers the ASR reading by {margin:.1f} nats (per token)")
        if unlike_sounds:
            reasons.append(f"sounds unlike ({sounds_changed:.2f} of the caption's phonemes said otherwise)")
        elif similarity >= options.suspect_similarity:
            reasons.append(f"sounds alike ({similarity:.2f})")
        if merged_sound:
            reasons.append("the sound it adds or drops runs into the neighbouring word's")
        if asr_is_name:
            reasons.append("the video spells it so elsewhere")
        reasons.append(f"ASR confidence {probability:.2f}")
        if same_letters and self.lexicon.writes(fixed) != self.lexicon.writes(caption):
            # Same letters, so the same sounds: the video's own writing decides, not the audio
            # (whose margin between "US" and "U.S." moved across 1 nat with the CPU's instruction set).
            if not self.lexicon.writes(fixed):
                return None
            # Only a name or an abbreviation ("Peachland", "U.S."): a common word the description
            # happens to write so may be another word of the same letters ("voted to walk out",
            # the verb, against the captions' noun "the walkout"), and is decided as any other.
            if any(ch.isupper() for word in fixed for ch in word):
                reason = "same letters, other spelling; the video writes it so"
                return Correction(start, end, self._speaker_at(a0), caption, fixed, reason, 0.9, CorrectionStatus.FIXED, evidence)
        if margin is None:
            return None
        if caption_is_name and similarity >= options.suspect_similarity and not asr_is_name and not respelling:
            return None  # a sound-alike of a name the video spells: its spelling is the evidence
        if dropped_words > 0 and (len(spoken_fixed) == 0 or dropped_words > options.max_dropped_words):
            return None  # never shrink the captions by more words than a fix can account for
        # What keeps a clear case from being applied: it is then at most suspected.
        doubts = []
        no_drop_evidence = measured.dropped is None or measured.dropped > options.drop_log_prob
        if dropped_words > 0 and no_drop_evidence:
            doubts.append(f"{dropped_words} caption word(s) would be dropped without evidence against each")
        elif no_drop_evidence and caption and fixed and (unsaid := vowels_unsaid(caption, fixed)):
            # As many words, but syllables of the captions the reading does not say: a word
            # dropped all the same ("Hydro-Québec says" / "Hydro Quebec's", where the normaliser
            # reads the "'s" as "is"). It needs the same evidence.
            doubts.append(f"{unsaid} syllable(s) of the captions would go unsaid without evidence against them")
        if self._splits_a_number(c0, c1, fixed, a0, a1):
            doubts.append("it would change part of a number the captions spell in more words")
        if similarity < options.suspect_similarity and not respelling:
            # What the captioner wrote as specific content — a name the title or description
            # spells, a number — against a reading that holds none of it and does not sound
            # like it: a recogniser that does not know the name, or heard no number, offers
            # other words there ("off Orkney a century" heard as "precoffed for the New
            # Century", "eight" as "like"); the audio's preference is no evidence against it.
            spelled = [w for w in caption if w[:1].isupper() and self.lexicon.writes([w]) and self.lexicon.covers([w])]
            gone = [w for w in spelled if _letters([w]) not in {_letters([f]) for f in fixed}]
            if gone:
                doubts.append(f"{' '.join(gone)!r} is a name the video spells, and the reading neither holds nor sounds like it")
            elif _number_dropped(caption, fixed):
                doubts.append("a number the captions write, and the reading neither holds a number nor sounds like it")
        if any(_SPELLED_OUT.search(w) for w in fixed):
            # "b-o-d-h-r" for *bodhrán*: how Whisper writes what it cannot read, not a word.
            doubts.append("the reading spells letters out")
        if rare and not asr_is_name and similarity >= options.suspect_similarity and not _beyond_prior(margin, probability, options):
            doubts.append(f"{' '.join(rare)!r} is a real, rare word")
        elif same_letters and len(spoken_fixed) < len(spoken_caption):
            # "head teachers" / "headteachers", "car parks" / "carparks": a compound the language
            # rarely writes closed is the same words said the same way either way; which to
            # write is the captioner's style, and stays (where the video itself writes it
            # closed, the rule above has applied it). One it commonly writes closed is joined
            # ("river side car parks" -> "riverside car parks").
            styled = _open_compounds_kept(caption, fixed, options.rare_word_zipf)
            if styled != list(fixed):
                fixed = styled
                reasons.append("keeps compounds written open")
                if _word_boundaries(fixed) == _word_boundaries(caption):
                    doubts.append(f"{' '.join(caption)!r} is a compound written open, a matter of style")
        elif _split_real_word(caption, fixed) and not asr_is_name and not same_letters:
            # "semiconductor" / "a me-conductor", "nailbiter" / "nailed by her": a captioner who
            # wrote one long real word heard it; the model's pieces of it are no evidence.
            doubts.append(f"{caption[0]!r} is a real word the reading splits into others")
        # More written words in place of other caption words ("lava could" / "law of the good",
        # both Whisper models' reading of a telephone voice, 12 nats): the reading claims the
        # captioner misheard words and missed others besides. A respelling ("alot" / "a lot"),
        # a contraction ("can feed" / "can't feed": the captioner cut the word short, no word
        # missed) or a name the video spells is none of that; a word the captions lack alone
        # (an empty caption run) is decided by the margin.
        adds_words = bool(caption) and len(fixed) > len(caption) and not same_letters and not asr_is_name
        if probability < options.confident_probability:
            doubts.append("ASR unsure")
        elif (unlike_reading or adds_words) and probability < options.unlike_reading_probability:
            # Where the ASR's word disagrees with the captions, only a near-certain one is
            # evidence that the captioner heard other words (see FixOptions).
            what = "a reading unlike the caption" if unlike_reading else "a reading that adds words to the caption's"
            doubts.append(f"ASR not sure enough ({probability:.2f}) of {what}")
        if margin >= needed and not doubts and self.judge is not None and not respelling:
            second = self._compare(a0, a1, _join_asr_words(heard_raw), caption, self.judge)
            if second is not None:
                evidence["second_judge_margin"] = round(second.value, 2)
                if second.value < options.judge_margin:
                    doubts.append(f"the second judge prefers it by {second.value:.1f} nats only")
        if margin >= needed and not doubts and not respelling and len(caption) == len(fixed) > 1:
            # Word for word: a caption word stays where the audio says little against it once
            # the others are fixed ("can feed" / "can't heat" -> "can't feed").
            word_margins = self._word_margins(a0, a1, caption, fixed)
            evidence["word_margins"] = word_margins
            kept = [k for k, m in enumerate(word_margins) if m is not None and m < needed]
            if kept:
                fixed = [caption[k] if k in kept else word for k, word in enumerate(fixed)]
                reasons.append("keeps " + ", ".join(repr(caption[k]) for k in kept) + " (the audio says little against it alone)")
                if _letters(fixed) == _letters(caption):
                    doubts.append("no caption word has evidence against it alone")
        elif margin >= needed and not doubts and not respelling and dropped_words > 0 and fixed:
            # One word fewer: the fix may be a word dropped and another changed ("the the
            # boats" / "the books"), whose margin is mostly the dropped word's. The change must
            # win on its own against the captions with only that word dropped; where it does
            # not, only the word goes, and only where the audio speaks against it.
            dropped_only = self._dropped_only(a0, a1, caption, fixed, needed) if len(caption) == len(fixed) + 1 else None
            if dropped_only is not None:
                fixed, why, alone = dropped_only
                evidence["dropped_only_margins"] = alone
                reasons.append(why)
                if alone[1] is None or alone[1] < needed:
                    doubts.append("the audio says too little against the dropped word alone")
            else:
                # A word the fix would drop at either end of the caption run (a caption-only word
                # grouped with its neighbour, "a" of "a 90%" / "19") stays unless the audio speaks
                # against it alone.
                for k, kept in ((0, [caption[0]] + fixed), (len(caption) - 1, fixed + [caption[-1]])):
                    if len(caption) < 2 or _letters([caption[k]]) in {_letters([w]) for w in fixed}:
                        continue
                    measured_alone = self._compare(a0, a1, fixed, kept)
                    evidence.setdefault("edge_margins", []).append(None if measured_alone is None else round(measured_alone.value, 2))
                    if measured_alone is not None and measured_alone.value < needed:
                        fixed = kept
                        reasons.append(f"keeps {caption[k]!r} (the audio says little against it alone)")
                        break
        reason = "; ".join(reasons + doubts)
        if margin >= needed and not doubts:
            confidence = min(0.99, 0.5 + margin / (4 * needed) + 0.1 * similarity + (0.1 if asr_is_name else 0.0))
            return Correction(start, end, self._speaker_at(a0), caption, fixed, reason, confidence, CorrectionStatus.FIXED, evidence)
        close = margin >= needed - options.flip_band and probability >= options.confident_probability - options.probability_band
        if close or (
            margin >= options.suspect_margin
            and probability >= options.confident_probability - options.probability_band
            and (similarity >= options.suspect_similarity or margin >= needed)
        ):
            confidence = min(0.9, max(0.05, 0.3 + margin / (4 * needed)))
            return Correction(start, end, self._speaker_at(a0), caption, fixed, reason, confidence, CorrectionStatus.SUSPECTED, evidence)
        return None

    def _dropped_only(
        self, a0: int, a1: int, caption: list[str], fixed: list[str], needed: float
    ) -> tuple[list[str], str, list[float | None]] | None:
        """For a fix one word shorter than the captions: among the captions with one word
        dropped that the fix does not beat by ``needed``, the one the audio prefers most to the
        captions; why; and the margins of the fix over it and of it over the captions (None
        where the dropped word's tokens are not unlikely enough). None where the fix beats
        every such reading, or is one of them."""
        shorter_readings = [caption[:k] + caption[k + 1 :] for k in range(len(caption))]
        if any(_letters(shorter) == _letters(fixed) for shorter in shorter_readings):
            return None  # the fix drops a word and changes nothing else
        best = None
        for k, shorter in enumerate(shorter_readings):
            over = self._compare(a0, a1, fixed, shorter)
            if over is None or over.value >= needed:
                continue
            against = self._compare(a0, a1, shorter, caption)
            margins = [round(over.value, 2), None if against is None or against.dropped is None or against.dropped > self.options.drop_log_prob else round(against.value, 2)]
            if best is None or _or_lowest(margins[1]) > _or_lowest(best[2][1]):
                best = (shorter, f"drops {caption[k]!r} only (the audio says little against the rest: {over.value:.1f} nats)", margins)
        return best

    def decide_repeat(self, c0: int, c1: int, a0: int) -> tuple[int, int, Correction] | None:
        """Caption words the ASR did not hear stay, except a word written twice ("the the",
        "that that"), heard once: the repetition goes where the audio speaks against it as
        against any dropped word (``fix_margin``, its tokens' mean log-probability at most
        ``drop_log_prob``, the second judge agreeing)."""
        options = self.options
        words = [w.text for w in self.alignment.caption_words]
        # The repeated part: the run's first words written again just before it, or its last
        # words written again just after it ("that" of "said that | that a record"); the rest of
        # the run stays.
        for size in range(min(c1 - c0, options.max_dropped_words), 0, -1):
            if c0 - size >= 0 and _letters(words[c0 : c0 + size]) == _letters(words[c0 - size : c0]):
                c1 = c0 + size
                break
            if c1 + size <= len(words) and _letters(words[c1 - size : c1]) == _letters(words[c1 : c1 + size]):
                c0 = c1 - size
                break
        else:
            return None
        caption = words[c0:c1]
        measured = self._compare(a0, a0, [], caption)
        if measured is None or measured.dropped is None:
            return None
        margin = measured.value
        evidence = {
            "log_likelihood_margin": round(measured.raw, 2),
            "per_token_margin": round(margin, 2),
            "dropped_token_log_prob": round(measured.dropped, 2),
        }
        doubts = []
        if measured.dropped > options.drop_log_prob:
            doubts.append("the audio does not speak against the repeated word(s)")
        if margin >= options.fix_margin and not doubts and self.judge is not None:
            second = self._compare(a0, a0, [], caption, self.judge)
            if second is not None:
                evidence["second_judge_margin"] = round(second.value, 2)
                if second.value < options.judge_margin:
                    doubts.append(f"the second judge prefers it by {second.value:.1f} nats only")
        reason = "; ".join([f"{' '.join(caption)!r} written twice, heard once", f"audio prefers it once by {margin:.1f} nats (per token)", *doubts])
        start, end = self.alignment.times[c0][0], self.alignment.times[c1 - 1][1]
        if margin >= options.fix_margin and not doubts:
            confidence = min(0.99, 0.5 + margin / (4 * options.fix_margin))
            return c0, c1, Correction(start, end, self._speaker_at(a0), caption, [], reason, confidence, CorrectionStatus.FIXED, evidence)
        if margin >= options.fix_margin - options.flip_band:
            confidence = min(0.9, max(0.05, 0.3 + margin / (4 * options.fix_margin)))
            return c0, c1, Correction(start, end, self._speaker_at(a0), caption, [], reason, confidence, CorrectionStatus.SUSPECTED, evidence)
        return None

    def run(self) -> FixResult:
        alignment = self.alignment
        decisions: dict[int, tuple[int, Correction]] = {}  # caption start index -> (caption end, correction)
        insertions: dict[int, list[Correction]] = {}  # caption index before which words go
        corrections: list[Correction] = []
        named: set[int] = set()
        for c0, c1, correction in self._name_pass() + self._written_as_one_pass():
            if named & set(range(c0, c1)):
                continue
            corrections.append(correction)
            if correction.status is CorrectionStatus.FIXED:
                decisions[c0] = (c1, correction)
                named.update(range(c0, c1))
        for block in alignment.blocks:
            if block.kind is BlockKind.CAPTION_ONLY and not named & set(range(block.cap_start, block.cap_end)):
                repeat = self.decide_repeat(block.cap_start, block.cap_end, block.asr_start)
                if repeat is not None:
                    c0, c1, correction = repeat
                    corrections.append(correction)
                    if correction.status is CorrectionStatus.FIXED:
                        decisions[c0] = (c1, correction)
                continue
            if block.kind is BlockKind.MATCH:
                continue
            suspected_homophones = {}
            for i, correction in self._homophones(block, named):
                if correction.status is CorrectionStatus.FIXED:
                    corrections.append(correction)
                    decisions[i] = (i + 1, correction)
                    named.add(i)
                else:
                    suspected_homophones[i] = correction
            cap = [w.text for w in alignment.caption_words[block.cap_start : block.cap_end]]
            asr = [w.word for w in alignment.asr_words[block.asr_start : block.asr_end]]
            for c0, c1, a0, a1 in split_block(cap, asr):
                c0, c1 = block.cap_start + c0, block.cap_start + c1
                a0, a1 = block.asr_start + a0, block.asr_start + a1
                if named & set(range(c0, c1)) or (c0 == c1 and c0 in named):
                    continue  # decided as part of a name, or as a homophone
                correction = self.decide(c0, c1, a0, a1)
                if correction is None:
                    continue
                corrections.append(correction)
                for i in range(c0, c1):
                    suspected_homophones.pop(i, None)  # listed once, as the disagreement's
                if correction.status is not CorrectionStatus.FIXED:
                    continue
                if c1 > c0:
                    decisions[c0] = (c1, correction)
                else:
                    insertions.setdefault(c0, []).append(correction)
            corrections += suspected_homophones.values()
        corrections.sort(key=lambda c: (c.start, c.end))
        return FixResult(self._apply(decisions, insertions), corrections)

    def _name_pass(self) -> list[tuple[int, int, Correction]]:
        """Names the video spells itself, proposed as candidates themselves: a caption run that
        sounds like a name of the title or description but is spelled otherwise (``align.names``,
        or paired with the ASR's exact spelling of it) is decided as a whole, before the
        word-by-word disagreements, whatever the ASR heard there (it may misspell the name too).
        Of overlapping candidates the one the audio prefers most is decided: where a name ends
        is the audio's to say."""
        if self.scorer is None or not self.lexicon.trusted:
            return []
        alignment = self.alignment
        words = [w.text for w in alignment.caption_words]
        phrases = self.lexicon.trusted_phrases()
        runs = name_runs(phrases)
        candidates = find_name_candidates(words, runs, self.options.name_similarity) + self._heard_names(runs)
        partner = self._partners()
        cased = self._cased
        spelled = {_letters([w]) for phrase in phrases for w in phrase.split()}
        prompt = ", ".join(phrases)
        # Caption runs that spell a name already are left to the respelling rule: a candidate
        # never cuts through one ("May bury" of "May bury Cho"), it may only extend one to more
        # of the same name ("Coffee" + "Mensah Boateng" for *Kofi Mensah-Boateng*).
        # (A run with a name's letters split into other words, "Sol Berg a Chebe" for
        # *Solberg-Achebe*, counts only where the ASR wrote those letters there too, so that the
        # respelling rule will join it; else it is a candidate itself.)
        by_key = {run.key: run for run in runs}
        keys = set(by_key)
        heard = [w.word for w in alignment.asr_words]

        def spelled_right(i: int, j: int) -> bool:
            key = _letters(words[i:j])
            if key not in keys:
                return False
            if spoken_parts(words[i:j]) == spoken_parts(by_key[key].words):
                return True
            return key in _letters(heard[max(partner[i] - 1, 0) : partner[j - 1] + 2])  # (partners are approximate)

        right = [(i, j, _letters(words[i:j])) for i in range(len(words)) for j in range(i + 1, min(len(words), i + MAX_RUN_WORDS) + 1)
                 if spelled_right(i, j)]
        candidates = [c for c in candidates if all(
            j <= c.start or c.end <= i or (c.start <= i and j <= c.end and key in c.run.key) for i, j, key in right)]
        placed = [(c, p) for c in candidates if (p := self._name_position(c, words, cased, spelled)) is not None]
        decided = []
        for cluster in _overlapping(placed):
            # One stretch of captions and audio for every candidate of the cluster, so that their
            # margins compare: each reading differs from the caption words only in its candidate.
            c_lo, c_hi = min(c.start for c, _ in cluster), max(c.end for c, _ in cluster)
            a0, a1 = partner[c_lo], partner[c_hi - 1] + 1
            for c, _ in cluster:
                if c.asr_span is not None:
                    a0, a1 = min(a0, c.asr_span[0]), max(a1, c.asr_span[1])
            region = words[c_lo:c_hi]
            considered: dict[tuple[int, int, str], tuple[NameCandidate, str]] = {}
            # The candidate trimmed of edge words that sound less like the name, and with them
            # again where they may be the name's own first or last sounds ("Oh" of "Oh Yeah
            # Bungee Reed" for *Oyebanji-Reed*) and the ASR heard none of them apart from the
            # name: which it is, is then the audio's to say. Never one of the language's most
            # common words ("was" after "Lewis" sounds like its end, and is a word of the sentence).
            forms = []
            for candidate, _ in cluster:
                trimmed = self._trimmed(candidate, words, a0, a1, keys)
                forms.append(trimmed)
                lead, trail = words[candidate.start : trimmed.start], words[trimmed.end : candidate.end]
                start = candidate.start if self._name_sounds(lead, candidate.run, at_start=True) else trimmed.start
                end = candidate.end if self._name_sounds(trail, candidate.run, at_start=False) else trimmed.end
                whole = replace(candidate, start=start, end=end)
                if (start, end) != (trimmed.start, trimmed.end) and not self._separately_heard(whole, a0, a1):
                    forms.append(whole)
            for candidate in forms:
                matched = closest_name(
                    words[candidate.start : candidate.end],
                    [candidate.run] if candidate.asr_span is not None else runs,
                    self.options.suspect_similarity if candidate.asr_span is not None else self.options.name_similarity,
                    by_sound=candidate.asr_span is not None,
                )
                if matched is None:
                    continue  # what is left of it after trimming is no name
                candidate = replace(candidate, run=matched[0], similarity=matched[1])
                position = self._name_position(candidate, words, cased, spelled)
                if position is not None:
                    considered.setdefault((candidate.start, candidate.end, candidate.run.key), (candidate, position))
            outcomes = []
            for candidate, position in considered.values():
                reading = words[c_lo : candidate.start] + list(candidate.run.words) + words[candidate.end : c_hi]
                measured = self._compare(a0, a1, reading, region, prompt=prompt)
                if measured is None:
                    continue
                correction = self._decide_name(candidate, a0, a1, reading, region, measured, position, prompt)
                if correction is not None:
                    outcomes.append((correction.status is not CorrectionStatus.FIXED, -measured.value, -candidate.similarity, candidate, correction))
            # Of names proposed for the same caption words, the one most like them: the audio
            # says where a name starts and ends, not which sounds of the captions to drop
            # ("O'Brien" is *Ó Briain*, not *Briain*, though Whisper scores "Ó" low).
            best_alike: dict[tuple[int, int], float] = {}
            for *_, candidate, correction in outcomes:
                if correction.status is CorrectionStatus.FIXED:
                    span = (candidate.start, candidate.end)
                    best_alike[span] = max(best_alike.get(span, 0.0), candidate.similarity)
            outcomes = [o for o in outcomes if o[3].similarity >= best_alike.get((o[3].start, o[3].end), 0.0)]
            # Fixes first, the audio's favourite first; a suspicion only where no fix overlaps it.
            # A name part is written once: two fixes side by side that would both write it
            # ("Fion" -> "Ffion" and "Pritchard Lewis" -> "Ffion Pritchard-Lewis") are one too many.
            taken: set[int] = set()
            written: set[str] = set()
            for *_, candidate, correction in sorted(outcomes, key=lambda o: o[:3]):
                span = set(range(candidate.start, candidate.end))
                parts = set(spoken_parts(candidate.run.words))
                if span & taken or correction.status is CorrectionStatus.FIXED and parts & written:
                    continue
                taken |= span
                if correction.status is CorrectionStatus.FIXED:
                    written |= parts
                decided.append((candidate.start, candidate.end, correction))
        return decided

    def _written_as_one_pass(self) -> list[tuple[int, int, Correction]]:
        """Two lower-case caption words whose letters are one common word the title or
        description write ("hail storm" where the video writes *hailstorm*): the same sounds, so
        the video's writing decides, whatever the ASR heard there (Whisper writes such words
        apart too: "cyber attack"). Never after a word that makes the first a verb ("voted
        to walk out", "they walk out"): a verb and its particle are two words, whatever noun the
        video writes with their letters; nor where the video writes the two words apart too."""
        words = [w.text for w in self.alignment.caption_words]
        found = []
        for i in range(len(words) - 1):
            first, second = words[i], words[i + 1].rstrip(",.;:?!")
            if not (first.isalpha() and second.isalpha() and first.islower() and second.islower()):
                continue
            if i > 0 and words[i - 1].lower().strip(",.;:?!") in _VERB_BEFORE:
                continue
            form = self.lexicon.written_as_one(first, second)
            if form is None or not form.islower():
                continue  # a name the video spells is the name pass's and the respelling rule's
            fixed = form + words[i + 1][len(second):]
            start, end = self.alignment.times[i][0], self.alignment.times[i + 1][1]
            reason = "same letters, one word as the title or description write it"
            evidence = {"video_form": form}
            found.append((i, i + 2, Correction(start, end, self._speaker_at(self._partners()[i]), [words[i], words[i + 1]], [fixed],
                                               reason, 0.9, CorrectionStatus.FIXED, evidence)))
        return found

    def _homophones(self, block: Block, taken: set[int]) -> list[tuple[int, Correction]]:
        """A caption word said exactly as another word is ("the rode back" for *road*, "at its
        peek" for *peak*, after the CMU Pronouncing Dictionary), where the ASR wrote another
        word (the homophone, or a mishearing: "peek" heard as "feet"): the homophone is
        proposed itself. The sounds cannot tell the two apart, so the audio's preference is
        what the words around say; it is decided as any fix (both models prefer it by the
        margins a fix needs; within ``flip_band`` below them the word is suspected, below that
        it is not listed), and a rare caption word yields only to what an unlike reading needs.
        Where the ASR wrote the caption's own word its decoder already expected that word
        there: on the corpus and held-out items no such word came near a fix's margin (the
        best, "fur" / *fir*, 1.6 nats), and looking there cost scoring windows of their own. Only
        words paired one to one with an ASR word, and between the language's commonest words
        and its rare ones: "to" / "too" or "there" / "their" are most of any transcript, and a
        homophone the language rarely writes ("peke", "pique") is left out: the dictionary's
        rare entries are mostly names ("Rohde" for "road")."""
        one_to_one = block.cap_end - block.cap_start == block.asr_end - block.asr_start
        if self.scorer is None or block.kind is not BlockKind.SUBSTITUTION or not one_to_one:
            return []
        # The windows the disagreements are scored in are left where they were: a look at one
        # word of a disagreement must not move them (their margins move by up to a nat with the
        # window's start, as with the CPU's instruction set).
        windows = self._window_start, self._window_first_word
        try:
            return self._homophones_of(block, taken)
        finally:
            self._window_start, self._window_first_word = windows

    def _homophones_of(self, block: Block, taken: set[int]) -> list[tuple[int, Correction]]:
        options = self.options
        alignment = self.alignment
        found = []
        for offset in range(block.cap_end - block.cap_start):
            i, a0 = block.cap_start + offset, block.asr_start + offset
            word = alignment.caption_words[i].text
            core = plain(word)
            if i in taken or not core.isalpha() or (self._cased and not core.islower()) or _zipf(core.lower()) >= options.common_word_zipf:
                continue
            if _is_number_word(core):
                continue  # "four" / "fore": a number is the number rules' to decide
            candidates = [c for c in homophones(core) if options.rare_word_zipf <= _zipf(c) < options.common_word_zipf and not _is_number_word(c)]
            if not candidates or (ceiling := self._ceiling(a0, a0 + 1, [core])) is not None and ceiling < options.fix_margin - options.flip_band:
                continue
            measured = [(m.value, c) for c in candidates if (m := self._compare(a0, a0 + 1, [c], [core])) is not None]
            if not measured:
                continue
            margin, candidate = max(measured)
            if margin < options.fix_margin - options.flip_band:
                continue
            second = self._compare(a0, a0 + 1, [candidate], [core], self.judge) if self.judge is not None else None
            if second is not None and second.value < options.judge_margin - options.flip_band:
                continue  # the other model does not lean to it at all
            reason = f"said as {core!r} is; the audio and the words around prefer it by {margin:.1f} nats (per token)"
            heard = alignment.asr_words[a0]
            probability = heard.probability if _letters([heard.word]) == _letters([candidate]) else 0.0
            evidence = {"per_token_margin": round(margin, 2), "second_judge_margin": None if second is None else round(second.value, 2),
                        "asr_probability": round(float(probability), 3)}
            doubts = []
            if margin < options.fix_margin:
                doubts.append(f"a fix needs {options.fix_margin:.1f}")
            # As for any reading: a rare word the captioner wrote ("charged at the quay", which
            # both models would write "key") yields only to an unlike reading's evidence.
            if _rare_words_replaced([core], [candidate], options) and not _beyond_prior(margin, probability, options):
                doubts.append(f"{core!r} is a real, rare word")
            if second is not None and second.value < options.judge_margin:
                doubts.append(f"the second judge prefers it by {second.value:.1f} nats only")
            written = candidate.upper() if len(core) > 1 and core.isupper() else candidate.capitalize() if core[:1].isupper() else candidate
            fixed = word.replace(core, written, 1)  # with the caption's punctuation
            start, end = alignment.times[i]
            status = CorrectionStatus.SUSPECTED if doubts else CorrectionStatus.FIXED
            found.append((i, Correction(start, end, self._speaker_at(a0), [word], [fixed], "; ".join([reason, *doubts]),
                                        0.5 if doubts else 0.9, status, evidence)))
        return found

    def _name_sounds(self, edge: list[str], run: NameRun, at_start: bool) -> bool:
        """Whether words beside a name candidate may be the name's own sounds, none of them one
        of the language's most common words: their sound codes begin or end the name's
        (``sounds_like_name_edge``), or they are lone letters, which a captioner writes for a
        sound of a name they do not know ("Demir G" for *Demirci*, whose spelling codes no G)."""
        lone_letters = all(len(_letters([w])) == 1 and w.strip(",.;:?!")[:1].isalpha() for w in edge)
        return bool(edge) and (lone_letters or sounds_like_name_edge(edge, run, at_start)) and not any(
            _only_common_words([w], self.options.common_word_zipf) for w in edge
        )

    def _trimmed(self, candidate: NameCandidate, words: list[str], a0: int, a1: int, spelled_keys: set[str]) -> NameCandidate:
        """The candidate without the words at its ends that are no part of the name: a word
        without which the run sounds no less like the name ("the" of "the McDonald Carr", "told"
        of "Perez Whitcomb told"), or one the ASR heard as that same word outside its own reading
        of the name ("is" of "Saint Albin day Mont is" beside *Saint-Albans-de-Monts is*). A name
        fix never drops a caption word that is not part of the name. Never trimmed down to words
        that already spell a part of a name ("Mulcahy Brennan" of "Tiger Mulcahy Brennan" for
        *Tadhg Mulcahy-Brennan*): the word trimmed is the misspelled part."""
        separate = self._separately_heard(candidate, a0, a1)
        while candidate.end - candidate.start > 1:
            alike = name_similarity(words[candidate.start : candidate.end], candidate.run)
            for start, end, edge in ((candidate.start + 1, candidate.end, candidate.start), (candidate.start, candidate.end - 1, candidate.end - 1)):
                if _letters(words[start:end]) in spelled_keys and edge not in separate:
                    continue
                if edge in separate or name_similarity(words[start:end], candidate.run) > alike:
                    break
            else:
                return candidate
            candidate = replace(candidate, start=start, end=end)
        return candidate

    def _separately_heard(self, candidate: NameCandidate, a0: int, a1: int) -> set[int]:
        """Caption words of the candidate that the alignment matches with an ASR word lying
        outside the ASR's closest reading of the name (its run of words most alike in letters)."""
        alignment = self.alignment
        asr = alignment.asr_words
        lo, hi = max(0, a0 - 1), min(len(asr), a1 + 1)
        starts = [i for i in whole_word_starts(asr[lo:hi])] + [hi - lo]
        best, reading = -1.0, (lo, lo)
        for i in range(len(starts) - 1):
            for j in range(i + 1, len(starts)):
                alike = Indel.normalized_similarity(_letters(_join_asr_words([w.word for w in asr[lo + starts[i] : lo + starts[j]]])), candidate.run.key)
                if alike > best:
                    best, reading = alike, (lo + starts[i], lo + starts[j])
        separate = set()
        for block in alignment.blocks:
            if block.kind is not BlockKind.MATCH or block.cap_end - block.cap_start != block.asr_end - block.asr_start:
                continue
            for offset in range(block.cap_end - block.cap_start):
                c, a = block.cap_start + offset, block.asr_start + offset
                if candidate.start <= c < candidate.end and not reading[0] <= a < reading[1]:
                    separate.add(c)
        return separate

    def _name_position(self, candidate: NameCandidate, words: list[str], cased: bool, spelled: set[str]) -> str | None:
        """Why the caption run stands where a name would, or None: a name is never proposed for
        real words in a non-name context. Where the captions use capitals, a capitalised word in
        the run or another word of the same name beside it; in lower-case captions, that
        neighbour or the ASR's own spelling of the name there. A run holding a word the video
        spells as a name ("Ines", "Lakeview") is that name, not a misspelling of another; so is
        a capitalised word the title or description writes exactly so ("Liberals" of a title
        beside "the Liberal candidate")."""
        caption = words[candidate.start : candidate.end]
        if any(_letters([w]) in spelled or (w[:1].isupper() and self.lexicon.writes([w])) for w in caption):
            return None
        others = candidate.run.other_parts()
        beside = [words[i] for i in (candidate.start - 1, candidate.end) if 0 <= i < len(words)]
        if any(_letters([w]) in others for w in beside):
            return "beside another part of the name"
        if cased:
            return "capitalised" if any(w[:1].isupper() for w in caption) else None
        return "the ASR spells the name there" if candidate.asr_span is not None else None

    def _heard_names(self, runs: Sequence[NameRun]) -> list[NameCandidate]:
        """Name runs the ASR spelled where the captions have other words (exactly, or as alike
        as ``name_similarity``): the caption runs of that disagreement whose sound codes are
        somewhat alike (``suspect_similarity``) are candidates ("Thomas veer biscuit" where the
        ASR wrote *Tomasz Wierzbicki*, "Rory" where it wrote "Ruair" for *Ruairí*)."""
        alignment = self.alignment
        by_key = {run.key: run for run in runs}
        found = []
        # A caption run that spells a part of a name already ("Mulcahy Brennan") is no
        # candidate for the whole name ("Tadhg Mulcahy-Brennan"): its fix would add words the
        # captions have no sounds for; a longer run holding it may be ("Tiger Mulcahy Brennan").
        for block in alignment.blocks:
            if block.kind is not BlockKind.SUBSTITUTION:
                continue
            cap = [w.text for w in alignment.caption_words[block.cap_start : block.cap_end]]
            pieces = [w.word for w in alignment.asr_words[block.asr_start : block.asr_end]]
            starts = whole_word_starts([_Piece(w) for w in pieces]) + [len(pieces)]
            for i in range(len(starts)):
                for j in range(i + 1, min(len(starts), i + MAX_RUN_WORDS + 1)):
                    heard = _join_asr_words(pieces[starts[i] : starts[j]])
                    # The ASR's spelling of the name, or one as alike as a caption run must be
                    # ("Ruair" for *Ruairí*).
                    run = by_key.get(_letters(heard))
                    if run is None:
                        matched = closest_name(heard, runs, self.options.name_similarity)
                        run = matched[0] if matched else None
                    if run is None:
                        continue
                    for c0 in range(len(cap)):
                        for c1 in range(c0 + 1, min(len(cap), c0 + MAX_RUN_WORDS) + 1):
                            if _letters(cap[c0:c1]) in by_key:
                                continue
                            match = closest_name(cap[c0:c1], [run], self.options.suspect_similarity, by_sound=True)
                            if match is not None:
                                found.append(NameCandidate(block.cap_start + c0, block.cap_start + c1, run, match[1],
                                                           (block.asr_start + starts[i], block.asr_start + starts[j])))
        return found

    def _decide_name(
        self, candidate: NameCandidate, a0: int, a1: int, reading: list[str], region: list[str], measured: Margin, position: str, prompt: str
    ) -> Correction | None:
        """A name candidate is fixed where the audio, read with the video's names in mind,
        prefers the video's spelling by ``name_margin`` for both judges; within ``flip_band``
        below that it is suspected. A spelling that differs from the video's only in doubled
        letters ("Fion" / *Ffion*) says the same sounds: the video's writing decides, as for a
        respelling of the same letters (the audio's margin between them is the tokenizer's)."""
        options = self.options
        c0, c1 = candidate.start, candidate.end
        caption = [w.text for w in self.alignment.caption_words[c0:c1]]
        name = list(candidate.run.words)
        margin = measured.value
        evidence = {
            "log_likelihood_margin": round(measured.raw, 2),
            "per_token_margin": round(margin, 2),
            "phonetic_similarity": round(candidate.similarity, 3),
            "name_position": position,
            "asr_spells_it": candidate.asr_span is not None,
            "candidate": "the video's own spelling (title/description)",
        }
        start, end = self.alignment.times[c0][0], self.alignment.times[c1 - 1][1]
        speaker = self._speaker_at(a0)
        if doubled_letters_only(caption, name):
            reason = f"the video spells this name so; {position}; the same letters but doubled ones, said the same"
            return Correction(start, end, speaker, caption, name, reason, 0.9, CorrectionStatus.FIXED, evidence)
        if margin < options.name_margin - options.flip_band:
            return None
        doubts = []
        if margin >= options.name_margin and self.judge is not None:
            second = self._compare(a0, a1, reading, region, self.judge, prompt=prompt)
            if second is not None:
                evidence["second_judge_margin"] = round(second.value, 2)
                if second.value < options.name_margin:
                    doubts.append(f"the second judge prefers it by {second.value:.1f} nats only")
        reason = "; ".join(
            ["the video spells this name so", position, f"sounds alike ({candidate.similarity:.2f})",
             f"with the video's names in mind the audio prefers that spelling by {margin:.1f} nats (per token)", *doubts]
        )
        if margin >= options.name_margin and not doubts:
            confidence = min(0.99, 0.6 + margin / (4 * options.fix_margin) + 0.1 * candidate.similarity)
            return Correction(start, end, speaker, caption, name, reason, confidence, CorrectionStatus.FIXED, evidence)
        confidence = min(0.9, max(0.05, 0.3 + margin / (4 * options.fix_margin)))
        return Correction(start, end, speaker, caption, name, reason, confidence, CorrectionStatus.SUSPECTED, evidence)

    def _apply(self, decisions, insertions) -> list[FixedWord]:
        alignment = self.alignment
        words: list[FixedWord] = []
        index = 0
        asr_cursor = self._partners()
        n = len(alignment.caption_words)
        while index <= n:
            for correction in insertions.get(index, []):
                words.extend(_spread(correction, correction.fixed_words))
            if index == n:
                break
            if index in decisions:
                end, correction = decisions[index]
                words.extend(_spread(correction, correction.fixed_words))
                index = end
                continue
            start, stop = alignment.times[index]
            speaker = self._speaker_at(asr_cursor[index])
            words.append(FixedWord(alignment.caption_words[index].text, start, stop, speaker))
            index += 1
        return words


def _or_lowest(margin: float | None) -> float:
    """A margin to compare, no evidence ranking below any."""
    return float("-inf") if margin is None else margin


def _overlapping(placed: list) -> list[list]:
    """Name candidates (with their position) in groups of overlapping caption spans."""
    groups: list[list] = []
    end = -1
    for item in sorted(placed, key=lambda p: (p[0].start, p[0].end)):
        if groups and item[0].start < end:
            groups[-1].append(item)
            end = max(end, item[0].end)
        else:
            groups.append([item])
            end = item[0].end
    return groups


def _captions_use_case(words: Sequence[str]) -> bool:
    """Whether the captions' capitals say something: neither all lower case (automatic
    captions) nor all capitals."""
    initials = [w[:1] for w in words if w[:1].isalpha()]
    lower = sum(ch.islower() for ch in initials)
    upper = sum(w.isupper() and len(w) > 1 for w in words)
    return 0 < lower and upper < len(initials) / 2 and any(ch.isupper() for ch in initials)


def _spread(correction: Correction, texts: Sequence[str]) -> list[FixedWord]:
    if not texts:
        return []
    step = max(correction.end - correction.start, 0.0) / len(texts)
    return [
        FixedWord(text, correction.start + i * step, correction.start + (i + 1) * step, correction.speaker, True)
        for i, text in enumerate(texts)
    ]


def _asr_partner_index(alignment: Alignment) -> list[int]:
    """For each caption word, the index of the ASR word it is aligned with or nearest to
    (its speaker is the caption word's speaker)."""
    partner = [0] * len(alignment.caption_words)
    for block in alignment.blocks:
        n_cap = block.cap_end - block.cap_start
        n_asr = block.asr_end - block.asr_start
        for offset in range(n_cap):
            if n_asr:
                partner[block.cap_start + offset] = block.asr_start + min(offset * n_asr // max(n_cap, 1), n_asr - 1)
            else:
                partner[block.cap_start + offset] = max(block.asr_start - 1, 0)
    return partner


def fix_captions(
    alignment: Alignment,
    scorer: AcousticScorer | None,
    lexicon: EntityLexicon,
    options: FixOptions = FixOptions(),
    judge: AcousticScorer | None = None,
) -> FixResult:
    return CaptionFixer(alignment, scorer, lexicon, options, judge).run()
