"""Checks on YAML as composed, before a value is built from it: how much it stands for once
its aliases are written out (the defence against a "billion laughs", a kilobyte of nested
`*alias` lists that would expand to billions of values), that every key is a name, and that
no value lost what it starts with (`#`, `&`) to YAML's signs."""

from __future__ import annotations

import re

import yaml

from sitegen.content.yamlerrors import quoted

_STR, _MERGE = "tag:yaml.org,2002:str", "tag:yaml.org,2002:merge"  # text; `<<: *defaults`
_NULL = "tag:yaml.org,2002:null"


def key_problem(node: yaml.Node, first: int) -> tuple[int, int, str, str] | None:
    """A key is a name: `~`, `1` or `true` before a colon is not one (YAML reads them as
    nothing, a number, a truth value), and would be misread or lost."""
    if node.id != "scalar" or node.tag in (_STR, _MERGE):
        return None
    return (
        first + node.start_mark.line,
        node.start_mark.column + 1,
        f"`{node.value}` is not a key name",
        "a key is a word followed by a colon, e.g. `title:`; put it in quotes to use it as text",
    )


def value_slip(root: yaml.Node, text: str, first: int) -> tuple[int, int, str, str] | None:
    """A value YAML reads as nothing, or as less than was written, because of the sign it starts
    with: `title: #1 priority` is a key with a comment (left empty, or no tags at all for
    `tags:`), `title: &Co news` is "news" with the label `&Co`. Each looks only when the text
    holds the sign."""
    if "#" in text:
        problem = _comment_slip(root, text.splitlines(), first)
        if problem:
            return problem
    return _label_slip(text, text.splitlines(), first, _inside_text(root)) if "&" in text else None


def _comment_slip(root: yaml.Node, lines: list[str], first: int) -> tuple[int, int, str, str] | None:
    """A value whose line goes on with ` #` and a word, which YAML reads as a comment: a hashtag
    or a number (`#1`) was meant, not a comment (`# later`, with a space, is one)."""
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:  # in the file's order: the first slip is told
        node, key = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack.extend(reversed([(value, str(name.value)) for name, value in node.value]))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed([(entry, "") for entry in node.value]))
        elif not node.style and node.tag in _TEXT_TAGS and node.start_mark.line == node.end_mark.line < len(lines):
            line = lines[node.start_mark.line]
            start, end = node.start_mark.column, node.end_mark.column
            rest = line[end:].lstrip(" \t")
            if rest[:1] == "#" and rest[1:2].strip() and (start == end or line[end : end + 1].isspace()):
                return _comment_problem(line, start, len(line) - len(rest), key, first + node.start_mark.line)
    return None


# A plain value read as text, or as nothing: `draft: true #wip` and `date: 2026-02-10 #tbc` are a
# value and a comment, as the editor meant.
_TEXT_TAGS = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:null")


