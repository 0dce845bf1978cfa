"""Align stage: align captions with the new transcript word by word, repair the ASR's gaps,
score the captions and fix their errors with evidence.

Two steps, so that speakers can be assigned to the repaired transcript in between::

    transcript, gaps = repair_transcript(captions, transcript, redecode)
    # ... diarize.assign_speakers(transcript, turns) ...
    result = fix_and_score(captions, transcript, scorer, lexicon, gaps)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from align.alignment import Alignment, Block, BlockKind, CaptionWord, align, caption_words, normalize_token
from align.cues import build_cues
from align.evidence import AcousticScorer, EntityLexicon, phonetic_similarity
from align.fix import FixedWord, fix_captions
from align.options import FixOptions
from align.repair import Redecode, find_gaps, repair_gaps
from align.score import score_captions
from retranscribe.results import CaptionScore, Correction, Disagreement, Gap
from retranscribe.transcript import CaptionCue, CaptionTrack, Transcript, segments_from_words


@dataclass
class AlignResult:
    fixed_cues: list[CaptionCue]
    corrections: list[Correction]
    score: CaptionScore
    alignment: Alignment = field(repr=False)
    # Why the captions were scored but not fixed (another language, another recording), or None.
    not_fixed: str | None = None


def repair_transcript(
    captions: CaptionTrack, transcript: Transcript, redecode: Redecode | None, options: FixOptions = FixOptions()
) -> tuple[Transcript, list[Gap]]:
    """Re-decode the windows where the captions have words and the ASR has none, and return
    the transcript with what was heard there (speakers to be assigned again)."""
    alignment = align(captions, transcript)
    if redecode is None or not options.repair_gaps:
        return transcript, find_gaps(alignment, options.min_gap_words)
    words, gaps = repair_gaps(alignment, redecode, options.min_gap_words)
    if not gaps:
        return transcript, gaps
    repaired = Transcript(
        segments=segments_from_words(words),
        speakers=list(transcript.speakers),
        language=transcript.language,
        duration=transcript.duration,
    )
    return repaired, gaps


def fix_blocker(
    captions: CaptionTrack, transcript: Transcript, alignment: Alignment, options: FixOptions = FixOptions()
) -> str | None:
    """Why fixing these captions from this audio would be nonsense, or None."""
    caption_language = (captions.language or "").split("-")[0].lower()
    audio_language = (transcript.language or "").split("-")[0].lower()
    if caption_language and audio_language and caption_language != audio_language:
        return f"captions are in {captions.language!r}, the audio in {transcript.language!r}"
    matched = sum(b.cap_end - b.cap_start for b in alignment.blocks if b.kind is BlockKind.MATCH)
    agreement = matched / max(len(alignment.caption_words), 1)
    if alignment.asr_words and agreement < options.min_agreement:
        return f"only {agreement:.0%} of the caption words agree with the audio"
    return None


def fix_and_score(
    captions: CaptionTrack,
    transcript: Transcript,
    scorer: AcousticScorer | None,
    lexicon: EntityLexicon,
    gaps: list[Gap] | None = None,
    options: FixOptions = FixOptions(),
    judge: AcousticScorer | None = None,
) -> AlignResult:
    """``judge``: a second scorer from another model, consulted on every fix (None: none)."""
    alignment = align(captions, transcript)
    blocker = fix_blocker(captions, transcript, alignment, options)
    fixed = fix_captions(alignment, None if blocker else scorer, lexicon, options, judge)
    score = score_captions(alignment, transcript, gaps)
    return AlignResult(build_cues(fixed.words), fixed.corrections, score, alignment, blocker)


__all__ = [
    "AcousticScorer",
    "AlignResult",
    "Alignment",
    "Block",
    "BlockKind",
    "CaptionScore",
    "CaptionWord",
    "Correction",
    "Disagreement",
    "EntityLexicon",
    "FixOptions",
    "FixedWord",
    "Gap",
    "align",
    "build_cues",
    "caption_words",
    "find_gaps",
    "fix_and_score",
    "normalize_token",
    "phonetic_similarity",
    "repair_transcript",
    "score_captions",
]
