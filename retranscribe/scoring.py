"""Captions against a reference transcript a person trusts (``retranscribe score``).

WER uses the same normaliser as everything else (retranscribe.wer); cpWER (meeteval's
concatenated minimum-permutation WER) is added when both sides say who speaks.
"""

from __future__ import annotations

import json
from pathlib import Path

from retranscribe.errors import InputError
from retranscribe.results import Correction, CorrectionStatus
from retranscribe.transcript import CaptionTrack
from retranscribe.wer import normalize, word_errors


def read_reference(path: str | Path) -> tuple[str, dict[str, str]]:
    """Reference text, and text per speaker when the reference has speakers: reference.json
    style ({"turns": [{"speaker", "text"}]}), NIST STM, or plain text (no speakers)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such reference file")
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: the reference is not UTF-8 text") from None
    turns: list[tuple[str, str]] = []  # (speaker, text) in spoken order
    if path.suffix == ".json":
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            raise InputError(f"{path}: not valid JSON ({error.msg}, line {error.lineno})") from None
        entries = data.get("turns", data.get("segments", [])) if isinstance(data, dict) else data
        turns = [(str(t.get("speaker")), t.get("text", "")) for t in entries]
    elif path.suffix == ".stm":
        rows = [line.split(maxsplit=5) for line in raw.splitlines() if line.strip() and not line.startswith(";;")]
        turns = [(r[2], r[5]) for r in sorted((r for r in rows if len(r) == 6), key=lambda r: float(r[3]))]
    else:
        return raw, {}
    per_speaker: dict[str, list[str]] = {}
    for speaker, text in turns:
        per_speaker.setdefault(speaker, []).append(text)
    return " ".join(text for _, text in turns), {s: " ".join(parts) for s, parts in per_speaker.items()}


def score_against_reference(track: CaptionTrack, reference_path: str | Path) -> dict[str, float | int]:
    reference, reference_by_speaker = read_reference(reference_path)
    if not normalize(reference).split():
        raise InputError(f"{reference_path}: the reference has no words")
    errors = word_errors(reference, track.text)
    result: dict[str, float | int] = {
        "WER": errors.wer,
        "substitutions": errors.substitutions,
        "deletions": errors.deletions,
        "insertions": errors.insertions,
        "reference words": errors.reference_words,
    }
    hypothesis_by_speaker: dict[str, list[str]] = {}
    for cue in track.cues:
        if cue.speaker is not None:
            hypothesis_by_speaker.setdefault(cue.speaker, []).append(cue.text)
    if reference_by_speaker and hypothesis_by_speaker:
        from meeteval.wer import cp_word_error_rate

        cp = cp_word_error_rate(
            {s: normalize(t) for s, t in reference_by_speaker.items()},
            {s: normalize(" ".join(t)) for s, t in hypothesis_by_speaker.items()},
        )
        result["cpWER"] = float(cp.error_rate)
        result["speakers (reference / captions)"] = f"{len(reference_by_speaker)} / {len(hypothesis_by_speaker)}"
    return result


def known_error_outcomes(errors: list[dict], fixed_text: str, corrections: list[Correction]) -> list[str]:
    """For each known caption error ``{"caption": ..., "truth": ...}`` (phrases with some
    context), whether the fixed captions ``fixed`` it (the truth phrase is there and the caption
    phrase is gone), list it as ``suspected`` (a suspected correction covers its wrong words),
    or ``missed`` it. Phrases are compared as whole normalised words."""
    fixed = f" {normalize(fixed_text)} "
    suspected = [f" {normalize(c.caption)} " for c in corrections if c.status is CorrectionStatus.SUSPECTED]
    outcomes = []
    for error in errors:
        truth, caption = normalize(error["truth"]), normalize(error["caption"])
        wrong = [w for w in caption.split() if w not in truth.split()]
        if f" {truth} " in fixed and f" {caption} " not in fixed:
            outcomes.append("fixed")
        elif wrong and any(all(f" {w} " in s for w in wrong) for s in suspected):
            outcomes.append("suspected")
        else:
            outcomes.append("missed")
    return outcomes
