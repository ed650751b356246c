"""Keep the spelling vocabulary of the live slot, read off the request path (Backend.vocabulary).

Sphinx 2.2 cannot list its dictionary (and what it holds are stems and =exact forms), but every
row keeps its article in the `doc` attribute, so a background thread pages through each shard's
table by id on the first copy that answers and splits title and body as the Whoosh backend's
spelling field does: folded words as written, stop words and one-letter words out. Readers only
report the published state (`watch`); a new slot, generation or commit starts a new read, and
until it ends `words()` answers with the last complete set (a list a commit behind costs at most
a missed suggestion). A read with a shard that no copy answers keeps what it got and is tried
again after RETRY_S, so a dead shard costs one background read per RETRY_S, not one per request.
"""
from __future__ import annotations

import json
import threading
import time

from searchapp.backends.sphinxql import schema
from searchapp.backends.sphinxql.connection import NodeDown, Pool
from searchapp.backends.sphinxql.topology import Topology
from searchapp.text import is_stopword, words

PAGE = 1_000          # rows per statement (Sphinx 2.2's default max_matches)
RETRY_S = 30.0        # how soon a read that missed a shard is tried again


class _Stopped(Exception):
    """The backend closed while a read ran."""


def article_words(doc: str) -> set[str]:
    """Return the spelling words of one stored article (the `doc` attribute's JSON)."""
    data = json.loads(doc)
    text = "\n".join([data.get("title") or "", *(data.get("body") or [])])
    return {w for _, _, w in words(text) if len(w) > 1 and not is_stopword(w)}


class Vocabulary:
    """The spelling vocabulary of the live slot of one cluster, read in the background."""

    def __init__(self, pool: Pool, topology: Topology):
        self._pool = pool
        self._topology = topology
        self._lock = threading.Lock()
        self._words: frozenset[str] | None = None
        self._key: tuple | None = None          # the state the last complete read is of
        self._wanted: tuple | None = None
        self._failed: tuple[tuple, float] | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop = threading.Event()
        self.error: str | None = None

    def watch(self, state: dict) -> None:
        """Start reading the words of this published state when it is new (cheap otherwise)."""
        key = (state.get("slot"), state.get("generation"), state.get("last_commit"),
               state.get("commit_ns"))
        with self._lock:
            if self._stop.is_set() or key in (self._key, self._wanted):
                return
            if self._failed is not None and self._failed[0] == key \
                    and time.monotonic() - self._failed[1] < RETRY_S:
                return
            self._wanted = key
            if self._thread is not None and self._thread.is_alive():
                return   # the running read picks the newest wish up when it ends
            self._thread = threading.Thread(target=self._run, name="sphinxql-vocabulary", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                key = self._wanted
                if key is None or key == self._key:
                    self._wanted = None
                    self._thread = None
                    return
            missing: list[str] = []
            try:
                found: frozenset[str] | None = self._read(key[0], missing)
            except _Stopped:
                return
            except Exception as exc:  # noqa: BLE001 - e.g. a slot switched away mid-read: next wish
                found, missing = None, [f"{type(exc).__name__}: {exc}"]
            with self._lock:
                if found is not None and (not missing or self._words is None):
                    self._words = found     # a partial list beats none, never a complete one
                    self._ready.set()
                if missing:
                    self._failed = (key, time.monotonic())
                    self.error = "; ".join(missing)
                else:
                    self._key, self._failed, self.error = key, None, None
                if self._wanted == key:
                    self._wanted = None
                    self._thread = None
                    return

    def _read(self, slot: str, missing: list[str]) -> frozenset[str]:
        out: set[str] = set()
        for shard, names in enumerate(self._topology.shards):
            table = schema.shard_table(shard, slot)
            errors = []
            for name in names:
                try:
                    self._read_shard(name, table, out)
                    break
                except NodeDown as exc:
                    errors.append(str(exc))   # a dead copy: the shard's next copy answers
            else:
                missing.append(f"{self._topology.shard_name(shard)}: {'; '.join(errors)}")
        return frozenset(out)

    def _read_shard(self, name: str, table: str, out: set[str]) -> None:
        last = 0
        while True:
            if self._stop.is_set():
                raise _Stopped
            rows = self._pool.query(name, f"SELECT id, doc FROM {table} WHERE id > {last} "
                                          f"ORDER BY id ASC LIMIT {PAGE} OPTION max_matches={PAGE}")
            for _, doc in rows:
                out |= article_words(doc.decode() if isinstance(doc, bytes) else str(doc))
            if len(rows) < PAGE:
                return
            last = int(rows[-1][0])

    def words(self, wait: float = 0.0) -> frozenset[str] | None:
        """Return the last word set read, waiting up to `wait` s for a first one."""
        if self._words is None and wait > 0:
            self._ready.wait(wait)
        return self._words

    def close(self) -> None:
        """Stop a running read and wait for its thread."""
        self._stop.set()
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout=5)
