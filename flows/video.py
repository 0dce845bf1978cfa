"""The ``retranscribe_video`` flow: fetch -> transcribe -> diarize -> align/score/fix -> write.

Flows only orchestrate: every task wraps a plain stage function. Results of the expensive
tasks are persisted and cached on their inputs (the audio's fingerprint, model settings), so a
re-run after a crash resumes from the stages that finished.
"""

from __future__ import annotations

import hashlib
import importlib
import time
from functools import cache
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import INPUTS, TASK_SOURCE, CacheKeyFnPolicy

from retranscribe.progress import progress_bar
from retranscribe.pipeline import (
    AlignedRun,
    PipelineSettings,
    SourceError,
    align_run,
    asr_hints,
    diarize_audio,
    fetch_source,
    fingerprint,
    load_run_audio,
    transcribe_audio,
    write_run,
)


@cache
def code_fingerprint(*packages: str) -> str:
    """A digest of the packages' Python sources. TASK_SOURCE sees only the task function, so
    without this a fixed bug in a stage would keep serving its cached wrong result."""
    digest = hashlib.sha256()
    for name in packages:
        root = Path(importlib.import_module(name).__file__).parent
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cached_on(*packages: str):
    """Cache on the task's inputs, its source and the code of the stages it runs."""
    stage_code = CacheKeyFnPolicy(cache_key_fn=lambda context, inputs: code_fingerprint("retranscribe", *packages))
    return INPUTS + TASK_SOURCE + stage_code


def _not_input_error(task, task_run, state) -> bool:
    """Retry transient failures only: bad input fails the same way every time."""
    try:
        state.result()
    except SourceError:
        return False
    except Exception:
        return True
    return False


@task(name="fetch", retries=2, retry_delay_seconds=[2, 10], retry_condition_fn=_not_input_error)
def fetch_task(source: str, work_dir: str, settings: PipelineSettings):
    with progress_bar("download", unit="B") as update:
        return fetch_source(source, Path(work_dir), settings, progress=update)


@task(name="transcribe", cache_policy=cached_on("asr"), persist_result=True, tags=["retranscribe-gpu"])
def transcribe_task(audio_path: str, audio_fingerprint: str, settings: PipelineSettings, hints: tuple[str, ...]):
    with progress_bar("transcribe") as update:
        return transcribe_audio(load_run_audio(audio_path), settings, hints, progress=update)


@task(name="diarize", cache_policy=cached_on("diarize"), persist_result=True, tags=["retranscribe-gpu"])
def diarize_task(audio_path: str, audio_fingerprint: str, settings: PipelineSettings):
    with progress_bar("diarize") as update:
        return diarize_audio(load_run_audio(audio_path), settings, progress=update)


# align_run re-decodes gaps (asr), fixes (align) and labels speakers (diarize).
@task(name="align-score-fix", cache_policy=cached_on("asr", "align", "diarize"), persist_result=True)
def align_task(audio_path: str, audio_fingerprint: str, media, transcript, diarization, settings: PipelineSettings):
    return align_run(load_run_audio(audio_path), media, transcript, diarization, settings)


@task(name="write-outputs")
def write_task(
    out_dir: str, media, aligned: AlignedRun, settings: PipelineSettings, timings: dict[str, float], cached_stages: list[str]
):
    return write_run(Path(out_dir), media, aligned, settings, timings, cached_stages)


@flow(name="retranscribe-video", log_prints=True)
def retranscribe_video(
    source: str,
    out_dir: str,
    captions: str | None = None,
    info: str | None = None,
    model: str = "base",
    device: str = "auto",
    beam_size: int = 5,
    num_speakers: int | None = None,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
    diarization_pipeline: str | None = None,
    hf_token_env: str | None = None,
    caption_language: str = "en",
    allow_file_urls: bool = False,
) -> dict[str, Any]:
    """Re-transcribe one video or audio file and fix its captions.

    Args:
        source: a video URL (anything yt-dlp extracts) or a local audio/video file.
        out_dir: where the outputs go (transcript.json, captions.fixed.*, report.html, ...).
        captions: a local caption file (VTT, SRT, json3, srv3 or plain text) to use instead of
            downloaded captions.
        info: a yt-dlp style .info.json giving title and description for a local file.
        model: Whisper model: an embedded one (base, tiny.en), a local folder or a hub name.
        device: auto, cpu or cuda.
        beam_size: Whisper's beam width (1: greedy, faster on a CPU).
        num_speakers / min_speakers / max_speakers: speaker-count hints for diarization.
        diarization_pipeline: a pyannote hub pipeline instead of the embedded offline one.
        hf_token_env: name of the environment variable holding a Hugging Face token (the
            token itself is never a parameter, so it never lands in Prefect's database).
    """
    settings = PipelineSettings(
        model=model,
        device=device,
        beam_size=beam_size,
        num_speakers=num_speakers,
        min_speakers=min_speakers,
        max_speakers=max_speakers,
        diarization_pipeline=diarization_pipeline,
        hf_token_env=hf_token_env,
        caption_language=caption_language,
        captions=captions,
        info=info,
        allow_file_urls=allow_file_urls,
    )
    logger = get_run_logger()
    timings: dict[str, float] = {}
    out = Path(out_dir)

    started = time.perf_counter()
    media = fetch_task(source, str(out / "source"), settings)
    timings["fetch"] = time.perf_counter() - started
    audio_id = fingerprint(media.audio_path)

    cached_stages: list[str] = []

    def run_stage(name: str, stage_task, *args):
        started = time.perf_counter()
        state = stage_task(*args, return_state=True)
        timings[name] = time.perf_counter() - started
        if state.name == "Cached":
            cached_stages.append(name)
        return state.result()

    transcript = run_stage("transcribe", transcribe_task, str(media.audio_path), audio_id, settings, asr_hints(media))
    diarization = run_stage("diarize", diarize_task, str(media.audio_path), audio_id, settings)
    if diarization.error:
        logger.warning("diarization failed, speakers unknown: %s", diarization.error)
    aligned = run_stage("align", align_task, str(media.audio_path), audio_id, media, transcript, diarization, settings)

    if cached_stages:
        logger.info("resumed from cached results of: %s", ", ".join(cached_stages))
    written = write_task(str(out), media, aligned, settings, timings, cached_stages)
    create_markdown_artifact(
        markdown=aligned.summary_markdown(media),
        key=_artifact_key(media.metadata.id),
        description=f"retranscribe summary for {media.metadata.title or media.metadata.id}",
    )
    return {
        "out_dir": str(out),
        "files": {k: str(v) for k, v in written.items()},
        "cached_stages": cached_stages,
        **aligned.headline(),
    }


def _artifact_key(video_id: str) -> str:
    import re

    key = re.sub(r"[^a-z0-9-]+", "-", f"retranscribe-{video_id}".lower()).strip("-")
    return key[:100] or "retranscribe"
