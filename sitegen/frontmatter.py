"""Split the front-matter fence and read its YAML, keeping file lines for every key."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: much faster
_FENCE = "---"
_CLOSERS = ("---", "...")


@dataclass(frozen=True)
class Mark:
    """Where a key and its value stand in the file (1-based)."""

    line: int
    col: int
    value_line: int
    value_col: int


class FrontMatterError(Exception):
    def __init__(self, line: int, col: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line, self.col, self.message, self.hint = line, col, message, hint


@dataclass(frozen=True)
class Document:
    data: dict
    marks: dict[str, Mark]  # "title", "image.alt", "tags.0" -> where it is
    body: str
    body_line: int  # file line on which the body starts


def split(text: str) -> tuple[str, int, str, int]:
    """-> (yaml text, its first file line, body, the body's first file line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != _FENCE:
        raise FrontMatterError(
            1,
            1,
            "the file does not start with front matter",
            "put a line with --- first, then `title: ...` and the other keys, then --- again",
        )
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip("\r\n").rstrip() in _CLOSERS:
            return "".join(lines[1:index]), 2, "".join(lines[index + 1 :]), index + 2
    raise FrontMatterError(
        1,
        1,
        "the front matter opened on line 1 is never closed",
        "add a line with only --- after the last front-matter key",
    )


def parse_document(text: str) -> Document:
    yaml_text, first_line, body, body_line = split(text)
    data, marks = load_yaml_mapping(yaml_text, first_line)
    return Document(data, marks, body, body_line)


def load_yaml_mapping(yaml_text: str, first_line: int = 1) -> tuple[dict, dict[str, Mark]]:
    """Parse YAML that must be a mapping; raise FrontMatterError with file lines."""
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and (exc.context or "").startswith("while parsing a flow"):
            mark = exc.context_mark  # an unclosed [ or {: name where it was opened
        line = first_line + (mark.line if mark else 0)
        col = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "is not valid YAML"
        raise FrontMatterError(line, col, f"YAML syntax error: {problem}", _yaml_hint(problem)) from None
    except yaml.YAMLError as exc:  # e.g. a date like 2026-02-30 that YAML cannot build
        raise FrontMatterError(first_line, 1, f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError(
            first_line,
            1,
            "front matter must be a list of `key: value` lines",
            "write each setting as `key: value`, e.g. `title: Board meeting`",
        )
    marks: dict[str, Mark] = {}
    _collect_marks(node, "", marks, first_line)
    return data, marks


def _collect_marks(node: yaml.Node | None, prefix: str, marks: dict[str, Mark], first: int) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = f"{prefix}{key_node.value}"
            if key in seen:
                raise FrontMatterError(
                    first + key_node.start_mark.line,
                    key_node.start_mark.column + 1,
                    f"the key `{key_node.value}` appears twice",
                    "keep one of them",
                )
            seen.add(key)
            marks[key] = Mark(
                first + key_node.start_mark.line,
                key_node.start_mark.column + 1,
                first + value_node.start_mark.line,
                value_node.start_mark.column + 1,
            )
            _collect_marks(value_node, key + ".", marks, first)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            line, col = first + child.start_mark.line, child.start_mark.column + 1
            marks[f"{prefix}{index}"] = Mark(line, col, line, col)
            _collect_marks(child, f"{prefix}{index}.", marks, first)


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return 'a value containing ": " must be quoted, e.g. title: "Call: researcher on AI"'
    if "found character '\\t'" in problem:
        return "YAML does not allow tabs for indentation; use spaces"
    if "could not find expected ':'" in problem:
        return "every line needs `key: value`; check the line above for a missing colon or quote"
    return "check quotes, colons and indentation on this line and the one before it"
