"""Lay out the comparison chart: one line per query over shared periods (the template draws the SVG).

Pure, as timeline.py: counts in, coordinates out, every label and link left to the template's
autoescaping. Each point is a link to that query's results narrowed to that period. Lines are
told apart by a class per series (colour and dash pattern in the stylesheet, so they can be told
apart without colour) and a marker shape per series.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from searchapp.models import TimelineBucket
from searchapp.web.timeline import HEIGHT, LEFT, PLOT_BOTTOM, PLOT_TOP, RIGHT, WIDTH, AxisLabel, label_every

MARKERS = ("circle", "square", "diamond", "triangle")


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    count: int
    href: str
    title: str             # read by screen readers and shown as a tooltip


@dataclass(frozen=True)
class Line:
    series: int            # its index: the stylesheet's class and the marker (MARKERS)
    path: str              # SVG path data through its points
    points: list[Point]


@dataclass(frozen=True)
class CompareChart:
    width: int
    height: int
    baseline: float
    lines: list[Line]
    labels: list[AxisLabel]
    max_count: int
    unit: str


def _plural(n: int) -> str:
    return f"{n:,} article" + ("" if n == 1 else "s")


def layout(buckets: Sequence[TimelineBucket], counts: Sequence[Sequence[int]], names: Sequence[str], unit: str,
           hrefs: Sequence[Sequence[str]]) -> CompareChart | None:
    """Place one line per series (counts[i][j]: series i in bucket j, its link hrefs[i][j]), scaled to the largest count.

    None when there is no period to draw.
    """
    if not buckets:
        return None
    n = len(buckets)
    top = max((c for row in counts for c in row), default=0) or 1
    slot = (WIDTH - LEFT - RIGHT) / n
    span = PLOT_BOTTOM - PLOT_TOP
    xs = [round(LEFT + (j + 0.5) * slot, 2) for j in range(n)]
    lines = []
    for i, row in enumerate(counts):
        points = [Point(x=xs[j], y=round(PLOT_BOTTOM - span * c / top, 2), count=c, href=hrefs[i][j],
                        title=f"{names[i]}, {b.label}: {_plural(c)}") for j, (b, c) in enumerate(zip(buckets, row))]
        path = " ".join(f"{'M' if j == 0 else 'L'}{p.x},{p.y}" for j, p in enumerate(points))
        lines.append(Line(series=i, path=path, points=points))
    step = label_every(n)
    labels = [AxisLabel(x=xs[j], text=b.label) for j, b in enumerate(buckets) if j % step == 0]
    return CompareChart(width=WIDTH, height=HEIGHT, baseline=PLOT_BOTTOM, lines=lines, labels=labels,
                        max_count=top, unit=unit)
