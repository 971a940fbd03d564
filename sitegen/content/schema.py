"""Front-matter keys per type and how each value is read: the editor's contract."""

from __future__ import annotations

import difflib
import html
import html.entities
import math
import re
from collections.abc import Callable
from datetime import date
from typing import TypeVar
from zoneinfo import ZoneInfo

COMMON_KEYS = (
    "title",
    "type",
    "date",
    "updated",
    "summary",
    "tags",
    "programme",
    "image",
    "lang",
    "slug",
    "draft",
    "aliases",
)
EVENT_KEYS = ("starts", "ends", "timezone", "location", "registration", "status")
CALL_KEYS = ("opens", "deadline", "timezone", "apply")
KEYS_BY_TYPE = {
    "news": COMMON_KEYS,
    "event": COMMON_KEYS + EVENT_KEYS,
    "call": COMMON_KEYS + CALL_KEYS,
    "programme": COMMON_KEYS,
    "page": COMMON_KEYS,
}
REQUIRED_BY_TYPE = {
    "news": ("title", "date"),
    "event": ("title", "date", "starts"),
    "call": ("title", "date"),
    "programme": ("title",),
    "page": ("title",),
}
IMAGE_KEYS = ("src", "alt", "caption", "credit", "decorative")
PLACE_KEYS = ("name", "address", "city", "country", "online", "url")
EVENT_STATUSES = ("scheduled", "cancelled", "postponed", "moved-online")
_LANG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
_URL = re.compile(r"^(https?://[^\s/]+\.[^\s]+|mailto:[^\s@]+@[^\s@]+)$")
_TYPE_ALIASES = {"events": "event", "calls": "call", "programmes": "programme", "pages": "page"}


class FieldError(Exception):
    """A value that cannot be used. `message` follows the key's name ("`tags` must be a list,
    not text"); `at` names a part of the value ("src", "0"), `on_key` points at the key itself."""

    def __init__(self, message: str, hint: str = "", at: str = "", on_key: bool = False):
        super().__init__(message)
        self.message, self.hint, self.at, self.on_key = message, hint, at, on_key


def closest(key: str, allowed: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_key_hint(key: str, allowed: tuple[str, ...]) -> str:
    close = closest(key, allowed)
    return f"did you mean `{close}`?" if close else "known keys here: " + ", ".join(allowed)


def read_type(value: object) -> str:
    text = read_text(value).strip().lower()
    text = _TYPE_ALIASES.get(text, text)
    if text in ("post", "posts", "blog"):  # Jekyll's and Hugo's word for a post
        raise FieldError(f"must be a content type, not `{value}`", "the line can go: the folder gives the type")
    if text not in KEYS_BY_TYPE:
        raise FieldError(f"must be a content type, not `{value}`", "use one of: " + ", ".join(KEYS_BY_TYPE))
    return text


def read_text(value: object) -> str:
    if isinstance(value, (bool, dict, list)) or value is None:
        raise FieldError(f"must be text, not {describe(value)}", "write plain text after the colon")
    if not isinstance(value, (str, int, float, date)):  # !!binary, !!set: no text as written
        raise FieldError(f"must be text, not {describe(value)}", "write plain text after the colon, with no `!!` tag")
    if isinstance(value, float) and not math.isfinite(value):  # `.nan`, `.inf`, 1e400
        raise FieldError(f"must be text, not the number {value}", "put the text in quotes, so YAML reads no number")
    text = getattr(value, "written", "") or str(value)  # a number as written (frontmatter.WrittenInt)
    bad = _UNPUBLISHABLE.search(text)
    if bad:
        raise FieldError(
            f"holds the invisible control character U+{ord(bad.group()):04X}, which cannot be published",
            "remove it (in quotes, YAML reads escapes such as \\v, \\0 or \\x1b as such characters)",
        )
    return text


Read = TypeVar("Read")


def shown(read: Callable[[object], Read]) -> Callable[[object], Read]:
    """`read` for text readers see (a title, a summary, a tag, a caption, a place): character
    references in it, as WordPress exports write them (`Director&#8217;s`, `R&amp;D`), are the
    characters they stand for, as the old site showed them. Not for addresses, slugs or zones."""
    return lambda value: read(_decoded(value))


def _decoded(value: object) -> object:
    if isinstance(value, list):
        return [_decoded(entry) for entry in value]
    if isinstance(value, str) and "&" in value:
        return _REFERENCE.sub(_character, value)
    return value


# Complete references only: `&amp;` and `&#8217;` are characters; `AT&T` and `&ampx` are text.
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _character(reference: re.Match[str]) -> str:
    text = reference.group()
    if text[1] != "#" and text[1:] not in html.entities.html5:
        return text
    return html.unescape(text)


# Characters no feed, calendar or page can carry: control characters but tab and line breaks,
# C1 controls (which terminals obey), lone surrogates, U+FFFE and U+FFFF. The file itself
# cannot hold them (load.py), but YAML writes them from escapes in quoted text ("\v", "\0").
_UNPUBLISHABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")


def read_required_text(value: object) -> str:
    text = read_text(value).strip()
    if not text:
        raise FieldError("must not be empty", "write the text after the colon")
    return text


def read_line(value: object) -> str:
    """Text that is one line wherever it goes (a title, a tag, a place): line breaks (from
    `title: |` or "\\n") become spaces, as `title: >` would have made them."""
    return _LINE_BREAK.sub(" ", read_text(value)).strip()


def read_required_line(value: object) -> str:
    text = read_line(value)
    if not text:
        raise FieldError("must not be empty", "write the text after the colon")
    return text


def read_bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"must be true or false, not {describe(value)}", "write `true` or `false`")
    return value


