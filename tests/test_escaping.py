"""`{{ x }}` in sitegen's templates is written as text (render/escaping.py, for speed): every
page must read as Jinja with markupsafe writes it, whatever the value and however it is output."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup, escape

from sitegen.pipeline import BuildOptions, build
from sitegen.pipeline.salt import code_version
from sitegen.render import escaping
from sitegen.render.tracking import TrackingEnvironment

from .conftest import NOW, make_site, news

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

TEMPLATE = """{% extends "base.html" %}{% import "macros.html" as lib %}{% block b %}{{ super() }}
{{ x }}|{{ x | safe }}|{{ x ~ "<" }}|{% set y %}<{{ x }}>{% endset %}{{ y }}|{{ lib.m(x) }}|
{% macro m(v) %}[{{ v }}]{% endmacro %}{{ m(x) }}|{% for v in [x, x] %}{{ v }}{{ loop.index }},{% endfor %}|
{% call lib.wrap() %}<{{ x }}>{% endcall %}|{% filter upper %}{{ x }}{% endfilter %}|
{% autoescape false %}{{ x }}{% endautoescape %}|{% autoescape x is none %}{{ x }}{% endautoescape %}|
{{ x if x else "<none>" }}|{{ "%s" | format(x) }}|{% include "part.html" %}{% endblock %}"""
TEMPLATES = {
    "page.html": TEMPLATE,
    "base.html": "<{% block b %}{{ x }}{% endblock %}>",
    "macros.html": "{% macro m(v) %}({{ v }}){% endmacro %}{% macro wrap() %}[{{ caller() }}]{% endmacro %}",
    "part.html": "{{ x }}!",
}


class _Html:
    def __html__(self) -> str:
        return "<i>own html</i>"


class _Number:
    def __html__(self) -> int:
        return 5


@pytest.mark.parametrize("value", [*VALUES, _Html(), _Number()])
def test_output_text_is_markupsafe_escape_as_text(value: object, monkeypatch: pytest.MonkeyPatch) -> None:
    assert escaping.output_text(value) == str(escape(value))
    assert type(escaping.output_text(value)) is str or hasattr(value, "__html__")
    monkeypatch.setattr(escaping, "_escape_inner", None)  # markupsafe without its C escaping
    assert escaping.output_text(value) == str(escape(value))


@pytest.mark.parametrize("value", [*VALUES, _Html(), _Number()])
def test_templates_write_what_jinja_writes(value: object) -> None:
    def environment(kind: type[jinja2.Environment]) -> jinja2.Environment:
        texts = {name.replace(".html", ".txt"): source.replace(".html", ".txt") for name, source in TEMPLATES.items()}
        loader = jinja2.DictLoader({**TEMPLATES, **texts})  # .txt: not autoescaped
        return kind(loader=loader, autoescape=jinja2.select_autoescape(["html"]))

    ours, jinjas = environment(TrackingEnvironment), environment(jinja2.Environment)
    for name in ("page.html", "page.txt"):
        assert ours.get_template(name).render(x=value) == jinjas.get_template(name).render(x=value)
    assert "environment.output_text(" in ours.compile(TEMPLATE, "page.html", raw=True)


def test_an_undefined_value_fails_as_in_jinja() -> None:
    env = TrackingEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()


def test_compiled_templates_in_the_cache_are_this_versions_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The compiled templates kept in .sitegen-cache/templates are named by sitegen's code
    (Jinja's names leave out the code generator): another version's files are removed, not run."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # the signing key's home
    site = make_site(tmp_path / "site", {"content/news/2026-02-01-a.md": news("A", body="Text.")})
    cache = site / ".sitegen-cache/templates"
    cache.mkdir(parents=True)
    (cache / "__jinja2_0123456789abcdef.cache").write_bytes(b"another version's code")
    build(BuildOptions(site, tmp_path / "out", NOW))
    names = [path.name for path in cache.iterdir()]
    assert names and all(name.startswith(f"__sitegen_{code_version()[:16]}_") for name in names)
    first = (tmp_path / "out/news/a/index.html").read_bytes()
    shutil.rmtree(tmp_path / "out")
    build(BuildOptions(site, tmp_path / "out", NOW))  # the templates from the cache
    assert (tmp_path / "out/news/a/index.html").read_bytes() == first
