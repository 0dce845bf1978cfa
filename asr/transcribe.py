"""Transcription with faster-whisper: whole recordings, or only given windows (gap repair).

Every setting lives in one ``AsrOptions``; the sequential and the batched path, and the
windowed re-decode, all turn it into faster-whisper keyword arguments in one place
(``_decode_kwargs``), so no option list is repeated between them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from asr.hotword_drift import join_spelled_names, undo_title_case
from retranscribe.audio import Audio, AudioError, AudioFile, duration_of, open_audio, read_span, windows_of
from retranscribe.devices import resolve_device
from retranscribe.models import resolve_whisper
from retranscribe.progress import Progress
from retranscribe.transcript import Segment, Transcript, Word


# Whisper decodes 30 s at a time; the batched pipeline needs its chunks given when VAD is off.
CHUNK_SECONDS = 30.0


def machine_cores() -> int:
    """Cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class AsrOptions:
    """Every setting of a transcription, shared by the sequential and batched paths and by
    the windowed re-decode (which derives its own with ``dataclasses.replace``)."""

    model: str = "base"  # registry name (retranscribe.models) or a faster-whisper model folder
    device: str = "auto"  # auto | cpu | cuda
    compute_type: str = "auto"  # auto: int8 on CPU, float16 on GPU
    cpu_threads: int | None = None  # None or 0: all of the machine's cores
    beam_size: int = 5
    language: str | None = None  # None: detect (multilingual models); .en models are English
    vad_filter: bool = True
    condition_on_previous_text: bool = True
    initial_prompt: str | None = None
    hotwords: tuple[str, ...] = field(default=())  # names the decoder should prefer
    batch_size: int | None = None  # set: BatchedInferencePipeline (GPU batch work)
    # Audio decoded around each re-decode window, on both sides; words outside the window are
    # dropped anyway. Measured (base, separated windows vs a full decode): 3 s windows 12.8 %
    # WER unpadded, 1.6 % at 0.5 s, 2.4 % at 1 s; 1.5 s windows 41 %, 9.1 %, 3.0 %.
    window_padding: float = 1.0
    # Long recordings are transcribed in windows of at most this many seconds, each cut at its
    # quietest moment near the end: faster-whisper computes features for its whole input at
    # once (measured: peak RSS grows ~60 MB per minute of audio, 1.5 GB at 20 min), so memory
    # stays flat in the recording's length. Recordings shorter than this are one window.
    window_seconds: float = 600.0

    def __post_init__(self) -> None:
        hotwords = self.hotwords
        if hotwords is None:
            hotwords = ()
        elif isinstance(hotwords, str):
            hotwords = (hotwords,)
        object.__setattr__(self, "hotwords", tuple(h for h in hotwords if h and h.strip()))
        if self.beam_size < 1:
            raise ValueError(f"beam_size must be at least 1, not {self.beam_size}")
        if self.batch_size is not None and self.batch_size < 1:
            raise ValueError(f"batch_size must be at least 1 or None, not {self.batch_size}")
        if self.window_padding < 0:
            raise ValueError(f"window_padding must not be negative, not {self.window_padding}")
        if self.window_seconds < 60:
            raise ValueError(f"window_seconds must be at least 60, not {self.window_seconds}")


def resolve_compute_type(compute_type: str, device: str) -> str:
    if compute_type != "auto":
        return compute_type
    return "float16" if device == "cuda" else "int8"


def load_model(options: AsrOptions = AsrOptions()):
    """The faster-whisper ``WhisperModel`` for these options, loaded once per process and
    shared (batch jobs transcribe many videos with one model)."""
    device = resolve_device(options.device)
    return _load(
        str(resolve_whisper(options.model)),
        device,
        resolve_compute_type(options.compute_type, device),
        options.cpu_threads or machine_cores(),
    )


# Whisper's temperature fallback samples (a window whose beam-search text repeats itself or
# scores too low is decoded again at temperature 0.2, 0.4, ...). CTranslate2 gives each of a
# model's worker threads a random generator seeded, when it first samples, from the global
# seed, which is random unless set: two runs of the same job could then differ where a window
# fell back (two cold runs of held-out x09 differed by one word, "rising by 3 % Declan" /
# "rising Teaching by 3 %", inside the one gap-repair window that falls back there, through
# temperatures 0.2 to 1.0). Set before a model's threads start, the same job gives the same words.
SAMPLING_SEED = 0


