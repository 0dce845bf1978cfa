"""Transcription with faster-whisper: whole files, or only given windows (gap repair)."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from retranscribe.audio import SAMPLE_RATE, duration_of, load_audio
from retranscribe.models import resolve_whisper
from retranscribe.transcript import Segment, Transcript, Word

Progress = Callable[[float, float], None]


def machine_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class AsrOptions:
    """Every setting of a transcription, shared by the sequential and batched paths."""

    model: str = "base"
    device: str = "auto"  # auto | cpu | cuda
    compute_type: str = "auto"  # auto: int8 on CPU, float16 on GPU
    cpu_threads: int = 0  # 0: all of the machine's cores
    beam_size: int = 5
    language: str | None = None  # None: detect (multilingual models); .en models are English
    vad_filter: bool = True
    condition_on_previous_text: bool = True
    initial_prompt: str | None = None
    hotwords: tuple[str, ...] | None = None
    batch_size: int | None = None  # set: BatchedInferencePipeline (GPU batch work)


def resolve_device(device: str = "auto") -> str:
    if device not in {"auto", "cpu", "cuda"}:
        raise ValueError(f"device must be auto, cpu or cuda, not {device!r}")
    if device != "auto":
        return device
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def _compute_type(options: AsrOptions, device: str) -> str:
    if options.compute_type != "auto":
        return options.compute_type
    return "float16" if device == "cuda" else "int8"


def load_model(options: AsrOptions = AsrOptions()):
    """The faster-whisper model for these options, loaded once per process."""
    device = resolve_device(options.device)
    return _load(resolve_whisper(options.model), device, _compute_type(options, device), options.cpu_threads or machine_cores())


@lru_cache(maxsize=4)
def _load(path: str, device: str, compute_type: str, cpu_threads: int):
    if device == "cuda":
        # PyPI's torch bundles cuBLAS/cuDNN 12; importing it first puts them in the process
        # for ctranslate2, which otherwise fails with "libcublas.so.12 not found".
        import torch  # noqa: F401
    from faster_whisper import WhisperModel

    return WhisperModel(path, device=device, compute_type=compute_type, cpu_threads=cpu_threads)


def _language(model, options: AsrOptions) -> str | None:
    if not model.model.is_multilingual:
        return "en"
    return options.language


def _as_audio(audio: np.ndarray | str | Path) -> np.ndarray:
    return audio if isinstance(audio, np.ndarray) else load_audio(audio)


def _decode_options(model, options: AsrOptions) -> dict:
    return dict(
        language=_language(model, options),
        beam_size=options.beam_size,
        word_timestamps=True,
        vad_filter=options.vad_filter,
        condition_on_previous_text=options.condition_on_previous_text,
        initial_prompt=options.initial_prompt,
        hotwords=", ".join(options.hotwords) if options.hotwords else None,
    )


def _segments(model, audio: np.ndarray, options: AsrOptions, **overrides):
    kwargs = {**_decode_options(model, options), **overrides}
    if options.batch_size:
        from faster_whisper import BatchedInferencePipeline

        kwargs.pop("condition_on_previous_text", None)
        return BatchedInferencePipeline(model).transcribe(audio, batch_size=options.batch_size, **kwargs)
    return model.transcribe(audio, **kwargs)


def _to_segment(segment) -> Segment:
    words = [Word(w.start, w.end, w.word, w.probability) for w in (segment.words or [])]
    return Segment(segment.start, segment.end, segment.text.strip(), words)


def transcribe(audio: np.ndarray | str | Path, options: AsrOptions = AsrOptions(), progress: Progress | None = None) -> Transcript:
    """Transcribe a whole recording, with word timestamps. Segments stream from
    faster-whisper's lazy generator; ``progress(seconds_done, seconds_total)`` follows them."""
    samples = _as_audio(audio)
    model = load_model(options)
    total = duration_of(samples)
    generator, info = _segments(model, samples, options)
    segments = []
    for segment in generator:
        segments.append(_to_segment(segment))
        if progress is not None:
            progress(min(segment.end, total), total)
    if progress is not None:
        progress(total, total)
    return Transcript(segments=segments, speakers=[], language=info.language, duration=total)


def transcribe_windows(
    audio: np.ndarray | str | Path,
    windows: Sequence[tuple[float, float]],
    options: AsrOptions = AsrOptions(),
    prompt: str | None = None,
) -> list[Word]:
    """Transcribe only the given time windows, with settings that keep Whisper from skipping
    them: no VAD, no conditioning on earlier text, an optional prompt. Only words inside a
    window come back."""
    samples = _as_audio(audio)
    total = duration_of(samples)
    spans = sorted((max(0.0, s), min(e, total)) for s, e in windows if min(e, total) - max(0.0, s) > 0.05)
    if not spans:
        return []
    model = load_model(options)
    sequential = replace(options, batch_size=None)
    generator, _ = _segments(
        model,
        samples,
        sequential,
        vad_filter=False,
        condition_on_previous_text=False,
        initial_prompt=prompt if prompt is not None else options.initial_prompt,
        clip_timestamps=[t for span in spans for t in span],
    )
    words = [w for segment in generator for w in _to_segment(segment).words]
    inside = []
    for word in words:
        middle = (word.start + word.end) / 2
        span = next(((s, e) for s, e in spans if s <= middle <= e), None)
        if span is not None:
            inside.append(replace(word, start=max(word.start, span[0]), end=min(word.end, span[1])))
    return inside
