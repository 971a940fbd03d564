"""Third review, finding 1, in a real browser: each asset here runs script in headless Chromium
when served as the build would have published it (over HTTP with Python's MIME types, as
`python -m http.server` and `sitegen serve` send them), so the check is tested on attacks that
work, and the build refuses every one of them, naming the file."""

from __future__ import annotations

import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ..conftest import build_errors, make_site, news

BEACON = "fetch('/ran')"  # what every script here does: the server notes the request
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="50">\n'
LINK_TEXT = '<text x="10" y="30">click me</text></a>\n</svg>\n'
XSL = f"""<?xml version="1.0"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns="http://www.w3.org/1999/xhtml">
<xsl:template match="/"><html><body><p>x</p><xsl:element name="script">{BEACON}</xsl:element></body></html>
</xsl:template></xsl:stylesheet>
"""
STYLESHEET_PI = '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="style.xsl"?>\n'

# name: (files published in media/, the one opened, whether its link is clicked)
CASES: dict[str, tuple[dict[str, str], str, bool]] = {
    "xml-stylesheet-in-xml": ({"doc.xml": STYLESHEET_PI + "<doc>hi</doc>\n", "style.xsl": XSL}, "doc.xml", False),
    "xml-stylesheet-in-svg": ({"pic.svg": STYLESHEET_PI + SVG + "</svg>\n", "style.xsl": XSL}, "pic.svg", False),
    "animate-href": (
        {
            "anim.svg": SVG
            + f'<a><animate attributeName="href" values="https://example.org/;javascript:{BEACON}" dur="0.1s"'
            + ' fill="freeze"/>'
            + LINK_TEXT
        },
        "anim.svg",
        True,
    ),
    "animate-xlink-href-second-value": (
        {
            "xlink.svg": SVG
            + f'<a><animate attributeName="xlink:href" values="/; JavaScript:{BEACON}" dur="0.1s" fill="freeze"/>'
            + LINK_TEXT
        },
        "xlink.svg",
        True,
    ),
    "entity-in-doctype": (
        {"entity.svg": f'<!DOCTYPE svg [<!ENTITY x "<script>{BEACON}</script>">]>\n' + SVG + "&x;</svg>\n"},
        "entity.svg",
        False,
    ),
    "default-attribute-in-doctype": (
        {"default.svg": f'<!DOCTYPE svg [<!ATTLIST svg onload CDATA "{BEACON}">]>\n' + SVG + "</svg>\n"},
        "default.svg",
        False,
    ),
}


class _Recording(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        self.server.paths.append(self.path)  # type: ignore[attr-defined]


def script_ran(browser, folder: Path, opened: str, click: bool) -> bool:
    """Whether opening `opened` from `folder` (and clicking its link) runs the beacon."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Recording, directory=str(folder)))
    server.paths = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/{opened}")
        if click:
            page.wait_for_timeout(300)  # the animation has set the link
            page.click("text=click me", timeout=3000)
        deadline = time.monotonic() + 3
        while "/ran" not in server.paths and time.monotonic() < deadline:  # type: ignore[attr-defined]
            page.wait_for_timeout(50)
        return "/ran" in server.paths  # type: ignore[attr-defined]
    finally:
        page.close()
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_asset_that_runs_script_in_chromium_is_refused_by_the_build(browser, tmp_path: Path, case: str) -> None:
    files, opened, click = CASES[case]
    published = tmp_path / "published"
    published.mkdir()
    for name, text in files.items():
        (published / name).write_text(text, encoding="utf-8")
    assert script_ran(browser, published, opened, click), "the attack no longer works: the test shows nothing"
    site = make_site(
        tmp_path / "s", {"content/news/n.md": news(), **{f"content/media/{n}": t for n, t in files.items()}}
    )
    refused = {error.split(":", 1)[0] for error in build_errors(site)}
    assert refused == {f"content/media/{name}" for name in files}
