"""The errors every layer raises, and how an error becomes the one line a user reads.

Two kinds, because they are handled differently everywhere above the ground:

- ``InputError``: the input itself is wrong (no such file, not media, a malformed URL,
  unreadable captions, a bad manifest). It fails the same way every time, so it is never
  retried; the CLI prints its one line and exits 1.
- ``StageError``: a stage could not do its work with good input (a model that will not load,
  diarization that crashed). Optional stages record it and the run goes on.
"""

from __future__ import annotations

import re

_YTDLP_NOISE = (
    re.compile(r"^(?:ERROR|WARNING):\s*"),
    re.compile(r";\s*please report this issue.*$", re.IGNORECASE),
    re.compile(r"\s*\(caused by .*\)\s*$"),
)


def one_line(message: object, limit: int = 300) -> str:
    """The first non-blank line of ``message`` (an exception is shown as its type when it has
    no text), without yt-dlp's ``ERROR:`` prefix and its "caused by"/"please report" tails,
    cut to ``limit`` characters."""
    text = str(message)
    if isinstance(message, BaseException) and not text.strip():
        text = type(message).__name__
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    for pattern in _YTDLP_NOISE:
        line = pattern.sub("", line)
    line = " ".join(line.split())
    if len(line) > limit:
        line = line[: limit - 1] + "…"
    return line


def describe(error: BaseException) -> str:
    """One line for an unexpected error: its type, then its first line."""
    first = one_line(error)
    name = type(error).__name__
    return first if first == name else f"{name}: {first}"


class RetranscribeError(Exception):
    """Base of every error retranscribe raises on purpose. ``str(error)`` is always one line."""

    def __init__(self, message: object) -> None:
        super().__init__(one_line(message, limit=600) or type(self).__name__)


class InputError(RetranscribeError, ValueError):
    """The input is wrong: never retried, reported as one line, exit status 1."""


class StageError(RetranscribeError, RuntimeError):
    """A stage could not do its work with this input (models, libraries, resources)."""


__all__ = ["InputError", "RetranscribeError", "StageError", "describe", "one_line"]
