"""A generated site of N items for benchmarks: the same posts as a sitegen site and as a
Hugo site (same Markdown, same front matter keys Hugo understands, comparable templates).

    python bench/corpus.py 10000 /tmp/site10k            # sitegen site
    python bench/corpus.py 10000 /tmp/hugo10k --hugo     # Hugo site
    python bench/corpus.py 10000 /tmp/full10k --full     # the peer benchmark's corpus (bench/run.py)

Deterministic: the same N gives the same files.

`--full` (and `posts()`) is the corpus of the build benchmark against Hugo, Eleventy, Pelican and
Jekyll (bench/run.py): news, events and calls with realistic front matter (1-4 tags of 60, some
non-ASCII titles, a summary now and then, programmes, event and call dates) and bodies of 400-900
words with headings, lists, links, emphasis, a table and a code block. `posts()` returns them as
data, so each peer's writer (bench/peers.py) can write them in its own format.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

TAGS = [
    "AI", "Accessibility", "Policy", "Digital transformation", "Climate", "Collections", "Education",
    "Funding", "Research", "Heritage", "Audiences", "Volunteers", "Conservation", "Archives", "Ethics",
    "Museums", "Network", "Training", "Europe", "Innovation", "Data", "Open access", "Tourism", "Design",
]  # fmt: skip
WORDS = [
    "museum",
    "network",
    "members",
    "policy",
    "heritage",
    "collection",
    "visitors",
    "digital",
    "archive",
    "culture",
    "europe",
    "workshop",
    "research",
    "funding",
    "exhibition",
    "community",
    "learning",
    "public",
    "access",
    "conservation",
    "future",
]
PROGRAMMES = ["echoes", "horizon", "compass", "atlas"]
SITE_YAML = """title: Benchmark Network
base_url: https://www.example.org/
language: en
timezone: Europe/Brussels
description: A generated site for benchmarks.
per_page: 10
"""
HUGO_CONFIG = """baseURL = "https://www.example.org/"
languageCode = "en"
title = "Benchmark Network"
timeZone = "Europe/Brussels"
paginate = 10
[taxonomies]
  tag = "tags"
