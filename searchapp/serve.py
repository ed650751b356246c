"""Serve the web app on waitress, building the index from the corpus first when there is none.

`run` is what `searchapp serve` calls; `start_in_thread` serves on a free loopback port in the
background, for browser tests and benchmarks that need the real HTTP server.
"""
from __future__ import annotations

import logging
import signal
import sys
import threading
from dataclasses import dataclass
from typing import Any

from searchapp.config import Settings

log = logging.getLogger("searchapp.serve")


def ensure_index(settings: Settings, *, progress: bool | None = None) -> str | None:
    """Build the index from the corpus when none is published; return what was done, or None."""
    from searchapp.indexing import generations
    from searchapp.indexing.reindex import reindex

    if generations.current(settings.index_dir) is not None:
        return None
    if not settings.corpus_dir.is_dir():
        raise FileNotFoundError(f"there is no index in {settings.index_dir} and no corpus folder "
                                f"{settings.corpus_dir} to build one from")
    summary = reindex(settings, progress=progress)
    return "\n".join(summary.lines())


def _make_server(settings: Settings, host: str, port: int) -> tuple[Any, Any]:
    from waitress import create_server

    from searchapp.web.app import create_app
    app = create_app(settings)
    # waitress logs every change of its task-queue depth at WARNING; under load that floods stderr
    # and a supervisor that pipes stderr without reading it stalls every worker (bench/load.py).
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    # Thread count is a setting; the channel timeout keeps idle keep-alive sockets from piling up.
    server = create_server(app, host=host, port=port, threads=settings.threads,
                           ident="searchapp", channel_timeout=60, clear_untrusted_proxy_headers=True)
    # Requests waitress refuses itself get the app's error shape and headers (issue 12).
    from searchapp.web.server_errors import channel_class
    server.channel_class = channel_class(app)
    return app, server


def run(settings: Settings, *, build: bool = True) -> int:
    """Serve until interrupted; return the exit status."""
    from searchapp.errors import SearchAppError
    from searchapp.web.app import close_app

    if build:
        try:
            done = ensure_index(settings)
        except (FileNotFoundError, SearchAppError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if done:
            print(done, file=sys.stderr)
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