@lru_cache(maxsize=4)
def _load(path: str, device: str, compute_type: str, cpu_threads: int):
    if device == "cuda":
        # PyPI's torch bundles cuBLAS/cuDNN 12; importing it first loads them into the process
        # for ctranslate2, which otherwise fails with "libcublas.so.12 not found".
        import torch  # noqa: F401
    import ctranslate2
    from faster_whisper import WhisperModel

    ctranslate2.set_random_seed(SAMPLING_SEED)
    return WhisperModel(path, device=device, compute_type=compute_type, cpu_threads=cpu_threads)


def _audio(audio: Audio | str | Path) -> Audio:
    if isinstance(audio, AudioFile):
        return audio
    if not isinstance(audio, np.ndarray):
        return open_audio(audio)
    if audio.ndim != 1:
        raise AudioError(f"audio must be mono (one dimension), not shape {audio.shape}")
    if audio.size == 0:
        raise AudioError("audio contains no samples")
    return audio.astype(np.float32, copy=False)


def _decode_kwargs(model, options: AsrOptions, duration: float) -> dict:
    """faster-whisper's keyword arguments for these options: the one place they are spelled."""
    kwargs = dict(
        # .en models know no language token; faster-whisper needs "en" for them.
        language="en" if not model.model.is_multilingual else options.language,
        beam_size=options.beam_size,
        word_timestamps=True,
        vad_filter=options.vad_filter,
        condition_on_previous_text=options.condition_on_previous_text,
        initial_prompt=options.initial_prompt,
        hotwords=", ".join(options.hotwords) or None,
    )
    if options.batch_size:
        kwargs["batch_size"] = options.batch_size
        if not options.vad_filter and duration > CHUNK_SECONDS:
            # Without VAD the batched pipeline refuses audio over 30 s unless told the chunks.
            starts = np.arange(0.0, duration, CHUNK_SECONDS)
            kwargs["clip_timestamps"] = [{"start": float(s), "end": float(min(s + CHUNK_SECONDS, duration))} for s in starts]
    return kwargs


def _decode(model, samples: np.ndarray, options: AsrOptions, **extra):
    kwargs = {**_decode_kwargs(model, options, duration_of(samples)), **extra}
    if options.batch_size:
        from faster_whisper import BatchedInferencePipeline

        return BatchedInferencePipeline(model).transcribe(samples, **kwargs)
    return model.transcribe(samples, **kwargs)


def _segment(segment, offset: float) -> Segment:
    return Segment(segment.start + offset, segment.end + offset, segment.text.strip(), _words(segment, offset))


def _words(segment, offset: float = 0.0) -> list[Word]:
    # Word text keeps Whisper's leading space: a word without one continues the previous
    # ("Jong" "-un"), which the align stage uses to rejoin them.
    return [Word(w.start + offset, w.end + offset, w.word, w.probability) for w in segment.words or []]


# What openai-whisper leaves out of the anomaly test: punctuation standing as a word.
_PUNCTUATION = set("\"'“¿([{-\"'.。,，!！?？:：”)]}、")


def _word_anomaly(word) -> float:
    """openai-whisper's score of how little a word looks like speech (``word_anomaly_score``,
    which faster-whisper applies for ``hallucination_silence_threshold``): improbable, or
    shorter than a spoken word can be, or longer than one."""
    duration = word.end - word.start
    score = 1.0 if word.probability < 0.15 else 0.0
    if duration < 0.133:
        score += (0.133 - duration) * 15
    if duration > 2.0:
        score += duration - 2.0
    return score


def hallucinated_ending(segment) -> bool:
    """Whether the last segment of a decoded stretch is what Whisper makes up where its input
    ends ("I don't know." in 0.2 s, "Yeah." at probability 0.00 after hotwords on pyannote's
    telephone sample): every word of it scores as an anomaly (openai-whisper's
    ``is_segment_anomaly`` with its "about one each" half only; faster-whisper drops such
    segments only between silences, and at the end of the input nothing follows to vouch for
    it). The other half, a score of 3 over the first 8 words, also flags a real 26-word
    segment whose word timings DTW squeezed to nothing in places (tiny.en under AVX-512)."""
    words = [w for w in segment.words or [] if w.word.strip() not in _PUNCTUATION]
    if not words:
        return False
    return sum(_word_anomaly(w) for w in words) + 0.01 >= len(words)


