"""The ``retranscribe_batch`` flow: many videos on a GPU workstation, or across many workers.

In-process mode runs each video as a ``retranscribe_video`` subflow in this worker, so models
load once per worker process (the ASR and diarization models are cached per process) and GPU
tasks are serialised by the ``retranscribe-gpu`` tag (``prefect concurrency-limit create
retranscribe-gpu 1``). Fan-out mode starts one ``retranscribe-video`` deployment run per video
with ``run_deployment``: every worker polling the work pool, on any machine, takes a share.
Either way one video's failure is recorded and the rest go on.
"""

from __future__ import annotations

import time
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from flows.manifest import ManifestError, batch_jobs, batch_markdown, batch_summary, completed, failed
from flows.sequence import VideoJob
from flows.settings import RunSettings
from flows.video import retranscribe_video

VIDEO_DEPLOYMENT = "retranscribe-video/retranscribe-video"

__all__ = ["ManifestError", "VIDEO_DEPLOYMENT", "retranscribe_batch"]


@flow(name="retranscribe-batch", log_prints=True)
def retranscribe_batch(
    manifest: str,
    out_dir: str,
    settings: RunSettings = RunSettings(),
    fan_out: bool = False,
    video_deployment: str = VIDEO_DEPLOYMENT,
    use_cache: bool = True,
) -> dict[str, Any]:
    """Re-transcribe every video of a manifest; one sub-folder per video under ``out_dir``.

    Args:
        manifest: text/CSV file of URLs or paths (``source[,captions,info]``), or a playlist URL.
        out_dir: parent folder of the per-video output folders.
        settings: the settings of every video's run (as ``retranscribe_video`` takes them).
        fan_out: start one ``video_deployment`` run per video instead of running them here.
        video_deployment: the deployment fanned out to (``flow-name/deployment-name``).
        use_cache: reuse stage results of earlier runs with the same inputs and code.
    """
    logger = get_run_logger()
    jobs = batch_jobs(manifest, out_dir, settings.source.allow_file_urls)
    if fan_out:
        results = _fan_out(jobs, settings, video_deployment, use_cache)
    else:
        results = []
        for job in jobs:
            state = retranscribe_video(job.source, job.out_dir, job.captions, job.info, settings, use_cache, return_state=True)
            if state.is_completed():
                results.append(completed(job, state.result()))
            else:
                results.append(failed(job, state.message))
                logger.error("%s failed: %s", job.source, state.message)
    summary = batch_summary(results)
    create_markdown_artifact(markdown=batch_markdown(summary), key="retranscribe-batch", description="retranscribe batch summary")
    return summary


def _fan_out(jobs: list[VideoJob], settings: RunSettings, deployment: str, use_cache: bool) -> list[dict[str, Any]]:
    from prefect.deployments import run_deployment

    # timeout=0 starts every run at once; workers share them, then we wait for all.
    started = []
    for job in jobs:
        parameters = dict(source=job.source, out_dir=job.out_dir, captions=job.captions, info=job.info, settings=settings.to_dict(), use_cache=use_cache)
        started.append((job, run_deployment(name=deployment, parameters=parameters, timeout=0, as_subflow=True)))
    return [_wait(job, flow_run.id) for job, flow_run in started]


def _wait(job: VideoJob, flow_run_id) -> dict[str, Any]:
    from prefect import get_client

    with get_client(sync_client=True) as client:
        while True:
            flow_run = client.read_flow_run(flow_run_id)
            if flow_run.state and flow_run.state.is_final():
                break
            time.sleep(2)
    if flow_run.state.is_completed():
        return completed(job, {"flow_run": str(flow_run_id)})
    return {**failed(job, flow_run.state.message), "flow_run": str(flow_run_id)}
