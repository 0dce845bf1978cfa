"""ASR stage benchmark: overhead vs bare faster-whisper, RTF, WER (issue 3).

    uv run python benchmarks/bench_asr.py            # everything (a few minutes on 2 cores)

Prints a markdown table and writes it to benchmarks/results/asr.md.
"""

from __future__ import annotations

import json
import platform
import subprocess
import time
from pathlib import Path

from asr import AsrOptions, entity_hints, hint_prompt, load_model, machine_cores, transcribe
from retranscribe.audio import duration_of, load_audio
from retranscribe.scoring import read_reference
from retranscribe.transcript import VideoMetadata
from retranscribe.wer import wer

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "audio_samples"


def cpu_name() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        return next(l.split(":", 1)[1].strip() for l in out.splitlines() if l.startswith("Model name"))
    except Exception:
        return platform.processor() or platform.machine()


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def bare(model, audio, options: AsrOptions) -> str:
    segments, _ = model.transcribe(
        audio, language=options.language or "en", beam_size=options.beam_size, word_timestamps=True, vad_filter=options.vad_filter
    )
    return " ".join(s.text for s in segments)


def main() -> None:
    audio = load_audio(SAMPLES / "broadcast.wav")
    seconds = duration_of(audio)
    reference = (SAMPLES / "reference.txt").read_text()
    metadata = VideoMetadata.from_dict(json.loads((SAMPLES / "info.json").read_text()))
    captions = (SAMPLES / "captions.txt").read_text()
    rows: list[tuple[str, str]] = []

    for name in ("tiny.en", "base"):
        options = AsrOptions(model=name, language="en")
        model = load_model(options)
        bare(model, audio[: 16000 * 5], options)  # warm-up
        stage_times, bare_times = [], []
        for _ in range(2):  # interleaved, best of 2
            transcript, t_stage = timed(lambda: transcribe(audio, options))
            _, t_bare = timed(lambda: bare(model, audio, options))
            stage_times.append(t_stage)
            bare_times.append(t_bare)
        rows.append((f"{name}: RTF, stage (int8, word timestamps, VAD)", f"{min(stage_times) / seconds:.3f}"))
        rows.append((f"{name}: RTF, bare faster-whisper, same settings", f"{min(bare_times) / seconds:.3f}"))
        rows.append((f"{name}: overhead stage / bare", f"{min(stage_times) / min(bare_times):.3f}x"))
        rows.append((f"{name}: WER seed broadcast, VAD", f"{wer(reference, transcript.text):.1%}"))

    base = AsrOptions(model="base", language="en")
    no_vad = transcribe(audio, AsrOptions(model="base", language="en", vad_filter=False))
    rows.append(("base: WER seed broadcast, no VAD", f"{wer(reference, no_vad.text):.1%}"))
    hints = entity_hints(metadata, captions)
    with_hotwords = transcribe(audio, AsrOptions(model="base", language="en", hotwords=tuple(hints)))
    rows.append(("base: WER seed broadcast, VAD + hotwords from metadata/captions", f"{wer(reference, with_hotwords.text):.1%}"))
    with_prompt = transcribe(audio, AsrOptions(model="base", language="en", initial_prompt=hint_prompt(hints)))
    rows.append(("base: WER seed broadcast, VAD + initial prompt of names", f"{wer(reference, with_prompt.text):.1%}"))
    for label, text in (("VAD", None), ("hotwords", with_hotwords.text), ("prompt", with_prompt.text)):
        text = text if text is not None else transcribe(audio, base).text
        found = [n for n in ("Kim Jong Un", "Anna Cunningham", "John Kirby", "take a listen") if n.lower().replace(" ", "") in text.lower().replace(" ", "").replace("-", "")]
        rows.append((f"base, {label}: names heard right", ", ".join(found) or "none"))

    sample = SAMPLES / "pyannote_sample"
    sample_reference, _ = read_reference(sample / "sample.stm")
    sample_transcript = transcribe(sample / "sample.wav", base)
    rows.append(("base: WER pyannote sample.wav (real telephone speech)", f"{wer(sample_reference, sample_transcript.text):.1%}"))

    lines = [
        f"Measured on {cpu_name()}, {machine_cores()} cores, int8, {time.strftime('%Y-%m-%d')}.",
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
