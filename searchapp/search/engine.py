"""Answer SearchRequests from the live index: hits, facets, timeline, suggestions, snippets.

One `SearchEngine` per process, shared by the web server's threads: a lock serialises use of the
one Whoosh searcher (pure-Python work holds the GIL anyway, so this costs no throughput), and
`close()` releases it. Whoosh calls stay in searchapp/search and searchapp/indexing.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

from searchapp.config import Settings
from searchapp.errors import NotFound, QueryError
from searchapp.indexing.analysis import fold, is_stopword
from searchapp.indexing.schema import from_stored
from searchapp.models import Article, Hit, SearchPage, SearchRequest
from searchapp.search import facets as fc
from searchapp.search.collect import collect
from searchapp.search.compile import Compiler
from searchapp.search.query import Phrase, Term, parse
from searchapp.search.searcher import SearcherHolder, Snapshot
from searchapp.search.snippets import Matcher, highlight
from searchapp.search.suggest import suggest


def validate(req: SearchRequest, settings: Settings) -> None:
    """Raise QueryError when a request breaks a limit or names an impossible date."""
    if not 1 <= req.page <= settings.max_page:
        raise QueryError(f"page must be between 1 and {settings.max_page}")
    if not 1 <= req.page_size <= settings.max_page_size:
        raise QueryError(f"page size must be between 1 and {settings.max_page_size}")
    if req.sort not in ("relevance", "newest", "oldest"):
        raise QueryError("sort must be relevance, newest or oldest")
    if req.month is not None and (req.year is None or not 1 <= req.month <= 12):
        raise QueryError("month must be 1-12 and needs a year")
    if req.day is not None:
        if req.month is None:
            raise QueryError("day needs a year and a month")
        try:
            dt.date(req.year, req.month, req.day)  # type: ignore[arg-type]
        except ValueError as exc:
            raise QueryError(f"no such day: {exc}") from None
    if req.date_from and req.date_to and req.date_from > req.date_to:
        raise QueryError("date_from must not be after date_to")


class SearchEngine:
    """Search the index in settings.index_dir; safe to share between threads."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._holder = SearcherHolder(settings.index_dir)
        self._lock = threading.RLock()

    def close(self) -> None:
        """Release the searcher and its files."""
        with self._lock:
            self._holder.close()

    def __enter__(self) -> "SearchEngine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- search -------------------------------------------------------------------------------

    def search(self, req: SearchRequest) -> SearchPage:
        """Answer one request; raise QueryError for a request outside the limits."""
        started = time.perf_counter()
        validate(req, self.settings)
        parsed = parse(req.query, self.settings)
        with self._lock:
            snap = self._holder.get()
            page = self._search(snap, req, parsed, started)
        page.took_ms = round((time.perf_counter() - started) * 1000, 2)
        return page

    def _search(self, snap: Snapshot, req: SearchRequest, parsed: Any, started: float) -> SearchPage:
        settings, view = self.settings, snap.view
        deadline = started + settings.query_time_limit_s
        compiler = Compiler(snap.searcher, view.values, settings)
        notes = list(parsed.notes)
        q = compiler.compile(parsed.node)
        plain = parsed.plain_words()
        # A pasted paragraph is a description, not a list of required words: no article holds
        # them all, so rank best match first (bench/relevance.py: MAP .356 -> .401 on the IR sets).
        verbose = plain is not None and len({w for w in plain if not is_stopword(fold(w))}) > settings.best_match_words
        if verbose:
            oq = compiler.partial(plain)
            if oq is not None:
                q = oq
                notes.append("A long query: articles are ranked by how many of its words they hold "
                             "and how well; not every word is required.")
        filters = fc.filter_bits(view, req)
        allowed = fc.combine(view, filters)
        start = (req.page - 1) * req.page_size
        want = start + req.page_size
        scored = req.sort == "relevance" and q is not None
        gate = allowed if allowed != view.live else None
        if parsed.node is None:
            match, top, late = view.live, [], False
        elif q is None:
            notes.append("The query holds only very common words, which are not searched.")
            match, top, late = 0, [], False
        else:
            got = collect(snap.searcher, q, want=want if scored else 0, allowed=gate,
                          deadline=deadline, score=scored)
            match, top, late = got.bits & view.live, got.top, got.timed_out
        result = match & allowed
        if plain and not verbose and len(plain) >= 2 and result.bit_count() < settings.few_results and not late:
            oq = compiler.partial(plain)
            got = collect(snap.searcher, oq, want=want + result.bit_count() if scored else 0,
                          allowed=gate, deadline=deadline, score=scored) if oq is not None else None
            if got is not None and (got.bits & allowed & view.live).bit_count() > result.bit_count():
                notes.append("No article has all the words; articles with some of them are shown."
                              if not result else "Few articles have all the words; articles with "
                              "some of them follow.")
                first = result
                match, late = got.bits & view.live, got.timed_out
                # The articles with all the words lead, then the rest by score.
                top = [t for t in got.top if first >> t[1] & 1] + \
                    [t for t in got.top if not first >> t[1] & 1]
                result = match & allowed
        if late:
            notes.append(f"The search took longer than {settings.query_time_limit_s:g} s; "
                         "results may be incomplete.")
        total = result.bit_count()
        if total == 0 or start >= total:
            ranked: list[tuple[int, float]] = []
        elif scored:
            ranked = [(d, s) for s, d in top]
        else:
            ids = fc.by_date(view, result, newest=req.sort != "oldest", limit=want)
            ranked = [(d, 0.0) for d in ids]
        hits = self._hits(snap, ranked[start:want], parsed)
        unit, buckets = fc.timeline(view, result)
        suggestion = None
        if total < settings.few_results and parsed.node is not None:
            suggestion = suggest(snap, compiler, req.query, parsed, allowed, total)
        return SearchPage(
            request=req, total=total, hits=hits,
            facets=fc.facet_counts(view, match, filters, req, settings.facet_limit),
            timeline=buckets, timeline_unit=unit,  # type: ignore[arg-type]
            undated_count=(result & view.undated).bit_count(), suggestion=suggestion,
            notes=notes, pages=min(settings.max_page, -(-total // req.page_size)))

    def _hits(self, snap: Snapshot, ranked: list[tuple[int, float]], parsed: Any) -> list[Hit]:
        positive = parsed.positive()
        match = Matcher.for_words(
            [p.text for p in positive if isinstance(p, Phrase) or not p.prefix
             if p.field in (None, "title", "body")],
            [p.text for p in positive if isinstance(p, Term) and p.prefix])
        return [self._hit(snap.searcher.stored_fields(d), score, match) for d, score in ranked]

    def _hit(self, stored: dict[str, Any], score: float, match: Matcher) -> Hit:
        iso = stored.get("published_iso")
        return Hit(
            id=stored["id"], title=stored.get("title") or "",
            published=iso[:10] if iso else None, date_precision=stored.get("date_precision"),
            source=stored.get("source") or "", source_name=stored.get("source_name") or "",
            cities=[c for c in (stored.get("city") or "").split(",") if c],
            countries=[c for c in (stored.get("country") or "").split(",") if c],
            language=stored.get("language") or "", score=round(score, 4),
            snippet=highlight(stored.get("body") or "", match, self.settings.snippet_chars),
            url=stored.get("url"))

    # -- articles -------------------------------------------------------------------------------

    def _docnum(self, snap: Snapshot, article_id: str) -> int:
        docnum = snap.searcher.document_number(id=article_id)
        if docnum is None:
            raise NotFound(f"no article with id {article_id!r}")
        return docnum

    def get_article(self, article_id: str) -> Article:
        """Return one article by id; raise NotFound when it is not in the index."""
        with self._lock:
            snap = self._holder.get()
            return from_stored(snap.searcher.stored_fields(self._docnum(snap, article_id)))

    def more_like_this(self, article_id: str, n: int = 5) -> list[Hit]:
        """Return up to n articles sharing the most telling words of this one."""
        with self._lock:
            snap = self._holder.get()
            docnum = self._docnum(snap, article_id)
            res = snap.searcher.more_like(docnum, "body", top=n, numterms=12)
            empty = Matcher(frozenset())
            return [self._hit(h.fields(), float(h.score or 0.0), empty) for h in res
                    if h.docnum != docnum][:n]

    # -- status ---------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """Return whether an index is open, its generation, size and last commit time."""
        try:
            with self._lock:
                snap = self._holder.get()
                last = self._holder.last_commit()
                return {"ok": True, "generation": snap.generation.name,
                        "doc_count": snap.searcher.doc_count(),
                        "last_commit": dt.datetime.fromtimestamp(last).isoformat(timespec="seconds")
                        if last else None}
        except Exception as exc:  # noqa: BLE001 - health reports, never raises
            return {"ok": False, "error": str(exc), "generation": None, "doc_count": 0,
                    "last_commit": None}

    def stats(self) -> dict[str, Any]:
        """Return health() plus the last reindex summary and per-field facet sizes."""
        from searchapp.indexing.reindex import last_run
        out = self.health()
        out["last_reindex"] = last_run(self.settings.index_dir)
        if out["ok"]:
            with self._lock:
                view = self._holder.get().view
                out["values"] = {f: len(v) for f, v in view.values.items()}
                out["undated"] = view.undated.bit_count()
        return out

    def sources(self) -> list[dict[str, Any]]:
        """Return per source: name, display name, article count, first and last date, undated."""
        with self._lock:
            view = self._holder.get().view
        out = []
        for name, bits in sorted(view.values.get("source", {}).items()):
            bits &= view.live
            dated = [p for p in view.periods if p[3] & bits]
            out.append({
                "name": name, "display_name": view.labels.get("source", {}).get(name, name),
                "count": bits.bit_count(),
                "date_from": dated[0][0].isoformat() if dated else None,
                "date_to": max(p[1] for p in dated).isoformat() if dated else None,
                "undated": (bits & view.undated).bit_count(),
            })
        return out
