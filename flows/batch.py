"""The ``retranscribe_batch`` flow: many videos on a GPU workstation, or across many workers.

In-process mode runs each video as a subflow in this worker, so models load once per worker
process (the ASR and diarization models are cached per process) and GPU tasks are serialised
by the ``retranscribe-gpu`` tag (``prefect concurrency-limit create retranscribe-gpu 1``).
Fan-out mode starts one ``retranscribe-video`` deployment run per video with
``run_deployment``: every worker polling the work pool, on any machine, takes a share.
Either way one video's failure is recorded and the rest go on.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from flows.video import retranscribe_video
from retranscribe.files import safe_name

VIDEO_DEPLOYMENT = "retranscribe-video/retranscribe-video"


@dataclass
class BatchEntry:
    source: str
    captions: str | None = None
    info: str | None = None


class ManifestError(ValueError):
    """The manifest cannot be read."""


def read_manifest(manifest: str) -> list[BatchEntry]:
    """Entries of a manifest: a text file of URLs or paths (one a line, ``#`` comments), a CSV
    with columns ``source[,captions,info]``, or a playlist URL expanded by yt-dlp."""
    if "://" in manifest and not Path(manifest).exists():
        from source import expand

        return [BatchEntry(url) for url in expand(manifest)]
    path = Path(manifest)
    if not path.is_file():
        raise ManifestError(f"{manifest}: no such manifest file")
    text = path.read_text(encoding="utf-8", errors="strict")
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise ManifestError(f"{manifest}: the manifest lists no videos")
    base = path.resolve().parent
    entries = []
    for row in csv.reader(io.StringIO("\n".join(lines))):
        if row and row[0].strip().lower() == "source":
            continue  # header
        cells = [c.strip() or None for c in row] + [None, None]
        entries.append(BatchEntry(*(_resolve(cell, base) for cell in cells[:3])))
    return entries


def _resolve(cell: str | None, base: Path) -> str | None:
    """Relative paths in a manifest are relative to the manifest, not to the current folder."""
    if cell is None or "://" in cell or Path(cell).is_absolute():
        return cell
    return str(base / cell)


def _entry_folder(out_dir: str, index: int, entry: BatchEntry) -> str:
    stem = Path(entry.source.rstrip("/")).stem if "://" not in entry.source else entry.source.rstrip("/").rsplit("/", 1)[-1]
    return str(Path(out_dir) / f"{index + 1:03d}-{safe_name(stem)}")


@flow(name="retranscribe-batch", log_prints=True)
def retranscribe_batch(
    manifest: str,
    out_dir: str,
    model: str = "base",
    device: str = "auto",
    fan_out: bool = False,
    video_deployment: str = VIDEO_DEPLOYMENT,
) -> dict[str, Any]:
    """Re-transcribe every video of a manifest; one sub-folder per video under ``out_dir``.

    Args:
        manifest: text/CSV file of URLs or paths, or a playlist URL.
        out_dir: parent folder of the per-video output folders.
        model: Whisper model for every video.
        device: auto, cpu or cuda.
        fan_out: start one ``video_deployment`` run per video instead of running them here.
        video_deployment: the deployment fanned out to (``flow-name/deployment-name``).
    """
    logger = get_run_logger()
    entries = read_manifest(manifest)
    jobs = []
    for index, entry in enumerate(entries):
        folder = _entry_folder(out_dir, index, entry)
        parameters = dict(source=entry.source, out_dir=folder, captions=entry.captions, info=entry.info, model=model, device=device)
        jobs.append((entry, folder, parameters))
    results: list[dict[str, Any]] = []
    if fan_out:
        results = _fan_out(jobs, video_deployment)
    else:
        for entry, folder, parameters in jobs:
            state = retranscribe_video(**parameters, return_state=True)
            if state.is_completed():
                results.append({"source": entry.source, "status": "completed", "out_dir": folder, **state.result()})
            else:
                results.append({"source": entry.source, "status": "failed", "out_dir": folder, "error": _one_line(state.message)})
                logger.error("%s failed: %s", entry.source, state.message)
    summary = {
        "videos": len(results),
        "completed": sum(r["status"] == "completed" for r in results),
        "failed": sum(r["status"] != "completed" for r in results),
        "results": results,
    }
    create_markdown_artifact(markdown=batch_markdown(summary), key="retranscribe-batch", description="retranscribe batch summary")
    return summary


def _fan_out(jobs, deployment: str) -> list[dict[str, Any]]:
    from prefect.deployments import run_deployment

    # timeout=0 starts every run at once; workers share them, then we wait for all.
    started = [(entry, folder, run_deployment(name=deployment, parameters=parameters, timeout=0, as_subflow=True)) for entry, folder, parameters in jobs]
    return [_wait(entry, folder, flow_run.id) for entry, folder, flow_run in started]


def _wait(entry: BatchEntry, folder: str, flow_run_id) -> dict[str, Any]:
    from prefect import get_client

    with get_client(sync_client=True) as client:
        while True:
            flow_run = client.read_flow_run(flow_run_id)
            if flow_run.state and flow_run.state.is_final():
                break
            time.sleep(2)
    status = "completed" if flow_run.state.is_completed() else "failed"
    result: dict[str, Any] = {"source": entry.source, "status": status, "out_dir": folder, "flow_run": str(flow_run_id)}
    if status != "completed":
        result["error"] = _one_line(flow_run.state.message)
    return result


def _one_line(message: str | None) -> str:
    return (message or "failed").strip().splitlines()[0][:300]


def batch_markdown(summary: dict[str, Any]) -> str:
    lines = [
        f"# retranscribe batch: {summary['completed']} of {summary['videos']} completed",
        "",
        "| video | status | caption WER vs audio | corrections | output / error |",
        "|---|---|---|---|---|",
    ]
    for r in summary["results"]:
        wer = r.get("caption_wer_vs_audio")
        detail = r["out_dir"] if r["status"] == "completed" else r.get("error", "")
        lines.append(
            f"| {r['source']} | {r['status']} | {'' if wer is None else f'{wer:.1%}'} | {r.get('corrections', '')} | {detail} |".replace("\n", " ")
        )
    return "\n".join(lines) + "\n"
