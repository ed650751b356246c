"""The Whoosh backend: the seam's Backend over index generations on disk (Settings.index_dir).

One per process, shared by the web server's threads: a lock serialises use of the one Whoosh
searcher (pure-Python work holds the GIL anyway, so this costs no throughput), and `close()`
releases it.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator

from searchapp.backend import Manifest, State
from searchapp.backends.whoosh import collect
from searchapp.backends.whoosh import generations as gens
from searchapp.backends.whoosh import writer as wb
from searchapp.backends.whoosh.batch import WhooshBatch, load_manifest
from searchapp.backends.whoosh.reader import WhooshReader
from searchapp.backends.whoosh.schema import SCHEMA_VERSION
from searchapp.backends.whoosh.searcher import SearcherHolder
from searchapp.backends.whoosh.spelling_words import SpellingWords
from searchapp.config import Settings


class WhooshBackend:
    """Search and write the Whoosh index in settings.index_dir; safe to share between threads."""

    name = "whoosh"
    schema_version = SCHEMA_VERSION

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.index_dir = settings.index_dir
        self._holder = SearcherHolder(settings.index_dir, {
            "raw": settings.postings_cache_budget, "budget": settings.term_cache_budget,
            "phrases": settings.phrase_cache_size})
        self._lock = threading.RLock()
        self._last: State | None = None
        self._spelling = SpellingWords()

    @contextlib.contextmanager
    def reader(self) -> Iterator[WhooshReader]:
        with self._lock:
            snap = self._holder.get()
            self._spelling.watch(snap)
            yield WhooshReader(snap, self.settings)

    def vocabulary(self, wait: float = 0.0) -> frozenset[str] | None:
        return self._spelling.words(wait)

    def batch(self, *, rebuild: bool = False) -> WhooshBatch:
        return WhooshBatch(self.index_dir, rebuild=rebuild)

    def manifest(self) -> Manifest:
        return load_manifest(gens.current(self.index_dir))

    def recover(self) -> list[str]:
        return gens.cleanup(self.index_dir)

    def state(self, *, quick: bool = False) -> State:
        try:
            return self._state(quick)
        except Exception as exc:  # noqa: BLE001 - state reports, it never raises
            return State(exists=False, damage=f"{type(exc).__name__}: {exc}",
                         counters=self._counters())

    def _counters(self) -> dict[str, int]:
        return {"fast_path_fallbacks": collect.fallbacks()}

    def _state(self, quick: bool) -> State:
        live = gens.current(self.index_dir)
        if live is None:
            return State(exists=False, damage=f"no index in {self.index_dir}: run `searchapp reindex`",
                         counters=self._counters())
        version = wb.schema_version(live)
        mark = gens.commit_mark(live)
        committed = (dt.datetime.fromtimestamp(mark[1]).isoformat(timespec="seconds")
                     if mark else None)
        if quick:
            last = self._last
            return State(exists=True, generation=live.name, schema_version=version,
                         damage=last.damage if last and last.generation == live.name else None,
                         doc_count=last.doc_count if last else 0, last_commit=committed,
                         counters=self._counters(), version=mark[0] if mark else None)
        with self._lock:
            if self._holder.is_open():
                # The searcher this process serves from: its refresh is the check that counts.
                try:
                    snap = self._holder.get()
                    damage, count, gen = None, snap.searcher.doc_count(), snap.generation
                except Exception as exc:  # noqa: BLE001 - reported as damage
                    damage, count, gen = f"{exc}", 0, live
            else:
                # Not serving (reindex, check): open, count and close, without the facet bitmaps.
                damage, gen = wb.damage(live), live
                count = wb.doc_count(live) if damage is None else 0
        if gen != live:
            mark = gens.commit_mark(gen)
        state = State(exists=True, generation=gen.name, schema_version=wb.schema_version(gen),
                      damage=damage, doc_count=count,
                      last_commit=(dt.datetime.fromtimestamp(mark[1]).isoformat(timespec="seconds")
                                   if mark and damage is None else None),
                      counters=self._counters(), version=mark[0] if mark else None)
        self._last = state
        return state

    def close(self) -> None:
        self._spelling.close()
        with self._lock:
            self._holder.close()
