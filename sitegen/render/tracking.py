"""What a rendering read: the build's memory of why an output looks as it does.

Every output is rendered under a `Reads` recorder. Templates reach the site's data only through
attribute and item lookups, which Jinja sends through `Environment.getattr`/`getitem`, and
through the functions the render stage gives them; both note here the identity of what they
touched: an item, a page, a feed's or a calendar's list, a tag, a template. The next build
renders an output again only when one of those identities has a new digest
(sitegen/render/dependencies.py), so a site's own template that shows, say, the newest item of a
feed on every listing page is rendered again when that item changes, with no rule to learn.

A key is a pair of strings, (kind, name):
    ("item", source path)         the item: its file, its clock state, its preview state
    ("page", url)                 a page's own fields (template, title, its pager's items, extra)
    ("feed", key)                 a feed's title and addresses; ("feed-items", key): which items
    ("calendar", url)             a calendar's title and kind; ("calendar-items", url): which items
    ("tag", slug)                 a tag's display name
    ("template", name)            a template file (or that it does not exist)
    ("stamp", "")                 the newest date in the content, stamped into feeds
    ("pages", "")                 every page's address and date (the sitemap)
    ("menu", "")                  which of the theme's menu pages exist
    ("file", path)                a copied file's bytes (by its size, times and inode)
    ("redirect", url)             an alias's target
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

import jinja2
from jinja2.loaders import split_template_path

from sitegen.model import CalendarSpec, FeedSpec, Item, Page, Tag
from sitegen.render.escaping import TextOutputCodeGenerator, output_text

Key = tuple[str, str]


class Reads(set):
    """The keys one rendering read."""

    last: object = None  # the object whose key was added last: reading it again adds nothing


_recorders: list[Reads] = []  # the innermost is the rendering under way (a card inside a page)


@contextmanager
def recording() -> Iterator[Reads]:
    reads = Reads()
    _recorders.append(reads)
    try:
        yield reads
    finally:
        _recorders.pop()
        if _recorders:  # what a card read, its page read too
            _recorders[-1].update(reads)


def note(key: Key) -> None:
    if _recorders:
        _recorders[-1].add(key)


def note_all(keys: Iterable[Key]) -> None:
    if _recorders:
        _recorders[-1].update(keys)


def note_items(items: Iterable[Item]) -> None:
    if _recorders:
        _recorders[-1].update(("item", item.source) for item in items)


# The kinds of object that have a key, and how to make it.
_KEY_OF: dict[type, Callable[[object], Key]] = {
    Item: lambda value: ("item", value.source),  # type: ignore[attr-defined]
    Page: lambda value: ("page", value.url),  # type: ignore[attr-defined]
    Tag: lambda value: ("tag", value.slug),  # type: ignore[attr-defined]
    FeedSpec: lambda value: ("feed", value.key),  # type: ignore[attr-defined]
    CalendarSpec: lambda value: ("calendar", value.url),  # type: ignore[attr-defined]
}


def _note_value(owner: object, name: object, value: object) -> None:
    """What a lookup gave: a list of items read as a whole (iterated, or its first taken).
    Called on every attribute a template reads (~100,000 times for 1,000 posts): kept to dict
    lookups and no call for the common read of a string from an item or a page."""
    reads = _recorders[-1]
    make = _KEY_OF.get(type(owner))
    if make is not None:
        key = make(owner)
        reads.add(key)
        if name == "items" and (key[0] == "feed" or key[0] == "calendar"):
            reads.add((key[0] + "-items", key[1]))
    kind = type(value)
    if kind is tuple or kind is list:
        # The model's lists hold one kind of value, and strings have no key: a pager's n
        # addresses, read on each of its n pages, are not walked (n * n at 100,000 posts).
        if value and type(value[0]) is str:  # type: ignore[index]
            return
        for entry in value:  # type: ignore[attr-defined]
            make = _KEY_OF.get(type(entry))
            if make is not None:
                reads.add(make(entry))
    elif kind is not Page:  # a page reached from another (its pager) is read by its fields
        make = _KEY_OF.get(kind)
        if make is not None:
            reads.add(make(value))


def loaded_name(name: str) -> str:
    """A template's name as the loader reads it: Jinja drops `.` and empty parts, so
    `./partials//note.html` is the file `partials/note.html`, whose digest is its key's."""
    try:
        return "/".join(split_template_path(name))
    except jinja2.TemplateNotFound:  # a `..`: Jinja refuses to load it, so it stays as written
        return name


