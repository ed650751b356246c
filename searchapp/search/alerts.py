"""Saved searches and their alerts: what newly arrived in the archive that matches each one.

A saved search's new matches are its query and filters (searchapp.search.desk_store) run with
Filters.ids restricted to the articles that arrived (searchapp.search.arrivals) after its last
look, through the same policy as its results page, except that the partial matches a page adds
below `few_results` are never counted (an alert on "gas pipeline" must not fire on every "gas").
Bounded: one look checks at most `alert_max_arrivals` arrivals, the newest; when more arrived,
the answer says how many were left unchecked rather than passing the whole archive as ids.

Counting many saved searches (the /saved page, `searchapp alerts`) shares one time budget
(query_time_limit_s), as a comparison's queries do: a saved search left when it has run out is
marked not counted instead of holding the request.

Where the arrivals come from: a Desk made with an ArrivalsWatch (the web server's) never syncs in
the caller's thread: it counts at the last sync that landed, waiting for one in progress only
within the request's budget, and says when a commit's arrivals are still being counted
(NewMatches.pending). A Desk without one (`searchapp alerts`, a batch job) syncs in line.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from searchapp.errors import SearchAppError
from searchapp.models import Article, Hit, SearchRequest
from searchapp.search.arrivals import sync
from searchapp.search.arrivals_watch import ArrivalsWatch, Look
from searchapp.search.budget import Budget
from searchapp.search.desk_store import DeskStore, SavedSearch, desk_path
from searchapp.search.service import SearchService
from searchapp.search.snippets import Matcher

NOT_COUNTED = "Not counted: the time for this page ran out before this saved search."


@dataclass
class NewMatches:
    """What arrived for one saved search since its last look, up to sync `upto`."""

    saved: SavedSearch
    upto: int                    # the sync counted to: marking seen moves the last look here
    arrivals: int = 0            # articles that arrived since the last look (any topic)
    checked: int = 0             # of which checked against the query (the newest)
    total: int = 0               # new matches among those checked
    ids: list[str] = field(default_factory=list)   # one page of them, in the saved search's order
    page: int = 1                # which page of `page_size` the ids are
    page_size: int = 10
    counted: bool = True         # False when the shared budget ran out before this one
    pending: str | None = None   # UTC time of a commit whose arrivals are still being counted
    pending_note: str | None = None   # the notice saying so (also in `notes` for one search's look)
    late: bool = False           # matching ran out of time: total may be short
    notes: list[str] = field(default_factory=list)
    matcher: Matcher | None = None   # the words a snippet marks

    @property
    def unchecked(self) -> int:
        return self.arrivals - self.checked

    def to_json(self) -> dict[str, object]:
        return {"total": self.total, "arrivals": self.arrivals, "checked": self.checked,
                "unchecked": self.unchecked, "counted": self.counted, "timed_out": self.late,
                "upto": self.upto, "page": self.page, "page_size": self.page_size, "ids": self.ids,
                "notes": self.notes, "pending_commit": self.pending}


@dataclass
class FeedEntry:
    """One article of a saved search's feed, with the time it arrived."""

    article: Article
    arrived: str     # ISO time (UTC)


