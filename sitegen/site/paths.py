"""Body links to paths of the built site (`/news/`, `/about`, `/news/feed.xml`, a migrated
archive's `/2019/05/old-post/`), looked up once the site is assembled among the addresses of
every file the build writes (collisions.py `claims`: pages, feeds, calendars, aliases, copied
and static files, the sitemap, robots.txt), as a web server would look them up: without the
query and fragment, percent escapes decoded, `x/index.html` as `x/`.

A link that names none is shown as its words alone, with a warning at its line and a "did you
mean"; one that lacks a page's final slash is sent to that page, with a warning; one written
with the site's base path (`/network/news/` for `/news/`) goes where it says. The body keeps its
addresses (content/addresses.py): each change is a link fix, as for links between items."""

from __future__ import annotations

import difflib
import html
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from markdown_it.common.utils import escapeHtml

from sitegen.errors import ErrorLog, SourceError
from sitegen.model import Site
from sitegen.site.collisions import claims
from sitegen.urls import address_path, make_slug, unreachable_part

# "Did you mean"s found by likeness in one build: each compares a name with the site's names of
# the same first letter (~1 ms; 16 ms when 10,000 names share it), or a path with the pages of
# its name (`/2/`: 1,000 listings' second pages), which a migrated archive of a thousand dead
# links would otherwise do a thousand times (82,000 at 10,000 posts: 6 s a build).
LIKENESS_HINTS = 20
_GENERAL_HINT = "link to a page of this site (e.g. /news/), or add this address to the `aliases:` of its item"
_OLD_HINT = (
    "link to the Markdown file of that item (e.g. ../news/2015-02-13-name.md), or add this address to its `aliases:`"
)


@dataclass(frozen=True)
class SiteLink:
    """A body's link to a site path the build writes no file at: `url` is where it is sent
    instead (a page whose final slash it lacks; the path without the base path it was written
    with), or None: its words alone."""

    source: str
    line: int
    col: int
    address: str  # as the body has it, after the base path
    url: str | None
    hint: str  # "": nothing to tell the editor (written with the base path)

    @property
    def kept(self) -> bool:
        """An address on the site's own host (`https://example.org/2018/old/`): left as written,
        since another program on that host, or the old site, may answer it."""
        return self.url == self.address

    @property
    def problem(self) -> str:
        return f"the link `{unquote(self.address)}` goes to no page of this site"

    def warning(self) -> SourceError:
        if self.kept:
            outcome = "kept as written, for whatever else answers at this site's address"
        else:
            outcome = "shown as its words alone" if self.url is None else f"sent to `{unquote(self.url)}`"
        return SourceError(self.source, self.line, self.col, f"{self.problem}: {outcome}", self.hint, "warning")

    def fixes(self) -> list[tuple[str, str | None]]:
        """(the link's address, where it goes) as the body's HTML has it (render/environment.py
        `shown_body`): escaped as markdown-it writes an attribute, and as html.escape does (an
        editor's own HTML)."""
        written = self.address.partition("#")[0]
        _, mark, query = written.partition("?")
        url = None if self.url is None else self.url + mark + query
        return [(escape(written), url and escape(url)) for escape in (escapeHtml, html.escape)]


def check_site_links(site: Site, addresses: SiteAddresses, log: ErrorLog) -> None:
    """Each published body's links to site paths: a warning for each the editor must fix, and
    the site's link fixes for them."""
    for link in site_links(site, addresses):
        if link.hint:
            log.warnings.append(link.warning())
        if link.kept:
            continue
        fixes = site.link_fixes.get(link.source, ())
        site.link_fixes[link.source] = tuple(dict.fromkeys((*fixes, *link.fixes())))


def site_links(site: Site, addresses: SiteAddresses) -> Iterator[SiteLink]:
    """The links of the site's bodies to paths the build writes no file at (sitegen check
    reports the same, as errors)."""
    known, find = addresses.known, addresses.find
    for item in site.items:
        for line, col, address in item.site_links:
            if address in known:
                continue  # nearly every link: an address as it is written, one set lookup
            if "://" in address:  # on the site's own host (content/addresses.py): its path is checked
                path = address_path(address)
                if find(path) is None:
                    yield SiteLink(item.source, line, col, address, address, addresses.hint(path))
                continue
            found = find(address)
            if found is None:
                yield SiteLink(item.source, line, col, address, None, addresses.hint(address))
            elif found[1]:
                url, how = found
                hint = f"write `{unquote(url)}`: a page's address ends with /" if how == "slash" else ""
                yield SiteLink(item.source, line, col, address, url, hint)


