"""Alignment scaling: a 100k-word caption (about 10 hours of speech) against its ASR transcript.

Built from the seed broadcast's real caption words and a real-looking ASR side: the reference
words repeated with times shifted, so both sides carry the seed's real disagreements.
Target (issue 6): <= 2 s on this machine.

    uv run python benchmarks/bench_align_scale.py    # writes benchmarks/results/align-scale.md
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path

from align import align
from retranscribe.transcript import CaptionCue, CaptionTrack, Transcript, Word

SAMPLES = Path(__file__).resolve().parent.parent / "audio_samples"
RESULTS = Path(__file__).resolve().parent / "results"


def build(n_words: int) -> tuple[CaptionTrack, Transcript]:
    caption_words = (SAMPLES / "captions.txt").read_text().split()
    spoken_words = (SAMPLES / "reference.txt").read_text().split()
    duration = 168.0
    repeats = n_words // len(caption_words) + 1
    cues, words = [], []
    for r in range(repeats):
        offset = r * duration
        step = duration / len(caption_words)
        for i in range(0, len(caption_words), 8):
            chunk = caption_words[i : i + 8]
            cues.append(CaptionCue(offset + i * step, offset + (i + len(chunk)) * step, " ".join(chunk)))
        step = duration / len(spoken_words)
        words.extend(Word(offset + i * step, offset + (i + 1) * step, " " + w, 0.9) for i, w in enumerate(spoken_words))
    track = CaptionTrack(cues)
    while len(track.words()) > n_words:
        track.cues.pop()
    return track, Transcript(segments=[], speakers=[]) if not words else _transcript(words)


def _transcript(words: list[Word]) -> Transcript:
    from retranscribe.transcript import Segment

    return Transcript(segments=[Segment(words[0].start, words[-1].end, "", words)])


def main() -> None:
    rows = []
    for n in (10_000, 100_000):
        track, transcript = build(n)
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            alignment = align(track, transcript)
            timings.append(time.perf_counter() - started)
        rows.append((n, len(alignment.asr_words), min(timings), statistics.median(timings), len(alignment.disagreements())))
    lines = [
        f"Alignment scaling, {platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')} (target: 100k words in <= 2 s).",
        "",
        "| caption words | ASR words | best s | median s | disagreements |",
        "|---|---|---|---|---|",
        *[f"| {n:,} | {m:,} | {best:.2f} | {median:.2f} | {d:,} |" for n, m, best, median, d in rows],
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "align-scale.md").write_text(text)


if __name__ == "__main__":
    main()
