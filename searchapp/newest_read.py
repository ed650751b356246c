"""Read a value for the newest key asked for, in one background thread, off the request path.

Both backends keep their spelling vocabulary this way (backends/whoosh/spelling_words.py,
backends/sphinxql/vocabulary.py): a request only says which state it saw (`want`, cheap), one
thread reads that state's value, and `value()` answers with the last good one meanwhile. Wishes
made while a read runs collapse into the newest, which the thread takes up when it ends. A read
that came back incomplete (`Read.problem`) keeps what it got when nothing better is known, and
its key is not asked again for `retry_s`, so a broken source costs one read per retry_s, not one
per request.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Stopped(Exception):
    """The owner closed while a read ran (raise it from the read function to end quietly)."""


@dataclass(frozen=True)
class Read(Generic[V]):
    """What one read gave: a value (None: nothing), and why it is incomplete (None: it is not)."""

    value: V | None
    problem: str | None = None


class NewestRead(Generic[K, V]):
    """The last value read for the newest wished-for key; see the module docstring."""

    def __init__(self, read: Callable[[K, threading.Event], Read[V]], *, name: str,
                 retry_s: float = 0.0):
        self._read = read
        self._name = name
        self._retry_s = retry_s
        self._lock = threading.Lock()
        self._ended = threading.Condition(self._lock)   # told each time a read ends
        self._value: V | None = None
        self._key: K | None = None                # the key the last complete read is of
        self._wanted: K | None = None
        self._failed: tuple[K, float] | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop = threading.Event()
        self.error: str | None = None             # the last read's problem, until one succeeds

    def want(self, key: K) -> None:
        """Start reading the value of `key` unless it is read, being read, or failed lately."""
        with self._lock:
            if self._stop.is_set() or key in (self._key, self._wanted):
                return
            if self._failed is not None and self._failed[0] == key \
                    and time.monotonic() - self._failed[1] < self._retry_s:
                return
            self._wanted = key
            if self._thread is not None and self._thread.is_alive():
                return   # the running read picks the newest wish up when it ends
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                key = self._wanted
                if key is None or key == self._key:
                    self._wanted = None
                    self._thread = None
                    return
            try:
                got = self._read(key, self._stop)
            except Stopped:
                with self._lock:
                    self._ended.notify_all()
                return
            except Exception as exc:  # noqa: BLE001 - e.g. a state switched away mid-read: next wish
                got = Read(None, f"{type(exc).__name__}: {exc}")
            with self._lock:
                if got.value is not None and (got.problem is None or self._value is None):
                    self._value = got.value     # a partial value beats none, never a complete one
                    self._ready.set()
                if got.problem is not None:
                    self._failed = (key, time.monotonic())
                    self.error = got.problem
                else:
                    self._key, self._failed, self.error = key, None, None
                self._ended.notify_all()
                if self._wanted == key:   # done, or failed: a later wish asks again
                    self._wanted = None
                    self._thread = None
                    return

    def value(self, wait: float = 0.0) -> V | None:
        """Return the last value read, waiting up to `wait` s for a first one."""
        if self._value is None and wait > 0:
            self._ready.wait(wait)
        return self._value

    def wait_for(self, key: K, timeout: float) -> bool:
        """Wait up to `timeout` s for a read of `key` to end; tell whether one did (it may have
        failed: see `error`). For a caller that needs this key's value and can afford to wait a
        bounded time (the desk's arrivals, searchapp.search.arrivals_watch)."""
        deadline = time.monotonic() + timeout
        with self._ended:
            # Failed counts only when no read of the key is on (a retry's failure is a new answer).
            while not (self._key == key or (self._failed is not None and self._failed[0] == key
                                            and self._wanted != key)):
                left = deadline - time.monotonic()
                if left <= 0 or self._stop.is_set():
                    return False
                self._ended.wait(left)
            return True

    def close(self) -> None:
        """Stop a running read and wait for its thread."""
        self._stop.set()
        with self._lock:
            self._ended.notify_all()
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout=5)
