"""Writing iCalendar lines: TEXT values escaped (RFC 5545, 3.3.11), properties folded as
icalendar folds them, date-times as icalendar writes them."""

from __future__ import annotations

import re
from datetime import datetime

import icalendar
from icalendar.parser import Contentline, Parameters


def line(name: str, value: str) -> bytes:
    """A property as add(name, value) and to_ical() write it: the value type icalendar gives
    the name, then its content line (which refuses a raw line break), folded. A TEXT value is
    escaped by text(), not by icalendar (which writes a `\\N` in it as a line break)."""
    kind = icalendar.Component.types_factory.for_property(name)
    if kind is icalendar.vText:
        return prop(name, text(value))
    return fold(Contentline.from_parts(name, Parameters(), kind(value))) + b"\r\n"


def lines_of(component: icalendar.Component) -> bytes:
    """component.to_ical(), with the lines folded by fold(): icalendar folds them character
    by character, a fifth of the time of a calendar."""
    return b"".join(fold(line) + b"\r\n" for line in component.content_lines() if line)


def fold(line: str) -> bytes:
    """The bytes icalendar's Contentline.to_ical() gives: RFC 5545 folding, each part at most
    74 octets, cut between characters, and never just after a backslash or caret (that would
    part an escape from what it escapes: the character moves on to the next part)."""
    data = line.encode("utf-8")
    parts, start = [], 0
    while len(data) - start >= _LIMIT:
        end = start + _LIMIT - 1
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: this character does not fit
            end -= 1
        if data[end - 1] in b"\\^":
            end -= 1
        parts.append(data[start:end])
        start = end
    if not parts:
        return data
    parts.append(data[start:])
    return b"\r\n ".join(parts)


_LIMIT = 75  # octets: a line is cut before it reaches this length


def prop(name: str, value: str) -> bytes:
    return fold(f"{name}:{value}") + b"\r\n"


def text(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): backslashes escaped first, then semicolons and commas,
    every line break (CR LF, LF, a CR alone, U+2028, U+2029, U+0085) written as `\\n`, and the
    control characters TEXT cannot hold (all but tab) left out. No value can start a line.
    Unlike icalendar's vText, a `\\N` the editor wrote (`C:\\New folder`) stays those two
    characters: vText takes it for a line break, and so would every reader."""
    if not _TEXT_SPECIAL.search(value):
        return value
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _CONTROL.sub("", _BREAK.sub("\\\\n", value))


_TEXT_SPECIAL = re.compile(r"[\\;,\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def one_line(value: str) -> str:
    """Text for a part of a value icalendar's vText escapes (PRODID's parts): line breaks and
    control characters become spaces, and backslashes slashes (vText writes a `\\N` as a line
    break, whatever comes before it)."""
    return _CONTROL.sub(" ", _BREAK.sub(" ", value)).replace("\\", "/")


def when(moment: datetime) -> str:
    """A local date-time as icalendar's vDatetime writes it."""
    return f"{moment.year:04}{moment.month:02}{moment.day:02}T{moment.hour:02}{moment.minute:02}{moment.second:02}"
