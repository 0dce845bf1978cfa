"""Align stage quality on the seed broadcast (issue 6): captions, ASR and fixed captions
against the truth, known caption errors, false corrections, lost words.

    uv run python benchmarks/bench_align.py [--model base] [--beam-size 1 --output PATH]
    uv run python benchmarks/bench_align.py --corpus [--items ID ...] [--half a|b|all]

With ``--corpus`` it measures the fix decisions over the evaluation corpus instead
(``$RETRANSCRIBE_CORPUS``, default ../wt-corpus/benchmarks/corpus or benchmarks/corpus, built
by ``make corpus``): per item captions WER -> fixed WER, wrong fixes, truth words lost, known
errors fixed / suspected / missed, and the same run with the truth given as captions. The ASR
transcript of each item is cached (``--asr-cache DIR``); diarization is left out (speakers do
not enter a fix decision). Writes benchmarks/results/align-corpus.md.

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


# --- the evaluation corpus ---------------------------------------------------------------------

def corpus_root() -> Path:
    import os

    for candidate in (os.environ.get("RETRANSCRIBE_CORPUS"), ROOT / "benchmarks" / "corpus", ROOT.parent / "wt-corpus" / "benchmarks" / "corpus"):
        if candidate and (Path(candidate) / "build").is_dir():
            return Path(candidate)
    raise SystemExit("no built corpus: run `make corpus` (or set RETRANSCRIBE_CORPUS)")


def corpus_items(root: Path) -> list[str]:
    return sorted(p.parent.name for p in (root / "build").glob("*/item.sha256"))


def half_of(item_id: str) -> str:
    """Items split in two halves by their number: thresholds are chosen on half a (odd), checked on b."""
    number = int(item_id.split("-")[0])
    return "a" if number % 2 else "b"


def fix_comparison(truth: str, caption_text: str, fixed_text: str) -> dict:
    """Fix edits against the truth, counted as benchmarks/bench_corpus.py counts them."""
    from dataclasses import asdict

    from bench_corpus import compare_fix

    comparison = asdict(compare_fix(truth, caption_text, fixed_text))
    comparison.pop("gained")
    return comparison


def run_align_stage(audio: Path, captions: Path, info: Path, settings: RunSettings, cache_dir: Path | None = None):
    """The align stage as the flow runs it (fetch of local files, ASR with the video's hints,
    gap repair, fixing), without diarization. The transcript is kept in the pipeline's own
    stage cache under ``cache_dir`` (same key: audio, ASR options, ASR code). Returns (media,
    transcript, aligned)."""
    from flows.sequence import Diarization, StageCache, audio_identity, stage_key

    cache = StageCache(cache_dir, enabled=cache_dir is not None)
    with tempfile.TemporaryDirectory() as work:
        media = fetch_media(VideoJob(str(audio), work, str(captions), str(info)), settings)
        audio_path = str(media.audio_path)
        asr_options = asr_options_for(settings, media)
        key = stage_key("transcribe", audio_identity(audio_path), repr(asr_options))
        hit, transcript = cache.get("transcribe", key)
        if not hit:
            transcript = transcribe_audio(audio_path, asr_options)
            cache.put("transcribe", key, transcript)
        aligned = align_captions(audio_path, media, transcript, Diarization(), settings, asr_options)
        return media, transcript, aligned


def evaluate_item(root: Path, item_id: str, settings: RunSettings, cache_dir: Path | None, with_truth: bool = True) -> dict:
    from retranscribe.wer import normalize, word_errors
    from source import read_captions

    folder = root / "build" / item_id
    item = json.loads((root / "items" / f"{item_id}.json").read_text())
    reference = json.loads((folder / "reference.json").read_text())
    audio = Path(reference["audio"])
    if not audio.is_absolute():
        audio = root.parent.parent / audio
    truth = " ".join(t["text"] for t in reference["turns"])
    _, transcript, aligned = run_align_stage(audio, folder / "captions.en.vtt", folder / "info.json", settings, cache_dir)
    caption_text = read_captions(folder / "captions.en.vtt").text
    fixed_text = " ".join(c.text for c in aligned.fixed_cues) if aligned.fixed_cues else caption_text
    errors = [e for e in item.get("known_errors", []) if normalize(e["caption"]) != normalize(e["truth"])]
    outcomes = known_error_outcomes(errors, fixed_text, aligned.corrections)
    result = {
        "item": item_id,
        "kind": item.get("kind", "rendered"),
        "truth_words": word_errors(truth, caption_text).reference_words,
        "caption_wer": wer(truth, caption_text),
        "fixed_wer": wer(truth, fixed_text),
        "asr_wer": wer(truth, aligned.transcript.text),
        "known": len(errors),
        "known_fixed": outcomes.count("fixed"),
        "known_suspected": outcomes.count("suspected"),
        "missed": [e["caption"] for e, o in zip(errors, outcomes) if o == "missed"],
        **fix_comparison(truth, caption_text, fixed_text),
        "decisions": [(c.caption, c.fixed, c.status.value, c.evidence) for c in aligned.corrections],
    }
    if with_truth:
        from bench_corpus import truth_vtt

        with tempfile.TemporaryDirectory() as tmp:
            tvtt = Path(tmp) / "truth.en.vtt"
            truth_vtt(reference, tvtt)
            _, _, truth_run = run_align_stage(audio, tvtt, folder / "info.json", settings, cache_dir)
        truth_fixed = " ".join(c.text for c in truth_run.fixed_cues)
        changed = word_errors(truth, truth_fixed)
        result["truth_changed"] = changed.substitutions + changed.deletions + changed.insertions
        result["truth_changes"] = [(c.caption, c.fixed) for c in truth_run.corrections if c.status is CorrectionStatus.FIXED]
    return result


def corpus_table(results: list[dict], settings: RunSettings) -> str:
    pct = lambda x: f"{100 * x:.1f} %"
    lines = [
        f"Fix decisions on the evaluation corpus, model {settings.asr.model}, beam {settings.asr.beam_size}, "
        f"{time.strftime('%Y-%m-%d')}; `benchmarks/bench_align.py --corpus` (align stage through flows.sequence, no diarization). "
        "Half a = odd item numbers (thresholds chosen there), half b = even (checked).",
        "",
        "| item | half | captions WER → fixed WER | ASR WER | known fixed / suspected / missed | fix edits right / wrong | truth words lost | truth as captions: changed words |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        goal = "" if r["kind"] != "rendered" or (r["fixed_wer"] <= r["caption_wer"] / 2 if r["caption_wer"] else r["fixed_wer"] == 0) else " ✗"
        lines.append(
            f"| {r['item']} | {half_of(r['item'])} | {pct(r['caption_wer'])} → {pct(r['fixed_wer'])}{goal} | {pct(r['asr_wer'])} | "
            f"{r['known_fixed']} / {r['known_suspected']} / {len(r['missed'])} of {r['known']} | {r['right']} / {r['wrong']} | {r['lost']} | "
            f"{r.get('truth_changed', '—')} |")
    for label, group in (("**half a**", [r for r in results if half_of(r["item"]) == "a"]), ("**half b**", [r for r in results if half_of(r["item"]) == "b"]), ("**all**", results)):
        if not group:
            continue
        words = sum(r["truth_words"] for r in group)
        lines.append(
            f"| {label} | | {pct(sum(r['caption_wer'] * r['truth_words'] for r in group) / words)} → "
            f"{pct(sum(r['fixed_wer'] * r['truth_words'] for r in group) / words)} | {pct(sum(r['asr_wer'] * r['truth_words'] for r in group) / words)} | "
            f"{sum(r['known_fixed'] for r in group)} / {sum(r['known_suspected'] for r in group)} / {sum(len(r['missed']) for r in group)} of {sum(r['known'] for r in group)} | "
            f"{sum(r['right'] for r in group)} / {sum(r['wrong'] for r in group)} | {sum(r['lost'] for r in group)} | {sum(r.get('truth_changed', 0) for r in group)} |")
    lines += ["", "✗: fixed WER above half the captions' WER (a rendered item's goal).", "", "Wrong fixes and missed known errors:", ""]
    for r in results:
        bits = []
        if r["wrong_examples"]:
            bits.append("wrong: " + "; ".join(f"`{w}`" for w in r["wrong_examples"]))
        if r["missed"]:
            bits.append("missed: " + "; ".join(f"`{m}`" for m in r["missed"]))
        if r.get("truth_changes"):
            bits.append("truth changed: " + "; ".join(f"`{a} → {b}`" for a, b in r["truth_changes"]))
        if bits:
            lines.append(f"- **{r['item']}**: " + " · ".join(bits))
    return "\n".join(lines) + "\n"


def corpus_main(args) -> None:
    root = corpus_root()
    settings = RunSettings().with_values({"asr.model": args.model, "asr.beam_size": args.beam_size})
    ids = [i for i in corpus_items(root) if (not args.items or i in args.items) and (args.half == "all" or half_of(i) == args.half)]
    results = []
    for item_id in ids:
        started = time.perf_counter()
        r = evaluate_item(root, item_id, settings, args.asr_cache, with_truth=not args.no_truth)
        results.append(r)
        print(f"{item_id}: captions {r['caption_wer']:.1%} -> fixed {r['fixed_wer']:.1%}, wrong {r['wrong']} {r['wrong_examples']}, "
              f"lost {r['lost']}, missed {r['missed']}, truth changed {r.get('truth_changed')} {r.get('truth_changes')} "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
        if args.verbose:
            for d in r["decisions"]:
                print("   ", d, flush=True)
    text = corpus_table(results, settings)
    print(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text)
        args.output.with_suffix(".json").write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", action="store_true", help="measure over the evaluation corpus instead of the seed broadcast")
    parser.add_argument("--items", nargs="*")
    parser.add_argument("--half", choices=("a", "b", "all"), default="all")
    parser.add_argument("--asr-cache", type=Path, default=Path.home() / ".cache" / "retranscribe" / "align-corpus-asr")
    parser.add_argument("--no-truth", action="store_true", help="skip the truth-as-captions run")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--model", default="base")
    parser.add_argument("--beam-size", type=int, default=5)
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args()
    if args.corpus:
        if args.output is None:
            args.output = ROOT / "benchmarks" / "results" / "align-corpus.md"
        return corpus_main(args)
    if args.output is None:
        args.output = ROOT / "benchmarks" / "results" / "align.md"
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
