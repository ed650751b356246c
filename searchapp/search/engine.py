"""Answer SearchRequests from the live index: hits, facets, timeline, suggestions, snippets.

One `SearchEngine` per process, shared by the web server's threads: a lock serialises use of the
one Whoosh searcher (pure-Python work holds the GIL anyway, so this costs no throughput), and
`close()` releases it. Whoosh calls stay in searchapp/search and searchapp/indexing.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from typing import Any

from searchapp.config import Settings
from searchapp.errors import NotFound, QueryError
from searchapp.indexing.analysis import fold, is_stopword
from searchapp.indexing.schema import from_stored
from searchapp.models import Article, Hit, SearchPage, SearchRequest
from searchapp.search import facets as fc
from searchapp.search.collect import collect
from searchapp.search.compile import Compiler
from searchapp.search.query import ParsedQuery, Phrase, Term, parse
from searchapp.search.searcher import SearcherHolder, Snapshot
from searchapp.names.aliases import aliases_for
from searchapp.names.expand import Expansion, expand
from searchapp.names.places import is_place_word
from searchapp.search import suggest
from searchapp.search.budget import Budget
from searchapp.search.snippets import Matcher, highlight
from searchapp.search.spelling_words import SpellingWords

HEALTH_LOCK_WAIT_S = 0.005  # health answers from the last snapshot when a search holds the lock
SPELLING_WAIT_S = 0.5   # the first search after start waits this long at most for the word list


@dataclass
class _Found:
    """What the locked part of a search found, for the parts that need no lock."""

    compiler: Compiler
    expansion: Expansion
    filters: dict[str, int]
    allowed: int
    match: int
    result: int
    total: int
    stored: list[tuple[dict[str, Any], float]]
    via: list[list[str]]
    notes: list[str]
    sort: str


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
        self._spelling = SpellingWords(lambda: aliases_for(settings.corpus_dir))
        self._health_count: tuple[str, int] | None = None

    def close(self) -> None:
        """Release the searcher and its files, and stop reading the spelling words."""
        self._spelling.close()
        with self._lock:
            self._holder.close()

    def __enter__(self) -> "SearchEngine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- search -------------------------------------------------------------------------------

    def search(self, req: SearchRequest) -> SearchPage:
        """Answer one request; raise QueryError for a request outside the limits.

        Every part counts against `query_time_limit_s` (searchapp.search.budget), and the engine
        lock is held only while the index is read: expansion, spelling candidates, facets,
        timeline and snippets run without it, so /healthz and other searches go on meanwhile.
        """
        settings = self.settings
        budget = Budget(settings.query_time_limit_s)
        validate(req, settings)
        parsed = parse(req.query, settings)
        table = aliases_for(settings.corpus_dir)
        expansion = expand(parsed.node, table, limit=settings.max_expansion_terms)
        with self._lock:
            snap = self._holder.get()
            self._spelling.watch(snap)
            found = self._match(snap, req, parsed, expansion, budget)
        page = self._page(snap, req, found, budget)
        page.notes = found.notes + ([table.problem] if table.problem else [])
        if page.total < settings.few_results and parsed.node is not None:
            self._suggest(snap, req, parsed, found, page, budget)
        note = budget.note()
        if note:
            page.notes.append(note)
        page.took_ms = round((time.perf_counter() - budget.started) * 1000, 2)
        return page

    def _match(self, snap: Snapshot, req: SearchRequest, parsed: Any, expansion: Expansion,
               budget: Budget) -> "_Found":
        """Find the matches and read the page's stored fields: the part that needs the lock."""
        settings, view = self.settings, snap.view
        compiler = Compiler(snap.searcher, view.values, settings)
        notes = list(parsed.notes) + expansion.notes
        q = compiler.compile(expansion.node)
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
        # Words to rank by: without any (no query, or only field filters) relevance means nothing,
        # so the newest come first (issue 12).
        worded = any(p.field in (None, "title", "body") for p in parsed.positive())
        scored = req.sort == "relevance" and q is not None and worded
        gate = allowed if allowed != view.live else None
        late = False
        if parsed.node is None:
            match, top = view.live, []
        elif q is None:
            notes.append("The query holds only very common words, which are not searched.")
            match, top = 0, []
        else:
            got = collect(snap.searcher, q, want=want if scored else 0, allowed=gate,
                          deadline=budget.deadline, score=scored)
            match, top, late = got.bits & view.live, got.top, got.timed_out
        result = match & allowed
        if plain and not verbose and len(plain) >= 2 and result.bit_count() < settings.few_results \
                and not late and budget.allows("partial matches"):
            oq = compiler.partial(plain)
            got = collect(snap.searcher, oq, want=want + result.bit_count() if scored else 0,
                          allowed=gate, deadline=budget.deadline, score=scored) if oq is not None else None
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
        budget.late = late
        total = result.bit_count()
        if total == 0 or start >= total:
            ranked: list[tuple[int, float]] = []
        elif scored:
            ranked = [(d, s) for s, d in top]
        else:
            ids = fc.by_date(view, result, newest=req.sort != "oldest", limit=want)
            ranked = [(d, 0.0) for d in ids]
        page_hits = ranked[start:want]
        stored = [(snap.searcher.stored_fields(d), score) for d, score in page_hits]
        via = self._via_aliases(snap, compiler, parsed, expansion, [d for d, _ in page_hits], budget)
        return _Found(compiler, expansion, filters, allowed, match, result, total, stored, via,
                      notes, "newest" if req.sort == "relevance" and not scored else req.sort)

    def _via_aliases(self, snap: Snapshot, compiler: Compiler, parsed: Any, expansion: Expansion,
                     docs: list[int], budget: Budget) -> list[list[str]]:
        """Return, per hit, the alias names that found it when the query as typed did not."""
        items = expansion.aliases()
        if not items or not docs:
            return [[] for _ in docs]
        if not budget.allows("alias labels"):
            return [[] for _ in docs]
        # The query as typed, with places still expanded: what the hit would match without aliases.
        typed = compiler.compile(expand(parsed.node, None, limit=self.settings.max_expansion_terms).node)
        bits = collect(snap.searcher, typed, want=0, allowed=None, score=False,
                       deadline=budget.deadline).bits if typed is not None else 0
        out: list[list[str]] = [[] for _ in docs]
        pending = [i for i, d in enumerate(docs) if not bits >> d & 1]
        for item in items:
            for name in item.added:
                if not pending:
                    break
                q = compiler.compile(Phrase(name, None, exact=True))
                if q is None:
                    continue
                hit = collect(snap.searcher, q, want=0, allowed=None, score=False,
                              deadline=budget.deadline).bits
                for i in pending:
                    if hit >> docs[i] & 1:
                        out[i].append(name)
        return out

    def _page(self, snap: Snapshot, req: SearchRequest, found: "_Found", budget: Budget) -> SearchPage:
        """Build the page from what the locked part found: facets, timeline, snippets (no lock)."""
        settings, view = self.settings, snap.view
        if budget.allows("facets"):
            facets = fc.facet_counts(view, found.match, found.filters, req, settings.facet_limit)
            unit, buckets = fc.timeline(view, found.result)
        else:
            facets, unit, buckets = {}, "year", []
        match = self._matcher(found.expansion)
        hits = []
        for (stored, score), via in zip(found.stored, found.via):
            snippet = match is not None and budget.allows("snippets")
            hit = self._hit(stored, score, match if snippet else None)
            hit.via_aliases = via
            hits.append(hit)
        return SearchPage(
            request=req, total=found.total, hits=hits, facets=facets,
            timeline=buckets, timeline_unit=unit,  # type: ignore[arg-type]
            undated_count=(found.result & view.undated).bit_count(),
            pages=min(settings.max_page, -(-found.total // req.page_size)), sort=found.sort)

    def _suggest(self, snap: Snapshot, req: SearchRequest, parsed: Any, found: "_Found",
                 page: SearchPage, budget: Budget) -> None:
        """Offer a corrected query when one finds more: candidates off the lock, checks under it."""
        if not budget.allows("spelling suggestions"):
            return
        table = aliases_for(self.settings.corpus_dir)
        vocabulary = self._spelling.words(wait=min(budget.left(), SPELLING_WAIT_S))
        names = self._spelling.names(table)
        proposals = suggest.propose(parsed, vocabulary, names, self.settings,
                                    lambda w: w in names or is_place_word(w) or table.lookup(w) is not None)
        if not proposals:
            return
        with self._lock:
            if self._holder.get() is not snap or not budget.allows("spelling suggestions"):
                return
            reader = snap.searcher.reader()
            fixes = suggest.choose(proposals, lambda w: reader.doc_frequency("spell", w))
            if not fixes:
                return
            text = suggest.rewrite(req.query, fixes)

            def compile_text(t: str) -> Any:
                node = parse(t, self.settings).node
                return found.compiler.compile(expand(node, table, limit=self.settings.max_expansion_terms).node)

            more = suggest.confirm(text, compile_text, snap, found.allowed, page.total, budget)
        if more is not None:
            page.suggestion, page.suggestion_total = text, more

    @staticmethod
    def _matcher(expansion: Expansion) -> Matcher:
        return Matcher.for_terms(ParsedQuery(expansion.node).positive())

    def _hit(self, stored: dict[str, Any], score: float, match: Matcher | None) -> Hit:
        iso = stored.get("published_iso")
        body = stored.get("body") or ""
        return Hit(
            id=stored["id"], title=stored.get("title") or "",
            published=iso[:10] if iso else None, date_precision=stored.get("date_precision"),
            source=stored.get("source") or "", source_name=stored.get("source_name") or "",
            cities=[c for c in (stored.get("city") or "").split(",") if c],
            countries=[c for c in (stored.get("country") or "").split(",") if c],
            language=stored.get("language") or "", score=round(score, 4),
            snippet=highlight(body, match if match is not None else Matcher(frozenset()),
                              self.settings.snippet_chars),
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
            return [self._hit(h.fields(), float(h.score or 0.0), None) for h in res
                    if h.docnum != docnum][:n]

    # -- status ---------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """Return whether an index is open, its generation, size and last commit time."""
        try:
            # A search holds the lock only while it reads the index; when one does, the snapshot
            # it reads is the live one, so health answers from it instead of queueing behind it.
            if self._lock.acquire(timeout=HEALTH_LOCK_WAIT_S):
                try:
                    snap = self._holder.get()
                    self._health_count = (snap.generation.name, snap.searcher.doc_count())
                finally:
                    self._lock.release()
            elif self._health_count is None:
                with self._lock:
                    return self.health()
            generation, count = self._health_count
            last = self._holder.last_commit()
            return {"ok": True, "generation": generation, "doc_count": count,
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
