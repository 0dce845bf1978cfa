"""Caption fixing, speakers, roles and names over the evaluation corpus (issue 13, issue 14).

    make corpus      # build benchmarks/corpus/build/ first
    uv run --frozen python benchmarks/bench_corpus.py [--items ID ...] [--update] [--asr-cache] [--model base]
    uv run --frozen python benchmarks/bench_corpus.py --set heldout --asr-cache   # -> results/corpus-heldout.md

For each built item: captions WER -> fixed WER against the truth (retranscribe.wer's
normaliser), the item's known caption errors fixed / suspected / missed
(retranscribe.scoring.known_error_outcomes), the fix compared with the truth word by word (right
and wrong fix edits, truth words lost), the same run with the truth given as the captions
(changed words), DER against reference.rttm (pyannote.metrics), and roles and names of the
reference speakers, each matched to the hypothesis speaker of the optimal DER mapping.
Writes benchmarks/results/corpus.md and corpus.json (or --output PATH.md, PATH.json beside it).

The pipeline is called in one place, ``run_item`` (the stage sequence of flows.sequence).
``--asr-cache`` keeps the stage cache in benchmarks/corpus/asr-cache/ (keyed like every stage
cache on the audio, the stage's settings and its code), so a re-run after a change to the fix or
speaker rules only re-runs the align stage.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import jiwer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retranscribe.scoring import known_error_outcomes  # noqa: E402
from retranscribe.wer import normalize, word_errors  # noqa: E402
from scripts.make_corpus import BUILD, CORPUS, ITEM_SETS  # noqa: E402  (the builder's own folders and item sets)

CACHE = CORPUS / "asr-cache"


# --- the pipeline call -------------------------------------------------------------------

@dataclass
class RunConfig:
    model: str = "base"
    beam_size: int = 5
    asr_cache: bool = False
    cache_key: str = ""  # item id, set per item
    item_set: str = "corpus"  # which items (ITEM_SETS): named in the table


def run_item(audio: Path, captions_path: Path, info_path: Path, out_dir: Path, config: RunConfig | None = None):
    """One pipeline run on a local audio file with its captions and metadata: the stage
    sequence the CLI and the flows run (flows.sequence.run_video), returning its ``RunRecord``.
    With ``asr_cache`` the stage cache lives in benchmarks/corpus/asr-cache/: transcription and
    diarization are reused until their code or settings change, the align stage whenever the fix
    or speaker rules are unchanged."""
    from flows.sequence import StageCache, VideoJob, run_video
    from flows.settings import RunSettings

    config = config or RunConfig()
    settings = RunSettings().with_values({"asr.model": config.model, "asr.beam_size": config.beam_size})
    cache = StageCache(CACHE, enabled=config.asr_cache)
    record, _ = run_video(VideoJob(str(audio), str(out_dir), str(captions_path), str(info_path)), settings, cache=cache)
    return record


# --- scoring -----------------------------------------------------------------------------

def _tokens(text: str) -> list[str]:
    return normalize(text).split()


def _truth_matches(truth: list[str], hyp: list[str]) -> dict[int, int]:
    """hypothesis word index -> truth word index, for words the alignment calls equal."""
    if not truth or not hyp:
        return {}
    out = jiwer.process_words(" ".join(truth), " ".join(hyp))
    pairs = {}
    for chunk in out.alignments[0]:
        if chunk.type == "equal":
            for k in range(chunk.ref_end_idx - chunk.ref_start_idx):
                pairs[chunk.hyp_start_idx + k] = chunk.ref_start_idx + k
    return pairs


@dataclass
class FixComparison:
    right: int = 0  # edits that gain truth words and lose none
    wrong: int = 0  # edits that change a caption word which equalled the truth (and lose that truth word)
    neutral: int = 0  # edits that neither gain nor lose a truth word
    lost: int = 0  # truth words the captions had and the fixed captions lack
    gained: int = 0
    wrong_examples: list[str] = field(default_factory=list)


def compare_fix(truth_text: str, caption_text: str, fixed_text: str) -> FixComparison:
    truth, caption, fixed = _tokens(truth_text), _tokens(caption_text), _tokens(fixed_text)
    cap_truth = _truth_matches(truth, caption)
    fix_truth = _truth_matches(truth, fixed)
    kept_before, kept_after = set(cap_truth.values()), set(fix_truth.values())
    result = FixComparison(lost=len(kept_before - kept_after), gained=len(kept_after - kept_before))
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=caption, b=fixed, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        # A caption word that matched the truth and whose truth word the fixed captions no longer
        # match: "the the" -> "the" keeps the truth's "the" whichever copy the alignment gave it.
        was_right = [i for i in range(i1, i2) if i in cap_truth and cap_truth[i] not in kept_after]
        now_right = [j for j in range(j1, j2) if j in fix_truth]
        edit = f"{' '.join(caption[i1:i2]) or '∅'} → {' '.join(fixed[j1:j2]) or '∅'}"
        if was_right:
            result.wrong += 1
            result.wrong_examples.append(edit)
        elif now_right:
            result.right += 1
        else:
            result.neutral += 1
    return result


def read_rttm(path: Path, uri: str = "item"):
    from pyannote.core import Annotation, Segment

    ann = Annotation(uri=uri)
    for line in path.read_text().splitlines():
        f = line.split()
        if len(f) >= 8 and f[0] == "SPEAKER":
            start, dur = float(f[3]), float(f[4])
            ann[Segment(start, start + dur)] = f[7]
    return ann


def _name_key(name: str | None) -> str | None:
    if not name:
        return None
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def name_verdict(reference: str | None, hypothesis: str | None) -> str:
    """right: equal (case-insensitive; a speaker never named is right when left empty);
    partial: a proper part of the reference's words ("Fiona" for "Fiona McAllister-Grant");
    empty: no name where the reference has one; wrong: anything else (a cut hyphenated
    surname, a title kept, another person's name, a name for a speaker never named)."""
    ref, hyp = _name_key(reference), _name_key(hypothesis)
    if ref == hyp:
        return "right"
    if hyp is None:
        return "empty"
    if ref is not None and set(hyp.split()) < set(ref.split()):
        return "partial"
    return "wrong"


def score_speakers(reference: dict, ref_rttm: Path, run) -> dict:
    from pyannote.core import Annotation, Segment
    from pyannote.metrics.diarization import DiarizationErrorRate

    ref = read_rttm(ref_rttm)
    hyp = Annotation(uri="item")
    for turn in run.turns:
        hyp[Segment(turn.start, turn.end)] = turn.speaker
    metric = DiarizationErrorRate()
    der = metric(ref, hyp, uem=None) if len(hyp) else 1.0
    mapping = metric.optimal_mapping(ref, hyp) if len(hyp) else {}
    hyp_of_ref = {r: h for h, r in mapping.items()}
    speakers = {s.id: s for s in run.transcript.speakers}
    rows = []
    for key, meta in reference["speakers"].items():
        h = speakers.get(hyp_of_ref.get(key))
        role = h.role.value if h else None
        name = h.name if h else None
        ref_name = meta.get("name")
        verdict = name_verdict(ref_name, name)
        rows.append({"speaker": key, "role": meta["role"], "name": ref_name, "hyp": hyp_of_ref.get(key),
                     "hyp_role": role, "hyp_name": name, "role_right": role == meta["role"], "name_verdict": verdict})
    return {"der": float(der), "hyp_speakers": len(hyp.labels()), "ref_speakers": len(reference["speakers"]), "speakers": rows}


def truth_vtt(reference: dict, path: Path) -> None:
    """The truth as captions, timed like the item's captions: each turn's words spread over
    the turn in proportion to their length, cues of up to 8 words."""
    lines = ["WEBVTT", ""]

    def ts(t: float) -> str:
        h, rem = divmod(t, 3600)
        m, s = divmod(rem, 60)
        return f"{int(h):02d}:{int(m):02d}:{s:06.3f}"

    for turn in reference["turns"]:
        words = turn["text"].split()
        total = sum(len(w) + 1 for w in words)
        acc = turn["start"]
        span = turn["end"] - turn["start"]
        for i in range(0, len(words), 8):
            chunk = words[i:i + 8]
            d = span * sum(len(w) + 1 for w in chunk) / total
            lines += [f"{ts(acc)} --> {ts(acc + d)}", " ".join(chunk), ""]
            acc += d
    path.write_text("\n".join(lines))


def evaluate(item_path: Path, config: RunConfig) -> dict:
    item_id = item_path.stem
    folder = BUILD / item_id
    item = json.loads(item_path.read_text())
    reference = json.loads((folder / "reference.json").read_text())
    audio = ROOT / reference["audio"]
    truth = " ".join(t["text"] for t in reference["turns"])
    config.cache_key = item_id
    out = BUILD / item_id / "bench"

    run = run_item(audio, folder / "captions.en.vtt", folder / "info.json", out / "captions", config)
    from source import read_captions

    caption_text = read_captions(folder / "captions.en.vtt").text
    fixed_text = " ".join(c.text for c in run.fixed_cues) if run.fixed_cues else caption_text
    cap_err, fix_err = word_errors(truth, caption_text), word_errors(truth, fixed_text)
    asr_err = word_errors(truth, run.transcript.text)

    errors = [e for e in item.get("known_errors", []) if normalize(e["caption"]) != normalize(e["truth"])]
    formats = [e for e in item.get("known_errors", []) if normalize(e["caption"]) == normalize(e["truth"])]
    outcomes = known_error_outcomes(errors, fixed_text, run.corrections)
    fixed_norm = f" {normalize(fixed_text)} "
    formats_kept = sum(f" {normalize(e['truth'])} " in fixed_norm for e in formats)
    comparison = compare_fix(truth, caption_text, fixed_text)

    with tempfile.TemporaryDirectory() as tmp:
        tvtt = Path(tmp) / "truth.en.vtt"
        truth_vtt(reference, tvtt)
        truth_run = run_item(audio, tvtt, folder / "info.json", out / "truth", config)
        truth_fixed = " ".join(c.text for c in truth_run.fixed_cues)
    truth_changed = word_errors(truth, truth_fixed)
    speakers = score_speakers(reference, folder / "reference.rttm", run)

    result = {
        "item": item_id,
        "kind": item.get("kind", "rendered"),
        "duration": reference["duration"],
        "truth_words": cap_err.reference_words,
        "caption_errors": cap_err.substitutions + cap_err.deletions + cap_err.insertions,
        "fixed_errors": fix_err.substitutions + fix_err.deletions + fix_err.insertions,
        "caption_wer": cap_err.wer,
        "fixed_wer": fix_err.wer,
        "asr_wer": asr_err.wer,
        "known_errors": len(errors),
        "known_fixed": outcomes.count("fixed"),
        "known_suspected": outcomes.count("suspected"),
        "known_missed": outcomes.count("missed"),
        "missed": [e["caption"] for e, o in zip(errors, outcomes) if o == "missed"],
        "number_forms": len(formats),
        "number_forms_kept": formats_kept,
        "fix_edits_right": comparison.right,
        "fix_edits_wrong": comparison.wrong,
        "fix_edits_neutral": comparison.neutral,
        "wrong_fixes": comparison.wrong_examples,
        "truth_words_lost": comparison.lost,
        "corrections_applied": run.fixed_count,
        "corrections_suspected": run.suspected_count,
        "truth_as_captions_changed": truth_changed.substitutions + truth_changed.deletions + truth_changed.insertions,
        "truth_as_captions_fixes": truth_run.fixed_count,
        **speakers,
        "timings": {k: round(v, 1) for k, v in run.timings.items()},
        "cached": run.cached_stages,
    }
    (out / "result.json").write_text(json.dumps({**result, "corrections": [c.to_dict() for c in run.corrections],
                                                  "truth_run_corrections": [c.to_dict() for c in truth_run.corrections]}, indent=1, ensure_ascii=False))
    return result


# --- report ------------------------------------------------------------------------------

def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def cpu_kind() -> str:
    """The CPU's name and its widest vector instructions: CTranslate2's int8 results, and so
    some fix decisions, differ between AVX-512 and AVX2 machines (issue 15)."""
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    name = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "CPU")
    flags = set(next((line.split(":", 1)[1].split() for line in info.splitlines() if line.startswith("flags")), []))
    widest = next((label for flag, label in (("avx512f", "AVX-512"), ("avx2", "AVX2"), ("sse4_2", "SSE4.2")) if flag in flags), "")
    return f"{name} ({widest})" if widest else name


