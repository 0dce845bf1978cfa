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
from dataclasses import dataclass
from typing import Sequence

from rapidfuzz.distance import Indel

from align.alignment import Alignment, BlockKind, normalize_token, same_spoken_words, spoken_key, whole_word_starts
from align.options import FixOptions
from align.evidence import WINDOW_PADDING, AcousticScorer, EntityLexicon, phonetic_similarity
from retranscribe.results import Correction, CorrectionStatus

CONTEXT_WORDS = 4


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
    ("he Anna Cunningham" / "Heather And a cunning ham" -> he|Heather, Anna Cunningham|And a
    cunning ham), so each part is decided on its own evidence. Returns (c0, c1, a0, a1) spans."""
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
                    if gi and gj and same_spoken_words(caption[i : i + gi], asr[j : j + gj]):
                        step = 0.0
                    elif gi and gj:
                        step = (1.0 - phonetic_similarity(caption[i : i + gi], asr[j : j + gj])) * letters
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


_EDGE_PUNCT = re.compile(r"^[^\w'’-]+|[^\w'’]+$")


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


def _letters(words: Sequence[str]) -> str:
    return "".join(ch for w in words for ch in normalize_token(w) if ch.isalnum())


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


def _is_rare_real_word(word: str, below: float) -> bool:
    """A word in the language's lexicon (wordfreq knows it) but rarely written: a captioner
    who wrote it most likely heard it ("nailbiter"); a typo or mishearing is a common word or
    no word at all ("trapid")."""
    word = plain(word).lower()
    if len(word) < 4 or not word.isalpha():
        return False
    return 0.0 < _zipf(word) < below


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

    def _compare(self, a0: int, a1: int, reading: Sequence[str], other: Sequence[str], scorer: AcousticScorer | None = None) -> Margin | None:
        """How much better the audio fits ``reading`` than ``other`` in the place of ASR words a0..a1."""
        scorer = scorer or self.scorer
        if scorer is None:
            return None
        window = self._window(a0, a1)
        if window is None:
            return None
        before, after = window
        as_text = lambda words: " ".join(w for w in words if w)
        first = scorer.token_log_probs(self._window_start, as_text(before + [plain(w) for w in reading] + after))
        second = scorer.token_log_probs(self._window_start, as_text(before + [plain(w) for w in other] + after))
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

    def _margin(self, c0: int, c1: int, a0: int, a1: int) -> Margin | None:
        """The ASR reading against the caption reading over a window around the disagreement."""
        caption = [w.text for w in self.alignment.caption_words[c0:c1]]
        heard = _join_asr_words([w.word for w in self.alignment.asr_words[a0:a1]])
        return self._compare(a0, a1, heard, caption)

    def _splits_a_number(self, c0: int, c1: int) -> bool:
        """Whether caption words c0..c1 are part of a longer spelled-out number ("four" of
        "four thousand"): fixing a part alone makes a form neither side wrote."""
        words = self.alignment.caption_words
        if c1 <= c0 or not any(_is_number_word(w.text) for w in words[c0:c1]):
            return False
        before = words[c0 - 1].text if c0 > 0 else ""
        after = words[c1].text if c1 < len(words) else ""
        return _is_number_word(before) or _is_number_word(after)

    def decide(self, c0: int, c1: int, a0: int, a1: int) -> Correction | None:
        alignment = self.alignment
        options = self.options
        caption = [w.text for w in alignment.caption_words[c0:c1]]
        heard_raw = [w.word for w in alignment.asr_words[a0:a1]]
        if not heard_raw:
            return None  # no evidence against caption words: they stay (gaps are reported by the score)
        if caption and same_spoken_words(caption, heard_raw):
            return None  # the same words in another written form ("eleven thousand" / "11,000"): the caption's stays
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
        respelling = _letters(caption) == _letters(fixed)
        if respelling:
            needed = options.spelling_margin
        elif caption_is_name and not asr_is_name:
            needed = options.name_fix_margin
        else:
            needed = options.fix_margin
        start = alignment.times[c0][0] if c1 > c0 else alignment.asr_words[a0].start
        end = alignment.times[c1 - 1][1] if c1 > c0 else alignment.asr_words[a1 - 1].end
        spoken_caption = spoken_key(caption).split()
        spoken_fixed = spoken_key(fixed).split()
        dropped_words = len(spoken_caption) - len(spoken_fixed)
        cap_letters, fix_letters = _letters(caption), _letters(fixed)
        if (
            similarity >= options.suspect_similarity
            and Indel.normalized_similarity(cap_letters, fix_letters) >= MERGE_SIMILARITY
            and len(fix_letters) >= MERGE_LENGTH * len(cap_letters)
        ):
            dropped_words = 0  # the same sounds in fewer words ("peach land" / "Peachland"): nothing dropped
        rare = [w for w in caption if _is_rare_real_word(w, options.rare_word_zipf) and w.lower() not in {f.lower() for f in fixed}]
        evidence = {
            "log_likelihood_margin": None if measured is None else round(measured.raw, 2),
            "per_token_margin": None if margin is None else round(margin, 2),
            "dropped_token_log_prob": None if measured is None or measured.dropped is None else round(measured.dropped, 2),
            "asr_probability": round(float(probability), 3),
            "phonetic_similarity": round(similarity, 3),
            "caption_in_lexicon": caption_is_name,
            "asr_in_lexicon": asr_is_name,
        }
        reasons = ["same letters, other spelling"] if respelling else []
        if margin is not None:
            reasons.append(f"audio prefers the ASR reading by {margin:.1f} nats (per token)")
        if similarity >= options.suspect_similarity:
            reasons.append(f"sounds alike ({similarity:.2f})")
        if asr_is_name:
            reasons.append("the video spells it so elsewhere")
        reasons.append(f"ASR confidence {probability:.2f}")
        if respelling and self.lexicon.writes(fixed) != self.lexicon.writes(caption):
            # Same letters, so the same sounds: the video's own writing decides, not the audio
            # (whose margin between "US" and "U.S." moved across 1 nat with the CPU's instruction set).
            if not self.lexicon.writes(fixed):
                return None
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
        if dropped_words > 0 and (measured.dropped is None or measured.dropped > options.drop_log_prob):
            doubts.append(f"{dropped_words} caption word(s) would be dropped without evidence against each")
        if self._splits_a_number(c0, c1):
            doubts.append("it would change part of a number the captions spell in more words")
        if rare and not asr_is_name and similarity >= options.suspect_similarity:
            doubts.append(f"{' '.join(rare)!r} is a real, rare word")
        if probability < options.confident_probability:
            doubts.append("ASR unsure")
        if margin >= needed and not doubts and self.judge is not None and not respelling:
            second = self._compare(a0, a1, _join_asr_words(heard_raw), caption, self.judge)
            if second is not None:
                evidence["second_judge_margin"] = round(second.value, 2)
                if second.value < options.judge_margin:
                    doubts.append(f"the second judge prefers it by {second.value:.1f} nats only")
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

    def run(self) -> FixResult:
        alignment = self.alignment
        decisions: dict[int, tuple[int, Correction]] = {}  # caption start index -> (caption end, correction)
        insertions: dict[int, list[Correction]] = {}  # caption index before which words go
        corrections: list[Correction] = []
        for block in alignment.blocks:
            if block.kind is BlockKind.MATCH or block.kind is BlockKind.CAPTION_ONLY:
                continue
            cap = [w.text for w in alignment.caption_words[block.cap_start : block.cap_end]]
            asr = [w.word for w in alignment.asr_words[block.asr_start : block.asr_end]]
            for c0, c1, a0, a1 in split_block(cap, asr):
                c0, c1 = block.cap_start + c0, block.cap_start + c1
                a0, a1 = block.asr_start + a0, block.asr_start + a1
                correction = self.decide(c0, c1, a0, a1)
                if correction is None:
                    continue
                corrections.append(correction)
                if correction.status is not CorrectionStatus.FIXED:
                    continue
                if c1 > c0:
                    decisions[c0] = (c1, correction)
                else:
                    insertions.setdefault(c0, []).append(correction)
        if self.scorer is not None and self.lexicon.trusted:
            self._lexicon_pass(decisions, corrections)
        corrections.sort(key=lambda c: (c.start, c.end))
        return FixResult(self._apply(decisions, insertions), corrections)

    def _lexicon_pass(self, decisions: dict[int, tuple[int, Correction]], corrections: list[Correction]) -> None:
        """Names the video spells itself, proposed as candidates themselves: a caption run that
        sounds like a name of the title or description but is spelled otherwise is scored
        against that spelling over the audio, whatever the ASR heard there (it may misspell the
        name too). Runs already fixed are left alone."""
        alignment = self.alignment
        options = self.options
        covered = set()
        for c0, (c1, _) in decisions.items():
            covered.update(range(c0, c1))
        suspected = {(tuple(c.caption_words)) for c in corrections}
        names = _name_runs(self.lexicon.trusted_phrases())
        partner = _asr_partner_index(alignment)
        words = [w.text for w in alignment.caption_words]
        index = 0
        while index < len(words):
            best = None
            for size in range(min(MAX_GROUP, len(words) - index), 0, -1):
                span = range(index, index + size)
                if any(i in covered for i in span):
                    continue
                caption = words[index : index + size]
                candidate = _closest_name(caption, names, options.name_similarity)
                if candidate is not None:
                    best = (size, caption, candidate)
                    break
            if best is None:
                index += 1
                continue
            size, caption, candidate = best
            c0, c1 = index, index + size
            a0, a1 = partner[c0], partner[c1 - 1] + 1
            correction = self._decide_name(c0, c1, a0, a1, caption, candidate)
            if correction is not None and tuple(caption) not in suspected:
                corrections.append(correction)
                if correction.status is CorrectionStatus.FIXED:
                    decisions[c0] = (c1, correction)
            index = c1

    def _decide_name(self, c0: int, c1: int, a0: int, a1: int, caption: list[str], candidate: list[str]) -> Correction | None:
        options = self.options
        measured = self._compare(a0, a1, candidate, caption)
        if measured is None:
            return None
        margin = measured.value
        similarity = phonetic_similarity(caption, candidate)
        evidence = {
            "log_likelihood_margin": round(measured.raw, 2),
            "per_token_margin": round(margin, 2),
            "phonetic_similarity": round(similarity, 3),
            "candidate": "the video's own spelling (title/description)",
        }
        doubts = []
        if margin >= options.fix_margin and self.judge is not None:
            second = self._compare(a0, a1, candidate, caption, self.judge)
            if second is not None:
                evidence["second_judge_margin"] = round(second.value, 2)
                if second.value < options.judge_margin:
                    doubts.append(f"the second judge prefers it by {second.value:.1f} nats only")
        reason = "; ".join(
            ["the video spells this name so", f"sounds alike ({similarity:.2f})", f"audio prefers that spelling by {margin:.1f} nats (per token)", *doubts]
        )
        start, end = self.alignment.times[c0][0], self.alignment.times[c1 - 1][1]
        speaker = self._speaker_at(a0)
        if margin >= options.fix_margin and not doubts:
            confidence = min(0.99, 0.5 + margin / (4 * options.fix_margin) + 0.1 * similarity)
            return Correction(start, end, speaker, caption, candidate, reason, confidence, CorrectionStatus.FIXED, evidence)
        if margin >= -options.flip_band:
            # The video spells the name otherwise and the audio does not speak against that
            # spelling (sound-alikes leave it no say): listed for a person, whatever the ASR
            # heard there on this machine.
            confidence = min(0.9, max(0.05, 0.3 + margin / (4 * options.fix_margin)))
            return Correction(start, end, speaker, caption, candidate, reason, confidence, CorrectionStatus.SUSPECTED, evidence)
        return None

    def _apply(self, decisions, insertions) -> list[FixedWord]:
        alignment = self.alignment
        words: list[FixedWord] = []
        index = 0
        asr_cursor = _asr_partner_index(alignment)
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


def _name_runs(phrases: Sequence[str]) -> list[list[str]]:
    """Every run of whole words of the video's names ("Priya Raman-Holt", "Raman-Holt",
    "Priya"), longest first, each of at least four letters."""
    runs: dict[str, list[str]] = {}
    for phrase in phrases:
        parts = phrase.split()
        for i in range(len(parts)):
            for j in range(i + 1, len(parts) + 1):
                run = parts[i:j]
                if len(_letters(run)) >= 4:
                    runs.setdefault(_letters(run), run)
    return sorted(runs.values(), key=lambda r: -len(_letters(r)))


def _closest_name(caption: Sequence[str], names: list[list[str]], threshold: float) -> list[str] | None:
    """The name run the caption words sound like but do not spell, or None. Each caption
    word must take part (a name never swallows a neighbouring word), and lengths must agree."""
    letters = _letters(caption)
    if len(letters) < 4 or not all(_letters([w]) for w in caption):
        return None
    best, best_score = None, threshold
    for run in names:
        key = _letters(run)
        if key == letters:
            return None  # spelled as the video spells it
        if not 0.7 <= len(key) / len(letters) <= 1.4:
            continue
        if len(caption) > 1 and len(caption) > len(run) + 2:
            continue
        run_words = {_letters([w]) for w in run}
        if any(_letters([w]) in run_words for w in caption):
            continue  # part of it is spelled right already: the rest is another word, not the name
        score = min(phonetic_similarity(caption, run), Indel.normalized_similarity(letters, key) + 0.2)
        if score >= best_score:
            best, best_score = run, score
    return best


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