class Desk:
    """The saved searches of one desk file over one search service; safe to share between threads."""

    def __init__(self, service: SearchService, store: DeskStore | None = None, *,
                 background: bool = False) -> None:
        self.service = service
        self.settings = service.settings
        self.store = store if store is not None else DeskStore(desk_path(service.settings))
        # A server's desk syncs in a thread of its own; a batch job's in line (see the docstring).
        self.watch = ArrivalsWatch(self.store, service.backend, self.settings.desk_sync_wait_share) \
            if background else None

    def sync(self) -> int:
        """Bring the arrivals up to the index's last commit in this thread; return the latest
        sync number. For batch jobs (`searchapp alerts`), never for a request: see `look`."""
        return sync(self.store, self.service.backend)

    def look(self, budget: Budget | None = None) -> Look:
        """Return the arrivals to count with: synced in line without a watch, else the last sync
        that landed (waiting for one in progress within `budget`; see ArrivalsWatch.look)."""
        if self.watch is None:
            return Look(self.sync())
        return self.watch.look(budget)

    def close(self) -> None:
        """Stop the background sync, if any (the search service is the caller's to close)."""
        if self.watch is not None:
            self.watch.close()

    def save(self, name: str, req: SearchRequest) -> SavedSearch:
        """Save `req` (its query, filters and sort) under `name`: what arrives from now on is new.

        The query is checked first (QueryError), so a saved search can always be counted. It
        starts at the last sync that landed: were a commit's arrivals still being counted after
        the wait its budget allows, they would count as new for it (never the other way round)."""
        budget = Budget(self.settings.query_time_limit_s)
        self.service.rank(replace(req, page=1, ids=()), 1, budget)
        return self.store.add(name, req, self.look(budget).seq)

    def new_matches(self, saved: SavedSearch, budget: Budget, *, limit: int = 10,
                    upto: int | None = None, page: int = 1) -> NewMatches:
        """Return what arrived for `saved` after its last look up to sync `upto` (default: now),
        its `page`-th page of `limit` listed (a page counted at one `upto` stays the same page)."""
        if upto is not None:
            return self._count(saved, budget, limit, upto, page)
        looked = self.look(budget)
        out = self._count(saved, budget, limit, looked.seq, page)
        out.pending, out.pending_note = looked.pending, looked.note()
        if out.pending_note:
            out.notes.insert(0, out.pending_note)
        return out

    def _count(self, saved: SavedSearch, budget: Budget, limit: int, upto: int, page: int) -> NewMatches:
        ids, arrivals = self.store.arrivals_after(saved.seen_seq, self.settings.alert_max_arrivals, upto=upto)
        out = NewMatches(saved=saved, upto=upto, arrivals=arrivals, checked=len(ids), page=page, page_size=limit)
        if not ids:
            return out
        try:
            # (page_size: a saved search keeps no page size, and the model's default may pass the desk's limit)
            ranked = self.service.rank(replace(saved.request, page=1, page_size=max(1, limit), ids=tuple(ids)), limit,
                                       budget, partial=False, start=(page - 1) * limit)
        except SearchAppError as exc:
            if exc.status >= 500:
                raise
            out.counted, out.notes = False, [str(exc)]
            return out
        out.total, out.ids, out.late, out.matcher = ranked.total, ranked.ids, ranked.timed_out, ranked.matcher
        # The budget's own note is the page's, said once there, not under every saved search.
        note = budget.note()
        out.notes = [n for n in ranked.notes if n != note]
        if out.late:
            out.notes.append("Counting ran out of time; the count may be short.")
        if out.unchecked:
            out.notes.append(f"{out.unchecked:,} earlier arrivals were not checked "
                             f"(at most {self.settings.alert_max_arrivals:,} per look).")
        return out

    def hits(self, got: NewMatches) -> list[Hit]:
        """Return the listed new matches as results-page hits (snippets marked as the page marks)."""
        with self.service.backend.reader() as reader:
            articles = {a.id: a for a in reader.articles(got.ids)}
        match = got.matcher or Matcher(frozenset())
        return [self.service.hit(articles[i], 0.0, match) for i in got.ids if i in articles]

    def overview(self, *, limit: int = 0) -> tuple[list[NewMatches], Budget]:
        """Count every saved search's new matches under one shared time budget."""
        budget = Budget(self.settings.query_time_limit_s)
        looked = self.look(budget)
        out = []
        for saved in self.store.list():
            if budget.left() <= 0:
                got = NewMatches(saved=saved, upto=looked.seq, counted=False, notes=[NOT_COUNTED])
            else:
                got = self.new_matches(saved, budget, limit=limit, upto=looked.seq)
            got.pending, got.pending_note = looked.pending, looked.note()
            out.append(got)
        return out, budget

    def mark_seen(self, saved_id: int, upto: int | None = None) -> SavedSearch:
        """Move a saved search's last look to sync `upto` (default: the latest that landed; the
        arrivals of a commit still being counted stay new)."""
        return self.store.mark_seen(saved_id, self.look().seq if upto is None else upto)

    def feed(self, saved: SavedSearch) -> list[FeedEntry]:
        """Return the latest matches that arrived since `saved` was saved, newest arrival first.

        Independent of "mark seen": a feed reader keeps its own record of what it has shown; one
        polling while a commit's arrivals are still being counted gets them on its next poll."""
        budget = Budget(self.settings.query_time_limit_s)
        upto = self.look(budget).seq
        ids, _ = self.store.arrivals_after(saved.created_seq, self.settings.alert_max_arrivals, upto=upto)
        if not ids:
            return []
        ranked = self.service.rank(replace(saved.request, page=1, ids=tuple(ids)), len(ids), budget,
                                   partial=False)
        times = self.store.arrival_times(ranked.ids)
        # Newest arrival first; within one arrival, the saved search's own order.
        order = {i: n for n, i in enumerate(ranked.ids)}
        chosen = sorted((i for i in ranked.ids if i in times), key=lambda i: (-times[i][0], order[i]))
        chosen = chosen[:self.settings.alert_feed_entries]
        with self.service.backend.reader() as reader:
            articles = {a.id: a for a in reader.articles(chosen)}
        return [FeedEntry(articles[i], times[i][1]) for i in chosen if i in articles]

