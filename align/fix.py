"""Decide each disagreement between captions and ASR from evidence, and build the fixed captions.

Rules (issue 6): never drop caption words the audio gives no evidence against; keep the
caption where the ASR is unsure; correct confidently heard words. A correction needs the
audio to prefer the ASR's reading by a clear log-likelihood margin (``AcousticScorer``) and
the ASR to have heard it with confidence; a smaller margin on sound-alike words makes it a
*suspected* error, listed but not applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from align.alignment import Alignment, BlockKind, normalize_token
from align.options import FixOptions
from align.evidence import WINDOW_PADDING, AcousticScorer, EntityLexicon, phonetic_similarity
from retranscribe.results import Correction, CorrectionStatus

CONTEXT_WORDS = 4
MAX_WINDOW = 28.0
MAX_GROUP = 4


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
                    letters = sum(cap_len[i : i + gi]) + sum(asr_len[j : j + gj])
                    if gi and gj:
                        step = (1.0 - phonetic_similarity(caption[i : i + gi], asr[j : j + gj])) * letters
                    else:
                        step = float(letters)
                    step += 0.5  # each group costs a little: no needless splitting
                    if cost[i][j] + step < cost[i + gi][j + gj]:
                        cost[i + gi][j + gj] = cost[i][j] + step
                        back[i + gi][j + gj] = (i, j)
    spans = []
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj = back[i][j]
        spans.append((pi, i, pj, j))
        i, j = pi, pj
    return _merge_unpaired(spans[::-1])


def _merge_unpaired(spans: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """A caption-only or ASR-only group joins its neighbour: "jol and" / "Jong -un" is one
    error, not a substitution plus a deletion."""

    def one_sided(span: tuple[int, int, int, int]) -> bool:
        c0, c1, a0, a1 = span
        return (c1 == c0) != (a1 == a0)

    merged: list[tuple[int, int, int, int]] = []
    for span in spans:
        if merged and (one_sided(span) or one_sided(merged[-1])):
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


class CaptionFixer:
    def __init__(self, alignment: Alignment, scorer: AcousticScorer | None, lexicon: EntityLexicon, options: FixOptions):
        self.alignment = alignment
        self.options = options
        self.scorer = scorer
        self.lexicon = lexicon
        self._window_start: float | None = None
        self._window_first_word = 0

    def _speaker_at(self, asr_index: int) -> str | None:
        words = self.alignment.asr_words
        if not words:
            return None
        return words[min(max(asr_index, 0), len(words) - 1)].speaker

    def _margin(self, c0: int, c1: int, a0: int, a1: int) -> float | None:
        """log P(ASR reading) - log P(caption reading) over a window around the disagreement."""
        if self.scorer is None:
            return None
        asr = self.alignment.asr_words
        ctx_start = max(0, a0 - CONTEXT_WORDS)
        ctx_end = min(len(asr), a1 + CONTEXT_WORDS)
        if ctx_end <= ctx_start:
            return None
        end = asr[ctx_end - 1].end + WINDOW_PADDING
        # Windows are shared between nearby disagreements: the encoder pass is the cost.
        if self._window_start is None or end - self._window_start > MAX_WINDOW or asr[ctx_start].start < self._window_start:
            self._window_first_word = ctx_start
            self._window_start = max(0.0, asr[ctx_start].start - WINDOW_PADDING)
        first = self._window_first_word
        before = [plain(w) for w in _join_asr_words([w.word for w in asr[first:a0]])]
        after = [plain(w) for w in _join_asr_words([w.word for w in asr[a1:ctx_end]])]
        caption = [plain(w.text) for w in self.alignment.caption_words[c0:c1]]
        heard = [plain(w) for w in _join_asr_words([w.word for w in asr[a0:a1]])]
        as_text = lambda words: " ".join(w for w in words if w)
        asr_ll = self.scorer.log_likelihood(self._window_start, as_text(before + heard + after))
        caption_ll = self.scorer.log_likelihood(self._window_start, as_text(before + caption + after))
        if asr_ll is None or caption_ll is None:
            return None
        return asr_ll - caption_ll

    def decide(self, c0: int, c1: int, a0: int, a1: int) -> Correction | None:
        alignment = self.alignment
        caption = [w.text for w in alignment.caption_words[c0:c1]]
        heard_raw = [w.word for w in alignment.asr_words[a0:a1]]
        if not heard_raw:
            return None  # no evidence against caption words: they stay (gaps are reported by the score)
        probabilities = [w.probability for w in alignment.asr_words[a0:a1]]
        probability = sum(probabilities) / len(probabilities)
        fixed = _caption_style(heard_raw, caption, self.lexicon)
        similarity = phonetic_similarity(caption, fixed)
        margin = self._margin(c0, c1, a0, a1)
        caption_is_name = self.lexicon.contains(caption) or self.lexicon.covers(caption)
        asr_is_name = self.lexicon.covers(fixed)
        respelling = _letters(caption) == _letters(fixed)
        options = self.options
        if respelling:
            needed = options.spelling_margin
        elif caption_is_name and not asr_is_name:
            needed = options.name_fix_margin
        else:
            needed = options.fix_margin
        start = alignment.times[c0][0] if c1 > c0 else alignment.asr_words[a0].start
        end = alignment.times[c1 - 1][1] if c1 > c0 else alignment.asr_words[a1 - 1].end
        evidence = {
            "log_likelihood_margin": None if margin is None else round(margin, 2),
            "asr_probability": round(probability, 3),
            "phonetic_similarity": round(similarity, 3),
            "caption_in_lexicon": caption_is_name,
            "asr_in_lexicon": asr_is_name,
        }
        reasons = ["same letters, other spelling"] if respelling else []
        if margin is not None:
            reasons.append(f"audio prefers the ASR reading by {margin:.1f} nats")
        if similarity >= options.suspect_similarity:
            reasons.append(f"sounds alike ({similarity:.2f})")
        if asr_is_name:
            reasons.append("the video spells it so elsewhere")
        reasons.append(f"ASR confidence {probability:.2f}")
        reason = "; ".join(reasons)
        if margin is None:
            return None
        if caption_is_name and similarity >= options.suspect_similarity and not asr_is_name and not respelling:
            return None  # a sound-alike of a name the video spells: its spelling is the evidence
        if margin >= needed and probability >= options.confident_probability:
            confidence = min(0.99, 0.5 + margin / (4 * needed) + 0.1 * similarity + (0.1 if asr_is_name else 0.0))
            return Correction(start, end, self._speaker_at(a0), caption, fixed, reason, confidence, CorrectionStatus.FIXED, evidence)
        if margin >= options.suspect_margin and probability >= options.confident_probability and (
            similarity >= options.suspect_similarity or margin >= needed
        ):
            confidence = min(0.9, 0.3 + margin / (4 * needed))
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
        return FixResult(self._apply(decisions, insertions), corrections)

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
    alignment: Alignment, scorer: AcousticScorer | None, lexicon: EntityLexicon, options: FixOptions = FixOptions()
) -> FixResult:
    return CaptionFixer(alignment, scorer, lexicon, options).run()
