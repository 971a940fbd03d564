"""site.yaml's `html:` setting: what raw HTML editors may use beyond the safe allow-list, read
strictly (a wrong shape is an error, never a misreading), and never a way to let script in
while `sanitize` is on: that takes `sanitize: false`, which says so."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sitegen.content.schema import FieldError, read_bool, read_text_list

T = TypeVar("T")


@dataclass(frozen=True)
class HtmlPolicy:
    """What raw HTML an editor may use. Extra tags/attributes add to a safe allow-list;
    `sanitize: false` trusts editors fully (the site's choice, not ours)."""

    sanitize: bool = True
    extra_tags: tuple[str, ...] = ()
    extra_attributes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (tag, names): hashable


PARTS = ("sanitize", "allow_tags", "allow_attributes")
# Elements that run or load script, restyle the whole page, or change what links and forms do.
SCRIPT_TAGS = frozenset(
    {"script", "style", "base", "meta", "link", "noscript", "template", "frame", "frameset", "object", "embed"}
    | {"applet", "xmp", "plaintext", "noembed", "noframes", "svg", "math"}
)
# Attributes that run script: event handlers (on...), a frame's own document (srcdoc).
_SCRIPT_ATTRIBUTE = re.compile(r"on.*|srcdoc", re.I)
_NAME = re.compile(r"[a-z][a-z0-9-]*|\*")
_TRUST_HINT = "if every editor may run script on the site, write `sanitize: false` instead"
_EXAMPLE = "e.g. html: {allow_tags: [iframe], allow_attributes: {iframe: [src, title, allow]}}"


def read_html(value: object) -> HtmlPolicy:
    if not isinstance(value, dict) or not value or set(value) - set(PARTS):
        raise FieldError("must be a mapping with sanitize, allow_tags or allow_attributes", _EXAMPLE)
    sanitize = _part(value, "sanitize", read_bool, True)
    tags = _part(value, "allow_tags", _read_tags, ())
    attributes = _part(value, "allow_attributes", _read_attributes, ())
    return HtmlPolicy(sanitize, tags, attributes)


def _part(value: dict, part: str, read: Callable[[object], T], default: T) -> T:
    if value.get(part) is None:
        return default
    try:
        return read(value[part])
    except FieldError as exc:
        at = f"{part}.{exc.at}" if exc.at else part
        raise FieldError(f"`{part}` {exc.message}", exc.hint, at=at) from None


def _read_tags(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise FieldError("must be a list of tag names", _EXAMPLE)
    names = _names(value, "tag")
    for index, name in enumerate(names):
        if name in SCRIPT_TAGS:
            message = f"would let editors' <{name}> run script or restyle the site, which sanitizing exists to stop"
            raise FieldError(message, _TRUST_HINT, at=str(index))
    return names


def _read_attributes(value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise FieldError("must map each tag to a list of attribute names", "e.g. allow_attributes: {iframe: [src]}")
    found = []
    for tag, names in value.items():
        if not isinstance(tag, str) or not _NAME.fullmatch(tag.lower()):
            raise FieldError(f"has `{tag}`, which is not a tag name", "e.g. allow_attributes: {iframe: [src]}")
        if not isinstance(names, list):
            raise FieldError(f"must give a list of attribute names for `{tag}`", f"e.g. {tag}: [src, title]", at=tag)
        attributes = _names(names, "attribute", prefix=f"{tag}.")
        for index, name in enumerate(attributes):
            if _SCRIPT_ATTRIBUTE.fullmatch(name):
                message = f"would let editors' `{name}` attribute run script, which sanitizing exists to stop"
                raise FieldError(message, _TRUST_HINT, at=f"{tag}.{index}")
        found.append((tag.lower(), attributes))
    return tuple(sorted(found))


def _names(value: list, what: str, prefix: str = "") -> tuple[str, ...]:
    try:
        names = read_text_list(value)
    except FieldError as exc:
        raise FieldError(exc.message, exc.hint, at=f"{prefix}{exc.at}") from None
    for index, name in enumerate(names):
        if not _NAME.fullmatch(name.lower()) and not (what == "attribute" and re.fullmatch(r"[\w:-]+", name)):
            raise FieldError(f"has `{name}`, which is not an HTML {what} name", _EXAMPLE, at=f"{prefix}{index}")
    return tuple(name.lower() for name in names)
