"""The run's audio: 16 kHz mono float32, read in windows so that no stage holds the whole of a
long recording (an hour is 230 MB as float32; faster-whisper's features for it over 1 GB).

The source stage always leaves a 16 kHz mono WAV; ``AudioFile`` reads any span of it from disk
without decoding the rest. Stages take ``Audio``: such a file, or samples already in memory
(short clips, tests).
"""

from __future__ import annotations

from pathlib import Path
from typing import Union

import numpy as np

from retranscribe.errors import InputError

SAMPLE_RATE = 16_000


class AudioError(InputError):
    """The input is not audio that can be decoded."""


class AudioFile:
    """A 16 kHz mono audio file on disk, read span by span."""

    def __init__(self, path: str | Path) -> None:
        import soundfile

        self.path = Path(path)
        if not self.path.is_file():
            raise AudioError(f"{self.path}: no such file")
        try:
            info = soundfile.info(str(self.path))
        except Exception as error:
            raise AudioError(f"{self.path}: not a readable audio file ({type(error).__name__})") from error
        if info.samplerate != SAMPLE_RATE or info.channels != 1:
            raise AudioError(f"{self.path}: is {info.samplerate} Hz x {info.channels}, not {SAMPLE_RATE} Hz mono")
        self.frames = int(info.frames)
        if self.frames == 0:
            raise AudioError(f"{self.path}: contains no audio samples")

    @property
    def duration(self) -> float:
        return self.frames / SAMPLE_RATE

    def read(self, start: float = 0.0, end: float | None = None) -> np.ndarray:
        """Samples from ``start`` to ``end`` seconds (clipped to the file), float32 in [-1, 1]."""
        import soundfile

        first = min(max(int(round(start * SAMPLE_RATE)), 0), self.frames)
        last = self.frames if end is None else min(max(int(round(end * SAMPLE_RATE)), first), self.frames)
        samples, _ = soundfile.read(str(self.path), start=first, stop=last, dtype="float32", always_2d=False)
        return samples

    def __repr__(self) -> str:
        return f"AudioFile({str(self.path)!r}, {self.duration:.1f} s)"


Audio = Union[np.ndarray, AudioFile]


def open_audio(path: str | Path) -> Audio:
    """A 16 kHz mono WAV as an ``AudioFile``; any other format PyAV reads, decoded in memory."""
    try:
        return AudioFile(path)
    except AudioError:
        return load_audio(path)


def load_audio(path: str | Path) -> np.ndarray:
    """Decode any format PyAV reads to 16 kHz mono float32 in [-1, 1], whole."""
    path = Path(path)
    if not path.is_file():
        raise AudioError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise AudioError(f"{path}: file is empty (0 bytes)")
    from faster_whisper.audio import decode_audio

    try:
        audio = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except Exception as error:  # PyAV raises InvalidDataError, IndexError (no audio stream), ...
        raise AudioError(f"{path}: not a readable audio or video file ({type(error).__name__})") from error
    if audio.size == 0:
        raise AudioError(f"{path}: contains no audio samples")
    return audio.astype(np.float32, copy=False)


def duration_of(audio: Audio) -> float:
    return audio.duration if isinstance(audio, AudioFile) else len(audio) / SAMPLE_RATE


def read_span(audio: Audio, start: float = 0.0, end: float | None = None) -> np.ndarray:
    """Samples of ``audio`` from ``start`` to ``end`` seconds, whichever form it has."""
    if isinstance(audio, AudioFile):
        return audio.read(start, end)
    first = max(int(round(start * SAMPLE_RATE)), 0)
    last = len(audio) if end is None else max(int(round(end * SAMPLE_RATE)), first)
    return audio[first:last]


def quietest_cut(audio: Audio, earliest: float, latest: float, frame: float = 0.25) -> float:
    """The time between ``earliest`` and ``latest`` where the audio is quietest (lowest RMS
    over ``frame`` seconds): where a long recording can be cut without cutting a word."""
    samples = read_span(audio, earliest, latest)
    size = int(frame * SAMPLE_RATE)
    if len(samples) < 2 * size:
        return latest
    frames = samples[: len(samples) // size * size].reshape(-1, size)
    quietest = int(np.argmin(np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))))
    return earliest + (quietest + 0.5) * frame


def windows_of(audio: Audio, seconds: float, search: float = 20.0) -> list[tuple[float, float]]:
    """Consecutive (start, end) windows of at most ``seconds`` covering the whole recording,
    about equal in length (no short remainder for a stage to make little sense of), each cut at
    the quietest moment within ``search`` seconds of where it would fall."""
    total = duration_of(audio)
    if total <= seconds:
        return [(0.0, total)]
    search = min(search, seconds / 4)
    # Nominal windows ``search`` shorter than the limit, so moving both cuts keeps it.
    count = int(np.ceil(total / (seconds - search)))
    cuts = [0.0]
    for index in range(1, count):
        nominal = index * total / count
        cuts.append(quietest_cut(audio, max(cuts[-1] + 1.0, nominal - search / 2), nominal + search / 2))
    cuts.append(total)
    return list(zip(cuts[:-1], cuts[1:]))


__all__ = [
    "SAMPLE_RATE",
    "Audio",
    "AudioError",
    "AudioFile",
    "duration_of",
    "load_audio",
    "open_audio",
    "quietest_cut",
    "read_span",
    "windows_of",
]
