"""sitegen writes a body's tags with its own loop (content/markdown_html.py, for speed): it must
write what markdown-it-py's renderer writes, for every kind of token."""

from __future__ import annotations

from typing import Any

import pytest
from markdown_it.renderer import RendererHTML
from markdown_it.utils import OptionsDict

from bench.corpus import posts
from sitegen.content.config import HtmlPolicy
from sitegen.content.markdown import Resolver, _parser, environment

BODIES = [
    "- a\n  > a quote after a tight list's paragraph\n- b\n\n  ```\n  code\n  ```\n",
    "1. one\n\n   two\n2. three\n\n7. seven\n8. eight\n",
    "-\n- b\n  - nested\n    - deeper\n\n* [ ] box\n",
    "| Left | Centre | Right |\n| :--- | :---: | ---: |\n| a | *b* | `c` |\n| | | |\n",
    '![A chart](chart.png "Title") and ![](empty.png) and [link](https://example.org/ "t")\n',
    '<div class="x">raw *html*</div>\n\nInline <span>html</span> and <https://example.org> auto.\n',
    '***strong em*** ~~gone~~ line  \nbreak\\\nand `code` &amp; &copy; "quotes" -- dashes...\n',
    "Setext\n======\n\n---\n\n> > nested quote\n> > - list in quote\n\n    indented code\n",
    "Text[^1] and^[inline note].\n\n[^1]: The note.\n\n    More of it.\n",
    "Term\n: Definition\n\nOther term\n\n: Loose definition\n",
    "::: note\nA callout\n:::\n\n> [!WARNING]\n> GitHub's way\n",
    "## Heading {#custom .wide}\n\n![Photo](p.jpg){width=640 height=480}\n\n[[toc]]\n\n### Sub\n",
    "<table>\n<tr><td>raw</td></tr>\n</table>\n\n<!-- comment -->\n",
]


def _environment() -> dict[str, Any]:
    return environment(Resolver("news/2026-01-01-a.md", "/", None), HtmlPolicy())


@pytest.mark.parametrize("xhtml", [False, True])
def test_the_body_renderer_writes_what_markdown_its_renderer_writes(xhtml: bool) -> None:
    md = _parser()
    stock = RendererHTML()
    stock.rules.update(md.renderer.rules)  # sitegen's and the plugins' rules: only the loops and plain tags differ
    options = OptionsDict({**md.options, "xhtmlOut": xhtml})
    for body in [*BODIES, *(post.body for post in posts(60))]:
        env = _environment()
        tokens = md.parse(body, env)
        assert md.renderer.render(tokens, options, env) == stock.render(tokens, options, env), body


TYPOGRAPHY = [
    "(c) (C) (tm) (TM) (r) (R) (x) ( c) and <https://example.org/(c)> and [a (tm) link](https://example.org/(r))\n",
    "+- 1... 2.. wait?.... no!..... ???????? !!!!!! ,, ,,,, and\n\n- a -- b --- c ---- d\n- x--y --z-- w---v\n",
    "\"Double\" and 'single' quotes, it's an apostrophe, \"nested 'inner' quotes\", '80s, \"unclosed\n",
    '`code "quotes" -- (c)` and <span title="x">\'raw\'</span> and **"bold"** and *\'em\'*\n',
    '> "A quote" -- in a quote...\n>\n> | Cell "a" | \'b\' -- c |\n> | --- | --- |\n> | (c) | ... |\n',
    "# \"Heading\" -- with (tm)...\n\nSetext 'title' --\n---\n",
    'Text\\-\\- escaped \\"quotes\\" and &quot;entities&quot; &#39;x&#39;\n',
    'Line one ends with --\nand the next begins -- and "spans\nlines" here.\n',
]


def test_typography_gives_what_markdown_its_replacements_and_smartquotes_give() -> None:
    """typography.py tests each paragraph with `in` rather than markdown-it's regular
    expressions (speed): the HTML must be what markdown-it's two rules give."""
    from markdown_it.rules_core.replacements import replace

    from sitegen.content import markdown

    fast = markdown._parser()
    stock = markdown._parser.__wrapped__()
    stock.core.ruler.at("replacements", replace)
    stock.enable("smartquotes")
    assert fast.core.ruler.get_active_rules() != stock.core.ruler.get_active_rules()
    for body in [*TYPOGRAPHY, *BODIES, *(post.body for post in posts(60))]:
        assert fast.render(body, _environment()) == stock.render(body, _environment()), body
    assert "©" in fast.render(TYPOGRAPHY[0], _environment()) and "’" in fast.render(TYPOGRAPHY[2], _environment())


NEWLINES = [
    "Windows\r\nlines\r\n\r\n- a\r\n- b\r\n\r\n```\r\ncode\r\n```\r\n",
    "Old Mac\rlines\r\rand `a\rcode` span\n",
    "A NUL \0 here and `\0` there\n\n# Head\0ing\n",
    "Mixed\r\n\rline\n\r\nends \r\0 and done",
]


def test_line_endings_and_nul_become_what_markdown_its_normalize_makes() -> None:
    """markdown.py's first rule tests for `\\r` and NUL with `in` before replacing, and the
    options markdown-it's rules look up are set to their defaults (speed): the tokens and HTML
    must be what markdown-it's own normalize rule gives, with those options not set."""
    from markdown_it.rules_core.normalize import normalize

    from sitegen.content import markdown

    fast = markdown._parser()
    stock = markdown._parser.__wrapped__()
    stock.core.ruler.at("normalize", normalize)
    unset = {key: value for key, value in stock.options.items() if key not in markdown._OFF}
    stock.options = OptionsDict(unset)  # type: ignore[assignment,arg-type]
    assert "tasklists" in fast.options and "tasklists" not in stock.options
    for body in [*NEWLINES, *BODIES]:
        assert fast.parse(body, _environment()) == stock.parse(body, _environment()), body
        assert fast.render(body, _environment()) == stock.render(body, _environment()), body
    assert "\r" not in fast.render(NEWLINES[1], _environment()) and "\ufffd" in fast.render(NEWLINES[2], _environment())

    # The whole of render(), which chooses the plugins by the marks that begin lines: a file saved
    # with old-Mac line endings reads as the same file saved with `\n`.
    for body in [*NEWLINES, "Term\r: Definition\r\rPara\r", "Term\r\n: Definition\r\n"]:
        unix = body.replace("\r\n", "\n").replace("\r", "\n")
        policy = HtmlPolicy()
        assert markdown.render(body, "news/a.md", "/", policy) == markdown.render(unix, "news/a.md", "/", policy)
    assert "<dl>" in markdown.render("Term\r: Definition\r", "news/a.md", "/", HtmlPolicy()).html
