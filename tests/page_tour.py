"""Every kind of page the desk shows, as paths on a server built by web_support.build_index.

Shared by the accessibility (axe-core) and validity (Nu Html Checker) tests, so both check the
same pages: search without and with a query, with filters (chips, selected facets), a Russian
query, no results, hostile articles, an article, a comparison and its empty form, sources, help,
a 404 and a 400.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode
from urllib.request import urlopen


def tour(base_url: str) -> dict[str, str]:
    """Return {name: path} for each kind of page, picking facet values the index really has."""
    with urlopen(base_url + "/api/search?q=csto", timeout=30) as resp:
        data = json.load(resp)
    # Filters the first hit satisfies, so the filtered page has results, chips and selections.
    first = data["hits"][0]
    filters = [("q", "csto"), ("source", first["source"])]
    if first["countries"]:
        filters.append(("country", first["countries"][0]))
    if first["published"]:
        filters.append(("year", first["published"][:4]))
    article = data["hits"][0]["links"]["html"]
    return {
        "search-empty": "/search",
        "search": "/search?q=csto",
        "search-filters": "/search?" + urlencode(filters),
        "search-undated": "/search?undated=1",
        "search-russian": "/search?" + urlencode({"q": "Минск"}),
        "search-nothing": "/search?q=zzqxv+presidnet",
        "search-hostile": "/search?q=zebrafish&size=20",
        "search-every-copy": "/search?q=zebrafish&size=20&collapse=0",
        "story": "/search?" + urlencode({"story": first["story"], "sort": "oldest"}),
        "article": article + "?q=csto",
        "compare-empty": "/compare",
        "compare": "/compare?" + urlencode([("q", "csto"), ("q", "Минск"), ("baseline", "1")]),
        "sources": "/sources",
        "help": "/help",
        "not-found": "/no/such/page",
        "bad-request": "/search?page=abc",
    }
