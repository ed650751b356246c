"""Every kind of page the desk shows, as paths on a server built by web_support.build_index.

Shared by the accessibility (axe-core) and validity (Nu Html Checker) tests, so both check the
same pages: search without and with a query, with filters (chips, selected facets), a Russian
query, no results, hostile articles, an article, a comparison and its empty form, sources, help,
the saved searches and their new matches, a 404 and a 400.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode
from urllib.request import urlopen

from searchapp.config import Settings
from searchapp.models import SearchRequest
from searchapp.search.desk_store import DeskStore, NameTaken, desk_path


def _saved(settings: Settings | None) -> dict[str, str]:
    """Save two searches (one with a hostile name) as if saved before the archive arrived, so
    /saved counts new matches and /saved/<id> lists them; return their pages."""
    if settings is None:
        return {}
    store = DeskStore(desk_path(settings))
    ids = []
    for name, query in (("CSTO watch", "csto"), ('<script>alert("saved")</script> & Минск', "Минск")):
        try:
            ids.append(store.add(name, SearchRequest(query=query), 0).id)
        except NameTaken:
            ids.append(store.find(name).id)
    return {"saved": "/saved", "saved-new": f"/saved/{ids[0]}", "saved-new-hostile": f"/saved/{ids[1]}"}


def tour(base_url: str, settings: Settings | None = None) -> dict[str, str]:
    """Return {name: path} for each kind of page, picking facet values the index really has
    (with `settings`, the server's, also the saved searches' pages)."""
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
        **_saved(settings),
        "not-found": "/no/such/page",
        "bad-request": "/search?page=abc",
    }
