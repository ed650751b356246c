"""Keep, per open searcher, each queried term's postings, scores and document set.

A term's data is built on first use (searchapp.backends.whoosh.postings) and kept in a bounded LRU, so
a warm query costs no posting reads at all. It belongs to one searcher: scores depend on the
whole index (idf, average length), so a refreshed searcher starts a fresh cache, and the old one
goes away with its searcher (weak references).
"""
from __future__ import annotations

import threading
import weakref
from array import array
from dataclasses import dataclass, field
from typing import Any

from searchapp.backends.whoosh.bitmaps import from_ids
from searchapp.backends.whoosh.lru import LRU, MISSING
from searchapp.backends.whoosh.postings import (RAW, RawPostingsCache, deleted_bits, leaf_scores,
                                                length_bytes)

# Defaults of Settings.term_cache_budget and phrase_cache_size (the backend passes the settings).
# Postings kept in memory per searcher (about 16 bytes each with the score order):
# 4M is ~64 MB, twenty times the posting lists a 22-query mix touches at 200,000 articles.
MAX_CACHED_POSTINGS = 4_000_000
MAX_CACHED_PHRASES = 512


@dataclass
class TermData:
    """One term of one field across the whole searcher: global ids ascending, their scores."""

    ids: array
    scores: array
    bits: int
    _order: array | None = field(default=None, repr=False)
    _mask: bytes | None = field(default=None, repr=False)

    @property
    def mask(self) -> bytes:
        """Return the document set as little-endian bytes: a membership test is one index."""
        if self._mask is None:
            self._mask = self.bits.to_bytes((self.bits.bit_length() + 8) >> 3, "little")
        return self._mask

    @property
    def order(self) -> array:
        """Return the posting positions by descending score (ties: lower document first)."""
        if self._order is None:
            scores = self.scores
            # sorted() is stable, also with reverse=True: equal scores keep document order.
            self._order = array("i", sorted(range(len(scores)), key=scores.__getitem__,
                                            reverse=True))
        return self._order


class SearcherCache:
    """Term data, phrase sets and the live set of one searcher; use under the engine's lock."""

    def __init__(self, searcher: Any, budget: int = MAX_CACHED_POSTINGS,
                 phrases: int = MAX_CACHED_PHRASES, raw: RawPostingsCache = RAW):
        self.searcher = searcher
        self.size = searcher.doc_count_all()
        self.raw = raw
        self._leaves = list(searcher.leaf_searchers())
        self._terms: LRU[TermData | None] = LRU(budget, lambda d: len(d.ids) if d is not None else 0)
        self._phrases: LRU[int] = LRU(phrases)
        self._lengths: dict[tuple[int, str], bytes | None] = {}
        self._live: int | None = None

    @property
    def live(self) -> int:
        """Return the bitmap of the searcher's live (not deleted) documents."""
        if self._live is None:
            live = (1 << self.size) - 1
            for sub, offset in self._leaves:
                live &= ~(deleted_bits(sub.reader()) << offset)
            self._live = live
        return self._live

    def term(self, fieldname: str, text: str) -> TermData | None:
        """Return a term's data; None when the ranking model's scores cannot be reproduced."""
        key = (fieldname, text)
        data = self._terms.get(key)
        if data is MISSING:
            data = self._load(fieldname, text)
            self._terms.put(key, data)
        return data  # type: ignore[return-value]

    def _load(self, fieldname: str, text: str) -> TermData | None:
        schema = self.searcher.schema
        ids, scores = array("i"), array("d")
        if fieldname not in schema:
            return TermData(ids, scores, 0)
        try:
            btext = schema[fieldname].to_bytes(text)
        except ValueError:
            return TermData(ids, scores, 0)
        weighting = self.searcher.weighting
        bits = 0
        for i, (sub, offset) in enumerate(self._leaves):
            reader = sub.reader()
            seg_ids, weights, seg_bits = self.raw.get(reader, fieldname, btext)
            if not seg_ids:
                continue
            bits |= seg_bits << offset
            lkey = (i, fieldname)
            if lkey not in self._lengths:
                self._lengths[lkey] = length_bytes(reader, fieldname)
            seg_scores = leaf_scores(sub, weighting, fieldname, btext, seg_ids, weights,
                                     self._lengths[lkey])
            if seg_scores is None:
                return None
            ids.extend(seg_ids if not offset else array("i", (d + offset for d in seg_ids)))
            scores.extend(seg_scores)
        return TermData(ids, scores, bits)

    def phrase_bits(self, q: Any) -> int:
        """Return the documents matching a Whoosh Phrase query (positions checked by Whoosh)."""
        key = (q.fieldname, tuple(q.words), q.slop)
        known = self._phrases.get(key)
        if known is not MISSING:
            return known  # type: ignore[return-value]
        context = self.searcher.boolean_context()
        ids: list[int] = []
        for sub, offset in self._leaves:
            m = q.matcher(sub, context)
            ids.extend(d + offset for d in m.all_ids())
        bits = from_ids(ids, self.size)
        self._phrases.put(key, bits)
        return bits


_caches: "weakref.WeakKeyDictionary[Any, SearcherCache]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def cache_for(searcher: Any, **budgets: Any) -> SearcherCache:
    """Return the cache of this searcher, creating it on first use (with these budgets)."""
    with _lock:
        cache = _caches.get(searcher)
        if cache is None:
            cache = _caches[searcher] = SearcherCache(searcher, **budgets)
        return cache
