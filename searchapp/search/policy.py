"""The product's matching policy: which articles a request finds, in which order, with which notes.

All the words first; when fewer than `few_results` articles have them all, partial matches after
them; a pasted paragraph (more than `best_match_words` telling words) best match first; no words
to rank by, newest first. A results page, an export and a comparison all count and list through
rank_matches, so they agree on every article and every note.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from typing import Any

from searchapp.backend import SORTS, Filters, Matches, MissingShard, Query, Reader, Scored
from searchapp.config import Settings
from searchapp.errors import QueryError
from searchapp.models import SearchRequest
from searchapp.names.expand import Expansion
from searchapp.search.budget import Budget
from searchapp.search.query import ParsedQuery
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
    values = {f.name: getattr(req, f.name) for f in fields(Filters) if hasattr(req, f.name)}
    return Filters(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})


@dataclass
class Ranking:
    """The ranked matches of one request under the product's policy, and its notes."""

    base: Query
    got: Matches
    hits: list[Scored]
    notes: list[str]
    sort: str
    missing: tuple[MissingShard, ...]


def rank_matches(reader: Reader, req: SearchRequest, parsed: ParsedQuery, expansion: Expansion, budget: Budget,
                 settings: Settings, *, start: int, want: int, facets: frozenset[str] = frozenset(),
                 periods: bool = False, partial: bool = True) -> Ranking:
    """Rank the matches start..want under the product's policy: all the words; then partial
    matches when few articles have them all; best match first for a pasted paragraph.

    The one place the policy lives: a results page, an export and a comparison count and list
    the same articles in the same order with the same notes. partial=False never adds the
    partial matches (a saved search's alert must not fire on every article with one of its words).
    """
    notes = list(parsed.notes) + expansion.notes
    plain = parsed.plain_words()
    # A pasted paragraph is a description, not a list of required words: no article holds
    # them all, so rank best match first (bench/relevance.py: MAP .356 -> .401 on the IR sets).
    verbose = plain is not None and len({w for w in plain if not is_stopword(fold(w))}) > settings.best_match_words
    # Words to rank by: without any (no query, or only field filters) relevance means nothing,
    # so the newest come first (issue 12).
    worded = any(p.field in (None, "title", "body") for p in parsed.positive())
    sort = "newest" if req.sort == "relevance" and not worded else req.sort
    base = Query(node=expansion.node, mode="any" if verbose else "all", filters=filters_of(req),
                 sort=sort, deadline=budget.deadline,  # type: ignore[arg-type]
                 facets=facets, periods=periods)
    partial = partial and bool(plain and not verbose and len(plain) >= 2)
    # When partial matching may follow, the first answer must hold every all-words match
    # (fewer than few_results) so that they can lead the partial list.
    first = reader.search(_page(base, 0, max(want, settings.few_results) if partial else want))
    if verbose and not first.stopped:
        notes.append("A long query: articles are ranked by how many of its words they hold "
                     "and how well; not every word is required.")
    got, hits = first, first.hits[start:want]
    missing = first.missing
    if partial and first.total < settings.few_results and not first.timed_out \
            and budget.allows("partial matches"):
        second = reader.search(_page(base, 0, want + first.total, mode="any"))
        if second.total > first.total:
            notes.append("No article has all the words; articles with some of them are shown."
                         if not first.total else "Few articles have all the words; articles "
                         "with some of them follow.")
            got, hits = second, _lead(first, second, sort)[start:want]
        missing = _union(missing, second.missing)
    if got.stopped:
        notes.append("The query holds only very common words, which are not searched.")
    budget.late = got.timed_out
    return Ranking(base, got, hits, notes, sort, missing)


def _page(base: Query, offset: int, limit: int, **changes: Any) -> Query:
    return replace(base, offset=offset, limit=limit, **changes)


def _union(a: tuple[MissingShard, ...], b: tuple[MissingShard, ...]) -> tuple[MissingShard, ...]:
    """Return the shards missing from either answer, each once (a timeout named over a "down")."""
    out = {m.name: m for m in a}
    for m in b:
        if m.name not in out or m.reason == "timed out":
            out[m.name] = m
    return tuple(out.values())


def _lead(first: Matches, second: Matches, sort: str) -> list[Scored]:
    """Return the partial list: articles with all the words first (by relevance), then the rest."""
    if sort != "relevance":
        return second.hits
    every = {h.id for h in first.hits}
    return [h for h in second.hits if h.id in every] + [h for h in second.hits if h.id not in every]


def shard_notes(missing: tuple[MissingShard, ...]) -> list[dict[str, str]]:
    """Return the shards that did not answer as the pages and the API name them ({"name", "reason"})."""
    return [{"name": m.name, "reason": m.reason} for m in missing]
