"""Date periods: an article's date at its own precision, the unit of date facets and filters.

Neutral (both sides of the seam and every backend use it): "2017-07-17", "2017-07", "2017" or
"unknown" (searchapp.backend.PERIOD_UNKNOWN).
"""
from __future__ import annotations

import datetime as dt

UNKNOWN_PERIOD = "unknown"


def period_key(published: dt.date | None, precision: str | None) -> str:
    """Return the date at its precision: "YYYY-MM-DD", "YYYY-MM", "YYYY", or "unknown"."""
    if published is None:
        return UNKNOWN_PERIOD
    if precision == "year":
        return f"{published.year:04d}"
    if precision == "month":
        return f"{published.year:04d}-{published.month:02d}"
    return f"{published.year:04d}-{published.month:02d}-{published.day:02d}"


def period_bounds(key: str) -> tuple[dt.date, dt.date] | None:
    """Return the first and last day a period key covers, or None for "unknown"."""
    if key == UNKNOWN_PERIOD:
        return None
    parts = [int(p) for p in key.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        nxt = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    day = dt.date(*parts)
    return day, day
