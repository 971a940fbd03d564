"""The editor's loop as a reader sees it: from saving one post to the new words on screen in
Chromium, on the post's own page and on the news listing that shows it. A benchmark, not a
test: it prints each edit's time and the median.

    python bench/corpus.py 10000 /dev/shm/site10k        # once
    python bench/browser_loop.py /dev/shm/site10k --edits 12

`sitegen serve` runs as its own process on 127.0.0.1 with its watcher. Two tabs are open: the
post's page and the first news listing. Each edit puts new words at the start of the post's text (on
its page and in the listing's excerpt) and the clock runs from the end of the write until
both tabs show the new words: serve's live-reload script puts the new page's body in place
(the frame after the words are in the document, by the page's own clock), or, when it loads
the page again, its DOMContentLoaded. Needs Debian's chromium and Playwright (the test extras).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]  # fmt: skip


_READY = "performance.timeOrigin + performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
# serve's script puts the new page's body in place: the moment the words are in the document,
# by the page's own clock, at the next frame (the one that paints them).
_WATCH = """marker => {
  window.__observing = true;
  window.__shownAt = undefined;
  new MutationObserver((_, observer) => {
    if (document.body && document.body.textContent.includes(marker)) {
      observer.disconnect();
      requestAnimationFrame(() => { window.__shownAt = performance.timeOrigin + performance.now(); });
    }
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
}"""


def start_serve(site: Path, log: Path) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "sitegen", "serve", "--site", str(site), "--port", "0", "--as-published"]
    process = subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", log.read_text())
        if found:
            return process, found.group(1)
        time.sleep(0.1)
    raise TimeoutError(log.read_text()[-2000:])


def newest_news(site: Path) -> Path:
    """The newest news post: it is on the first listing page."""
    return max((site / "content/news").glob("*.md"), key=lambda path: path.name)


def with_first_words(text: str, words: str) -> str:
    """The body's first paragraph begins with `words`: on the post's page, and in the excerpt
    the listing shows."""
    front, _, body = text.partition("\n---\n")
    return f"{front}\n---\n{words} {body}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--edits", type=int, default=12)
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between edits")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sitegen-browser-loop-"))
    post = newest_news(args.site)
    original = post.read_text(encoding="utf-8")
    slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", post.stem)
    process, root = start_serve(args.site, work / "serve.log")
    times: list[float] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            tabs = [browser.new_page(), browser.new_page()]
            tabs[0].goto(f"{root}news/{slug}/")
            tabs[1].goto(f"{root}news/")
            time.sleep(1.0)
            for n in range(args.edits):
                marker = f"Browser loop marker {n} {time.time_ns()}"
                for tab in tabs:
                    tab.evaluate(_WATCH, marker)
                post.write_text(with_first_words(original, marker), encoding="utf-8")
                saved = time.time()
                shown, ways = [], set()
                for tab in tabs:
                    tab.wait_for_function(f"document.body.innerText.includes({marker!r})", polling=5, timeout=60000)
                    tab.wait_for_function("window.__shownAt !== undefined || !window.__observing", timeout=60000)
                    # By the page's own clock (Playwright's polling adds ~50 ms of its own): when the
                    # words were put in place, or, if the page was loaded again, its DOMContentLoaded.
                    in_place = tab.evaluate("window.__shownAt")
                    shown.append((in_place or tab.evaluate(_READY)) / 1000)
                    ways.add("in place" if in_place else "reloaded")
                times.append(max(shown) - saved)
                print(f"edit {n + 1}: {times[-1] * 1000:.0f} ms ({', '.join(sorted(ways))})", flush=True)
                time.sleep(args.pause)
            browser.close()
    finally:
        post.write_text(original, encoding="utf-8")
        process.terminate()
        process.wait(timeout=10)
    rebuilds = [float(t) for t in re.findall(r"rebuilt in ([\d.]+)s", (work / "serve.log").read_text())]
    print(f"save -> both tabs show it: median {statistics.median(times) * 1000:.0f} ms, "
          f"min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f} ({len(times)} edits); "
          f"serve's own rebuild: median {statistics.median(rebuilds) * 1000:.0f} ms")  # fmt: skip
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
