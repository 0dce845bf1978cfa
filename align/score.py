"""Score captions against the new transcript: agreement WER overall, per speaker and per
segment, and every disagreement typed with its evidence.

The ASR transcript is the reference here (the captions are what is scored): caption words the
ASR did not produce are *insertions*, ASR words the captions lack are *deletions*.
"""

from __future__ import annotations

import bisect
from align.alignment import Alignment, BlockKind
from retranscribe.results import CaptionScore, Disagreement, Gap, SegmentScore, SpeakerScore
from retranscribe.transcript import Transcript
from retranscribe.wer import word_errors

_KIND = {
    BlockKind.SUBSTITUTION: "substitution",
    BlockKind.CAPTION_ONLY: "insertion",
    BlockKind.ASR_ONLY: "deletion",
}


def score_captions(alignment: Alignment, transcript: Transcript, gaps: list[Gap] | None = None) -> CaptionScore:
    cap, asr = alignment.caption_words, alignment.asr_words
    caption_text = " ".join(w.text for w in cap)
    asr_text = " ".join(w.word.strip() for w in asr)
    overall = word_errors(asr_text, caption_text)

    # Each caption word belongs to the speaker of the ASR word heard at its aligned time (a
    # matched word has exactly its partner's time; a match block may span speaker changes).
    asr_starts = [w.start for w in asr]

    def speaker_at(time: float) -> str | None:
        if not asr:
            return None
        return asr[max(bisect.bisect_right(asr_starts, time) - 1, 0)].speaker

    speaker_of_caption = [speaker_at((start + end) / 2) for start, end in alignment.times]
    disagreements = []
    for block in alignment.blocks:
        if block.kind is BlockKind.MATCH:
            continue
        n_asr = block.asr_end - block.asr_start
        speaker = asr[block.asr_start].speaker if n_asr else speaker_of_caption[block.cap_start]
        start = asr[block.asr_start].start if n_asr else alignment.times[block.cap_start][0]
        end = asr[block.asr_end - 1].end if n_asr else alignment.times[block.cap_end - 1][1]
        disagreements.append(
            Disagreement(
                kind=_KIND[block.kind],
                start=start,
                end=end,
                speaker=speaker,
                caption_words=alignment.caption_text(block),
                asr_words=alignment.asr_text(block),
                asr_probabilities=[w.probability for w in asr[block.asr_start : block.asr_end]],
            )
        )

    per_speaker = {}
    for speaker in sorted({w.speaker for w in asr if w.speaker is not None}):
        heard = " ".join(w.word.strip() for w in asr if w.speaker == speaker)
        captioned = " ".join(w.text for w, s in zip(cap, speaker_of_caption) if s == speaker)
        errors = word_errors(heard, captioned)
        per_speaker[speaker] = SpeakerScore(wer=errors.wer, asr_words=errors.reference_words)

    per_segment = []
    for segment in transcript.segments:
        heard = " ".join(w.word.strip() for w in segment.words)
        captioned = " ".join(
            w.text for w, (start, end) in zip(cap, alignment.times) if segment.start <= (start + end) / 2 < segment.end
        )
        errors = word_errors(heard, captioned)
        per_segment.append(
            SegmentScore(segment.start, segment.end, segment.speaker, errors.wer, errors.reference_words)
        )

    return CaptionScore(
        wer=overall.wer,
        caption_words=len(cap),
        asr_words=len(asr),
        per_speaker=per_speaker,
        per_segment=per_segment,
        disagreements=disagreements,
        gaps=list(gaps or []),
    )
