"""Lay out the hits-over-time chart: buckets in, bar geometry out (the template draws the SVG).

Pure: no markup is built here, so every label and link goes through the template's
autoescaping like the rest of the page. Each bar is a link that narrows the search to its
period: a year bucket sets year=, a month bucket year=&month=, a day bucket all three, keeping
the other filters (a from/to range still applies, so the narrowing is an intersection).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from searchapp.models import TimelineBucket

WIDTH = 720
HEIGHT = 132
PLOT_TOP = 14
PLOT_BOTTOM = 104          # bars end here; axis labels sit below
LEFT = 4
RIGHT = 4
MAX_LABELS = 8
MIN_BAR = 2                # a bucket with hits never draws thinner than this
MAX_BAR_WIDTH = 56         # a few buckets draw as bars, not as slabs
_KEY_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    slot_x: float          # the full-height hit area behind the bar (easier to click)
    slot_width: float
    href: str
    title: str             # read by screen readers and shown as a tooltip
    count: int
    label: str


@dataclass(frozen=True)
class AxisLabel:
    x: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    labels: list[AxisLabel]
    max_count: int
    unit: str


def period_changes(bucket: TimelineBucket) -> dict[str, int | None]:
    """Return the year/month/day request fields that select this bucket's period."""
    m = _KEY_RE.match(bucket.key)
    if not m:
        return {}
    year, month, day = m.group(1), m.group(2), m.group(3)
    return {"year": int(year), "month": int(month) if month else None,
            "day": int(day) if day else None}


def _plural(n: int) -> str:
    return f"{n:,} article" + ("" if n == 1 else "s")


def label_every(n: int, max_labels: int = MAX_LABELS) -> int:
    """Return the step between labelled bars so at most max_labels labels show."""
    return max(1, -(-n // max_labels))


def layout(buckets: Sequence[TimelineBucket], unit: str,
           href_for: Callable[[TimelineBucket], str]) -> Chart | None:
    """Place one bar per bucket, scaled to the largest count; None when there is nothing to draw."""
    if not buckets:
        return None
    n = len(buckets)
    top = max(b.count for b in buckets) or 1
    slot = (WIDTH - LEFT - RIGHT) / n
    gap = min(slot * 0.2, 6.0) if n > 1 else slot * 0.6
    span = PLOT_BOTTOM - PLOT_TOP
    bars: list[Bar] = []
    labels: list[AxisLabel] = []
    step = label_every(n)
    for i, b in enumerate(buckets):
        height = 0.0 if b.count == 0 else max(MIN_BAR, span * b.count / top)
        x = LEFT + i * slot
        width = min(max(slot - gap, 1.0), MAX_BAR_WIDTH)
        bars.append(Bar(x=round(x + (slot - width) / 2, 2), y=round(PLOT_BOTTOM - height, 2),
                        width=round(width, 2), height=round(height, 2),
                        slot_x=round(x, 2), slot_width=round(slot, 2), href=href_for(b),
                        title=f"{b.label}: {_plural(b.count)}", count=b.count, label=b.label))
        if i % step == 0:
            labels.append(AxisLabel(x=round(x + slot / 2, 2), text=b.label))
    return Chart(width=WIDTH, height=HEIGHT, baseline=PLOT_BOTTOM, bars=bars, labels=labels,
                 max_count=top, unit=unit)
