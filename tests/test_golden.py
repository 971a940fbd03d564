"""Golden sites: the whole output of a build compared file by file with a reviewed copy.

After an intended change run `pytest tests/test_golden.py --update-golden`, then read
`git diff tests/sites/` before committing: golden output is reviewed, not blessed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import GOLDEN_DIR, GOLDEN_SITES


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", sorted(GOLDEN_SITES))
def test_build_matches_golden_output(name: str, built_sites: dict[str, Path], update_golden: bool) -> None:
    expected_dir = GOLDEN_DIR / name / "expected"
    actual = _files(built_sites[name])
    if update_golden:
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(built_sites[name], expected_dir)
    expected = _files(expected_dir)
    assert sorted(actual) == sorted(expected), "the set of files differs from the golden output"
    changed = [path for path in actual if actual[path] != expected[path]]
    assert not changed, f"files differ from the golden output: {changed[:10]}"
