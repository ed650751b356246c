"""Render every failure in one place: domain errors carry their status, nothing shows a traceback.

HTML for pages, JSON for /api/* and /healthz. A SearchAppError's message was written for the user
(what was wrong, what is allowed) and is shown as is, escaped; anything else is logged with its
traceback and answered with a plain 500 message.
"""
from __future__ import annotations

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from searchapp.errors import SearchAppError

TITLES = {400: "Bad request", 403: "Refused", 404: "Not found", 405: "Method not allowed", 409: "Busy",
          413: "Request too large", 429: "Too many requests", 431: "Request headers too large",
          500: "Server error",
          501: "Not implemented", 503: "Index unavailable"}
INTERNAL = "Something went wrong on our side; the error was logged. Please try again."


def wants_json() -> bool:
    """Return True when the current request is for the JSON API."""
    path = request.path
    return path.startswith("/api/") or path == "/healthz"


def render_error(status: int, message: str) -> Response:
    """Return the error as JSON or as an HTML page, with `status`."""
    title = TITLES.get(status, "Error")
    if wants_json():
        resp = Response(status=status)
        from flask import json
        resp.set_data(json.dumps({"error": {"status": status, "title": title, "message": message}}))
        resp.mimetype = "application/json"
        return resp
    try:
        body = render_template("error.html", status=status, title=title, message=message)
    except Exception:  # noqa: BLE001 - a broken template must not turn a 400 into a traceback
        from markupsafe import escape
        body = f"<!doctype html><title>{status}</title><p>{escape(message)}</p>"
    return Response(body, status=status, mimetype="text/html")


def _domain(exc: SearchAppError) -> Response:
    status = exc.status if 400 <= exc.status < 600 else 500
    if status >= 500 and status != 503:
        return _internal(exc)
    resp = render_error(status, str(exc) or TITLES.get(status, "Error"))
    if (retry := getattr(exc, "retry_after_s", None)) is not None:
        resp.headers["Retry-After"] = str(retry)
    return resp


def _http(exc: HTTPException) -> Response:
    status = exc.code or 500
    if status == 404:
        message = "There is no page at this address."
    elif status == 405:
        message = f"{request.method} is not allowed here."
    else:
        message = exc.description or TITLES.get(status, "Error")
    resp = render_error(status, message)
    if status == 405 and exc.response is None:
        allowed = getattr(exc, "valid_methods", None)
        if allowed:
            resp.headers["Allow"] = ", ".join(allowed)
    return resp


def _internal(exc: BaseException) -> Response:
    from flask import current_app
    current_app.logger.error("unhandled error on %s %s", request.method, request.full_path,
                             exc_info=exc)
    return render_error(500, INTERNAL)


def register(app: Flask) -> None:
    """Install the handlers on `app`."""
    app.register_error_handler(SearchAppError, _domain)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(Exception, _internal)
