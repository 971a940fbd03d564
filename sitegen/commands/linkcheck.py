"""sitegen check --external: are the web addresses in the content still there? Each address
is asked once (HEAD, else GET), a few at a time, within a time limit for the whole of it
(redirects and a server that answers a byte at a time included). A page that is gone (404,
410) is an error; anything that may pass (a time-out, a server error, a refusal, an answer
that is not HTTP) is a warning. Redirects are followed to http and https addresses only (a
redirect to ftp:, file: or gopher: is reported, never followed), and a loop is reported."""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import SplitResult, urljoin, urlsplit

from sitegen import __version__
from sitegen.errors import SourceError

GONE = (404, 410)
RETRY_WITH_GET = (403, 405, 501)  # servers that refuse HEAD but answer GET
REDIRECTS = (301, 302, 303, 307, 308)
MOST_REDIRECTS = 10


class _Stop(Exception):
    """Why an address could not be checked: the reason, in the words of a message."""


def status_of(url: str, timeout: float) -> tuple[int | None, str]:
    """(HTTP status, "") or (None, why it could not be reached), within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    try:
        for method in ("HEAD", "GET"):
            status = _follow(url, method, deadline, timeout)
            if not (method == "HEAD" and status in RETRY_WITH_GET):
                return status, ""
    except _Stop as stop:
        return None, str(stop)
    return None, "no answer"


def _follow(url: str, method: str, deadline: float, timeout: float) -> int:
    """The status at the end of the address's redirects (to http and https addresses only)."""
    seen = {url}
    for _ in range(MOST_REDIRECTS + 1):
        status, location = _ask(url, method, deadline, timeout)
        if status not in REDIRECTS or location is None:
            return status
        target = urljoin(url, location.strip())
        scheme = urlsplit(target).scheme.lower()
        if scheme not in ("http", "https"):
            raise _Stop(f"it redirects to {target}, which is not a web address (not followed)")
        if target in seen:
            raise _Stop(f"it redirects in a loop (back to {target})")
        seen.add(target)
        url = target
    raise _Stop(f"it redirects more than {MOST_REDIRECTS} times")


def _ask(url: str, method: str, deadline: float, timeout: float) -> tuple[int, str | None]:
    """One request: (status, Location header). The connection is closed at the deadline, so a
    server that sends a byte a second cannot hold the check longer."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Stop(f"{url} is not a web address")
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _Stop(f"no answer within {timeout:g} s")
    connection, whole_address = _connection(parts, remaining)
    cut = threading.Event()  # set when the deadline closed the connection: whatever came is cut short
    timer = threading.Timer(remaining, _cut, (connection, cut))
    timer.start()
    try:
        target = url if whole_address else (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target, headers={"User-Agent": f"sitegen-check/{__version__}"})
        response = connection.getresponse()
        if method == "GET":
            response.read(1024)
        if cut.is_set():  # http.client takes the end of the connection for the end of the headers
            raise TimeoutError
        return response.status, response.getheader("Location")
    except TimeoutError:
        raise _Stop(f"no answer within {timeout:g} s") from None
    except http.client.HTTPException as error:
        if cut.is_set():
            raise _Stop(f"no answer within {timeout:g} s") from None
        raise _Stop(f"the answer is not HTTP ({type(error).__name__}: {str(error)[:80]})") from None
    except (OSError, ValueError) as error:
        if cut.is_set():
            raise _Stop(f"no answer within {timeout:g} s") from None
        raise _Stop(str(getattr(error, "reason", None) or getattr(error, "strerror", None) or error)) from None
    finally:
        timer.cancel()
        connection.close()


def _connection(parts: SplitResult, remaining: float) -> tuple[http.client.HTTPConnection, bool]:
    """A connection to the address's host, or through the proxy the environment names (then
    True: a plain HTTP request names the whole address)."""
    https = parts.scheme == "https"
    host, port = parts.hostname or "", parts.port or (443 if https else 80)
    kind = http.client.HTTPSConnection if https else http.client.HTTPConnection
    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(host):
        return kind(host, port, timeout=remaining), False
    via = urlsplit(proxy if "://" in proxy else "http://" + proxy)
    connection = kind(via.hostname or "", via.port or 80, timeout=remaining)
    if https:
        connection.set_tunnel(host, port)
    return connection, not https


def _cut(connection: http.client.HTTPConnection, cut: threading.Event) -> None:
    """End a request at its deadline: whatever read it waits in returns."""
    cut.set()
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)


def check_links(
    urls: dict[str, list[tuple[str, int, int]]], timeout: float = 10.0, workers: int = 8
) -> list[SourceError]:
    """One problem per place a bad address is written (`urls`: address -> where)."""
    order = sorted(urls)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = dict(zip(order, pool.map(lambda url: status_of(url, timeout), order), strict=True))
    problems = []
    for url in order:
        status, why = results[url]
        if status is not None and status < 400:
            continue
        if status in GONE:
            severity, message = "error", f"the link {url} is broken: the page is gone (HTTP {status})"
            hint = "find where it moved, or remove the link"
        elif status is not None:
            severity, message = "warning", f"the link {url} answered HTTP {status}"
            hint = "check it in a browser; the site may be down for now"
        else:
            severity, message = "warning", f"the link {url} could not be reached: {why}"
            hint = "check it in a browser; the site may be down for now"
        problems += [SourceError(path, line, col, message, hint, severity) for path, line, col in urls[url]]
    return problems
