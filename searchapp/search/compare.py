"""Compare queries: how many articles each finds, period by period, under the same filters.

An analyst asks "when did the press write about the CSTO, and when about NATO?": each query is
counted as its results page would count it (SearchService.count: the same words, partial-match and
alias policy), under the request's shared filters (sources, countries, languages, dates), and all
of them on one timeline, in one unit (years, months or days by the span of all of them together),
so a period's counts stand side by side. A blank query counts every article the filters keep: the
baseline a share is read against.

The queries share one time budget (query_time_limit_s), as every part of a search does: a query
left when it has run out is not counted, and says so, rather than holding the request.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from searchapp.errors import QueryError
from searchapp.models import SearchRequest, TimelineBucket
from searchapp.search import facets as fc
from searchapp.search.budget import Budget

TOP_SOURCES = 3   # sources named beside each query's total
ALL_ARTICLES = "(all articles)"   # how a blank query is named


@dataclass
class Counts:
    """What one query finds under a request's filters, counted (SearchService.count)."""

    total: int
    periods: dict[str, int]                 # the seam's rolled-up counts per period key; {} when not counted
    sources: list[tuple[str, str, int]]     # (source, display name, articles), most first
    notes: list[str]
    missing_shards: list[dict[str, str]]    # shards that did not answer, as SearchPage has them
    late: bool                              # matching ran out of time: the counts may be short


@dataclass
class Series:
    """One query's line of a comparison."""

    query: str
    total: int
    undated: int                 # articles of `total` with no known date (in no bucket)
    counts: list[int]            # articles per bucket of the comparison, in its order
    sources: list[dict[str, Any]]   # {"source", "name", "count"}, the TOP_SOURCES with most articles
    notes: list[str] = field(default_factory=list)
    missing_shards: list[dict[str, str]] = field(default_factory=list)
    counted: bool = True         # False when the budget ran out before this query was counted
    # With a baseline: this query's share of every article the filters keep, per bucket (None
    # where the baseline has none); None without a baseline, or for the baseline itself.
    shares: list[float | None] | None = None

    @property
    def label(self) -> str:
        return self.query or ALL_ARTICLES


@dataclass
class Comparison:
    """Queries counted on one timeline: `buckets` (their own count the sum of all the series')."""

    request: SearchRequest       # the shared filters (its query unused)
    unit: str                    # "year", "month" or "day"
    buckets: list[TimelineBucket]
    series: list[Series]
    took_ms: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        """Tell whether a shard of a distributed index did not answer a count (as SearchPage.partial)."""
        return any(s.missing_shards for s in self.series)

    def to_json(self) -> dict[str, Any]:
        req = self.request
        return {
            "unit": self.unit,
            "periods": [{"key": b.key, "label": b.label, "from": b.date_from, "to": b.date_to}
                        for b in self.buckets],
            "series": [{"query": s.query, "label": s.label, "total": s.total, "undated": s.undated,
                        "counts": s.counts, "sources": s.sources, "notes": s.notes,
                        "missing_shards": s.missing_shards, "counted": s.counted, "shares": s.shares}
                       for s in self.series],
            "filters": {"source": req.sources, "country": req.countries, "city": req.cities,
                        "lang": req.languages, "from": req.date_from.isoformat() if req.date_from else None,
                        "to": req.date_to.isoformat() if req.date_to else None, "year": req.year,
                        "month": req.month, "day": req.day},
            "partial": self.partial,
            "notes": self.notes,
            "took_ms": self.took_ms,
        }


def _check(req: SearchRequest, queries: Sequence[str], max_queries: int) -> None:
    if not 2 <= len(queries) <= max_queries:
        raise QueryError(f"give from 2 to {max_queries} queries to compare; got {len(queries)}")
    if req.undated:
        raise QueryError("undated=1 keeps only articles without a date, which no timeline can show; "
                         "leave it out to compare queries")


def empty_comparison(req: SearchRequest, queries: Sequence[str], note: str, *, max_queries: int) -> Comparison:
    """Return the comparison of a request that cannot match anything: every count 0, and `note`."""
    _check(req, queries, max_queries)
    return Comparison(request=req, unit="year", buckets=[], notes=[note],
                      series=[Series(query=q, total=0, undated=0, counts=[], sources=[]) for q in queries])


def compare(count: Callable[[SearchRequest, Budget], Counts], req: SearchRequest, queries: Sequence[str], *,
            max_queries: int, limit_s: float) -> Comparison:
    """Count each of `queries` under `req`'s filters and lay them on one timeline.

    Raise QueryError for fewer than two queries or more than `max_queries`, or for a filter the
    search would refuse (undated=1: a comparison is a timeline, and those articles have none).
    """
    _check(req, queries, max_queries)
    budget = Budget(limit_s)
    counted: list[tuple[str, Counts | None]] = []
    for text in queries:
        if budget.left() <= 0:
            counted.append((text, None))
            continue
        counted.append((text, count(replace(req, query=text, page=1), budget)))
    # One unit and one run of buckets for all: those of the queries' counts taken together.
    together: dict[str, int] = {}
    for _, counts in counted:
        for key, n in (counts.periods if counts else {}).items():
            together[key] = together.get(key, 0) + n
    unit, buckets = fc.timeline(together)
    series = []
    for text, counts in counted:
        if counts is None:
            series.append(Series(query=text, total=0, undated=0, counts=[0] * len(buckets), sources=[],
                                 notes=["Not counted: the comparison ran out of time before this query."],
                                 counted=False))
            continue
        notes = list(counts.notes)
        if counts.late:
            notes.append("Counting this query ran out of time; its counts may be short.")
        if counts.total and not counts.periods:
            notes.append("Its counts per period were left out for lack of time.")
        series.append(Series(
            query=text, total=counts.total, undated=fc.undated(counts.periods),
            counts=[counts.periods.get(b.key, 0) for b in buckets],
            sources=[{"source": s, "name": name, "count": n} for s, name, n in counts.sources[:TOP_SOURCES]],
            notes=notes, missing_shards=counts.missing_shards,
            counted=bool(counts.periods) or not counts.total))
    base = next((x for x in series if x.query == "" and x.counted), None)
    for x in series:
        if base is not None and x is not base and x.counted:
            x.shares = [round(c / b, 4) if b else None for c, b in zip(x.counts, base.counts)]
    note = budget.note()
    return Comparison(request=req, unit=unit, buckets=buckets, series=series, notes=[note] if note else [],
                      took_ms=round((time.perf_counter() - budget.started) * 1000, 2))
