"""Errors of the source stage. Their messages are one line, fit for a CLI's error output."""

from __future__ import annotations

import re

_YTDLP_NOISE = (
    re.compile(r"^(?:ERROR|WARNING):\s*"),
    re.compile(r";\s*please report this issue.*$", re.IGNORECASE),
    re.compile(r"\s*\(caused by .*\)\s*$"),
)


def one_line(message: object, limit: int = 300) -> str:
    """The first non-blank line of ``message``, without yt-dlp's ``ERROR:`` prefix and its
    "caused by"/"please report" tails, cut to ``limit`` characters."""
    text = str(message)
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    for pattern in _YTDLP_NOISE:
        line = pattern.sub("", line)
    line = " ".join(line.split())
    if len(line) > limit:
        line = line[: limit - 1] + "…"
    return line


class SourceError(Exception):
    """The input cannot be fetched, converted or read. ``str(error)`` is always one line."""

    def __init__(self, message: object) -> None:
        super().__init__(one_line(message) or type(self).__name__)


class CaptionFormatError(SourceError):
    """A caption file is empty, binary, or in no format the readers know."""


__all__ = ["CaptionFormatError", "SourceError", "one_line"]
