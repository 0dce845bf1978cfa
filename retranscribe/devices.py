"""Where models run: one resolver for every stage (ctranslate2 for the ASR, torch for
diarization) so that ``auto`` means the same thing to both."""

from __future__ import annotations

from functools import lru_cache

DEVICES = ("auto", "cpu", "cuda")


def check_device(device: str) -> str:
    if device not in DEVICES:
        raise ValueError(f"device must be one of {', '.join(DEVICES)}, not {device!r}")
    return device


@lru_cache(maxsize=1)
def _cuda_visible() -> bool:
    # ctranslate2 answers without initialising CUDA or importing torch (seconds on a CPU box);
    # both libraries need the same driver, so a GPU it sees is one torch sees.
    import ctranslate2

    return ctranslate2.get_cuda_device_count() > 0


def resolve_device(device: str = "auto") -> str:
    """``cpu`` or ``cuda``: ``auto`` is CUDA when a GPU is visible, else the CPU."""
    check_device(device)
    if device != "auto":
        return device
    return "cuda" if _cuda_visible() else "cpu"


__all__ = ["DEVICES", "check_device", "resolve_device"]
