"""Addresses and collisions: every file the build writes is claimed once (pages, aliases, feeds,
calendars, the sitemap, robots.txt, copied files), paths that differ only in case are one file,
an alias is never the item's own address nor a query or fragment, and each claimant is named
as the editor knows it (content/…, static/…, the theme's static/…)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.content.config import load_config
from sitegen.content.load import load
from sitegen.content.parse import parse_all
from sitegen.errors import BuildFailed, ErrorLog, SourceError
from sitegen.pipeline.parsing import static_assets
from sitegen.render.outputs import plan
from sitegen.site.assemble import assemble
from sitegen.site.collisions import claims
from sitegen.urls import safe_site_path, same_file_key, unreachable_part

from .conftest import NOW, REPO_ROOT, make_site, news, run_build

ITEM = "content/news/2026-01-10-a.md"  # at /news/a/; news() puts its `aliases:` on line 4


def _errors(site: Path) -> list[SourceError]:
    with pytest.raises(BuildFailed) as failed:
        run_build(site)
    assert not (site / "output").exists(), "a build with an error writes nothing"
    return failed.value.errors


def _one_error(site: Path) -> SourceError:
    [error] = _errors(site)
    return error


def _with_alias(tmp_path: Path, aliases: str, **files: str) -> Path:
    return make_site(tmp_path / "site", {ITEM: news("A", aliases=aliases), **files})


# Finding 1: an alias that is the item's own address made the page a redirect to itself.


@pytest.mark.parametrize(
    "alias", ["/news/a/", "/news/a/index.html", "/news/a", "news/a/", "/news/./a/", "/news//a/", "/news/%61/"]
)
def test_an_alias_that_is_the_items_own_address_is_an_error_at_its_line(tmp_path: Path, alias: str) -> None:
    error = _one_error(_with_alias(tmp_path, f"['{alias}']"))
    assert (error.path, error.line) == (ITEM, 4)
    assert "is this item's own address" in error.message
    assert error.hint == "remove this alias: it is the item's own address"


def test_an_alias_written_twice_in_one_file_is_an_error(tmp_path: Path) -> None:
    error = _one_error(_with_alias(tmp_path, "[/old/, /old/index.html]"))
    assert (error.path, error.line) == (ITEM, 4)
    assert error.message == "the alias `/old/index.html` is the alias `/old/` again"


def test_an_alias_to_another_items_address_names_both_files(tmp_path: Path) -> None:
    site = _with_alias(tmp_path, "[/news/b/]", **{"content/news/2026-01-11-b.md": news("B")})
    error = _one_error(site)
    assert (error.path, error.line) == (ITEM, 4)
    assert error.message == f"content/news/2026-01-11-b.md and {ITEM} would both write /news/b/index.html"


# Finding 2: every file the build writes is claimed, the sitemap and robots.txt included.


@pytest.mark.parametrize(
    ("alias", "owner"), [("/sitemap.xml", "sitegen's sitemap"), ("/robots.txt", "sitegen's robots.txt")]
)
def test_an_alias_at_the_sitemap_or_robots_txt_is_an_error(tmp_path: Path, alias: str, owner: str) -> None:
    error = _one_error(_with_alias(tmp_path, f"[{alias}]"))
    assert (error.path, error.line) == (ITEM, 4)
    assert error.message == f"{owner} and {ITEM} would both write {alias}"


@pytest.mark.parametrize(
    ("name", "owner"), [("sitemap.xml", "sitegen's sitemap"), ("robots.txt", "sitegen's robots.txt")]
)
def test_a_content_file_never_replaces_the_sitemap_or_robots_txt(tmp_path: Path, name: str, owner: str) -> None:
    text = "<urlset/>" if name.endswith(".xml") else "User-agent: *\nDisallow: /\n"
    files = {ITEM: news("A"), f"content/{name}": text}
    error = _one_error(make_site(tmp_path / "site", files))
    assert (error.path, error.line) == (f"content/{name}", 1)
    assert error.message == f"content/{name} and {owner} would both write /{name}"
    assert error.hint == f"remove content/{name} (or rename it): sitegen writes /{name} itself"


def test_every_file_the_build_writes_is_claimed() -> None:
    """plan() (render/outputs.py) and claims() (site/collisions.py) list the same files: an
    output added to one and not the other would be written unchecked."""
    config, _ = load_config(REPO_ROOT)
    log = ErrorLog()
    sources, assets = load(REPO_ROOT, log)
    known = {a.content_path for a in assets} | {s.content_path for s in sources}
    items = parse_all(sources, config, known, log)
    site = assemble(items, assets + static_assets(REPO_ROOT, log), config, NOW, True, True, log)
    assert not log.errors
    outputs = plan(site)
    assert {o.kind for o in outputs} == {"page", "redirect", "feed", "calendar", "sitemap", "robots", "copy"}
    assert sorted(o.path for o in outputs) == sorted(claim.path for claim in claims(site))


# Finding 3: files copied from content/, static/ and the theme are named truly, and collide.


def test_a_content_static_file_named_as_a_theme_file_is_an_error_naming_the_theme(tmp_path: Path) -> None:
    files = {ITEM: news("A"), "content/static/style.css": "body { display: none }"}
    error = _one_error(make_site(tmp_path / "site", files))
    assert (error.path, error.line) == ("content/static/style.css", 1)
    assert error.message == (
        "content/static/style.css and the theme's static/style.css would both write /static/style.css"
    )
    assert "move yours to static/style.css in the site folder" in error.hint


@pytest.mark.parametrize("folder", ["site", "content"])  # a site folder may itself be named content
def test_a_content_file_and_a_static_file_at_one_address_are_both_named(tmp_path: Path, folder: str) -> None:
    files = {ITEM: news("A"), "content/static/extra.css": "p {}", "static/extra.css": "a {}"}
    error = _one_error(make_site(tmp_path / folder, files))
    assert (error.path, error.line) == ("content/static/extra.css", 1)
    assert error.message == "content/static/extra.css and static/extra.css would both write /static/extra.css"


def test_the_sites_static_file_replaces_the_themes_of_the_same_name(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {ITEM: news("A"), "static/style.css": "main { color: navy }\n"})
    run_build(site)
    assert (site / "output/static/style.css").read_text() == "main { color: navy }\n"


@pytest.mark.parametrize(
    ("files", "owner"),
    [({}, "the theme's static/style.css"), ({"static/style.css": "p {}"}, "static/style.css")],
)
def test_an_alias_at_a_static_file_names_where_that_file_comes_from(
    tmp_path: Path, files: dict[str, str], owner: str
) -> None:
    error = _one_error(_with_alias(tmp_path, "[/static/style.css]", **files))
    assert error.message == f"{owner} and {ITEM} would both write /static/style.css"


# Finding 4: an alias with a query or a fragment can never be redirected by a file.


def test_an_alias_with_a_query_or_a_fragment_is_an_error_at_its_line(tmp_path: Path) -> None:
    errors = _errors(_with_alias(tmp_path, "['/old?id=3', '/page#x']"))
    assert [(e.path, e.line) for e in errors] == [(ITEM, 4), (ITEM, 4)]
    query, fragment = sorted(errors, key=lambda e: e.message)
    assert query.message.startswith("the alias `/old?id=3` ends in a query (`?id=3`)")
    assert fragment.message.startswith("the alias `/page#x` ends in a fragment (`#x`)")
    assert all("a static site cannot redirect it" in e.message for e in errors)
    assert all(
        e.hint == "remove this alias, or redirect that address in the web server's configuration" for e in errors
    )


def test_a_query_or_fragment_is_kept_as_written_and_found() -> None:
    assert safe_site_path("/old?id=3") == "/old?id=3"
    assert safe_site_path("/page#x") == "/page#x"
    assert unreachable_part("/old?id=3") == "?id=3"
    assert unreachable_part("/a/b.html#top") == "#top"
    assert unreachable_part("/old/") is None


# Finding 5: output paths that differ only in case are one file on macOS and Windows.


def test_an_alias_differing_from_the_items_address_in_case_is_an_error(tmp_path: Path) -> None:
    error = _one_error(_with_alias(tmp_path, "[/News/A/]"))
    assert (error.path, error.line) == (ITEM, 4)
    assert "is this item's own address but for case" in error.message
    assert "macOS, Windows" in error.message


def test_two_aliases_differing_in_case_are_an_error(tmp_path: Path) -> None:
    error = _one_error(_with_alias(tmp_path, "[/Old/, /old/]"))
    assert error.message.startswith("the alias `/old/` is the alias `/Old/` again but for case")
    assert error.hint == "remove one of the two"


def test_two_content_files_differing_in_case_are_an_error_naming_both(tmp_path: Path) -> None:
    files = {ITEM: news("A"), "content/media/Photo.txt": "a", "content/media/photo.txt": "b"}
    error = _one_error(make_site(tmp_path / "site", files))
    assert error.message == (
        "content/media/Photo.txt and content/media/photo.txt would both write /media/Photo.txt and "
        "/media/photo.txt, one file on a disk that ignores case (macOS, Windows)"
    )


def test_an_alias_differing_from_a_file_in_case_is_an_error(tmp_path: Path) -> None:
    error = _one_error(_with_alias(tmp_path, "[/Media/A.txt]", **{"content/media/a.txt": "a"}))
    assert (error.path, error.line) == (ITEM, 4)
    assert error.message.startswith(f"content/media/a.txt and {ITEM} would both write /media/a.txt and /Media/A.txt")


def test_paths_are_compared_as_a_disk_that_ignores_case_compares_them() -> None:
    assert same_file_key("News/A/index.html") == same_file_key("news/a/index.html")
    assert same_file_key("cafe\u0301/index.html") == same_file_key("caf\u00e9/index.html")
    assert same_file_key("news/a/index.html") != same_file_key("news/b/index.html")


# A file where another output needs a folder of that name stopped the build with a traceback.


def test_a_file_where_a_folder_is_needed_is_an_error_naming_both(tmp_path: Path) -> None:
    error = _one_error(make_site(tmp_path / "site", {ITEM: news("A"), "content/Tags": "x"}))
    assert (error.path, error.line) == ("content/Tags", 1)
    assert (
        error.message == "content/Tags would write a file /Tags where the tags index needs a folder (/tags/index.html)"
    )


def test_an_alias_below_a_generated_file_is_an_error(tmp_path: Path) -> None:
    error = _one_error(_with_alias(tmp_path, "[/feed.xml/]"))
    assert (error.path, error.line) == (ITEM, 4)
    assert (
        error.message
        == f"the feed of / would write a file /feed.xml where {ITEM} needs a folder (/feed.xml/index.html)"
    )


# Ways of writing one address are one path; nothing decoded may leave output/.


def test_percent_escapes_are_decoded_as_the_web_server_decodes_them() -> None:
    assert safe_site_path("/news/%61/") == "/news/a/"
    assert safe_site_path("/caf%C3%A9/") == "/caf\u00e9/"
    assert safe_site_path("/%2e%2e/x") is None
    assert safe_site_path("/a%2Fb/") is None
    assert safe_site_path("/a%5Cb/") is None
    assert safe_site_path("/a%00b/") is None
    assert safe_site_path("/%2ehtaccess") is None
    assert safe_site_path("/x%FF/") == "/x%FF/"  # not UTF-8: kept as written
