"""ASR stage benchmark (issue 3): overhead vs bare faster-whisper, RTF, WER with and without
VAD and entity hints, windowed re-decoding of the quoted official's turn, pyannote's sample.

    flock /tmp/retranscribe-cpu.lock uv run python benchmarks/bench_asr.py   # ~10 min on 2 cores

Prints a markdown table and writes it to benchmarks/results/asr.md.
"""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import time
from pathlib import Path

from asr import AsrOptions, entity_hints, hint_prompt, load_model, machine_cores, transcribe, transcribe_windows
from retranscribe.audio import duration_of, load_audio
from retranscribe.scoring import read_reference
from retranscribe.transcript import VideoMetadata
from retranscribe.wer import normalize, wer

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "audio_samples"
NAMES = ("Kim Jong Un", "Anna Cunningham", "John Kirby", "Vladimir Putin", "Pyongyang")
# Interleaved rounds per model, best taken: single runs on this 2-core VM vary by ±15 %.
ROUNDS = {"tiny.en": 5, "base": 3}


def cpu_name() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        return next(line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("Model name"))
    except Exception:
        return platform.processor() or platform.machine()


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def bare(model, audio, options: AsrOptions) -> str:
    """faster-whisper alone with the stage's settings, consuming segments and words."""
    segments, _ = model.transcribe(
        audio,
        language="en" if not model.model.is_multilingual else options.language,
        beam_size=options.beam_size,
        word_timestamps=True,
        vad_filter=options.vad_filter,
    )
    return " ".join(s.text for s in segments if s.words is not None)


def names_heard(text: str) -> str:
    heard = normalize(text)
    return ", ".join(n for n in NAMES if normalize(n) in heard) or "none"


def short_windows(audio) -> list[tuple[str, str]]:
    """Short, separated windows (as gap repair may ask; touching windows merge into one clip):
    the words that come back against the words a full decode (base, no VAD) puts inside the
    same windows, by window length and by the context padding decoded around each window."""
    full = [w for s in transcribe(audio, AsrOptions(vad_filter=False)).segments for w in s.words]
    rows = []
    for length, step in ((3.0, 4.5), (1.5, 3.0)):
        windows = [(s, s + length) for s in (20.0 + step * i for i in range(int(60 // step)))]
        expected = " ".join(w.word for w in full if any(a <= (w.start + w.end) / 2 <= b for a, b in windows))
        for padding in (0.0, 0.5, 1.0):
            words = transcribe_windows(audio, windows, AsrOptions(window_padding=padding))
            rows.append((f"base: {len(windows)} windows of {length:g} s in 20-80 s, padding {padding:g} s: WER vs full decode, words / full decode's",
                         f"{wer(expected, ' '.join(w.word for w in words)):.1%}, {len(words)} / {len(expected.split())}"))
    return rows


def main() -> None:
    audio = load_audio(SAMPLES / "broadcast.wav")
    seconds = duration_of(audio)
    reference = (SAMPLES / "reference.txt").read_text()
    turns = json.loads((SAMPLES / "reference.json").read_text())["turns"]
    official = next(t for t in turns if t["speaker"] == "official")
    metadata = VideoMetadata.from_dict(json.loads((SAMPLES / "info.json").read_text()))
    hints = entity_hints(metadata, (SAMPLES / "captions.txt").read_text())
    rows: list[tuple[str, str]] = []

    done: dict = {}
    for name in ("tiny.en", "base"):
        options = AsrOptions(model=name)
        model = load_model(options)
        bare(model, audio[: 16000 * 5], options)  # warm-up
        stage_times, bare_times = [], []
        for _ in range(ROUNDS[name]):
            transcript, t_stage = timed(lambda: transcribe(audio, options))
            _, t_bare = timed(lambda: bare(model, audio, options))
            stage_times.append(t_stage)
            bare_times.append(t_bare)
        done[name] = transcript
        rows.append((f"{name}: RTF, stage (int8, beam 5, word timestamps, VAD)", f"{min(stage_times) / seconds:.3f}"))
        rows.append((f"{name}: RTF, bare faster-whisper, same settings", f"{min(bare_times) / seconds:.3f}"))
        rows.append((f"{name}: overhead stage / bare, best of {ROUNDS[name]} interleaved (median)",
                     f"{min(stage_times) / min(bare_times):.3f}x ({statistics.median(stage_times) / statistics.median(bare_times):.3f}x)"))
        rows.append((f"{name}: WER seed broadcast, VAD, no hints", f"{wer(reference, transcript.text):.1%}"))
        greedy, t_greedy = timed(lambda: transcribe(audio, AsrOptions(model=name, beam_size=1)))
        rows.append((f"{name}: RTF / WER, stage with greedy decoding (beam 1)", f"{t_greedy / seconds:.3f} / {wer(reference, greedy.text):.1%}"))

    variants = {
        "VAD, no hints": (AsrOptions(), done["base"]),
        "VAD + hotwords": (AsrOptions(hotwords=tuple(hints)), None),
        "VAD + initial prompt": (AsrOptions(initial_prompt=hint_prompt(hints)), None),
        "no VAD, no hints": (AsrOptions(vad_filter=False), None),
        "no VAD + hotwords": (AsrOptions(vad_filter=False, hotwords=tuple(hints)), None),
        "no VAD + initial prompt": (AsrOptions(vad_filter=False, initial_prompt=hint_prompt(hints)), None),
    }
    for label, (options, transcript) in variants.items():
        transcript = transcript or transcribe(audio, options)
        official_words = [w for s in transcript.segments for w in s.words if official["start"] <= w.start <= official["end"]]
        rows.append((f"base, {label}: WER seed broadcast", f"{wer(reference, transcript.text):.1%}"))
        rows.append((f"base, {label}: names heard", names_heard(transcript.text)))
        rows.append((f"base, {label}: official's turn, words heard / reference", f"{len(official_words)} / {len(official['text'].split())}"))

    window = [(official["start"], official["end"])]
    for name in ("tiny.en", "base"):
        words, took = timed(lambda: transcribe_windows(audio, window, AsrOptions(model=name)))
        heard = " ".join(w.word for w in words)
        rows.append((f"{name}: windowed re-decode of the official's turn ({window[0][1] - window[0][0]:.1f} s), WER / time",
                     f"{wer(official['text'], heard):.1%} / {took:.1f} s"))

    rows.extend(short_windows(audio))

    sample = SAMPLES / "pyannote_sample"
    sample_reference, _ = read_reference(sample / "sample.stm")
    for name in ("tiny.en", "base"):
        sample_transcript = transcribe(sample / "sample.wav", AsrOptions(model=name))
        rows.append((f"{name}: WER pyannote sample.wav (30 s real telephone speech)", f"{wer(sample_reference, sample_transcript.text):.1%}"))

    lines = [
        f"Measured on {cpu_name()}, {machine_cores()} cores, int8, {time.strftime('%Y-%m-%d')}; "
        f"seed broadcast {seconds:.0f} s; hints: {', '.join(hints)}.",
        "",
        "| measure | value |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in rows],
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "benchmarks" / "results" / "asr.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)


if __name__ == "__main__":
    main()
