"""Build the Flask app: `create_app(settings=None, engine=None)` does no work until a request.

One search service per process, made on the first request that needs it (so the app starts even
when there is no index yet, and /healthz can say 503), and closed by `close_app` (the server
calls it on shutdown; atexit is the safety net). Tests pass their own Settings; a test may pass
an engine to inject a fault. A reindex lands without a restart because the backend checks the
index's live version on every call and refreshes its one reader when it moved. Views reach the
service through searchapp.web.request.
"""
from __future__ import annotations

import atexit
import threading
import weakref

from flask import Flask

from searchapp.config import Settings
from searchapp.errors import IndexUnavailable
from searchapp.web.health import HealthProbe
from searchapp.web.request import EXTENSION, Engine


def _open_engine(settings: Settings) -> Engine:
    """Open the real service; imported here so that importing the web package opens nothing."""
    from searchapp.search.service import SearchService
    return SearchService(settings)


class EngineHolder:
    """Own the process's one engine: make it on first use, close it once."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self._engine = engine
        self._lock = threading.Lock()
        self._closed = False
        self.probe = HealthProbe()

    def get(self) -> Engine:
        """Return the engine, making it when needed; raise IndexUnavailable after close()."""
        engine = self._engine
        if engine is None:
            with self._lock:
                if self._closed:
                    raise IndexUnavailable("the server is shutting down")
                if self._engine is None:
                    # Should opening fail (no index yet), the next request tries again.
                    self._engine = _open_engine(self.settings)
                engine = self._engine
        return engine

    def close(self) -> None:
        """Close the engine (idempotent)."""
        with self._lock:
            self._closed = True
            engine, self._engine = self._engine, None
        self.probe.close()
        if engine is not None:
            engine.close()


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Flask:
    """Return the configured app; nothing is opened or read until the first request."""
    from flask_compress import Compress

    from searchapp.web import api, caching, compare, errors, saved, security, views

    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(JSON_SORT_KEYS=False, SEARCHAPP_SETTINGS=settings)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    # No redirects at all: werkzeug would answer //x with a 308 to a rebuilt URL, and a redirect
    # built from request data is one mistake away from an open redirect (issue 5).
    app.url_map.merge_slashes = False
    app.url_map.strict_slashes = False
    holder = EngineHolder(settings, engine)
    app.extensions[EXTENSION] = holder
    # A weak reference, so that apps made and closed in a loop (tests) can be collected.
    atexit.register(_close_at_exit, weakref.ref(holder))
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(compare.bp)
    app.register_blueprint(saved.bp)
    errors.register(app)
    # after_request hooks run last-registered first: validators and 304s, then compression
    # (which leaves weak ETags alone), then the security headers on whatever goes out.
    security.register(app)
    app.config.update(COMPRESS_ALGORITHM=["br", "gzip"], COMPRESS_ALGORITHM_STREAMING=["br"],
                      COMPRESS_MIN_SIZE=500)
    # Exports (/api/export) are text that compresses well; flask-compress' default list has
    # neither type (it reads its list once, here).
    Compress(app).compress_mimetypes_set |= {"text/csv", "application/x-ndjson"}
    caching.register(app, lambda: holder.get().quick_health(), (settings.corpus_dir / "aliases.toml",))
    views.register_filters(app)
    return app


def _close_at_exit(ref: "weakref.ref[EngineHolder]") -> None:
    holder = ref()
    if holder is not None:
        holder.close()


def close_app(app: Flask) -> None:
    """Close the app's engine; call when the server stops."""
    # The desk's background arrivals sync first: it reads through the engine's backend.
    from searchapp.web.saved import close_desk
    close_desk(app)
    app.extensions[EXTENSION].close()
