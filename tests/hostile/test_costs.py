"""Finding 13: the cost of an input grows about linearly with it. An item's tags are listed on
each tag's pages, feeds and calendars, each naming all of them, so their number is capped; a
feed entry's categories are added in one call (feedgen checks every category it holds on each
call: 500 tags took 22 s); a file's missing images get a "did you mean" (which lists content/)
for the first few only. The tests count the work, or compare n with 4n with room to spare."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from feedgen import entry as feedgen_entry

from sitegen.content.config import SiteConfig
from sitegen.content.parse import parse_source
from sitegen.content.references import SUGGESTIONS
from sitegen.content.schema import MOST_TAGS
from sitegen.errors import ErrorLog
from sitegen.model import Source

from ..conftest import build_errors, make_site, run_build


def event(tags: int) -> str:
    names = ", ".join(f"tag{n}" for n in range(tags))
    return f"---\ntitle: Many tags\ndate: 2026-01-10\nstarts: 2026-12-01 10:00\ntags: [{names}]\n---\nText.\n"


def test_more_tags_than_any_reader_follows_are_an_error_at_their_line(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/events/e.md": event(MOST_TAGS + 1)})
    (error,) = build_errors(site)
    assert error.startswith(f"content/events/e.md:5:7: error: `tags` has {MOST_TAGS + 1} tags; an item may have")


@pytest.mark.parametrize("tags", [5, MOST_TAGS])
def test_each_feed_entry_checks_its_categories_once(tmp_path: Path, tags: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """feedgen's ensure_format() sees each category of each entry once: k per entry, not the
    k(k+1)/2 of one call per category."""
    checked: list[int] = []
    original = feedgen_entry.ensure_format

    def counting(value: object, *args: object, **kwargs: object) -> object:
        checked.append(len(value) if isinstance(value, list) else 1)
        return original(value, *args, **kwargs)

    monkeypatch.setattr(feedgen_entry, "ensure_format", counting)
    site = make_site(tmp_path / "s", {"content/events/e.md": event(tags)})
    run_build(site, jobs=1)  # type: ignore[arg-type]
    feeds = [*(site / "output").rglob("feed.xml"), *(site / "output").rglob("atom.xml")]
    entries = sum(path.read_bytes().count(b"<item>") + path.read_bytes().count(b"<entry>") for path in feeds)
    assert entries >= tags and sum(size for size in checked if size == tags) == entries * tags


class CountingSet(set):
    """content/'s paths, counting how often the whole of it is listed."""

    listed = 0

    def __iter__(self) -> Iterator[str]:
        CountingSet.listed += 1
        return super().__iter__()


def _parse(body: str, known: set[str]) -> ErrorLog:
    log = ErrorLog()
    text = f"---\ntitle: T\ndate: 2026-01-10\n---\n{body}\n"
    config = SiteConfig(title="T", base_url="https://example.org/")
    parse_source(Source("content/news/a.md", "news/a.md", "news", text), config, known, log)
    return log


@pytest.mark.parametrize("missing", [SUGGESTIONS + 5, 4 * (SUGGESTIONS + 5)])
def test_missing_images_list_content_a_bounded_number_of_times(missing: int) -> None:
    known = CountingSet(f"news/photo-{n}.jpg" for n in range(1000))
    CountingSet.listed = 0
    log = _parse("\n\n".join(f"![A photo](photo{n}.jpg)" for n in range(missing)), known)
    assert len(log.warnings) == missing  # a missing body image is a warning: the item is published
    assert CountingSet.listed <= SUGGESTIONS
    assert "did you mean" in log.warnings[0].hint and "did you mean" not in log.warnings[-1].hint


def _seconds(run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


BODIES: dict[str, Callable[[int], tuple[str, str]]] = {
    # (front matter, body) of one file, n times something
    "aliases": lambda n: ("aliases: [" + ", ".join(f"/old/{i}.html" for i in range(n)) + "]\n", "Text."),
    "unknown keys": lambda n: ("".join(f"key{i}: x\n" for i in range(n)), "Text."),
    "long tags": lambda n: ("tags: [" + ", ".join(f"t{i}-{'x' * (n // 50)}" for i in range(MOST_TAGS)) + "]\n", "x"),
    "missing images": lambda n: ("", "\n\n".join(f"![a](m{i}.png)" for i in range(n))),
    "links": lambda n: ("", " ".join(f"[l](https://example.org/{i})" for i in range(n))),
    "long title": lambda n: (f"summary: {'word ' * n}\n", "Text."),
}


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_parsing_four_times_the_input_takes_about_four_times_as_long(kind: str) -> None:
    known = {f"news/f{i}.png" for i in range(2000)}

    def parse(n: int) -> Callable[[], object]:
        front, body = BODIES[kind](n)
        text = f"---\ntitle: T\ndate: 2026-01-10\n{front}---\n{body}\n"
        config = SiteConfig(title="T", base_url="https://example.org/")
        source = Source("content/news/a.md", "news/a.md", "news", text)
        return lambda: parse_source(source, config, known, ErrorLog())

    small, large = _seconds(parse(400)), _seconds(parse(1600))
    assert large < 10 * small + 0.05, (kind, small, large)  # linear: ~4; quadratic: ~16