def transcribe(
    audio: Audio | str | Path,
    options: AsrOptions = AsrOptions(),
    progress: Progress | None = None,
) -> Transcript:
    """Transcribe a recording (an ``AudioFile``, a path PyAV can read, or 16 kHz mono float32
    samples) with word timestamps, window by window (``options.window_seconds``). Segments
    stream from faster-whisper's lazy generator; ``progress(seconds_done, seconds_total)``
    follows their end times."""
    audio = _audio(audio)
    model = load_model(options)
    total = duration_of(audio)
    segments: list[Segment] = []
    language: str | None = None  # as the model decoded it (a .en model says "en" whatever is asked)
    for start, end in windows_of(audio, options.window_seconds):
        # The first window's language holds for the rest (a multilingual model would otherwise
        # detect it again on every window).
        window_options = options if language is None else replace(options, language=language)
        generator, info = _decode(model, read_span(audio, start, end), window_options)
        language = language or info.language
        last = None
        for segment in generator:
            if last is not None:
                segments.append(_segment(last, start))
            last = segment
            if progress is not None:
                progress(min(segment.end + start, total), total)
        if last is not None and not hallucinated_ending(last):
            segments.append(_segment(last, start))
    if progress is not None:
        progress(total, total)
    if options.hotwords:
        segments = [join_spelled_names(undo_title_case(segment, options.hotwords), options.hotwords) for segment in segments]
    return Transcript(segments=segments, speakers=[], language=language, duration=total)


def _merged(windows: Sequence[tuple[float, float]], total: float) -> list[tuple[float, float]]:
    spans = sorted((max(0.0, float(s)), min(float(e), total)) for s, e in windows)
    merged: list[tuple[float, float]] = []
    for start, end in spans:
        if end - start <= 0:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


WINDOW_NO_SPEECH_THRESHOLD = 0.6


def transcribe_windows(
    audio: Audio | str | Path,
    windows: Sequence[tuple[float, float]],
    options: AsrOptions = AsrOptions(),
    prompt: str | None = None,
) -> list[Word]:
    """Transcribe only the given (start, end) windows in seconds, with settings that keep
    Whisper from skipping speech: no VAD, no conditioning on earlier text, and ``prompt`` (or
    the options' initial prompt). Each window is decoded with ``options.window_padding`` seconds
    of context; only words whose middle lies inside a window come back, clipped to it."""
    audio = _audio(audio)
    total = duration_of(audio)
    spans = _merged(windows, total)
    if not spans:
        return []
    padding = options.window_padding
    padded = _merged([(s - padding, e + padding) for s, e in spans], total)
    # Decode only the stretch that holds the windows: features for a whole hour of audio
    # would cost more than a few short windows.
    offset = padded[0][0]
    window_options = replace(
        options,
        vad_filter=False,
        condition_on_previous_text=False,
        initial_prompt=prompt if prompt is not None else options.initial_prompt,
        batch_size=None,  # clip_timestamps are the sequential path's (a flat start,end list)
    )
    model = load_model(window_options)
    generator, _ = _decode(
        model,
        read_span(audio, offset, padded[-1][1]),
        window_options,
        clip_timestamps=[t - offset for span in padded for t in span],
    )
    inside = []
    for segment in generator:
        # A window is audio the first pass found no words in, so it may well be silence or
        # noise, where Whisper's own skip rule (no-speech probability above 0.6 *and* a low
        # log-probability) lets confident hallucinations through ("You", "Thank you.").
        # Measured: silence 0.97, the official's dropped telephone turn 0.07-0.23.
        if segment.no_speech_prob > WINDOW_NO_SPEECH_THRESHOLD:
            continue
        for word in _words(segment, offset):
            middle = (word.start + word.end) / 2
            span = next(((s, e) for s, e in spans if s <= middle <= e), None)
            if span is not None:
                inside.append(replace(word, start=max(word.start, span[0]), end=min(word.end, span[1])))
    return inside
