"""Answer the seam's Reader calls from one Whoosh snapshot (searcher + facet bitmaps).

What the pre-seam `SearchEngine._search` did below the product's policy: compile the tree, collect the
matches once (the fast path of collect.py), AND the filters as bitmaps, count facets each
without its own filter, and order by score or by date period.
"""
from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from typing import Any

from whoosh import query as wq

from searchapp.backend import OWN_FILTER, Matches, Query, Scored, SourceStats
from searchapp.backends.whoosh import facets as fc
from searchapp.backends.whoosh.bitmaps import from_ids
from searchapp.backends.whoosh.collect import collect
from searchapp.backends.whoosh.compile import Compiler
from searchapp.backends.whoosh.lru import MISSING
from searchapp.backends.whoosh.schema import from_stored
from searchapp.backends.whoosh.searcher import Snapshot
from searchapp.config import Settings
from searchapp.errors import NotFound
from searchapp.models import Article
from searchapp.periods import UNKNOWN_PERIOD

# Filter dimension of facets.filter_bits that each facet ignores (backend.OWN_FILTER).
_SKIP = {name: ("calendar" if name == "period" else name) for name in OWN_FILTER}


class PeriodCounts(Mapping[str, int]):
    """Rolled-up counts per period key of one bitmap, computed on first read of each key.

    A year's count is one AND with the union of its periods: a page reads the few keys it shows
    (years, then the months or days of one or two of them), never every day of the index.
    """

    def __init__(self, view: fc.FacetView, bits: int) -> None:
        self._view, self._bits = view, bits
        self._done: dict[str, int] = {}

    @cached_property
    def _keys(self) -> dict[str, int]:
        view = self._view
        out = {f"{y:04d}": b for y, b in view.years.items()}
        out.update({f"{y:04d}-{m:02d}": b for (y, m), b in view.months.items()})
        out.update({d.isoformat(): b for d, b in view.days.items()})
        out[UNKNOWN_PERIOD] = view.undated
        return out

    def __getitem__(self, key: str) -> int:
        n = self._done.get(key)
        if n is None:
            n = self._done[key] = (self._keys[key] & self._bits).bit_count()
        return n

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class WhooshReader:
    """The seam's Reader over one snapshot; valid only while the backend's lock is held."""

    def __init__(self, snap: Snapshot, settings: Settings) -> None:
        self.snap = snap
        self.settings = settings
        # Stored fields of the hits just returned: the service asks for those articles next.
        self._stored: dict[str, dict[str, Any]] = {}

    def doc_count(self) -> int:
        return self.snap.searcher.doc_count()

    def _id_bits(self, ids: tuple[str, ...]) -> int:
        """Return the bitmap of these article ids' documents, kept per index version."""
        kept = self.snap.id_filters.get(ids)
        if kept is not MISSING:
            return kept[1]  # type: ignore[index]
        found = (self.snap.searcher.document_number(id=i) for i in ids)
        bits = from_ids(d for d in found if d is not None)
        self.snap.id_filters.put(ids, (len(ids), bits))
        return bits

    # -- search -------------------------------------------------------------------------------

    def search(self, query: Query) -> Matches:
        snap, view = self.snap, self.snap.view
        compiler = Compiler(snap.searcher, view.values, self.settings, view.folded)
        if query.node is None:
            q = None
        elif query.mode == "any":
            q = compiler.any(query.node)
        else:
            q = compiler.compile(query.node)
        filters = fc.filter_bits(view, query.filters)
        if query.filters.ids:
            filters["ids"] = self._id_bits(query.filters.ids)
        if query.filters.stories:
            # A story's copies are a handful of documents: its key's postings, not a facet bitmap.
            searcher = snap.searcher
            filters["stories"] = from_ids(d for key in query.filters.stories
                                          for d in searcher.docs_for_query(wq.Term("story", key)))
        allowed = fc.combine(view, filters)
        want = query.offset + query.limit
        scored = query.sort == "relevance" and q is not None
        gate = allowed if allowed != view.live else None
        stopped = late = False
        top: list[tuple[float, int]] = []
        if query.node is None:
            match = view.live
        elif q is None:
            match, stopped = 0, True
        else:
            got = collect(snap.searcher, q, want=want if scored else 0, allowed=gate,
                          deadline=query.deadline, score=scored)
            match, top, late = got.bits & view.live, got.top, got.timed_out
        result = match & allowed
        total = result.bit_count()
        if not total or query.offset >= total or query.limit <= 0:
            ranked: list[tuple[int, float]] = []
        elif scored:
            ranked = [(d, s) for s, d in top[query.offset:want]]
        else:
            ids = fc.by_date(view, result, newest=query.sort != "oldest", limit=want)
            ranked = [(d, 0.0) for d in ids[query.offset:]]
        hits = []
        for d, score in ranked:
            stored = snap.searcher.stored_fields(d)
            self._stored[stored["id"]] = stored
            hits.append(Scored(stored["id"], score, stored.get("story") or ""))
        counts: dict[str, Mapping[str, int]] = {}
        for name in query.facets:
            base = match & fc.combine(view, filters, _SKIP[name])
            if name == "period":
                counts[name] = PeriodCounts(view, base)
            else:
                counts[name] = view.count(name, base)
        return Matches(total=total, hits=hits, facets=counts,
                       periods=PeriodCounts(view, result) if query.periods else {},
                       timed_out=late, stopped=stopped)

    # -- stored articles ----------------------------------------------------------------------

    def _fields(self, article_id: str) -> dict[str, Any] | None:
        stored = self._stored.get(article_id)
        if stored is None:
            docnum = self.snap.searcher.document_number(id=article_id)
            if docnum is None:
                return None
            stored = self.snap.searcher.stored_fields(docnum)
        return stored

    def articles(self, ids: Sequence[str]) -> list[Article]:
        out = []
        for article_id in ids:
            stored = self._fields(article_id)
            if stored is not None:
                out.append(from_stored(stored))
        return out

    def similar(self, article_id: str, limit: int) -> list[Scored]:
        searcher = self.snap.searcher
        docnum = searcher.document_number(id=article_id)
        if docnum is None:
            raise NotFound(f"no article with id {article_id!r}")
        # What Whoosh's more_like() asks (the body's 12 key terms, Bo1, as an Or of boosted
        # terms, the article itself left out), answered by the fast path with the same scores:
        # Whoosh's matchers took 150-700 ms of CPU per article page at 209,473 articles.
        terms = searcher.key_terms([docnum], "body", numterms=12, normalize=False)
        q = wq.Or([wq.Term("body", word, boost=weight) for word, weight in terms])
        got = collect(searcher, q, want=limit, allowed=self.snap.view.live & ~(1 << docnum),
                      deadline=math.inf)
        out = []
        for score, d in got.top:
            stored = searcher.stored_fields(d)
            self._stored[stored["id"]] = stored
            out.append(Scored(stored["id"], score, stored.get("story") or ""))
        return out

    # -- vocabulary ---------------------------------------------------------------------------

    def doc_frequency(self, word: str) -> int:
        return self.snap.searcher.reader().doc_frequency("spell", word)

    def spelling(self, word: str, limit: int, max_distance: int) -> list[str]:
        corrector = self.snap.searcher.corrector("spell")
        return list(corrector.suggest(word, limit=limit, maxdist=max_distance))

    # -- sources ------------------------------------------------------------------------------

    def sources(self) -> list[SourceStats]:
        return self.snap.view.sources

