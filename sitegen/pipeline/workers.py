"""Work on every core: forked processes that inherit what the build made so far (the items,
the site), so only small tasks go in and results come out, in the order of the tasks."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_FILES = 300  # fewer files than this: starting processes costs more than it saves
PR_SET_PDEATHSIG = 1  # linux/prctl.h
_parent = os.getpid()  # the build's process, as its workers are forked


def jobs_for(requested: int | None, files: int) -> int:
    """How many processes: as asked, else one per core once the site is big enough."""
    if requested is not None:
        return max(1, requested)
    if files < MIN_FILES or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, 8))


def chunks(entries: Sequence[T], workers: int, smallest: int = 8, largest: int | None = None) -> list[Sequence[T]]:
    """`entries` in runs of neighbours (neighbouring pages share cards) for `workers` processes:
    each run takes a (2 x workers)-th of what is left, at least `smallest`, so the runs shrink
    toward the end and the processes finish together (OpenMP's "guided" schedule). Equal runs
    left one process idle for half a run at the end of each stage. `largest`: a bound on a run
    whose results are big (parsed files send their bodies back)."""
    runs, start, share = [], 0, 2 * max(1, workers)
    while start < len(entries):
        size = max(smallest, -(-(len(entries) - start) // share))
        size = min(size, largest) if largest else size
        runs.append(entries[start : start + size])
        start += size
    return runs


def fork_map(function: Callable[[T], R], tasks: Sequence[T], jobs: int) -> Iterator[R]:
    """function(task) for every task, on `jobs` forked processes (here, with one job)."""
    if jobs <= 1 or len(tasks) < 2:
        yield from map(function, tasks)
        return
    global _parent
    _parent = os.getpid()
    context = multiprocessing.get_context("fork")
    with context.Pool(min(jobs, len(tasks)), initializer=_die_with_parent) as pool:
        yield from pool.imap(function, tasks)


def _die_with_parent() -> None:
    """A worker outlives a killed build otherwise, still writing into output/."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the pool's pipe ends them, later
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != _parent:  # the build died before the line above ran
        os._exit(1)
