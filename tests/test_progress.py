"""Build reporting: --verbose lists files; long builds on a terminal show their stage."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

from sitegen.commands import progress
from sitegen.pipeline import BuildOptions, build

from .conftest import NOW, make_site, news


def test_verbose_lists_files_written_and_removed(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-a.md": news("A", "2026-01-01")})

    def sitegen_build(*args: str) -> str:
        command = [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--now", NOW.isoformat(), *args]
        return subprocess.run(command, capture_output=True, text=True, check=True).stderr

    first = sitegen_build("--verbose")
    assert "  wrote   news/a/index.html" in first and "built 1 news" in first
    (site / "content/news/2026-01-01-a.md").unlink()
    (site / "content/news/2026-01-02-b.md").write_text(news("B", "2026-01-02"), encoding="utf-8")
    second = sitegen_build("--verbose")
    assert "  removed news/a/index.html" in second and "  wrote   news/b/index.html" in second
    assert "1 removed" not in sitegen_build("--quiet") and sitegen_build("--quiet") == ""


def test_progress_shows_stages_of_long_builds_only(tmp_path: Path, monkeypatch) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-a.md": news("A", "2026-01-01")})
    quick = io.StringIO()
    shown = progress.Progress(quick)
    build(BuildOptions(site, now=NOW, progress=shown))
    shown.close()
    assert quick.getvalue() == ""  # done before the first second

    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "EVERY", 0.01)
    slow = io.StringIO()
    shown = progress.Progress(slow)
    shown("rendering 12 pages")
    time.sleep(0.1)
    shown.close()
    assert "\r\033[Krendering 12 pages… 0s" in slow.getvalue() and slow.getvalue().endswith("\r\033[K")
