"""Compiled templates in the build's memory on disk (.sitegen-cache/templates/), signed.

Jinja keeps a compiled template as a pickle and a marshalled code object: reading one runs
whatever it holds. The cache folder is the site's (CI restores it, a pull request can add it),
so each file carries an HMAC made with a key that lives outside the site, in the user's cache
folder: a file this machine did not write is compiled again, never loaded. Compiling the theme's
templates takes ~0.13 s, ~14% of a build after one edit at 10,000 posts (docs/performance.md);
with no key to be had (no home folder), templates are compiled in memory each build."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

import jinja2

_KEY_BYTES = 32


class SignedBytecodeCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache with each file signed: `prefix` names this version of sitegen's
    files (Jinja's own names leave out its code generator, render/escaping.py), and files of
    other versions are removed."""

    def __init__(self, folder: Path, key: bytes, prefix: str):
        self.folder, self.key, self.prefix = folder, key, prefix
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.cache"):
            if not old.name.startswith(prefix):
                old.unlink(missing_ok=True)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:  # a file, not through a link, never a pipe that would keep the build waiting
            fd = os.open(self.folder / f"{self.prefix}{bucket.key}.cache", os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return
        with os.fdopen(fd, "rb") as file:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return
            data = file.read()
        signature, payload = data[: hashlib.sha256().digest_size], data[hashlib.sha256().digest_size :]
        if hmac.compare_digest(signature, self._sign(bucket.key, payload)):
            bucket.bytecode_from_string(payload)  # a stale one (another text) is reset by Jinja

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        payload = bucket.bytecode_to_string()
        path = self.folder / f"{self.prefix}{bucket.key}.cache"
        part = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            part.write_bytes(self._sign(bucket.key, payload) + payload)
            os.replace(part, path)  # never half a file under the name (a build killed meanwhile)
        except OSError:  # a full or read-only disk: the template was compiled all the same
            part.unlink(missing_ok=True)

    def _sign(self, name: str, payload: bytes) -> bytes:
        return hmac.new(self.key, name.encode() + b"\0" + payload, hashlib.sha256).digest()


def machine_key() -> bytes | None:
    """This user's key for signing compiled templates (made once, readable by them alone), from
    $XDG_CACHE_HOME/sitegen/key or ~/.cache/sitegen/key; None where there is no such folder."""
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or "")
        base = base if base.is_absolute() else Path.home() / ".cache"  # a relative one is ignored (XDG)
        folder = base / "sitegen"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / "key"
        try:  # O_EXCL: two first builds at once keep one key; readable by its user alone
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as file:
                file.write(secrets.token_bytes(_KEY_BYTES))
        except FileExistsError:
            pass
        info = path.lstat()
        key = path.read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: Path.home() with no home to find
        return None
    yours = stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077
    return key if yours and len(key) == _KEY_BYTES else None
