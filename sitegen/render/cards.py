"""Listing cards rendered once per build and reused on every listing that shows them.

A card shows an item the same way on its section's pages, its tags' pages, the archive and the
home page: the same item, the same clock state and the same heading level give the same HTML.
At 10,000 posts ~4,000 listing pages show ~140,000 cards of ~10,000 items, so each card is
rendered once per heading level instead of on every page that shows it.

This holds only while `partials/card.html` (and what it includes) reads nothing of the page
that shows it, so that is checked first; a site whose own card template reads, say, `page`
gets its card included on each page as before (`partials/card-list.html` does both).
"""

from __future__ import annotations

from collections.abc import Callable

import jinja2
from markupsafe import Markup

from sitegen.render.partials import reads_only
from sitegen.render.tracking import Key, note, note_all, recording

CARD = "partials/card.html"
_NO_LEVEL = object()  # the key of a card shown where `level` is not set (card.html has a default)


class Cards:
    """One build's rendered cards, kept across render_site() calls in the same process (the
    shares of a parallel build): they all render the same Site with the same environment."""

    def __init__(self) -> None:
        # (id(entry), level) -> (entry, html, what its rendering read)
        self.html: dict[tuple[int, object], tuple[object, Markup, frozenset[Key]]] = {}
        self.pure: bool | None = None  # whether card.html reads only the entry, the level and build-wide names

    def renderer(self, env: jinja2.Environment, context: dict[str, object]) -> Callable[..., Markup] | None:
        """card(entry, level) for templates, or None when the card must be included per page.
        `context` holds the names every page is rendered with (the same for the whole build)."""
        if self.pure is None:
            self.pure = reads_only(env, CARD, set(context) | set(env.globals) | {"entry", "level"})
        if not self.pure:
            return None
        template = env.get_template(CARD)
        html = self.html

        def card(entry: object, level: object = _NO_LEVEL) -> Markup:
            missing = level is _NO_LEVEL or isinstance(level, jinja2.Undefined)
            key = (id(entry), _NO_LEVEL if missing else level)
            found = html.get(key)
            if found is None:
                names = {"entry": entry} if missing else {"entry": entry, "level": level}
                with recording() as reads:
                    note(("template", CARD))
                    markup = Markup(template.render(context, **names))
                # The entry is kept with its card so that its id() is not reused within the build.
                found = html[key] = (entry, markup, frozenset(reads))
            else:
                note_all(found[2])  # the page showing it read what the card read
            return found[1]

        return card
