"""The code stays `ruff` clean: the standard every commit is held to."""

from __future__ import annotations

import shutil
import subprocess

from .conftest import REPO_ROOT
from .tools import require


def test_ruff_finds_nothing() -> None:
    ruff = shutil.which("ruff")
    require(ruff is not None, "ruff is not installed (it is in the test extras)")
    result = subprocess.run(
        [ruff, "check", "sitegen", "tests", "build.py"], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
