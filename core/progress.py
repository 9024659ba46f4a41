"""Progress of a many-files scan: a bar redrawn in place on a terminal, plain lines otherwise (CI logs, pipes).

The bar: ``[######......] 120/400 files  3.4 files/s  ETA 1:22  2 failed``. Plain mode prints one line per file
as it finishes (its status, path and finding counts). Both end with the summary line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from .batch import OK, FileResult, result_line

BAR_WIDTH = 24


def format_eta(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def bar_text(done: int, total: int, elapsed: float, failed: int, width: int = BAR_WIDTH) -> str:
    """The bar's text for ``done`` of ``total`` files after ``elapsed`` seconds."""
    filled = width * done // total if total else width
    rate = done / elapsed if elapsed > 0 else 0.0
    eta = format_eta((total - done) / rate) if rate > 0 and done < total else ("0:00" if done >= total else "?")
    text = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files  {rate:.1f} files/s  ETA {eta}"
    if failed:
        text += f"  {failed} failed"
    return text


class ProgressReporter:
    """Call :meth:`file_done` per finished file (from one thread), :meth:`finish` at the end."""

    def __init__(
        self,
        total: int,
        stream: TextIO,
        is_terminal: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        min_interval: float = 0.1,
    ) -> None:
        self.total = total
        self.stream = stream
        self.is_terminal = stream.isatty() if is_terminal is None else is_terminal
        self.clock = clock
        self.started = clock()
        self.done = 0
        self.failed = 0
        self._last_draw = -1.0
        self._min_interval = min_interval
        self._width = 0

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe must not stop the scan

    def file_done(self, result: FileResult) -> None:
        self.done += 1
        if result.status != OK:
            self.failed += 1
        if self.is_terminal:
            # A failure is worth a line of its own above the bar; ok files only move the bar.
            if result.status != OK:
                self._clear()
                self._write(result_line(result) + "\n")
            now = self.clock()
            if now - self._last_draw >= self._min_interval or self.done == self.total:
                self._draw(now)
        else:
            self._write(f"[{self.done}/{self.total}] {result_line(result)}\n")

    def _draw(self, now: float) -> None:
        text = bar_text(self.done, self.total, now - self.started, self.failed)
        self._width = max(self._width, len(text))
        self._write("\r" + text.ljust(self._width))
        self._last_draw = now

    def _clear(self) -> None:
        if self._width:
            self._write("\r" + " " * self._width + "\r")

    def finish(self, summary_text: str) -> None:
        if self.is_terminal and self._width:
            self._draw(self.clock())
            self._write("\n")
        self._write(summary_text + "\n")
