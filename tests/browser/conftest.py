"""Real headless Chromium (Debian's `chromium`) driven by Playwright, on the built sites.

Each site from `built_sites` is served over HTTP on 127.0.0.1 at its base path, so links and
the stylesheet resolve exactly as they will when published.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sitegen.content.config import load_config

from ..conftest import GOLDEN_SITES


class _Handler(SimpleHTTPRequestHandler):
    """Serves output/ under the site's base path (e.g. /network/), quietly."""

    def __init__(self, *args, base_path: str, **kwargs):
        self.base_path = base_path
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        if self.base_path and path.startswith(self.base_path):
            path = path[len(self.base_path) :] or "/"
        return super().translate_path(path)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Served:
    """A built site reachable over HTTP: `url("/news/")` is the address of that site path."""

    def __init__(self, name: str, output: Path, origin: str, base_path: str):
        self.name, self.output, self.origin, self.base_path = name, output, origin, base_path

    def url(self, site_path: str) -> str:
        return self.origin + self.base_path + site_path

    def site_paths(self) -> list[str]:
        """Every page the build wrote (as site paths), without the alias redirect pages."""
        paths = []
        for file in sorted(self.output.rglob("*.html")):
            if 'http-equiv="refresh"' in file.read_text(encoding="utf-8"):
                continue
            rel = "/" + file.relative_to(self.output).as_posix()
            paths.append(rel.removesuffix("index.html"))
        return paths


@pytest.fixture(scope="session")
def served(built_sites: dict[str, Path]) -> Iterator[dict[str, Served]]:
    servers, result = [], {}
    for name, output in built_sites.items():
        base_path = load_config(GOLDEN_SITES[name])[0].base_path
        handler = partial(_Handler, directory=str(output), base_path=base_path)
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        result[name] = Served(name, output, f"http://127.0.0.1:{server.server_address[1]}", base_path)
    yield result
    for server in servers:
        server.shutdown()
        server.server_close()