[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML", "RSS"]
  taxonomy = ["HTML"]
  term = ["HTML", "RSS"]
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
        '<body><main>{{ block "main" . }}{{ end }}</main></body></html>\n'
    ),
    "_default/single.html": (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2 January 2006" }}</time>'
        "{{ .Content }}<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul></article>{{ end }}\n"
    ),
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}<article><h2>'
        '<a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Summary }}</p></article>{{ end }}'
        '{{ template "_internal/pagination.html" . }}{{ end }}\n'
    ),
    "_default/terms.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}'
        '<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}\n'
    ),
}


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def item(n: int, rng: random.Random, start: date) -> tuple[str, str, str]:
    """-> (folder, file name, Markdown) of the n-th item."""
    day = start + timedelta(days=n // 4)
    kind = rng.choices(["news", "events", "calls"], weights=[75, 15, 10])[0]
    name = f"{day.isoformat()}-{kind[:-1]}-{n:05d}.md"
    tags = sorted(set(rng.sample(TAGS, rng.randint(1, 3))))
    lines = [
        f'title: "{kind[:-1].capitalize()} number {n}: {paragraph(rng, 5)[:-1]}"',
        f"date: {day.isoformat()}",
        f"tags: [{', '.join(tags)}]",
    ]
    if rng.random() < 0.3:
        lines.append(f"programme: {rng.choice(PROGRAMMES)}")
    if kind == "events":
        when = day + timedelta(days=30)
        lines += [f"starts: {when} 10:00", f"ends: {when} 16:00", "location: online",
                  "registration: https://www.example.org/register"]  # fmt: skip
    if kind == "calls":
        lines += [f"opens: {day}", f"deadline: {day + timedelta(days=45)}", "apply: https://www.example.org/apply"]
    body = "\n\n".join(
        [paragraph(rng, 60), "## Background", paragraph(rng, 80), "## What happens next", paragraph(rng, 50)]
    )
    return kind, name, "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


def generate(count: int, root: Path, hugo: bool = False) -> Path:
    rng = random.Random(count)
    root.mkdir(parents=True, exist_ok=True)
    content = root / "content"
    start = date(2026, 1, 1) - timedelta(days=count // 4)
    for n in range(count):
        kind, name, text = item(n, rng, start)
        path = content / kind / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for slug in PROGRAMMES:
        path = content / "programmes" / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: {slug.upper()}\n---\nThe {slug} programme.\n", encoding="utf-8")
    if hugo:
        (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
        for rel, text in HUGO_LAYOUTS.items():
            path = root / "layouts" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    else:
        (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    return root


# --- The peer benchmark's corpus (--full) ----------------------------------------------------

TAGS_60 = [
    *TAGS, "Education policy", "Copyright", "Provenance", "Restitution", "Storytelling", "Podcasts",
    "Social media", "Sustainability", "Energy", "Inclusion", "Diversity", "Young people", "Families",
    "Health", "Wellbeing", "Libraries", "Galleries", "Science centres", "Natural history", "Art",
    "Photography", "Film", "Music", "Craft", "Architecture", "Cities", "Rural", "Migration", "Memory",
    "Peace", "Democracy", "Languages", "Evaluation", "Leadership", "Partnerships", "Advocacy",
]  # fmt: skip
PLACES = ["Łódź", "Zürich", "Kraków", "Malmö", "Brno", "Tartu", "Ljubljana", "Cluj", "Gdańsk", "Córdoba", "Évora"]
TOPICS = ["Besucher", "musées", "Ausstellung", "Öffentlichkeit", "naïve art", "café talks", "Straße"]
MORE_WORDS = [
    *WORDS, "partners", "programme", "education", "objects", "curators", "volunteers", "stories",
    "climate", "schools", "galleries", "project", "evaluation", "training", "open", "data", "survey",
    "report", "national", "regional", "local", "city", "network", "meeting", "board", "members",
]  # fmt: skip
FULL_PER_PAGE = 10
FULL_FEED_ITEMS = 20
FULL_SITE_YAML = f"""title: Benchmark Network
base_url: https://www.example.org/
language: en
timezone: Europe/Brussels
description: A generated site for benchmarks.
per_page: {FULL_PER_PAGE}
feed_items: {FULL_FEED_ITEMS}
"""
FULL_NOW = "2026-01-15T12:00:00+01:00"  # sitegen's --now: every post is published, some events lie ahead
LAST_DAY = date(2025, 12, 31)  # no post is dated after this: no peer sees a future post


@dataclass(frozen=True)
class Post:
    """One post of the benchmark corpus, in no tool's format."""

    section: str  # news, events or calls (the folder)
    name: str  # file name, YYYY-MM-DD-slug.md
    title: str
    date: str  # ISO 8601 with offset
    tags: tuple[str, ...]
    summary: str | None
    extra: tuple[tuple[str, str], ...]  # further front-matter lines sitegen reads (events, calls, programme)
    body: str  # Markdown

    @property
    def slug(self) -> str:
        return self.name[11:-3]


def _sentence(rng: random.Random, words: int) -> str:
    parts = rng.choices(MORE_WORDS, k=words)
    roll = rng.random()
    at = rng.randrange(words)
    if roll < 0.2:
        parts[at] = f"*{parts[at]}*"
    elif roll < 0.3:
        parts[at] = f"**{parts[at]}**"
    elif roll < 0.45:
        # A link to another site (a partner's, a member's): the site's own host is checked as
        # its own paths, which the build would warn about 82,000 times at 10,000 posts.
        parts[at] = f"[{parts[at]}](https://www.example.net/{parts[at]}/{rng.randrange(1000)})"
    elif roll < 0.5:
        parts[at] = f"`{parts[at]}`"
    text = " ".join(parts)
    return text[0].upper() + text[1:] + "."


def _prose(rng: random.Random, words: int) -> str:
    sentences, count = [], 0
    while count < words:
        length = rng.randint(8, 22)
        sentences.append(_sentence(rng, length))
        count += length
    return " ".join(sentences)


def _body(rng: random.Random, target: int) -> str:
    """About `target` words: paragraphs under headings, a list, a table, now and then code."""
    blocks = [_prose(rng, 70)]
    words = 70
    while words < target:
        roll = rng.random()
        if roll < 0.25:
            blocks.append("## " + " ".join(rng.choices(MORE_WORDS, k=rng.randint(2, 5))).capitalize())
            words += 4
        elif roll < 0.4:
            rows = [f"- {_sentence(rng, rng.randint(4, 10))}" for _ in range(rng.randint(3, 6))]
            blocks.append("\n".join(rows))
            words += 7 * len(rows)
        elif roll < 0.47:
            header = "| Country | Museums | Visitors |\n| --- | ---: | ---: |"
            rows = [f"| {rng.choice(PLACES)} | {rng.randint(5, 900)} | {rng.randint(1000, 99999)} |" for _ in range(4)]
            blocks.append("\n".join([header, *rows]))
            words += 15
        elif roll < 0.5:
            blocks.append(f'```yaml\ntitle: "{rng.choice(MORE_WORDS)}"\ndate: 2026-02-10\ntags: [AI]\n```')
            words += 6
        else:
            length = rng.randint(40, 110)
            blocks.append(_prose(rng, length))
            words += length
    return "\n\n".join(blocks) + "\n"


def _title(n: int, kind: str, rng: random.Random) -> str:
    words = " ".join(rng.choices(MORE_WORDS, k=rng.randint(3, 7)))
    if rng.random() < 0.15:  # some titles are not ASCII
        words += f" in {rng.choice(PLACES)}: {rng.choice(TOPICS)}"
    return f"{kind.capitalize()} {n}: {words}"


SINGULAR = {"news": "news", "events": "event", "calls": "call"}


def posts(count: int, seed: int = 6) -> list[Post]:
    """`count` posts, three in four news, the rest events and calls, four a day up to LAST_DAY."""
    rng = random.Random(seed * 1_000_003 + count)
    first = LAST_DAY - timedelta(days=(count - 1) // 4)
    result = []
    for n in range(count):
        day = first + timedelta(days=n // 4)
        kind = rng.choices(["news", "events", "calls"], weights=[75, 15, 10])[0]
        extra: list[tuple[str, str]] = []
        if rng.random() < 0.2:
            extra.append(("programme", rng.choice(PROGRAMMES)))
        if kind == "events":
            when = day + timedelta(days=rng.randint(5, 60))
            extra += [("starts", f"{when} 10:00"), ("ends", f"{when} 16:30"), ("location", "online"),
                      ("registration", "https://www.example.org/register")]  # fmt: skip
        elif kind == "calls":
            extra += [("opens", str(day)), ("deadline", str(day + timedelta(days=rng.randint(20, 60)))),
                      ("apply", "https://www.example.org/apply")]  # fmt: skip
        result.append(
            Post(
                section=kind,
                name=f"{day.isoformat()}-{SINGULAR[kind]}-{n:06d}.md",
                title=_title(n, SINGULAR[kind], rng),
                date=f"{day.isoformat()}T{8 + n % 4 * 2:02d}:30:00+01:00",
                tags=tuple(sorted(rng.sample(TAGS_60, rng.randint(1, 4)))),
                summary=_prose(rng, 20) if rng.random() < 0.3 else None,
                extra=tuple(extra),
                body=_body(rng, rng.randint(400, 900)),
            )
        )
    return result


def yaml_text(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_sitegen(items: list[Post], root: Path) -> Path:
    """The posts as a sitegen site (with the programme pages they name)."""
    content = root / "content"
    for post in items:
        lines = [f"title: {yaml_text(post.title)}", f"date: {post.date}", f"tags: [{', '.join(post.tags)}]"]
        if post.summary:
            lines.append(f"summary: {yaml_text(post.summary)}")
        lines += [f"{key}: {value}" for key, value in post.extra]
        path = content / post.section / post.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n" + "\n".join(lines) + "\n---\n" + post.body, encoding="utf-8")
    for slug in PROGRAMMES:
        path = content / "programmes" / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: {slug.upper()}\n---\nThe {slug} programme.\n", encoding="utf-8")
    (root / "site.yaml").write_text(FULL_SITE_YAML, encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--hugo", action="store_true", help="write a Hugo site instead")
    parser.add_argument("--full", action="store_true", help="the peer benchmark's corpus, as a sitegen site")
    args = parser.parse_args()
    if args.full:
        write_sitegen(posts(args.count), args.folder)
    else:
        generate(args.count, args.folder, args.hugo)
    print(args.folder)


if __name__ == "__main__":
    main()