def _inside_text(root: yaml.Node) -> set[int]:
    """The lines (0-based) inside quoted or block text (`summary: |`): no key or label there."""
    inside, stack = set(), [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif node.style:
            inside.update(range(node.start_mark.line + 1, node.end_mark.line + 1))
    return inside


def _comment_problem(line: str, start: int, sign: int, key: str, number: int) -> tuple[int, int, str, str]:
    value = re.sub(r"\s+#\s.*$", "", line[start:].strip())  # without a real comment after it
    name = f"`{key}`" if key else "this entry"
    if line[start:sign].strip():
        message = f"{name} stops before the `#`: YAML reads a `#` after a space as the start of a comment"
    else:
        after = "colon" if key else "dash"
        message = f"{name} is left empty: YAML reads a `#` after the {after} as the start of a comment"
    return number, sign + 1, message, f"put the whole value in quotes: {line[:start].strip()} {quoted(value)}"


# `key: &label value` or `- &label value`: a label (anchor) that nothing repeats (`*label`).
_LABEL = re.compile(r"^(\s*(?:-\s+|[^\s#:-][^:#]*:\s+))&([^\s\[\]{},]+)[ \t]+(\S.*)$")


def _label_slip(text: str, lines: list[str], first: int, inside: set[int]) -> tuple[int, int, str, str] | None:
    for number, line in enumerate(lines):
        match = None if number in inside else _LABEL.match(line)
        if match and f"*{match.group(2)}" not in text:
            prefix, label, rest = match.groups()
            message = f"YAML reads `&{label}` at the start of a value as a label, and leaves it out of the value"
            fix = f"{prefix.strip()} {quoted(f'&{label} {rest.rstrip()}')}"
            return first + number, len(prefix) + 1, message, f"put the value in quotes: {fix}"
    return None


def size_problem(root: yaml.Node, text: str, first: int) -> tuple[int, int, str, str] | None:
    """(line, column, message, hint) if the YAML stands for too many values once its aliases
    are written out, or is nested too deeply for the code that walks it; None when it is fine.
    Each walk runs only when the text could hold the problem: aliases need a `*`, and nesting
    MOST_DEPTH deep takes that many brackets, dashes or colons."""
    if "*" in text:
        problem = expansion_problem(root, first)
        if problem:
            return problem
    if sum(map(text.count, "[{-:")) >= MOST_DEPTH:
        return depth_problem(root, first)
    return None


# Lists in lists (or mappings in mappings) deeper than this are no front matter or setting,
# and would exhaust the stack of whatever walks them (Python's, or libyaml's at 1,000).
MOST_DEPTH = 100


def depth_problem(root: yaml.Node, first: int) -> tuple[int, int, str, str] | None:
    """The place where the YAML is nested MOST_DEPTH levels deep, if it is (without recursion)."""
    stack, deepest = [(root, 1)], {}  # a node an alias shares is walked again only when met deeper
    while stack:
        node, depth = stack.pop()
        if depth > MOST_DEPTH:
            mark = node.start_mark
            message = f"this value is nested more than {MOST_DEPTH} levels deep (lists or mappings inside each other)"
            return first + mark.line, mark.column + 1, message, "write the values as a flat list or mapping"
        if deepest.get(id(node), 0) < depth:
            deepest[id(node)] = depth
            stack.extend((child, depth + 1) for child in _children(node))
    return None


# The values front matter or site.yaml may expand to through aliases (`*name` repeats what
# `&name` marks): far more than any real one, far less than the ~1 KB "billion laughs" that
# nine levels of aliases make of it.
MOST_VALUES = 100_000


def expansion_problem(root: yaml.Node, first: int) -> tuple[int, int, str, str] | None:
    """(line, column, message, hint) if the YAML's aliases expand it past MOST_VALUES values
    or make it contain itself, found before anything walks it: each node's expanded size is
    counted once (the nodes an alias shares are one object), without recursion. The line is
    that of the key whose value goes past (`first`: the file line of the YAML's first line)."""
    sizes: dict[int, int] = {}
    total = 0
    for key, value in root.value if isinstance(root, yaml.MappingNode) else [(None, root)]:
        size = _expanded_size(value, sizes)
        total += size or 0
        if size is None or total > MOST_VALUES:
            where = key or value
            name = f"`{key.value}`" if key is not None else "this YAML"
            if size is None:
                problem = "contains itself through an alias (`*name` inside what `&name` marks)"
            else:
                problem = f"repeats so much through aliases (`*name`) that it holds over {MOST_VALUES:,} values"
            line, col = first + where.start_mark.line, where.start_mark.column + 1
            return line, col, f"{name} {problem}", "write the values out instead of repeating them through aliases"
    return None


def _expanded_size(root: yaml.Node, sizes: dict[int, int]) -> int | None:
    """How many values the node stands for once every alias in it is written out (None: it
    contains itself). `sizes` remembers each node's size by id; stops past MOST_VALUES."""
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_nodes: set[int] = set()  # the nodes being counted: one met again is a cycle
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            size = 1 + sum(sizes[id(child)] for child in _children(node))
            sizes[key] = size
            if size > MOST_VALUES:
                return size
        elif key in open_nodes:
            return None
        elif key not in sizes:
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return node.value if isinstance(node, yaml.SequenceNode) else []
