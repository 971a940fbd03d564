"""Every link in a feed entry is absolute, those to a place in the item's own page too: a
footnote (`#fn1`, `#fnref1`), the table of contents and a heading's anchor go to that place of
the item's page (`https://site/news/x/#fn1`), which a feed reader cannot resolve from `#fn1`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import lxml.html
import pytest

from ..conftest import SITE_YAML, make_site, run_build

BODY = "## Part\n\n[[toc]]\n\nText.[^1] See [the part](#part) and [news](/news/).\n\n[^1]: Note.\n"
BASE_URLS = ["https://example.org/", "https://example.org/network/"]


def _site(tmp_path: Path, base_url: str) -> Path:
    files = {
        f"content/news/2026-01-1{n}-n{n}.md": f"---\ntitle: N{n}\ndate: 2026-01-1{n}\n---\n{BODY}" for n in range(2)
    }
    site = make_site(tmp_path / "s", files, SITE_YAML.replace("https://example.org/", base_url))
    run_build(site)
    return site / "output"


def _addresses(content: str) -> list[str]:
    return lxml.html.fragment_fromstring(content, create_parent="div").xpath("//a/@href")


def _own_page_links(addresses: list[str], page: str) -> list[str]:
    return sorted(re.sub(r"\d", "N", address.removeprefix(page)) for address in addresses if "#" in address)


@pytest.mark.parametrize("base_url", BASE_URLS)
@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_rss_and_atom_entries_link_to_places_in_their_own_page(tmp_path: Path, base_url: str, name: str) -> None:
    feed = feedparser.parse((_site(tmp_path, base_url) / name).read_bytes())
    assert not feed.bozo and len(feed.entries) == 2
    for entry in feed.entries:
        assert entry.link.startswith(base_url + "news/n")
        addresses = _addresses(entry.content[0].value)
        assert all(address.startswith(base_url) for address in addresses), addresses
        assert _own_page_links(addresses, entry.link) == ["#fnN", "#fnrefN", "#part", "#part", "#part"]


@pytest.mark.parametrize("base_url", BASE_URLS)
def test_json_feed_items_link_to_places_in_their_own_page(tmp_path: Path, base_url: str) -> None:
    feed = json.loads((_site(tmp_path, base_url) / "feed.json").read_bytes())
    for item in feed["items"]:
        addresses = _addresses(item["content_html"])
        assert all(address.startswith(base_url) for address in addresses), addresses
        assert _own_page_links(addresses, item["url"]) == ["#fnN", "#fnrefN", "#part", "#part", "#part"]


def test_the_pages_keep_their_short_links(tmp_path: Path) -> None:
    page = (_site(tmp_path, BASE_URLS[0]) / "news/n0/index.html").read_text(encoding="utf-8")
    assert 'href="#fn1"' in page and 'href="#part"' in page
