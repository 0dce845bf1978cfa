"""ASR stage: faster-whisper on CPU or GPU, with word timestamps, windowed re-decoding and
entity hints."""

from asr.hints import entity_hints, hint_prompt
from asr.transcribe import AsrOptions, load_model, machine_cores, transcribe, transcribe_windows

__all__ = [
    "AsrOptions",
    "entity_hints",
    "hint_prompt",
    "load_model",
    "machine_cores",
    "transcribe",
    "transcribe_windows",
]
