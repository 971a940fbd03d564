"""The build's memory against clean builds, for every kind of change an editor makes and for
every way of building: `sitegen serve` (memory in the process), `sitegen build` (memory in
.sitegen-cache/) and the same on two processes. After each change the output folder must be
byte for byte what a clean build of the same files at the same clock writes, and only what
changed is redone."""

from __future__ import annotations

import os
import shutil
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from sitegen.errors import BuildFailed
from sitegen.pipeline import BuildOptions, BuildResult, BuildState, build
from sitegen.render.environment import THEME_DIR

from .conftest import GOLDEN_DIR, NOW

pytestmark = pytest.mark.usefixtures("trusted_stamps")


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# serve is told by its watcher which files changed: "told" passes the files each change touched,
# as the watcher names them, so that the build looks at those alone when it can.
WAYS = ["serve (memory)", "serve (memory), told what changed", "build (.sitegen-cache)", "build on 2 processes"]


class Session:
    """A copy of the minimal site, built again and again one way, and a clean build to compare with."""

    def __init__(self, root: Path, way: str, **flags: bool):
        self.site = root / "site"
        left_by_builds = shutil.ignore_patterns("expected", "output", ".sitegen-cache")  # a build of the copy's own
        shutil.copytree(GOLDEN_DIR / "minimal", self.site, ignore=left_by_builds)
        self.clean_dir, self.flags, self.way = root / "clean", flags, way
        self.state = BuildState() if way.startswith("serve") else None
        self.jobs = 2 if "2 processes" in way else 1
        self.now = NOW
        self.touched: list[Path] | None = [] if way.endswith("told what changed") else None
        self.result = self.build()

    def build(self) -> BuildResult:
        options = BuildOptions(self.site, None, self.now, jobs=self.jobs, **self.flags)
        touched, self.touched = self.touched, [] if self.touched is not None else None
        return build(options, self.state, touched)

    def touch(self, *paths: Path) -> None:
        if self.touched is not None:
            self.touched.extend(path.parent.resolve() / path.name for path in paths)  # a link as itself

    def write(self, rel: str, text: str) -> Path:
        path = self.site / rel
        if not path.parent.exists():
            self.touch(path.parent)  # the watcher names a new folder (serve looks at every file then)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.touch(path)
        return path

    def edit(self, rel: str, old: str, new: str) -> None:
        text = (self.site / rel).read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def delete(self, rel: str) -> None:
        (self.site / rel).unlink()
        self.touch(self.site / rel)

    def rename(self, rel: str, new_rel: str) -> None:
        (self.site / rel).rename(self.site / new_rel)
        self.touch(self.site / rel, self.site / new_rel)

    def rebuild(self) -> None:
        self.result = self.build()
        self.assert_same_as_clean()

    def assert_same_as_clean(self) -> None:
        shutil.rmtree(self.clean_dir, ignore_errors=True)
        clean = build(BuildOptions(self.site, self.clean_dir, self.now, cache=False, **self.flags))
        assert self.result.next_change == clean.next_change
        assert self.result.items_by_type == clean.items_by_type
        assert sorted(self.result.warnings) == sorted(clean.warnings)
        remembered, fresh = files_of(self.site / "output"), files_of(self.clean_dir)
        assert sorted(remembered) == sorted(fresh), "the set of files differs from a clean build"
        different = [rel for rel in fresh if remembered[rel] != fresh[rel]]
        assert not different, f"these files differ from a clean build: {different}"

    @property
    def rendered(self) -> list[str]:
        return self.result.rendered

    @property
    def written(self) -> list[str]:
        return self.result.write.written


@pytest.fixture(params=WAYS)
def session(request: pytest.FixtureRequest, tmp_path: Path) -> Session:
    return Session(tmp_path, request.param)


BOARD = "content/news/2026-02-10-board-meeting.md"
SURVEY = "content/news/2026-01-20-survey.md"


def test_first_build_is_a_clean_build(session: Session) -> None:
    session.assert_same_as_clean()


