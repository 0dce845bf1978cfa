"""The whole CLI on the seed broadcast: wall time vs. the stages' own time (the CLI and
Prefect's overhead made visible), and peak memory. Optionally a long recording.

    uv run python benchmarks/bench_pipeline.py                 # seed broadcast, fresh and warm Prefect home
    uv run python benchmarks/bench_pipeline.py --hours 1 --model tiny.en   # peak RSS on a long file

Writes benchmarks/results/pipeline.md (or pipeline-long.md).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "audio_samples"


def run_cli(args: list[str], prefect_home: Path) -> tuple[float, int, subprocess.CompletedProcess]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(prefect_home), RETRANSCRIBE_PROGRESS="0")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "retranscribe", *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode != 0:
        sys.exit(result.stderr[-3000:])
    return elapsed, max(peak_kib, before), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="base")
    parser.add_argument("--hours", type=float, default=0.0, help="also run a recording this long (the seed, repeated)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        home = work / "prefect"
        if args.hours:
            audio, rate = sf.read(SAMPLES / "broadcast.wav", dtype="float32")
            repeats = int(np.ceil(args.hours * 3600 / (len(audio) / rate)))
            long_file = work / "long.wav"
            sf.write(long_file, np.tile(audio, repeats)[: int(args.hours * 3600 * rate)], rate)
            elapsed, peak, _ = run_cli(["run", str(long_file), "--out", str(work / "long"), "--model", args.model], home)
            timings = json.loads((work / "long" / "run.json").read_text())["timings_seconds"]
            rows += [
                (f"{args.hours:g} h recording, {args.model}: wall time (s)", f"{elapsed:.0f}"),
                ("stage times (s)", ", ".join(f"{k} {v:.0f}" for k, v in timings.items())),
                ("**peak RSS (MiB)**", f"**{peak / 1024:.0f}**"),
            ]
            name = "pipeline-long.md"
        else:
            for label in ("fresh Prefect home", "warm Prefect home, cached stages", "warm Prefect home, new output"):
                out = work / ("out" if "cached" in label or "fresh" in label else "out2")
                source = SAMPLES / "broadcast.wav"
                if "new output" in label:  # a copy: new fingerprint, nothing cached
                    source = work / "copy.wav"
                    source.write_bytes((SAMPLES / "broadcast.wav").read_bytes())
                elapsed, peak, _ = run_cli(
                    ["run", str(source), "--captions", str(SAMPLES / "captions.en.vtt"), "--info", str(SAMPLES / "info.json"),
                     "--out", str(out), "--model", args.model], home)
                timings = json.loads((out / "run.json").read_text())["timings_seconds"]
                stages = sum(timings.values())
                rows.append((f"{label}: wall / stages / overhead (s)", f"{elapsed:.1f} / {stages:.1f} / {elapsed - stages:.1f}"))
                rows.append((f"{label}: stage times (s)", ", ".join(f"{k} {v:.1f}" for k, v in timings.items())))
            rows.append(("peak RSS of a run (MiB)", f"{peak / 1024:.0f}"))
            name = "pipeline.md"
    text = "\n".join([f"`retranscribe run`, model {args.model}, {time.strftime('%Y-%m-%d')}.", "", "| measure | value |", "|---|---|",
                      *[f"| {k} | {v} |" for k, v in rows]]) + "\n"
    print(text)
    (ROOT / "benchmarks" / "results").mkdir(parents=True, exist_ok=True)
    (ROOT / "benchmarks" / "results" / name).write_text(text)


if __name__ == "__main__":
    main()
