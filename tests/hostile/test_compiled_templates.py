"""Compiled templates in .sitegen-cache/templates/ are Jinja's pickles and code objects: a file
this machine did not sign is compiled again, never loaded (state/compiled.py), so whoever can
write the site's cache (a restored CI cache, a pull request that adds it) cannot run code."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import jinja2
import pytest

from sitegen.pipeline import CACHE_DIR
from sitegen.render.tracking import TrackingEnvironment

from ..conftest import make_site, news, run_build

MARKER = Path("/tmp/sitegen-compiled-template-exploit")


class _Exploit:
    def __reduce__(self) -> tuple:
        return (Path.touch, (MARKER,))


@pytest.fixture(autouse=True)
def own_key_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates compiled from their text (not loaded compiled)."""
    compiled: list[str] = []
    original = TrackingEnvironment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(TrackingEnvironment, "compile", counting)
    return compiled


def _site(root: Path) -> Path:
    return make_site(root, {"content/news/2026-01-01-a.md": news("A"), "content/news/2026-01-02-b.md": news("B")})


def test_a_compiled_template_not_signed_here_is_never_run(tmp_path: Path) -> None:
    MARKER.unlink(missing_ok=True)
    site = _site(tmp_path / "s")
    run_build(site)
    files = sorted((site / CACHE_DIR / "templates").glob("*.cache"))
    assert files, "the build keeps compiled templates"
    for file in files:  # what Jinja reads: its header, then a pickle (here one that runs code)
        file.write_bytes(bytes(32) + jinja2.bccache.bc_magic + pickle.dumps(_Exploit()))
    shutil.rmtree(site / "output")
    run_build(site)
    assert not MARKER.exists(), "a compiled template from the cache ran code"
    run_build(site, output=tmp_path / "clean", cache=False)
    for page in ("index.html", "news/a/index.html"):
        assert (site / "output" / page).read_bytes() == (tmp_path / "clean" / page).read_bytes()


def test_compiled_templates_signed_here_are_used_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path / "s")
    run_build(site)
    compiled = _compiles(monkeypatch)
    shutil.rmtree(site / "output")
    run_build(site)
    assert not compiled, f"compiled again: {compiled}"


def test_another_machines_compiled_templates_are_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path / "s")
    run_build(site)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))  # another key
    compiled = _compiles(monkeypatch)
    shutil.rmtree(site / "output")
    run_build(site)
    assert "base.html" in compiled and "item.html" in compiled
    assert (tmp_path / "another-user/sitegen/key").stat().st_mode & 0o077 == 0, "the key is the user's alone"