def test_editing_the_text_rerenders_the_item_and_the_feeds_that_show_it(session: Session) -> None:
    session.edit(SURVEY, "some work still to do.", "some work still to do. A new sentence.")
    session.rebuild()
    assert "news/survey/index.html" in session.written
    assert "news/survey/index.html" in session.rendered
    assert "about/index.html" not in session.rendered and "tags/index.html" not in session.rendered
    assert session.result.parsed == 1
    # serve keeps the last site in memory: an edit that moves nothing is not assembled again
    assert session.result.assembled == (session.state is None)


def test_editing_a_summary_changes_listings(session: Session) -> None:
    session.edit(BOARD, "summary: The board met online", "summary: The board met on a video call")
    session.rebuild()
    assert "news/index.html" in session.written and "index.html" in session.written


def test_a_build_with_nothing_changed_renders_nothing(session: Session) -> None:
    session.rebuild()
    assert session.rendered == [] and session.written == [] and session.result.parsed == 0


def test_a_file_changed_in_output_by_hand_is_written_again(session: Session) -> None:
    (session.site / "output/about/index.html").write_text("hand-edited", encoding="utf-8")
    (session.site / "output/news/survey/index.html").unlink()
    session.rebuild()
    assert sorted(session.written) == ["about/index.html", "news/survey/index.html"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("title: Executive Board sets its goals for 2026", "title: The board's goals"),
        ("date: 2026-02-10 09:30", "date: 2026-01-02 09:30"),
        ("date: 2026-02-10 09:30", "date: 2026-02-10T08:30:00+00:00"),  # the same instant, another offset
        ("tags: [AI, Governance]", "tags: [AI, Governance, Brand new tag]"),
        ("tags: [AI, Governance]", "tags: [AI]"),
        ("tags: [AI, Governance]", "tags: [ai, governance]"),
        ("aliases: [/news/board-2026.html]", "aliases: [/news/board-2026.html, /old/board.html]"),
        ("aliases: [/news/board-2026.html]", "programme: echoes"),
        ("date: 2026-02-10 09:30", "date: 2026-02-10 09:30\nupdated: 2026-03-01"),
        ("date: 2026-02-10 09:30", "date: 2026-02-10 09:30\ndraft: true"),
        ("date: 2026-02-10 09:30", "date: 2027-02-10 09:30"),  # now scheduled
        ("---\ntitle", "---\nslug: board-2026\ntitle"),
    ],
)
def test_changes_to_where_an_item_is_listed(session: Session, old: str, new: str) -> None:
    session.edit(BOARD, old, new)
    session.rebuild()
    assert session.result.assembled


def test_an_event_and_a_call_change_their_times(session: Session) -> None:
    session.edit("content/events/2026-01-05-webinar.md", "starts: 2026-01-14 10:00", "starts: 2026-12-14 10:00")
    session.edit("content/events/2026-01-05-webinar.md", "ends: 2026-01-14 11:30", "ends: 2026-12-14 11:30")
    session.edit("content/calls/2026-01-15-researcher.md", "deadline: 2026-03-01", "deadline: 2026-11-25")
    session.rebuild()
    assert "events/index.html" in session.written and "calls/index.html" in session.written


def test_a_programme_renamed(session: Session) -> None:
    session.edit("content/programmes/echoes.md", "title: ECHOES", "title: ECHOES Cloud")
    session.rebuild()


def test_adding_deleting_and_renaming_files(session: Session) -> None:
    session.write(
        "content/news/2026-03-01-new.md", "---\ntitle: Brand new\ndate: 2026-03-01\ntags: [Fresh]\n---\nNew.\n"
    )
    session.rebuild()
    assert (session.site / "output/news/new/index.html").is_file()
    session.rename("content/news/2026-03-01-new.md", "content/news/2026-03-01-renamed.md")
    session.rebuild()
    assert not (session.site / "output/news/new").exists()
    assert (session.site / "output/news/renamed/index.html").is_file()
    session.delete("content/news/2026-03-01-renamed.md")
    session.rebuild()
    assert not (session.site / "output/news/renamed").exists() and not (session.site / "output/tags/fresh").exists()


