"""Fix decisions under each CPU instruction-set path (issue 15): how many change between them.

    uv run python benchmarks/bench_isa.py [--items ID ...] [--isa AVX512 AVX2 SSE4_2]

CTranslate2's int8 matrix products run through Intel MKL, whose kernels differ with the CPU, so
the ASR's words and the scorer's log-likelihoods differ slightly from machine to machine. This
runs the align stage — ASR with the video's hints (never cached: it is what differs), gap
repair, fixing — on the seed broadcast and the chosen corpus items once per setting, each in a
fresh subprocess with ``MKL_ENABLE_INSTRUCTIONS`` and ``CT2_FORCE_CPU_ISA`` set (a machine of
that kind, emulated), and counts per pair of settings the decisions that differ: fixed <-> kept
(the goal is 0: a decision that close must be *suspected*), fixed <-> suspected and suspected <->
kept. Decisions are matched by their caption words and time (within 1.5 s). Writes
benchmarks/results/isa.md (and isa.json with every run's decisions).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

# MKL_ENABLE_INSTRUCTIONS value -> CT2_FORCE_CPU_ISA value (CTranslate2 has no SSE4.2 path of its own).
ISAS = {"AVX512": "AVX512", "AVX2": "AVX2", "SSE4_2": "GENERIC"}


def worker(items: list[str], output: Path) -> None:
    """One setting: the align stage on the seed and the items; decisions as JSON."""
    from bench_align import SAMPLES, corpus_root, run_align_stage, wer
    from flows.settings import RunSettings

    settings = RunSettings()
    cases = [("seed", SAMPLES / "broadcast.wav", SAMPLES / "captions.en.vtt", SAMPLES / "info.json", (SAMPLES / "reference.txt").read_text())]
    if items:
        root = corpus_root()
        for item_id in items:
            folder = root / "build" / item_id
            reference = json.loads((folder / "reference.json").read_text())
            audio = Path(reference["audio"])
            audio = audio if audio.is_absolute() else root.parent.parent / audio
            truth = " ".join(t["text"] for t in reference["turns"])
            cases.append((item_id, audio, folder / "captions.en.vtt", folder / "info.json", truth))
    runs = {}
    for name, audio, captions, info, truth in cases:
        started = time.perf_counter()
        _, _, aligned = run_align_stage(audio, captions, info, settings)
        fixed_text = " ".join(c.text for c in aligned.fixed_cues)
        runs[name] = {
            "fixed_wer": wer(truth, fixed_text),
            "seconds": round(time.perf_counter() - started, 1),
            "decisions": [
                {"caption": c.caption, "fixed": c.fixed, "status": c.status.value, "start": c.start, "evidence": c.evidence}
                for c in aligned.corrections
            ],
        }
        print(f"{os.environ.get('MKL_ENABLE_INSTRUCTIONS')}: {name} {runs[name]['fixed_wer']:.2%} ({runs[name]['seconds']} s)", flush=True)
    output.write_text(json.dumps(runs, indent=1, default=str))


def status_of(decisions: list[dict], caption: str, start: float) -> str:
    for d in decisions:
        if d["caption"] == caption and abs(d["start"] - start) <= 1.5:
            return d["status"]
    return "kept"


def compare(first: dict, second: dict) -> tuple[dict[str, int], list[str]]:
    counts = {"fixed<->kept": 0, "fixed<->suspected": 0, "suspected<->kept": 0}
    examples = []
    for name in first:
        a, b = first[name]["decisions"], second.get(name, {}).get("decisions", [])
        seen = set()
        for d in a + b:
            key = (d["caption"], round(d["start"]))
            if key in seen:
                continue
            seen.add(key)
            pair = {status_of(a, d["caption"], d["start"]), status_of(b, d["caption"], d["start"])}
            if len(pair) == 1:
                continue
            label = "fixed<->kept" if pair == {"fixed", "kept"} else "fixed<->suspected" if pair == {"fixed", "suspected"} else "suspected<->kept"
            counts[label] += 1
            examples.append(f"{name}: `{d['caption'] or '∅'}` ({label.replace('<->', ' / ')})")
    return counts, examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", nargs="*", default=[], help="corpus items besides the seed broadcast")
    parser.add_argument("--isa", nargs="*", default=list(ISAS), choices=list(ISAS))
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "isa.md")
    args = parser.parse_args()
    if args.worker:
        return worker(args.items, args.worker)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for isa in args.isa:
            out = Path(tmp) / f"{isa}.json"
            env = {**os.environ, "MKL_ENABLE_INSTRUCTIONS": isa, "CT2_FORCE_CPU_ISA": ISAS[isa]}
            subprocess.run([sys.executable, __file__, "--worker", str(out), "--items", *args.items], env=env, check=True)
            results[isa] = json.loads(out.read_text())
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    lines = [
        f"Fix decisions per instruction-set path, {time.strftime('%Y-%m-%d')}, on {cpu}; `benchmarks/bench_isa.py` "
        f"(align stage with ASR, model base, beam 5, second judge tiny.en; each setting a fresh process with "
        "`MKL_ENABLE_INSTRUCTIONS` and `CT2_FORCE_CPU_ISA`). Cases: seed broadcast"
        + (f", corpus items {', '.join(args.items)}" if args.items else "") + ".",
        "",
        "| settings | fixed ↔ kept (goal 0) | fixed ↔ suspected | suspected ↔ kept |",
        "|---|---|---|---|",
    ]
    notes = []
    for a, b in itertools.combinations(args.isa, 2):
        counts, examples = compare(results[a], results[b])
        lines.append(f"| MKL {a}/CT2 {ISAS[a]} vs MKL {b}/CT2 {ISAS[b]} | {counts['fixed<->kept']} | {counts['fixed<->suspected']} | {counts['suspected<->kept']} |")
        notes += [f"- {a} vs {b}: {e}" for e in examples]
    lines += ["", "Fixed WER per case and setting:", "", "| case | " + " | ".join(args.isa) + " |", "|---|" + "---|" * len(args.isa)]
    for name in results[args.isa[0]]:
        lines.append(f"| {name} | " + " | ".join(f"{results[i][name]['fixed_wer']:.2%}" for i in args.isa) + " |")
    lines += ["", "Decisions that differ:", "", *(notes or ["- none"])]
    text = "\n".join(lines) + "\n"
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    args.output.with_suffix(".json").write_text(json.dumps(results, indent=1, default=str) + "\n")


if __name__ == "__main__":
    main()