def read_text_list(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        raise FieldError("must be a list, not text", "write a list in square brackets: " + _as_list(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # `tags: 2026`
        written = getattr(value, "written", "") or str(value)
        raise FieldError(f"must be a list, not {describe(value)}", f"write a list in square brackets: [{written}]")
    if not isinstance(value, list):
        raise FieldError(f"must be a list, not {describe(value)}", "write a list: [First, Second]")
    items = []
    for index, entry in enumerate(value):
        if isinstance(entry, (dict, list, bool)) or entry is None:
            raise FieldError(
                f"must be a list of text; entry {index + 1} is {describe(entry)}",
                "write each entry as plain text, e.g. [First, Second]",
                at=str(index),
            )
        try:
            items.append(read_line(entry))
        except FieldError as exc:
            raise FieldError(f"entry {index + 1} {exc.message}", exc.hint, at=str(index)) from None
    return tuple(items)


# An item is listed on each of its tags' pages, feeds and calendars, each of which names all
# its tags: the cost of an item grows with the square of its tags. More than this many tags
# help no reader find anything.
MOST_TAGS = 50


def _as_list(text: str) -> str:
    """The list an editor meant by text: `AI, Policy` -> [AI, Policy]; `museum digital`, as
    Jekyll writes tags (split at spaces), -> [museum, digital], or one tag."""
    if "," not in text and len(text.split()) > 1:
        return f"[{', '.join(text.split())}] (or [{' '.join(text.split())}] for one tag)"
    return f"[{', '.join(part.strip() for part in text.split(','))}]"


def read_optional_list(value: object) -> tuple[str, ...]:
    """A list that may be left empty: `tags:` with nothing after it (as exports write it) is no tags."""
    return () if value is None else read_text_list(value)


def read_tags(value: object) -> tuple[str, ...]:
    tags = read_optional_list(value)
    if len(tags) > MOST_TAGS:
        raise FieldError(
            f"has {len(tags)} tags; an item may have at most {MOST_TAGS}",
            "keep the few tags a reader would follow to find items like this one",
        )
    return tags


def read_lang(value: object) -> str:
    text = read_text(value).strip()
    if not _LANG.match(text):
        raise FieldError(f"must be a language code, not `{text}`", "use a code such as en, de, fr or pt-BR")
    return text


def read_url(value: object) -> str:
    text = read_text(value).strip()
    if not _URL.match(text):
        hint = "write the full address starting with https:// (or mailto: for an email)"
        scheme = re.match(r"\s*([a-zA-Z][\w+.-]*):(?!\d)", text)
        if scheme and scheme.group(1).lower() not in ("http", "https", "mailto"):
            message = f"must be a web address (https://…), not a `{scheme.group(1).lower()}:` address"
            hint = "only https:// (or mailto: for an email) is allowed: others can run script or open local files"
            raise FieldError(message, hint)
        if re.fullmatch(r"[\w-]+(\.[\w-]+)+(/\S*)?", text):
            hint = f"write the full address: https://{text}"
        elif re.fullmatch(r"//[\w-]+(\.[\w-]+)+(/\S*)?", text):  # `//host/x`: the scheme left out
            hint = f"write the full address: https:{text}"
        elif re.fullmatch(r"[^\s@]+@[^\s@]+", text):
            hint = f"write an email address as mailto:{text}"
        raise FieldError(f"must be a web address, not `{text}`", hint)
    return text


def is_site_or_web_address(text: str) -> bool:
    """A link a reader can follow safely: a path on this site (/news/), or an http(s), mailto:
    or tel: address; never javascript:, data:, file: or vbscript:, which run script or open
    what is on the reader's own computer."""
    if text.startswith("/"):
        return not text.startswith("//") and "\\" not in text
    return bool(re.match(r"(https?://[^\s/]|mailto:|tel:)", text, re.I)) and not re.search(r"\s", text)


def read_timezone(value: object) -> ZoneInfo:
    """An IANA zone name, never another file of the zone folders that ZoneInfo would open too
    (`localtime`: the building computer's own zone; `right/...`: with leap seconds)."""
    text = read_text(value).strip()
    if text in _zone_names():
        return ZoneInfo(text)
    if text in _NOT_ZONES:
        hint = f"`{text}` is {_NOT_ZONES[text]}: name the place's own zone, e.g. Europe/Brussels"
        raise FieldError(f"must be a place's time zone name, not `{text}`", hint)
    raise FieldError(f"must be a time zone name, not `{text}`", _zone_hint(text))


def _zone_hint(text: str) -> str:
    plain = text.removeprefix("posix/").removeprefix("right/").lower()
    close = [name for name in _zone_names() if name.lower() == plain]
    close = close or difflib.get_close_matches(text, _zone_names(), n=1)
    return f"did you mean `{close[0]}`?" if close else "use an IANA name such as Europe/Brussels"


# Files of the zone folders that name no place: the same site would show other times elsewhere.
_NOT_ZONES = {
    "localtime": "the zone of whichever computer builds the site",
    "posixrules": "the zone of whichever computer builds the site",
    "Factory": "a placeholder that shows no real time",
}


def describe(value: object) -> str:
    """What a value is, in an editor's words: frontmatter.WrittenInt is "a number" as int is."""
    if value is None:
        return "nothing"
    kind = next((kind for kind in type(value).__mro__ if kind in _DESCRIPTIONS), type(value))
    return _DESCRIPTIONS.get(kind, kind.__name__)


_DESCRIPTIONS = {bool: "true/false", dict: "a mapping", list: "a list", int: "a number", float: "a number", str: "text"}
_DESCRIPTIONS |= {bytes: "binary data (`!!binary`)", set: "a set (`!!set`)"}


_ZONES: dict[str, None] = {}  # the IANA names, in order: looked up, and searched for a "did you mean"


def _zone_names() -> dict[str, None]:
    if not _ZONES:
        from zoneinfo import available_timezones

        names = (name for name in sorted(available_timezones()) if name not in _NOT_ZONES)
        _ZONES.update(dict.fromkeys(name for name in names if not name.startswith(("posix/", "right/"))))
    return _ZONES
