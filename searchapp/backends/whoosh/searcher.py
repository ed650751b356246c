"""Own one Whoosh searcher per process: open it lazily, refresh it when a commit lands.

shared/WHOOSH.md: a searcher per query costs 6x at 100k documents, so one is kept and refreshed;
a refresh or open can hit a TOC file a concurrent commit just removed (FileNotFoundError), which
is retried (toc.py). A full rebuild publishes a new generation: the holder notices CURRENT changed and
switches, closing the old searcher only when no query is using it (the caller's lock).
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchapp.backends.whoosh import generations as gens
from searchapp.backends.whoosh import writer as wb
from searchapp.backends.whoosh.bitmaps import BitmapCache
from searchapp.backends.whoosh.facets import FacetView
from searchapp.backends.whoosh.lru import LRU
from searchapp.backends.whoosh.postings import MAX_RAW_POSTINGS, RawPostingsCache
from searchapp.backends.whoosh.ranking import weighting
from searchapp.backends.whoosh.termcache import cache_for
from searchapp.backends.whoosh.toc import retry_toc
from searchapp.errors import IndexUnavailable



ID_FILTER_BUDGET = 100_000   # ids whose bitmaps are kept per index version (a few MB at most)


def _weighting() -> Any:
    return weighting()


@dataclass
class Snapshot:
    """One consistent view of the index: the searcher and its facet bitmaps."""

    generation: Path
    searcher: Any
    view: FacetView
    opened: float
    # Filters.ids -> (how many ids, their bitmap), for this version's document numbers: saved
    # searches looking at the same arrivals ask for the same ids again and again, and each id
    # costs a term lookup (~40 us; 2,000 ids x 20 saved searches was 1.7 s of a 1.8 s /saved).
    id_filters: LRU = field(default_factory=lambda: LRU(ID_FILTER_BUDGET, size=lambda v: v[0]))


class SearcherHolder:
    """Keep the live generation's searcher and facet view fresh; not thread-safe by itself."""

    def __init__(self, index_dir: Path, budgets: dict[str, int] | None = None):
        self.index_dir = index_dir
        self._ix: Any = None
        self._snap: Snapshot | None = None
        self._cache = BitmapCache()
        # The term caches' budgets (Settings); raw postings are shared by this holder's searchers.
        budgets = dict(budgets or {})
        self._raw = RawPostingsCache(budgets.pop("raw", MAX_RAW_POSTINGS))
        self._budgets = budgets
        self._stamp_seen: tuple[str, int, int, int, int] | None = None

    def get(self) -> Snapshot:
        """Return a snapshot of the latest committed index, opening or refreshing as needed."""
        # Reading CURRENT and asking Whoosh for the newest TOC (a directory listing) on every
        # search was 8% of a server's CPU at 209k articles. Two stats say "nothing changed" when
        # the pointer file and the generation folder are as last checked; a folder changed in the
        # last second is always checked in full, since its timestamp may not move again within
        # one clock tick (the racy-timestamp rule of git's index).
        stamp = self._stamp()
        if stamp is not None and stamp == self._stamp_seen and self._snap is not None:
            return self._snap
        snap = self._get()
        self._stamp_seen = stamp if stamp is not None and stamp[0] == str(snap.generation) else None
        return snap

    def _stamp(self) -> tuple[str, int, int, int, int] | None:
        snap = self._snap
        if snap is None:
            return None
        try:
            pointer = os.stat(self.index_dir / gens.POINTER)
            folder = os.stat(snap.generation)
        except OSError:
            return None
        if time.time_ns() - max(pointer.st_mtime_ns, folder.st_mtime_ns) < 1_000_000_000:
            return None
        return (str(snap.generation), pointer.st_ino, pointer.st_mtime_ns, folder.st_ino,
                folder.st_mtime_ns)

    def _get(self) -> Snapshot:
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
            try:
                self._refresh()
            except Exception:  # noqa: BLE001 - see below
                # A full rebuild may have switched and removed `gen` since we read CURRENT: its
                # TOC is gone (Whoosh says EmptyIndexError). Open the newer one it published.
                newer = gens.current(self.index_dir)
                if newer is None or newer == gen:
                    raise
                self._open(newer)
        assert self._snap is not None
        return self._snap

    def _up_to_date(self, searcher: Any) -> bool:
        try:
            return retry_toc(searcher.up_to_date)
        except FileNotFoundError:
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
        cache_for(searcher, raw=self._raw, **self._budgets)  # made now, with the budgets
        live, values = self._cache.global_view(searcher)
        labels = {"source": _source_labels(searcher, values.get("source", {}))}
        return Snapshot(gen, searcher, FacetView(live, values, labels), time.time())

    def _retry(self, fn: Any) -> Any:
        try:
            return retry_toc(fn, pause=0.02)
        except FileNotFoundError as exc:
            raise IndexUnavailable(f"the index in {self.index_dir} kept changing: {exc}") from exc

    def is_open(self) -> bool:
        """Tell whether a searcher is open (this process serves from it)."""
        return self._snap is not None

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
    from searchapp.backends.whoosh.bitmaps import to_ids
    out = {}
    for name, bits in sources.items():
        first = next(to_ids(bits), None)
        stored = searcher.stored_fields(first) if first is not None else {}
        out[name] = stored.get("source_name") or name
    return out
