"""Speaker roles and names on the evaluation corpus again, from the last full run's transcripts.

    uv run --frozen python benchmarks/relabel_corpus.py [--items ID ...] [--verbose]

``bench_corpus.py`` runs the whole pipeline; after an edit to diarize/ its first run re-diarizes
every item (the diarize stage's cache key hashes the package's code), which takes minutes on 2
cores. The speaker labels need none of that: they are a function of the speaker-labelled,
gap-repaired transcript (build/<id>/bench/captions/transcript.json, which neither diarization nor
the label rules change), the captions and the metadata. This script re-runs only
``diarize.label_speakers`` on those files and scores each reference speaker through the DER
mapping the last full run recorded (build/<id>/bench/result.json), in seconds. Confirm with
``bench_corpus.py``: the figures agree as long as the ASR, the diarization and the gap repair
are unchanged since that run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_corpus import BUILD, name_verdict  # noqa: E402
from diarize import label_speakers  # noqa: E402
from retranscribe.transcript import Speaker, Transcript  # noqa: E402
from source import load_info_json, read_captions  # noqa: E402


def relabel(item_id: str) -> list[dict]:
    folder = BUILD / item_id
    run = folder / "bench" / "captions"
    transcript = Transcript.read(run / "transcript.json")
    transcript.speakers = [Speaker(id=s.id) for s in transcript.speakers]
    speakers = {s.id: s for s in label_speakers(transcript, load_info_json(folder / "info.json"), read_captions(folder / "captions.en.vtt"))}
    rows = []
    for row in json.loads((folder / "bench" / "result.json").read_text())["speakers"]:
        found = speakers.get(row["hyp"])
        role = found.role.value if found else None
        name = found.name if found else None
        rows.append({**row, "hyp_role": role, "hyp_name": name, "role_right": role == row["role"],
                     "name_verdict": name_verdict(row["name"], name), "evidence": found.evidence if found else []})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", nargs="*")
    parser.add_argument("--verbose", action="store_true", help="print the evidence of every speaker not right")
    args = parser.parse_args()
    ids = sorted(p.parent.parent.parent.name for p in BUILD.glob("*/bench/captions/transcript.json"))
    ids = [i for i in ids if not args.items or i in args.items]
    total, roles, verdicts = 0, 0, []
    for item_id in ids:
        rows = relabel(item_id)
        total += len(rows)
        roles += sum(r["role_right"] for r in rows)
        verdicts += [r["name_verdict"] for r in rows]
        for r in rows:
            ok = r["role_right"] and r["name_verdict"] == "right"
            mark = "  " if ok else "XX"
            print(f"{mark} {item_id} {r['speaker']} ({r['role']}, {r['name'] or '—'}) → {r['hyp'] or 'none'} "
                  f"({r['hyp_role'] or '—'}, {r['hyp_name'] or '—'}) [{r['name_verdict']}]")
            if args.verbose and not ok:
                for e in r["evidence"]:
                    print("       ", json.dumps(e, ensure_ascii=False)[:240])
    print(f"roles {roles}/{total}; names right {verdicts.count('right')}, partial {verdicts.count('partial')}, "
          f"wrong {verdicts.count('wrong')}, empty {verdicts.count('empty')} of {total}")


if __name__ == "__main__":
    main()
