"""Template fragments rendered once per build, as Hugo's partialCached: in a template,
`{{ cached_partial("partials/footer.html", links=footer_links) }}` renders the partial with the
build-wide names (site, site_feed, ...) and the values given, once for each set of values, and
gives the same HTML wherever it is asked for again. The theme's header (its menu has a handful
of variants: which entry is current) and footer are a quarter of the time of an item page when
rendered on every page.

This holds only while the partial (and every template it includes) reads nothing but those
names, so that is checked first: a partial that reads, say, `page` is rendered on every call
with the calling template's whole context, as `{% include %}` would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import jinja2
import jinja2.meta
from jinja2 import nodes
from markupsafe import Markup

from sitegen.model import Item
from sitegen.render.tracking import Key, note, note_all, recording

CALL = "cached_partial"  # the name templates call it by


class Partials:
    """One build's cached partials, kept across render_site() calls in the same process (the
    shares of a parallel build render the same Site with the same environment)."""

    def __init__(self) -> None:
        self.html: dict[tuple, tuple[Markup, frozenset[Key]]] = {}  # (name, *values) -> HTML, what it read
        self.pure: dict[tuple[str, frozenset[str]], bool] = {}  # (name, value names) -> cacheable

    def renderer(self, env: jinja2.Environment, context: dict[str, object]) -> Callable[..., Markup]:
        """cached_partial(name, **values) for templates. `context` holds the names every page is
        rendered with (the same for the whole build)."""

        @jinja2.pass_context
        def cached_partial(caller: jinja2.runtime.Context, name: str, **values: object) -> Markup:
            if all(type(value) in _SCALARS for value in values.values()):  # True == 1: typed
                key: tuple = (name, *[(field, type(value), value) for field, value in values.items()])
            else:  # a list, a mapping, an item: typed all the way down
                key = (name, _frozen(values))
            found = self.html.get(key)
            if found is not None:
                note_all(found[1])  # the page showing it read what the partial read
                return found[0]
            template = env.get_template(name)
            if not self._is_pure(env, name, set(context), values):
                return Markup(template.render(caller.get_all(), **values))
            with recording() as reads:
                note(("template", name))
                markup = Markup(template.render(context, **values))
            self.html[key] = (markup, frozenset(reads))
            return markup

        return cached_partial

    def _is_pure(self, env: jinja2.Environment, name: str, build_wide: set[str], values: dict) -> bool:
        names = frozenset(values)
        known = self.pure.get((name, names))
        if known is None:
            known = self.pure[(name, names)] = reads_only(env, name, build_wide | set(env.globals) | names)
        return known


def reads_only(env: jinja2.Environment, name: str, allowed: Iterable[str]) -> bool:
    """Whether template `name`, and every template it includes, extends, imports or renders
    with cached_partial(), reads no variable outside `allowed`. A template chosen at run time,
    or one that cannot be loaded or parsed, counts as reading anything.

    Remembered for as long as the environment lives (its templates do not change meanwhile:
    environment.py), so that a preview's rebuild does not parse the templates again (~15 ms)."""
    question = (name, frozenset(allowed))
    answers = getattr(env, "sitegen_reads_only", None)
    if answers is None:
        return _reads_only(env, *question)
    if question not in answers:
        answers[question] = _reads_only(env, *question)
    return answers[question]


def _reads_only(env: jinja2.Environment, name: str, allowed: frozenset[str]) -> bool:
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            source = env.loader.get_source(env, current)[0]  # type: ignore[union-attr]
            tree = env.parse(source)
        except jinja2.TemplateError:
            return False
        if not jinja2.meta.find_undeclared_variables(tree) <= allowed:
            return False
        referenced = referenced_templates(tree)
        if referenced is None:
            return False
        todo.extend(referenced)
    return True


def referenced_templates(tree: nodes.Template) -> set[str] | None:
    """The templates a parsed template extends, includes, imports or renders with
    cached_partial(); None if it chooses one at run time."""
    found = list(jinja2.meta.find_referenced_templates(tree))
    found.extend(_partials_called(tree))
    return None if None in found else set(found)  # type: ignore[arg-type]


def _partials_called(tree: nodes.Template) -> Iterator[str | None]:
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == CALL:
            first = call.args[0] if call.args else None
            yield first.value if isinstance(first, nodes.Const) and isinstance(first.value, str) else None


_SCALARS = frozenset({str, int, float, bool, type(None), Markup})


def _frozen(value: object) -> object:
    """A value as a dictionary key: lists (a menu) as tuples, mappings as sorted pairs, each
    with its type's name: values that are equal can show differently (`True == 1 == 1.0`), and
    one partial's rendering must never stand in for another's."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((_frozen(key), _frozen(item)) for key, item in value.items())))
    if isinstance(value, list | tuple):
        return (type(value).__qualname__, tuple(_frozen(item) for item in value))
    if isinstance(value, Item):  # by its file (its `lines` cannot be hashed)
        return ("Item", value.source)
    return (type(value).__qualname__, value)