def test_bodies_moved_to_a_new_body_file_are_read_back_right(tmp_path: Path) -> None:
    """Edits append bodies to .sitegen-cache/bodies-N.txt; once most of it is dead, the bodies
    move to a new file. Pages shown from the stored bodies must stay as a clean build makes them."""
    session = Session(tmp_path, "build (.sitegen-cache)")
    cache = session.site / ".sitegen-cache"
    text = (session.site / SURVEY).read_text(encoding="utf-8")
    for n in range(12):  # a longer body each time: the files after it in content/ move in the new file
        session.write(SURVEY, text.replace("The answers are in", "The answers are in" + " (again)" * 50 * (n + 1)))
        session.rebuild()
        if not (cache / "bodies-1.txt").exists():
            break
    assert [path.name for path in cache.glob("bodies-*.txt")] == ["bodies-2.txt"]
    session.edit(BOARD, "Executive Board", "Executive Board (updated)")
    session.rebuild()
    for page in ("news/survey/index.html", "news/board-meeting/index.html", "about/index.html"):
        (session.site / "output" / page).unlink()  # shown again from the stored bodies
    session.rebuild()


def test_a_stylesheet_of_the_sites_own_replaces_the_themes(session: Session) -> None:
    theme_css = (THEME_DIR / "static/style.css").read_text(encoding="utf-8")
    session.write("static/style.css", theme_css + "\nmain { outline: 3px solid red; }\n")
    session.rebuild()
    assert "outline: 3px solid red" in (session.site / "output/static/style.css").read_text(encoding="utf-8")
    session.delete("static/style.css")
    session.rebuild()


def test_a_post_replaced_by_a_link_out_of_the_site_is_refused(session: Session, tmp_path: Path) -> None:
    """As when content/ is listed: a link that leads outside the site folder is never published,
    however the change is found (serve's watcher names the file, which is a link now)."""
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\ndate: 2026-01-01\n---\nAPI key.\n", encoding="utf-8")
    session.delete(SURVEY)
    (session.site / SURVEY).symlink_to(secret)
    session.touch(session.site / SURVEY)
    with pytest.raises(BuildFailed) as failed:
        session.build()
    assert any("outside" in error.message for error in failed.value.errors), failed.value.errors


def test_a_post_that_is_a_link_follows_the_file_it_leads_to(session: Session) -> None:
    """content/news/linked.md -> the survey: editing the survey changes both pages (the watcher
    names only the survey's file)."""
    (session.site / "content/news/2026-01-21-linked.md").symlink_to(session.site / SURVEY)
    session.touch(session.site / "content/news/2026-01-21-linked.md")
    session.rebuild()
    session.edit(SURVEY, "The answers are in", "The answers arrived")
    session.rebuild()
    assert "The answers arrived" in (session.site / "output/news/linked/index.html").read_text(encoding="utf-8")


def test_an_edit_made_while_site_yaml_was_broken_is_built_once_it_is_fixed(session: Session) -> None:
    config = (session.site / "site.yaml").read_text(encoding="utf-8")
    session.write("site.yaml", config + "\n  broken: [\n")
    session.edit(SURVEY, "The answers are in", "The answers arrived")
    with pytest.raises(BuildFailed):
        session.build()
    session.write("site.yaml", config)
    session.rebuild()
    assert "The answers arrived" in (session.site / "output/news/survey/index.html").read_text(encoding="utf-8")


def test_moving_a_file_to_another_folder_changes_its_type(session: Session) -> None:
    session.rename(SURVEY, "content/pages/2026-01-20-survey.md")
    session.rebuild()
    assert (session.site / "output/survey/index.html").is_file()


def test_a_linked_file_that_disappears_and_comes_back(session: Session) -> None:
    """The board meeting links to the programme and shows media/meeting.svg: deleting them
    makes that other, unchanged file an error; restoring them fixes it."""
    svg = (session.site / "content/media/meeting.svg").read_bytes()
    session.delete("content/media/meeting.svg")
    with pytest.raises(BuildFailed) as failed:
        session.rebuild()
    assert any("meeting.svg" in error.message for error in failed.value.errors)
    (session.site / "content/media/meeting.svg").write_bytes(svg)
    session.touch(session.site / "content/media/meeting.svg")
    session.rebuild()


