"""Jekyll's code blocks, `{% highlight python %}` ... `{% endhighlight %}`, read as the fenced
code blocks they were on the old site (Liquid wrote them so): the code is published as
written, not as a paragraph whose quotes the typographer curls and whose `*` become emphasis.
The editor is told to write ``` instead, which every Markdown tool reads."""

from __future__ import annotations

import re

from markdown_it.rules_block.state_block import StateBlock

from sitegen.content.lint import Finding

_OPENING = re.compile(r"\{%-?\s*highlight\s+([\w+#.-]+)?[^%\n]*-?%\}\s*")
_CLOSING = re.compile(r"\{%-?\s*endhighlight\s*-?%\}\s*")


def liquid_highlight(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A block rule: the opening tag alone on its line, up to the line of the closing tag (a
    tag with no end is left to the paragraph rule, and named as template syntax)."""
    if state.is_code_block(start):
        return False
    opening = _OPENING.fullmatch(_line(state, start))
    if opening is None:
        return False
    closing = next((line for line in range(start + 1, end) if _CLOSING.fullmatch(_line(state, line))), None)
    if closing is None:
        return False
    if silent:
        return True
    token = state.push("fence", "code", 0)
    token.info = opening.group(1) or ""
    token.content = state.getLines(start + 1, closing, state.sCount[start], True)
    token.markup, token.map = "```", [start, closing + 1]
    state.line = closing + 1
    state.env["sitegen_findings"].append(_told(start + 1, token.info))
    return True


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _told(line: int, language: str) -> Finding:
    return Finding(
        line,
        "`{% highlight %}` is Jekyll's: read as a code block",
        f"write a line of ```{language} before the code and a line of ``` after it (every Markdown tool reads that)",
    )
