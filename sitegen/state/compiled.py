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
        try:
            data = (self.folder / f"{self.prefix}{bucket.key}.cache").read_bytes()
        except OSError:
            return
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
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        folder = base / "sitegen"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / "key"
        try:
            with open(path, "xb") as file:  # O_EXCL: two first builds at once keep one key
                os.fchmod(file.fileno(), 0o600)
                file.write(secrets.token_bytes(_KEY_BYTES))
        except FileExistsError:
            pass
        key = path.read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: Path.home() with no home to find
        return None
    return key if len(key) == _KEY_BYTES else None
