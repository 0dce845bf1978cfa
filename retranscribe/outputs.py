"""The files a run leaves in its output folder, written atomically, the manifest last.

``run.json`` is written only after every other output is in place: a folder without it (an
interrupted or failed run) is never taken for a finished one.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Sequence

from retranscribe.files import atomic_write_text
from retranscribe.results import RunRecord
from retranscribe.writers import render_rttm, render_srt, render_text, render_vtt

MANIFEST = "run.json"


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def is_complete(folder: str | Path) -> bool:
    return (Path(folder) / MANIFEST).is_file()


def score_json(run: RunRecord) -> dict[str, Any]:
    """score.json: the caption score, and every stage that failed or was skipped."""
    score = run.score.to_dict() if run.score is not None else {"caption_wer_vs_audio": None, "captions": "none"}
    return {**score, "failures": dict(run.failures)}


def write_outputs(folder: str | Path, run: RunRecord, extra_files: Sequence[tuple[str, str]] = ()) -> dict[str, Path]:
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
        "corrections.json": _json([c.to_dict() for c in run.corrections]),
        "score.json": _json(score_json(run)),
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
        "failures": run.failures,
        "audio_file": run.audio_file,
        "files": sorted(written),
    }
    written[MANIFEST] = atomic_write_text(folder / MANIFEST, _json(manifest))
    return written
