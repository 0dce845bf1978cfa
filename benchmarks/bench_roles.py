"""Speaker roles and names on the evaluation corpus, from each item's TRUTH turns.

Perfect words and perfect speakers, so this measures the role and name rules alone
(``diarize.roles.label_speakers``), not ASR or diarization. Per item and overall: roles right,
names right (the truth's name, or no name where the truth has none), wrong names (a name that
is not the speaker's, the one error that must stay at 0) and names left empty.

    uv run --frozen python benchmarks/bench_roles.py [--items DIR ...] [--output FILE]

Items are the corpus scripts (benchmarks/corpus/items/*.json, issue 13) and, as a check that
the rules were not tuned to the corpus, news items written apart from it and from the rules
(benchmarks/roles_heldout/*.json), in the same layout: ``speakers`` with
``name`` and ``role``, ``turns`` with ``speaker`` and ``text`` (rendered items), or a
``reference_stm`` (recorded items), and ``title``/``description`` for the metadata.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_corpus import name_verdict  # noqa: E402  (one definition of a right, partial, wrong or empty name)
from diarize import label_speakers  # noqa: E402
from retranscribe.transcript import Transcript, VideoMetadata, Word, segments_from_words  # noqa: E402


def truth_turns(item: dict, root: Path) -> list[tuple[str, str]]:
    if item.get("turns"):
        return [(t["speaker"], t["text"]) for t in item["turns"]]
    stm = item.get("reference_stm")
    if not stm:
        return []
    turns = []
    for line in (root / stm).read_text().splitlines():
        parts = line.split(maxsplit=5)
        if len(parts) == 6 and not line.startswith(";;"):
            turns.append((parts[2], parts[5]))
    return turns


def transcript_of(turns: list[tuple[str, str]]) -> Transcript:
    """Truth words, 0.3 s each, one speaker per turn; words carry the truth speaker key."""
    words, clock = [], 0.0
    for speaker, text in turns:
        for token in text.split():
            words.append(Word(clock, clock + 0.3, token, speaker=speaker))
            clock += 0.35
        clock += 0.8
    return Transcript(segments=segments_from_words(words))


def score_item(item: dict, root: Path) -> dict:
    turns = truth_turns(item, root)
    metadata = VideoMetadata(
        id=item["id"], title=item.get("title") or "", description=item.get("description") or "", uploader=item.get("uploader") or ""
    )
    found = {s.id: s for s in label_speakers(transcript_of(turns), metadata)}
    rows = []
    for key, truth in item["speakers"].items():
        if key not in found:
            continue  # a speaker the script never gives a turn
        speaker = found[key]
        name, true_name = speaker.name, truth.get("name")
        rows.append(
            {
                "speaker": key,
                "role": speaker.role.value,
                "true_role": truth["role"],
                "name": name,
                "true_name": true_name,
                "role_right": speaker.role.value == truth["role"],
                **{f"name_{verdict}": name_verdict(true_name, name) == verdict for verdict in ("right", "partial", "wrong", "empty")},
            }
        )
    return {"id": item["id"], "rows": rows}


def _pct(count: int, total: int) -> str:
    return f"{100 * count / total:.0f} %" if total else "-"


def _shown(items_dir: Path) -> str:
    parts = items_dir.parts
    return "/".join(parts[parts.index("benchmarks"):]) if "benchmarks" in parts else str(items_dir)


def report(results: list[dict], items_dir: Path, seconds: float) -> str:
    lines = [
        f"## `{_shown(items_dir)}`",
        "",
        f"`benchmarks/bench_roles.py` over {len(results)} items of `{_shown(items_dir)}`:",
        "`label_speakers` on each item's truth turns (perfect words, perfect speakers), with the",
        f"item's title and description as metadata. {seconds:.1f} s in all on this machine (CPU).",
        "A name is right when it is the truth's name (case aside), or empty where the truth has none;",
        "partial when it is a proper part of it (a first name alone); wrong when it names the speaker",
        "otherwise; empty when the truth has a name and the rules gave none.",
        "",
        "| item | speakers | roles right | names right | partial names | wrong names | empty names | misses |",
        "|---|---|---|---|---|---|---|---|",
    ]
    totals = {"n": 0, "roles": 0, "names": 0, "partial": 0, "wrong": 0, "empty": 0}
    for result in results:
        rows = result["rows"]
        n = len(rows)
        roles = sum(r["role_right"] for r in rows)
        names = sum(r["name_right"] for r in rows)
        partial = sum(r["name_partial"] for r in rows)
        wrong = sum(r["name_wrong"] for r in rows)
        empty = sum(r["name_empty"] for r in rows)
        misses = "; ".join(
            f"{r['speaker']}: " + ", ".join(
                part
                for part in (
                    None if r["role_right"] else f"role {r['role']} (truth {r['true_role']})",
                    None if r["name_right"] else f"name {r['name']!r} (truth {r['true_name']!r})",
                )
                if part
            )
            for r in rows
            if not (r["role_right"] and r["name_right"])
        )
        lines.append(f"| {result['id']} | {n} | {roles}/{n} | {names}/{n} | {partial} | {wrong} | {empty} | {misses} |")
        totals["n"] += n
        totals["roles"] += roles
        totals["names"] += names
        totals["partial"] += partial
        totals["wrong"] += wrong
        totals["empty"] += empty
    n = totals["n"]
    lines.append(
        f"| **all** | {n} | {totals['roles']}/{n} ({_pct(totals['roles'], n)}) | {totals['names']}/{n} ({_pct(totals['names'], n)}) "
        f"| {totals['partial']} | {totals['wrong']} | {totals['empty']} | |"
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--items", type=Path, nargs="+", default=[ROOT / "benchmarks" / "corpus" / "items", ROOT / "benchmarks" / "roles_heldout", ROOT / "benchmarks" / "corpus" / "heldout"]
    )
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "roles-truth.md")
    args = parser.parse_args()
    sections = ["# Speaker roles and names on the corpus truth", "", "Goal (issue 14): roles right ≥ 95 %, names right ≥ 90 %, wrong names 0.", ""]
    for items in args.items:
        paths = sorted(items.glob("*.json"))
        if not paths:
            raise SystemExit(f"no items in {items}")
        # Recorded items name their STM relative to the repository that holds the corpus.
        root = items.resolve().parent.parent.parent if items.resolve().parent.name == "corpus" else items.resolve().parent.parent
        started = time.perf_counter()
        results = [score_item(json.loads(path.read_text()), root) for path in paths]
        sections.append(report(results, items.resolve(), time.perf_counter() - started))
    text = "\n".join(sections)
    # Hand-written notes (a "## Notes" section at the end) survive a rerun.
    if args.output.is_file() and "\n## Notes" in args.output.read_text():
        text += "\n## Notes" + args.output.read_text().split("\n## Notes", 1)[1]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
