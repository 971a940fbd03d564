"""Third review, finding 3: `sitegen check` looks at the files the build publishes, static/
included, so a site it passes is a site the build accepts: an SVG with script in static/ was
passed by check and refused by the build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sitegen.commands.check import check_site

from .conftest import NOW, build_errors, make_site, news

ONLOAD = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def test_check_refuses_a_static_file_the_build_refuses(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/n.md": news(), "static/evil.svg": ONLOAD, "static/.env": "KEY=1"})
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "check", "--site", str(site)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert (
        "static/evil.svg:1:1: error: this SVG drawing holds script (the `onload` attribute of <svg>)" in result.stderr
    )
    assert ".env" not in result.stderr  # hidden: never published, by either


def test_check_and_build_report_the_same_errors_for_static_files(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("secret")
    files = {
        "content/news/n.md": news(),
        "static/evil.svg": ONLOAD,
        "static/page.html": "<script>alert(1)</script>",
        "static/style.xsl": "<x/>",
        "static/ok.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
    }
    site = make_site(tmp_path / "s", files)
    os.symlink(tmp_path / "secret.txt", site / "static" / "secret.txt")
    built = build_errors(site)
    checked = [problem.format() for problem in check_site(site, NOW).problems if problem.severity == "error"]
    assert len(built) == 4
    assert checked == built
