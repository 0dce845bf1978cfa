"""Audio is decoded once per video, to 16 kHz mono float32, and shared by every stage."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from retranscribe.errors import InputError

SAMPLE_RATE = 16_000


class AudioError(InputError):
    """The input is not audio that can be decoded."""


def load_audio(path: str | Path) -> np.ndarray:
    """Decode any format PyAV reads to 16 kHz mono float32 in [-1, 1]."""
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


def duration_of(audio: np.ndarray) -> float:
    return len(audio) / SAMPLE_RATE
