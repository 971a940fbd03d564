"""Finding 5: `<!--<script>` in any text that reaches JSON-LD cannot blank a page. The script
element's text holds no `<`, `>` or `&`, and reads back as the text the editor wrote."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..conftest import make_site, run_build

EVIL = "<!--<script> & </script>"
_LD = re.compile(r'<script type="application/ld\+json">\n(.*?)\n</script>', re.S)


def _json_ld(page: Path) -> tuple[str, dict]:
    (text,) = _LD.findall(page.read_text(encoding="utf-8"))
    return text, json.loads(text)


def test_markup_in_every_json_ld_string_is_escaped(tmp_path: Path) -> None:
    event = (
        "---\n"
        f"title: '{EVIL} title'\n"
        "date: 2026-01-10\n"
        "starts: 2026-12-01 10:00\n"
        f"summary: '{EVIL} summary'\n"
        f"tags: ['{EVIL} tag']\n"
        f"location: {{name: '{EVIL} place', city: '<!--<script>'}}\n"
        "registration: https://example.org/register?a=1&b=2\n"
        "---\nText.\n"
    )
    news = "---\ntitle: Plain\ndate: 2026-01-10\n---\nA code span `<!--<script>` in the excerpt.\n"
    site = make_site(tmp_path / "s", {"content/events/e.md": event, "content/news/n.md": news})
    run_build(site)

    text, data = _json_ld(site / "output/events/e/index.html")
    assert not set("<>&") & set(text)
    assert data["name"] == f"{EVIL} title"
    assert data["description"] == f"{EVIL} summary"
    assert data["keywords"] == f"{EVIL} tag"
    assert data["location"]["name"] == f"{EVIL} place"
    assert data["location"]["address"]["addressLocality"] == "<!--<script>"
    assert data["offers"]["url"] == "https://example.org/register?a=1&b=2"

    text, data = _json_ld(site / "output/news/n/index.html")
    assert "<" not in text and "<!--<script>" in data["description"]
    # The page goes on after the script element: its body is there to be read.
    assert "</main>" in (site / "output/news/n/index.html").read_text(encoding="utf-8")
