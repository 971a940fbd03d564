"""Split the front-matter fence and read its YAML, keeping file lines for every key."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from sitegen.content.slips import toml_problem
from sitegen.content.yamlchecks import key_problem, size_problem, value_slip
from sitegen.content.yamlerrors import syntax_problem

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: much faster
_FENCE = "---"
_CLOSERS = ("---", "...")
_KEY_LINE = re.compile(r"^[A-Za-z_][\w-]*\s*:")


class _Loader(_BaseLoader):
    """The safe loader, except that a date YAML cannot build (2026-02-30) stays text: the
    schema then reports it at its own line, in the editor's words. So does a number Python
    will not read (over 4,300 digits): a title may be one, and a setting says it is no number."""


def _or_text(construct: Callable[..., object]) -> Callable[[yaml.SafeLoader, yaml.ScalarNode], object]:
    def build(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
        try:
            return construct(loader, node)
        except ValueError:
            return loader.construct_scalar(node)

    return build


class WrittenInt(int):
    """A number YAML read from a plain value, with the text the editor wrote: a field of text
    shows that text, as YAML 1.1 reads `10:30` as 630 and `3.10` as 3.1 (schema.read_text)."""

    written = ""


class WrittenFloat(float):
    written = ""  # as WrittenInt's


def _as_written(kind: type[WrittenInt] | type[WrittenFloat], construct: Callable[..., object]) -> Callable[..., object]:
    def build(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
        try:
            number = kind(construct(loader, node))  # type: ignore[call-overload]
        except ValueError:
            return loader.construct_scalar(node)
        number.written = node.value
        return number

    return build


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _or_text(_BaseLoader.construct_yaml_timestamp))
_Loader.add_constructor("tag:yaml.org,2002:int", _as_written(WrittenInt, _BaseLoader.construct_yaml_int))
_Loader.add_constructor("tag:yaml.org,2002:float", _as_written(WrittenFloat, _BaseLoader.construct_yaml_float))
# YAML 1.1 reads yes/no/on/off as true/false, so `title: No` or a tag `Off` would turn
# into a boolean. Only true and false are booleans here, as in YAML 1.2.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


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
    lines = _head_lines(text)
    if not lines or lines[0].rstrip("\r\n").rstrip() != _FENCE:
        raise _no_opening_fence(text.splitlines(keepends=True))
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip("\r\n").rstrip() in _CLOSERS:
            yaml_text = "".join(lines[1:index])
            return yaml_text, 2, text[len(lines[0]) + len(yaml_text) + len(line) :], index + 2
    lines = text.splitlines(keepends=True)
    last = _last_key_line(lines)
    where = f"after line {last}, where the front-matter keys end" if last else "after the last front-matter key"
    raise FrontMatterError(
        1, 1, "the front matter opened on line 1 is never closed", f"add a line with only --- {where}"
    )


def _head_lines(text: str, size: int = 2048) -> list[str]:
    """The first lines of the text as splitlines gives them, through the closing fence if there
    is one, without splitting the whole body (a line-ending \r may be followed by \n beyond
    the cut, so the last line of a cut is left off)."""
    while size < len(text):
        lines = text[:size].splitlines(keepends=True)[:-1]
        if any(line.rstrip("\r\n").rstrip() in _CLOSERS for line in lines[1:]):
            return lines
        size *= 4
    return text.splitlines(keepends=True)


def _no_opening_fence(lines: list[str]) -> FrontMatterError:
    blank = 0
    while blank < len(lines) and not lines[blank].strip():
        blank += 1
    if blank == len(lines):  # an editor's new file not yet written, or one an export left empty
        return FrontMatterError(
            1, 1, "the file is empty", "write its front matter (---, `title: ...`, ---) and text, or delete the file"
        )
    if blank and blank < len(lines) and lines[blank].strip() == _FENCE:
        return FrontMatterError(
            1, 1, f"the front matter must start on line 1, not line {blank + 1}", "remove the empty lines before ---"
        )
    toml = toml_problem(lines)
    if toml:
        return FrontMatterError(*toml)
    return FrontMatterError(
        1,
        1,
        "the file does not start with front matter",
        "put a line with --- first, then `title: ...` and the other keys, then --- again",
    )


def _last_key_line(lines: list[str]) -> int:
    """The file line of the last line that still looks like front matter (0: none)."""
    last = 0
    for number, line in enumerate(lines[1:], start=2):
        if _KEY_LINE.match(line) or (last and line[:1] in (" ", "\t", "-") and line.strip()):
            last = number  # a key, or a line that continues the one above (list entries, nesting)
        else:
            break
    return last


def parse_document(text: str) -> Document:
    yaml_text, first_line, body, body_line = split(text)
    data, marks = load_yaml_mapping(yaml_text, first_line)
    return Document(data, marks, body, body_line)


def load_yaml_mapping(yaml_text: str, first_line: int = 1) -> tuple[dict, dict[str, Mark]]:
    """Parse YAML that must be a mapping; raise FrontMatterError with file lines."""
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        too_big = size_problem(node, yaml_text, first_line) if node is not None else None
        if too_big:  # aliases that repeat a part a billion times in a kilobyte; lists in lists in...
            raise FrontMatterError(*too_big)
        slip = value_slip(node, yaml_text, first_line) if node is not None else None
        if slip:  # `title: #1 priority`: a comment where a value was meant
            raise FrontMatterError(*slip)
        if isinstance(node, yaml.MappingNode):
            try:
                return _build_mapping(loader, node, first_line)
            except _NotPlain:
                pass
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        raise FrontMatterError(*syntax_problem(exc, yaml_text, first_line)) from None
    except yaml.YAMLError as exc:
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


class _NotPlain(Exception):
    """A tag, key or merge the quick path leaves to PyYAML's constructor."""


