"""Errors an editor can act on: every one names a file, a line, a column and a fix."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class SourceError:
    """One mistake in one file. Lines and columns are 1-based, as editors count them."""

    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: str = "error"

    def format(self) -> str:
        """As a terminal shows it: what came from content (a file name, a value, a server's
        answer) cannot move the cursor, recolour or clear the screen, or reorder the line."""
        text = f"{printable(self.path)}:{self.line}:{self.col}: {self.severity}: {printable(self.message)}"
        if self.hint:
            text += f"\n    hint: {printable(self.hint)}"
        return text


# Control characters (C0 but none, DEL, C1), line and paragraph separators, and the
# bidirectional controls that reorder what a terminal or an editor shows.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text with every unprintable character written as its escape (`\\x1b`, `\\u202e`)."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


class BuildFailed(Exception):
    """Raised once, at the end of a stage, with every error that stage collected, and the
    warnings of the build so far: an editor sees every problem of every file in one run."""

    def __init__(self, errors: list[SourceError], warnings: Iterable[SourceError] = ()):
        self.errors = sorted(errors)
        self.warnings: list[SourceError] = []
        self.add_warnings(warnings)
        super().__init__(f"{len(self.errors)} error(s)")

    def add_warnings(self, warnings: Iterable[SourceError]) -> None:
        """The build's warnings, each once (`--strict` made them the errors already)."""
        told = set(self.errors) | set(self.warnings)
        self.warnings += [warning for warning in warnings if warning not in told]


class ErrorLog:
    """Collects errors and warnings across a stage so an editor sees them all in one run."""

    def __init__(self) -> None:
        self.errors: list[SourceError] = []
        self.warnings: list[SourceError] = []

    def error(self, path: str | Path, line: int, col: int, message: str, hint: str = "") -> None:
        self.errors.append(SourceError(str(path), line, col, message, hint))

    def warn(self, path: str | Path, line: int, col: int, message: str, hint: str = "") -> None:
        self.warnings.append(SourceError(str(path), line, col, message, hint, "warning"))

    def raise_if_any(self) -> None:
        if self.errors:
            raise BuildFailed(self.errors, self.warnings)
