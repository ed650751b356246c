"""Answer SearchRequests: the product's search policy above the backend seam.

What web and CLI call. Validation, the query strategy (all the words; then partial matches when
few articles have them all; best match first for a pasted paragraph) and its notes, paging,
"did you mean", facet values, the timeline, hits with snippets and the article page's marks are
decided here; the backend (searchapp.backend) only matches, counts and stores. One service per
process, shared by the web server's threads: the backend's reader holds its lock while a search
uses it.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import fields, replace
from typing import Any

from searchapp.backend import (FACETS, SORTS, Backend, Filters, Matches, Query, Reader, Scored,
                               open_backend)
from searchapp.config import Settings
from searchapp.errors import NotFound, QueryError, SearchAppError
from searchapp.models import Article, Hit, SearchPage, SearchRequest
from searchapp.search import facets as fc
from searchapp.search.query import ParsedQuery, parse
from searchapp.search.snippets import Matcher, highlight, matcher_for
from searchapp.search.suggest import suggest
from searchapp.text import fold, is_stopword


def validate(req: SearchRequest, settings: Settings) -> None:
    """Raise QueryError when a request breaks a limit or names an impossible date."""
    if not 1 <= req.page <= settings.max_page:
        raise QueryError(f"page must be between 1 and {settings.max_page}")
    if not 1 <= req.page_size <= settings.max_page_size:
        raise QueryError(f"page size must be between 1 and {settings.max_page_size}")
    if req.sort not in SORTS:
        raise QueryError(f"sort must be {', '.join(SORTS[:-1])} or {SORTS[-1]}")
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


def filters_of(req: SearchRequest) -> Filters:
    """Return the request's filters in the seam's terms (the same names; lists as tuples)."""
    values = {f.name: getattr(req, f.name) for f in fields(Filters)}
    return Filters(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})


class SearchService:
    """Search the index of settings (settings.backend); safe to share between threads."""

    def __init__(self, settings: Settings, backend: Backend | None = None):
        self.settings = settings
        self.backend = backend if backend is not None else open_backend(settings)

    def close(self) -> None:
        """Release the backend's readers and files."""
        self.backend.close()

    def __enter__(self) -> "SearchService":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- search -------------------------------------------------------------------------------

    def search(self, req: SearchRequest) -> SearchPage:
        """Answer one request; raise QueryError for a request outside the limits."""
        started = time.perf_counter()
        validate(req, self.settings)
        parsed = parse(req.query, self.settings)
        with self.backend.reader() as reader:
            page = self._search(reader, req, parsed, started)
        page.took_ms = round((time.perf_counter() - started) * 1000, 2)
        return page

    def _search(self, reader: Reader, req: SearchRequest, parsed: ParsedQuery,
                started: float) -> SearchPage:
        settings = self.settings
        notes = list(parsed.notes)
        plain = parsed.plain_words()
        # A pasted paragraph is a description, not a list of required words: no article holds
        # them all, so rank best match first (bench/relevance.py: MAP .356 -> .401 on the IR sets).
        verbose = plain is not None and len({w for w in plain if not is_stopword(fold(w))}) > settings.best_match_words
        start = (req.page - 1) * req.page_size
        want = start + req.page_size
        base = Query(node=parsed.node, mode="any" if verbose else "all", filters=filters_of(req),
                     sort=req.sort, deadline=started + settings.query_time_limit_s,
                     facets=frozenset(FACETS), periods=True)
        partial = bool(plain and not verbose and len(plain) >= 2)
        # When partial matching may follow, the first answer must hold every all-words match
        # (fewer than few_results) so that they can lead the partial list.
        first = reader.search(_page(base, 0, max(want, settings.few_results) if partial else want))
        if verbose and not first.stopped:
            notes.append("A long query: articles are ranked by how many of its words they hold "
                         "and how well; not every word is required.")
        got, hits = first, first.hits[start:want]
        if partial and first.total < settings.few_results and not first.timed_out:
            second = reader.search(_page(base, 0, want + first.total, mode="any"))
            if second.total > first.total:
                notes.append("No article has all the words; articles with some of them are shown."
                             if not first.total else "Few articles have all the words; articles "
                             "with some of them follow.")
                got, hits = second, _lead(first, second, req.sort)[start:want]
        if got.stopped:
            notes.append("The query holds only very common words, which are not searched.")
        if got.timed_out:
            notes.append(f"The search took longer than {settings.query_time_limit_s:g} s; "
                         "results may be incomplete.")
        total = got.total
        suggestion = None
        if total < settings.few_results and parsed.node is not None:
            suggestion = suggest(reader, req.query, parsed, base, total, settings)
        labels = {s.name: s.display_name for s in reader.sources()}
        unit, buckets = fc.timeline(got.periods)
        return SearchPage(
            request=req, total=total, hits=self._hits(reader, hits, parsed),
            facets=fc.facet_values(got.facets, req, settings.facet_limit, labels),
            timeline=buckets, timeline_unit=unit,  # type: ignore[arg-type]
            undated_count=fc.undated(got.periods), suggestion=suggestion,
            notes=notes, pages=min(settings.max_page, -(-total // req.page_size)))

    def _hits(self, reader: Reader, ranked: list[Scored], parsed: ParsedQuery) -> list[Hit]:
        match = matcher_for(parsed)
        articles = {a.id: a for a in reader.articles([s.id for s in ranked])}
        return [self._hit(articles[s.id], s.score, match) for s in ranked if s.id in articles]

    def _hit(self, art: Article, score: float, match: Matcher) -> Hit:
        pub = art.published
        return Hit(
            id=art.id, title=art.title, published=pub.isoformat()[:10] if pub else None,
            date_precision=art.date_precision, source=art.source, source_name=art.source_name,
            cities=art.cities, countries=art.countries, language=art.language,
            score=round(score, 4),
            snippet=highlight(art.text, match, self.settings.snippet_chars), url=art.url)

    # -- articles -------------------------------------------------------------------------------

    def get_article(self, article_id: str) -> Article:
        """Return one article by id; raise NotFound when it is not in the index."""
        with self.backend.reader() as reader:
            found = reader.articles([article_id])
        if not found:
            raise NotFound(f"no article with id {article_id!r}")
        return found[0]

    def more_like_this(self, article_id: str, n: int = 5) -> list[Hit]:
        """Return up to n articles sharing the most telling words of this one."""
        with self.backend.reader() as reader:
            similar = reader.similar(article_id, n)
            empty = Matcher(frozenset())
            articles = {a.id: a for a in reader.articles([s.id for s in similar])}
            return [self._hit(articles[s.id], s.score, empty) for s in similar if s.id in articles]

    def highlight_paragraphs(self, paragraphs: list[str], query: str) -> list[str] | None:
        """Return the paragraphs with the query's words marked, or None when nothing is marked.

        The same parser and matcher as the result snippets, so the article page marks the same
        words the snippet did; a query outside the limits simply marks nothing.
        """
        if not query.strip():
            return None
        try:
            match = matcher_for(parse(query, self.settings))
        except QueryError:
            return None
        if not match.stems and not match.prefixes:
            return None
        # A window five times the paragraph keeps it whole: highlight() starts at 0 and cuts nothing.
        return [highlight(p, match, max_chars=5 * len(p) + 10) for p in paragraphs]

    # -- status ---------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """Return whether the index is served, its generation, size, last commit and counters."""
        try:
            with self.backend.reader():
                pass  # opens (or refreshes) what searches use, so its failure shows here
        except SearchAppError:
            pass      # the state below says why
        except Exception:  # noqa: BLE001 - health reports, never raises
            pass
        return _health(self.backend.state())

    def quick_health(self) -> dict[str, Any]:
        """Return the state known without waiting for a running search (a busy health check)."""
        return _health(self.backend.state(quick=True))

    def stats(self) -> dict[str, Any]:
        """Return health() plus the last reindex summary and per-facet value counts."""
        from searchapp.indexing.reports import last_run

        out = self.health()
        out["last_reindex"] = last_run(self.settings.index_dir)
        if out["ok"]:
            with self.backend.reader() as reader:
                every = reader.search(Query(limit=0, facets=frozenset(FACETS) - {"period"},
                                            periods=True))
            out["values"] = {f: len(v) for f, v in sorted(every.facets.items())}
            out["undated"] = fc.undated(every.periods)
        return out

    def sources(self) -> list[dict[str, Any]]:
        """Return per source: name, display name, article count, first and last date, undated."""
        with self.backend.reader() as reader:
            stats = reader.sources()
        return [{"name": s.name, "display_name": s.display_name, "count": s.count,
                 "date_from": s.date_from.isoformat() if s.date_from else None,
                 "date_to": s.date_to.isoformat() if s.date_to else None,
                 "undated": s.undated} for s in stats]


def _page(base: Query, offset: int, limit: int, **changes: Any) -> Query:
    return replace(base, offset=offset, limit=limit, **changes)


def _lead(first: Matches, second: Matches, sort: str) -> list[Scored]:
    """Return the partial list: articles with all the words first (by relevance), then the rest."""
    if sort != "relevance":
        return second.hits
    every = {h.id for h in first.hits}
    return [h for h in second.hits if h.id in every] + [h for h in second.hits if h.id not in every]


def _health(state: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"ok": state.ok, "generation": state.generation,
                           "doc_count": state.doc_count, "last_commit": state.last_commit,
                           "version": state.version}
    if not state.ok:
        out["error"] = state.damage or "no index"
    out.update(state.counters)
    return out
