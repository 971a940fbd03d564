"""Finding 4: plain text never becomes HTML in a feed. RSS readers read <title> and
<description> as HTML, so markup in a summary, a title, the event's time and place line or
the site's settings must reach them escaped; Atom and JSON Feed carry the same text as text."""

from __future__ import annotations

import html
import json
from pathlib import Path

import feedparser

from ..conftest import SITE_YAML, make_site, run_build

SUMMARY = "See <a href=https://evil.example/>login</a> <img src=x onerror=alert(1)> &amp; more"
TITLE = "Talk <b>now</b> & <a href=x>here</a>"
PLACE = "<img src=y onerror=alert(2)>"
EVENT = f"""---
title: '{TITLE}'
date: 2026-01-10
starts: 2026-12-01 10:00
summary: '{SUMMARY}'
location: {{name: '{PLACE}'}}
registration: https://example.org/register
---
Body.
"""
SETTINGS = SITE_YAML.replace("Test Network", "'Net <i>work</i>'") + "description: 'All <a href=/z>news</a>'\n"


# Character references in front matter are read as the characters (WordPress exports write
# them): the reader sees `&`, and markup stays text.
SHOWN_SUMMARY = html.unescape(SUMMARY)


def _as_text(value: str) -> str:
    """What a reader shows for an HTML value: no element in it, its entities decoded."""
    assert "<" not in value, value
    return html.unescape(value)


def test_rss_reads_back_the_text_and_atom_and_json_feed_stay_text(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/events/e.md": EVENT}, SETTINGS)
    run_build(site)
    output = site / "output"

    rss = feedparser.parse((output / "feed.xml").read_bytes())
    assert not rss.bozo
    (entry,) = rss.entries
    assert _as_text(rss.feed.title) == "Net <i>work</i>"
    assert _as_text(rss.feed.subtitle) == "All <a href=/z>news</a>"
    assert _as_text(entry.title) == TITLE
    summary = _as_text(entry.summary)
    assert summary.endswith(f" · {PLACE}. {SHOWN_SUMMARY}") and summary.startswith("Tuesday 1 December 2026")
    assert "<img" not in entry.content[0].value and html.escape(PLACE, quote=False) in entry.content[0].value

    atom = feedparser.parse((output / "atom.xml").read_bytes())
    (entry,) = atom.entries
    assert (entry.title_detail.type, entry.title) == ("text/plain", TITLE)
    assert entry.summary_detail.type == "text/plain" and entry.summary.endswith(f" · {PLACE}. {SHOWN_SUMMARY}")
    assert atom.feed.title == "Net <i>work</i>"

    feed = json.loads((output / "feed.json").read_bytes())
    (item,) = feed["items"]
    assert (item["title"], item["summary"], feed["title"]) == (TITLE, SHOWN_SUMMARY, "Net <i>work</i>")
    assert "<img" not in item["content_html"]
