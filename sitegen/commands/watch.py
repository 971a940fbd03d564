"""Watch a site's files with watchdog and hand the changes over in batches: a burst of
events (an editor's save is several; a `git checkout` can be thousands) becomes one batch
once the files have been quiet for a moment."""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from sitegen.content.config import CONFIG_FILE
from sitegen.content.files import is_hidden
from sitegen.content.load import CONTENT_DIR
from sitegen.render.environment import THEME_DIR
from sitegen.urls import MARKDOWN_ENDINGS

WATCHED_FOLDERS = (CONTENT_DIR, "templates", "static")
# Opening and reading a file is not a change (and the build itself reads every file).
CHANGES = {"created", "modified", "deleted", "moved", "closed"}


# A file of the site closed after writing is saved: a moment's quiet is enough to gather the
# rest of a burst (a `git checkout` closes files microseconds apart). Other events wait longer
# for the save to end: a file truncated or written in parts, an editor's "safe write" (the old
# file moved aside, a temporary file written and closed, then moved into place). Measured at
# 10,000 posts: save -> page in the browser 50 ms -> 5 ms of waiting (bench/browser_loop.py).
SETTLED = "closed"
SITE_FILES = {*MARKDOWN_ENDINGS, ".yaml", ".yml", ".html", ".xml", ".txt", ".json", ".css", ".js", ".svg",
              ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".pdf", ".ics"}  # fmt: skip


class Changes:
    """Paths changed since the last batch; `take()` waits for a quiet moment."""

    def __init__(self, quiet: float = 0.05, longest: float = 2.0, settled: float = 0.005):
        self.quiet, self.longest, self.settled = quiet, longest, settled
        self._paths: set[Path] = set()
        self._everything = False
        self._last = 0.0
        self._first = 0.0
        self._wait = quiet  # the quiet that the last event asks for
        self._ready = threading.Condition()

    def add(self, path: Path | None, saved: bool = False) -> None:
        """A changed path; None: something changed that needs a look at every file. `saved`:
        the event says a save ended (SETTLED)."""
        with self._ready:
            now = time.monotonic()
            if not self._paths and not self._everything:
                self._first = now
            if path is None:
                self._everything = True
            else:
                self._paths.add(path)
            self._last = now
            self._wait = min(self.settled, self.quiet) if saved else self.quiet
            self._ready.notify_all()

    def take(self, timeout: float | None = None) -> list[Path] | bool | None:
        """Wait for changes and then for `quiet` seconds without any (at most `longest`
        seconds in all); -> the paths, None for "look at everything", False on timeout."""
        with self._ready:
            if not self._ready.wait_for(lambda: self._paths or self._everything, timeout):
                return False
            while True:
                now = time.monotonic()
                wait = min(self._last + self._wait, self._first + self.longest) - now
                if wait <= 0:
                    break
                self._ready.wait(wait)
            paths, everything = sorted(self._paths), self._everything
            self._paths, self._everything = set(), False
            return None if everything else paths


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type == "events_lost":  # the kernel's queue overflowed: look at everything
            self.watcher.changes.add(None)
            return
        if event.event_type not in CHANGES or (event.is_directory and event.event_type in ("modified", "closed")):
            return  # a folder is "modified" when a file in it is: that file's own event says which
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                self.watcher.changed(Path(str(raw)), event.is_directory, _saved(event))


def _saved(event: FileSystemEvent) -> bool:
    """A file of the site, not an editor's temporary or backup file, closed after writing."""
    path = Path(str(event.src_path))
    return event.event_type == SETTLED and not is_hidden(path.name) and path.suffix.lower() in SITE_FILES


class Watcher:
    """Watches content/, templates/, static/ and site.yaml of a site (and the theme)."""

    def __init__(self, site_dir: Path, changes: Changes):
        self.site_dir, self.changes = site_dir, changes
        self.observer = Observer()
        self._handler = _Handler(self)
        self._watched: dict[Path, ObservedWatch] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        self.observer.schedule(self._handler, str(self.site_dir), recursive=False)
        self._watch_folders()
        if THEME_DIR.is_dir():
            self.observer.schedule(self._handler, str(THEME_DIR), recursive=True)
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)

    def _watch_folders(self, again: str | None = None) -> None:
        """Watch each of the site's folders that is there; `again`: the one created, removed or
        moved since, watched anew (a watch dies with the folder it was on, so a folder deleted
        and made again would otherwise never be watched again)."""
        with self._lock:
            for name in WATCHED_FOLDERS:
                folder = self.site_dir / name
                if name == again and folder in self._watched:
                    with contextlib.suppress(KeyError, OSError):
                        self.observer.unschedule(self._watched[folder])
                    del self._watched[folder]
                if folder.is_dir() and folder not in self._watched:
                    self._watched[folder] = self.observer.schedule(self._handler, str(folder), recursive=True)

    def changed(self, path: Path, is_directory: bool, saved: bool = False) -> None:
        if path.parent == self.site_dir:  # the site folder itself is watched for these only
            if path.name == CONFIG_FILE:
                self.changes.add(path, saved)
            elif path.name in WATCHED_FOLDERS:
                self._watch_folders(again=path.name)
                self.changes.add(None)  # what happened meanwhile is found by looking at every file
            return
        self.changes.add(None if is_directory else path, saved)
