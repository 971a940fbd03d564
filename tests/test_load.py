"""Stage 1: content/ into Sources and Assets; unreadable files are errors at their line."""

from __future__ import annotations

from pathlib import Path

from sitegen.content.load import load, visible_paths
from sitegen.errors import ErrorLog

from .conftest import make_site, news


def _load(site: Path) -> tuple[dict, list[str], list[str]]:
    log = ErrorLog()
    sources, assets = load(site, log)
    return {s.content_path: s for s in sources}, [a.content_path for a in assets], [e.format() for e in log.errors]


def test_a_latin1_byte_is_reported_at_its_line_and_column(tmp_path: Path) -> None:
    text = "---\ntitle: Café\ndate: 2026-01-01\n---\nThe museum café reopens.\n"
    site = make_site(tmp_path, {"content/news/2026-01-01-cafe.md": text.encode("latin-1")})
    sources, _, errors = _load(site)
    assert sources == {}
    assert errors == [
        "content/news/2026-01-01-cafe.md:2:11: error: the file is not UTF-8 text "
        "(byte 0xe9, probably `é` saved as Latin-1/Windows-1252)\n"
        "    hint: re-save the file with UTF-8 encoding in your editor"
    ]


def test_the_column_counts_characters_not_bytes(tmp_path: Path) -> None:
    data = "---\ntitle: Zürich – Köln\n---\nÜber\n".encode() + b"Stra\xdfe\n"
    site = make_site(tmp_path, {"content/news/2026-01-01-a.md": data})
    errors = _load(site)[2]
    assert errors[0].startswith("content/news/2026-01-01-a.md:5:5: error: the file is not UTF-8 text (byte 0xdf")
    assert "`ß`" in errors[0]


