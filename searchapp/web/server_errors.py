"""Answer the requests waitress refuses before the app sees them in the app's own error shape.

waitress rejects a malformed request itself (a raw non-ASCII URL: "Bad URI"; a broken start line
or header; an unsupported Transfer-Encoding; an oversized header or body) with a plain-text body
and none of our headers. Its channel makes those answers with `error_task_class`; ours renders
them through searchapp.web.errors and security instead: JSON for /api/* and /healthz, the HTML
error page elsewhere, with the security headers and no caching.
"""
from __future__ import annotations

from typing import Any

from flask import Flask
from waitress.channel import HTTPChannel
from waitress.task import ErrorTask

# waitress's reasons are terse; say what the client can do about the commonest one.
MESSAGES = {"Bad URI": "The address holds characters that are not URL-encoded (for example a raw "
                       "Cyrillic letter); percent-encode them, as a browser does."}


def _path(request: Any) -> str:
    uri = getattr(request, "request_uri", None)
    if not uri:  # a bad header is found before the target is stored; read it off the first line
        parts = (getattr(request, "first_line", None) or b"").split(b" ")
        uri = parts[1].decode("latin-1") if len(parts) > 1 else ""
    path = uri.split("?", 1)[0].split("#", 1)[0]
    if "://" in path:  # an absolute-form target: keep the path part
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    return path


def render(app: Flask, status: int, body: str,
           path: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """Return (status line, headers, body) for an error waitress found, as the app would answer."""
    from searchapp.web import errors, security

    message = MESSAGES.get(body.strip(), body.strip() or errors.TITLES.get(status, "Error"))
    # The request itself could not be parsed, so render in a clean context that only keeps
    # whether it was for the API (JSON) or a page (HTML).
    api = path.startswith("/api/") or path == "/healthz"
    with app.test_request_context("/api/" if api else "/"):
        response = errors.render_error(status, message)
        security.add_headers(response)
    response.headers["Cache-Control"] = "no-store"
    data = response.get_data()
    headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
    return f"{status} {errors.TITLES.get(status, 'Error')}", headers, data


def channel_class(app: Flask) -> type[HTTPChannel]:
    """Return a waitress channel class whose own error answers are rendered by `app`."""

    class AppErrorTask(ErrorTask):
        def execute(self) -> None:
            error = self.request.error
            try:
                status, headers, body = render(app, error.code, str(error.body),
                                               _path(self.request))
            except Exception:  # noqa: BLE001 - never fail worse than waitress would have
                status, headers, body = error.to_response(self.channel.server.adj.ident)
            self.status = status
            self.response_headers.extend(headers)
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class AppErrorChannel(HTTPChannel):
        error_task_class = AppErrorTask

    return AppErrorChannel
