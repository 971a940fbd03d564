"""Every page is valid HTML5; every feed parses and follows the feed validators' rules."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest

from .tools import vnu_errors

ATOM = "{http://www.w3.org/2005/Atom}"
SITES = ["minimal", "sample"]


def _feeds(root: Path, name: str) -> list[Path]:
    return sorted(root.rglob(name))


@pytest.mark.parametrize("site", SITES)
def test_every_page_is_valid_html5(site: str, built_sites: dict[str, Path]) -> None:
    assert list(built_sites[site].rglob("*.html")), "the build wrote no pages"
    assert vnu_errors(built_sites[site]) == []


def test_the_checker_does_find_errors(tmp_path: Path) -> None:
    """The HTML test is only worth something if the checker reports a broken page."""
    (tmp_path / "bad.html").write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div>x</p></html>")
    assert vnu_errors(tmp_path)


@pytest.mark.parametrize("site", SITES)
def test_feeds_parse_cleanly(site: str, built_sites: dict[str, Path]) -> None:
    feeds = _feeds(built_sites[site], "feed.xml") + _feeds(built_sites[site], "atom.xml")
    assert len(feeds) >= 8
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.feed.title
        for entry in parsed.entries:
            assert entry.link.startswith("https://"), path
            assert entry.id.startswith("https://"), path
            assert entry.get("published_parsed"), path


@pytest.mark.parametrize("site", SITES)
def test_atom_feeds_follow_the_validator_rules(site: str, built_sites: dict[str, Path]) -> None:
    root = built_sites[site]
    for path in _feeds(root, "atom.xml"):
        feed = ET.parse(path).getroot()
        rel = path.relative_to(root).as_posix()
        self_links = [link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert len(self_links) == 1 and self_links[0].endswith("/" + rel), path
        for required in ("id", "title", "updated", "author/" + ATOM + "name"):
            assert feed.find(ATOM + required) is not None, f"{path}: no {required}"
        ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
        assert len(ids) == len(set(ids)), f"{path}: duplicate entry ids"
        for entry in feed.findall(f"{ATOM}entry"):
            assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", entry.findtext(f"{ATOM}updated"))
            assert entry.find(f"{ATOM}content").get("type") == "html"
            _assert_absolute_urls(entry.findtext(f"{ATOM}content"), path)


@pytest.mark.parametrize("site", SITES)
def test_rss_feeds_follow_the_validator_rules(site: str, built_sites: dict[str, Path]) -> None:
    root = built_sites[site]
    for path in _feeds(root, "feed.xml"):
        channel = ET.parse(path).getroot().find("channel")
        for required in ("title", "link", "description", "lastBuildDate"):
            assert channel.findtext(required), f"{path}: no {required}"
        self_link = channel.find(f"{ATOM}link")
        assert self_link.get("rel") == "self" and self_link.get("href").endswith(path.relative_to(root).as_posix())
        assert parsedate_to_datetime(channel.findtext("lastBuildDate")).tzinfo is not None
        for item in channel.findall("item"):
            guid = item.find("guid")
            assert guid.get("isPermaLink") == "true" and guid.text == item.findtext("link")
            assert parsedate_to_datetime(item.findtext("pubDate")).utcoffset() is not None
            _assert_absolute_urls(item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded"), path)


def _assert_absolute_urls(html: str | None, path: Path) -> None:
    for url in re.findall(r'(?:href|src)="([^"]*)"', html or ""):
        assert url.startswith(("https://", "http://", "mailto:", "#")), f"{path}: relative URL {url} in a feed"


@pytest.mark.parametrize("site", SITES)
def test_json_feed_is_version_1_1(site: str, built_sites: dict[str, Path]) -> None:
    feed = json.loads((built_sites[site] / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"].endswith("/feed.json") and feed["home_page_url"].startswith("https://")
    for entry in feed["items"]:
        assert entry["id"] and entry["url"].startswith("https://") and entry["content_html"]
        _assert_absolute_urls(entry["content_html"], Path("feed.json"))


@pytest.mark.parametrize("site", SITES)
def test_sitemap_lists_absolute_page_urls(site: str, built_sites: dict[str, Path]) -> None:
    urls = [
        loc.text
        for loc in ET.parse(built_sites[site] / "sitemap.xml")
        .getroot()
        .iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert urls and all(url.startswith("https://") for url in urls)
    assert len(urls) == len(set(urls))
    robots = (built_sites[site] / "robots.txt").read_text()
    assert "Sitemap: https://" in robots


@pytest.mark.parametrize("site", SITES)
def test_every_calendar_parses_in_an_independent_reader_with_real_zones(
    site: str, built_sites: dict[str, Path]
) -> None:
    import vobject

    calendars = sorted(built_sites[site].rglob("*.ics"))
    assert calendars, "the build wrote no calendars"
    for path in calendars:
        raw = path.read_bytes()
        assert raw.count(b"\r\n") == raw.count(b"\n"), f"{path}: RFC 5545 lines end in CRLF"
        text = raw.decode("utf-8")
        calendar = vobject.readOne(text)
        zones = {zone.tzid.value for zone in calendar.contents.get("vtimezone", [])}
        uids = [event.uid.value for event in calendar.vevent_list]
        assert len(uids) == len(set(uids)), f"{path}: duplicate UIDs"
        for event in calendar.vevent_list:
            assert event.dtstamp.value.utcoffset() is not None
            for prop in (event.dtstart, event.dtend):
                if hasattr(prop.value, "hour"):  # a date-time, not an all-day date: never floating
                    assert prop.value.utcoffset() is not None, f"{path}: floating time in {event.uid.value}"
                    assert prop.params["X-VOBJ-ORIGINAL-TZID"][0] in zones, f"{path}: TZID without VTIMEZONE"
            assert event.url.value.startswith("https://")
