"""The comparison page and its JSON: several queries counted period by period, side by side.

    /compare?q=ОДКБ&q=NATO[&q=...][&baseline=1][&source=...&from=...]     the page
    /api/compare?(the same)                                                   JSON

The shared filters are the search's (params.parse_compare); the counting is the search layer's
(searchapp.search.compare). With no query yet the page shows its form and what it does.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from searchapp.models import SearchRequest
from searchapp.search.compare import Comparison, empty_comparison
from searchapp.web import params
from searchapp.web.caching import no_store
from searchapp.web.compare_chart import MARKERS, layout
from searchapp.web.links import Links
from searchapp.web.request import get_engine, get_settings

bp = Blueprint("compare", __name__)
_FILTERS_SHOWN = ("source", "country", "city", "lang", "year", "month", "day")


def _links(req: SearchRequest, queries: list[str]) -> list[Links]:
    settings = get_settings()
    return [Links(replace(req, query=q, page=1), settings) for q in queries]


@bp.get("/compare")
def page() -> str:
    """Render the comparison of the queries in the URL, or its empty form."""
    settings = get_settings()
    req, queries = params.parse_compare(request.args, settings)
    form = {"req": req, "boxes": [q for q in queries if q], "baseline": "" in queries, "settings": settings,
            "hidden": _hidden(req), "markers": MARKERS, "max_queries": settings.max_compare_queries}
    if len(queries) < 2:
        return render_template("compare.html", cmp=None, chart=None, **form)
    cmp = _compare(req, queries)
    if cmp.partial:
        no_store()
    links = _links(req, [s.query for s in cmp.series])
    # Each count's link, once: the chart's points and the table's cells share them.
    hrefs = [[lk.bar(b) for b in cmp.buckets] for lk in links]
    chart = layout(cmp.buckets, [s.counts for s in cmp.series], [s.label for s in cmp.series], cmp.unit, hrefs)
    rows = [(b, [(s.counts[j], hrefs[i][j], s.shares[j] if s.shares else None) for i, s in enumerate(cmp.series)])
            for j, b in enumerate(cmp.buckets)]
    return render_template("compare.html", cmp=cmp, chart=chart, rows=rows, searches=[lk.url() for lk in links],
                           undated=[lk.undated() for lk in links],
                           api=Links(req, settings).compare(queries, baseline=form["baseline"], path="/api/compare"),
                           **form)


def _compare(req: SearchRequest, queries: list[str]) -> Comparison:
    if (empty := params.empty_range(req)) is not None:
        # A range ending before it starts counts nothing: say how to fix it, as the search does.
        return empty_comparison(req, queries, empty, max_queries=get_settings().max_compare_queries)
    return get_engine().compare(req, queries)


def _hidden(req: SearchRequest) -> list[tuple[str, str]]:
    """Return the shared filters the form carries along (dates have fields of their own)."""
    return [(k, v) for k, v in params.to_pairs(req, get_settings()) if k in _FILTERS_SHOWN]


@bp.get("/api/compare")
def api() -> Response:
    """Answer a comparison as JSON: the periods, and per query its total and counts per period."""
    settings = get_settings()
    req, queries = params.parse_compare(request.args, settings)
    cmp = _compare(req, queries)
    out: dict[str, Any] = cmp.to_json()
    links = _links(req, [s.query for s in cmp.series])
    for s, lk in zip(out["series"], links):
        s["links"] = {"html": lk.url(), "api": lk.api_url()}
    here = Links(req, settings)
    out["links"] = {"self": here.compare(queries, baseline="" in queries, path="/api/compare"),
                    "html": here.compare(queries, baseline="" in queries)}
    if cmp.partial:
        no_store()
    return jsonify(out)
