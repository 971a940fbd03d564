"""sitegen new: a correctly named file whose front matter builds as it is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.commands.scaffold import ScaffoldError, new_item
from sitegen.content.frontmatter import parse_document

from .conftest import NOW, SITE_YAML, make_site, run_build

TODAY = NOW.date()


@pytest.mark.parametrize("kind", ["news", "event", "call", "page", "programme"])
def test_every_type_builds_without_errors(tmp_path: Path, kind: str) -> None:
    site = make_site(tmp_path / "s", {}, SITE_YAML + "tags: [AI, Accessibility, Policy]\n")
    path = new_item(site, kind, "Board meets in Łódź", TODAY)
    folder = {"news": "news", "event": "events", "call": "calls", "page": "pages", "programme": "programmes"}[kind]
    name = "board-meets-in-lodz.md" if kind in ("page", "programme") else f"{TODAY}-board-meets-in-lodz.md"
    assert path == site / "content" / folder / name
    text = path.read_text(encoding="utf-8")
    assert "AI, Accessibility, Policy" in text or kind == "page"
    result = run_build(site)
    assert sum(result.items_by_type.values()) == 1
    url = {"page": "board-meets-in-lodz", "programme": "programmes/board-meets-in-lodz"}.get(
        kind, f"{folder}/board-meets-in-lodz"
    )
    assert (site / "output" / url / "index.html").is_file()


def test_events_and_calls_get_their_zone_and_times(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {})
    event = parse_document(new_item(site, "event", "Webinar", TODAY).read_text(encoding="utf-8")).data
    assert event["timezone"] == "Europe/Brussels" and "starts" in event and "ends" in event
    call = parse_document(new_item(site, "call", "Fellowships", TODAY).read_text(encoding="utf-8")).data
    assert call["deadline"] > call["opens"] and call["timezone"] == "Europe/Brussels"


@pytest.mark.parametrize(
    "title",
    ['Call: "quoted" & more', "Yes", "2026 plans", "# not a comment", "Ünïcödé Straße", "[brackets]", "a: b", "No"],
)
def test_titles_read_back_exactly(tmp_path: Path, title: str) -> None:
    site = make_site(tmp_path / "s", {})
    path = new_item(site, "news", title, TODAY)
    assert parse_document(path.read_text(encoding="utf-8")).data["title"] == title
    run_build(site)


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {})
    path = new_item(site, "news", "Board meets", TODAY)
    path.write_text("---\ntitle: Edited\ndate: 2026-01-01\n---\nMine.\n", encoding="utf-8")
    with pytest.raises(ScaffoldError) as refused:
        new_item(site, "news", "Board meets!", TODAY)
    assert "already exists" in refused.value.error.message
    assert "Mine." in path.read_text(encoding="utf-8")


def test_a_title_without_letters_is_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {})
    with pytest.raises(ScaffoldError):
        new_item(site, "news", "!!!", TODAY)


def test_command_line_prints_the_path_and_refuses_twice(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {})

    def sitegen(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "sitegen", "new", *args, "--site", str(site)]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    made = sitegen("event", "Policy event in Brussels")
    assert made.returncode == 0, made.stderr
    path = Path(made.stdout.strip())
    assert path.is_file() and path.name.endswith("-policy-event-in-brussels.md")
    again = sitegen("event", "Policy event in Brussels")
    assert again.returncode == 1 and "already exists" in again.stderr
    assert sitegen("poem", "A poem").returncode == 2
