"""The glue between stages: plain functions the Prefect flows wrap as tasks.

Each function takes the previous stage's dataclasses and returns its own; none of them needs
Prefect, so the whole pipeline is testable (and usable) without a flow run.
"""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from retranscribe.audio import load_audio
from retranscribe.outputs import RunOutputs, write_outputs
from retranscribe.transcript import CaptionTrack, SpeakerTurn, Transcript, VideoMetadata
from source import SourceError, SourceMedia, fetch

__all__ = [
    "AlignedRun",
    "Diarization",
    "PipelineSettings",
    "SourceError",
    "align_run",
    "asr_hints",
    "diarize_audio",
    "fetch_source",
    "fingerprint",
    "load_run_audio",
    "transcribe_audio",
    "write_run",
]


@dataclass(frozen=True)
class PipelineSettings:
    """Everything that changes a run's results (and so its cache keys). Never holds a secret:
    ``hf_token_env`` names the environment variable the token is read from."""

    model: str = "base"
    device: str = "auto"
    # Whisper's beam width; 1 is greedy decoding (benchmarks/results/asr.md: on 2 CPU cores
    # about 0.6x the time of beam 5).
    beam_size: int = 5
    num_speakers: int | None = None
    min_speakers: int | None = None
    max_speakers: int | None = None
    diarization_pipeline: str | None = None
    hf_token_env: str | None = None
    caption_language: str = "en"
    captions: str | None = None
    info: str | None = None
    allow_file_urls: bool = False
    repair_gaps: bool = True

    def public(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


def fingerprint(path: str | Path) -> str:
    """Identity of a file for cache keys without reading it: its path, size and mtime."""
    stat = Path(path).stat()
    return f"{Path(path).resolve()}:{stat.st_size}:{stat.st_mtime_ns}"


@lru_cache(maxsize=1)
def _load_cached(path: str, identity: str) -> np.ndarray:
    return load_audio(path)


def load_run_audio(path: str | Path) -> np.ndarray:
    """The run's audio, decoded once per process however many tasks ask for it."""
    return _load_cached(str(path), fingerprint(path))


def fetch_source(source: str, work_dir: Path, settings: PipelineSettings, progress=None) -> SourceMedia:
    """``progress(bytes_done, bytes_total)`` follows the download (yt-dlp's progress hook)."""
    hook = None
    if progress is not None:
        def hook(status: dict) -> None:
            total = status.get("total_bytes") or status.get("total_bytes_estimate") or 0
            progress(status.get("downloaded_bytes") or 0, total)
    return fetch(
        source,
        work_dir,
        caption_language=settings.caption_language,
        captions=settings.captions,
        info=settings.info,
        allow_file_urls=settings.allow_file_urls,
        progress=hook,
    )


def _asr_options(settings: PipelineSettings, hints: tuple[str, ...] = ()):
    from asr import AsrOptions, hint_prompt

    # Names from the video's own metadata and captions steer the decoder. With beam search,
    # as hotwords: on the seed broadcast they took base from 7.2 % to 1.0 % WER (an initial
    # prompt: 2.3 %) and got "Anna Cunningham" right (benchmarks/results/asr.md). Greedy
    # decoding with the same hotwords went to 19 % WER, with them as an initial prompt 1.9 %.
    greedy = settings.beam_size == 1
    return AsrOptions(
        model=settings.model,
        device=settings.device,
        beam_size=settings.beam_size,
        hotwords=None if greedy else hints or None,
        initial_prompt=hint_prompt(list(hints)) if greedy else None,
    )


def asr_hints(media: SourceMedia) -> tuple[str, ...]:
    from asr import entity_hints

    captions = pick_captions(media)
    return tuple(entity_hints(media.metadata, captions.text if captions else ""))


def transcribe_audio(audio: np.ndarray, settings: PipelineSettings, hints: tuple[str, ...] = (), progress=None) -> Transcript:
    from asr import transcribe

    return transcribe(audio, _asr_options(settings, hints), progress=progress)


@dataclass
class Diarization:
    """Speaker turns, or why there are none: diarization is optional, its failure is recorded."""

    turns: list[SpeakerTurn] = field(default_factory=list)
    error: str | None = None


def _hf_token(settings: PipelineSettings) -> str | None:
    if not settings.hf_token_env:
        return None
    return os.environ.get(settings.hf_token_env)


def diarize_audio(audio: np.ndarray, settings: PipelineSettings, progress=None) -> Diarization:
    """``progress(done, total)`` follows pyannote's steps (segmentation, embeddings, ...)."""
    from diarize import DiarizationError, DiarizeOptions, diarize

    options = DiarizeOptions(
        pipeline=settings.diarization_pipeline or "embedded",
        device=settings.device,
        hf_token=_hf_token(settings),
        num_speakers=settings.num_speakers,
        min_speakers=settings.min_speakers,
        max_speakers=settings.max_speakers,
    )
    try:
        step_progress = None if progress is None else (lambda step, done, total: progress(done, total))
        return Diarization(turns=diarize(audio, options, progress=step_progress))
    except DiarizationError as error:
        return Diarization(error=str(error))
    except Exception as error:  # an optional stage must not take the run down with it
        return Diarization(error=f"{type(error).__name__}: {error}".splitlines()[0])


@dataclass
class AlignedRun:
    transcript: Transcript
    captions: CaptionTrack | None
    fixed_cues: list
    corrections: list[dict[str, Any]]
    score: dict[str, Any]
    turns: list[SpeakerTurn]

    def outputs(
        self, media: SourceMedia, settings: PipelineSettings, timings: dict[str, float], cached_stages: list[str] = ()
    ) -> RunOutputs:
        return RunOutputs(
            metadata=media.metadata,
            transcript=self.transcript,
            fixed_cues=self.fixed_cues,
            corrections=self.corrections,
            score=self.score,
            turns=self.turns,
            settings=settings.public(),
            timings=timings,
            audio_file=str(media.audio_path),
            cached_stages=list(cached_stages),
        )

    def summary_markdown(self, media: SourceMedia) -> str:
        from report.summary import summary_markdown

        return summary_markdown(self.outputs(media, PipelineSettings(), {}))

    def headline(self) -> dict[str, Any]:
        return {
            "caption_wer_vs_audio": self.score.get("caption_wer_vs_audio"),
            "corrections": sum(c["status"] == "fixed" for c in self.corrections),
            "suspected": sum(c["status"] == "suspected" for c in self.corrections),
            "speakers": [s.to_dict() for s in self.transcript.speakers],
            "failures": self.score.get("failures", {}),
        }


def pick_captions(media: SourceMedia) -> CaptionTrack | None:
    """Manual captions before automatic ones (``fetch`` already orders tracks so)."""
    return media.captions[0] if media.captions else None


def align_run(
    audio: np.ndarray,
    media: SourceMedia,
    transcript: Transcript,
    diarization: Diarization,
    settings: PipelineSettings,
) -> AlignedRun:
    import align
    from asr import load_model, transcribe_windows

    failures: dict[str, str] = {}
    if diarization.error:
        failures["diarize"] = diarization.error
    captions = pick_captions(media)
    hints = asr_hints(media)
    options = _asr_options(settings, hints)
    if captions is not None and captions.cues and settings.repair_gaps:
        transcript, gaps = align.repair_transcript(
            captions, transcript, lambda windows: transcribe_windows(audio, windows, options)
        )
    else:
        gaps = []

    transcript = _with_speakers(transcript, diarization, media.metadata, failures)

    if captions is None or not captions.cues:
        return AlignedRun(transcript, captions, [], [], {"failures": failures, "captions": "none"}, diarization.turns)

    lexicon = align.EntityLexicon.from_texts([media.metadata.title, media.metadata.description, captions.text])
    scorer = align.AcousticScorer(load_model(options), audio, transcript.language)
    result = align.fix_and_score(captions, transcript, scorer, lexicon, gaps)
    score = result.score
    score.failures.update(failures)
    return AlignedRun(
        transcript=transcript,
        captions=captions,
        fixed_cues=result.fixed_cues,
        corrections=[c.to_dict() for c in result.corrections],
        score=score.to_dict(),
        turns=diarization.turns,
    )


def _with_speakers(transcript: Transcript, diarization: Diarization, metadata: VideoMetadata, failures: dict[str, str]) -> Transcript:
    """Words get the speaker of the turn they overlap most; speakers get roles and names.
    Optional like diarization itself: on failure the transcript stands without speakers."""
    if not diarization.turns:
        return transcript
    try:
        from diarize import assign_speakers, label_speakers

        labelled = assign_speakers(transcript, diarization.turns)
        labelled.speakers = label_speakers(labelled, metadata)
        return labelled
    except Exception as error:
        failures["speakers"] = f"{type(error).__name__}: {error}".splitlines()[0]
        traceback.print_exc()
        return transcript


def write_run(
    out_dir: Path,
    media: SourceMedia,
    aligned: AlignedRun,
    settings: PipelineSettings,
    timings: dict[str, float],
    cached_stages: list[str] = (),
):
    run = aligned.outputs(media, settings, timings, cached_stages)
    extra = []
    try:
        from report.html import render_report

        extra.append(("report.html", render_report(run, out_dir)))
    except Exception as error:  # the report is optional: record why it is missing
        run.score.setdefault("failures", {})["report"] = f"{type(error).__name__}: {error}"
    return write_outputs(out_dir, run, extra)
