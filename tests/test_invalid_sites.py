"""Bad input: every folder in tests/sites_invalid/ is a small site with one kind of mistake
and `expected.txt`, the exact errors an editor must see. The real command runs on a copy;
it must exit 1, print exactly those errors and write nothing."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import make_site, news

INVALID_DIR = Path(__file__).parent / "sites_invalid"
CASES = sorted(path.name for path in INVALID_DIR.iterdir() if (path / "expected.txt").is_file())
NOW = "2026-11-20T12:00:00+01:00"
SUMMARY = "build failed: "


def _build(site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--now", NOW],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def _copy(name: str, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(INVALID_DIR / name, site, ignore=shutil.ignore_patterns("expected.txt", "output"))
    return site


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.startswith(SUMMARY)]


def _hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _tree(root: Path) -> dict[str, str]:
    """Every file (with its hash) and every folder below root."""
    folders = {path.relative_to(root).as_posix(): "folder" for path in root.rglob("*") if path.is_dir()}
    return {**folders, **_hashes(root)}


def test_there_is_a_case_for_every_mistake_in_the_issue() -> None:
    required = {
        "unclosed-front-matter", "yaml-syntax-error", "missing-title", "date-not-a-date", "tags-as-string",
        "unknown-key-did-you-mean", "programme-missing", "image-missing-file", "image-no-alt",
        "non-utf8", "slug-escapes", "alias-escapes", "duplicate-url", "duplicate-key",
        "event-ends-before-starts", "unknown-timezone", "bad-url", "many-errors", "site-yaml-missing-base-url",
    }  # fmt: skip
    assert required <= set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_invalid_site_reports_exactly_the_expected_errors(name: str, tmp_path: Path) -> None:
    site = _copy(name, tmp_path)
    result = _build(site)
    expected = (INVALID_DIR / name / "expected.txt").read_text(encoding="utf-8").splitlines()
    # The other files' warnings come after the errors: every problem in one run.
    warnings_file = INVALID_DIR / name / "expected-warnings.txt"
    warnings = warnings_file.read_text(encoding="utf-8").splitlines() if warnings_file.exists() else []
    assert result.returncode == 1, result.stderr
    assert _error_lines(result.stderr) == expected + warnings
    count = sum(1 for line in expected if not line.startswith("    hint: "))
    warned = sum(1 for line in warnings if not line.startswith("    hint: "))
    also = f", {warned} warning(s)" if warned else ""
    assert result.stderr.splitlines()[-1] == f"{SUMMARY}{count} error(s){also}; output/ was left as it was"
    assert not (site / "output").exists()


@pytest.mark.parametrize("name", CASES)
def test_every_expected_error_names_a_place_and_a_fix(name: str) -> None:
    lines = (INVALID_DIR / name / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert lines, "expected.txt is empty"
    errors, hints = lines[0::2], lines[1::2]
    assert len(errors) == len(hints), "every error is followed by one hint line"
    for error, hint in zip(errors, hints, strict=True):
        location, _, message = error.partition(": error: ")
        path, line, col = location.rsplit(":", 2)
        assert (INVALID_DIR / name / path).is_file(), f"{path} is not a file of the site"
        assert int(line) >= 1 and int(col) >= 1 and message
        assert hint.startswith("    hint: ") and len(hint) > len("    hint: ")
    assert errors == sorted(errors, key=lambda e: (e.split(":")[0], int(e.split(":")[1]), int(e.split(":")[2])))


@pytest.mark.parametrize("name", ["slug-escapes", "alias-escapes"])
def test_an_escaping_slug_or_alias_writes_nothing_anywhere(name: str, tmp_path: Path) -> None:
    site = _copy(name, tmp_path)
    before = _tree(tmp_path)
    assert _build(site).returncode == 1
    assert _tree(tmp_path) == before  # no file and no folder: not output/, not ../etc, not ../outside.html


def test_a_failed_build_leaves_the_previous_output_byte_for_byte(tmp_path: Path) -> None:
    path = "content/news/2026-02-10-board-meets.md"
    site = make_site(tmp_path / "site", {path: news("Board meets", "2026-02-10", tags="[Governance]")})
    assert _build(site).returncode == 0
    output = site / "output"
    before = _hashes(output)
    assert "news/board-meets/index.html" in before and len(before) > 10
    (site / path).write_text(news("Board meets", "2026-02-30", tags="Governance"), encoding="utf-8")
    (site / "content/news/2026-02-11-second.md").write_text(news("Second", "2026-02-11"), encoding="utf-8")
    result = _build(site)
    assert result.returncode == 1
    assert f"{path}:3:7: error: `date` must be a date, not `2026-02-30`" in result.stderr
    assert _hashes(output) == before


def test_files_sitegen_did_not_write_survive_good_and_bad_rebuilds(tmp_path: Path) -> None:
    path = "content/news/2026-02-10-board-meets.md"
    site = make_site(tmp_path / "site", {path: news("Board meets", "2026-02-10", tags="[Governance]")})
    output = site / "output"
    assert _build(site).returncode == 0
    (output / "CNAME").write_text("www.example.org\n", encoding="utf-8")
    (output / "news/notes.txt").write_text("kept by hand\n", encoding="utf-8")
    (site / path).write_text(news("Board meets again", "2026-02-10", tags="[Policy]"), encoding="utf-8")
    assert _build(site).returncode == 0  # a good rebuild: the Governance tag pages go, ours stay
    assert not (output / "tags/governance/index.html").exists()
    (site / path).write_text("---\ntitle: Broken\n", encoding="utf-8")
    assert _build(site).returncode == 1
    assert _build(site).returncode == 1
    (site / path).write_text(news("Fixed", "2026-02-10"), encoding="utf-8")
    assert _build(site).returncode == 0
    assert (output / "CNAME").read_text(encoding="utf-8") == "www.example.org\n"
    assert (output / "news/notes.txt").read_text(encoding="utf-8") == "kept by hand\n"
