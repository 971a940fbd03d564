"""Keys for the RenderCache: everything the rendering of one output reads, as a value that
compares equal exactly when the output's bytes would be the same.

A page reads its Page (its item, the items of its pager and `extra`, the address and title
of its feed and calendar: templates show those, never a feed's items), the templates it
uses (the one selected and every template that one extends, includes or imports), each
shown item's clock state, preview state and tag names, and the site settings (a change to
site.yaml starts a new cache). Feeds and calendars read their items; the sitemap reads the
pages' addresses and dates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import jinja2

from sitegen.model import CalendarSpec, FeedSpec, Item, Page, Pager, Redirect, Site, Tag
from sitegen.render.partials import referenced_templates
from sitegen.site.assemble import item_tags
from sitegen.site.timeline import preview_state


class TemplateKeys:
    """Remembers, per template source, which templates it refers to (parsing is the cost)."""

    def __init__(self) -> None:
        self.references: dict[str, frozenset[str] | None] = {}  # source hash -> names (None: dynamic)

    def start(self, env: jinja2.Environment) -> TemplateRun:
        return TemplateRun(self, env)


class TemplateRun:
    """Template keys during one build (the templates do not change within a build)."""

    def __init__(self, keys: TemplateKeys, env: jinja2.Environment):
        self.keys, self.env = keys, env
        self._hashes: dict[str, str | None] = {}
        self._by_names: dict[tuple[str, ...], object] = {}
        self.everything = tuple((name, self.source_hash(name)) for name in sorted(env.list_templates()))

    def source_hash(self, name: str) -> str | None:
        if name not in self._hashes:
            try:
                source = self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
            except jinja2.TemplateNotFound:
                self._hashes[name] = None
                return None
            digest = hashlib.sha1(source.encode("utf-8")).hexdigest()
            self._hashes[name] = digest
            if digest not in self.keys.references:
                self.keys.references[digest] = _references(self.env, source)
        return self._hashes[name]

    def key(self, names: list[str] | tuple[str, ...]) -> object:
        """The selected template and the sources of all templates it reads."""
        names = tuple(names)
        if names not in self._by_names:
            try:
                chosen = self.env.select_template(list(names)).name or names[-1]
            except jinja2.TemplateError:
                self._by_names[names] = ("unusable", names, self.everything)
                return self._by_names[names]
            closure = self._closure(chosen)
            self._by_names[names] = (
                chosen,
                self.everything if closure is None else tuple((n, self.source_hash(n)) for n in sorted(closure)),
            )
        return self._by_names[names]

    def _closure(self, name: str) -> set[str] | None:
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            digest = self.source_hash(current)
            refs = self.keys.references.get(digest) if digest else frozenset()
            if refs is None:
                return None  # a template chosen at run time: it may read any of them
            todo.extend(refs)
        return seen


def _references(env: jinja2.Environment, source: str) -> frozenset[str] | None:
    try:
        found = referenced_templates(env.parse(source))
    except jinja2.TemplateSyntaxError:
        return frozenset()  # rendering will report it
    return None if found is None else frozenset(found)


class Same:
    """A key part equal only to the very same object: an Item reused from the ParseCache is
    unchanged; a re-parsed one is new, whatever its fields compare to."""

    __slots__ = ("obj",)

    def __init__(self, obj: object):
        self.obj = obj

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.obj is self.obj

    def __hash__(self) -> int:
        return id(self.obj)


class Keys:
    """The keys of one build's outputs. Item views are computed once per build."""

    def __init__(self, site: Site, templates: TemplateRun, previous: Keys | None = None):
        self.site, self.templates = site, templates
        self._views: dict[str, tuple] = {}
        site_feed = next((f for f in site.feeds if f.key == "site"), None)
        self._site_feed = _feed_meta(site_feed) if site_feed else None
        self.tag_names = {slug: tag.name for slug, tag in site.tags.items()}
        # Tag names of unchanged items carry over from the last build while no tag was renamed.
        same_tags = previous is not None and previous.tag_names == self.tag_names
        self._earlier = previous._views if previous is not None and same_tags else {}

    def context(self) -> object:
        """What all pages share besides their own inputs; equal contexts let a build reuse
        the bytes of an identical Page object without computing its key."""
        site = self.site
        return (
            self.templates.everything,
            site.states,
            self.tag_names,
            tuple(i.url for i in site.items if preview_state(i, site.now)),
            site.stamp,
            self._site_feed,
        )

    def view(self, item: Item) -> tuple:
        view = self._views.get(item.source)
        if view is None or view[0].obj is not item:
            site = self.site
            earlier = self._earlier.get(item.source)
            if earlier is not None and earlier[0].obj is item:
                same, names = earlier[0], earlier[3]
            else:
                same, names = Same(item), tuple(tag.name for tag in item_tags(item, site.tags))
            view = (same, site.states.get(item.url, ""), preview_state(item, site.now), names)
            self._views[item.source] = view
        return view

    def page(self, page: Page, names: list[str]) -> tuple:
        return (
            self.templates.key(names),
            page.url,
            page.template,
            page.title,
            page.origin,
            self.view(page.item) if page.item else None,
            self._pager(page.pager) if page.pager else None,
            _feed_meta(page.feed) if page.feed else None,
            (page.calendar.url, page.calendar.title, page.calendar.kind) if page.calendar else None,
            self._canon(page.extra),
            self._site_feed,
        )

    def redirect(self, redirect: Redirect) -> tuple:
        return (self.templates.key(("redirect.html",)), redirect.target, self._site_feed)

    def feed(self, spec: FeedSpec, fmt: str) -> tuple:
        items = tuple(self.view(item) for item in spec.items)
        return (fmt, _feed_meta(spec), spec.description, items, None if spec.items else self.site.stamp)

    def calendar(self, spec: CalendarSpec) -> tuple:
        return (spec.url, spec.title, spec.kind, tuple(self.view(item) for item in spec.items))

    def sitemap(self) -> tuple:
        """Addresses and dates (with their zone object: `==` alone ignores the offset shown)."""
        pages = self.site.pages
        dates = [p.item.modified if p.item else None for p in pages]
        return ([p.url for p in pages], dates, [d.tzinfo if d else None for d in dates])

    def _pager(self, pager: Pager) -> tuple:
        # A listing's addresses follow from its first address and its page count.
        urls = (pager.urls[0], len(pager.urls), pager.urls[-1])
        return (pager.number, pager.count, urls, tuple([self.view(item) for item in pager.items]))

    def _canon(self, value: object) -> object:
        if isinstance(value, Item):
            return self.view(value)
        if isinstance(value, (str, int, float, bool, type(None), Tag)):
            return value
        if isinstance(value, (list, tuple)):
            return tuple(self._canon(v) for v in value)
        if isinstance(value, Mapping):
            return tuple((k, self._canon(v)) for k, v in value.items())
        if isinstance(value, Pager):
            return self._pager(value)
        if isinstance(value, FeedSpec):
            return _feed_meta(value)
        return Same(value)  # anything else: unchanged only if it is the same object


def _feed_meta(spec: FeedSpec) -> tuple:
    return (spec.key, spec.title, spec.page_url, spec.base, spec.formats)
