"""Warnings that help editors write accessible pages, each at its file line."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import make_site, run_build

BODY = """## Section

![photo.jpg](pic.svg)

Read the report [here](https://example.net/report), or
[click here](https://example.net/other) for more.

![Image of a museum depot](pic.svg)

#### Too deep

|   |   |
|---|---|
| a | b |

<table><tr><td>raw</td></tr></table>
"""


def _warnings(tmp_path: Path, body: str, image: str = "") -> list[str]:
    front = f"---\ntitle: T\ndate: 2026-01-01\n{image}---\n"
    site = make_site(
        tmp_path / "s",
        {
            "content/news/2026-01-01-t.md": front + body,
            "content/news/pic.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
        },
    )
    return [w.format().split("\n")[0] for w in run_build(site).warnings]


def test_each_problem_is_a_warning_at_its_line(tmp_path: Path) -> None:
    path = "content/news/2026-01-01-t.md"
    assert _warnings(tmp_path, BODY) == [
        f"{path}:7:1: warning: the alt text `photo.jpg` is a file name",
        f"{path}:9:1: warning: the link text “here” does not say where it goes",
        f"{path}:10:1: warning: the link text “click here” does not say where it goes",
        f"{path}:12:1: warning: the alt text starts with “Image of”",
        f"{path}:14:1: warning: heading level skipped: `####` after `##`",
        f"{path}:16:1: warning: this table's header row is empty",
        f"{path}:20:1: warning: this table has no header cells",
    ]


def test_front_matter_alt_text_is_checked_too(tmp_path: Path) -> None:
    warnings = _warnings(tmp_path, "Text.\n", "image: {src: pic.svg, alt: Picture of the board}\n")
    assert warnings == ["content/news/2026-01-01-t.md:4:28: warning: the alt text starts with “Picture of”"]


def test_good_content_gives_no_warnings(tmp_path: Path) -> None:
    body = (
        "## Section\n\n### Sub\n\nRead [the accessibility report](https://example.net/r).\n\n"
        "![Two screens with code](pic.svg)\n\n| Year | Count |\n|---|---|\n| 2026 | 3 |\n"
    )
    assert _warnings(tmp_path, body, "image: {src: pic.svg, alt: A board meeting}\n") == []


def test_a_skipped_level_is_warned_in_the_editors_terms_and_repaired_in_the_page(tmp_path: Path) -> None:
    body = "### Starts too deep\n\nText.\n\n## Then the top level\n\n#### Then a gap\n"
    assert _warnings(tmp_path, body) == [
        "content/news/2026-01-01-t.md:5:1: warning: heading level skipped: `###` before any `##`",
        "content/news/2026-01-01-t.md:11:1: warning: heading level skipped: `####` after `##`",
    ]
    page = (tmp_path / "s/output/news/t/index.html").read_text(encoding="utf-8")
    assert re.findall(r"<(h[1-6])[ >]", page.split("<main", 1)[1]) == ["h1", "h2", "h2", "h3"]
