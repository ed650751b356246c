"""Serve the web app, building the index from the corpus first when there is none.

`run` is what `searchapp serve` calls. With `workers` > 1 on a POSIX system it runs gunicorn
(gthread workers: processes, each with `threads` threads): a search holds its process's engine
and the GIL, so processes are what let searches run side by side. Each worker makes its own
app and engine after the fork (the master never opens the index), and each engine follows
reindexes on its own. With one worker, and on other systems, it serves on waitress in this
process. `start_in_thread` serves on waitress on a free loopback port in the background, for
tests and benchmarks that need the real HTTP server.
"""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from dataclasses import dataclass
from typing import Any

from searchapp.config import Settings

log = logging.getLogger("searchapp.serve")


def ensure_index(settings: Settings, *, progress: bool | None = None) -> str | None:
    """Build the index from the corpus when none is published; return what was done, or None."""
    from searchapp.backend import open_backend
    from searchapp.indexing.reindex import reindex

    backend = open_backend(settings)
    try:
        if backend.state(quick=True).exists:
            return None
    finally:
        backend.close()
    if not settings.corpus_dir.is_dir():
        raise FileNotFoundError(f"there is no index in {settings.index_dir} and no corpus folder "
                                f"{settings.corpus_dir} to build one from")
    summary = reindex(settings, progress=progress)
    return "\n".join(summary.lines())


def _wsgi(settings: Settings) -> tuple[Any, Any]:
    """Return (the Flask app, the WSGI callable to serve: the app, behind the access log if on)."""
    from searchapp.access_log import AccessLog
    from searchapp.web.app import create_app
    app = create_app(settings)
    return app, (AccessLog(app) if settings.access_log else app)


FORWARDED = ("x-forwarded-proto", "x-forwarded-host", "x-forwarded-for")


class ForwardedFrom:
    """Believe X-Forwarded-Proto/-Host/-For from the trusted proxy only, and drop them from anyone else.

    Behind a TLS proxy the app sees http://127.0.0.1:8000 while readers' browsers say Origin
    https://desk.example: the same-origin check (web/same_origin.py) refused every save. waitress
    does this itself (trusted_proxy); gunicorn trusts nothing and strips nothing, so its workers'
    app is wrapped in this.
    """

    def __init__(self, app: Any, proxy: str) -> None:
        self.app, self.proxy = app, proxy

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        trusted = bool(self.proxy) and environ.get("REMOTE_ADDR") == self.proxy
        values = {h: environ.pop("HTTP_" + h.upper().replace("-", "_"), None) for h in FORWARDED}
        if trusted:
            # (the last proxy appends its own hop: the value nearest to it is the one it saw)
            last = {h: v.split(",")[-1].strip() for h, v in values.items() if v}
            if last.get("x-forwarded-proto") in ("http", "https"):
                environ["wsgi.url_scheme"] = last["x-forwarded-proto"]
            if last.get("x-forwarded-host"):
                environ["HTTP_HOST"] = last["x-forwarded-host"]
            if last.get("x-forwarded-for"):
                environ["REMOTE_ADDR"] = last["x-forwarded-for"]
        return self.app(environ, start_response)


def _make_server(settings: Settings, host: str, port: int) -> tuple[Any, Any]:
    from waitress import create_server

    app, wsgi = _wsgi(settings)
    # waitress logs every change of its task-queue depth at WARNING; under load that floods stderr
    # and a supervisor that pipes stderr without reading it stalls every worker (bench/load.py).
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    # Thread count is a setting; the channel timeout keeps idle keep-alive sockets from piling up.
    proxy = ({"trusted_proxy": settings.trusted_proxy, "trusted_proxy_count": 1,
              "trusted_proxy_headers": set(FORWARDED)} if settings.trusted_proxy else {})
    server = create_server(wsgi, host=host, port=port, threads=settings.threads,
                           ident="searchapp", channel_timeout=60, clear_untrusted_proxy_headers=True, **proxy)
    # Requests waitress refuses itself get the app's error shape and headers (issue 12).
    from searchapp.web.server_errors import channel_class
    server.channel_class = channel_class(app)
    _warm_in_background(app)
    return app, server


