"""Property-based tests (Hypothesis): front matter and Markdown made from grammars of nasty
values (control characters as YAML escapes, carriage returns, huge and odd numbers, deep
nesting, markup that tries to end a script or a comment, Unicode that reorders or joins,
addresses that run script). Whatever comes in: no traceback (a build raises only BuildFailed,
and every error names a file and a line), and a build that succeeds writes feeds that
feedparser reads back, calendars that icalendar reads back, and pages where no text became a
script. A bounded number of examples, the same ones every run (derandomized)."""

from __future__ import annotations

import json
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import icalendar
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sitegen.content.config import SiteConfig
from sitegen.content.frontmatter import FrontMatterError, parse_document
from sitegen.content.parse import parse_source
from sitegen.errors import BuildFailed, ErrorLog
from sitegen.model import Source
from sitegen.pipeline import BuildOptions, build

from ..conftest import NOW, make_site

NASTY = [
    "<!--<script>",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "]]>",
    "&amp;&lt;&#0;",
    "Evil\rBEGIN:VEVENT\rUID:injected\rEND:VEVENT\r",
    "a\r\nb\nc\rd",
    "javascript:alert(1)",
    "data:text/html,<script>x</script>",
    "\u202eevil\u202c",
    "\u2028\u2029\x85",
    "e\u0301\u200d👩‍👩‍👧",
    "\\N\\n\\,;,",
    "x" * 300,
    "%0D%0ASet-Cookie: a=b",
    "{{ site.title }}{% raw %}",
    "~",
    "",
    " ",
]
CONTROL = [chr(code) for code in [*range(0, 9), 11, 12, *range(14, 32), 127, 0x9B]] + ["\ufffe", "\uffff"]
PLAIN = ["~", "null", "yes", "No", "true", "0x1F", "1e999", ".nan", "-.inf", "0001-01-01", "9999-12-31 23:59"]
PLAIN += ["2026-02-30", "2026-02-10 25:00", "12:30", "1_000", "0o777", "9" * 5000, "-1", "0", "99999999999"]
PLAIN += ["'unterminated", "[a, b", "{a: b}", "*undefined", "&anchor x", "!!python/object:os.system x", "a: b: c"]
KEYS = ["title", "date", "updated", "summary", "tags", "programme", "image", "lang", "slug", "draft", "aliases"]
KEYS += ["type", "starts", "ends", "timezone", "location", "registration", "status", "opens", "deadline", "apply"]
KEYS += ["~", "1", "unknown_key", "Title"]

text = st.one_of(
    st.sampled_from(NASTY),
    st.lists(st.sampled_from(NASTY + CONTROL + ["a", " ", "é", "\n"]), max_size=8).map("".join),
    st.text(max_size=40),
)


