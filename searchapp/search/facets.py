"""Filters, facet counts, the timeline and date ordering, computed on document bitmaps.

Pure: a `FacetView` (the index's facet bitmaps) and ints in, counts and buckets out. Facet counts
for one dimension use every active filter except that dimension's own, so selecting
country=Belarus still shows what the other countries would give.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from searchapp.indexing.schema import UNKNOWN_PERIOD, period_bounds
from searchapp.models import FacetValue, SearchRequest, TimelineBucket
from searchapp.search.bitmaps import to_ids, to_ids_desc

LIST_FACETS = {"source": "sources", "country": "countries", "city": "cities", "language": "languages"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MAX_DAY_BUCKETS = 92


@dataclass
class FacetView:
    """The facet bitmaps of one searcher, with the date maps derived from the period terms."""

    live: int
    values: dict[str, dict[str, int]]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @cached_property
    def periods(self) -> list[tuple[dt.date, dt.date, str, int]]:
        """Return (first day, last day, key, bitmap) of every dated period, oldest first."""
        out = []
        for key, bits in self.values.get("period", {}).items():
            bounds = period_bounds(key)
            if bounds:
                out.append((bounds[0], bounds[1], key, bits))
        return sorted(out, key=lambda p: (p[0], p[1]))

    @cached_property
    def undated(self) -> int:
        return self.values.get("period", {}).get(UNKNOWN_PERIOD, 0) & self.live

    @cached_property
    def years(self) -> dict[int, int]:
        return _group(self.periods, lambda k: len(k) >= 4, lambda k: int(k[:4]))

    @cached_property
    def months(self) -> dict[tuple[int, int], int]:
        return _group(self.periods, lambda k: len(k) >= 7, lambda k: (int(k[:4]), int(k[5:7])))

    @cached_property
    def days(self) -> dict[dt.date, int]:
        return _group(self.periods, lambda k: len(k) == 10, dt.date.fromisoformat)

    def date_range(self, start: dt.date | None, end: dt.date | None) -> int:
        """Return the documents whose whole date period lies within [start, end]."""
        lo, hi = start or dt.date.min, end or dt.date.max
        bits = 0
        for first, last, _, b in self.periods:
            if first >= lo and last <= hi:
                bits |= b
        return bits


def _group(periods, keep, key_of) -> dict:
    out: dict = {}
    for _, _, key, bits in periods:
        if keep(key):
            k = key_of(key)
            out[k] = out.get(k, 0) | bits
    return out


def _any_of(per: dict[str, int], wanted: list[str]) -> int:
    bits = 0
    for value in wanted:
        bits |= per.get(value, 0)
    return bits


def filter_bits(view: FacetView, req: SearchRequest) -> dict[str, int]:
    """Return one bitmap per active filter dimension (values of one dimension are ORed)."""
    out: dict[str, int] = {}
    for fieldname, attr in LIST_FACETS.items():
        wanted = getattr(req, attr)
        if wanted:
            out[fieldname] = _any_of(view.values.get(fieldname, {}), wanted)
    if req.day is not None and req.month is not None and req.year is not None:
        out["calendar"] = view.days.get(dt.date(req.year, req.month, req.day), 0)
    elif req.month is not None and req.year is not None:
        out["calendar"] = view.months.get((req.year, req.month), 0)
    elif req.year is not None:
        out["calendar"] = view.years.get(req.year, 0)
    if req.date_from or req.date_to:
        out["range"] = view.date_range(req.date_from, req.date_to)
    if req.undated:
        out["undated"] = view.undated
    return out


def combine(view: FacetView, filters: dict[str, int], skip: str | None = None) -> int:
    """AND the live documents with every filter except `skip`."""
    bits = view.live
    for dim, b in filters.items():
        if dim != skip:
            bits &= b
    return bits


def _values(per: dict, base: int, selected: set, limit: int, label, by_key: bool) -> list[FacetValue]:
    counted = [(v, (base & b).bit_count()) for v, b in per.items()]
    shown = [(v, n) for v, n in counted if n or v in selected]
    if by_key:
        shown.sort(key=lambda vn: vn[0])
    else:
        shown.sort(key=lambda vn: (-vn[1], str(vn[0])))
    top = shown[:limit] + [vn for vn in shown[limit:] if vn[0] in selected]
    return [FacetValue(str(v), n, label(v), v in selected) for v, n in top]


def facet_counts(view: FacetView, match: int, filters: dict[str, int], req: SearchRequest,
                 limit: int) -> dict[str, list[FacetValue]]:
    """Return the facets for a result set: each counted under every filter but its own."""
    out: dict[str, list[FacetValue]] = {}
    for fieldname, attr in LIST_FACETS.items():
        base = match & combine(view, filters, fieldname)
        labels = view.labels.get(fieldname, {})
        out[fieldname] = _values(view.values.get(fieldname, {}), base, set(getattr(req, attr)),
                                 limit, lambda v, lb=labels: lb.get(v, v), by_key=False)
    base = match & combine(view, filters, "calendar")
    out["year"] = _values(view.years, base, {req.year} - {None}, limit, str, by_key=True)
    if req.year is not None:
        months = {m: b for (y, m), b in view.months.items() if y == req.year}
        out["month"] = _values(months, base, {req.month} - {None}, 12,
                               lambda m: f"{MONTHS[m - 1]} {req.year}", by_key=True)
        for fv in out["month"]:
            fv.value = f"{int(fv.value):02d}"
    if req.year is not None and req.month is not None:
        days = {d.day: b for d, b in view.days.items() if (d.year, d.month) == (req.year, req.month)}
        out["day"] = _values(days, base, {req.day} - {None}, 31, str, by_key=True)
    return out


def timeline(view: FacetView, bits: int) -> tuple[str, list[TimelineBucket]]:
    """Return the unit and the buckets of a result set: years, months or days by its span."""
    years = sorted(y for y, b in view.years.items() if b & bits)
    if not years:
        return "year", []
    if years[-1] - years[0] >= 2:
        return "year", [TimelineBucket(str(y), str(y), (view.years.get(y, 0) & bits).bit_count(),
                                       f"{y:04d}-01-01", f"{y:04d}-12-31")
                        for y in range(years[0], years[-1] + 1)]
    months = sorted(k for k, b in view.months.items() if b & bits)
    first, last = (months[0], months[-1]) if months else ((years[0], 1), (years[-1], 12))
    span = (last[0] - first[0]) * 12 + last[1] - first[1]
    days = sorted(d for d, b in view.days.items() if b & bits)
    if span >= 2 or not days or (days[-1] - days[0]).days >= MAX_DAY_BUCKETS:
        out = []
        y, m = first
        while (y, m) <= last:
            lo, hi = period_bounds(f"{y:04d}-{m:02d}")
            out.append(TimelineBucket(f"{y:04d}-{m:02d}", f"{MONTHS[m - 1]} {y}",
                                      (view.months.get((y, m), 0) & bits).bit_count(),
                                      lo.isoformat(), hi.isoformat()))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return "month", out
    out = []
    day = days[0]
    while day <= days[-1]:
        out.append(TimelineBucket(day.isoformat(), f"{day.day} {MONTHS[day.month - 1]} {day.year}",
                                  (view.days.get(day, 0) & bits).bit_count(),
                                  day.isoformat(), day.isoformat()))
        day += dt.timedelta(days=1)
    return "day", out


def by_date(view: FacetView, bits: int, *, newest: bool, limit: int) -> list[int]:
    """Return up to `limit` documents of `bits` ordered by date (undated last)."""
    out: list[int] = []
    periods = sorted(view.periods, key=lambda p: (p[0], p[1]), reverse=newest)
    for _, _, _, pbits in periods:
        hit = pbits & bits
        if hit:
            ids = to_ids_desc(hit) if newest else to_ids(hit)
            out.extend(_take(ids, limit - len(out)))
            if len(out) >= limit:
                return out
    out.extend(_take(to_ids(view.undated & bits), limit - len(out)))
    return out


def _take(ids: Iterator[int], n: int) -> list[int]:
    out = []
    for d in ids:
        if len(out) >= n:
            break
        out.append(d)
    return out
