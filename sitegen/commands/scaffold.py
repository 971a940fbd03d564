"""sitegen new TYPE "Title": a new Markdown file, correctly named, with front matter that
builds as it is and placeholders for what the editor fills in."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

from sitegen.content.config import SiteConfig, load_config
from sitegen.content.load import CONTENT_DIR
from sitegen.errors import SourceError
from sitegen.urls import make_slug

FOLDERS = {"news": "news", "event": "events", "call": "calls", "page": "pages", "programme": "programmes"}
DATED = ("news", "event", "call")  # named YYYY-MM-DD-slug.md; pages and programmes by slug alone
_PLAIN = re.compile(r"^[\w][\w .,'’()&/+-]*$")


class ScaffoldError(Exception):
    def __init__(self, error: SourceError):
        super().__init__(error.message)
        self.error = error


def new_item(site_dir: Path, kind: str, title: str, today: date | None = None) -> Path:
    """Create the file and return its path; ScaffoldError if it cannot."""
    config, _ = load_config(site_dir)
    today = today or datetime.now(config.timezone).date()
    slug = make_slug(title)
    if not slug:
        raise ScaffoldError(
            SourceError(title, 1, 1, f"the title `{title}` has no letters or digits", "write a title in words")
        )
    name = f"{today.isoformat()}-{slug}.md" if kind in DATED else f"{slug}.md"
    path = site_dir / CONTENT_DIR / FOLDERS[kind] / name
    if path.exists():
        raise ScaffoldError(
            SourceError(
                _shown(path, site_dir),
                1,
                1,
                "this file already exists; sitegen new does not overwrite it",
                "edit that file, or choose another title",
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(front_matter(kind, title, today, config))
    return path


def _shown(path: Path, site_dir: Path) -> str:
    return path.relative_to(site_dir).as_posix() if path.is_relative_to(site_dir) else str(path)


def yaml_text(text: str) -> str:
    """A YAML value that reads back as exactly `text`: plain when safe, else double-quoted."""
    if _PLAIN.match(text) and not re.search(r"(^\d|: | #|^(true|false|null|yes|no|on|off)$)", text, re.I):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def front_matter(kind: str, title: str, today: date, config: SiteConfig) -> str:
    zone = config.timezone.key
    lines = ["---", f"title: {yaml_text(title)}"]
    if kind in DATED:
        lines.append(f"date: {today.isoformat()}            # publication date; a later date schedules it")
    lines.append("# summary: One sentence for listings and feeds (else the start of the text).")
    if kind != "page":
        vocabulary = ", ".join(config.tags)
        lines.append("tags: []" + (f"                        # from site.yaml: {vocabulary}" if vocabulary else ""))
    if kind == "event":
        day = (today + timedelta(days=14)).isoformat()
        lines += [
            f"starts: {day} 10:00",
            f"ends: {day} 12:00",
            f"timezone: {zone}",
            "location: online                  # or {name: …, address: …, city: …, country: BE}",
            "# registration: https://…",
            "status: scheduled                 # scheduled | cancelled | postponed | moved-online",
        ]
    elif kind == "call":
        lines += [
            f"opens: {today.isoformat()}",
            f"deadline: {(today + timedelta(days=30)).isoformat()}          # the end of that day",
            f"timezone: {zone}",
            "# apply: https://…",
        ]
    lines += [
        "# image: {src: /media/picture.jpg, alt: What the picture shows}",
        "# draft: true                     # keeps it out of the site until you remove this line",
        "---",
        "",
        _BODIES[kind],
        "",
    ]
    return "\n".join(lines)


_BODIES = {
    "news": "Write the news here. The first paragraph is what listings show when there is no summary.",
    "event": "Describe the event: who it is for, the programme, and how to take part.",
    "call": "Describe the call: who can apply, what is offered, and how to apply.",
    "page": "Write the page here.",
    "programme": "Describe the programme. Its page lists every item whose `programme:` names it.",
}
