"""Filters, facet bitmaps and date ordering, computed on document bitmaps.

Pure: a `FacetView` (the index's facet bitmaps) and ints in, bitmaps and ids out. Facet counts
for one dimension use every active filter except that dimension's own (`combine(skip=...)`), so
selecting country=Belarus still shows what the other countries would give.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from searchapp.periods import UNKNOWN_PERIOD, period_bounds
from searchapp.backend import OWN_FILTER, Filters, SourceStats
from searchapp.backends.whoosh.bitmaps import to_ids, to_ids_desc

# Facets with more values than this are counted with numpy over (document, value) pairs: an AND
# and a popcount per value cost 6-11 ms for the 183 countries and 279 cities of 209,473 Reuters
# articles, against 1-3 ms for one gather and a bincount (timed on bench/index_bench.py's index).
SMALL_FACET = 16
# Fewer matching documents than pairs / SPARSE_RATIO: read each match's values instead.
SPARSE_RATIO = 4
# Building a view's pairs took 0.1-0.2 s at 209,473 articles, which the first search after each
# commit paid inside its budget: they are built by a thread while searches count the slower way.
PAIRS_IN_BACKGROUND = True

_BUILDING_LOCK = threading.Lock()

# facet -> its filter dimension (SearchRequest/Filters attribute), from the seam's table.
LIST_FACETS = {f: own[0] for f, own in OWN_FILTER.items() if f != "period"}


@dataclass
class FacetView:
    """The facet bitmaps of one searcher, with the date maps derived from the period terms."""

    live: int
    values: dict[str, dict[str, int]]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @cached_property
    def periods(self) -> list[tuple[dt.date, dt.date, str, int]]:
        """Return (first day, last day, key, bitmap) of every dated period, oldest first."""
        out = []
        for key, bits in self.values.get("period", {}).items():
            bounds = period_bounds(key)
            if bounds:
                out.append((bounds[0], bounds[1], key, bits))
        return sorted(out, key=lambda p: (p[0], p[1]))

    @cached_property
    def undated(self) -> int:
        return self.values.get("period", {}).get(UNKNOWN_PERIOD, 0) & self.live

    @cached_property
    def years(self) -> dict[int, int]:
        return _group(self.periods, lambda k: len(k) >= 4, lambda k: int(k[:4]))

    @cached_property
    def months(self) -> dict[tuple[int, int], int]:
        return _group(self.periods, lambda k: len(k) >= 7, lambda k: (int(k[:4]), int(k[5:7])))

    @cached_property
    def days(self) -> dict[dt.date, int]:
        return _group(self.periods, lambda k: len(k) == 10, dt.date.fromisoformat)

    @cached_property
    def folded(self) -> dict[str, dict[str, str]]:
        """Return field -> folded value -> value of the keyword fields (compile.fold_values)."""
        from searchapp.backends.whoosh.compile import fold_values
        return fold_values(self.values)

    @cached_property
    def sources(self) -> list[SourceStats]:
        """Return per source: count, first and last day of its dated periods, undated count."""
        out = []
        for name, bits in sorted(self.values.get("source", {}).items()):
            bits &= self.live
            dated = [p for p in self.periods if p[3] & bits]
            out.append(SourceStats(
                name=name, display_name=self.labels.get("source", {}).get(name, name),
                count=bits.bit_count(),
                date_from=dated[0][0] if dated else None,
                date_to=max(p[1] for p in dated) if dated else None,
                undated=(bits & self.undated).bit_count()))
        return out

    def count(self, name: str, base: int) -> dict[str, int]:
        """Return value -> number of documents of `base` with it, for the values it has."""
        values = self.values.get(name, {})
        if len(values) <= SMALL_FACET:
            return {v: n for v, b in values.items() if (n := (base & b).bit_count())}
        pairs = self._pair_cache.get(name)
        if pairs is None:
            if PAIRS_IN_BACKGROUND:
                self._build_soon(name)
                return {v: n for v, b in values.items() if (n := (base & b).bit_count())}
            pairs = self._pairs(name)
        matched = base.bit_count()
        if matched * 2 > pairs.live_docs and not base & ~self.live:
            # Most of the archive (no words, a common word): count what is left out instead.
            n = pairs.live_counts - self._codes(pairs, self.live & ~base, pairs.live_docs - matched)
        else:
            n = self._codes(pairs, base, matched)
        return {pairs.keys[i]: int(n[i]) for i in np.flatnonzero(n)}

    def _codes(self, pairs: "_Pairs", base: int, matched: int) -> np.ndarray:
        have = _bools(base, self._nbytes)
        if matched * SPARSE_RATIO < len(pairs.doc_of):
            # Few documents: read the values of each one (pairs are sorted by document).
            idx = np.flatnonzero(have)
            starts = pairs.offsets[idx]
            lens = pairs.offsets[idx + 1] - starts
            pos = np.repeat(starts - (np.cumsum(lens) - lens), lens) + np.arange(lens.sum())
            return np.bincount(pairs.by_doc[pos], minlength=len(pairs.keys))
        return np.bincount(pairs.by_doc[have[pairs.doc_of]], minlength=len(pairs.keys))

    @cached_property
    def _nbytes(self) -> int:
        top = max((b.bit_length() for per in self.values.values() for b in per.values()), default=0)
        return (max(top, self.live.bit_length()) + 7) >> 3

    def _pairs(self, name: str) -> "_Pairs":
        """Return the facet's (document, value) pairs, built once per view."""
        built = self._pair_cache.get(name)
        if built is None:
            built = _Pairs.of(self.values[name], self._nbytes)
            built.live_docs = self.live.bit_count()
            built.live_counts = self._codes(built, self.live, built.live_docs)
            self._pair_cache[name] = built
        return built

    @cached_property
    def _pair_cache(self) -> dict[str, "_Pairs"]:
        return {}

    @cached_property
    def _building(self) -> set[str]:
        return set()

    def _build_soon(self, name: str) -> None:
        """Start building a facet's pairs in a thread, once per view."""
        with _BUILDING_LOCK:
            if name in self._building:
                return
            self._building.add(name)
        threading.Thread(target=self._pairs, args=(name,), name=f"facet-pairs-{name}",
                         daemon=True).start()

    def pairs_ready(self, name: str) -> bool:
        """Tell whether a facet is counted over its pairs (built) yet."""
        return name in self._pair_cache

    def date_range(self, start: dt.date | None, end: dt.date | None) -> int:
        """Return the documents whose whole date period lies within [start, end]."""
        lo, hi = start or dt.date.min, end or dt.date.max
        bits = 0
        for first, last, _, b in self.periods:
            if first >= lo and last <= hi:
                bits |= b
        return bits


