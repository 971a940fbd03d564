from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import REPO_ROOT, make_site, news

NOW = "2026-11-20T12:00:00+01:00"


def _sitegen(*args: str, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_build_prints_a_summary_and_exits_0(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-a.md": news("A", "2026-01-01")})
    result = _sitegen("build", "--site", str(site), "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert "built 1 news" in result.stderr and "files written" in result.stderr


def test_json_report(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-a.md": news("A", "2026-01-01")})
    report = json.loads(_sitegen("build", "--site", str(site), "--now", NOW, "--json").stdout)
    assert report["ok"] is True and report["items"] == {"news": 1} and report["written"] > 5


def test_content_errors_exit_1_usage_errors_exit_2(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-a.md": "---\ndate: 2026-01-01\n---\n"})
    failed = _sitegen("build", "--site", str(site), "--now", NOW)
    assert failed.returncode == 1
    assert "content/news/2026-01-01-a.md:1:1: error: `title` is missing" in failed.stderr
    assert _sitegen("build", "--now", "next tuesday").returncode == 2
    assert _sitegen("build", "--no-such-flag").returncode == 2


def test_build_py_is_sitegen_build(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-a.md": news("A", "2026-01-01")})
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "build.py"), "--site", str(site), "--now", NOW],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (site / "output/news/a/index.html").exists()


def test_refuses_to_build_into_the_site_folder(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-a.md": news("A", "2026-01-01")})
    result = _sitegen("build", "--site", str(site), "--output", str(site), "--now", NOW)
    assert result.returncode == 1 and "refusing to build into" in result.stderr


EVENT_WITHOUT_REGISTRATION = (
    "---\ntitle: Webinar\ndate: 2026-11-01\nstarts: 2099-12-10 10:00\nends: 2099-12-10 11:00\n---\nJoin us.\n"
)


def test_warnings_are_counted_and_fail_the_build_only_under_strict(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/events/2026-11-01-webinar.md": EVENT_WITHOUT_REGISTRATION})
    built = _sitegen("build", "--site", str(site), "--now", NOW)
    assert built.returncode == 0, built.stderr
    assert "warning: this upcoming event has no registration link" in built.stderr
    assert "; 1 warning(s)" in built.stderr
    report = json.loads(_sitegen("build", "--site", str(site), "--now", NOW, "--json").stdout)
    assert [w["line"] for w in report["warnings"]] == [4]

    strict_out = tmp_path / "strict-out"
    strict = _sitegen("build", "--site", str(site), "--now", NOW, "--strict", "--output", str(strict_out))
    assert strict.returncode == 1
    assert "content/events/2026-11-01-webinar.md:4:1: warning: this upcoming event" in strict.stderr
    assert "build failed: 1 warning(s) (strict)" in strict.stderr
    assert not strict_out.exists(), "a build that fails under --strict writes nothing"


def test_strict_in_site_yaml(tmp_path: Path) -> None:
    files = {
        "content/events/2026-11-01-webinar.md": EVENT_WITHOUT_REGISTRATION,
        "site.yaml": "title: T\nbase_url: https://example.org/\ntimezone: Europe/Brussels\nstrict: true\n",
    }
    site = make_site(tmp_path / "s", files)
    assert _sitegen("build", "--site", str(site), "--now", NOW).returncode == 1


def test_check_exits_1_on_warnings_only_under_strict(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/events/2026-11-01-webinar.md": EVENT_WITHOUT_REGISTRATION})
    assert _sitegen("check", "--site", str(site)).returncode == 0
    assert _sitegen("check", "--site", str(site), "--strict").returncode == 1
