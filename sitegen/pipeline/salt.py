"""What the build's memory is tied to: sitegen's code, the libraries that shape its output and
site.yaml. Under another salt nothing remembered holds, and the build starts afresh."""

from __future__ import annotations

import functools
import hashlib
import sys
from pathlib import Path

from sitegen.content.config import SiteConfig

_LIBRARIES = [
    "markdown-it-py",
    "mdit-py-plugins",
    "linkify-it-py",
    "nh3",
    "jinja2",
    "feedgen",
    "icalendar",
    "pyyaml",
    "python-slugify",
]
_PACKAGE = Path(__file__).parent.parent


def salt(config: SiteConfig) -> str:
    return f"{code_version()} {config!r}"


@functools.cache
def code_version() -> str:
    import importlib.metadata  # ~30 ms to import, and needed only here

    digest = hashlib.blake2b(sys.version.encode(), digest_size=16)
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(name.encode())
    return digest.hexdigest()
