"""Writers for the shared model: SRT, WebVTT (with ``<v Name>`` voice tags), RTTM, plain text."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Iterable, Sequence

from retranscribe.files import atomic_write_text
from retranscribe.transcript import CaptionCue, Speaker, SpeakerTurn


def format_timestamp(seconds: float, decimal: str = ".") -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{decimal}{millis:03d}"


def _timed(cues: Iterable[CaptionCue]) -> list[CaptionCue]:
    timed = [c for c in cues if c.start is not None and c.end is not None and c.text.strip()]
    untimed = [c for c in cues if (c.start is None or c.end is None) and c.text.strip()]
    if untimed:
        raise ValueError(f"{len(untimed)} cue(s) have no times; align them before writing a timed format")
    return timed


def _speaker_labels(speakers: Sequence[Speaker]) -> dict[str, str]:
    return {s.id: s.label for s in speakers}


def render_srt(cues: Iterable[CaptionCue], speakers: Sequence[Speaker] = ()) -> str:
    labels = _speaker_labels(speakers)
    blocks = []
    for index, cue in enumerate(_timed(cues), start=1):
        text = cue.text.strip()
        if cue.speaker is not None and cue.speaker in labels:
            text = f"[{labels[cue.speaker]}] {text}"
        blocks.append(
            f"{index}\n{format_timestamp(cue.start, ',')} --> {format_timestamp(cue.end, ',')}\n{text}\n"
        )
    return "\n".join(blocks)


def render_vtt(cues: Iterable[CaptionCue], speakers: Sequence[Speaker] = ()) -> str:
    labels = _speaker_labels(speakers)
    blocks = ["WEBVTT\n"]
    for cue in _timed(cues):
        text = html.escape(cue.text.strip(), quote=False)
        if cue.speaker is not None:
            voice = labels.get(cue.speaker, cue.speaker).replace(">", "")
            text = f"<v {voice}>{text}"
        blocks.append(f"{format_timestamp(cue.start)} --> {format_timestamp(cue.end)}\n{text}\n")
    return "\n".join(blocks)


def render_rttm(turns: Iterable[SpeakerTurn], uri: str = "audio") -> str:
    uri = uri.replace(" ", "_") or "audio"
    lines = [
        f"SPEAKER {uri} 1 {t.start:.3f} {t.end - t.start:.3f} <NA> <NA> {t.speaker.replace(' ', '_')} <NA> <NA>"
        for t in sorted(turns, key=lambda t: t.start)
        if t.end > t.start
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def render_text(cues: Iterable[CaptionCue]) -> str:
    return " ".join(c.text.strip() for c in cues if c.text.strip()) + "\n"


def write_srt(path: str | Path, cues: Iterable[CaptionCue], speakers: Sequence[Speaker] = ()) -> Path:
    return atomic_write_text(path, render_srt(cues, speakers))


def write_vtt(path: str | Path, cues: Iterable[CaptionCue], speakers: Sequence[Speaker] = ()) -> Path:
    return atomic_write_text(path, render_vtt(cues, speakers))


def write_rttm(path: str | Path, turns: Iterable[SpeakerTurn], uri: str = "audio") -> Path:
    return atomic_write_text(path, render_rttm(turns, uri))


def write_text(path: str | Path, cues: Iterable[CaptionCue]) -> Path:
    return atomic_write_text(path, render_text(cues))