def test_a_utf8_bom_is_fine(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/news/2026-01-01-a.md": b"\xef\xbb\xbf" + news().encode()})
    sources, _, errors = _load(site)
    assert errors == []
    assert sources["news/2026-01-01-a.md"].text.startswith("---\ntitle: Board meets")


def test_a_utf16_file_is_named_as_such(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/news/2026-01-01-a.md": news().encode("utf-16")})
    errors = _load(site)[2]
    assert errors[0].startswith("content/news/2026-01-01-a.md:1:1: error: the file is UTF-16 text, not UTF-8")


def test_one_bad_file_does_not_hide_the_others(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        {
            "content/news/2026-01-01-a.md": b"---\ntitle: \xe9\n---\n",
            "content/news/2026-01-02-b.md": b"---\ntitle: ok\n---\n\xff\n",
            "content/news/2026-01-03-c.md": news(),
        },
    )
    sources, _, errors = _load(site)
    assert list(sources) == ["news/2026-01-03-c.md"]
    assert [e.split(": error")[0] for e in errors] == [
        "content/news/2026-01-01-a.md:2:8",
        "content/news/2026-01-02-b.md:4:1",
    ]


def test_hidden_files_and_folders_and_backups_are_skipped(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        {
            "content/news/2026-01-01-a.md": news(),
            "content/news/.2026-01-01-a.md.swp": b"\x00\xff",
            "content/news/2026-01-01-a.md~": b"\xff backup",
            "content/news/.DS_Store": b"\x00\x00\x01Bud1",
            "content/.git/config": "[core]\n",
            "content/.drafts/2026-01-05-secret.md": news("Secret"),
            "content/media/photo.jpg": b"\xff\xd8\xff",
        },
    )
    sources, assets, errors = _load(site)
    assert errors == []
    assert list(sources) == ["news/2026-01-01-a.md"]
    assert assets == ["media/photo.jpg"]


def test_default_types_come_from_the_top_folder(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        {
            "content/news/a.md": news(),
            "content/news/2026/deep/b.md": news(),
            "content/events/c.md": news(),
            "content/calls/d.md": news(),
            "content/programmes/e.md": news(),
            "content/pages/f.md": news(),
            "content/g.md": news(),
            "content/elsewhere/h.markdown": news(),
        },
    )
    sources = _load(site)[0]
    assert {path: source.default_type for path, source in sources.items()} == {
        "news/a.md": "news",
        "news/2026/deep/b.md": "news",
        "events/c.md": "event",
        "calls/d.md": "call",
        "programmes/e.md": "programme",
        "pages/f.md": "page",
        "g.md": "page",
        "elsewhere/h.markdown": "page",
    }
    assert sources["news/a.md"].path == "content/news/a.md"


def test_sources_are_in_a_stable_order(tmp_path: Path) -> None:
    names = ["content/news/b.md", "content/news/a.md", "content/events/z.md"]
    site = make_site(tmp_path, dict.fromkeys(names, news()))
    assert list(_load(site)[0]) == ["events/z.md", "news/a.md", "news/b.md"]


def test_a_site_without_content_folder(tmp_path: Path) -> None:
    site = make_site(tmp_path, {})
    sources, assets, errors = _load(site)
    assert (sources, assets) == ({}, [])
    assert errors[0].startswith("content:1:1: error: there is no content/ folder in")


def test_files_are_listed_folder_by_folder_as_paths_sort(tmp_path: Path) -> None:
    names = ["news-digest/a.md", "news/b.md", "news/2026/c.md", "news.md", "new/z.md", "News/A.md", "news/a-b.md"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    listed = [path[len(str(tmp_path)) + 1 :] for path in visible_paths(str(tmp_path))]
    assert listed == [str(p) for p in sorted(Path(n) for n in names)]
    assert listed.index("news/b.md") < listed.index("news-digest/a.md")  # not as strings sort


def test_every_character_a_feed_cannot_hold_is_found_at_its_place(tmp_path: Path) -> None:
    """Control characters (not tab, line feed or carriage return) and U+FFFE/U+FFFF, in files
    that are otherwise ASCII or not; tabs, line ends and other characters pass."""
    bad = [chr(code) for code in range(0x20) if chr(code) not in "\t\n\r"] + ["\ufffe", "\uffff"]
    files = {f"content/news/2026-01-01-bad-{n}.md": news(f"Café{c}", body="Text.") for n, c in enumerate(bad)}
    files["content/news/2026-01-01-good.md"] = news("Good", body="Tabs\tand\r\nline ends, “quotes” and 😀 pass.")
    _, _, errors = _load(make_site(tmp_path, files))
    assert len(errors) == len(bad) and not [error for error in errors if "good" in error]
    for n, c in enumerate(bad):
        expected = f"content/news/2026-01-01-bad-{n}.md:2:12: error: the invisible control character U+{ord(c):04X} "
        assert any(error.startswith(expected) for error in errors), (c, errors)


def test_a_control_character_in_the_body_is_a_warning_and_left_out(tmp_path: Path) -> None:
    """Only the body's own text is wrong: the item is published, without the character; Word's
    line and page breaks (U+000B, U+000C) between two words become a space, so the words stay
    apart; at a line's start they would make an indent (code), so they go."""
    body = "Page one\x0c\nthen\x0btwo.\x01\n\n\x0b\x0b\x0b\x0bNo code."
    site = make_site(tmp_path, {"content/news/2026-01-01-form-feed.md": news("F", body=body)})
    log = ErrorLog()
    sources, _assets = load(site, log)
    assert not log.errors
    assert [(w.line, w.col, w.message) for w in log.warnings] == [
        (5, 9, "the invisible control character U+000C is left out of the page"),
        (6, 5, "the invisible control character U+000B is shown as a space"),
        (6, 10, "the invisible control character U+0001 is left out of the page"),
        *((8, col, "the invisible control character U+000B is left out of the page") for col in range(1, 5)),
    ]
    assert sources[0].text.endswith("Page one\nthen two.\n\nNo code.\n")
    assert "\x0c" in (site / "content/news/2026-01-01-form-feed.md").read_text()  # the editor's file is as it was
