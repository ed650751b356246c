"""Answer /healthz quickly even while the engine is busy with a long search.

The engine serialises its work on one lock, so health() waits behind a search that may take up
to query_time_limit_s. The probe runs health() on its own worker thread and waits at most
HEALTH_WAIT_S; when the engine is busy it answers from the last result and the live generation
on disk, marked "busy". A busy engine is a working one, so that is still a 200.
"""
from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor, TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, Callable

from searchapp.indexing import generations

HEALTH_WAIT_S = 0.5   # default of Settings.health_wait_s: load balancers probe with ~1-2 s timeouts


class HealthProbe:
    """Run health checks one at a time in the background; never block a caller for long."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._pending: Future | None = None
        self._last: dict[str, Any] | None = None

    def check(self, health: Callable[[], dict[str, Any]], wait: float = HEALTH_WAIT_S) -> dict[str, Any]:
        """Return health() if it answers within `wait` seconds, else the last known state."""
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz")
            if self._pending is None or self._pending.done():
                self._pending = self._pool.submit(health)
            pending = self._pending
        try:
            result = pending.result(timeout=wait)
        except FutureTimeout:
            return self._busy()
        except Exception as exc:  # noqa: BLE001 - health reports, it never fails with a traceback
            result = {"ok": False, "error": str(exc), "generation": None, "doc_count": 0,
                      "last_commit": None}
        self._last = result
        return result

    def _busy(self) -> dict[str, Any]:
        live = generations.current(self.index_dir)
        last = self._last or {}
        ok = live is not None and bool(last.get("ok", True))
        return {"ok": ok, "busy": True, "generation": live.name if live else None,
                "doc_count": last.get("doc_count"), "last_commit": last.get("last_commit")}

    def close(self) -> None:
        """Stop the worker thread (it finishes a running check first)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
