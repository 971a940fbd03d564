"""Finding 7: the preview server, asked by real HTTP requests. A redirect cannot carry a header
of its own or send the browser to another host; a bad path is a 400 or 404 and never a
traceback; a request for another host name (a web page that points its own domain at
127.0.0.1) is refused."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.commands.serve import Running
from sitegen.pipeline import BuildOptions

from ..conftest import make_site, news


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    site = make_site(tmp_path_factory.mktemp("serve") / "s", {"content/news/2026-01-10-a.md": news("A")})
    messages: list[str] = []
    preview = Running(BuildOptions(site, drafts=True), "127.0.0.1", 0, messages.append)
    preview.messages = messages  # type: ignore[attr-defined]
    yield preview
    preview.stop()


def request(running: Running, target: str, host: str | None = "default") -> http.client.HTTPResponse:
    port = running.server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
    if host is not None:
        connection.putheader("Host", f"127.0.0.1:{port}" if host == "default" else host.format(port=port))
    connection.endheaders()
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.mark.parametrize(
    "target",
    [
        "/news/%0D%0ASet-Cookie:%20evil=1/..",
        "/news/%0ALocation:%20https://evil.example/..",
        "/news%0D%0ASet-Cookie:%20evil=1",
        "/news/%0D/..",
    ],
)
def test_no_line_break_reaches_a_header(running: Running, target: str) -> None:
    response = request(running, target)
    assert response.status == 400
    assert response.getheader("Set-Cookie") is None and response.getheader("Location") is None


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/news", "/news/"),
        ("/%2F%2Fnews", "/news/"),
        ("//news", "/news/"),
        ("/%2F%2Fevil.example/..", "/evil.example/../"),
        ('/news/"x"%20y/..', "/news/%22x%22%20y/../"),
    ],
)
def test_a_redirect_stays_on_this_host_and_is_quoted(running: Running, target: str, location: str) -> None:
    response = request(running, target)
    assert (response.status, response.getheader("Location")) == (302, location)


@pytest.mark.parametrize(
    ("target", "status"),
    [
        ("/%00", 400),
        ("/news/%00.html", 400),
        ("/news/a%00/", 400),
        ("/%FF%FE", 400),
        ("/" + "a" * 5000, 404),
        ("/" + "a/" * 3000, 404),
        ("/../../etc/passwd", 404),
        ("/%2e%2e/%2e%2e/etc/passwd", 404),
        ("/news/..%2F..%2F..%2Fetc%2Fpasswd", 404),
        ("news/", 400),
    ],
)
def test_bad_paths_are_answered_without_a_traceback(
    running: Running, target: str, status: int, capfd: pytest.CaptureFixture[str]
) -> None:
    assert request(running, target).status == status
    assert request(running, "/").status == 200  # still serving
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1:{port}", 200),
        ("localhost:{port}", 200),
        ("LOCALHOST:{port}", 200),
        ("[::1]:{port}", 200),
        ("localhost", 200),
        ("evil.example:{port}", 403),
        ("evil.example", 403),
        ("127.0.0.1.evil.example:{port}", 403),
        ("localhost:1", 403),
        ("localhost:{port}@evil.example", 403),
        ("", 403),
        (None, 403),
    ],
)
def test_only_the_names_it_is_bound_to_are_answered(running: Running, host: str | None, status: int) -> None:
    for target in ("/", "/news/a/", "/__sitegen/live.js"):
        assert request(running, target, host).status == status


def test_a_host_name_given_with_host_is_answered(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-a.md": news("A")})
    preview = Running(BuildOptions(site), "localhost", 0, lambda _: None)
    try:
        assert request(preview, "/", "localhost:{port}").status == 200
        assert request(preview, "/", "rebind.evil.example:{port}").status == 403
    finally:
        preview.stop()
