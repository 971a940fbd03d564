"""Around a bug in markdown-it-pyrs 0.4: its parser panics (a Rust index out of range) on a
paragraph where a `[` is followed by a run of backticks that never closes, or on a `^[` that
never closes. CommonMark shows such backticks and brackets as they are, so escaping them gives
the same page; a paragraph that still fails is reported at its line instead of stopping the
build."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

from markdown_it_pyrs import Node

_BACKTICKS = re.compile(r"(?<!\\)`+")
_FENCE = re.compile(r"^ {0,3}(`{3,}(?!.*`)|~{3,})")  # a backtick fence's info has no backtick


class UnreadableMarkdown(Exception):
    message = "the Markdown parser fails on this paragraph"
    hint = (
        "a known bug of the parser (markdown-it-pyrs 0.4) with an unclosed ` or ^[ among brackets: "
        "close it, or write \\` or \\[ for a character shown as it is"
    )

    def __init__(self, line: int) -> None:
        super().__init__(f"{self.message} (body line {line})")
        self.line = line  # in the body, 1-based


def is_panic(exc: BaseException) -> bool:
    """pyo3 raises a Rust panic as PanicException, a BaseException of its own module."""
    return type(exc).__name__ == "PanicException"


def parse_tree(parse: Callable[[str], Node], body: str) -> tuple[Node, str]:
    """The tree, and the text it was made from (the body, or the body with loose backticks
    and brackets escaped)."""
    if "`" not in body and "^[" not in body:  # nothing here can make it panic
        return parse(body), body
    with panics_unprinted():
        return _parse_escaping(parse, body)


@cache
def _devnull() -> int:
    """Opened once per process: most bodies have a backtick, and an open per body cost more than
    the rest of the redirect."""
    return os.open(os.devnull, os.O_WRONLY)


_quiet = 0  # how many panics_unprinted() scopes are open in this process


@contextmanager
def panics_unprinted() -> Iterator[None]:
    """Rust prints each panic on file descriptor 2; the editor gets our message instead.
    The parse stage opens one scope around all its files: swapping descriptor 2 for each
    body starved this process's other thread (the one that reads the workers' results) of
    the interpreter lock, and the worker sat waiting to send."""
    global _quiet
    if _quiet:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    _quiet += 1
    try:
        os.dup2(_devnull(), 2)
        yield
    finally:
        _quiet -= 1
        os.dup2(saved, 2)
        os.close(saved)


def _parse_escaping(parse: Callable[[str], Node], body: str) -> tuple[Node, str]:
    try:
        return parse(body), body
    except BaseException as exc:
        if not is_panic(exc):
            raise
    # First what CommonMark shows as written anyway; then, more boldly, backticks not closed on
    # their own line and every inline note (`^[…]`) are shown as written.
    for by_line in (False, True):
        escaped = "".join(_escape(text, by_line) if plain else text for plain, text in _paragraphs(body))
        try:
            return parse(escaped), escaped
        except BaseException as exc:
            if not is_panic(exc):
                raise
    raise UnreadableMarkdown(_failing_line(parse, body)) from None


def _paragraphs(body: str) -> Iterator[tuple[bool, str]]:
    """(is it plain text?, text) in order: runs of non-blank lines outside fenced and indented code."""
    fence = ""
    run: list[str] = []
    for line in body.splitlines(keepends=True):
        opening = _FENCE.match(line)
        if fence or opening or not line.strip() or line.startswith(("    ", "\t")):
            if run:
                yield True, "".join(run)
                run = []
            if fence and opening and opening.group(1).startswith(fence):
                fence = ""
            elif not fence and opening:
                fence = opening.group(1)
            yield False, line
        else:
            run.append(line)
    if run:
        yield True, "".join(run)


def _escape(text: str, by_line: bool) -> str:
    if by_line:
        return "".join(_escape_loose(line, True) for line in text.splitlines(keepends=True))
    return _escape_loose(text, False)


def _escape_loose(text: str, every_note: bool) -> str:
    """Backslashes before each backtick of a run no later run of the same length closes,
    and before the bracket of a `^[` no `]` closes."""
    runs = list(_BACKTICKS.finditer(text))
    loose: list[re.Match[str]] = []
    index = 0
    while index < len(runs):
        run = runs[index]
        closer = next((j for j in range(index + 1, len(runs)) if len(runs[j].group()) == len(run.group())), None)
        if closer is None:
            loose.append(run)
            index += 1
        else:
            index = closer + 1
    for run in reversed(loose):
        text = text[: run.start()] + "\\`" * len(run.group()) + text[run.end() :]
    start = text.find("^[")
    while start >= 0:
        if every_note or "]" not in text[start:]:
            text = text[:start] + "^\\[" + text[start + 2 :]
        start = text.find("^[", start + 2)
    return text


def _failing_line(parse: Callable[[str], Node], body: str) -> int:
    line = 1
    for _plain, text in _paragraphs(body):
        try:
            parse(text)
        except BaseException as exc:
            if not is_panic(exc):
                raise
            return line
        line += text.count("\n")
    return 1
