"""Writing outputs safely: atomic replace, and folder names that never come from untrusted text."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to a temp file beside ``path`` and rename it over ``path``, so an
    interrupted run never leaves a truncated file that a re-run would trust."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def safe_name(text: str, fallback: str = "video", max_length: int = 80) -> str:
    """A file or folder name made of ``[A-Za-z0-9._-]`` only, never ``.``/``..`` or hidden.

    Names from the outside world (video ids, titles) pass through here before touching a path;
    when nothing usable is left, a short hash of the text keeps distinct inputs distinct."""
    cleaned = _UNSAFE.sub("_", text).strip("._-")[:max_length]
    if not cleaned:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        return f"{fallback}-{digest}"
    return cleaned
