"""libyaml's syntax errors in an editor's words: the line and column where the mistake is
(not where libyaml noticed it), what went wrong and how to fix it."""

from __future__ import annotations

import re

import yaml

Problem = tuple[int, int, str, str]  # line, column, message, hint


# Errors whose problem shows up later than the mistake (the end of the text, the next
# line): the editor is shown where the quote, bracket or key began instead.
_AT_CONTEXT = ("while parsing a flow", "while scanning a quoted scalar", "while scanning a simple key")


def syntax_problem(exc: yaml.MarkedYAMLError, yaml_text: str, first_line: int) -> Problem:
    """Where the editor's mistake is (file line and column) and what to do about it."""
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and context.startswith(_AT_CONTEXT):
        mark = exc.context_mark
    if mark is None:
        return first_line, 1, f"YAML syntax error: {exc.problem or context}", _GENERIC_HINT
    if _YAML_ONLY_BREAK.search(yaml_text, 0, mark.index):
        return _past_invisible_break(exc.problem or context, context, mark.index, yaml_text, first_line)
    lines = yaml_text.splitlines()
    line, column = mark.line, mark.column
    if context.startswith("while parsing a flow"):  # libyaml may point past the end, not at the [
        line, column = _unclosed_bracket(lines, line, column)
    text = lines[line] if line < len(lines) else ""
    message, hint = _explain(exc.problem or context, context, text, column)
    return first_line + line, column + 1, f"YAML syntax error: {message}", hint


def _unclosed_bracket(lines: list[str], line: int, column: int) -> tuple[int, int]:
    """The [ or { that no ] or } closes, up to `line` (the mark itself when it is on one)."""
    if line < len(lines) and lines[line][column : column + 1] in ("[", "{"):
        return line, column
    opened: list[tuple[int, int]] = []
    for number, text in enumerate(lines[: line + 1]):
        for col, char in enumerate(_code_of(text)):
            if char in "[{":
                opened.append((number, col))
            elif char in "]}" and opened:
                opened.pop()
    return opened[-1] if opened else (line, column)


