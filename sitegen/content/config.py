"""SiteConfig from site.yaml: defaults, validation, errors with file lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sitegen.content.frontmatter import FrontMatterError, Mark, load_yaml_mapping
from sitegen.content.schema import (
    FieldError,
    read_bool,
    read_lang,
    read_required_text,
    read_text,
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
)


@dataclass(frozen=True)
class HtmlPolicy:
    """What raw HTML an editor may use. Extra tags/attributes add to a safe allow-list;
    `sanitize: false` trusts editors fully (the site's choice, not ours)."""

    sanitize: bool = True
    extra_tags: tuple[str, ...] = ()
    extra_attributes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (tag, names): hashable


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
            log.error(
                CONFIG_FILE, mark.value_line, mark.value_col, f"`{key}` {exc.message}", exc.hint or _HINTS.get(key, "")
            )
    return values


def _read_base_url(value: object) -> str:
    text = read_required_text(value)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FieldError(f"must be an absolute address, not `{text}`", _HINTS["base_url"])
    return text if text.endswith("/") else text + "/"


def _read_positive(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FieldError(f"must be a whole number of at least 1, not `{value}`")
    return value


def _read_days(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FieldError(f"must be a whole number of days (0 or more), not `{value}`")
    return value


def _read_tags(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FieldError("must be a list of tag names", "write e.g. tags: [AI, Policy, Accessibility]")
    return tuple(value)


def _read_html(value: object) -> HtmlPolicy:
    if not isinstance(value, dict) or set(value) - {"sanitize", "allow_tags", "allow_attributes"}:
        raise FieldError(
            "must be a mapping with sanitize, allow_tags or allow_attributes",
            "e.g. html: {allow_tags: [iframe], allow_attributes: {iframe: [src, title]}}",
        )
    attributes = value.get("allow_attributes") or {}
    return HtmlPolicy(
        sanitize=bool(value.get("sanitize", True)),
        extra_tags=tuple(value.get("allow_tags") or ()),
        extra_attributes=tuple(sorted((str(k), tuple(v)) for k, v in attributes.items())),
    )


def _read_menu(value: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list) or not all(
        isinstance(entry, dict) and set(entry) == {"label", "url"} for entry in value
    ):
        raise FieldError(
            "must be a list of {label, url} entries",
            "e.g. menu: [{label: News, url: /news/}, {label: About, url: /about/}]",
        )
    return tuple((str(entry["label"]), str(entry["url"])) for entry in value)


_READERS = {
    "title": read_required_text,
    "base_url": _read_base_url,
    "language": read_lang,
    "timezone": read_timezone,
    "description": read_text,
    "tags": _read_tags,
    "closing_soon_days": _read_positive,
    "html": _read_html,
    "per_page": _read_positive,
    "feed_items": _read_positive,
    "call_reminder_days": _read_days,
    "menu": _read_menu,
    "contact_email": read_text,
    "strict": read_bool,
}
_HINTS = {
    "title": "add e.g. `title: European Museum Network`",
    "base_url": "add the published address, e.g. `base_url: https://www.example.org/`",
}
