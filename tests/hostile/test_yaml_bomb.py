"""Finding 10: a YAML alias bomb (a kilobyte of nine levels of `*alias` lists, a billion
values once written out) in a post or in site.yaml is an error at its line, found at once,
by `build` and by `check` (one loader reads both)."""

from __future__ import annotations

import time
from itertools import pairwise
from pathlib import Path

import pytest

from sitegen.commands.check import check_site
from sitegen.content.frontmatter import FrontMatterError, load_yaml_mapping

from ..conftest import NOW, SITE_YAML, build_errors, make_site, news


def bomb(levels: int = 9) -> str:
    """`a` is nine strings, `b` nine times `a`, ...: 9**levels values in about 1 KB."""
    names = [chr(ord("a") + level) for level in range(levels)]
    lines = [f'{names[0]}: &{names[0]} ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{name}: &{name} [{','.join([f'*{before}'] * 9)}]" for before, name in pairwise(names)]
    return "\n".join(lines) + "\n"


def test_the_bomb_is_a_kilobyte() -> None:
    assert len(bomb()) < 1100


def test_a_bomb_in_front_matter_is_an_error_at_its_line_for_build_and_check(tmp_path: Path) -> None:
    post = "---\ntitle: Boom\ndate: 2026-01-01\n" + bomb() + "---\nText.\n"
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-boom.md": post, "content/news/ok.md": news()})
    started = time.perf_counter()
    errors = build_errors(site)
    # The line of `f`, the first key whose value holds over 100,000 values (9**6 = 531,441).
    assert errors == [
        "content/news/2026-01-01-boom.md:9:1: error: `f` repeats so much through aliases (`*name`) that it holds"
        " over 100,000 values\n    hint: write the values out instead of repeating them through aliases"
    ]
    checked = check_site(site, NOW)
    assert [(e.path, e.line, e.severity) for e in checked.problems] == [("content/news/2026-01-01-boom.md", 9, "error")]
    assert time.perf_counter() - started < 10  # unbounded, this took minutes and gigabytes


def test_a_bomb_in_site_yaml_is_an_error_at_its_line(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/ok.md": news()}, SITE_YAML + "menu: &m\n" + bomb())
    errors = build_errors(site)
    assert len(errors) == 1 and errors[0].startswith("site.yaml:10:1: error: `f` repeats so much through aliases")
    assert check_site(site, NOW).problems[0].line == 10


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: &a [1, *a]\n", 1, "`a` contains itself through an alias"),
        ("a: &a {k: [x, *a]}\n", 1, "`a` contains itself through an alias"),
        ("x: 1\nb: &b [" + ",".join(["*a"] * 9) + "]\n", None, None),  # an unknown alias: YAML's own error
    ],
)
def test_aliases_that_contain_themselves_are_refused(text: str, line: int | None, message: str | None) -> None:
    with pytest.raises(FrontMatterError) as raised:
        load_yaml_mapping(text)
    if message:
        assert (raised.value.line, raised.value.message.startswith(message)) == (line, True)


def test_aliases_that_repeat_a_little_still_work() -> None:
    data, marks = load_yaml_mapping("base: &b {city: Bilbao}\nplace: *b\nmore: [*b, *b]\nlist: &l [a, b]\nx: *l\n")
    assert data["more"] == [{"city": "Bilbao"}] * 2 and data["x"] == ["a", "b"]
    assert marks["more.1.city"].line == 1


@pytest.mark.parametrize("depth", [150, 998])
@pytest.mark.parametrize("shape", ["[{}]", "{a: {}}", "- {}"])
def test_values_nested_deeper_than_code_can_walk_are_an_error_at_their_line(
    tmp_path: Path, depth: int, shape: str
) -> None:
    """libyaml stops at 1,000 levels, Python's stack nearer 1,000 frames than that: past 100
    levels a value is refused where it gets too deep."""
    if shape == "- {}":
        value = "\n  " + "- " * depth + "x"
    else:
        opener, closer = shape.split("{}")
        value = opener * depth + "x" + closer * depth
    post = f"---\ntitle: Deep\ndate: 2026-01-01\nsummary: {value}\n---\nText.\n"
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-deep.md": post})
    (error,) = build_errors(site)
    assert error.startswith("content/news/2026-01-01-deep.md:")
    assert "nested more than 100 levels deep" in error or "exceeded maximum nesting depth" in error