def _code_of(line: str) -> str:
    """The line as YAML's brackets see it: quoted text blanked, a comment (a # at the start or
    after a space, a bracket or a comma) cut off."""
    code, quote = [], ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
            char = " "
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t[{,"):
            break
        code.append(char)
    return "".join(code)


# Characters YAML takes for the end of a line (so does Python's splitlines) that text editors
# show as nothing or a space: pasted from a PDF or a word processor, they cut a value in two.
_YAML_ONLY_BREAK = re.compile("[\x85\u2028\u2029]")
_BREAK_NAMES = {"\x85": "next-line character U+0085", "\u2028": "line separator U+2028"}
_BREAK_NAMES["\u2029"] = "paragraph separator U+2029"
_BREAK = re.compile(r"\r\n|[\r\n]")  # the line breaks an editor sees


def _past_invisible_break(problem: str, context: str, index: int, yaml_text: str, first_line: int) -> Problem:
    """A mistake after an invisible line break, at the file's own line and column (libyaml
    counts one line more for each). When the text after the break is what YAML could not read
    (it begins a line of its own to YAML), the break is named: it is the editor's mistake."""
    line_start = max(yaml_text.rfind("\n", 0, index), yaml_text.rfind("\r", 0, index)) + 1
    line = first_line + len(_BREAK.findall(yaml_text, 0, line_start))
    text = _BREAK.split(yaml_text[line_start:], maxsplit=1)[0]
    cut = list(_YAML_ONLY_BREAK.finditer(yaml_text, line_start, index))
    if cut and not yaml_text[cut[-1].end() : index].strip():
        column = cut[-1].start() - line_start
        key, colon, _value = text[:column].partition(":")
        where = f"`{key.strip()}`" if colon else "this line"
        message = (
            f"{where} holds the invisible {_BREAK_NAMES[cut[-1].group()]}, which YAML reads as the end of the line"
        )
        # In quotes a line separator is kept as text (a space in a title); U+0085 is never published.
        hint = "remove it" if cut[-1].group() == "\x85" else "remove it, or put the whole value in quotes"
        return line, column + 1, message, hint
    message, hint = _explain(problem, context, text, index - line_start)
    return line, index - line_start + 1, f"YAML syntax error: {message}", hint


_GENERIC_HINT = "check quotes, colons and indentation on this line and the one before it"


def _explain(problem: str, context: str, line: str, col: int) -> tuple[str, str]:
    """libyaml's wording -> what went wrong and how to fix it, in an editor's words."""
    key, _, value = line.partition(":")
    if context.startswith("while scanning a quoted scalar"):
        quote = line[col : col + 1] or '"'
        hint = f"end the text with {quote} on the same line"
        if quote == "'" and value.strip() and line[col:].strip() == value.strip():  # `title: 'Twas a year`
            fix = f"{key.strip()}: {quoted(value.strip())}"
            hint = f"a value that starts with an apostrophe must be in double quotes: {fix}"
        return f"the quote {quote} opened here is never closed", hint
    if context.startswith("while parsing a flow"):
        return _unclosed_flow(line, col)
    if context.startswith("while scanning a simple key"):
        return "this line has no `:` after its key", "write `key: value`, e.g. `date: 2026-02-10`"
    before, written = _split_value(line)
    if _starts_with_sign(written) and col >= len(before):
        named = "a backtick (`)" if written[0] == "`" else f"`{written[0]}`"
        return f"a value cannot start with {named} unless it is in quotes", f"write {before} {quoted(written)}"
    if "\t" in line[: col + 1] or "'\\t'" in problem:
        return "a tab character", "YAML does not allow tabs for indentation; use spaces"
    if "mapping values are not allowed" in problem and line[:1].isspace() and line.find(":") == col:
        return "this line is indented more than the keys above it", "start it at the same column as the other keys"
    if "mapping values are not allowed" in problem:
        return "a value with `: ` in it must be in quotes", f"write {key.strip()}: {quoted(value.strip())}"
    if value.strip()[:1] in ("'", '"'):
        return problem, "a quoted value ends at its next matching quote mark; quote it with the other kind instead"
    return problem, _GENERIC_HINT


def _split_value(line: str) -> tuple[str, str]:
    """`title: @home` -> ("title:", "@home"); `  - @home` -> ("-", "@home"); else ("", "")."""
    stripped = line.lstrip()
    if stripped.startswith("- "):
        return "-", stripped[2:].strip()
    key, colon, value = line.partition(":")
    return (key.strip() + colon, value.strip()) if colon else ("", "")


# Signs YAML reads at the start of a value as its own (a label, a repeat, a tag, a block of
# lines...) or refuses there: such a value is text only in quotes.
_SIGNS = "@`*&!%|>"


def _starts_with_sign(value: str) -> bool:
    return bool(value) and value[0] in _SIGNS and not value.startswith("!!")  # `!!str 10:30`: YAML on purpose


def _unclosed_flow(line: str, col: int) -> tuple[str, str]:
    opener = line[col : col + 1] or "["
    closer = {"[": "]", "{": "}"}.get(opener, "]")
    message = f"the {opener} opened here is never closed"
    comment = line[len(_code_of(line)) :]
    if closer in comment and opener == "{":
        return f"{message}: YAML reads `{comment.strip()}` as a comment", 'put a value that has a # in quotes: "#1"'
    if closer in comment:  # `tags: [#museum, #ai]`: the ] is in the comment the # began
        key = line[: line.find(opener)].rstrip().rstrip(":").strip()
        entries = [entry.strip() for entry in line[col + 1 : line.rfind(closer)].split(",")]
        with_quotes = ", ".join(quoted(entry) if entry.startswith("#") else entry for entry in entries)
        without = ", ".join(entry.lstrip("#") for entry in entries)
        return (
            f"{message}: YAML reads `{comment.strip()}` as a comment",
            f"put the entries in quotes: {key}: [{with_quotes}] (or drop the #: {key}: [{without}])",
        )
    return message, f"end it with {closer} on the same line, e.g. tags: [AI, Policy]"


def quoted(text: str) -> str:
    """Text in the quotes YAML reads it from as it is: double, or single when it holds a double."""
    if '"' in text and "'" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
