"""sitegen check --external: are the web addresses in the content still there? Each address
is asked once (HEAD, else GET), a few at a time, each with a time limit. A page that is
gone (404, 410) is an error; anything that may pass (a time-out, a server error, a refusal)
is a warning."""

from __future__ import annotations

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from sitegen import __version__
from sitegen.errors import SourceError

GONE = (404, 410)
RETRY_WITH_GET = (403, 405, 501)  # servers that refuse HEAD but answer GET


def status_of(url: str, timeout: float) -> tuple[int | None, str]:
    """(HTTP status, "") or (None, why it could not be reached)."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": f"sitegen-check/{__version__}"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if method == "GET":
                    response.read(1024)
                return response.status, ""
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in RETRY_WITH_GET:
                continue
            return error.code, ""
        except TimeoutError:
            return None, f"no answer within {timeout:g} s"
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                return None, f"no answer within {timeout:g} s"
            return None, str(reason)
        except (OSError, ValueError) as error:
            return None, str(error)
    return None, "no answer"


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
