"""Shared fixtures: small sites from inline strings, builds with a pinned clock."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from sitegen.content.config import load_config
from sitegen.content.load import load
from sitegen.content.parse import parse_all
from sitegen.errors import BuildFailed, ErrorLog
from sitegen.pipeline import BuildOptions, BuildResult, build
from sitegen.pipeline.parsing import static_assets
from sitegen.render.environment import make_environment
from sitegen.render.outputs import render_all
from sitegen.site.assemble import assemble
from sitegen.state import files as file_memory

from .tools import require

NOW = datetime.fromisoformat("2026-11-20T12:00:00+01:00")
SITE_YAML = "title: Test Network\nbase_url: https://example.org/\ntimezone: Europe/Brussels\n"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/sites/*/expected/ from the current build (review the diff before committing)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def trusted_stamps(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test's files were copied or had their times set back a moment ago, so their change
    times are now: a build would read each again for two seconds (state/files.py stamp_of).
    Tests of what a build does with stamps it trusts trust them at once."""
    monkeypatch.setattr(file_memory, "RACY_SECONDS", 0)


def make_site(root: Path, files: dict[str, str | bytes], site_yaml: str = SITE_YAML) -> Path:
    """A site folder from {relative path: text}; site.yaml unless given in files."""
    root.mkdir(parents=True, exist_ok=True)
    if "site.yaml" not in files:
        (root / "site.yaml").write_text(site_yaml, encoding="utf-8")
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def render_in_memory(site_dir: Path, now: datetime = NOW, **once: object) -> dict:
    """Every output of a site, rendered in this process without writing anything (`once`: the
    Cards and Partials to render with)."""
    config, _ = load_config(site_dir)
    log = ErrorLog()
    sources, assets = load(site_dir, log)
    assets += static_assets(site_dir, log)  # as sitegen check and the build: a body may show /static/x.png
    known = {a.content_path for a in assets} | {s.content_path for s in sources}
    site = assemble(parse_all(sources, config, known, log), assets, config, now, False, False, log)
    return render_all(site, config, make_environment(site_dir, config), site_dir, **once)


def run_build(site: Path, now: datetime = NOW, output: Path | None = None, **options: bool) -> BuildResult:
    return build(BuildOptions(site, output, now, **options))


def build_errors(site: Path, now: datetime = NOW, **options: bool) -> list[str]:
    """The formatted errors of a build that must fail."""
    with pytest.raises(BuildFailed) as failed:
        run_build(site, now, **options)
    return [error.format() for error in failed.value.errors]


def news(title: str = "Board meets", date: str = "2026-02-10", body: str = "Some text.", **keys: str) -> str:
    """A news item's Markdown with extra front-matter lines given as key=value (YAML text)."""
    lines = [f"title: {title}", f"date: {date}", *(f"{key}: {value}" for key, value in keys.items())]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


REPO_ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = Path(__file__).resolve().parent / "sites"
# The sample site is the repository itself (content/, site.yaml, templates/).
GOLDEN_SITES = {"minimal": GOLDEN_DIR / "minimal", "sample": REPO_ROOT}


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each golden site built once per session with the pinned clock: name -> output dir."""
    outputs = {}
    for name, site in GOLDEN_SITES.items():
        output = tmp_path_factory.mktemp(f"built-{name}")
        run_build(site, output=output)
        outputs[name] = output
    return outputs


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the sample site (content/, templates/, static/, site.yaml) to edit."""
    site = tmp_path / "site"
    for name in ("content", "templates", "static"):
        if (REPO_ROOT / name).is_dir():
            shutil.copytree(REPO_ROOT / name, site / name)
    shutil.copy(REPO_ROOT / "site.yaml", site / "site.yaml")
    return site


# Real headless Chromium (Debian's `chromium`) through Playwright: one for the whole session,
# here so that every folder's browser tests share it (two sync Playwrights cannot run at once).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    require(executable is not None, "Chromium is not installed: the browser tests need it (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright is not installed (it is in the test extras: pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
