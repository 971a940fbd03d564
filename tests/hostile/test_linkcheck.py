"""Finding 15: `check --external` against servers started here. Redirects go to http and https
addresses only (never ftp:, file: or gopher:), a loop is reported, the time limit holds for
the whole of a request (a server sending a byte at a time is cut off), an answer that is not
HTTP is a reported problem, and what a server or the content says reaches the terminal with
its control characters escaped."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sitegen.commands.check import github
from sitegen.commands.linkcheck import check_links, status_of
from sitegen.content.load import load
from sitegen.errors import ErrorLog, SourceError

from ..conftest import make_site, news

Answer = Callable[[socket.socket, str], None]  # (connection, request line) -> writes an answer


class RawServer:
    """A TCP server whose answer to each request is written by hand, byte by byte if need be;
    it counts the connections it accepts."""

    def __init__(self, answer: Answer) -> None:
        self.answer, self.connections = answer, 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stopping = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopping:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection: socket.socket) -> None:
        with connection:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = connection.recv(4096)
                if not chunk:
                    return
                request += chunk
            with contextlib.suppress(OSError):  # the client hung up: what this test wants of a slow answer
                self.answer(connection, request.split(b"\r\n", 1)[0].decode())

    def close(self) -> None:
        self.stopping = True
        self.listener.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Answer], RawServer]]:
    servers: list[RawServer] = []

    def start(answer: Answer) -> RawServer:
        servers.append(RawServer(answer))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def redirect(to: Callable[[str], str]) -> Answer:
    def answer(connection: socket.socket, line: str) -> None:
        path = line.split()[1]
        connection.sendall(f"HTTP/1.1 302 Found\r\nLocation: {to(path)}\r\nContent-Length: 0\r\n\r\n".encode())

    return answer


@pytest.mark.parametrize("scheme", ["ftp://127.0.0.1:{port}/pub", "file:///etc/passwd", "gopher://127.0.0.1:{port}/"])
def test_a_redirect_to_another_scheme_is_reported_and_not_followed(serve, scheme: str) -> None:
    elsewhere = serve(lambda connection, line: connection.sendall(b"220 FTP ready\r\n"))
    target = scheme.format(port=elsewhere.port)
    server = serve(redirect(lambda path: target))
    status, why = status_of(f"http://127.0.0.1:{server.port}/x", 2.0)
    assert status is None and why == f"it redirects to {target}, which is not a web address (not followed)"
    assert elsewhere.connections == 0


def test_a_redirect_loop_is_reported(serve) -> None:
    server = serve(redirect(lambda path: "/b" if path == "/a" else "/a"))
    status, why = status_of(f"http://127.0.0.1:{server.port}/a", 2.0)
    assert status is None and why.startswith("it redirects in a loop (back to http://127.0.0.1:")
    endless = serve(redirect(lambda path: f"/{int(path.strip('/') or 0) + 1}"))
    assert status_of(f"http://127.0.0.1:{endless.port}/0", 2.0) == (None, "it redirects more than 10 times")


def test_redirects_between_web_addresses_are_followed(serve) -> None:
    final = serve(lambda connection, line: connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))
    server = serve(redirect(lambda path: f"http://127.0.0.1:{final.port}/gone"))
    assert status_of(f"http://127.0.0.1:{server.port}/moved", 2.0) == (404, "")


@pytest.mark.parametrize("timeout", [1.0, 2.0])
def test_the_time_limit_holds_for_the_whole_request(serve, timeout: float) -> None:
    def drip(connection: socket.socket, line: str) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"x" * 1000:
            connection.sendall(bytes([byte]))
            time.sleep(0.1)

    server = serve(drip)
    started = time.monotonic()
    assert status_of(f"http://127.0.0.1:{server.port}/", timeout) == (None, f"no answer within {timeout:g} s")
    assert time.monotonic() - started < 2 * timeout  # a byte at a time held a 3 s check for 56 s


@pytest.mark.parametrize(
    "answer",
    [
        b"HELLO THERE\r\n\r\n",
        b"HTTP/1.1 abc Nope\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX-Big: " + b"x" * 100_000 + b"\r\n\r\n",
        b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: y\r\n" % n for n in range(200)) + b"\r\n",
        b"",
    ],
)
def test_an_answer_that_is_not_http_is_a_warning_not_a_crash(serve, answer: bytes) -> None:
    server = serve(lambda connection, line: connection.sendall(answer))
    url = f"http://127.0.0.1:{server.port}/"
    (problem,) = check_links({url: [("content/news/a.md", 3, 5)]}, 2.0, 2)
    assert (problem.path, problem.line, problem.severity) == ("content/news/a.md", 3, "warning")
    assert problem.message.startswith(f"the link {url} could not be reached: ")


def test_control_characters_from_a_server_or_a_file_name_are_escaped_in_messages(
    serve,
    tmp_path: Path,
) -> None:
    server = serve(redirect(lambda path: "ftp://x/\x1b[2J\x1b]0;owned\x07"))
    (problem,) = check_links({f"http://127.0.0.1:{server.port}/": [("content/news/a.md", 3, 5)]}, 2.0, 1)
    shown = problem.format()
    assert "\x1b" not in shown and "\x07" not in shown and "ftp://x/\\x1b[2J\\x1b]0;owned\\x07" in shown
    site = make_site(tmp_path / "s", {"content/news/a.md": news(), "content/media/x\x1b[31m.png": b"png"})
    log = ErrorLog()
    load(site, log)
    (error,) = log.errors
    assert error.format().startswith("content/media/x\\x1b[31m.png:1:1: error: the file's name holds a control")


def test_github_annotations_escape_control_characters_too() -> None:
    error = SourceError("content/a\x1b[2J.md", 3, 1, "the link ftp://x/\x1b]0;owned\x07 \u202eevil", "fix\r\nit")
    shown = github(error)
    assert shown.startswith("::error file=content/a\\x1b[2J.md,line=3,col=1::the link ftp://x/\\x1b]0;owned\\x07 ")
    assert shown.endswith("\\u202eevil (hint: fix%0D%0Ait)")
