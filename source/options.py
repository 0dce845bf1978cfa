"""The source stage's settings (the per-video inputs, URL, caption file and info JSON, are
not settings: they are the job)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceOptions:
    # Caption language to pick among a video's tracks (manual before automatic).
    caption_language: str = "en"
    # yt-dlp may open file:// URLs only when asked: a URL from a manifest could read local files.
    allow_file_urls: bool = False


__all__ = ["SourceOptions"]
