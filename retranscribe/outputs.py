"""The files a run leaves in its output folder, written atomically, the manifest last.

``run.json`` is written only after every other output is in place: a folder without it (an
interrupted or failed run) is never taken for a finished one.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from retranscribe.files import atomic_write_text
from retranscribe.transcript import CaptionCue, SpeakerTurn, Transcript, VideoMetadata
from retranscribe.writers import render_rttm, render_srt, render_text, render_vtt

MANIFEST = "run.json"


@dataclass
class RunOutputs:
    """Everything a finished run knows, as the writers and the report need it."""

    metadata: VideoMetadata
    transcript: Transcript
    fixed_cues: list[CaptionCue]
    corrections: list[dict[str, Any]]
    score: dict[str, Any]
    turns: list[SpeakerTurn] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    audio_file: str | None = None
    # Stages whose result came from Prefect's cache (a re-run resuming after a crash).
    cached_stages: list[str] = field(default_factory=list)


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def is_complete(folder: str | Path) -> bool:
    return (Path(folder) / MANIFEST).is_file()


def write_outputs(folder: str | Path, run: RunOutputs, extra_files: Sequence[tuple[str, str]] = ()) -> dict[str, Path]:
    """Write every output of a run into ``folder`` and return name -> path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).unlink(missing_ok=True)  # a re-run is not complete until it says so
    speakers = run.transcript.speakers
    files = {
        "transcript.json": run.transcript.to_json() + "\n",
        "captions.fixed.vtt": render_vtt(run.fixed_cues, speakers),
        "captions.fixed.srt": render_srt(run.fixed_cues, speakers),
        "captions.fixed.txt": render_text(run.fixed_cues),
        "corrections.json": _json(run.corrections),
        "score.json": _json(run.score),
        "diarization.rttm": render_rttm(run.turns, uri=run.metadata.id),
        **dict(extra_files),
    }
    written = {name: atomic_write_text(folder / name, text) for name, text in files.items()}
    manifest = {
        "video": run.metadata.to_dict(),
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "settings": run.settings,
        "timings_seconds": {k: round(v, 2) for k, v in run.timings.items()},
        "cached_stages": run.cached_stages,
        "audio_file": run.audio_file,
        "files": sorted(written),
    }
    written[MANIFEST] = atomic_write_text(folder / MANIFEST, _json(manifest))
    return written
