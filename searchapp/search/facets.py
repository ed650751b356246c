"""Facet values and timeline buckets as the user sees them, built from a backend's counts.

Pure: counts in (searchapp.backend.Matches), FacetValue and TimelineBucket lists out. The
backend counts each facet under every filter but its own; here the product chooses what to
show: the biggest values, the selected ones always, years -> months of the chosen year -> days
of the chosen month, and a timeline in years, months or days by the result's span.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from searchapp.backend import OWN_FILTER, PERIOD_UNKNOWN
from searchapp.languages import language_name
from searchapp.models import FacetValue, SearchRequest, TimelineBucket
from searchapp.periods import period_bounds

# facet -> its filter dimension (SearchRequest attribute), from the seam's table.
LIST_FACETS = {f: own[0] for f, own in OWN_FILTER.items() if f != "period"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MAX_DAY_BUCKETS = 92


def _values(counted: list[tuple[object, int]], selected: set, limit: int,
            label: Callable[[object], str], by_key: bool) -> list[FacetValue]:
    shown = [(v, n) for v, n in counted if n or v in selected]
    if by_key:
        shown.sort(key=lambda vn: vn[0])
    else:
        shown.sort(key=lambda vn: (-vn[1], str(vn[0])))
    top = shown[:limit] + [vn for vn in shown[limit:] if vn[0] in selected]
    return [FacetValue(str(v), n, label(v), v in selected) for v, n in top]


def _within(periods: Mapping[str, int], prefix: str, length: int) -> dict[str, int]:
    """Return the counts of the period keys of `length` characters that start with `prefix`."""
    return {k: periods[k] for k in periods if len(k) == length and k.startswith(prefix)}


def facet_values(counts: Mapping[str, Mapping[str, int]], req: SearchRequest, limit: int,
                 labels: Mapping[str, str]) -> dict[str, list[FacetValue]]:
    """Return the facets to show: list facets, years, and months/days of a chosen year/month."""
    out: dict[str, list[FacetValue]] = {}
    for name, attr in LIST_FACETS.items():
        label = {"source": lambda v: labels.get(v, v),  # type: ignore[misc]
                 "language": language_name}.get(name, lambda v: v)
        selected = set(getattr(req, attr))
        counted = list(counts.get(name, {}).items())
        counted += [(v, 0) for v in selected if v not in counts.get(name, {})]
        out[name] = _values(counted, selected, limit, label, by_key=False)
    periods = counts.get("period", {})
    years = [(int(k), periods[k]) for k in periods if len(k) == 4]
    out["year"] = _values(years, {req.year} - {None}, limit, str, by_key=True)
    if req.year is not None:
        months = [(int(k[5:7]), n) for k, n in _within(periods, f"{req.year:04d}-", 7).items()]
        out["month"] = _values(months, {req.month} - {None}, 12,
                               lambda m: f"{MONTHS[m - 1]} {req.year}", by_key=True)  # type: ignore[index]
        for fv in out["month"]:
            fv.value = f"{int(fv.value):02d}"
    if req.year is not None and req.month is not None:
        days = [(int(k[8:]), n) for k, n in
                _within(periods, f"{req.year:04d}-{req.month:02d}-", 10).items()]
        out["day"] = _values(days, {req.day} - {None}, 31, str, by_key=True)
    return out


def undated(periods: Mapping[str, int]) -> int:
    """Return the count of the "date unknown" bucket."""
    return periods.get(PERIOD_UNKNOWN, 0)


def timeline(periods: Mapping[str, int]) -> tuple[str, list[TimelineBucket]]:
    """Return the unit and the buckets of a result set: years, months or days by its span."""
    years = sorted(int(k) for k in periods if len(k) == 4 and periods[k])
    if not years:
        return "year", []
    if years[-1] - years[0] >= 2:
        return "year", [TimelineBucket(str(y), str(y), periods.get(f"{y:04d}", 0),
                                       f"{y:04d}-01-01", f"{y:04d}-12-31")
                        for y in range(years[0], years[-1] + 1)]
    # Only the months of the result's years and the days of its months are counted.
    spanned = tuple(f"{y:04d}-" for y in range(years[0], years[-1] + 1))
    months = sorted((int(k[:4]), int(k[5:7])) for k in periods
                    if len(k) == 7 and k.startswith(spanned) and periods[k])
    first, last = (months[0], months[-1]) if months else ((years[0], 1), (years[-1], 12))
    span = (last[0] - first[0]) * 12 + last[1] - first[1]
    if span >= 2:
        return "month", _month_buckets(periods, first, last)
    in_months = tuple(f"{y:04d}-{m:02d}-" for y, m in months)
    days = sorted(dt.date.fromisoformat(k) for k in periods
                  if len(k) == 10 and k.startswith(in_months) and periods[k])
    if not days or (days[-1] - days[0]).days >= MAX_DAY_BUCKETS:
        return "month", _month_buckets(periods, first, last)
    out = []
    day = days[0]
    while day <= days[-1]:
        out.append(TimelineBucket(day.isoformat(), f"{day.day} {MONTHS[day.month - 1]} {day.year}",
                                  periods.get(day.isoformat(), 0),
                                  day.isoformat(), day.isoformat()))
        day += dt.timedelta(days=1)
    return "day", out


def _month_buckets(periods: Mapping[str, int], first: tuple[int, int],
                   last: tuple[int, int]) -> list[TimelineBucket]:
    out = []
    y, m = first
    while (y, m) <= last:
        key = f"{y:04d}-{m:02d}"
        lo, hi = period_bounds(key)  # type: ignore[misc]
        out.append(TimelineBucket(key, f"{MONTHS[m - 1]} {y}", periods.get(key, 0),
                                  lo.isoformat(), hi.isoformat()))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
