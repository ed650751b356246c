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
from searchapp.newest_read import NewestRead, Read, Stopped


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
        self._segments: dict[str, frozenset[str]] = {}
        self._read = NewestRead(self._read_index, name="spelling-words")

    @property
    def error(self) -> str | None:
        """Why the last read failed (None once one succeeds)."""
        return self._read.error

    def refresh(self, generation: Path, segment_ids: tuple[str, ...]) -> None:
        """Make sure the words of these live segments are (being) read."""
        self._read.want((str(generation), segment_ids))

    def _read_index(self, key: tuple[str, tuple[str, ...]],
                    stop: threading.Event) -> Read[frozenset[str]]:
        reader = self._open_reader(Path(key[0]))
        try:
            parts: dict[str, frozenset[str]] = {}
            for leaf, _ in reader.leaf_readers():
                if stop.is_set():
                    raise Stopped
                segment = leaf.segment()
                sid = segment.segment_id() if segment is not None else ""
                if sid and sid in self._segments:
                    parts[sid] = self._segments[sid]
                    continue
                words = []
                for n, raw in enumerate(leaf.lexicon("spell")):
                    if not n & 4095 and stop.is_set():
                        raise Stopped
                    words.append(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
                parts[sid] = frozenset(words)
        finally:
            reader.close()
        self._segments = parts
        if len(parts) == 1:
            return Read(next(iter(parts.values())))
        return Read(frozenset().union(*parts.values()))

    def words(self, wait: float = 0.0) -> frozenset[str] | None:
        """Return the last complete word set, waiting up to `wait` s for a first one."""
        return self._read.value(wait)

    def close(self) -> None:
        """Stop a running read and wait for its thread."""
        self._read.close()


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
