"""sitegen serve: build, serve output/ on 127.0.0.1 (preview_http.py), rebuild on every change
and reload the open pages (server-sent events). The live-reload script is added to pages as
they are sent, never written into output/: what serve writes is what `sitegen build` writes."""

from __future__ import annotations

import gc
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from sitegen.commands.preview_http import SiteServer
from sitegen.commands.watch import Changes, Watcher
from sitegen.content.config import SiteConfig, load_config
from sitegen.errors import BuildFailed, SourceError
from sitegen.pipeline import BuildOptions, BuildResult, BuildState, build
from sitegen.write import close_for_writing


class Rebuilder:
    """The preview's builds: pipeline.build() with the build's memory kept in this process."""

    def __init__(self, options: BuildOptions):
        self.options, self.state = options, BuildState()
        self.site_dir = options.site_dir.resolve()
        self.output_dir = (options.output_dir or self.site_dir / "output").resolve()
        self.last: BuildResult | None = None

    def build(self, changed: list[Path] | None = None) -> BuildResult:
        """`changed`: the files the watcher saw change since the last build; the build looks at
        those alone while they are Markdown files content/ already held (pipeline/parsing.py),
        at every file otherwise. None: every file."""
        self.last = build(self.options, self.state, changed)
        return self.last


class Preview:
    """The rebuild loop: waits for changes, rebuilds, tells the open pages."""

    def __init__(self, rebuilder: Rebuilder, server: SiteServer, changes: Changes, say: Callable[[str], None]):
        self.rebuilder, self.server, self.changes, self.say = rebuilder, server, changes, say
        self.builds = 0
        self.retries = 0
        self.settle_memory = False  # `sitegen serve` sets it; a test process keeps its GC as it is

    def rebuild(self, changed: list[Path] | None) -> BuildResult | None:
        self.builds += 1
        try:
            result = self.rebuilder.build(changed)
        except BuildFailed as failed:
            for problem in failed.errors + failed.warnings:  # every problem of this save in one go
                self.say(problem.format())
            also = f", {len(failed.warnings)} warning(s)" if failed.warnings else ""
            self.say(f"build failed: {len(failed.errors)} error(s){also}; still serving the last good pages")
            self.server.state.update(False, failed.errors)
            return None
        except OSError as exc:
            self.retries += 1
            if self.retries <= 3:  # a file vanished or was replaced while being read: look again
                self.say(f"{exc.filename or exc} changed during the build; building again")
                self.changes.add(None)
                return None
            self.retries = 0
            error = SourceError(str(exc.filename or "sitegen"), 1, 1, f"cannot build: {exc.strerror or exc}")
            self.say(error.format())
            self.server.state.update(False, [error])
            return None
        except Exception as exc:  # the preview must outlive a bug: show it and keep serving
            self.say(traceback.format_exc())
            error = SourceError("sitegen", 1, 1, f"internal error: {exc!r}", "see the terminal; please report it")
            self.server.state.update(False, [error])
            return None
        for warning in result.warnings:
            self.say(warning.format())
        self.retries = 0
        if self.settle_memory:
            _settle_memory(self.builds)
        wrote = bool(result.write.written or result.write.removed)
        self.say(
            f"{'built' if self.builds == 1 else 'rebuilt'} in {result.seconds:.2f}s: "
            f"{len(result.write.written)} written, "
            f"{len(result.write.removed)} removed" + ("" if wrote else " (nothing changed)")
        )
        self.server.state.update(wrote, [], restyled=any(map(_loaded_by_address, result.write.written)))
        return result

    def run(self) -> None:
        while not self.server.stopping.is_set():
            changed = self.changes.take(timeout=0.5)
            if changed is not False:
                self.rebuild(changed)  # type: ignore[arg-type]


PAGE_OUTPUTS = (".html", ".xml", ".json", ".ics", ".txt")  # pages, feeds, calendars, sitemap, robots


def _loaded_by_address(path: str) -> bool:
    """A stylesheet, script or picture: a page shows its new bytes only when loaded again."""
    return not path.endswith(PAGE_OUTPUTS)


def _rerunnable(site_dir: Path, config: SiteConfig) -> tuple[str, ...]:
    """The theme's scripts, which may run again on a page updated in place (live.js); a site's
    own script of the same name may not (it may count on running once)."""
    own = site_dir / "static" / "states.js"
    return () if own.exists() else (config.base_path + "/static/states.js",)


def _hidden(rebuilder: Rebuilder) -> str:
    """ "2 drafts, 1 scheduled item": what this preview leaves out, so the editor knows."""
    if rebuilder.last is None:
        return ""
    drafts, scheduled = rebuilder.last.left_out
    parts = [f"{drafts} draft(s)"] if drafts else []
    parts += [f"{scheduled} scheduled item(s)"] if scheduled else []
    return ", ".join(parts)


def _settle_memory(builds: int) -> None:
    """Move what the build keeps (caches of a large site: millions of objects) out of the
    garbage collector's sight, so its full passes during the next build stay short; now and
    then collect everything (a replaced Jinja environment holds reference cycles)."""
    if builds % 25 == 0:
        gc.unfreeze()
        gc.collect()
    gc.freeze()


class Running:
    """A started preview: the first build done, the server, the watcher and the rebuild loop
    running in threads. `sitegen serve` runs one until Ctrl+C; tests start and stop them."""

    def __init__(self, options: BuildOptions, host: str, port: int, say: Callable[[str], None], quiet: float = 0.05):
        self.rebuilder = Rebuilder(options)
        self.config = load_config(self.rebuilder.site_dir)[0]
        rerun = _rerunnable(self.rebuilder.site_dir, self.config)
        self.server = SiteServer((host, port), self.rebuilder.output_dir, self.config.base_path, rerun)
        self.changes = Changes(quiet)
        self.preview = Preview(self.rebuilder, self.server, self.changes, say)
        # Watching from before the first build: a file saved while it runs is built next (the
        # builds after it look at the files the watcher names, pipeline/parsing.py).
        self.watcher = Watcher(self.rebuilder.site_dir, self.changes)
        self.watcher.start()
        self.preview.rebuild(None)
        self.threads = [
            threading.Thread(target=self.preview.run, name="sitegen-rebuild", daemon=True),
            threading.Thread(target=self.server.serve_forever, args=(0.2,), name="sitegen-http", daemon=True),
        ]
        for thread in self.threads:
            thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}{self.config.base_path}/"

    def stop(self) -> None:
        self.server.stopping.set()
        with self.server.state.changed:
            self.server.state.changed.notify_all()
        self.watcher.stop()
        self.server.shutdown()
        self.server.server_close()
        for thread in self.threads:
            thread.join(timeout=5)


def serve(options: BuildOptions, host: str, port: int, say: Callable[[str], None] | None = None) -> int:
    say = say or (lambda text: print(text, file=sys.stderr, flush=True))
    running = Running(options, host, port, say)
    running.preview.settle_memory = True
    say(f"serving {running.config.title} at {running.url} (Ctrl+C stops)")
    hidden = _hidden(running.rebuilder)
    if hidden:
        say(f"not shown: {hidden} (--as-published hides them; without it they show with a banner)")
    if host not in ("127.0.0.1", "localhost", "::1"):
        say(f"warning: listening on {host}: other computers can see this preview (drafts too)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        say("stopped")
    finally:
        # The process ends: a rebuild putting its files in place finishes first, none begins after.
        close_for_writing(running.rebuilder.output_dir)
        running.stop()
    return 0
