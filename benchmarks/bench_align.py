"""Align stage quality on the seed broadcast (issue 6): captions, ASR and fixed captions
against the truth, known caption errors, false corrections, lost words.

    uv run python benchmarks/bench_align.py [--model base] [--beam-size 1 --output PATH]

Runs the same stage functions the flow runs (flows.sequence: fetch of local files, ASR with
entity hints, diarization, gap repair, fixing), without Prefect and without the stage cache.
Writes benchmarks/results/align.md.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import align
from align.alignment import BlockKind
from asr import AsrOptions, load_model, transcribe
from flows.sequence import VideoJob, align_captions, asr_options_for, diarize_audio, fetch_media, load_run_audio, transcribe_audio
from flows.settings import RunSettings
from retranscribe.results import CorrectionStatus
from retranscribe.transcript import CaptionCue, CaptionTrack, Segment, Transcript, Word
from retranscribe.scoring import known_error_outcomes
from retranscribe.wer import wer

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "audio_samples"


def kept_truth_words(text: str, truth: str) -> set[int]:
    words = [Word(i, i + 1, " " + w) for i, w in enumerate(truth.split())]
    alignment = align.align(CaptionTrack([CaptionCue(None, None, text)]), Transcript([Segment(0, len(words), truth, words)]))
    return {i for b in alignment.blocks if b.kind is BlockKind.MATCH for i in range(b.asr_start, b.asr_end)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="base")
    parser.add_argument("--beam-size", type=int, default=5)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "align.md")
    args = parser.parse_args()
    truth = (SAMPLES / "reference.txt").read_text()
    script = json.loads((SAMPLES / "broadcast_script.json").read_text())
    settings = RunSettings().with_values({"asr.model": args.model, "asr.beam_size": args.beam_size})
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as work:
        job = VideoJob(str(SAMPLES / "broadcast.wav"), work, str(SAMPLES / "captions.en.vtt"), str(SAMPLES / "info.json"))
        media = fetch_media(job, settings)
        audio_path = str(media.audio_path)
        audio = load_run_audio(audio_path)
        captions_text = media.captions[0].text
        rows.append(("captions vs truth", f"{wer(truth, captions_text):.2%}"))
        for label, options in (
            ("ASR alone, VAD, no hints", AsrOptions(model=args.model, beam_size=args.beam_size, language="en")),
            ("ASR alone, no VAD, no hints", AsrOptions(model=args.model, beam_size=args.beam_size, language="en", vad_filter=False)),
        ):
            rows.append((f"{args.model} int8 {label}", f"{wer(truth, transcribe(audio, options).text):.2%}"))
        started = time.perf_counter()
        asr_options = asr_options_for(settings, media)
        transcript = transcribe_audio(audio_path, asr_options)
        rows.append((f"{args.model} int8 ASR with entity hints (the pipeline's ASR)", f"{wer(truth, transcript.text):.2%}"))
        diarization = diarize_audio(audio_path, settings)
        aligned = align_captions(audio_path, media, transcript, diarization, settings, asr_options)
        elapsed = time.perf_counter() - started
        fixed_text = " ".join(c.text for c in aligned.fixed_cues)
        rows.append(("ASR after gap repair", f"{wer(truth, aligned.transcript.text):.2%}"))
        rows.append(("**fixed captions vs truth**", f"**{wer(truth, fixed_text):.2%}**"))

        outcome = known_error_outcomes(script["caption_errors"], fixed_text, aligned.corrections)
        rows.append(("known caption errors fixed / suspected / missed",
                     f"{outcome.count('fixed')} / {outcome.count('suspected')} / {outcome.count('missed')} of {len(outcome)}"))
        missed = [e["caption"] for e, o in zip(script["caption_errors"], outcome) if o == "missed"]
        if missed:
            rows.append(("missed", ", ".join(missed)))
        lost = kept_truth_words(captions_text, truth) - kept_truth_words(fixed_text, truth)
        rows.append(("truth words in the captions lost by the fix", str(len(lost))))

        truth_track = CaptionTrack([CaptionCue(None, None, truth)])
        scorer = align.AcousticScorer(load_model(AsrOptions(model=args.model)), audio, aligned.transcript.language)
        with_truth = align.fix_and_score(truth_track, aligned.transcript, scorer, align.EntityLexicon.from_texts([truth]), options=settings.fix)
        false_fixes = [c for c in with_truth.corrections if c.status is CorrectionStatus.FIXED]
        identical = " ".join(c.text for c in with_truth.fixed_cues).split() == truth.split()
        rows.append(("false corrections with the truth as captions", f"{len(false_fixes)} ({'identical' if identical else 'CHANGED'})"))
        rows.append(("ASR + diarization + repair + fix time (s), 168 s audio", f"{elapsed:.1f}"))

    text = "\n".join([f"Seed broadcast, model {args.model}, beam {args.beam_size}, {time.strftime('%Y-%m-%d')}.", "", "| measure | value |", "|---|---|",
                      *[f"| {k} | {v} |" for k, v in rows]]) + "\n"
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)


if __name__ == "__main__":
    main()
