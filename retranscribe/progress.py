"""Progress bars for long stages (download, transcription, diarization), on a terminal only:
logs and CI output stay free of bar redraws."""

from __future__ import annotations

import os
import sys
import threading
from typing import Callable

Progress = Callable[[float, float], None]
"""The one progress callback shape of every stage: ``progress(done, total)`` in the stage's own
unit (seconds of audio, bytes, steps)."""


def enabled() -> bool:
    forced = os.environ.get("RETRANSCRIBE_PROGRESS")
    if forced is not None:
        return forced not in {"0", "false", "no", ""}
    return sys.stderr.isatty()


def _ignore(done: float, total: float) -> None:
    return None


class ProgressBars:
    """One live display for a run, one bar per stage (stages may run at the same time: a
    terminal holds one live display, so they share it). Off the terminal, bars do nothing."""

    def __init__(self) -> None:
        self._display = None
        self._lock = threading.Lock()

    def __enter__(self) -> ProgressBars:
        if enabled():
            from rich.console import Console
            from rich.progress import BarColumn, Progress as Display, TaskProgressColumn, TextColumn, TimeElapsedColumn

            columns = (TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
            self._display = Display(*columns, console=Console(stderr=True), transient=False)
            self._display.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._display is not None:
            self._display.stop()
            self._display = None

    def bar(self, description: str) -> Progress:
        """The ``Progress`` callback of one stage's bar (added on the first update)."""
        if self._display is None:
            return _ignore
        display, task = self._display, None

        def update(done: float, total: float) -> None:
            nonlocal task
            with self._lock:
                if task is None:
                    task = display.add_task(description, total=None)
                display.update(task, completed=done, total=total or None)

        return update


__all__ = ["Progress", "ProgressBars", "enabled"]
