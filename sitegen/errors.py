"""Errors an editor can act on: every one names a file, a line, a column and a fix."""

from __future__ import annotations

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
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class BuildFailed(Exception):
    """Raised once, at the end of a stage, with every error that stage collected."""

    def __init__(self, errors: list[SourceError]):
        self.errors = sorted(errors)
        super().__init__(f"{len(self.errors)} error(s)")


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
            raise BuildFailed(self.errors)
