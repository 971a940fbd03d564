"""A status line for long builds on a terminal: the stage and the seconds so far, redrawn in
place, shown only once a build has taken a second (short builds stay quiet)."""

from __future__ import annotations

import threading
import time
from typing import TextIO

DELAY = 1.0
EVERY = 0.25


class Progress:
    def __init__(self, stream: TextIO):
        self.stream = stream
        self.started = time.monotonic()
        self.text = "starting"
        self.shown = False
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="sitegen-progress", daemon=True)
        self._thread.start()

    def __call__(self, text: str) -> None:
        """The stage now under way, e.g. "rendering 14356 pages"."""
        self.text = text

    def _run(self) -> None:
        while not self._done.wait(EVERY):
            elapsed = time.monotonic() - self.started
            if elapsed >= DELAY:
                with self._lock:
                    self.stream.write(f"\r\033[K{self.text}… {elapsed:.0f}s")
                    self.stream.flush()
                    self.shown = True

    def close(self) -> None:
        self._done.set()
        self._thread.join()
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
