"""`{{ x }}` in sitegen's templates is written as text (render/escaping.py, for speed): every
page must read as Jinja with markupsafe writes it, whatever the value and however it is output."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup, escape

from sitegen.render import escaping
from sitegen.render.tracking import TrackingEnvironment

VALUES = [
    "plain",
    "<script>alert('x')</script> & \"quotes\"",
    "Zoë’s “café” — ünïcode <b>",
    Markup("<em>already safe</em>"),
    42,
    3.5,
    None,
    ["a", "<b>"],
]

TEMPLATE = """{{ x }}|{{ x | safe }}|{{ x ~ "<" }}|{% set y %}<{{ x }}>{% endset %}{{ y }}|
{% macro m(v) %}[{{ v }}]{% endmacro %}{{ m(x) }}|{% for v in [x, x] %}{{ v }},{% endfor %}|
{% autoescape false %}{{ x }}{% endautoescape %}|{{ x if x else "<none>" }}|{{ "%s" | format(x) }}"""


class _Html:
    def __html__(self) -> str:
        return "<i>own html</i>"


@pytest.mark.parametrize("value", [*VALUES, _Html()])
def test_output_text_is_markupsafe_escape_as_text(value: object, monkeypatch: pytest.MonkeyPatch) -> None:
    assert escaping.output_text(value) == str(escape(value))
    assert type(escaping.output_text(value)) is str or hasattr(value, "__html__")
    monkeypatch.setattr(escaping, "_escape_inner", None)  # markupsafe without its C escaping
    assert escaping.output_text(value) == str(escape(value))


@pytest.mark.parametrize("value", [*VALUES, _Html()])
def test_templates_write_what_jinja_writes(value: object) -> None:
    def environment(kind: type[jinja2.Environment]) -> jinja2.Environment:
        loader = jinja2.DictLoader({"page.html": TEMPLATE, "page.txt": TEMPLATE})
        return kind(loader=loader, autoescape=jinja2.select_autoescape(["html"]))

    ours, jinjas = environment(TrackingEnvironment), environment(jinja2.Environment)
    for name in ("page.html", "page.txt"):
        assert ours.get_template(name).render(x=value) == jinjas.get_template(name).render(x=value)
    assert "environment.output_text(" in ours.compile(TEMPLATE, "page.html", raw=True)


def test_an_undefined_value_fails_as_in_jinja() -> None:
    env = TrackingEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
