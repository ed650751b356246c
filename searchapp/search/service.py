"""Answer SearchRequests: the product's search policy above the backend seam.

What web and CLI call: results pages, exports (search.export) and comparisons (search.compare).
The query strategy and its notes are search.policy's, for all three; paging, "did you mean",
facet values, the timeline, hits with snippets and the article page's marks are decided here; the
backend (searchapp.backend) only matches, counts and stores. One service per
process, shared by the web server's threads: the backend's reader holds its lock while a search
uses it, and only then (issue 12): alias and place expansion (searchapp.names), spelling
candidates, facet values, the timeline and snippets are made without it.

Every part counts against `query_time_limit_s` (searchapp.search.budget): matching stops at the
deadline in the backend; partial matches, alias labels, facets, snippets and spelling each ask
the budget first, and a part left out is named in the page's note.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from typing import Any, Callable

from searchapp.backend import FACETS, Backend, Matches, MissingShard, Query, Reader, Scored, open_backend
from searchapp.config import Settings
from searchapp.errors import NotFound, QueryError, SearchAppError
from searchapp.models import Article, Copy, Hit, SearchPage, SearchRequest
from searchapp.names.aliases import AliasTable, aliases_for
from searchapp.names.expand import Expansion, expand
from searchapp.names.places import is_place_word, place_name_words
from searchapp.names.spelling import NameIndex
from searchapp.querytree import And, Not, Phrase
from searchapp.search import facets as fc
from searchapp.search import stories as stories_
from searchapp.search import suggest
from searchapp.search.budget import Budget
from searchapp.search.compare import Comparison, Counts, compare
from searchapp.search.export import Export, Ranked, start_export
from searchapp.search.policy import rank_matches, shard_notes, validate
from searchapp.search.query import ParsedQuery, parse
from searchapp.search.snippets import Matcher, highlight

SPELLING_WAIT_S = 0.5   # the first search after start waits this long at most for the word list


@dataclass
class _Found:
    """What the part of a search that reads the index found, for the parts that need no reader."""

    base: Query
    expansion: Expansion
    got: Matches
    hits: list[Scored]
    articles: dict[str, Article]
    via: dict[str, list[str]]
    notes: list[str]
    sort: str
    labels: dict[str, str] | None     # source display names, when facets are counted
    missing: tuple[MissingShard, ...] = ()   # shards that did not answer a search of the page
    copies: dict[str, stories_.StoryCopies] | None = None   # the page's stories' copies
    collapsed: bool = False
    stories: int | None = None        # stories among the matches, when collapsing counted them all
    story_pages: int | None = None    # pages of the collapsed list


class _RegionNames:
    """The region's names (gazetteer places, alias names) for spelling, rebuilt per alias table."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._names: tuple[AliasTable, NameIndex] | None = None
        self._warm: threading.Thread | None = None

    def warm(self, table: AliasTable) -> None:
        """Build the index off the request path once (the gazetteer costs ~0.5 s the first time)."""
        if self._warm is None:
            self._warm = threading.Thread(target=lambda: self.get(table), name="spelling-names",
                                          daemon=True)
            self._warm.start()

    def get(self, table: AliasTable) -> NameIndex:
        """Return the name index for this alias table (rebuilt only when the table changes)."""
        with self._lock:
            if self._names is None or self._names[0] is not table:
                self._names = (table, NameIndex(place_name_words() | table.name_words()))
            return self._names[1]


