"""Answer /healthz quickly even while the engine is busy with a long search.

The engine serialises its work on one lock, so health() waits behind a search that may take up
to query_time_limit_s. The probe runs health() on its own worker thread and waits at most
HEALTH_WAIT_S; when the engine is busy it answers from the last result and the backend's quick
state (the live generation, read without waiting), marked "busy". A busy engine is a working one, so that is still a 200.
"""
from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor, TimeoutError as FutureTimeout
from typing import Any, Callable


HEALTH_WAIT_S = 0.5   # default of Settings.health_wait_s: load balancers probe with ~1-2 s timeouts


class HealthProbe:
    """Run health checks one at a time in the background; never block a caller for long."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._pending: Future | None = None
        self._last: dict[str, Any] | None = None

    def check(self, health: Callable[[], dict[str, Any]], wait: float = HEALTH_WAIT_S,
              quick: Callable[[], dict[str, Any]] | None = None) -> dict[str, Any]:
        """Return health() if it answers within `wait` seconds, else quick() or the last state."""
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz")
            if self._pending is None or self._pending.done():
                self._pending = self._pool.submit(health)
            pending = self._pending
        try:
            result = pending.result(timeout=wait)
        except FutureTimeout:
            return self._busy(quick)
        except Exception as exc:  # noqa: BLE001 - health reports, it never fails with a traceback
            result = {"ok": False, "error": str(exc), "generation": None, "doc_count": 0,
                      "last_commit": None}
        self._last = result
        return result

    def _busy(self, quick: Callable[[], dict[str, Any]] | None) -> dict[str, Any]:
        last = self._last or {}
        try:
            now = quick() if quick is not None else dict(last)
        except Exception:  # noqa: BLE001 - fall back to the last answer
            now = dict(last)
        ok = bool(now.get("generation")) and bool(last.get("ok", True))
        return {**now, "ok": ok, "busy": True,
                "doc_count": now.get("doc_count") or last.get("doc_count"),
                "last_commit": now.get("last_commit") or last.get("last_commit")}

    def close(self) -> None:
        """Stop the worker thread (it finishes a running check first)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
