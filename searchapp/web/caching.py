"""HTTP caching: validators tied to the index's commit, 304s, and fingerprinted static files.

Every page and API answer is a function of the request URL, the committed index, the desk's own
alias table (corpus/aliases.toml, read again when it changes, without a commit) and this build
of the app (a hash of the package's code, templates and data). The validators name all but the URL:

    ETag: W/"<index version>[.<aliases mtime>].<build>"
    Last-Modified: the latest of commit, alias edit and build

(the index version is the backend's State.version, read without waiting for a search)

so a conditional request gets a 304 until a reindex commits or the app is upgraded. The ETag is
weak because the same page goes out gzip, brotli or plain (flask-compress leaves weak tags alone,
and weak comparison is what If-None-Match uses). The validators are read *before* the view runs:
a commit that lands while the page is built then makes the next request's tag differ, never a
tag that names content newer than what was sent.

Static URLs carry a hash of the file (`/static/style.css?v=0123abcd`); an answer to a URL whose
hash matches is cached for a year as immutable, anything else must be revalidated.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request

YEAR_S = 365 * 24 * 3600
STATIC_IMMUTABLE = f"public, max-age={YEAR_S}, immutable"
REVALIDATE = "no-cache"          # may be stored, but must be revalidated (a 304 is cheap)
# Answers that describe the live state, not a document: never reuse them.
UNCACHED_ENDPOINTS = {"api.healthz"}
FINGERPRINT_ARG = "v"
WEB_DIR = Path(__file__).resolve().parent
PACKAGE_DIR = WEB_DIR.parent
BUILD_SUFFIXES = (".py", ".html", ".css", ".js", ".svg", ".tsv", ".toml")


def _digest(paths: list[Path]) -> tuple[str, float]:
    h = hashlib.sha256()
    newest = 0.0
    for path in sorted(paths):
        h.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        h.update(path.read_bytes())
        newest = max(newest, path.stat().st_mtime)
    return h.hexdigest(), newest


class Validators:
    """Know the build's fingerprint and the static files' hashes; compute per-request tags."""

    def __init__(self, static_dir: Path, quick_health: Callable[[], dict[str, Any]],
                 inputs: tuple[Path, ...] = ()) -> None:
        self.quick_health = quick_health
        self.inputs = inputs
        self.static: dict[str, str] = {}
        for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
            self.static[path.relative_to(static_dir).as_posix()] = _digest([path])[0][:12]
        # The whole package, not only the web layer: a new ranking changes the pages too.
        code = [p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in BUILD_SUFFIXES]
        digest, newest = _digest(code)
        self.build = digest[:10]
        self.build_time = newest

    def index_state(self) -> tuple[str, float] | None:
        """Return (tag part, commit time) of the live index, or None when there is none."""
        try:
            health = self.quick_health()
        except Exception:  # noqa: BLE001 - no state known: the answer is simply not cached
            return None
        # Kept for the rest of the request: the desk notices a new commit by it (web/saved.py)
        # instead of reading the index's state a second time.
        g.index_health = health
        version, commit = health.get("version"), health.get("last_commit")
        if not version or not commit:
            return None
        tag, mtime = version, dt.datetime.fromisoformat(commit).timestamp()
        for path in self.inputs:
            try:
                changed = path.stat().st_mtime_ns
            except OSError:
                continue
            tag += f".{changed:x}"
            mtime = max(mtime, changed / 1e9)
        return tag, mtime


def no_store() -> None:
    """Mark this request's answer as not to be stored: it shows a passing state (partial results),
    and a validator naming the commit would let a client keep it after the shard is back."""
    g.no_store = True


def _before() -> None:
    from flask import current_app
    validators: Validators = current_app.extensions["searchapp.caching"]
    if request.method in ("GET", "HEAD") and request.endpoint not in UNCACHED_ENDPOINTS:
        g.cache_state = validators.index_state()


def _after(response: Response) -> Response:
    from flask import current_app
    validators: Validators = current_app.extensions["searchapp.caching"]
    endpoint = request.endpoint
    if endpoint == "static":
        name = (request.view_args or {}).get("filename", "")
        wanted = validators.static.get(name)
        fresh = wanted is not None and request.args.get(FINGERPRINT_ARG) == wanted
        response.headers["Cache-Control"] = STATIC_IMMUTABLE if fresh else REVALIDATE
        return response
    if endpoint in UNCACHED_ENDPOINTS or request.method not in ("GET", "HEAD"):
        response.headers["Cache-Control"] = "no-store"
        return response
    state = g.get("cache_state")
    if response.status_code != 200 or state is None or g.get("no_store"):
        response.headers["Cache-Control"] = "no-store"
        return response
    tag, commit_time = state
    response.set_etag(f"{tag}.{validators.build}", weak=True)
    response.last_modified = dt.datetime.fromtimestamp(
        max(commit_time, validators.build_time), dt.timezone.utc).replace(microsecond=0)
    response.headers["Cache-Control"] = REVALIDATE
    return response.make_conditional(request)


def _fingerprint(endpoint: str, values: dict[str, Any]) -> None:
    from flask import current_app
    if endpoint == "static" and "filename" in values:
        validators: Validators = current_app.extensions["searchapp.caching"]
        digest = validators.static.get(values["filename"])
        if digest:
            values.setdefault(FINGERPRINT_ARG, digest)


def register(app: Flask, quick_health: Callable[[], dict[str, Any]],
             inputs: tuple[Path, ...] = ()) -> None:
    """Install the validators, the 304s and the static fingerprints on `app`."""
    app.extensions["searchapp.caching"] = Validators(Path(app.static_folder or WEB_DIR / "static"),
                                                     quick_health, inputs)
    # Flask's own static headers would say "cache for 12 h, no fingerprint"; ours decide instead.
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = None
    app.before_request(_before)
    app.after_request(_after)
    app.url_defaults(_fingerprint)
