from __future__ import annotations

import random

import pytest
from slugify import slugify

from sitegen.urls import (
    _REPLACEMENTS,
    item_url,
    make_slug,
    output_path,
    own_site_path,
    page_urls,
    resolve_content_ref,
    safe_site_path,
    slug_from_filename,
)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Größe", "groesse"),
        ("Straße", "strasse"),
        ("Łódź", "lodz"),
        ("Österreich", "oesterreich"),
        ("AI", "ai"),
        ("Digital  transformation!", "digital-transformation"),
        ("Café Müller", "cafe-mueller"),
    ],
)
def test_slugs_spell_out_non_ascii(text: str, slug: str) -> None:
    assert make_slug(text) == slug


def test_plain_words_get_the_slug_slugify_gives() -> None:
    """make_slug() skips slugify() for plain ASCII words: the same slug for any text, near the
    80-character cut too."""
    shuffle = random.Random(80)
    texts = ["", "a", "A b", "a-b", "a--b", "-a", "a-", "a  b", " a", "a ", "x" * 80, "x" * 81, "ab " * 27]
    for _ in range(20000):
        words = ["".join(shuffle.choices("abcXYZ019", k=shuffle.randint(1, 9))) for _ in range(shuffle.randint(1, 20))]
        texts.append("".join(word + shuffle.choice(" -") for word in words)[:-1])  # plain words
        texts.append("".join(shuffle.choices("aZ09 -_'.é", k=shuffle.choice([3, 12, 79, 80, 81, 90]))))
    for text in texts:
        expected = slugify(text, replacements=_REPLACEMENTS, max_length=80, word_boundary=True)
        assert make_slug.__wrapped__(text) == expected, text


def test_slug_from_filename_drops_the_date_and_uses_bundle_folders() -> None:
    assert slug_from_filename("news/2026-02-10-board-meeting.md") == "board-meeting"
    assert slug_from_filename("news/echoes-webinar/index.md") == "echoes-webinar"
    assert slug_from_filename("pages/about.md") == "about"


def test_item_urls_are_pretty_and_pages_live_at_the_root() -> None:
    assert item_url("news", "x") == "/news/x/"
    assert item_url("event", "x") == "/events/x/"
    assert item_url("page", "about") == "/about/"
    assert output_path("/news/x/") == "news/x/index.html"
    assert output_path("/") == "index.html"
    assert output_path("/feed.xml") == "feed.xml"
    assert page_urls("/news/", 3) == ("/news/", "/news/page/2/", "/news/page/3/")


@pytest.mark.parametrize("alias", ["../x.html", "/a/../../b", "//evil.example/x", "https://x.org/", "a\\b", ""])
def test_aliases_that_would_leave_output_are_refused(alias: str) -> None:
    assert safe_site_path(alias) is None


def test_aliases_are_normalised() -> None:
    assert safe_site_path("news/old.html") == "/news/old.html"
    assert safe_site_path("/news/old") == "/news/old/"
    assert safe_site_path("/news/./old/") == "/news/old/"


def test_content_references_resolve_from_the_file_or_from_content_root() -> None:
    assert resolve_content_ref("photo.jpg", "news/a.md") == "news/photo.jpg"
    assert resolve_content_ref("../media/p.jpg", "news/a.md") == "media/p.jpg"
    assert resolve_content_ref("/media/p.jpg", "news/a.md") == "media/p.jpg"
    assert resolve_content_ref("../../etc/passwd", "news/a.md") is None


@pytest.mark.parametrize(
    ("address", "site_url", "path"),
    [
        ("http://www.example.org/2019/05/old/", "https://example.org/", "/2019/05/old/"),
        ("https://example.org/network/./media/a.png", "https://example.org/network/", "/network/media/a.png"),
        ("https://example.org/network/../shop/", "https://example.org/network/", None),  # a browser asks /shop/
        ("https://example.org/r%C3%A9seau/a.png?v=2", "https://example.org/r%C3%A9seau/", "/réseau/a.png?v=2"),
        ("https://xn--bcher-kva.example/a/", "https://bücher.example/", "/a/"),  # markdown-it's punycode
        ("https://example.org@evil.com/", "https://example.org/", None),
        ("https://example.org.evil.com/", "https://example.org/", None),
        ("ftp://example.org/a", "https://example.org/", None),
        ("http://[::1]/", "https://example.org/", None),
    ],
)
def test_an_address_on_the_sites_own_host_is_its_path(address: str, site_url: str, path: str | None) -> None:
    assert own_site_path(address, site_url) == path
