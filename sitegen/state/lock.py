"""One build at a time keeps a site's memory on disk: an exclusive flock on the site folder from
reading the memory to saving it. Two builds at once would each write the body file the other
names (a review reproduced a damaged cache); a second build now waits, then finds the first
one's memory whole. flock creates nothing and goes with the last open copy of the folder."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: builds of one site are not kept from running at once
    fcntl = None  # type: ignore[assignment]

WAITING = "waiting for another build of this site to finish"
_held: dict[str, int] = {}  # site folder -> the descriptor this process holds its lock by


@contextmanager
def one_build_at_a_time(site_dir: Path | None, progress: Callable[[str], None] | None = None) -> Iterator[None]:
    """The lock while the block runs. None: no memory on disk, no lock. A build this process
    runs inside another of the same site (no such call in sitegen) takes no second lock."""
    key = os.path.realpath(site_dir) if site_dir is not None else ""
    try:
        folder = os.open(site_dir, os.O_RDONLY) if site_dir is not None and fcntl is not None else None
    except OSError:  # no such folder: the build says so itself
        folder = None
    if folder is None or key in _held:
        if folder is not None:
            os.close(folder)
        yield
        return
    try:
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            (progress or _say)(WAITING)
            fcntl.flock(folder, fcntl.LOCK_EX)
        _held[key] = folder
        yield
    finally:
        _held.pop(key, None)
        os.close(folder)  # the lock goes with it (the forked workers closed their copies)


def _say(message: str) -> None:
    """With no status line (not a terminal, --quiet, --json), a waiting build says so once."""
    print(f"sitegen: {message}", file=sys.stderr, flush=True)


def _close_in_child() -> None:
    """A forked worker closes its copies of the locked folder: were the build killed where its
    workers do not die with it (no PR_SET_PDEATHSIG), they would hold the lock on (closing a
    copy never releases it for the build itself; an unlock would)."""
    for folder in _held.values():
        os.close(folder)
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)
