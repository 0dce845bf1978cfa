"""The ``retranscribe_video`` flow: the stage sequence (flows.sequence) with each stage run as
a Prefect task — retries for transient fetch failures, the ``retranscribe-gpu`` tag on the
stages that run on a GPU, task runs and a Markdown summary in the UI. The sequence's own stage
cache makes a re-run resume from the stages that finished, with or without Prefect.
"""

from __future__ import annotations

import re
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from flows.sequence import StageCache, VideoJob, run_video
from flows.settings import RunSettings
from retranscribe.errors import InputError

GPU_TAG = "retranscribe-gpu"


def _retry_unless_input_error(task, task_run, state) -> bool:
    """Retry transient failures only: bad input fails the same way every time."""
    try:
        state.result()
    except InputError:
        return False
    except Exception:
        return True
    return False


def gpu_stages(settings: RunSettings) -> frozenset[str]:
    """The stages that run on a GPU with these settings: they carry the ``retranscribe-gpu``
    tag, which `prefect concurrency-limit create retranscribe-gpu 1` serialises on a workstation
    with one GPU. Stages on the CPU go untagged: Prefect asks the API for a concurrency slot for
    every tagged task run, limit or not, 0.8 s each on 2 cores (measured with cProfile)."""
    from retranscribe.devices import resolve_device

    stages = set()
    if resolve_device(settings.asr.device) == "cuda":
        stages |= {"transcribe", "align"}  # align re-decodes spans with the ASR models
    if resolve_device(settings.diarize.device) == "cuda":
        stages.add("diarize")
    return frozenset(stages)


def stage_runner(settings: RunSettings):
    """The sequence's stage runner inside a flow: each stage is a Prefect task run."""
    tagged = gpu_stages(settings)

    def run_as_task(name: str, function, *args):
        # The sequence's StageCache does the caching (the same with or without Prefect).
        options: dict[str, Any] = {"name": name, "tags": [GPU_TAG] if name in tagged else [], "cache_policy": NO_CACHE, "persist_result": False}
        if name == "fetch":
            options.update(retries=2, retry_delay_seconds=[2, 10], retry_condition_fn=_retry_unless_input_error)
        return task(function, **options)(*args)

    return run_as_task


@flow(name="retranscribe-video", log_prints=True)
def retranscribe_video(
    source: str,
    out_dir: str,
    captions: str | None = None,
    info: str | None = None,
    settings: RunSettings = RunSettings(),
    use_cache: bool = True,
) -> dict[str, Any]:
    """Re-transcribe one video or audio file and fix its captions.

    Args:
        source: a video URL (anything yt-dlp extracts) or a local audio/video file.
        out_dir: where the outputs go (transcript.json, captions.fixed.*, report.html, ...).
        captions: a local caption file (VTT, SRT, json3, srv3 or plain text) to use instead of
            downloaded captions.
        info: a yt-dlp style .info.json giving title and description for a local file.
        settings: every setting of the run, nested per stage (source, asr, diarize, fix); see
            ``retranscribe run --help`` for the common ones. A hub token is never a parameter:
            ``settings.diarize.hf_token_env`` names the environment variable holding it.
        use_cache: reuse stage results of an earlier run with the same inputs and code.
    """
    from report.summary import summary_markdown

    logger = get_run_logger()
    record, files = run_video(VideoJob(source, out_dir, captions, info), settings, runner=stage_runner(settings), cache=StageCache(enabled=use_cache))
    if record.failures.get("diarize"):
        logger.warning("diarization failed, speakers unknown: %s", record.failures["diarize"])
    if record.cached_stages:
        logger.info("resumed from cached results of: %s", ", ".join(record.cached_stages))
    create_markdown_artifact(
        markdown=summary_markdown(record),
        key=artifact_key(record.metadata.id),
        description=f"retranscribe summary for {record.metadata.title or record.metadata.id}",
    )
    return {"out_dir": str(out_dir), "files": {k: str(v) for k, v in files.items()}, **record.headline()}


def artifact_key(video_id: str) -> str:
    key = re.sub(r"[^a-z0-9-]+", "-", f"retranscribe-{video_id}".lower()).strip("-")
    return key[:100] or "retranscribe"