@dataclass
class _Pairs:
    """One facet as (document, value code) pairs, ordered by document."""

    keys: list[str]
    doc_of: np.ndarray     # the document of each pair, ascending (reads `have` in order)
    by_doc: np.ndarray     # the value code of each pair, same order
    offsets: np.ndarray    # pairs of document d: [offsets[d], offsets[d + 1])
    live_docs: int = 0     # live documents of the view, and each value's count among them
    live_counts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    @classmethod
    def of(cls, values: dict[str, int], nbytes: int) -> "_Pairs":
        keys = list(values)
        ids = [_doc_array(values[k], nbytes) for k in keys]
        docs = np.concatenate(ids) if ids else np.zeros(0, np.int32)
        codes = np.repeat(np.arange(len(keys), dtype=np.int32), [len(i) for i in ids])
        order = np.argsort(docs, kind="stable")
        offsets = np.concatenate(([0], np.cumsum(np.bincount(docs, minlength=nbytes << 3))))
        return cls(keys, docs[order], codes[order], offsets)


def _bools(bits: int, nbytes: int) -> np.ndarray:
    return np.unpackbits(np.frombuffer(bits.to_bytes(nbytes, "little"), np.uint8),
                         bitorder="little").view(bool)


def _doc_array(bits: int, nbytes: int) -> np.ndarray:
    """Return the document numbers of a bitmap as an ascending int32 array."""
    data = np.frombuffer(bits.to_bytes(nbytes, "little"), np.uint8)
    nonzero = np.flatnonzero(data)  # most values are rare: expand only the bytes that hold one
    set_bits = np.unpackbits(data[nonzero, None], axis=1, bitorder="little").view(bool)
    return ((nonzero[:, None] << 3) + np.arange(8))[set_bits].astype(np.int32)


def _group(periods, keep, key_of) -> dict:
    out: dict = {}
    for _, _, key, bits in periods:
        if keep(key):
            k = key_of(key)
            out[k] = out.get(k, 0) | bits
    return out


def _any_of(per: dict[str, int], wanted: list[str]) -> int:
    bits = 0
    for value in wanted:
        bits |= per.get(value, 0)
    return bits


def filter_bits(view: FacetView, req: Filters) -> dict[str, int]:
    """Return one bitmap per active filter dimension (values of one dimension are ORed)."""
    out: dict[str, int] = {}
    for fieldname, attr in LIST_FACETS.items():
        wanted = getattr(req, attr)
        if wanted:
            out[fieldname] = _any_of(view.values.get(fieldname, {}), wanted)
    if req.day is not None and req.month is not None and req.year is not None:
        out["calendar"] = view.days.get(dt.date(req.year, req.month, req.day), 0)
    elif req.month is not None and req.year is not None:
        out["calendar"] = view.months.get((req.year, req.month), 0)
    elif req.year is not None:
        out["calendar"] = view.years.get(req.year, 0)
    if req.date_from or req.date_to:
        out["range"] = view.date_range(req.date_from, req.date_to)
    if req.undated:
        out["undated"] = view.undated
    return out


def combine(view: FacetView, filters: dict[str, int], skip: str | None = None) -> int:
    """AND the live documents with every filter except `skip`."""
    bits = view.live
    for dim, b in filters.items():
        if dim != skip:
            bits &= b
    return bits


def by_date(view: FacetView, bits: int, *, newest: bool, limit: int) -> list[int]:
    """Return up to `limit` documents of `bits` ordered by date (undated last)."""
    out: list[int] = []
    periods = sorted(view.periods, key=lambda p: (p[0], p[1]), reverse=newest)
    for _, _, _, pbits in periods:
        hit = pbits & bits
        if hit:
            ids = to_ids_desc(hit) if newest else to_ids(hit)
            out.extend(_take(ids, limit - len(out)))
            if len(out) >= limit:
                return out
    out.extend(_take(to_ids(view.undated & bits), limit - len(out)))
    return out


def _take(ids: Iterator[int], n: int) -> list[int]:
    out = []
    for d in ids:
        if len(out) >= n:
            break
        out.append(d)
    return out
