"""Gap repair: where the captions have words and the ASR has none (Whisper drops whole turns,
with or without VAD), re-decode that window and merge what it hears."""

from __future__ import annotations

from typing import Callable, Sequence

from align.alignment import Alignment, Block, BlockKind
from retranscribe.results import Gap
from retranscribe.transcript import Word

Redecode = Callable[[list[tuple[float, float]]], list[Word]]

# A caption run of this many words with no ASR evidence is a gap worth re-decoding; "far
# fewer" ASR words means under half as many.
MIN_GAP_WORDS = 5
GAP_PADDING = 0.3


def is_gap(block: Block, min_words: int = MIN_GAP_WORDS) -> bool:
    n_cap = block.cap_end - block.cap_start
    n_asr = block.asr_end - block.asr_start
    if n_cap < min_words:
        return False
    return block.kind is BlockKind.CAPTION_ONLY or (
        block.kind is BlockKind.SUBSTITUTION and n_asr < n_cap / 2
    )


def find_gaps(alignment: Alignment, min_words: int = MIN_GAP_WORDS) -> list[Gap]:
    """Caption runs without (enough) ASR evidence, timed between the neighbouring ASR words."""
    gaps = []
    asr = alignment.asr_words
    for block in alignment.blocks:
        if not is_gap(block, min_words):
            continue
        start = asr[block.asr_start - 1].end if block.asr_start > 0 else alignment.times[block.cap_start][0]
        end = asr[block.asr_end].start if block.asr_end < len(asr) else alignment.times[block.cap_end - 1][1]
        if block.asr_end > block.asr_start:
            start = min(start, asr[block.asr_start].start)
            end = max(end, asr[block.asr_end - 1].end)
        gaps.append(
            Gap(
                start=max(0.0, start - GAP_PADDING),
                end=max(end, start) + GAP_PADDING,
                caption_words=alignment.caption_text(block),
                asr_words_before=block.asr_end - block.asr_start,
            )
        )
    return gaps


def merge_words(asr_words: Sequence[Word], gaps: Sequence[Gap], heard: Sequence[Word]) -> list[Word]:
    """Replace the ASR words inside each gap by the re-decoded ones when the re-decode heard
    more; keep the original words otherwise."""
    merged = list(asr_words)
    for gap in gaps:
        new = [w for w in heard if gap.start <= (w.start + w.end) / 2 <= gap.end]
        old = [w for w in merged if gap.start <= (w.start + w.end) / 2 <= gap.end]
        gap.asr_words_after = max(len(new), len(old))
        if len(new) > len(old):
            kept = [w for w in merged if not gap.start <= (w.start + w.end) / 2 <= gap.end]
            merged = sorted(kept + new, key=lambda w: (w.start, w.end))
    return merged


def repair_gaps(alignment: Alignment, redecode: Redecode, min_words: int = MIN_GAP_WORDS) -> tuple[list[Word], list[Gap]]:
    """Re-decode every gap in one call (faster-whisper takes all windows as clip timestamps)
    and return the merged ASR words with the gaps found."""
    gaps = find_gaps(alignment, min_words)
    if not gaps:
        return list(alignment.asr_words), []
    heard = redecode([(g.start, g.end) for g in gaps])
    return merge_words(alignment.asr_words, gaps, heard), gaps
