"""SiteConfig from site.yaml: defaults, validation, errors with file lines."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sitegen.content.frontmatter import FrontMatterError, Mark, load_yaml_mapping
from sitegen.content.htmlpolicy import HtmlPolicy, read_html
from sitegen.content.schema import (
    FieldError,
    is_site_or_web_address,
    read_bool,
    read_lang,
    read_required_line,
    read_required_text,
    read_text,
    read_text_list,
    read_timezone,
    unknown_key_hint,
)
from sitegen.errors import BuildFailed, ErrorLog

CONFIG_FILE = "site.yaml"
UTC_ZONE = ZoneInfo("UTC")
KEYS = (
    "title",
    "base_url",
    "language",
    "timezone",
    "description",
    "tags",
    "closing_soon_days",
    "html",
    "per_page",
    "feed_items",
    "menu",
    "contact_email",
    "call_reminder_days",
    "strict",
    "html_assets",
)


@dataclass(frozen=True)
class SiteConfig:
    title: str
    base_url: str  # absolute, always ending in "/"
    language: str = "en"
    timezone: ZoneInfo = UTC_ZONE
    description: str = ""
    tags: tuple[str, ...] = ()
    closing_soon_days: int = 7
    html: HtmlPolicy = field(default_factory=HtmlPolicy)
    per_page: int = 10
    feed_items: int = 20
    menu: tuple[tuple[str, str], ...] = ()  # (label, site path); empty: the theme's default
    contact_email: str = ""
    call_reminder_days: int = 1  # a reminder this many days before a deadline in calendars; 0: none
    strict: bool = False  # warnings fail the build, as `--strict` (pull-request checks)
    html_assets: bool = False  # publish .html files from content/ (their script runs on the site's origin)

    @property
    def base_path(self) -> str:
        """The path part of base_url without the final slash: "" or "/network"."""
        return urlsplit(self.base_url).path.rstrip("/")

    def url(self, site_path: str) -> str:
        """A site path ("/news/x/") as a link in the page (with the base path)."""
        return self.base_path + site_path

    def asset_url(self, src: str) -> str:
        """An image's src: a site path gets the base path; an external URL stays as it is."""
        return self.url(src) if src.startswith("/") else src

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def absolute(self, site_path: str) -> str:
        return self.origin + self.url(site_path)


def load_config(site_dir: Path) -> tuple[SiteConfig, ErrorLog]:
    """Read site.yaml; raise BuildFailed if it cannot be used at all."""
    log = ErrorLog()
    path = site_dir / CONFIG_FILE
    if not path.is_file():
        log.error(
            CONFIG_FILE,
            1,
            1,
            f"no {CONFIG_FILE} in {site_dir}",
            "create site.yaml with at least `title:` and `base_url:` (or pass --site DIR)",
        )
        raise BuildFailed(log.errors)
    try:
        data, marks = load_yaml_mapping(path.read_text(encoding="utf-8-sig"))
    except FrontMatterError as exc:
        log.error(CONFIG_FILE, exc.line, exc.col, exc.message, exc.hint)
        raise BuildFailed(log.errors) from None
    except UnicodeDecodeError:
        log.error(CONFIG_FILE, 1, 1, "site.yaml is not UTF-8 text", "save it as UTF-8")
        raise BuildFailed(log.errors) from None
    values = _read_values(data, marks, log)
    if "timezone" not in data:
        log.warn(
            CONFIG_FILE,
            1,
            1,
            "no timezone set: dates without an offset are read as UTC",
            "add e.g. `timezone: Europe/Brussels`",
        )
    log.raise_if_any()
    return SiteConfig(**values), log


def _read_values(data: dict, marks: dict[str, Mark], log: ErrorLog) -> dict:
    values: dict = {}
    for key in ("title", "base_url"):
        if key not in data:
            log.error(CONFIG_FILE, 1, 1, f"`{key}` is missing", _HINTS[key])
    for key, raw in data.items():
        mark = marks[str(key)]
        if key not in KEYS:
            log.error(CONFIG_FILE, mark.line, mark.col, f"unknown setting `{key}`", unknown_key_hint(str(key), KEYS))
            continue
        try:
            values[key] = _READERS[key](raw)
        except FieldError as exc:
            mark = marks.get(f"{key}.{exc.at}", mark) if exc.at else mark
            line, col = (mark.line, mark.col) if exc.on_key else (mark.value_line, mark.value_col)
            # "`html` `allow_tags` must..." reads "`html.allow_tags` must..."
            message = f"`{key}.{exc.message[1:]}" if exc.message.startswith("`") else f"`{key}` {exc.message}"
            log.error(CONFIG_FILE, line, col, message, exc.hint or _HINTS.get(key, ""))
    return values


def _read_base_url(value: object) -> str:
    text = read_required_text(value)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FieldError(f"must be an absolute address, not `{text}`", _HINTS["base_url"])
    return text if text.endswith("/") else text + "/"


def _whole_number(least: int, most: int, what: str = "a whole number") -> Callable[[object], int]:
    """A reader of a number from `least` to `most`: beyond that a setting only breaks the
    site (a date too far away, a feed too long to write)."""

    def read(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
            shown = f"`{value}`" if len(str(value)) <= 40 else "a longer one"
            raise FieldError(f"must be {what} from {least} to {most:,}, not {shown}")
        return value

    return read


def _read_tags(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise FieldError("must be a list of tag names", "write e.g. tags: [AI, Policy, Accessibility]")
    return read_text_list(value)


def _read_menu(value: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list) or not all(
        isinstance(entry, dict) and set(entry) == {"label", "url"} for entry in value
    ):
        raise FieldError(
            "must be a list of {label, url} entries",
            "e.g. menu: [{label: News, url: /news/}, {label: About, url: /about/}]",
        )
    return tuple((_menu_part(n, entry, "label"), _menu_part(n, entry, "url")) for n, entry in enumerate(value))


def _menu_part(index: int, entry: dict, part: str) -> str:
    try:
        text = read_required_line(entry[part])
    except FieldError as exc:
        raise FieldError(f"entry {index + 1}: `{part}` {exc.message}", exc.hint, at=f"{index}.{part}") from None
    if part == "url" and not is_site_or_web_address(text):
        raise FieldError(
            f"entry {index + 1}: `url` must be a page of this site or a web address, not `{text}`",
            "write a site path such as /news/ or /about/, or an address starting with https://",
            at=f"{index}.url",
        )
    return text


def _read_email(value: object) -> str:
    text = read_text(value).strip()
    if text and not _EMAIL.fullmatch(text):
        raise FieldError(f"must be an email address, not `{text}`", "e.g. contact_email: office@example.org")
    return text


_EMAIL = re.compile(r"[^\s@?&#/:<>\"']+@[^\s@?&#/:<>\"']+\.[^\s@?&#/:<>\"']+")


_READERS = {
    "title": read_required_line,
    "base_url": _read_base_url,
    "language": read_lang,
    "timezone": read_timezone,
    "description": read_text,
    "tags": _read_tags,
    "closing_soon_days": _whole_number(1, 365, "a number of days"),
    "html": read_html,
    "per_page": _whole_number(1, 1000),
    "feed_items": _whole_number(1, 10_000),
    "call_reminder_days": _whole_number(0, 365, "a number of days"),
    "menu": _read_menu,
    "contact_email": _read_email,
    "html_assets": read_bool,
    "strict": read_bool,
}
_HINTS = {
    "title": "add e.g. `title: European Museum Network`",
    "base_url": "add the published address, e.g. `base_url: https://www.example.org/`",
}
