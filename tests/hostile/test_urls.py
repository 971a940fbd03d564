"""Finding 6: an address a reader may follow is a web address (http, https, mailto, tel) or a
page of the site, never `javascript:`, `data:`, `file:` or `vbscript:`; and `html:` cannot
let script through while sanitizing is on."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import SITE_YAML, build_errors, make_site, news, run_build

BAD = ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>x</script>", "file:///etc/passwd"]
BAD += ["vbscript:msgbox(1)"]


@pytest.mark.parametrize("url", BAD)
def test_a_menu_url_that_is_not_a_web_address_is_an_error_at_its_line(tmp_path: Path, url: str) -> None:
    menu = f"menu:\n  - {{label: News, url: /news/}}\n  - label: Evil\n    url: '{url}'\n"
    site = make_site(tmp_path / "s", {"content/news/n.md": news()}, SITE_YAML + menu)
    (error,) = build_errors(site)
    assert error.startswith("site.yaml:7:10: error: `menu` entry 2: `url` must be a page of this site or a web address")
    assert "hint: write a site path such as /news/" in error


def test_menu_urls_that_are_pages_or_web_addresses_build(tmp_path: Path) -> None:
    menu = "menu: [{label: News, url: /news/}, {label: Us, url: 'https://example.org/us'}, {label: M, url: 'tel:1'}]\n"
    site = make_site(tmp_path / "s", {"content/news/n.md": news()}, SITE_YAML + menu)
    run_build(site)
    assert 'href="https://example.org/us"' in (site / "output/index.html").read_text()


@pytest.mark.parametrize("url", [*BAD, "//evil.example/x", "/\\evil.example"])
def test_a_menu_url_to_another_host_written_as_a_path_is_refused(tmp_path: Path, url: str) -> None:
    site = make_site(tmp_path / "s", {"content/news/n.md": news()}, SITE_YAML + f"menu: [{{label: X, url: '{url}'}}]\n")
    assert build_errors(site)[0].startswith("site.yaml:4:")


@pytest.mark.parametrize("src", BAD)
def test_an_image_src_that_is_not_a_web_address_is_an_error_at_its_line(tmp_path: Path, src: str) -> None:
    post = f"---\ntitle: T\ndate: 2026-01-10\nimage:\n  alt: A picture\n  src: '{src}'\n---\nText.\n"
    site = make_site(tmp_path / "s", {"content/news/n.md": post})
    (error,) = build_errors(site)
    scheme = src.split(":")[0].lower()
    assert error.startswith("content/news/n.md:6:8: error: `image` `src` must be a picture's file or web address, not")
    assert f"`{scheme}:`" in error and "hint: name a file beside the post" in error


@pytest.mark.parametrize(
    ("key", "value", "line"),
    [("registration", "javascript:alert(1)", 5), ("location", "{online: true, url: 'data:text/html,x'}", 5)],
)
def test_event_links_that_are_not_web_addresses_are_errors_at_their_line(
    tmp_path: Path, key: str, value: str, line: int
) -> None:
    post = f"---\ntitle: T\ndate: 2026-01-10\nstarts: 2026-12-01 10:00\n{key}: {value}\n---\nText.\n"
    site = make_site(tmp_path / "s", {"content/events/e.md": post})
    errors = build_errors(site)
    assert any(
        e.startswith(f"content/events/e.md:{line}:") and "must be a web address (https://…)" in e for e in errors
    )


def test_a_call_apply_link_to_a_file_is_an_error_at_its_line(tmp_path: Path) -> None:
    post = "---\ntitle: T\ndate: 2026-01-10\napply: file:///etc/passwd\n---\nText.\n"
    (error,) = build_errors(make_site(tmp_path / "s", {"content/calls/c.md": post}))
    assert error.startswith("content/calls/c.md:4:8: error: `apply` must be a web address (https://…), not a `file:`")
    assert "hint: only https://" in error


@pytest.mark.parametrize(
    ("html", "bad", "message"),
    [
        ("{allow_tags: [iframe, script]}", "script", "`html.allow_tags` would let editors' <script> run script"),
        ("{allow_tags: [style]}", "style", "`html.allow_tags` would let editors' <style> run script or restyle"),
        ("{allow_tags: [iframe], allow_attributes: {iframe: [src, srcdoc]}}", "srcdoc", "`srcdoc` attribute run"),
        ("{allow_attributes: {a: [href, onclick]}}", "onclick", "`onclick` attribute run script"),
        ("{allow_attributes: {img: [ONERROR]}}", "ONERROR", "`onerror` attribute run script"),
    ],
)
def test_html_settings_that_would_let_script_through_are_refused(
    tmp_path: Path, html: str, bad: str, message: str
) -> None:
    site = make_site(tmp_path / "s", {"content/news/n.md": news()}, SITE_YAML + f"html: {html}\n")
    (error,) = build_errors(site)
    column = len("html: ") + html.index(bad) + 1  # at the name itself
    assert error.startswith(f"site.yaml:4:{column}: error: ") and message in error, error
    assert "hint: if every editor may run script on the site, write `sanitize: false` instead" in error


def test_sanitize_false_is_the_one_way_to_trust_editors_with_script(tmp_path: Path) -> None:
    body = "<script>counter()</script>\n"
    site = make_site(tmp_path / "s", {"content/news/n.md": news(body=body)}, SITE_YAML + "html: {sanitize: false}\n")
    run_build(site)
    assert "<script>counter()</script>" in (site / "output/news/n/index.html").read_text()
