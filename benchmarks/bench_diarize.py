"""Diarization benchmark: DER (collar 0), speakers found and real-time factor on the seed
broadcast and pyannote's sample.wav; roles and names on the seed from an ASR transcript.

    uv run python benchmarks/bench_diarize.py [--transcript PATH] [--device cuda] [--output PATH]

The ASR transcript (faster-whisper "base", with the ASR stage's entity hints when that stage is
installed) is cached under /tmp so repeated runs only pay for diarization. Writes the table to
benchmarks/results/diarize.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import torch

from diarize import DiarizeOptions, assign_speakers, diarize, label_speakers, load_pipeline
from retranscribe.audio import duration_of, load_audio
from retranscribe.transcript import Transcript, VideoMetadata, Word, segments_from_words

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "audio_samples"
RESULTS = ROOT / "benchmarks" / "results" / "diarize.md"
TRANSCRIPT_CACHE = Path("/tmp/retranscribe-bench/broadcast_transcript_base.json")


def annotation(turns):
    from pyannote.core import Annotation, Segment

    out = Annotation()
    for turn in turns:
        out[Segment(turn.start, turn.end)] = turn.speaker
    return out


def score(reference_rttm: Path, turns):
    from pyannote.database.util import load_rttm
    from pyannote.metrics.diarization import DiarizationErrorRate

    reference = next(iter(load_rttm(str(reference_rttm)).values()))
    hypothesis = annotation(turns)
    metric = DiarizationErrorRate(collar=0.0)
    der = metric(reference, hypothesis, uem=reference.get_timeline().extent())
    mapping = metric.optimal_mapping(reference, hypothesis)  # hypothesis label -> reference label
    return der, len(reference.labels()), mapping


def asr_transcript(audio, metadata: VideoMetadata) -> tuple[Transcript, str]:
    source_note = TRANSCRIPT_CACHE.with_suffix(".source.txt")
    if TRANSCRIPT_CACHE.is_file():
        how = source_note.read_text() if source_note.is_file() else "unknown ASR"
        return Transcript.read(TRANSCRIPT_CACHE), f"{how}; cached in {TRANSCRIPT_CACHE}"
    try:
        from asr import AsrOptions, entity_hints, transcribe

        hints = entity_hints(metadata, (SAMPLES / "captions.txt").read_text())
        transcript = transcribe(audio, AsrOptions(model="base", hotwords=tuple(hints)))
        how = "asr.transcribe, base, caption/metadata entity hints"
    except ImportError:
        from faster_whisper import WhisperModel

        from retranscribe.models import resolve_whisper

        model = WhisperModel(resolve_whisper("base"), device="cpu", compute_type="int8")
        segments, _ = model.transcribe(audio, word_timestamps=True, vad_filter=True)
        words = [Word(w.start, w.end, w.word, w.probability) for s in segments for w in s.words]
        transcript = Transcript(segments=segments_from_words(words), duration=duration_of(audio))
        how = "faster-whisper base, no hints"
    TRANSCRIPT_CACHE.parent.mkdir(parents=True, exist_ok=True)
    TRANSCRIPT_CACHE.write_text(transcript.to_json())
    source_note.write_text(how)
    return transcript, how


def machine(device: str) -> str:
    cpu = platform.processor() or "cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    where = f"{cpu}, {len(os.sched_getaffinity(0))} cores, torch {torch.__version__}"
    if device != "cpu" and torch.cuda.is_available():
        return f"{where}, GPU {torch.cuda.get_device_name(0)}"
    return f"{where}, 1 torch thread"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transcript", type=Path, help="ASR transcript JSON of broadcast.wav to reuse")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"])
    parser.add_argument("--output", type=Path, default=RESULTS, help="where the Markdown table goes")
    args = parser.parse_args()
    options = DiarizeOptions(device=args.device)
    started = time.perf_counter()
    load_pipeline(options)
    load_seconds = time.perf_counter() - started

    rows = []
    broadcast_mapping = broadcast_turns = broadcast_audio = None
    for name, wav, rttm in (
        ("seed broadcast", SAMPLES / "broadcast.wav", SAMPLES / "reference.rttm"),
        ("pyannote sample.wav", SAMPLES / "pyannote_sample" / "sample.wav", SAMPLES / "pyannote_sample" / "sample.rttm"),
    ):
        audio = load_audio(wav)
        started = time.perf_counter()
        turns = diarize(audio, options)
        seconds = time.perf_counter() - started
        der, reference_speakers, mapping = score(rttm, turns)
        found = len({t.speaker for t in turns})
        rows.append((name, duration_of(audio), der, found, reference_speakers, seconds / duration_of(audio)))
        if broadcast_turns is None:
            broadcast_turns, broadcast_mapping, broadcast_audio = turns, mapping, audio

    metadata = VideoMetadata.from_dict(json.loads((SAMPLES / "info.json").read_text()))
    truth = {t["speaker"]: (t["role"], t["name"]) for t in json.loads((SAMPLES / "reference.json").read_text())["turns"]}
    if args.transcript:
        transcript, how = Transcript.read(args.transcript), str(args.transcript)
    else:
        transcript, how = asr_transcript(broadcast_audio, metadata)
    speakers = label_speakers(assign_speakers(transcript, broadcast_turns), metadata)
    roles_right = names_right = 0
    found_lines = []
    for speaker in speakers:
        reference = broadcast_mapping.get(speaker.id)
        role, name = truth.get(reference, (None, None))
        roles_right += speaker.role.value == role
        names_right += (speaker.name or "") == name
        found_lines.append(f"| {speaker.id} | {reference} | {speaker.role.value} ({role}) | {speaker.name} ({name}) |")

    table = [
        "| recording | duration s | DER collar 0 | speakers found / true | RTF |",
        "|---|---:|---:|---:|---:|",
        *(f"| {n} | {d:.1f} | {100 * e:.2f} % | {f} / {r} | {rtf:.3f} |" for n, d, e, f, r, rtf in rows),
    ]
    report = [
        "# Diarization benchmark",
        "",
        f"Machine: {machine(args.device)}. Pipeline load (first call, once per process): {load_seconds:.1f} s.",
        f"Options: {options}.",
        "",
        *table,
        "",
        f"Roles right: {roles_right}/{len(truth)}; names right: {names_right}/{len(truth)} "
        f"(transcript: {how}).",
        "",
        "| diarized speaker | reference | role (truth) | name (truth) |",
        "|---|---|---|---|",
        *found_lines,
        "",
        f"Command: `uv run python benchmarks/bench_diarize.py --device {args.device}`",
    ]
    text = "\n".join(report) + "\n"
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)


if __name__ == "__main__":
    main()