class TrackingEnvironment(jinja2.Environment):
    """Jinja with every lookup and template load noted in the rendering under way. An item's
    `body_html` (or `body`) is the body as this build shows it (`body_of`: its links to
    unpublished items as text, site/links.py), whichever template asks: never the build's
    memory of it (state/bodies.py)."""

    body_of: Callable[[Item], str] | None = None
    code_generator_class = TextOutputCodeGenerator  # `{{ x }}` as text, not as Markup (escaping.py)
    output_text = staticmethod(output_text)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loaded: dict[str, jinja2.Template] = {}  # get_template()'s

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one dict over the environment's, not Jinja's ChainMap: each
        context (a page, each include) makes a set of their names, and a ChainMap is walked in
        Python each time (item page 152 -> 140 µs, best of seven at 2,000 posts). Jinja asks
        that globals not change once templates are loaded; sitegen never changes them."""
        return {**self.globals, **(d or {})}

    def getattr(self, obj: object, attribute: str) -> object:
        # Every `a.b` in a template comes here (~100 times a page): Jinja's own lookup is tried
        # only when the attribute is not there, and most reads (a string of an item or a page)
        # note the owner's key with no further call.
        if (attribute == "body_html" or attribute == "body") and type(obj) is Item and self.body_of is not None:
            value: object = self.body_of(obj)  # type: ignore[arg-type]
        else:
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                value = super().getattr(obj, attribute)
        if _recorders:
            kind = type(value)
            if kind is tuple or kind is list or kind in _KEY_OF or attribute == "items":
                _note_value(obj, attribute, value)
            else:  # a string, a date, a number, a pager...: only its owner is read
                reads = _recorders[-1]
                if obj is not reads.last:  # a template reads several fields of one item in a row
                    make = _KEY_OF.get(type(obj))
                    if make is not None:
                        reads.add(make(obj))
                        reads.last = obj
        return value

    def getitem(self, obj: object, argument: object) -> object:
        # `item["body"]`, and filters given `attribute="body_html"` (map, sort, groupby, ...)
        if (argument == "body_html" or argument == "body") and type(obj) is Item and self.body_of is not None:
            value: object = self.body_of(obj)  # type: ignore[arg-type]
        else:
            value = super().getitem(obj, argument)
        if _recorders:
            _note_value(obj, argument, value)
        return value

    def get_template(self, name, parent=None, globals=None):  # type: ignore[no-untyped-def, override]
        """Each template from a dict once loaded: Jinja's own cache takes a lock and makes a key
        with a weak reference on every `{% include %}` (~5 a page: 162 -> 153 µs an item page).
        The same while the build runs: templates are not reloaded (auto_reload is off) and a
        template changed for the next build gets a new environment (pipeline/rendering.py)."""
        if not isinstance(name, str):
            return super().get_template(name, parent, globals)
        note(("template", loaded_name(name)))
        found = self.loaded.get(name) if globals is None else None
        if found is None:
            found = super().get_template(name, parent, globals)
            if globals is None:
                self.loaded[name] = found
        return found

    def select_template(self, names, parent=None, globals=None):  # type: ignore[no-untyped-def, override]
        """Every name tried counts, found or not: a new `item-news.html` changes item pages."""
        if isinstance(names, list | tuple):
            note_all(("template", loaded_name(name)) for name in names if isinstance(name, str))
        return super().select_template(names, parent, globals)
