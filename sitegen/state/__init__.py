"""The build's memory between builds: `sitegen build` keeps it in .sitegen-cache/ (disk.py),
`sitegen serve` in memory; the pipeline is the only stage that sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sitegen.state.files import FileRecord, Listing
from sitegen.state.renders import RenderMemory

if TYPE_CHECKING:
    from sitegen.pipeline.reuse import LastSite


@dataclass
class Window:
    """The last successful build: under which options, when, until when its site holds, and
    which files it copied (pipeline/reuse.py decides with it)."""

    key: tuple[bool, bool]  # (drafts, future)
    now: datetime
    next_change: datetime | None
    assets: tuple[str, ...]  # the copied files: their path in output/ and the file each is copied from


@dataclass
class BuildState:
    salt: str = ""  # sitegen's code and site.yaml: under another salt nothing here holds
    files: dict[str, FileRecord] = field(default_factory=dict)  # content path -> its last parse
    renders: RenderMemory = field(default_factory=RenderMemory)
    # Kept in memory only (serve): the Jinja environment while no template changed, and the
    # template digests it was made under.
    environment: object = None
    templates: dict[str, str] = field(default_factory=dict)
    bodies: object = None  # on disk: the file the remembered items' bodies are read from (bodies.py)
    last_site: LastSite | None = None  # in memory: the last assembled site (pipeline/reuse.py)
    window: Window | None = None  # the last successful build's options, clock and files (reuse.py)
    listing: Listing | None = None  # in memory: content/'s files at the last build (serve)
    changed: bool = True  # anything to save since it was read (state/disk.py)

    def start(self, salt: str) -> None:
        """Forget everything made under another salt."""
        if salt != self.salt:
            self.salt, self.files, self.renders = salt, {}, RenderMemory()
            self.environment, self.templates, self.last_site, self.window = None, {}, None, None
            self.listing = None
