"""Third review, finding 1 and the build's half of finding 2: assets that run script without a
<script> of their own. An `<?xml-stylesheet?>` that has an XSLT file write one, an SVG
animation that turns a link into `javascript:`, script declared in a DOCTYPE, script in the
XHTML namespace of any XML type a server may send, and files whose type is not their last
suffix (`x.html.gz`, `x.svg.bak`, a page without a suffix): each is an error at its file and
line, with the fix."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from ..conftest import build_errors, make_site, news, run_build

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 4 4">\n'
XHTML = 'xmlns:h="http://www.w3.org/1999/xhtml"'
XSL = (
    '<?xml version="1.0"?>\n<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">\n'
    '<xsl:template match="/"><xsl:element name="script">alert(1)</xsl:element></xsl:template>\n'
    "</xsl:stylesheet>\n"
)
STYLESHEET_PI = '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="style.xsl"?>\n'
SCRIPT_HELD = "holds script"


@pytest.mark.parametrize(
    ("name", "text", "where", "what"),
    [
        ("doc.xml", STYLESHEET_PI + "<doc>hi</doc>\n", "2:1", "the processing instruction <?xml-stylesheet?>"),
        ("pic.svg", STYLESHEET_PI + SVG + "</svg>\n", "2:1", "the processing instruction <?xml-stylesheet?>"),
        ("other.svg", SVG + '<?php echo "x" ?>\n</svg>\n', "2:1", "the processing instruction <?php?>"),
        (
            "anim.svg",
            SVG + '<a><animate attributeName="href" values="https://example.org/;javascript:alert(1)"/></a></svg>',
            "2:4",
            "<animate> changing the `href` attribute",
        ),
        (
            "set.svg",
            SVG + '<a>\n  <set attributeName="xlink:href" to="https://example.org/"/></a></svg>',
            "3:3",
            "<set> changing the `href` attribute",
        ),
        (
            "values.svg",
            SVG + '<animate attributeName="fill" values="red; JaVa&#x09;Script:alert(1)"/></svg>',
            "2:1",
            "a `javascript:` address in <animate values>",
        ),
        (
            "motion.svg",
            SVG + '<animateMotion attributeName="x" by="0;vbscript:x"/></svg>',
            "2:1",
            "a `vbscript:` address in <animateMotion by>",
        ),
        (
            "external.svg",
            '<!DOCTYPE svg [\n<!ENTITY x SYSTEM "x.xml">]>\n' + SVG + "</svg>",
            "2:26",  # expat tells where the declaration ends
            "the external entity",
        ),
        ("page.mml", f"<math {XHTML}><mtext><h:script>alert(1)</h:script></mtext></math>", "1:53", "a <script>"),
        ("page.rdf", f"<rdf {XHTML}>\n<h:script>alert(1)</h:script></rdf>", "2:1", "a <script> element"),
        ("page.xsd", f"<x {XHTML}><h:iframe srcdoc='x'/></x>", "1:43", "a <iframe> element"),
        ("sheet.xml", XSL, "2:1", "an XSLT <stylesheet> element"),
    ],
)
def test_markup_that_runs_script_is_refused_at_its_line(tmp_path: Path, name: str, text: str, where: str, what: str):
    site = make_site(tmp_path / "s", {"content/news/n.md": news(), f"content/media/{name}": text})
    (error,) = build_errors(site)
    assert error.startswith(f"content/media/{name}:{where}: error: this "), error
    assert f"{SCRIPT_HELD} ({what}" in error
    assert "hint: remove it" in error


# The rest of the family, refused before this review as well (expat expands a DOCTYPE's
# entities and default attributes; `data:` addresses were refused): kept here with the new
# cases so that no change of parser loses them. These pass without this review's fix.
@pytest.mark.parametrize(
    ("name", "text", "where", "what"),
    [
        (
            "entity.svg",
            '<!DOCTYPE svg [<!ENTITY x "<script>alert(1)</script>">]>\n' + SVG + "&x;</svg>",
            "3:1",
            "a <script> element",
        ),
        (
            "default.svg",
            '<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]>\n' + SVG + "</svg>",
            "2:1",
            "the `onload` attribute of <svg>",
        ),
        ("use.svg", SVG + '<use href="data:image/svg+xml,&lt;svg/&gt;#a"/></svg>', "2:1", "a `data:` address in <use"),
    ],
)
def test_script_declared_in_a_doctype_or_a_data_address_stays_refused(
    tmp_path: Path, name: str, text: str, where: str, what: str
) -> None:
    test_markup_that_runs_script_is_refused_at_its_line(tmp_path, name, text, where, what)


@pytest.mark.parametrize("name", ["style.xsl", "style.XSLT"])
def test_an_xslt_stylesheet_is_never_published(tmp_path: Path, name: str) -> None:
    site = make_site(tmp_path / "s", {"content/news/n.md": news(), f"static/{name}": XSL})
    (error,) = build_errors(site)
    assert error.startswith(f"static/{name}:1:1: error: an XSLT stylesheet would be published")
    assert "hint: publish what it makes" in error


def test_a_drawing_that_is_not_well_formed_is_refused_at_its_mistake(tmp_path: Path) -> None:
    # <h:script> with no xmlns:h: a parser that reads it otherwise would see a script.
    site = make_site(tmp_path / "s", {"content/news/n.md": news(), "content/media/x.svg": SVG + "<h:script/></svg>"})
    (error,) = build_errors(site)
    assert error.startswith("content/media/x.svg:2:1: error: this SVG drawing is not well-formed XML (unbound prefix)")


ONLOAD = SVG + '<g onload="alert(1)"/></svg>\n'
XSPF = (
    b'<playlist xmlns="http://xspf.org/ns/0/"><script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script></playlist>'
)


@pytest.mark.parametrize(
    ("name", "data", "start"),
    [
        ("evil.html.gz", b"<!DOCTYPE html><script>alert(1)</script>", "1:1: error: an HTML file would be published"),
        ("evil.HTML.en", b"<script>alert(1)</script>", "1:1: error: an HTML file would be published"),
        ("evil", b"\n  <script>alert(1)</script>", "1:1: error: an HTML file would be published"),
        ("evil.svg.gz", ONLOAD.encode(), "2:1: error: this SVG drawing holds script (the `onload` attribute"),
        ("packed.svg.gz", gzip.compress(ONLOAD.encode()), "2:1: error: this SVG drawing holds script (the `onload`"),
        ("evil.svg.bak", ONLOAD.encode(), "2:1: error: this SVG drawing holds script (the `onload` attribute"),
        ("evil.xml.br", b"\x1b\x00\x00", "1:1: error: this XML file is compressed (br), so sitegen cannot check it"),
        # A type Python's table lacks but servers' tables name +xml (browsers open it as XML).
        ("evil.xspf", XSPF, "1:41: error: this XML file holds script (a <script> element"),
        ("evil", b" " * 600 + b"<script>alert(1)</script>", "1:1: error: an HTML file would be published"),
    ],
)
def test_a_file_is_checked_as_every_type_a_server_may_send_it_as(
    tmp_path: Path, name: str, data: bytes, start: str
) -> None:
    site = make_site(tmp_path / "s", {"content/news/n.md": news(), f"content/media/{name}": data})
    (error,) = build_errors(site)
    assert error.startswith(f"content/media/{name}:{start}"), error


PLAIN = {
    # Illustrator's export: a DOCTYPE with entities for its namespaces.
    "content/media/illustrator.svg": (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [\n<!ENTITY ns_extend "http://ns.adobe.com/Extensibility/1.0/">\n]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="&ns_extend;"><circle r="1"/></svg>\n'
    ),
    "content/media/pulse.svg": SVG
    + '<circle r="1"><animate attributeName="r" values="1;2;1" dur="2s"/></circle></svg>',
    "content/media/plain.svg.gz": gzip.compress((SVG + "</svg>").encode()),
    "content/media/photo.svg.png": b"\x89PNG\r\n\x1a\n<script>not markup: a picture</script>",
    "content/media/notes.txt": "<script> is how a page runs code; this is text/plain.",
}


def test_plain_drawings_pass_beside_the_one_that_runs_script(tmp_path: Path) -> None:
    hostile = SVG + '<a><animate attributeName="xlink:href" values="/; javascript:alert(1)"/></a></svg>'
    site = make_site(tmp_path / "s", {"content/news/n.md": news(), **PLAIN, "content/media/x.svg": hostile})
    (error,) = build_errors(site)
    assert error.startswith("content/media/x.svg:2:4: error: this SVG drawing holds script")
    (site / "content/media/x.svg").unlink()
    run_build(site)
    for rel, data in PLAIN.items():
        published = site / "output" / rel.removeprefix("content/")
        assert published.read_bytes() == (data if isinstance(data, bytes) else data.encode())
