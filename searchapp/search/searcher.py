"""Own one Whoosh searcher per process: open it lazily, refresh it when a commit lands.

shared/WHOOSH.md: a searcher per query costs 6x at 100k documents, so one is kept and refreshed;
a refresh or open can hit a TOC file a concurrent commit just removed (FileNotFoundError), which
is retried. A full rebuild publishes a new generation: the holder notices CURRENT changed and
switches, closing the old searcher only when no query is using it (the caller's lock).
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from searchapp.errors import IndexUnavailable
from searchapp.indexing import generations as gens
from searchapp.indexing import whoosh_backend as wb
from searchapp.languages import language_name
from searchapp.search.bitmaps import BitmapCache
from searchapp.search.facets import FacetView

RETRIES = 5


def _weighting() -> Any:
    try:
        from searchapp.search.ranking import weighting
    except ImportError:  # pragma: no cover - ranking.py is owned by helper "relevance"
        from whoosh.scoring import BM25F
        return BM25F()
    return weighting()


@dataclass
class Snapshot:
    """One consistent view of the index: the searcher and its facet bitmaps."""

    generation: Path
    searcher: Any
    view: FacetView
    opened: float


class SearcherHolder:
    """Keep the live generation's searcher and facet view fresh; not thread-safe by itself."""

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        self._ix: Any = None
        self._snap: Snapshot | None = None
        self._cache = BitmapCache()

    def get(self) -> Snapshot:
        """Return a snapshot of the latest committed index, opening or refreshing as needed."""
        gen = gens.current(self.index_dir)
        if gen is None:
            raise IndexUnavailable(f"no index in {self.index_dir}: run `searchapp reindex`")
        snap = self._snap
        if snap is None or snap.generation != gen:
            try:
                self._open(gen)
            except IndexUnavailable:
                # A full rebuild may have switched and removed `gen` while we opened it.
                newer = gens.current(self.index_dir)
                if newer is None or newer == gen:
                    raise
                self._open(newer)
        elif not self._up_to_date(snap.searcher):
            self._refresh()
        assert self._snap is not None
        return self._snap

    def _up_to_date(self, searcher: Any) -> bool:
        for attempt in range(RETRIES):
            try:
                return searcher.up_to_date()
            except FileNotFoundError:
                time.sleep(0.01 * (attempt + 1))
        return False

    def _open(self, gen: Path) -> None:
        ix = wb.open_index(gen)
        try:
            searcher = self._retry(lambda: ix.searcher(weighting=_weighting()))
        except IndexUnavailable:
            ix.close()
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged segment raises what reading it does
            ix.close()
            raise IndexUnavailable(f"the index in {gen} is damaged ({type(exc).__name__}: {exc}): "
                                   "run `searchapp reindex`") from exc
        self.close()
        self._ix = ix
        self._snap = self._snapshot(gen, searcher)

    def _refresh(self) -> None:
        assert self._snap is not None
        old = self._snap
        # Not old.searcher.refresh(): whoosh3 3.54 reuses segment readers by segment id there,
        # so it keeps a segment's old deletions and adds back segments a merge removed (deleted
        # articles stay, merged ones show twice, their files stay open). A fresh reader of the
        # latest TOC costs one open per commit (tests/test_reliability_concurrency.py).
        searcher = self._retry(lambda: self._ix.searcher(weighting=_weighting()))
        self._snap = self._snapshot(old.generation, searcher)
        old.searcher.close()

    def _snapshot(self, gen: Path, searcher: Any) -> Snapshot:
        live, values = self._cache.global_view(searcher)
        labels = {"source": _source_labels(searcher, values.get("source", {})),
                  "language": {code: language_name(code) for code in values.get("language", {})}}
        return Snapshot(gen, searcher, FacetView(live, values, labels), time.time())

    def _retry(self, fn: Any) -> Any:
        for attempt in range(RETRIES):
            try:
                return fn()
            except FileNotFoundError:
                time.sleep(0.02 * (attempt + 1))
        try:
            return fn()
        except FileNotFoundError as exc:
            raise IndexUnavailable(f"the index in {self.index_dir} kept changing: {exc}") from exc

    def last_commit(self) -> float | None:
        """Return the modification time of the live generation's newest TOC file."""
        snap = self._snap
        if snap is None:
            return None
        tocs = [p for p in os.scandir(snap.generation) if p.name.endswith(".toc")]
        return max((p.stat().st_mtime for p in tocs), default=None)

    def close(self) -> None:
        """Close the searcher and index (safe to call twice)."""
        if self._snap is not None:
            self._snap.searcher.close()
            self._snap = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None


def _source_labels(searcher: Any, sources: dict[str, int]) -> dict[str, str]:
    """Return source -> display name, read from one stored document of each source."""
    from searchapp.search.bitmaps import to_ids
    out = {}
    for name, bits in sources.items():
        first = next(to_ids(bits), None)
        stored = searcher.stored_fields(first) if first is not None else {}
        out[name] = stored.get("source_name") or name
    return out
