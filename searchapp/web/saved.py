"""Saved searches on the desk: save, list with new-match counts, the new matches, feed, and JSON.

    POST /saved                      save the search in the form (name; q and filters as /search)
    GET  /saved                      every saved search with its count of new matches
    GET  /saved/<id>                 the new matches of one (with "mark seen")
    POST /saved/<id>/seen|rename|delete
    GET  /saved/<id>/feed.atom       the latest arrivals that match it, for a feed reader
    /api/saved, /api/saved/<id>, /api/saved/<id>/seen      the same as JSON (openapi.py)

Any other request that read the index's version (its HTTP validators) hands a new commit to the
desk's background sync (`notice_commit`), so the first look after a reindex finds it synced.

The counting is the search layer's (searchapp.search.alerts). Every POST, PATCH and DELETE is
refused when it comes from another site (searchapp.web.same_origin): the desk has no accounts, so
nothing but the origin check keeps a page elsewhere from editing the desk's list.
"""
from __future__ import annotations

import threading
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, render_template, request, url_for

from searchapp.errors import NotFound, QueryError, SearchAppError
from searchapp.search.alerts import Desk, NewMatches
from searchapp.search.arrivals import commit_version
from searchapp.search.budget import Budget
from searchapp.search.desk_store import SavedSearch, default_name, desk_path, request_to_json
from searchapp.web import params
from searchapp.web.atom import feed_xml
from searchapp.web.caching import no_store
from searchapp.web.links import Links
from searchapp.web.request import get_engine, get_settings
from searchapp.web.same_origin import refuse_cross_site

bp = Blueprint("saved", __name__)
MAX_SAVED_ID = 2**62
MAX_UPTO = 10**12 - 1   # a sync number (one per index commit that changed something): far below it
_DESK = "searchapp.desk"
_NOTICED = "searchapp.desk.noticed"   # the index version this app last handed to notice_commit
_MAKING = threading.Lock()            # one desk per app, also when two first requests race
# and name; story: an alert on one story is told of each new copy of it
_BODY_KEYS = frozenset({"q", "source", "country", "city", "lang", "story", "from", "to", "sort"})


def _desk() -> Desk:
    """Return the process's desk over its search service (made once, like the service), whose
    arrivals are synced by a background thread of its own, never by a request."""
    engine = get_engine()
    desk = current_app.extensions.get(_DESK)
    if desk is None or desk.service is not engine:
        with _MAKING:
            desk = current_app.extensions.get(_DESK)
            if desk is None or desk.service is not engine:
                if desk is not None:
                    desk.close()
                desk = current_app.extensions[_DESK] = Desk(engine, background=True)  # type: ignore[arg-type]
    return desk


@bp.after_app_request
def notice_commit(response: Response) -> Response:
    """Hand a commit this request saw (the index version its validators read, searchapp.web.caching)
    to the desk's background sync, so that a reindex is synced before anyone opens /saved.

    Costs a request a comparison with the version noticed last; once per commit, a wish (and,
    in a process that has not opened the desk yet, a look whether the desk file exists: a
    search never creates one). Nothing is read from the desk and nothing waits here."""
    health = g.get("index_health")
    if not health or not health.get("ok"):
        return response
    version = commit_version(health.get("version"), health.get("generation"), health.get("last_commit"))
    app = current_app
    if app.extensions.get(_NOTICED) == version:
        return response
    app.extensions[_NOTICED] = version
    try:
        if app.extensions.get(_DESK) is None and not desk_path(get_settings()).is_file():
            return response
        _desk().watch.notice(version)   # type: ignore[union-attr]
    except SearchAppError:
        pass   # the engine closed meanwhile (shutdown): this answer is made, and no sync is due
    return response


def close_desk(app: Any) -> None:
    """Stop the app's desk's background sync, if it made one (searchapp.web.app.close_app)."""
    desk = app.extensions.pop(_DESK, None)
    if desk is not None:
        desk.close()


def _saved(saved_id: int) -> SavedSearch:
    if not 0 < saved_id < MAX_SAVED_ID:
        raise NotFound(f"there is no saved search {saved_id}")
    return _desk().store.get(saved_id)


def _new_matches(saved_id: int) -> tuple[Desk, SavedSearch, NewMatches, Budget]:
    """Count one saved search's new matches for its page or its JSON (`?page=N` of them listed;
    `?upto=S` counts at the sync a first page was counted at, so the next pages are its own)."""
    no_store()
    settings = get_settings()
    page = _page(request.args.get("page"), settings.max_page)
    upto = _upto(request.args.get("upto"))
    desk = _desk()
    saved = _saved(saved_id)
    budget = Budget(settings.query_time_limit_s)
    return desk, saved, desk.new_matches(saved, budget, limit=settings.max_page_size, upto=upto, page=page), budget


def _page(raw: str | None, last: int) -> int:
    return params.whole_number("page", raw or None, 1, last) or 1


def _upto(raw: Any) -> int | None:
    """Return the sync a count was made at, from a URL, a form or JSON (a number there)."""
    if raw in (None, ""):
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise QueryError("upto must be a whole number: the sync a count was made at")
    return params.whole_number("upto", raw, 0, MAX_UPTO)


def _links(saved: SavedSearch) -> dict[str, str]:
    search = Links(saved.request, get_settings())
    return {"search": search.url(), "new": url_for("saved.new", saved_id=saved.id),
            "feed": url_for("saved.feed", saved_id=saved.id),
            "api": url_for("saved.api_one", saved_id=saved.id)}


def _saved_json(saved: SavedSearch) -> dict[str, Any]:
    return {"id": saved.id, "name": saved.name, "created": saved.created, "request": request_to_json(saved.request),
            "links": _links(saved)}


# -- pages -----------------------------------------------------------------------------------