def table(results: list[dict], config: RunConfig) -> str:
    head = ("| item | s | captions WER → fixed WER | ASR WER | known errors fixed / suspected / missed | number forms kept | "
            "fix edits right / wrong | truth words lost | truth as captions: changed words | DER | roles right | names right / partial / wrong / empty |")
    lines = [
        (f"Evaluation corpus (benchmarks/corpus), model {config.model}, beam {config.beam_size}, {cpu_kind()}, {time.strftime('%Y-%m-%d')}. "
         "Built by `make corpus`, measured by `benchmarks/bench_corpus.py`."
         if config.item_set == "corpus" else
         f"Held-out items (benchmarks/corpus/{config.item_set}), model {config.model}, beam {config.beam_size}, {cpu_kind()}, {time.strftime('%Y-%m-%d')}. "
         f"Built by `scripts/make_corpus.py --set {config.item_set}`, measured by `benchmarks/bench_corpus.py --set {config.item_set}`."),
        "",
        head,
        "|" + "|".join("---" for _ in range(head.count("|") - 1)) + "|",
    ]
    for r in results:
        roles = sum(s["role_right"] for s in r["speakers"])
        names = [name_verdict(s["name"], s["hyp_name"]) for s in r["speakers"]]
        lines.append(
            f"| {r['item']} | {r['duration']:.0f} | {_pct(r['caption_wer'])} → {_pct(r['fixed_wer'])} | {_pct(r['asr_wer'])} | "
            f"{r['known_fixed']} / {r['known_suspected']} / {r['known_missed']} of {r['known_errors']} | "
            f"{r['number_forms_kept']} of {r['number_forms']} | {r['fix_edits_right']} / {r['fix_edits_wrong']} | {r['truth_words_lost']} | "
            f"{r['truth_as_captions_changed']} | {_pct(r['der'])} | {roles} of {len(r['speakers'])} | "
            f"{names.count('right')} / {names.count('partial')} / {names.count('wrong')} / {names.count('empty')} |")
    for label, group in (("**rendered items**", [r for r in results if r["kind"] == "rendered"]),
                         ("**recorded items**", [r for r in results if r["kind"] == "recorded"]),
                         ("**all**", results)):
        if not group:
            continue
        words = sum(r["truth_words"] for r in group)
        spk = [s for r in group for s in r["speakers"]]
        names = [name_verdict(s["name"], s["hyp_name"]) for s in spk]
        dur = sum(r["duration"] for r in group)
        der = sum(r["der"] * r["duration"] for r in group) / dur
        lines.append(
            f"| {label} | {dur:.0f} | {_pct(sum(r['caption_errors'] for r in group) / words)} → {_pct(sum(r['fixed_errors'] for r in group) / words)} | "
            f"{_pct(sum(r['asr_wer'] * r['truth_words'] for r in group) / words)} | "
            f"{sum(r['known_fixed'] for r in group)} / {sum(r['known_suspected'] for r in group)} / {sum(r['known_missed'] for r in group)} of {sum(r['known_errors'] for r in group)} | "
            f"{sum(r['number_forms_kept'] for r in group)} of {sum(r['number_forms'] for r in group)} | "
            f"{sum(r['fix_edits_right'] for r in group)} / {sum(r['fix_edits_wrong'] for r in group)} | {sum(r['truth_words_lost'] for r in group)} | "
            f"{sum(r['truth_as_captions_changed'] for r in group)} | {_pct(der)} (time-weighted) | "
            f"{sum(s['role_right'] for s in spk)} of {len(spk)} | {names.count('right')} / {names.count('partial')} / {names.count('wrong')} / {names.count('empty')} |")
    lines += ["", "Columns: WER with retranscribe.wer's normaliser over the item's truth; known errors from the item script "
              "(retranscribe.scoring.known_error_outcomes; number forms, e.g. 'eleven thousand' vs '11,000', are equal after "
              "normalising and are counted apart: kept = the truth's form still reads the same in the fixed captions); "
              "fix edits = differences between captions and fixed captions, right when they gain truth words and lose none, "
              "wrong when they change a caption word that equalled the truth; truth words lost = truth words the captions had and "
              "the fixed captions lack; truth as captions = the same run with the truth text as the captions, words changed; "
              "DER without collar against reference.rttm; roles and names per reference speaker through the optimal DER mapping "
              "(a name is right when it equals the reference name, case-insensitively, and a speaker never named is right when left empty; "
              "partial: a proper part of the reference name, e.g. the first name only; wrong: anything else, e.g. a hyphenated surname cut "
              "in half or a title kept).",
              "", "Wrong fix edits, missed known errors and names per item:", ""]
    for r in results:
        bits = []
        if r["wrong_fixes"]:
            bits.append("wrong: " + "; ".join(f"`{w}`" for w in r["wrong_fixes"]))
        if r["missed"]:
            bits.append("missed: " + "; ".join(f"`{m}`" for m in r["missed"]))
        spk = "; ".join(f"{s['speaker']} ({s['role']}, {s['name'] or '—'}) → {s['hyp'] or 'none'} ({s['hyp_role'] or '—'}, {s['hyp_name'] or '—'})"
                        for s in r["speakers"])
        bits.append("speakers: " + spk)
        lines.append(f"- **{r['item']}**: " + " · ".join(bits))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", nargs="*", help="item ids to run (default: every built item)")
    parser.add_argument("--asr-cache", action="store_true", help="reuse each item's ASR and diarization (benchmarks/corpus/asr-cache)")
    parser.add_argument("--set", choices=sorted(ITEM_SETS), default="corpus",
                        help="the corpus items or the held-out ones (default output then results/corpus-heldout.md)")
    parser.add_argument("--model", default="base")
    parser.add_argument("--beam-size", type=int, default=5)
    parser.add_argument("--output", type=Path)
    parser.add_argument("--from-json", type=Path, help="only re-render the table from a saved corpus.json")
    parser.add_argument("--update", action="store_true",
                        help="merge the items run into the existing results (corpus.json beside --output) instead of replacing them")
    args = parser.parse_args()
    config = RunConfig(model=args.model, beam_size=args.beam_size, asr_cache=args.asr_cache, item_set=args.set)
    if args.output is None:
        args.output = ROOT / "benchmarks" / "results" / ("corpus.md" if args.set == "corpus" else f"corpus-{args.set}.md")
    if args.from_json:
        results = json.loads(args.from_json.read_text())
        args.output.write_text(table(results, config))
        print(args.output.read_text())
        return
    items = {p.stem: p for p in ITEM_SETS[args.set].glob("*.json")}
    built = sorted(p.parent.name for p in BUILD.glob("*/item.sha256") if p.parent.name in items)
    ids = [i for i in built if not args.items or i in args.items]
    missing = sorted(set(args.items or []) - set(built))
    if missing:
        raise SystemExit(f"not built: {', '.join(missing)} (run `make corpus`, or scripts/make_corpus.py --set {args.set})")
    if not ids:
        raise SystemExit("no built items: run `make corpus` first")
    results = []
    for item_id in ids:
        started = time.perf_counter()
        r = evaluate(items[item_id], config)
        results.append(r)
        print(f"{item_id}: captions {_pct(r['caption_wer'])} -> fixed {_pct(r['fixed_wer'])}, lost {r['truth_words_lost']}, "
              f"wrong {r['fix_edits_wrong']}, truth changed {r['truth_as_captions_changed']}, DER {_pct(r['der'])} "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
    json_path = args.output.with_suffix(".json")
    if args.update and json_path.exists():
        fresh = {r["item"]: r for r in results}
        kept = [r for r in json.loads(json_path.read_text()) if r["item"] not in fresh and r["item"] in built]
        results = sorted(kept + results, key=lambda r: r["item"])
    text = table(results, config)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    json_path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
