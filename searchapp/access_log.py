"""Log one line per request (Apache common log format plus seconds and the worker's pid).

A WSGI wrapper rather than each server's own access log, so that waitress (one process) and
gunicorn (several) write the same lines, and `serve --access-log` means one thing.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from typing import Any, Callable, Iterable, Iterator

LOGGER = "searchapp.access"


def enable(stream: Any = None) -> logging.Logger:
    """Send the access log to `stream` (default stderr) and return its logger."""
    log = logging.getLogger(LOGGER)
    log.setLevel(logging.INFO)
    log.propagate = False
    if not log.handlers:
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
    return log


class AccessLog:
    """Wrap a WSGI app; log each response when its body is finished (or the client left)."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.log = logging.getLogger(LOGGER)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        status = ["-"]

        def recording(code: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[0] = code.split(" ", 1)[0]
            return start_response(code, headers, exc_info)

        body = self.app(environ, recording)
        return _Body(body, lambda size: self._line(environ, status[0], size, started))

    def _line(self, environ: dict[str, Any], status: str, size: int, started: float) -> None:
        path = environ.get("RAW_URI") or (environ.get("PATH_INFO", "") + (
            "?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""))
        # Control characters in a hostile URL must not forge log lines.
        request = f"{environ.get('REQUEST_METHOD', '-')} {path} {environ.get('SERVER_PROTOCOL', '-')}"
        request = request.encode("unicode_escape", "backslashreplace").decode("ascii")
        request = request.replace('"', '\\"')
        when = time.strftime("%d/%b/%Y:%H:%M:%S %z")
        self.log.info('%s - - [%s] "%s" %s %s %.3f pid=%d', environ.get("REMOTE_ADDR", "-"), when,
                      request, status, size or "-", time.perf_counter() - started, os.getpid())


class _Body:
    """Pass the body through, count its bytes, and report once when the server closes it."""

    def __init__(self, body: Iterable[bytes], done: Callable[[int], None]) -> None:
        self.body, self.done, self.size = body, done, 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.size += len(chunk)
            yield chunk

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.done(self.size)
