"""The preview's HTTP side: files from the preview folder under the site's base path, the live
reload's events, and nothing else. It answers only requests addressed to a name it is bound to
(a web page that points its own domain at 127.0.0.1, "DNS rebinding", cannot read the preview,
drafts included); a path it cannot serve is a 400 or 404, never a traceback; and a redirect
names the path as it was asked for, quoted again, so no request can put a line break (a header
of its own) or another host into `Location`."""

from __future__ import annotations

import ipaddress
import json
import mimetypes
import socket
import sys
import threading
from html import escape as html_escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from sitegen.errors import SourceError

LIVE_PREFIX = "/__sitegen/"
LIVE_JS = Path(__file__).with_name("live.js")
KEEPALIVE_SECONDS = 15.0
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


class LiveState:
    """The number of the last build that changed output/, of the last one that changed a file
    pages load by its address (a stylesheet, a picture: open pages are loaded again), and the
    errors of the last build."""

    def __init__(self) -> None:
        self.build = 0
        self.restyled = 0
        self.errors: list[SourceError] = []
        self.changed = threading.Condition()

    def update(self, wrote: bool, errors: list[SourceError], restyled: bool = False) -> None:
        with self.changed:
            self.build += 1 if wrote else 0
            self.restyled = self.build if wrote and restyled else self.restyled
            self.errors = errors
            self.changed.notify_all()

    def message(self) -> bytes:
        errors = [error.__dict__ for error in self.errors]
        state = {"build": self.build, "restyled": self.restyled, "errors": errors}
        return f"event: state\ndata: {json.dumps(state)}\n\n".encode()


