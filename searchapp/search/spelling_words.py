"""Give the engine its spelling word list and name index, kept fresh off the request path.

The word list (searchapp.names.spelling.WordList) is read from the live index by a background
thread with its own reader, never the engine's shared searcher, so reading it needs no engine
lock. `watch` is called under the lock with each search's snapshot and only compares segment ids.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

from searchapp.indexing import whoosh_backend as wb
from searchapp.names.aliases import AliasTable
from searchapp.names.places import place_name_words
from searchapp.names.spelling import NameIndex, WordList


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


class SpellingWords:
    """The spelling vocabulary of the live index and the region's names, for one engine."""

    def __init__(self, table: Callable[[], AliasTable]) -> None:
        self._list = WordList(_OwnReader)
        self._table = table
        self._seen: tuple[int, tuple[str, ...]] | None = None
        self._names: tuple[AliasTable, NameIndex] | None = None
        self._lock = threading.Lock()
        self._warm: threading.Thread | None = None

    def watch(self, snap: Any) -> None:
        """Start reading the words of this snapshot's segments when they changed (cheap)."""
        seen = self._seen
        if seen is not None and seen[0] == id(snap.searcher):
            return
        if self._warm is None:
            # The gazetteer, alias table and name index cost ~0.5 s once: not on a user's search.
            self._warm = threading.Thread(target=lambda: self.names(self._table()),
                                          name="spelling-names", daemon=True)
            self._warm.start()
        ids = []
        for leaf, _ in snap.searcher.reader().leaf_readers():
            segment = leaf.segment()
            ids.append(segment.segment_id() if segment is not None else "")
        self._seen = (id(snap.searcher), tuple(ids))
        self._list.refresh(snap.generation, tuple(ids))

    def words(self, wait: float = 0.0) -> frozenset[str] | None:
        """Return the vocabulary, waiting up to `wait` s when none has been read yet."""
        return self._list.words(wait)

    def names(self, table: AliasTable) -> NameIndex:
        """Return the name index for this alias table (rebuilt only when the table changes)."""
        with self._lock:
            if self._names is None or self._names[0] is not table:
                self._names = (table, NameIndex(place_name_words() | table.name_words()))
            return self._names[1]

    def close(self) -> None:
        """Stop a background read."""
        self._list.close()
        if self._warm is not None:
            self._warm.join(timeout=5)
