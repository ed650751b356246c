"""A bounded least-recently-used map: the one helper behind the fast path's caches.

The budget counts each entry's size (postings for term data, 1 for a phrase's set), so a cache
is bounded by what it holds rather than by how many keys; the newest entry always stays.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")
MISSING = object()


class LRU(Generic[V]):
    """Map keys to values, dropping the least recently used once the sizes exceed `budget`."""

    def __init__(self, budget: int, size: Callable[[V], int] = lambda v: 1) -> None:
        self.budget = budget
        self._size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: object = MISSING) -> V | object:
        """Return the value of `key` (now the most recent), or `default`."""
        with self._lock:
            if key not in self._items:
                return default
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: Hashable, value: V) -> None:
        """Keep `value` under `key`, then drop the oldest entries while over budget."""
        with self._lock:
            if key in self._items:
                return
            self._items[key] = value
            self._held += self._size(value)
            while self._held > self.budget and len(self._items) > 1:
                _, old = self._items.popitem(last=False)
                self._held -= self._size(old)

    @property
    def held(self) -> int:
        """Return the summed size of what is kept."""
        return self._held

    def __len__(self) -> int:
        return len(self._items)
