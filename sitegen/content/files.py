"""Which files of a folder may be published (content/, static/): never a hidden file or a file
in a hidden folder (.git/, .env, editor backups), never what a symbolic link reaches outside
the site folder (`media/env.txt -> /proc/self/environ` would publish the build's secrets), and
never an asset that would run script on the site (assets.py)."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from sitegen.content.assets import asset_problem
from sitegen.errors import ErrorLog

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # in a file name: in every address and message naming it
HtmlAllowed = Callable[[], bool]  # asked only when an HTML file is found: site.yaml's `html_assets`


def publishable_files(
    root: Path, site_dir: Path, log: ErrorLog | None = None, html_allowed: HtmlAllowed | None = None
) -> list[tuple[str, str]]:
    """(path below root with "/", file path) of every file below root that may be published,
    in the order of visible_paths(). A link to a file is followed when the file is inside the
    site folder (or root) and not hidden; a link that points outside is an error naming the
    link, at its line 1, as is an asset with script. Errors go to `log`, else they are raised
    together (BuildFailed) once the folder is listed; warnings need a `log`."""
    own = log or ErrorLog()
    inside = (site_dir.resolve(), root.resolve())
    shown = _shown_prefix(root, site_dir)
    prefix = len(str(root)) + 1
    files = []
    for path, is_link in visible_entries(str(root)):
        rel = path[prefix:].replace(os.sep, "/")
        if _CONTROL.search(rel):
            own.error(shown + rel, 1, 1, "the file's name holds a control character", "rename the file")
            continue
        if is_link and not _link_is_safe(path, inside, shown + rel, own):
            continue
        problem = asset_problem(rel, path, html_allowed or (lambda: False))
        if problem:
            own.error(shown + rel, *problem)
            continue
        files.append((rel, path))
    if log is None:
        own.raise_if_any()
    return files


def is_hidden(name: str) -> bool:
    """.DS_Store, editor swap and backup files, .git: never content."""
    return name.startswith(".") or name.endswith("~")


def visible_paths(root: str) -> Iterator[str]:
    """Every regular file below root except hidden ones and those in hidden folders, as strings
    (listing 100,000 files makes no Path object), in the order Path objects sort: each folder's
    entries by name, a folder's files where its name falls ("a/b" before "a-c"). No sort of the
    whole list: comparing Paths made sorting 100,000 files take ~2 s. Links are not followed
    here (publishable_files() decides about them)."""
    return (path for path, is_link in visible_entries(root) if not is_link)


def visible_entries(root: str) -> Iterator[tuple[str, bool]]:
    """(path, is a symbolic link) for the regular files and the links below root, in the order
    of visible_paths(); folders that are links are not entered."""
    with os.scandir(root) as listing:
        entries = sorted((entry for entry in listing if not is_hidden(entry.name)), key=_name)
    for entry in entries:
        if entry.is_symlink():
            yield entry.path, True
        elif entry.is_dir(follow_symlinks=False):
            yield from visible_entries(entry.path)
        elif entry.is_file(follow_symlinks=False):
            yield entry.path, False


def _name(entry: os.DirEntry) -> str:
    return entry.name


def _shown_prefix(root: Path, site_dir: Path) -> str:
    """How errors name root's files: from the site folder ("content/media/x")."""
    try:
        return root.relative_to(site_dir).as_posix() + "/"
    except ValueError:
        return root.as_posix() + "/"


def _link_is_safe(path: str, inside: tuple[Path, ...], shown: str, log: ErrorLog) -> bool:
    """Whether the link at `path` may be published as the file it points to; else why not,
    in `log`."""
    target = Path(os.path.realpath(path))
    where = next((folder for folder in inside if target.is_relative_to(folder)), None)
    if where is None:
        log.error(
            shown,
            1,
            1,
            f"this is a link to {target}, outside the site folder: it would publish that file",
            "copy the file into the site folder instead of linking to it (or delete the link)",
        )
        return False
    if any(is_hidden(part) for part in target.relative_to(where).parts):
        log.error(
            shown,
            1,
            1,
            f"this is a link to the hidden file {target}, which is never published",
            "copy what should be published into a visible file (or delete the link)",
        )
        return False
    try:
        mode = os.stat(target).st_mode
    except OSError:
        log.warn(shown, 1, 1, "this link points to nothing and is left out", "delete the link or fix its target")
        return False
    if stat.S_ISDIR(mode):
        log.warn(shown, 1, 1, "this is a link to a folder, which is not followed", "move or copy the folder here")
        return False
    if not stat.S_ISREG(mode):
        log.error(shown, 1, 1, "this link points to a device or pipe, not a file", "delete the link")
        return False
    return True