@bp.post("/saved")
def save() -> Response:
    """Save the search in the form under its name (default: the query), then show the list."""
    refuse_cross_site()
    req = params.parse_args(request.form, get_settings())
    name = request.form.get("name") or default_name(req.query)
    _desk().save(name, req)
    return _see_list()


@bp.get("/saved")
def listing() -> str:
    """List the saved searches, each with its count of new matches (one shared time budget)."""
    no_store()
    counted, budget = _desk().overview()
    return render_template("saved.html", rows=[(c, _links(c.saved)) for c in counted], note=budget.note(),
                           pending=_pending_note(counted), settings=get_settings())


@bp.get("/saved/<int:saved_id>")
def new(saved_id: int) -> str:
    """Show the new matches of one saved search, with a button to mark them seen."""
    desk, saved, got, budget = _new_matches(saved_id)
    return render_template("saved_new.html", got=got, hits=desk.hits(got), links=_links(saved),
                           note=budget.note(), max_page=get_settings().max_page)


@bp.post("/saved/<int:saved_id>/seen")
def seen(saved_id: int) -> Response:
    refuse_cross_site()
    _saved(saved_id)
    _desk().mark_seen(saved_id, _upto(request.form.get("upto")))
    return _see_list()


@bp.post("/saved/<int:saved_id>/rename")
def rename(saved_id: int) -> Response:
    refuse_cross_site()
    _saved(saved_id)
    _desk().store.rename(saved_id, request.form.get("name", ""))
    return _see_list()


@bp.post("/saved/<int:saved_id>/delete")
def delete(saved_id: int) -> Response:
    refuse_cross_site()
    _saved(saved_id)
    _desk().store.delete(saved_id)
    return _see_list()


@bp.get("/saved/<int:saved_id>/feed.atom")
def feed(saved_id: int) -> Response:
    """The saved search's latest matching arrivals as an Atom feed, newest arrival first."""
    no_store()   # its title is the saved search's name, which a rename changes without a commit
    saved = _saved(saved_id)
    entries = _desk().feed(saved)
    root = request.url_root.rstrip("/")
    body = feed_xml(saved, entries, self_url=root + url_for("saved.feed", saved_id=saved.id),
                    html_url=root + url_for("saved.new", saved_id=saved.id),
                    article_url=lambda i: root + url_for("views.article", article_id=i))
    return Response(body, mimetype="application/atom+xml")


def _see_list() -> Response:
    # A fixed address, never one built from the request (no open redirect).
    return Response(status=303, headers={"Location": "/saved"})


# -- JSON --------------------------------------------------------------------------------------


@bp.get("/api/saved")
def api_list() -> Response:
    counted, budget = _desk().overview()
    no_store()
    notes = [n for n in (_pending_note(counted), budget.note()) if n]
    return jsonify({"saved": [{**_saved_json(c.saved), "new": c.to_json()} for c in counted],
                    "pending_commit": counted[0].pending if counted else None, "notes": notes})


def _pending_note(counted: list[NewMatches]) -> str | None:
    """Return the notice that a commit's arrivals are still being counted (one look: the same on
    every saved search), or None."""
    return counted[0].pending_note if counted else None


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True) if request.is_json else None
    if not isinstance(data, dict):
        raise QueryError("send a JSON object (Content-Type: application/json)")
    return data


@bp.post("/api/saved")
def api_save() -> tuple[Response, int]:
    """Save a search: {"name": ..., "q": ..., and any /api/search filter}; 201 with it."""
    refuse_cross_site()
    data = _body()
    name = data.pop("name", None)
    if name is not None and not isinstance(name, str):
        raise QueryError("name must be a string")
    for key, value in data.items():
        if key not in _BODY_KEYS:
            raise QueryError(f"unknown field {key[:40]!r}: a saved search takes {', '.join(sorted(_BODY_KEYS))}")
        ok = isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        if not ok:
            raise QueryError(f"{key} must be a string or a list of strings, as in /api/search's URL")
    req = params.parse_args(params.from_mapping(data), get_settings())
    saved = _desk().save(name or default_name(req.query), req)
    return jsonify(_saved_json(saved)), 201


@bp.get("/api/saved/<int:saved_id>")
def api_one(saved_id: int) -> Response:
    """One saved search and its new matches (their articles, in its order)."""
    desk, saved, got, _ = _new_matches(saved_id)
    hits = [{"id": h.id, "title": h.title, "published": h.published, "source": h.source,
             "source_name": h.source_name, "url": h.url,
             "links": {"html": url_for("views.article", article_id=h.id),
                       "api": url_for("api.article", article_id=h.id)}} for h in desk.hits(got)]
    return jsonify({**_saved_json(saved), "new": got.to_json(), "articles": hits})


@bp.patch("/api/saved/<int:saved_id>")
def api_rename(saved_id: int) -> Response:
    refuse_cross_site()
    _saved(saved_id)
    name = _body().get("name")
    if not isinstance(name, str):
        raise QueryError("send {\"name\": \"the new name\"}")
    return jsonify(_saved_json(_desk().store.rename(saved_id, name)))


@bp.delete("/api/saved/<int:saved_id>")
def api_delete(saved_id: int) -> Response:
    refuse_cross_site()
    _saved(saved_id)
    _desk().store.delete(saved_id)
    return Response(status=204)


@bp.post("/api/saved/<int:saved_id>/seen")
def api_seen(saved_id: int) -> Response:
    """Mark the new matches seen, up to `upto` (the sync a count was made at; default: now)."""
    refuse_cross_site()
    _saved(saved_id)
    data = request.get_json(silent=True) if request.is_json else None
    upto = _upto(data.get("upto")) if isinstance(data, dict) else None
    return jsonify(_saved_json(_desk().mark_seen(saved_id, upto)))