class SearchService:
    """Search the index of settings (settings.backend); safe to share between threads."""

    def __init__(self, settings: Settings, backend: Backend | None = None):
        self.settings = settings
        self.backend = backend if backend is not None else open_backend(settings)
        self._names = _RegionNames()

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
        settings = self.settings
        budget = Budget(settings.query_time_limit_s)
        parsed, table, expansion = self._prepare(req)
        with self.backend.reader() as reader:
            found = self._match(reader, req, parsed, expansion, budget)
        page = self._page(req, found, budget)
        page.missing_shards = shard_notes(found.missing)
        page.notes = _with_desk_notes(found.notes, table)
        if page.total < settings.few_results and parsed.node is not None:
            self._suggest(req, parsed, found, page, budget, table)
        note = budget.note()
        if note:
            page.notes.append(note)
        page.took_ms = round((time.perf_counter() - budget.started) * 1000, 2)
        return page

    def count(self, req: SearchRequest, budget: Budget) -> Counts:
        """Count what `req` finds, per period and per source, as its results page would: no page is made.

        The same policy as search() (all the words, then partial matches, best match for a pasted
        paragraph) decides what counts; `budget` may be shared with other counts (a comparison).
        """
        parsed, table, expansion = self._prepare(req)
        counted = budget.allows("facets")
        with self.backend.reader() as reader:
            # Only what a comparison shows is counted: sources and periods, not every facet.
            ranking = rank_matches(reader, req, parsed, expansion, budget, self.settings, start=0, want=1,
                                   facets=frozenset({"source"}) if counted else frozenset(), periods=counted)
            got = ranking.got
            labels = _labels(reader, got) if counted else {}
        sources = sorted(got.facets.get("source", {}).items(), key=lambda kv: (-kv[1], kv[0]))
        return Counts(total=got.total, periods=dict(got.periods) if counted else {},
                      sources=[(name, labels.get(name, name), n) for name, n in sources if n],
                      notes=_with_desk_notes(ranking.notes, table), missing_shards=shard_notes(ranking.missing),
                      late=got.timed_out)

    def compare(self, req: SearchRequest, queries: list[str]) -> Comparison:
        """Count each query under `req`'s filters on one timeline (searchapp.search.compare)."""
        return compare(self.count, req, queries, max_queries=self.settings.max_compare_queries,
                       limit_s=self.settings.query_time_limit_s)

    def _prepare(self, req: SearchRequest) -> tuple[ParsedQuery, AliasTable, Expansion]:
        """Check `req` against the limits, parse its query and expand its names and places."""
        settings = self.settings
        validate(req, settings)
        parsed = parse(req.query, settings)
        table = aliases_for(settings.corpus_dir)
        self._names.warm(table)
        return parsed, table, expand(parsed.node, table, limit=settings.max_expansion_terms)

    def _match(self, reader: Reader, req: SearchRequest, parsed: ParsedQuery,
               expansion: Expansion, budget: Budget) -> _Found:
        """Find the matches, their facets and the page's articles: the part that reads the index."""
        start = (req.page - 1) * req.page_size
        end = start + req.page_size
        facets = budget.allows("facets")
        # Listing one story's copies shows them all: collapsing them would leave one.
        collapsing = req.collapse and not req.stories
        window = self.settings.collapse_window
        want = min(window, 2 * end + 10) if collapsing else end
        ranking = rank_matches(reader, req, parsed, expansion, budget, self.settings,
                               start=0 if collapsing else start, want=want,
                               facets=frozenset(FACETS) if facets else frozenset(), periods=facets)
        base, got, hits = ranking.base, ranking.got, ranking.hits
        found_stories = story_pages = None
        if collapsing:
            groups = stories_.collapse(hits)
            # Read further down the ranking until this page's stories are all found (see
            # search/stories.py): each pass is one more search within the budget.
            while ((len(groups) < end or len(hits) < got.total <= stories_.COUNTED)
                   and len(hits) < got.total and want < window
                   and budget.allows("collapsing copies")):
                # all of a small result set at once (its stories are counted), else four times more
                want = min(window, got.total if got.total <= stories_.COUNTED else want * 4)
                hits = rank_matches(reader, req, parsed, expansion, budget, self.settings,
                                    start=0, want=want).hits
                groups = stories_.collapse(hits)
            if len(hits) >= got.total:
                found_stories = len(groups)
            story_pages = -(-len(groups) // req.page_size)
            hits = groups[start:end]
        articles = {a.id: a for a in reader.articles([h.id for h in hits])}
        via = self._via_aliases(reader, parsed, expansion, base, hits, budget)
        labels = _labels(reader, got) if facets else None
        copies = None
        if budget.allows("copies of each story"):
            copies = stories_.copies_of(reader, [h.story for h in hits], self.settings.copies_listed,
                                        budget.deadline)
        return _Found(base, expansion, got, hits, articles, via, ranking.notes, ranking.sort,
                      labels, ranking.missing, copies, collapsing, found_stories, story_pages)

    def rank(self, req: SearchRequest, limit: int, budget: Budget, *, partial: bool = True,
             start: int = 0) -> Ranked:
        """Return `limit` matches of `req` from the `start`-th, in the results pages' order, with the
        notes the page shows; no facets, snippets or spelling. QueryError for a request outside the
        limits. Matching stops at the budget's deadline (then `timed_out`). partial=False: only
        what matches the query itself, never the partial matches added below few_results."""
        parsed, table, expansion = self._prepare(req)
        with self.backend.reader() as reader:
            ranking = rank_matches(reader, req, parsed, expansion, budget, self.settings, start=start,
                                   want=start + limit, partial=partial)
        notes = _with_desk_notes(ranking.notes, table)
        note = budget.note()
        if note:
            notes.append(note)
        return Ranked(total=ranking.got.total, ids=[h.id for h in ranking.hits], notes=notes,
                      sort=ranking.sort, timed_out=ranking.got.timed_out, missing_shards=shard_notes(ranking.missing),
                      matcher=Matcher.for_terms(ParsedQuery(expansion.node).positive()))

    def export(self, req: SearchRequest, *, max_rows: int | None = None,
               article_url: Callable[[str], str] | None = None) -> Export:
        """Match `req` as the results pages do (up to max_rows, default export_max_rows) and
        return an Export whose rows() reads the matched articles in batches (search/export.py)."""
        return start_export(self, req, max_rows=max_rows, article_url=article_url)

    def _via_aliases(self, reader: Reader, parsed: ParsedQuery, expansion: Expansion, base: Query,
                     hits: list[Scored], budget: Budget) -> dict[str, list[str]]:
        """Return, per hit id, the alias names that found it when the query as typed did not."""
        items = expansion.aliases()
        if not items or not hits or parsed.node is None or not budget.allows("alias labels"):
            return {}
        # The query as typed, with places still expanded: what a hit would match without aliases.
        typed = expand(parsed.node, None, limit=self.settings.max_expansion_terms).node
        if typed is None:
            return {}
        page = tuple(dict.fromkeys(h.id for h in hits))
        only_page = replace(base.filters, ids=page)
        out: dict[str, list[str]] = {}
        for item in items:
            for name in item.added:
                # The page's articles this name finds that the typed query does not.
                only = reader.search(replace(base, node=And((Phrase(name, None, exact=True), Not(typed))),
                                             filters=only_page, mode="all", sort="relevance",
                                             offset=0, limit=len(page), facets=frozenset(),
                                             periods=False))
                for h in only.hits:
                    out.setdefault(h.id, []).append(name)
        return out

    def _page(self, req: SearchRequest, found: _Found, budget: Budget) -> SearchPage:
        """Build the page from what the reader found: facet values, timeline, snippets."""
        settings, got = self.settings, found.got
        if found.labels is not None:
            facets = fc.facet_values(got.facets, req, settings.facet_limit, found.labels)
            unit, buckets = fc.timeline(got.periods)
            undated = fc.undated(got.periods)
        else:
            facets, unit, buckets, undated = {}, "year", [], 0
        match = Matcher.for_terms(ParsedQuery(found.expansion.node).positive())
        empty = Matcher(frozenset())
        hits = []
        for s in found.hits:
            art = found.articles.get(s.id)
            if art is None:
                continue
            hit = self._hit(art, s.score, match if budget.allows("snippets") else empty)
            hit.via_aliases = found.via.get(s.id, [])
            _with_copies(hit, (found.copies or {}).get(hit.story), settings.copies_listed)
            hits.append(hit)
        pages = -(-got.total // req.page_size) if found.story_pages is None else found.story_pages
        return SearchPage(
            request=req, total=got.total, hits=hits, facets=facets,
            timeline=buckets, timeline_unit=unit,  # type: ignore[arg-type]
            undated_count=undated, pages=min(settings.max_page, pages),
            sort=found.sort, collapsed=found.collapsed, stories=found.stories)

    def _suggest(self, req: SearchRequest, parsed: ParsedQuery, found: _Found, page: SearchPage,
                 budget: Budget, table: AliasTable) -> None:
        """Offer a corrected query when one finds more: candidates without the reader, checks with it."""
        if not budget.allows("spelling suggestions"):
            return
        vocabulary = self.backend.vocabulary(wait=min(budget.left(), SPELLING_WAIT_S))
        names = self._names.get(table)
        proposals = suggest.propose(parsed, vocabulary, names, self.settings,
                                    lambda w: w in names or is_place_word(w) or table.lookup(w) is not None)
        if not proposals:
            return
        limit = self.settings.max_expansion_terms

        def node_of(text: str) -> Any:
            return expand(parse(text, self.settings).node, table, limit=limit).node

        with self.backend.reader() as reader:
            if not budget.allows("spelling suggestions"):
                return
            fixes = suggest.choose(proposals, reader.doc_frequency)
            if not fixes:
                return
            text = suggest.rewrite(req.query, fixes)
            more = suggest.confirm(text, node_of, reader, found.base, page.total, budget)
        if more is not None:
            page.suggestion, page.suggestion_total = text, more

    def _hit(self, art: Article, score: float, match: Matcher) -> Hit:
        """Return `art` as a results-page hit with its snippet (saved searches' pages use it too)."""
        pub = art.published
        return Hit(
            id=art.id, title=art.title, published=pub.isoformat()[:10] if pub else None,
            date_precision=art.date_precision, source=art.source, source_name=art.source_name,
            cities=art.cities, countries=art.countries, language=art.language,
            score=round(score, 4),
            snippet=highlight(art.text, match, self.settings.snippet_chars), url=art.url,
            story=art.story)

    hit = _hit

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
        settings = self.settings
        try:
            node = parse(query, settings).node
        except QueryError:
            return None
        # The other names the search used (aliases, the place in the other script) are marked too.
        expanded = expand(node, aliases_for(settings.corpus_dir), limit=settings.max_expansion_terms)
        match = Matcher.for_terms(ParsedQuery(expanded.node).positive())
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


def _with_copies(hit: Hit, found: stories_.StoryCopies | None, listed: int) -> None:
    """Give a hit its story's copy count and the first other copies (oldest first)."""
    if found is None or not found.count:
        return
    hit.copies = found.count
    hit.other_copies = [Copy(a.id, a.source, a.source_name,
                             a.published.isoformat()[:10] if a.published else None, a.title)
                        for a in found.articles if a.id != hit.id][:listed]


def _labels(reader: Reader, got: Matches) -> dict[str, str]:
    """Return the display names that label the counted sources: none when nothing was counted
    (nothing matched, or no shard answered in time)."""
    return {s.name: s.display_name for s in reader.sources()} if any(got.facets.values()) else {}


def _with_desk_notes(notes: list[str], table: AliasTable) -> list[str]:
    """Return a request's notes and, after them, the desk's alias file's problem when it has one."""
    return notes + ([table.problem] if table.problem else [])


def _health(state: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"ok": state.ok, "generation": state.generation,
                           "doc_count": state.doc_count, "last_commit": state.last_commit,
                           "version": state.version}
    if not state.ok:
        out["error"] = state.damage or "no index"
    if state.nodes:
        # A distributed backend: each node, and the shards every search now goes without.
        out["nodes"] = [{"name": n.name, "address": n.address, "ok": n.ok,
                         "shards": list(n.shards), "error": n.error} for n in state.nodes]
        out["missing_shards"] = shard_notes(state.missing)
        if state.ok and state.missing:
            out["degraded"] = True
    out.update(state.counters)
    return out
