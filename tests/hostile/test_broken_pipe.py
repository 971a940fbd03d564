"""Third review, finding 4: `sitegen build --json | head -1` ends quietly, as Unix tools do when
the reader goes away (the status of a process SIGPIPE ended), with no traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from ..conftest import make_site, news


def test_a_reader_that_goes_away_ends_the_report_quietly(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/n.md": news()})
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before sitegen writes a byte: the write fails every time
    try:
        result = subprocess.run(
            [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--json", "--no-cache"],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(writer)
    assert result.stderr == ""
    assert result.returncode == 128 + signal.SIGPIPE
    assert (site / "output/index.html").is_file()  # the build itself was done
