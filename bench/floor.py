"""The floor of a cold build: markdown-it-py renders every post body of a sitegen site on
every core and writes each to a file, with nothing else (no front matter read into types,
no listings, tags, feeds or templates). A build of the same site cannot be faster than this.

    python bench/floor.py SITE OUTPUT
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"typographer": True}).enable(["table", "strikethrough"])


def render(job: tuple[str, str]) -> None:
    source, target = job
    text = Path(source).read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text  # the body after the front matter
    os.makedirs(os.path.dirname(target), exist_ok=True)
    Path(target).write_text(_parser.render(body), encoding="utf-8")


def main() -> int:
    site, output = Path(sys.argv[1]), Path(sys.argv[2])
    jobs = []
    for folder, _dirs, files in os.walk(site / "content"):
        for name in files:
            if name.endswith(".md"):
                section = os.path.basename(folder)
                slug = name.removesuffix(".md")[11:] or name.removesuffix(".md")
                jobs.append((os.path.join(folder, name), str(output / section / slug / "index.html")))
    cores = len(os.sched_getaffinity(0))
    with multiprocessing.get_context("fork").Pool(cores) as pool:
        for _ in pool.imap_unordered(render, jobs, chunksize=64):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
