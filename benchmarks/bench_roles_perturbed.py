"""Speaker roles and names on truth turns perturbed the way ASR and diarization perturb them.

    uv run --frozen python benchmarks/bench_roles_perturbed.py [--seeds 10] [--items DIR ...]

``bench_roles.py`` labels perfect turns; the pipeline's turns are not: the ASR drops sentence
ends, diarization boundaries land a word early or late, and faster-whisper writes a
hyphenated name as two words (" Raman" "-Holt"). This labels the truth turns of the corpus
scripts and of the held-out items (benchmarks/roles_heldout) after such perturbations, seeded,
and counts roles right, names right and names that are not the speaker's (a first name alone
counts here too), listing the latter. It checks that a rule keeps working, and keeps giving no
wrong name, on transcripts it was not written on.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_roles import truth_turns  # noqa: E402
from diarize import label_speakers  # noqa: E402
from retranscribe.transcript import Transcript, VideoMetadata, Word, segments_from_words  # noqa: E402

# Share of sentence ends dropped (half of them become commas) and chance of a word moving
# across each turn boundary: about what base did on the corpus.
DROP_SENTENCE_END = 0.3
MOVE_ACROSS_BOUNDARY = 0.3


def perturbed(turns: list[tuple[str, str]], rng: random.Random) -> Transcript:
    pieces: list[tuple[str, list[str]]] = []
    for speaker, text in turns:
        words = []
        for word in text.split():
            if word[-1:] in ".?!" and rng.random() < DROP_SENTENCE_END:
                word = word[:-1] + ("," if rng.random() < 0.5 else "")
            words.append(word)
        pieces.append((speaker, words))
    for (_, this), (_, following) in zip(pieces, pieces[1:]):
        if rng.random() < MOVE_ACROSS_BOUNDARY and len(this) > 3:
            following.insert(0, this.pop())
        elif rng.random() < MOVE_ACROSS_BOUNDARY and len(following) > 3:
            this.append(following.pop(0))
    words, clock = [], 0.0
    for speaker, tokens in pieces:
        for token in tokens:
            for position, part in enumerate(re.split(r"(?<=\w)(?=-[A-Z])", token)):
                words.append(Word(clock, clock + 0.3, (" " if position == 0 else "") + part, 0.9, speaker))
                clock += 0.35
        clock += 0.8
    return Transcript(segments=segments_from_words(words))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--items", nargs="*", type=Path,
                        default=[ROOT / "benchmarks" / "corpus" / "items", ROOT / "benchmarks" / "roles_heldout"])
    args = parser.parse_args()
    total = roles = names = 0
    wrong: list[str] = []
    for folder in args.items:
        for path in sorted(folder.glob("*.json")):
            item = json.loads(path.read_text())
            turns = truth_turns(item, ROOT)
            if not turns:
                continue
            metadata = VideoMetadata(id=item["id"], title=item.get("title") or "", description=item.get("description") or "")
            for seed in range(args.seeds):
                found = {s.id: s for s in label_speakers(perturbed(turns, random.Random(seed)), metadata)}
                for key, truth in item["speakers"].items():
                    if key not in found:
                        continue
                    speaker = found[key]
                    total += 1
                    roles += speaker.role.value == truth["role"]
                    names += speaker.name == truth.get("name")
                    if speaker.name is not None and speaker.name != truth.get("name"):
                        wrong.append(f"{item['id']} seed {seed} {key}: {truth.get('name') or '—'} -> {speaker.name}")
    print("\n".join(wrong))
    print(f"{args.seeds} seeds, {total} speaker labellings: roles right {roles}, names right {names}, "
          f"names not the speaker's {len(wrong)}")


if __name__ == "__main__":
    main()