def yaml_quote(value: str) -> str:
    """A double-quoted YAML scalar: control characters as YAML's own escapes (\\x07, \\u0085),
    everything else as it is."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]", lambda m: f"\\u{ord(m.group()):04x}", escaped)
    return f'"{escaped}"'


scalar = st.one_of(text.map(yaml_quote), st.sampled_from(PLAIN), st.integers().map(str), st.floats().map(str))
value = st.recursive(
    scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        st.dictionaries(st.sampled_from(["name", "src", "alt", "url", "online", "city", "x"]), inner, max_size=3).map(
            lambda pairs: "{" + ", ".join(f"{key}: {item}" for key, item in pairs.items()) + "}"
        ),
    ),
    max_leaves=12,
)
front_matter = st.dictionaries(st.sampled_from(KEYS), value, max_size=8)
# Values a build takes, nasty as they are: text without control characters (a control
# character is an error, which the grammar above tries often enough).
fine_text = st.one_of(
    st.sampled_from([s for s in NASTY if s.strip() and s != "~"]),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30).filter(str.strip),
)
quoted = fine_text.map(yaml_quote)
fine_front_matter = st.fixed_dictionaries(
    {},
    optional={
        "title": quoted,
        "summary": quoted,
        "tags": st.lists(quoted, max_size=4).map(lambda tags: "[" + ", ".join(tags) + "]"),
        "aliases": st.sampled_from(["[/old/a.html]", "['/old/<x>.html']", "[/news/%0D%0A/]"]),
        "image": quoted.map(lambda alt: f"{{src: 'https://example.org/a.png?x=<y>', alt: {alt}}}"),
    },
)
BLOCKS = [
    "# Heading <!--<script>",
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)" onclick="x()">link</a>',
    "[link](javascript:alert(1)) ![pic](file:///etc/passwd) [mail](mailto:a@b.org)",
    "`<!--<script>` and ]]> and &amp;",
    "| a | b |\n| - | - |\n| <b>x</b> | y |",
    "Footnote[^1].\n\n[^1]: The note <!--",
    "- a\n  - b\n    - c\n      - d",
    "> quote\n> > deeper",
    "text\rwith a carriage return",
    "\u202e reversed \u2066 isolate",
    "<iframe srcdoc='<script>x</script>'></iframe>",
    "<svg onload=alert(1)><use href='data:x'/></svg>",
    "***" + "*" * 50,
]
blocks = st.sampled_from(BLOCKS)
body = st.lists(st.one_of(blocks, blocks, fine_text, fine_text, fine_text, text), max_size=6).map("\n\n".join)
event_keys = st.fixed_dictionaries(
    {},
    optional={
        "location": st.tuples(quoted, quoted).map(lambda parts: f"{{name: {parts[0]}, city: {parts[1]}}}"),
        "registration": st.sampled_from(["https://example.org/r?a=1&b=<x>", "'https://example.org/\"x\"'"]),
    },
)
BASE = {  # the keys each type needs, which the keys drawn replace
    "news": {"title": "Fuzzed", "date": "2026-01-10"},
    "events": {"title": "Fuzzed", "date": "2026-01-10", "starts": "2026-12-01 10:00"},
    "calls": {"title": "Fuzzed", "date": "2026-01-10", "deadline": "2026-12-20"},
    "programmes": {"title": "Fuzzed"},
    "pages": {"title": "Fuzzed"},
}
FOLDERS = sorted(BASE)


SETTINGS = ["title", "description", "tags", "menu", "feed_items", "html"]
site_settings = st.fixed_dictionaries(
    {},
    optional={
        "title": quoted,
        "description": quoted,
        "tags": st.lists(quoted, max_size=3).map(lambda tags: "[" + ", ".join(tags) + "]"),
        "menu": st.tuples(quoted, st.sampled_from(["/news/", "'https://example.org/?a=<b>'", "'/a b/'"])).map(
            lambda entry: f"[{{label: {entry[0]}, url: {entry[1]}}}]"
        ),
        "feed_items": st.integers(1, 3).map(str),
    },
)


def post(folder: str) -> st.SearchStrategy[tuple[str, dict[str, str], str]]:
    """(folder, front-matter keys, body) of one file: mostly values a build takes, nasty as
    they are; sometimes anything at all."""
    fine = fine_front_matter
    if folder == "events":
        fine = st.tuples(fine, event_keys).map(lambda parts: {**parts[0], **parts[1]})
    return st.tuples(st.just(folder), st.one_of(fine, fine, fine, fine, front_matter), body)


FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def document(keys: dict[str, str], text_body: str, base: dict[str, str]) -> str:
    lines = [f"{key}: {item}" for key, item in {**base, **keys}.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + text_body + "\n"


@FUZZ
@given(keys=front_matter, text_body=body)
def test_parsing_any_file_gives_an_item_or_errors_at_its_lines(keys: dict[str, str], text_body: str) -> None:
    text = document(keys, text_body, {})
    try:
        parse_document(text)
    except FrontMatterError as error:
        assert error.line >= 1 and error.message
    log = ErrorLog()
    config = SiteConfig(title="T", base_url="https://example.org/")
    parse_source(Source("content/events/a.md", "events/a.md", "event", text), config, set(), log)
    assert all(error.path == "content/events/a.md" and error.line >= 1 for error in log.errors)


_ALLOWED_SCRIPTS = {'<script type="application/ld+json">', '<script src="/static/states.js" defer>'}
_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@settings(FUZZ, max_examples=200)
@given(
    posts=st.lists(st.sampled_from(FOLDERS).flatmap(post), min_size=1, max_size=3),
    site_keys=st.one_of(site_settings, site_settings, st.dictionaries(st.sampled_from(SETTINGS), value, max_size=2)),
)
def test_a_build_fails_only_with_errors_at_files_and_what_it_writes_reads_back(
    posts: list[tuple[str, dict[str, str], str]], site_keys: dict[str, str]
) -> None:
    files = {
        f"content/{folder}/2026-01-0{n}-post-{n}.md": document(keys, text_body, BASE[folder])
        for n, (folder, keys, text_body) in enumerate(posts, start=1)
    }
    base_settings = {"title": "Test", "base_url": "https://example.org/", "timezone": "Europe/Brussels"}
    settings_text = "".join(f"{key}: {item}\n" for key, item in {**base_settings, **site_keys}.items())
    with tempfile.TemporaryDirectory() as folder:
        site = make_site(Path(folder) / "site", {**files, "site.yaml": settings_text})
        try:
            build(BuildOptions(site, None, NOW, drafts=True, future=True, jobs=1, cache=False))
        except BuildFailed as failed:
            event("the build failed")
            named = {"site.yaml", *files}
            assert failed.errors and all(e.path in named and e.line >= 1 and e.message for e in failed.errors)
            assert not (site / "output").exists()
            return
        event("the site was built")
        _reads_back(site / "output")


def _reads_back(output: Path) -> None:
    for path in [*output.rglob("feed.xml"), *output.rglob("atom.xml")]:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.bozo_exception)
        for entry in parsed.entries:  # a title read as HTML holds no element; a summary no script
            assert entry.title_detail.type == "text/plain" or "<" not in entry.title, (path, entry.title)
            if entry.summary_detail.type != "text/plain":
                elements = Elements()
                elements.feed(entry.summary)
                assert not elements.scripts and not elements.active, (path, entry.summary)
    for path in output.rglob("feed.json"):
        assert json.loads(path.read_bytes())["version"].startswith("https://jsonfeed.org/")
    for path in output.rglob("*.ics"):
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        assert all(str(event["UID"]).endswith("@example.org") for event in calendar.walk("VEVENT"))
    for path in output.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        elements = Elements()
        elements.feed(page)
        assert elements.scripts <= _ALLOWED_SCRIPTS and not elements.active, (path, elements.active)
        assert all("<" not in data for data in _LD.findall(page)), path


_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "xlink:href", "srcdoc"}


class Elements(HTMLParser):
    """What a page's markup does, as a browser's parser reads it: its scripts, and any
    attribute that runs script (an event handler, a javascript: address)."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: set[str] = set()
        self.active: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.add(self.get_starttag_text() or "")
        for name, found in attrs:
            address = re.sub(r"[\x00-\x20]", "", found or "").lower() if name in _URL_ATTRIBUTES else ""
            if name.startswith("on") or address.startswith(("javascript:", "vbscript:", "data:text")):
                self.active.append((tag, name, found or ""))