class Handler(BaseHTTPRequestHandler):
    """Files from output/ under the site's base path; /__sitegen/ for the live reload."""

    server: SiteServer
    protocol_version = "HTTP/1.1"

    def do_HEAD(self) -> None:
        self.do_GET(body=False)

    def do_GET(self, body: bool = True) -> None:
        if not self.server.host_allowed(self.headers.get("Host")):
            names = ", ".join(sorted(self.server.names))
            text = f"This preview answers only to {names}.\n".encode()
            return self._send(HTTPStatus.FORBIDDEN, text, "text/plain; charset=utf-8", body)
        raw = urlsplit(self.path).path
        path = unquote(raw, errors="strict") if _decodes(raw) else None
        if path is None or not path.startswith("/") or any(ord(c) < 0x20 or c == "\x7f" for c in path):
            return self._send(HTTPStatus.BAD_REQUEST, b"Bad request.\n", "text/plain; charset=utf-8", body)
        try:
            self._get(path, body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as exc:  # a request must never end the preview or fill the terminal
            print(f"sitegen serve: {self.path!r}: {exc!r}", file=sys.stderr)
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, b"Internal error.\n", "text/plain; charset=utf-8", body)

    def _get(self, path: str, body: bool) -> None:
        if path == LIVE_PREFIX + "events":
            return self._events()
        if path == LIVE_PREFIX + "live.js":
            return self._send(HTTPStatus.OK, LIVE_JS.read_bytes(), "text/javascript; charset=utf-8", body)
        base = self.server.base_path
        if base and not path.startswith(base + "/"):
            return self._redirect(base + "/")
        file = self.server.resolve(path[len(base) :])
        if file is None:
            if not path.endswith("/") and self.server.resolve(path[len(base) :] + "/"):
                return self._redirect(location(path) + "/")
            missing = self.server.resolve("/404.html")
            data = missing.read_bytes() if missing else b"<!DOCTYPE html><title>Not found</title><p>Not found.</p>"
            return self._send(HTTPStatus.NOT_FOUND, self.server.inject(data), "text/html; charset=utf-8", body)
        data = file.read_bytes()
        kind = content_type(file.name)
        if kind == "text/html":
            data = self.server.inject(data)
        if kind.startswith("text/") or kind in ("application/json", "application/xml"):
            kind += "; charset=utf-8"
        self._send(HTTPStatus.OK, data, kind, body)

    def _send(self, status: HTTPStatus, data: bytes, kind: str, body: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _redirect(self, target: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _events(self) -> None:
        """Server-sent events: the state now, then each new one, until the tab closes."""
        state = self.server.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        with state.changed:
            seen, message = (state.build, state.errors), state.message()
        self.wfile.write(message)
        self.wfile.flush()
        while not self.server.stopping.is_set():
            with state.changed:
                state.changed.wait_for(lambda seen=seen: (state.build, state.errors) != seen, KEEPALIVE_SECONDS)
                current, message = (state.build, state.errors), state.message()
            self.wfile.write(message if current != seen else b": keep-alive\n\n")
            self.wfile.flush()
            seen = current

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows builds, not every request


# What a compressed file is sent as (Python's http.server: `.gz` application/gzip, ...).
ENCODED_TYPES = {"gzip": "application/gzip", "bzip2": "application/x-bzip2", "xz": "application/x-xz"}


def content_type(name: str) -> str:
    """The Content-Type for a file name. A compressed file (`x.html.gz`: text/html, gzip) is
    sent as what it is, an archive, never as the type inside it and never with a
    Content-Encoding: a plain page named `.html.gz` sent as text/html would run its script on
    the preview's origin, where drafts can be read."""
    kind, encoding = mimetypes.guess_type(name)
    if encoding:
        return ENCODED_TYPES.get(encoding, "application/octet-stream")
    return kind or "application/octet-stream"


def location(path: str) -> str:
    """A decoded site path as a redirect's Location: one leading slash (`//host/` would be
    another host), every character outside a path's own quoted again (no CR or LF)."""
    return "/" + quote(path.lstrip("/"), safe="/-._~!$&'()*+,;=:@")


def _decodes(raw: str) -> bool:
    try:
        unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return False
    return True


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], output_dir: Path, base_path: str, rerun: tuple[str, ...] = ()):
        """`rerun`: the addresses of scripts that may run again on a page updated in place."""
        super().__init__(address, Handler)
        self.output_dir, self.base_path, self.rerun = output_dir.resolve(), base_path, rerun
        self.state = LiveState()
        self.stopping = threading.Event()
        self.port = self.server_address[1]
        self.names = _names(address[0])
        self.any_address = address[0] in ("", "0.0.0.0", "::")  # every interface: any IP address too

    def host_allowed(self, host: str | None) -> bool:
        """Whether a request's Host is a name this server is bound to (with its port, if any)."""
        if not host:
            return False
        parts = urlsplit("//" + host.strip())
        try:
            name, port = (parts.hostname or "").rstrip("."), parts.port
        except ValueError:
            return False
        if port is not None and port != self.port:
            return False
        return name in self.names or (self.any_address and _is_ip(name))

    def resolve(self, site_path: str) -> Path | None:
        """The file for a site path, never outside output/ (None for any path that names none)."""
        rel = site_path.lstrip("/")
        try:
            candidate = (self.output_dir / rel).resolve()
            if not candidate.is_relative_to(self.output_dir):
                return None
            if candidate.is_dir():
                candidate = candidate / "index.html" if site_path.endswith("/") or not rel else candidate
            return candidate if candidate.is_file() else None
        except (OSError, ValueError):  # a name too long, a NUL byte
            return None

    def inject(self, html: bytes) -> bytes:
        tag = (
            f'<script src="{LIVE_PREFIX}live.js" data-build="{self.state.build}" '
            f'data-events="{LIVE_PREFIX}events" data-rerun="{html_escape(" ".join(self.rerun))}"></script>\n'
        ).encode()
        at = html.lower().rfind(b"</body>")
        return html[:at] + tag + html[at:] if at >= 0 else html + tag


def _names(host: str) -> set[str]:
    """The host names requests may use: the loopback names, the --host value, and this
    computer's own names when the preview listens beyond loopback."""
    names = {*LOOPBACK_NAMES, host.lower().strip("[]")}
    if host not in LOOPBACK_NAMES:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return {name for name in names if name}


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