class SiteAddresses:
    """The addresses of every file the build writes (collisions.py: `check_collisions` returns
    them as it claims each file; `of_site` claims them again)."""

    def __init__(self, known: set[str], base_path: str):
        self.known = known
        self.base = base_path
        self.likeness_hints = LIKENESS_HINTS
        self._named: dict[str, list[str]] | None = None  # these two are made for the first dead link
        self._by_letter: dict[str, list[str]] = {}
        self._hints: dict[str, str] = {}
        self._found: dict[str, tuple[str, str] | None] = {}

    def find(self, address: str) -> tuple[str, str] | None:
        """The address the link reaches (as written, or as the body must be changed to write it)
        and how: "" as written, "base" written with the base path, "slash" missing its final /;
        None: it reaches nothing. Each address once: many bodies link to the same few."""
        if address not in self._found:
            self._found[address] = self._find(address)
        return self._found[address]

    @classmethod
    def of_site(cls, site: Site, base_path: str) -> SiteAddresses:
        # As check_collisions() claims them: an alias with a query or fragment is no file.
        return cls({c.url for c in claims(site) if c.kind != "alias" or unreachable_part(c.url) is None}, base_path)

    def _find(self, address: str) -> tuple[str, str] | None:
        path = address.partition("#")[0]
        if "?" in path:
            path = path.partition("?")[0]
        if path in self.known:
            return path, ""  # as written, with a fragment or query
        written = [(path, "")]
        if self.base and (path == self.base or path.startswith(self.base + "/")):
            written.append((path[len(self.base) :] or "/", "base"))
        for candidate, how in written:
            if self._has(unquote(candidate)):
                return candidate, how
        for candidate, _ in written:
            if not candidate.endswith("/") and unquote(candidate) + "/" in self.known:
                return candidate + "/", "slash"
        return None

    def page(self, address: str) -> str | None:
        """The address a link to `address` reaches, decoded (sitegen check's anchors)."""
        found = self.find(address)
        return None if found is None else unquote(found[0])

    def _has(self, path: str) -> bool:
        return path in self.known or (path.endswith("/index.html") and path[: -len("index.html")] in self.known)

    def hint(self, address: str) -> str:
        path = unquote(address.partition("#")[0].partition("?")[0])
        if path not in self._hints:
            self._hints[path] = self._hint(path)
        return self._hints[path]

    def _hint(self, path: str) -> str:
        """An address of the same name (an archive's `/2019/05/old-post/` is `/news/old-post/`),
        else of a name that looks like it (`/news/othr/`: `/news/other/`), else the rule."""
        name = _name(path)
        named = name and not name.isdigit()  # `/data/443/`: a number names no page (every listing has a `/2/`)
        close = (self._names().get(name) or self._alike(name)) if named else None
        if close and len(close) == 1:
            return f"did you mean `{close[0]}`?"  # an archive's `/2019/05/old-post/`: one page of that name
        if close and self._budget():  # a name many pages share (`/2/`: every listing's second page)
            return f"did you mean `{difflib.get_close_matches(path, close, n=1, cutoff=0)[0]}`?"
        return _OLD_HINT if path.endswith((".html", ".htm")) else _GENERAL_HINT

    def _budget(self) -> bool:
        """One more comparison by likeness in this build, if any is left (LIKENESS_HINTS)."""
        self.likeness_hints -= 1
        return self.likeness_hints >= 0

    def _names(self) -> dict[str, list[str]]:
        """Each address by its name; and the names by their first letter (a typo rarely changes
        the first: difflib then compares a name with a few hundred others, not all)."""
        if self._named is None:
            self._named, self._by_letter = defaultdict(list), defaultdict(list)
            for known in self.known:
                self._named[_name(known)].append(known)
            for name in self._named:
                self._by_letter[name[:1]].append(name)
        return self._named

    def _alike(self, name: str) -> list[str] | None:
        if not self._budget():
            return None
        found = difflib.get_close_matches(name, sorted(self._by_letter[name[:1]]), n=1)
        return self._names()[found[0]] if found else None


def _name(path: str) -> str:
    """A path's last part as a slug, without its extension (`/2019/05/Old-Post.html`: old-post)."""
    last = path.rstrip("/").rpartition("/")[2]
    return make_slug(last.rpartition(".")[0] if "." in last else last)
