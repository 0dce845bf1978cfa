"""A one-off `retranscribe run` against bare faster-whisper on the same audio, in one run
(issue 16, goal 1), and long recordings' throughput and peak memory (goals 3 and 4).

    uv run python benchmarks/bench_pipeline.py                  # seed broadcast: ratios, with and without a Prefect server
    uv run python benchmarks/bench_pipeline.py --hours 1 4      # long recordings (the seed, repeated): RTF, stage split, peak RSS

Timing on 2 shared cores is noisy, so the bare runs come before and after the CLI runs and
the ratio uses their mean. The bare run is a fresh process too: start-up, import, model load
and `WhisperModel.transcribe` (same model files, int8, word timestamps, VAD, beam 5) with every
segment consumed. "Outside the stages" is the CLI's wall time minus the stage times run.json
records. Also: how long bad input takes to be refused. Writes benchmarks/results/pipeline.md
(or pipeline-long.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "audio_samples"
sys.path.insert(0, str(ROOT / "tests"))

BARE = """
import sys
from faster_whisper import WhisperModel
from asr import machine_cores
from retranscribe.models import resolve_whisper
model = WhisperModel(str(resolve_whisper(sys.argv[2])), device="cpu", compute_type="int8", cpu_threads=machine_cores())
segments, _ = model.transcribe(sys.argv[1], beam_size=5, word_timestamps=True, vad_filter=True)
print(sum(len(s.words) for s in segments))
"""


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall time and the child's peak RSS (KiB) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stdout, stderr = process.stdout.read(), process.stderr.read()
    result = subprocess.CompletedProcess(command, os.waitstatus_to_exitcode(status), stdout, stderr)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{stderr[-3000:]}")
    return elapsed, usage.ru_maxrss, result


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(RETRANSCRIBE_PROGRESS="0", HF_HUB_OFFLINE="1", **extra)
    return env


def cli_run(audio: Path, out: Path, model: str, env: dict[str, str], captions: bool = True) -> tuple[float, int, dict]:
    args = [sys.executable, "-m", "retranscribe", "run", str(audio), "--out", str(out), "--model", model, "--no-cache"]
    if captions:
        args += ["--captions", str(SAMPLES / "captions.en.vtt"), "--info", str(SAMPLES / "info.json")]
    elapsed, peak, _ = timed(args, env)
    return elapsed, peak, json.loads((out / "run.json").read_text())["timings_seconds"]


def seed_rows(model: str, work: Path) -> list[tuple[str, str]]:
    from prefect_server import prefect_server

    audio = SAMPLES / "broadcast.wav"
    env = clean_env(PREFECT_HOME=str(work / "prefect-home"))
    bare = [timed([sys.executable, "-c", BARE, str(audio), model], env)[0]]
    rows = []
    refusals = []
    for bad in (work / "missing.wav", work / "text.wav"):
        if bad.name == "text.wav":
            bad.write_text("not audio\n" * 100)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "retranscribe", "run", str(bad), "--out", str(work / "bad")], env=env, capture_output=True)
        refusals.append((bad.name, time.perf_counter() - started, result.returncode))
    plain, plain_peak, plain_stages = cli_run(audio, work / "plain", model, env)
    (work / "prefect-server-home").mkdir()
    with prefect_server(work / "prefect-server-home") as server_env:
        server_env = {**server_env, "RETRANSCRIBE_PROGRESS": "0", "HF_HUB_OFFLINE": "1"}
        flow, _, flow_stages = cli_run(audio, work / "flow", model, server_env)
    bare.append(timed([sys.executable, "-c", BARE, str(audio), model], env)[0])
    base = sum(bare) / len(bare)
    for label, wall, stages in (("no Prefect API (in-process)", plain, plain_stages), ("Prefect server running (flow run)", flow, flow_stages)):
        inside = sum(stages.values())
        rows.append((f"**one-off run, {label}: wall / bare faster-whisper**", f"**{wall / base:.2f}×** ({wall:.1f} s / {base:.1f} s)"))
        rows.append((f"{label}: outside the stages (s)", f"{wall - inside:.1f}"))
        rows.append((f"{label}: stage times (s)", ", ".join(f"{k} {v:.1f}" for k, v in stages.items())))
    rows.append(("bare faster-whisper runs, before / after (s)", " / ".join(f"{b:.1f}" for b in bare)))
    rows.append(("peak RSS of the in-process run (MiB)", f"{plain_peak / 1024:.0f}"))
    for name, seconds, code in refusals:
        rows.append((f"bad input refused ({name}): seconds, exit code", f"{seconds:.2f}, {code}"))
    return rows


def long_rows(hours: list[float], model: str, work: Path) -> list[tuple[str, str]]:
    audio, rate = sf.read(SAMPLES / "broadcast.wav", dtype="float32")
    env = clean_env(PREFECT_HOME=str(work / "prefect-home"))
    rows, peaks = [], {}
    for length in hours:
        repeats = int(np.ceil(length * 3600 / (len(audio) / rate)))
        long_file = work / f"long-{length:g}h.wav"
        sf.write(long_file, np.tile(audio, repeats)[: int(length * 3600 * rate)], rate)
        wall, peak, stages = cli_run(long_file, work / f"long-{length:g}", model, env, captions=False)
        peaks[length] = peak
        rows += [
            (f"**{length:g} h recording, {model}: wall time / real time**", f"**{wall / (length * 3600):.3f}** ({wall:.0f} s)"),
            (f"{length:g} h: stage times (s) and RTF", ", ".join(f"{k} {v:.0f} ({v / (length * 3600):.3f})" for k, v in stages.items())),
            (f"**{length:g} h: peak RSS (MiB)**", f"**{peak / 1024:.0f}**"),
        ]
        long_file.unlink()
    if len(peaks) > 1:
        shortest, longest = min(peaks), max(peaks)
        rows.append((f"peak RSS {longest:g} h / {shortest:g} h", f"{peaks[longest] / peaks[shortest]:.2f}"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="base")
    parser.add_argument("--hours", type=float, nargs="*", default=[], help="long recordings of these lengths instead of the seed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        rows = long_rows(args.hours, args.model, work) if args.hours else seed_rows(args.model, work)
    name = "pipeline-long.md" if args.hours else "pipeline.md"
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    text = "\n".join(
        [
            f"`retranscribe run`, model {args.model}, {os.cpu_count()} cores ({cpu}), {time.strftime('%Y-%m-%d')}.",
            "",
            "| measure | value |",
            "|---|---|",
            *[f"| {k} | {v} |" for k, v in rows],
        ]
    ) + "\n"
    print(text)
    (ROOT / "benchmarks" / "results").mkdir(parents=True, exist_ok=True)
    (ROOT / "benchmarks" / "results" / name).write_text(text)


if __name__ == "__main__":
    main()
