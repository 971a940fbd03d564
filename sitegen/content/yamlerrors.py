"""libyaml's syntax errors in an editor's words: the line and column where the mistake is
(not where libyaml noticed it), what went wrong and how to fix it."""

from __future__ import annotations

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
    lines = yaml_text.splitlines()
    text = lines[mark.line] if mark.line < len(lines) else ""
    message, hint = _explain(exc.problem or context, context, text, mark.column)
    return first_line + mark.line, mark.column + 1, f"YAML syntax error: {message}", hint


_GENERIC_HINT = "check quotes, colons and indentation on this line and the one before it"


def _explain(problem: str, context: str, line: str, col: int) -> tuple[str, str]:
    """libyaml's wording -> what went wrong and how to fix it, in an editor's words."""
    key, _, value = line.partition(":")
    if context.startswith("while scanning a quoted scalar"):
        quote = line[col : col + 1] or '"'
        return f"the quote {quote} opened here is never closed", f"end the text with {quote} on the same line"
    if context.startswith("while parsing a flow"):
        opener = line[col : col + 1] or "["
        closer = {"[": "]", "{": "}"}.get(opener, "]")
        return (
            f"the {opener} opened here is never closed",
            f"end it with {closer} on the same line, e.g. tags: [AI, Policy]",
        )
    if context.startswith("while scanning a simple key"):
        return "this line has no `:` after its key", "write `key: value`, e.g. `date: 2026-02-10`"
    if "\t" in line[: col + 1] or "'\\t'" in problem:
        return "a tab character", "YAML does not allow tabs for indentation; use spaces"
    if "mapping values are not allowed" in problem and line[:1].isspace() and line.find(":") == col:
        return "this line is indented more than the keys above it", "start it at the same column as the other keys"
    if "mapping values are not allowed" in problem:
        quote = "'" if '"' in value and "'" not in value else '"'
        return "a value with `: ` in it must be in quotes", f"write {key.strip()}: {quote}{value.strip()}{quote}"
    if value.strip()[:1] in ("'", '"'):
        return problem, "a quoted value ends at its next matching quote mark; quote it with the other kind instead"
    return problem, _GENERIC_HINT