def run(settings: Settings, *, build: bool = True) -> int:
    """Serve until interrupted; return the exit status."""
    from searchapp.errors import SearchAppError
    from searchapp.web.app import close_app

    if settings.workers < 1 or settings.threads < 1:
        print(f"error: workers and threads must be at least 1 (got {settings.workers} and "
              f"{settings.threads})", file=sys.stderr)
        return 2
    if build:
        try:
            done = ensure_index(settings)
        except (FileNotFoundError, SearchAppError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if done:
            print(done, file=sys.stderr)
    if settings.access_log:
        from searchapp import access_log
        access_log.enable()
    if settings.workers > 1:
        if os.name == "posix":
            return _run_gunicorn(settings)
        print(f"note: {settings.workers} worker processes need a POSIX system (gunicorn); "
              f"serving with one process on waitress", file=sys.stderr)
    app, server = _make_server(settings, settings.host, settings.port)

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(f"searchapp serving {settings.index_dir} on http://{settings.host}:"
          f"{server.effective_port}/ with {settings.threads} threads (Ctrl-C stops)",
          file=sys.stderr, flush=True)
    try:
        server.run()  # returns on KeyboardInterrupt (Ctrl-C, or SIGTERM via stop())
    except KeyboardInterrupt:
        pass
    finally:
        _shutdown(server)
        close_app(app)
    return 0


def _run_gunicorn(settings: Settings) -> int:
    """Serve with `settings.workers` gunicorn worker processes until SIGTERM or Ctrl-C."""
    # gunicorn is a dependency on POSIX systems: a missing one fails here, loudly.
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        """gunicorn run from code: our settings, no command line or config file."""

        def load_config(self) -> None:
            for key, value in gunicorn_options(settings).items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            # Runs in each worker after the fork (preload_app is off): its own app and engine.
            return _worker_app(settings)

    from searchapp.worker_balance import make_board
    make_board(settings.workers)
    print(f"searchapp serving {settings.index_dir} on http://{_bind(settings)}/ with "
          f"{settings.workers} worker processes x {settings.threads} threads (gunicorn; "
          f"Ctrl-C stops)", file=sys.stderr, flush=True)
    try:
        Server().run()
    except SystemExit as exc:  # the arbiter exits when it stops; its status is ours
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def _bind(settings: Settings) -> str:
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return f"{host}:{settings.port}"


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    """Return the gunicorn settings `serve` uses (one place, so tests can read them)."""
    return {
        "bind": [_bind(settings)],
        "workers": settings.workers,
        # gthread: threads per process, so /healthz answers while a search runs, as on waitress;
        # balanced so that kept-alive connections spread evenly over the workers.
        "worker_class": "searchapp.worker_balance.BalancedThreadWorker",
        "pre_fork": _pre_fork,
        "child_exit": _child_exit,
        "threads": settings.threads,
        "preload_app": False,          # never open the index before the fork
        "proc_name": "searchapp",
        "graceful_timeout": 10,
        "keepalive": 5,
        # The app answers an over-long query with a 400 naming the limit; gunicorn's own cap
        # (8 KB request line) would answer first with a bare page. 0 = its 1 MB ceiling.
        "limit_request_line": 0,
        "errorlog": "-",
        "loglevel": "info",
        "accesslog": None,             # searchapp.access_log, the same lines as on waitress
        "control_socket_disable": True,  # no management socket file, no thread in the master
        "worker_exit": _worker_exit,
    }


_worker: dict[str, Any] = {}  # this worker process's Flask app, to close its engine on exit


def _worker_app(settings: Settings) -> Any:
    """Make this worker's app and open its engine in the background (the first search is fast)."""
    from gunicorn import util

    # A request gunicorn cannot parse (a raw space or non-ASCII byte in the URL, a bad header)
    # never reaches the app; answer it as the app answers errors, not with a bare HTML page.
    util.write_error = _write_error
    app, wsgi = _wsgi(settings)
    wsgi = ForwardedFrom(wsgi, settings.trusted_proxy)
    _worker["app"] = app
    _warm_in_background(app)
    return wsgi


def _warm_in_background(app: Any) -> None:
    """Open the app's engine, and load what every first search reads (the gazetteer, the page
    templates), in a thread: the first search paid for them, ~2 s and then ~0.35 s at 209k."""
    def warm() -> None:
        from searchapp import gazetteer
        from searchapp.web.app import EXTENSION
        gazetteer.gazetteer()
        for name in app.jinja_env.list_templates(extensions=["html"]):
            app.jinja_env.get_template(name)
        try:
            app.extensions[EXTENSION].get().health()
        except Exception:  # noqa: BLE001 - no index yet: the first request tries again (503)
            pass

    threading.Thread(target=warm, name="searchapp-warm", daemon=True).start()


def _write_error(sock: Any, status: int, reason: str, message: str) -> None:
    """Write gunicorn's own error responses as the app's JSON error with its security headers."""
    import json

    from gunicorn.util import write_nonblock

    from searchapp.web.security import HEADERS
    body = json.dumps({"error": {"status": status, "title": reason,
                                 "message": message or reason}}).encode("utf-8")
    head = [f"HTTP/1.1 {status} {reason}", "Connection: close",
            "Content-Type: application/json", f"Content-Length: {len(body)}",
            *(f"{name}: {value}" for name, value in HEADERS.items())]
    write_nonblock(sock, "\r\n".join(head).encode("latin-1") + b"\r\n\r\n" + body)


def _pre_fork(server: Any, worker: Any) -> None:
    from searchapp.worker_balance import pre_fork
    pre_fork(server, worker)


def _child_exit(server: Any, worker: Any) -> None:
    from searchapp.worker_balance import child_exit
    child_exit(server, worker)


def _worker_exit(server: Any, worker: Any) -> None:
    """gunicorn hook, in the worker: close its engine (searchers, files) before it exits."""
    from searchapp.web.app import close_app
    app = _worker.pop("app", None)
    if app is not None:
        close_app(app)


def _shutdown(server: Any) -> None:
    """Stop the worker threads and close every socket the server holds (listener, clients)."""
    from waitress import wasyncore
    server.task_dispatcher.shutdown()
    wasyncore.close_all(server._map)


def _serve_until(server: Any, stop: threading.Event) -> None:
    # Closing the listening socket from another thread while select() waits on it fails with
    # EBADF inside waitress; instead the loop itself checks the flag between short polls.
    while not stop.is_set():
        server.asyncore.loop(timeout=0.1, map=server._map,
                             use_poll=server.adj.asyncore_use_poll, count=1)
    _shutdown(server)


@dataclass
class Running:
    """A server started by start_in_thread; `stop()` shuts it down and closes the engine."""

    url: str
    app: Any
    server: Any
    thread: threading.Thread
    stopping: threading.Event

    def stop(self) -> None:
        from searchapp.web.app import close_app
        self.stopping.set()
        self.thread.join(timeout=30)
        close_app(self.app)


def start_in_thread(settings: Settings, host: str = "127.0.0.1", port: int = 0) -> Running:
    """Serve `settings` on a free port (port=0) in a daemon thread and return its URL."""
    app, server = _make_server(settings, host, port)
    stopping = threading.Event()
    thread = threading.Thread(target=_serve_until, args=(server, stopping),
                              name="searchapp-waitress", daemon=True)
    thread.start()
    return Running(f"http://{host}:{server.effective_port}", app, server, thread, stopping)
