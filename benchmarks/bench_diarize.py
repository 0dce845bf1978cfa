"""Diarization benchmark: DER (collar 0), speakers found and real-time factor on the seed
broadcast and pyannote's sample.wav; roles and names on the seed from an ASR transcript.

    uv run python benchmarks/bench_diarize.py [--transcript PATH] [--device cuda] [--output PATH]
        [--repeat N] [--no-baseline] [--long 3600,14400]

Import time (torch, pyannote.audio, onnxruntime) and model load are measured once per process
and reported apart from the per-recording RTF (the stage alone). Unless --no-baseline, the
options before issue 16 (segmentation step 0.2, CAM++ in torch) run in the same process,
alternating with the current defaults, so the speed-up is a ratio from one run.

--long tiles the two recordings (seed, sample, seed, ...) to each given length in seconds and
diarizes it in a fresh subprocess: RTF, DER against the tiled references, and the process's
peak RSS during the stage (VmHWM reset just before it) next to its RSS before the stage (which
holds the decoded audio the caller passes in). Slow: about 0.05 x the audio on 2 cores.

The ASR transcript (faster-whisper "base", with the ASR stage's entity hints when that stage is
installed) is cached under /tmp so repeated runs only pay for diarization. Writes the table to
benchmarks/results/diarize.md.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

_started = time.perf_counter()
import torch  # noqa: E402

from diarize import DiarizeOptions, assign_speakers, diarize, label_speakers, load_pipeline  # noqa: E402
from retranscribe.audio import SAMPLE_RATE, duration_of, load_audio  # noqa: E402
from retranscribe.transcript import Transcript, VideoMetadata, Word, segments_from_words  # noqa: E402

_BASE_IMPORT_SECONDS = time.perf_counter() - _started

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "audio_samples"
RESULTS = ROOT / "benchmarks" / "results" / "diarize.md"
RECORDINGS = (
    ("seed broadcast", SAMPLES / "broadcast.wav", SAMPLES / "reference.rttm"),
    ("pyannote sample.wav", SAMPLES / "pyannote_sample" / "sample.wav", SAMPLES / "pyannote_sample" / "sample.rttm"),
)
# The defaults before issue 16, for the same-run comparison.
BASELINE = {"segmentation_step": 0.2, "min_cluster_size": 12, "embedding_runtime": "torch", "segmentation_batch_size": 32}
TRANSCRIPT_CACHE = Path("/tmp/retranscribe-bench/broadcast_transcript_base.json")


def annotation(turns):
    from pyannote.core import Annotation, Segment

    out = Annotation()
    for turn in turns:
        out[Segment(turn.start, turn.end)] = turn.speaker
    return out


def score(reference_rttm, turns, uem=None):
    from pyannote.database.util import load_rttm
    from pyannote.metrics.diarization import DiarizationErrorRate

    if isinstance(reference_rttm, Path):
        reference = next(iter(load_rttm(str(reference_rttm)).values()))
    else:
        reference = reference_rttm
    hypothesis = annotation(turns)
    metric = DiarizationErrorRate(collar=0.0)
    der = metric(reference, hypothesis, uem=uem if uem is not None else reference.get_timeline().extent())
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


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def tiled(seconds: float):
    """The two recordings repeated (seed, sample, seed, ...) to ``seconds``; their references
    shifted alongside (speaker labels stay, so the same voice is the same speaker throughout)."""
    import numpy as np
    from pyannote.core import Annotation, Segment, Timeline
    from pyannote.database.util import load_rttm

    pieces = []
    for _, wav, rttm in RECORDINGS:
        pieces.append((load_audio(wav), next(iter(load_rttm(str(rttm)).values()))))
    total = int(seconds * SAMPLE_RATE)
    audio = np.empty(total, dtype=np.float32)
    reference, uem = Annotation(uri="tiled"), Timeline(uri="tiled")
    position, index = 0, 0
    while position < total:
        piece, piece_reference = pieces[index % len(pieces)]
        count = min(piece.size, total - position)
        audio[position : position + count] = piece[:count]
        offset, limit = position / SAMPLE_RATE, (position + count) / SAMPLE_RATE
        extent = piece_reference.get_timeline().extent()
        if offset + extent.start < limit:
            uem.add(Segment(offset + extent.start, min(limit, offset + extent.end)))
        for segment, _, label in piece_reference.itertracks(yield_label=True):
            if offset + segment.start < limit:
                reference[Segment(offset + segment.start, min(limit, offset + segment.end))] = label
        position += count
        index += 1
    return audio, reference, uem


def long_child(seconds: float, options: DiarizeOptions) -> None:
    """One long recording in this (fresh) process; prints one JSON line."""
    load_pipeline(options)
    rss_loaded = _status_kib("VmRSS")
    audio, reference, uem = tiled(seconds)
    rss_before = _status_kib("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    started = time.perf_counter()
    turns = diarize(audio, options)
    elapsed = time.perf_counter() - started
    peak = _status_kib("VmHWM")
    der, _, _ = score(reference, turns, uem)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rtf": elapsed / seconds,
                "rss_loaded_mib": rss_loaded / 1024,
                "rss_before_mib": rss_before / 1024,
                "peak_mib": peak / 1024,
                "der": der,
                "speakers": len({t.speaker for t in turns}),
                "true_speakers": len(reference.labels()),
            }
        ),
        flush=True,
    )


def long_rows(lengths: list[float], device: str, window_seconds: float | None) -> list[str]:
    rows = []
    for seconds in lengths:
        command = [sys.executable, str(Path(__file__).resolve()), "--long-child", str(seconds), "--device", device]
        if window_seconds:
            command += ["--window-seconds", str(window_seconds)]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        line = [x for x in result.stdout.splitlines() if x.startswith("{")][-1]
        data = json.loads(line)
        print(data, flush=True)
        rows.append(
            f"| {seconds / 3600:.2f} h | {data['rtf']:.3f} | {100 * data['der']:.2f} % | "
            f"{data['speakers']} / {data['true_speakers']} | {data['rss_loaded_mib']:.0f} | "
            f"{data['rss_before_mib']:.0f} | {data['peak_mib']:.0f} | {data['peak_mib'] - data['rss_before_mib']:.0f} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transcript", type=Path, help="ASR transcript JSON of broadcast.wav to reuse")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"])
    parser.add_argument("--output", type=Path, default=RESULTS, help="where the Markdown table goes")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per recording and configuration")
    parser.add_argument("--no-baseline", action="store_true", help="skip the pre-issue-16 options")
    parser.add_argument("--long", help="comma-separated lengths in seconds of tiled recordings (slow)")
    parser.add_argument("--window-seconds", type=float, help="DiarizeOptions.window_seconds override")
    parser.add_argument("--long-child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    extra = {"window_seconds": args.window_seconds} if args.window_seconds else {}
    options = DiarizeOptions(device=args.device, **extra)
    if args.long_child:
        long_child(args.long_child, options)
        return

    started = time.perf_counter()
    for module in ("onnxruntime", "pyannote.audio.pipelines", "diarize.embedding"):
        importlib.import_module(module)
    import_seconds = _BASE_IMPORT_SECONDS + time.perf_counter() - started
    configurations = [("after", options)]
    if not args.no_baseline:
        configurations.insert(0, ("before", DiarizeOptions(device=args.device, **BASELINE)))
    load_seconds = {}
    for label, config in configurations:
        started = time.perf_counter()
        load_pipeline(config)
        load_seconds[label] = time.perf_counter() - started

    rows = []
    broadcast_mapping = broadcast_turns = broadcast_audio = None
    for name, wav, rttm in RECORDINGS:
        audio = load_audio(wav)
        timings = {label: [] for label, _ in configurations}
        results = {}
        for _ in range(args.repeat):
            for label, config in configurations:
                started = time.perf_counter()
                turns = diarize(audio, config)
                timings[label].append((time.perf_counter() - started) / duration_of(audio))
                results[label] = turns
        for label, _ in configurations:
            turns = results[label]
            der, reference_speakers, mapping = score(rttm, turns)
            found = len({t.speaker for t in turns})
            rows.append((name, label, duration_of(audio), der, found, reference_speakers, timings[label]))
            if label == "after" and broadcast_turns is None:
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
        "| recording | options | duration s | DER collar 0 | speakers found / true | RTF (median) | RTF runs |",
        "|---|---|---:|---:|---:|---:|---|",
        *(
            f"| {n} | {label} | {d:.1f} | {100 * e:.2f} % | {f} / {r} | {statistics.median(t):.3f} | "
            f"{', '.join(f'{x:.3f}' for x in t)} |"
            for n, label, d, e, f, r, t in rows
        ),
    ]
    speedups = []
    if not args.no_baseline:
        for name, *_ in RECORDINGS:
            before = statistics.median(next(r[6] for r in rows if r[0] == name and r[1] == "before"))
            after = statistics.median(next(r[6] for r in rows if r[0] == name and r[1] == "after"))
            speedups.append(f"{name} {before / after:.2f}x")
    loads = ", ".join(f"{label} {seconds:.1f} s" for label, seconds in load_seconds.items())
    report = [
        "# Diarization benchmark",
        "",
        f"Machine: {machine(args.device)}, load average {os.getloadavg()[0]:.1f} at the end.",
        f"Import (torch, pyannote.audio, onnxruntime; once per process): {import_seconds:.1f} s. "
        f"Model load (once per process per configuration): {loads}.",
        f"Options (after): {options}.",
        *([f"Options (before, issue 16's starting point): {BASELINE}, the rest as after."] if speedups else []),
        "",
        *table,
        "",
        *([f"Speed-up before -> after (median RTF ratio, same run): {'; '.join(speedups)}.", ""] if speedups else []),
        f"Roles right: {roles_right}/{len(truth)}; names right: {names_right}/{len(truth)} "
        f"(transcript: {how}).",
        "",
        "| diarized speaker | reference | role (truth) | name (truth) |",
        "|---|---|---|---|",
        *found_lines,
        "",
    ]
    if args.long:
        report += [
            "Long recordings (seed and sample tiled; each in a fresh process; RSS in MiB: after the "
            "model load, before the stage with the decoded audio held by the caller, peak during the stage):",
            "",
            "| length | RTF | DER collar 0 | speakers found / true | RSS loaded | RSS before | peak | peak - before |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            *long_rows([float(x) for x in args.long.split(",")], args.device, args.window_seconds),
            "",
        ]
    command = " ".join(["uv run python benchmarks/bench_diarize.py", *sys.argv[1:]])
    report.append(f"Command: `{command}`")
    text = "\n".join(report) + "\n"
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)


if __name__ == "__main__":
    main()
