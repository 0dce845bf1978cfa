"""Progress bars for long stages (download, transcription, diarization), on a terminal only:
logs and CI output stay free of bar redraws."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Callable, Iterator

Progress = Callable[[float, float], None]
"""The one progress callback shape of every stage: ``progress(done, total)`` in the stage's own
unit (seconds of audio, bytes, steps)."""


def enabled() -> bool:
    forced = os.environ.get("RETRANSCRIBE_PROGRESS")
    if forced is not None:
        return forced not in {"0", "false", "no", ""}
    return sys.stderr.isatty()


@contextmanager
def progress_bar(description: str, unit: str = "s") -> Iterator[Progress]:
    """Yields ``update(done, total)``; ``unit`` "s" shows audio seconds, "B" bytes."""
    if not enabled():
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    amount = DownloadColumn() if unit == "B" else TextColumn("{task.completed:.0f}/{task.total:.0f} s of audio")
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), amount, TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        task = progress.add_task(description, total=None)

        def update(done: float, total: float) -> None:
            progress.update(task, completed=done, total=total or None)

        yield update