def test_replacing_a_picture_copies_it_again(session: Session) -> None:
    session.write("content/media/meeting.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    session.rebuild()
    assert session.written == ["media/meeting.svg"]


def test_a_content_error_keeps_the_last_good_output_and_fixing_it_recovers(session: Session) -> None:
    before = files_of(session.site / "output")
    session.edit(SURVEY, "title: Members’ survey", "title: [Members’ survey")
    with pytest.raises(BuildFailed) as failed:
        session.rebuild()
    assert failed.value.errors[0].path == SURVEY and failed.value.errors[0].line == 2
    assert files_of(session.site / "output") == before
    session.edit(SURVEY, "title: [Members’ survey", "title: Members’ survey (fixed)")
    session.rebuild()


def test_templates_rerender_only_the_pages_that_use_them(session: Session) -> None:
    session.write(
        "templates/item-news.html", '{% extends "item.html" %}{% block title %}News: {{ super() }}{% endblock %}'
    )
    session.rebuild()
    assert sorted(session.rendered) == ["news/board-meeting/index.html", "news/survey/index.html"]
    session.edit("templates/item-news.html", "News: ", "Item: ")
    session.rebuild()
    assert len(session.rendered) == 2
    session.write("templates/partials/when.html", "{# replaced #}")
    session.rebuild()
    session.delete("templates/item-news.html")
    session.delete("templates/partials/when.html")
    session.rebuild()


def test_a_broken_template_is_reported_and_fixing_it_recovers(session: Session) -> None:
    session.write("templates/404.html", "{% extends 'base.html' %}{% block main %}{{ oops(}}{% endblock %}")
    with pytest.raises(BuildFailed):
        session.rebuild()
    session.write("templates/404.html", "{% extends 'base.html' %}{% block main %}<p>Lost.</p>{% endblock %}")
    session.rebuild()


def test_static_files(session: Session) -> None:
    session.write("static/extra.css", "p { color: black }\n")
    session.rebuild()
    session.write("static/extra.css", "p { color: navy; }\n")
    session.rebuild()
    assert session.written == ["static/extra.css"]
    session.delete("static/extra.css")
    session.rebuild()
    assert session.result.write.removed == ["static/extra.css"]


def test_a_body_showing_a_static_file_follows_it(session: Session) -> None:
    """`![Logo](/static/logo.svg)` names a file of static/: the picture is shown while the file
    is there, and its alt text (with a warning) once it is gone."""
    session.edit(BOARD, "\n---\n", "\n---\n![The network's logo](/static/logo.svg)\n\n")
    a_minute_ago = time.time() - 60
    os.utime(session.site / BOARD, (a_minute_ago, a_minute_ago))  # its stamp is trusted: no read again
    session.rebuild()

    def told() -> list[str]:
        return [warning.message.split(":")[0] for warning in session.result.warnings if "logo" in warning.message]

    assert told() == [
        "the image `/static/logo.svg` does not exist (looked for content/static/logo.svg and static/logo.svg)"
    ]
    session.write("static/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>')
    session.rebuild()
    assert told() == []
    page = (session.site / "output/news/board-meeting/index.html").read_text(encoding="utf-8")
    assert '<img src="/network/static/logo.svg" alt="The network\'s logo">' in page
    session.delete("static/logo.svg")
    session.rebuild()
    assert len(told()) == 1


def test_site_yaml_rebuilds_everything(session: Session) -> None:
    session.edit("site.yaml", "per_page: 2", "per_page: 3")
    session.rebuild()
    session.edit("site.yaml", "title: Minimal Network", "title: Maximal Network")
    session.rebuild()
    assert "about/index.html" in session.written


def test_the_clock_publishes_scheduled_posts_and_closes_calls(session: Session) -> None:
    session.now = datetime.fromisoformat("2027-01-01T00:00:01+01:00")
    session.rebuild()
    assert (session.site / "output/news/scheduled/index.html").is_file()
    session.now += timedelta(minutes=1)
    session.rebuild()
    assert session.rendered == []


@pytest.mark.parametrize("way", WAYS)
def test_drafts_and_scheduled_posts_in_a_preview(tmp_path: Path, way: str) -> None:
    session = Session(tmp_path, way, drafts=True, future=True)
    session.assert_same_as_clean()
    page = (session.site / "output/news/draft/index.html").read_text(encoding="utf-8")
    assert "preview-banner" in page
    session.edit("content/news/2025-12-01-draft.md", "Not ready.", "Almost ready.")
    session.rebuild()
    session.edit("content/news/2025-12-01-draft.md", "draft: true", "draft: false")
    session.rebuild()
    assert "preview-banner" not in (session.site / "output/news/draft/index.html").read_text(encoding="utf-8")


def test_a_burst_of_changes_in_one_build(session: Session) -> None:
    for n in range(30):
        session.write(
            f"content/news/2026-04-{n % 28 + 1:02d}-burst-{n}.md",
            f"---\ntitle: Burst {n}\ndate: 2026-04-01\n---\nText {n}.\n",
        )
    session.edit(SURVEY, "Accessibility", "Accessibility, Burst")
    session.delete("content/pages/about.md")
    session.rebuild()


# Template overrides that read what the default theme does not: whatever a template reads, a
# remembered build must give the bytes of a clean one.
OVERRIDES = {
    "a feed's items": (
        "templates/list.html",
        '{% extends "base.html" %}{% block main %}<p>Latest: {{ page.feed.items[0].summary if page.feed and '
        "page.feed.items else 'none' }}</p>{% endblock %}",
    ),
    "another item's body": (
        "templates/item-page.html",
        '{% extends "item.html" %}{% block main %}{{ super() }}<aside>{% for entry in site_feed.items %}'
        "{{ entry.body_html | safe }}{% endfor %}</aside>{% endblock %}",
    ),
    "the site's tags": (
        "templates/partials/footer-note.html",
        "<p>{% for entry in site_feed.items %}{% for tag in tags_of(entry) %}{{ tag.name }} {% endfor %}"
        "{% endfor %}</p>",
    ),
    "the pager": (
        "templates/list.html",
        '{% extends "base.html" %}{% block main %}{% if page.pager %}<p>{{ page.pager.number }}/'
        "{{ page.pager.count }} {{ page.pager.items | map(attribute='title') | join(', ') }} last: "
        "{% for entry in page.pager.items[-1:] if entry.date %}{{ entry.date | date }}{% endfor %}</p>"
        "{% endif %}{% endblock %}",
    ),
    "a card that reads the page": (
        "templates/partials/card.html",
        "<p>{{ entry.title }} on {{ page.url }} ({{ state_of(entry) }})</p>",
    ),
    "states on a page of its own": (
        "templates/item-news.html",
        '{% extends "item.html" %}{% block main %}{{ super() }}{% for entry in page.item and site_feed.items %}'
        "{{ entry.title }}: {{ state_of(entry) or 'n/a' }} {{ preview_of(entry) }}; {% endfor %}{% endblock %}",
    ),
}


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("override", sorted(OVERRIDES))
def test_template_overrides_that_read_unusual_things(tmp_path: Path, way: str, override: str) -> None:
    session = Session(tmp_path, way)
    session.write(*OVERRIDES[override])
    session.rebuild()
    session.edit(BOARD, "summary: The board met online", "summary: The board met on a video call")
    session.rebuild()
    session.edit(SURVEY, "some work still to do.", "some work still to do. A new sentence.")
    session.rebuild()
    session.edit(BOARD, "tags: [AI, Governance]", "tags: [ai, Governance, Extra]")
    session.rebuild()
    session.edit("content/events/2026-01-05-webinar.md", "starts: 2026-01-14 10:00", "starts: 2026-01-14 10:30")
    session.rebuild()
    session.now += timedelta(days=400)
    session.rebuild()


def test_a_listing_that_shows_the_newest_summary_follows_its_edits(tmp_path: Path) -> None:
    """The stale-page bug of the last design: every listing page shows the feed's newest item."""
    session = Session(tmp_path, "build (.sitegen-cache)")
    session.edit("site.yaml", "per_page: 2", "per_page: 1")
    session.write(*OVERRIDES["a feed's items"])
    session.rebuild()
    session.edit(BOARD, "summary: The board met online", "summary: Rewritten summary")
    session.rebuild()
    pages = [path for path in session.rendered if path.startswith("news/")]
    assert "news/page/2/index.html" in pages
    assert "Rewritten summary" in (session.site / "output/news/page/2/index.html").read_text(encoding="utf-8")
