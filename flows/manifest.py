"""Batch manifests: the list of videos a batch runs, and the summary it reports. Plain
functions (no Prefect), shared by the batch flow and the CLI's run without a Prefect API."""

from __future__ import annotations

import csv
import io
import os
from functools import partial
from pathlib import Path
from typing import Any, Callable

from flows.sequence import VideoJob
from retranscribe.errors import InputError, one_line
from retranscribe.files import safe_name


class ManifestError(InputError):
    """The manifest cannot be read."""


def read_manifest(manifest: str, allow_file_urls: bool = False) -> list[tuple[str, str | None, str | None]]:
    """Entries ``(source, captions, info)`` of a manifest: a text file of URLs or paths (one a
    line, ``#`` comments), a CSV with columns ``source[,captions,info]``, or a playlist URL
    expanded by yt-dlp."""
    if "://" in manifest and not Path(manifest).exists():
        from source import expand

        return [(url, None, None) for url in expand(manifest, allow_file_urls=allow_file_urls)]
    path = Path(manifest)
    if not path.is_file():
        raise ManifestError(f"{manifest}: no such manifest file")
    try:
        text = path.read_text(encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ManifestError(f"{manifest}: the manifest is not UTF-8 text") from None
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise ManifestError(f"{manifest}: the manifest lists no videos")
    base = path.resolve().parent
    entries = []
    for row in csv.reader(io.StringIO("\n".join(lines))):
        if row and row[0].strip().lower() == "source":
            continue  # header
        cells = [c.strip() or None for c in row] + [None, None]
        source, captions, info = (_resolve(cell, base) for cell in cells[:3])
        if source is None:
            raise ManifestError(f"{manifest}: a row has no source: {','.join(row)!r}")
        entries.append((source, captions, info))
    return entries


def _resolve(cell: str | None, base: Path) -> str | None:
    """Relative paths in a manifest are relative to the manifest, not to the current folder."""
    if cell is None or "://" in cell or Path(cell).is_absolute():
        return cell
    return str(base / cell)


def batch_jobs(manifest: str, out_dir: str, allow_file_urls: bool = False) -> list[VideoJob]:
    """One job per entry, each with its own numbered output folder under ``out_dir``."""
    jobs = []
    for index, (source, captions, info) in enumerate(read_manifest(manifest, allow_file_urls)):
        stem = Path(source.rstrip("/")).stem if "://" not in source else source.rstrip("/").rsplit("/", 1)[-1]
        folder = str(Path(out_dir) / f"{index + 1:03d}-{safe_name(stem)}")
        jobs.append(VideoJob(source, folder, captions, info))
    return jobs


def completed(job: VideoJob, headline: dict[str, Any]) -> dict[str, Any]:
    return {**headline, "source": job.source, "status": "completed", "out_dir": job.out_dir}


def failed(job: VideoJob, message: str | None) -> dict[str, Any]:
    return {"source": job.source, "status": "failed", "out_dir": job.out_dir, "error": one_line(message or "failed")}


def run_jobs(jobs: list[VideoJob], run_one: Callable[[VideoJob], dict[str, Any]], workers: int = 1) -> dict[str, Any]:
    """Run every job; one job's input or stage error is recorded and the rest go on.

    ``workers`` > 1 runs the jobs in that many worker processes (spawned), each loading the
    models once and taking videos in turn; ``run_one`` must then be picklable (a module-level
    function or a ``functools.partial`` of one). Processes, not threads: on a GPU the stages'
    Python work (pyannote's per-chunk embedding loop, alignment) holds the GIL, and threads
    sharing one process measured at most 1.08x one video at a time (benchmarks/results/gpu.md).
    A worker process that dies (killed, out of memory) fails its own video, not the batch. The
    results keep the manifest's order."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    attempt = partial(_attempt, run_one)
    if workers == 1 or len(jobs) < 2:
        return batch_summary([attempt(job) for job in jobs])
    results = _in_processes(jobs, attempt, workers)
    # A worker that dies (killed, out of memory) breaks the whole pool: every video it had not
    # finished fails with it. Each of those runs again alone, so only the one that kills its
    # process is recorded as failed.
    for index, result in enumerate(results):
        if result is None:
            results[index] = _in_processes([jobs[index]], attempt, 1)[0] or failed(jobs[index], "its worker process died")
    return batch_summary(results)


def _in_processes(jobs: list[VideoJob], attempt, workers: int) -> list[dict[str, Any] | None]:
    """Each job's result from a pool of worker processes; None for a job the pool broke under."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # spawn: a fork of a process that holds CUDA, OpenMP or Prefect threads is unsafe.
    context = multiprocessing.get_context("spawn")
    results: list[dict[str, Any] | None] = []
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context, initializer=_quiet_worker) as pool:
        futures = [pool.submit(attempt, job) for job in jobs]
        for future in futures:
            try:
                results.append(future.result())
            except BrokenProcessPool:
                results.append(None)
    return results


def _quiet_worker() -> None:
    # One terminal, many processes: only the parent prints (the summary); no progress bars.
    os.environ["RETRANSCRIBE_PROGRESS"] = "0"


def _attempt(run_one: Callable[[VideoJob], dict[str, Any]], job: VideoJob) -> dict[str, Any]:
    try:
        return completed(job, run_one(job))
    except Exception as error:
        return failed(job, str(error) or type(error).__name__)


def batch_summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "videos": len(results),
        "completed": sum(r["status"] == "completed" for r in results),
        "failed": sum(r["status"] != "completed" for r in results),
        "results": results,
    }


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


__all__ = ["ManifestError", "batch_jobs", "batch_markdown", "batch_summary", "completed", "failed", "read_manifest", "run_jobs"]
