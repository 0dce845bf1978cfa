"""Errors of the source stage. Their messages are one line, fit for a CLI's error output."""

from __future__ import annotations

from retranscribe.errors import InputError, one_line


class SourceError(InputError):
    """The input cannot be fetched, converted or read."""


class CaptionFormatError(SourceError):
    """A caption file is empty, binary, or in no format the readers know."""


__all__ = ["CaptionFormatError", "SourceError", "one_line"]