_MAP, _SEQ, _STR = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str"
_SEQUENCE, _MAPPING = yaml.SequenceNode.id, yaml.MappingNode.id  # a node's kind, whatever its tag says
_PLAIN_SCALARS = {_STR} | {f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp")}


def _build_mapping(loader: _Loader, node: yaml.MappingNode, first: int) -> tuple[dict, dict[str, Mark]]:
    """What construct_document and _collect_marks give, in one walk of the nodes instead of
    two and without PyYAML's generic constructor (38 -> 27 µs a front matter): plain keys,
    text, numbers, dates, and lists and mappings of them, as front matter has."""
    builder = _Builder(loader, first)
    data = builder.build(node, "")
    if builder.twice:  # raised only after the walk, as before: a value's error comes first
        raise builder.twice[0]
    return data, builder.marks


class _Builder:
    def __init__(self, loader: _Loader, first: int) -> None:
        self.loader, self.first = loader, first
        self.marks: dict[str, Mark] = {}
        self.twice: list[FrontMatterError] = []
        self.seen: set[int] = set()  # lists and mappings, by id: one met again is an alias

    def build(self, node: yaml.Node, prefix: str) -> object:
        tag, kind = node.tag, node.id
        if kind == "scalar" and tag == _STR:
            return node.value
        if kind == "scalar" and tag in _PLAIN_SCALARS:
            return self.loader.yaml_constructors[tag](self.loader, node)
        if (kind, tag) not in ((_SEQUENCE, _SEQ), (_MAPPING, _MAP)) or id(node) in self.seen:
            raise _NotPlain  # (PyYAML shares an alias's object, and an alias can make a cycle)
        self.seen.add(id(node))
        first, marks = self.first, self.marks
        if tag == _SEQ:
            values = []
            for index, child in enumerate(node.value):
                line, col = first + child.start_mark.line, child.start_mark.column + 1
                marks[f"{prefix}{index}"] = Mark(line, col, line, col)
                values.append(self.build(child, f"{prefix}{index}."))
            return values
        mapping = {}
        for key_node, value_node in node.value:
            if key_node.tag != _STR or key_node.id != "scalar":
                _check_key(key_node, first)
                raise _NotPlain
            name = key_node.value
            key = f"{prefix}{name}"
            line, col = first + key_node.start_mark.line, key_node.start_mark.column + 1
            if key in marks and not self.twice:
                message = f"the key `{name}` appears twice"
                hint = f"keep one of them (the other is on line {marks[key].line})"
                self.twice.append(FrontMatterError(line, col, message, hint))
            value = value_node.start_mark
            marks[key] = Mark(line, col, first + value.line, value.column + 1)
            mapping[name] = self.build(value_node, key + ".")
        return mapping


def _collect_marks(node: yaml.Node | None, prefix: str, marks: dict[str, Mark], first: int) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            _check_key(key_node, first)
            key = f"{prefix}{key_node.value}"
            line, col = first + key_node.start_mark.line, key_node.start_mark.column + 1
            if key in marks:
                raise FrontMatterError(
                    line,
                    col,
                    f"the key `{key_node.value}` appears twice",
                    f"keep one of them (the other is on line {marks[key].line})",
                )
            value = value_node.start_mark
            marks[key] = Mark(line, col, first + value.line, value.column + 1)
            _collect_marks(value_node, key + ".", marks, first)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            line, col = first + child.start_mark.line, child.start_mark.column + 1
            marks[f"{prefix}{index}"] = Mark(line, col, line, col)
            _collect_marks(child, f"{prefix}{index}.", marks, first)


def _check_key(node: yaml.Node, first: int) -> None:
    problem = key_problem(node, first)
    if problem:
        raise FrontMatterError(*problem)
