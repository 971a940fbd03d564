"""The tools the benchmark compares: how each one gets the corpus, how it builds, and which of
the files it writes are the benchmark's page set.

Every tool builds the same posts (bench/corpus.py `posts()`) into the same page set: one page
per post, the tag pages (10 posts a page), a paginated index of every post (10 a page) and a
site feed. Each tool's site skeleton (configuration, layouts) is in bench/peers/<tool>/, written
in that tool's usual, fastest form. sitegen builds its own full site from the same posts: it
writes more than the page set (section listings, archives, programme pages, feeds per tag,
calendars), which `classify` counts as "other".
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corpus import FULL_NOW, Post, write_sitegen, yaml_text

SKELETONS = Path(__file__).parent / "peers"
ITEM = re.compile(r"^(news|events|calls)/(?!past/|closed/)[^/]+/index\.html$")  # not sitegen's archives
TAG = re.compile(r"^tags/[^/]+/(page/\d+/)?index\.html$")
INDEX = re.compile(r"^(page/\d+/)?index\.html$")


def classify(rel: str) -> str:
    """item, tag, index or other: the same rules for every tool (their URLs are alike on purpose)."""
    if ITEM.match(rel):
        return "item"
    if TAG.match(rel) and not rel.endswith("/page/1/index.html"):  # Hugo's page/1/ is a redirect
        return "tag"
    if INDEX.match(rel) and rel != "page/1/index.html":
        return "index"
    return "other"


@dataclass
class Peer:
    name: str
    write: Callable[[list[Post], Path], None]  # the corpus in this tool's form
    command: Callable[[Path, Path, Path], list[str]]  # (site, output, tools folder) -> argv
    version: Callable[[Path], list[str]]  # argv printing the version
    output: str = ""  # where the tool writes, inside the site folder ("" = the output argument)
    caches: tuple[str, ...] = ()  # folders inside the site a cold build must not find
    env: Callable[[Path], dict[str, str]] | None = None

    def available(self, tools: Path) -> bool:
        try:
            return subprocess.run(self.version(tools), capture_output=True, timeout=60).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False

    def version_text(self, tools: Path) -> str:
        done = subprocess.run(self.version(tools), capture_output=True, text=True, timeout=60)
        text = (done.stdout or done.stderr).strip().splitlines()
        return text[0] if text else "?"


def _front(post: Post, tags_as: str = "list") -> list[str]:
    tags = f"[{', '.join(post.tags)}]"
    lines = [f"title: {yaml_text(post.title)}", f"date: {post.date}", f"tags: {tags}"]
    if post.summary:
        lines.append(f"summary: {yaml_text(post.summary)}")
    return lines


def _copy_skeleton(name: str, root: Path) -> None:
    shutil.copytree(SKELETONS / name, root, dirs_exist_ok=True)


def write_hugo(items: list[Post], root: Path) -> None:
    _copy_skeleton("hugo", root)
    for post in items:
        path = root / "content" / post.section / post.name
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [*_front(post), f"slug: {post.slug}"]
        path.write_text("---\n" + "\n".join(lines) + "\n---\n" + post.body, encoding="utf-8")


def write_jekyll(items: list[Post], root: Path) -> None:
    _copy_skeleton("jekyll", root)
    for post in items:
        path = root / post.section / "_posts" / post.name  # the folder is the post's category
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n" + "\n".join(_front(post)) + "\n---\n" + post.body, encoding="utf-8")


def write_eleventy(items: list[Post], root: Path) -> None:
    _copy_skeleton("eleventy", root)
    for post in items:
        path = root / post.section / post.name
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [*_front(post), f"permalink: /{post.section}/{post.slug}/index.html"]
        path.write_text("---\n" + "\n".join(lines) + "\n---\n" + post.body, encoding="utf-8")


def write_pelican(items: list[Post], root: Path) -> None:
    _copy_skeleton("pelican", root)
    for post in items:
        path = root / "content" / post.section / post.name  # the folder is the category
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"Title: {post.title}", f"Date: {post.date}", f"Tags: {', '.join(post.tags)}", f"Slug: {post.slug}",
                 f"Category: {post.section}"]  # fmt: skip
        if post.summary:
            lines.append(f"Summary: {post.summary}")
        path.write_text("\n".join(lines) + "\n\n" + post.body, encoding="utf-8")


def _write_sitegen(items: list[Post], root: Path) -> None:
    write_sitegen(items, root)


def _sitegen(site: Path, output: Path, tools: Path) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--output", str(output),
            "--now", FULL_NOW, "--quiet"]  # fmt: skip


def _node_env(tools: Path) -> dict[str, str]:
    return {"NODE_ENV": "production"}


PEERS = {
    "sitegen": Peer(
        "sitegen",
        lambda items, root: _write_sitegen(items, root),
        _sitegen,
        lambda tools: [sys.executable, "-c", "import sitegen; print('sitegen', sitegen.__version__)"],
        caches=(".sitegen-cache",),
    ),
    # Not a tool: markdown-it-py on every core over the same bodies, nothing else (floor.py).
    "floor": Peer(
        "floor",
        lambda items, root: _write_sitegen(items, root),
        lambda site, output, tools: [sys.executable, str(Path(__file__).parent / "floor.py"), str(site), str(output)],
        lambda tools: [sys.executable, "-c", "import markdown_it; print('markdown-it-py', markdown_it.__version__)"],
    ),
    "hugo": Peer(
        "hugo",
        write_hugo,
        lambda site, output, tools: ["hugo", "--quiet", "--source", str(site), "--destination", str(output)],
        lambda tools: ["hugo", "version"],
        caches=("resources", ".hugo_build.lock"),
    ),
    "eleventy": Peer(
        "eleventy",
        write_eleventy,
        lambda site, output, tools: [
            "node",
            str(tools / "node_modules/@11ty/eleventy/cmd.cjs"),
            "--quiet",
            "--input",
            ".",
            "--output",
            str(output),
        ],
        lambda tools: ["node", str(tools / "node_modules/@11ty/eleventy/cmd.cjs"), "--version"],
        caches=(".cache",),
        env=_node_env,
    ),
    "pelican": Peer(
        "pelican",
        write_pelican,
        lambda site, output, tools: [
            str(tools / "pelican-venv/bin/pelican"),
            str(site / "content"),
            "--settings",
            str(site / "pelicanconf.py"),
            "--output",
            str(output),
            "--quiet",
        ],
        lambda tools: [str(tools / "pelican-venv/bin/pelican"), "--version"],
        caches=("cache", "__pycache__"),
    ),
    "jekyll": Peer(
        "jekyll",
        write_jekyll,
        lambda site, output, tools: [
            "jekyll",
            "build",
            "--quiet",
            "--source",
            str(site),
            "--destination",
            str(output),
            "--disable-disk-cache",
        ],
        lambda tools: ["jekyll", "--version"],
        caches=(".jekyll-cache", ".jekyll-metadata"),
    ),
}


def count_pages(output: Path) -> dict[str, int]:
    counts = {"item": 0, "tag": 0, "index": 0, "other": 0, "feed": 0, "files": 0}
    for folder, _dirs, files in os.walk(output):
        for name in files:
            rel = os.path.relpath(os.path.join(folder, name), output).replace(os.sep, "/")
            if rel.startswith(".sitegen") or "/." in "/" + rel:
                continue
            counts["files"] += 1
            if rel in ("feed.xml", "index.xml", "atom.xml"):
                counts["feed"] += 1
            if rel.endswith(".html"):
                counts[classify(rel)] += 1
    return counts
