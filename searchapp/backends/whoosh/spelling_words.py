"""Keep the spelling vocabulary of the live index, read off the request path (Backend.vocabulary).

The word list is read from the live index by a background thread with its own reader, never the
backend's shared searcher, so reading it needs no lock. `watch` is called under the lock with each
reader's snapshot and only compares segment ids. Whoosh's own corrector walked a Levenshtein
automaton over the term file under the lock (issue 12: one typo froze the desk); the product looks
bounded edits up in this set instead (searchapp.names.spelling).
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from searchapp.backends.whoosh import writer as wb


class _OwnReader:
    """A reader with its own index handle; closing it closes both."""

    def __init__(self, generation: Path):
        self._ix = wb.open_index(generation)
        try:
            self._reader = self._ix.reader()
        except Exception:
            self._ix.close()
            raise

    def leaf_readers(self) -> list[tuple[Any, int]]:
        return self._reader.leaf_readers()

    def close(self) -> None:
        try:
            self._reader.close()
        finally:
            self._ix.close()


class WordList:
    """The spelling field's words of one index, read per segment off the request path.

    `refresh(generation, segment_ids)` starts a background read when the live segments changed;
    segments read before are reused, so an incremental commit reads only its new segment.
    Readers of `words()` get the last complete set (possibly one commit old: a spelling list a
    commit behind costs nothing but a missed suggestion).
    """

    def __init__(self, open_reader: Callable[[Path], Any]):
        self._open_reader = open_reader
        self._lock = threading.Lock()
        self._segments: dict[str, frozenset[str]] = {}
        self._words: frozenset[str] | None = None
        self._key: tuple | None = None
        self._wanted: tuple | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop = threading.Event()
        self.error: str | None = None

    def refresh(self, generation: Path, segment_ids: tuple[str, ...]) -> None:
        """Make sure the words of these live segments are (being) read."""
        key = (str(generation), segment_ids)
        with self._lock:
            if self._stop.is_set() or key in (self._key, self._wanted):
                return
            self._wanted = key
            if self._thread is not None and self._thread.is_alive():
                return   # the running read picks the newest wish up when it ends
            self._thread = threading.Thread(target=self._run, name="spelling-words", daemon=True)
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
                words = self._read(Path(key[0]), key[1])
            except Exception as exc:  # noqa: BLE001 - a generation switched away mid-read: next wish
                self.error = f"{type(exc).__name__}: {exc}"
                words = None
            with self._lock:
                if words is not None:
                    self._words, self._key, self.error = words, key, None
                    self._ready.set()
                if self._wanted == key:   # done, or failed: the next refresh asks again
                    self._wanted = None
                    self._thread = None
                    return

    def _read(self, generation: Path, segment_ids: tuple[str, ...]) -> frozenset[str] | None:
        reader = self._open_reader(generation)
        try:
            parts: dict[str, frozenset[str]] = {}
            for leaf, _ in reader.leaf_readers():
                if self._stop.is_set():
                    return None
                segment = leaf.segment()
                sid = segment.segment_id() if segment is not None else ""
                if sid and sid in self._segments:
                    parts[sid] = self._segments[sid]
                    continue
                words = []
                for n, raw in enumerate(leaf.lexicon("spell")):
                    if not n & 4095 and self._stop.is_set():
                        return None
                    words.append(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
                parts[sid] = frozenset(words)
        finally:
            reader.close()
        self._segments = parts
        if len(parts) == 1:
            return next(iter(parts.values()))
        return frozenset().union(*parts.values())

    def words(self, wait: float = 0.0) -> frozenset[str] | None:
        """Return the last complete word set, waiting up to `wait` s for a first one."""
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


class SpellingWords:
    """The spelling vocabulary of the live index, for one backend."""

    def __init__(self) -> None:
        self._list = WordList(_OwnReader)
        self._seen: tuple[int, tuple[str, ...]] | None = None

    def watch(self, snap: Any) -> None:
        """Start reading the words of this snapshot's segments when they changed (cheap)."""
        seen = self._seen
        if seen is not None and seen[0] == id(snap.searcher):
            return
        ids = []
        for leaf, _ in snap.searcher.reader().leaf_readers():
            segment = leaf.segment()
            ids.append(segment.segment_id() if segment is not None else "")
        self._seen = (id(snap.searcher), tuple(ids))
        self._list.refresh(snap.generation, tuple(ids))

    def words(self, wait: float = 0.0) -> frozenset[str] | None:
        """Return the vocabulary, waiting up to `wait` s when none has been read yet."""
        return self._list.words(wait)

    def close(self) -> None:
        """Stop a background read."""
        self._list.close()
