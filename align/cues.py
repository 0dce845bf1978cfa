"""Fixed caption words back into readable cues: one speaker per cue, broken at pauses and at
a reading-friendly length."""

from __future__ import annotations

from typing import Sequence

from align.fix import FixedWord
from retranscribe.transcript import CaptionCue, Word

MAX_CUE_CHARS = 84  # two lines of 42, the common broadcast limit
MAX_CUE_SECONDS = 7.0
PAUSE_SECONDS = 1.0


def build_cues(words: Sequence[FixedWord]) -> list[CaptionCue]:
    cues: list[CaptionCue] = []
    current: list[FixedWord] = []

    def flush() -> None:
        if current:
            cues.append(
                CaptionCue(
                    start=current[0].start,
                    end=max(w.end for w in current),
                    text=" ".join(w.text for w in current),
                    words=[Word(w.start, w.end, w.text, 1.0, w.speaker) for w in current],
                    speaker=current[0].speaker,
                )
            )
            current.clear()

    for word in words:
        if current:
            length = sum(len(w.text) + 1 for w in current) + len(word.text)
            if (
                word.speaker != current[0].speaker
                or word.start - current[-1].end > PAUSE_SECONDS
                or length > MAX_CUE_CHARS
                or word.end - current[0].start > MAX_CUE_SECONDS
            ):
                flush()
        current.append(word)
    flush()
    # Cues never overlap: a player shows one at a time.
    for previous, following in zip(cues, cues[1:]):
        if previous.end > following.start:
            previous.end = max(previous.start, following.start)
    return cues
