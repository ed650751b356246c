"""The JSON API: the same parameters as the pages, the same errors as JSON, described in OpenAPI."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from searchapp.web import downloads, markup, params, sources as sources_report
from searchapp.web.caching import no_store
from searchapp.web.links import Links
from searchapp.web.openapi import document
from searchapp.web.request import check_id, get_engine, get_health, get_settings

bp = Blueprint("api", __name__)


def _hit_links(hit: dict[str, Any]) -> dict[str, Any]:
    hit["snippet_text"] = markup.plain_text(hit.get("snippet"))
    hit["links"] = {"html": url_for("views.article", article_id=hit["id"]),
                    "api": url_for("api.article", article_id=hit["id"])}
    if hit.get("story"):   # every copy of its story (syndicated copies), oldest first
        hit["links"]["copies"] = url_for("api.search", story=hit["story"], sort="oldest")
    return hit


@bp.get("/api/search")
def search() -> Response:
    """Answer a search as JSON: hits, facets, timeline, suggestion, notes, paging links."""
    settings = get_settings()
    req = params.parse_args(request.args, settings)
    empty = params.empty_range(req)
    page = params.empty_page(req, empty) if empty else get_engine().search(req)
    links = Links(req, settings, path="/api/search")
    if page.partial:
        no_store()
    out = page.to_json()
    out["hits"] = [_hit_links(h) for h in out["hits"]]
    out["links"] = {
        "self": links.url(),
        "html": links.url(path="/search"),
        "next": links.page(req.page + 1) if req.page < page.pages else None,
        "prev": links.page(req.page - 1) if req.page > 1 else None,
    }
    return jsonify(out)


@bp.get("/api/export")
def export() -> Response:
    """Return every result of a search (up to export_max_rows) as CSV or JSON lines."""
    return downloads.respond()


@bp.get("/api/articles/<path:article_id>")
def article(article_id: str) -> Response:
    """Return one article with every stored field, and a few similar ones."""
    engine = get_engine()
    art = engine.get_article(check_id(article_id))
    try:
        similar = [_hit_links(vars(h).copy()) for h in engine.more_like_this(art.id)]
    except Exception:  # noqa: BLE001 - the article is the answer; similar ones are extra
        similar = []
    return jsonify({"article": art.to_json(), "more_like_this": similar,
                    "links": {"html": url_for("views.article", article_id=art.id)}})


@bp.get("/api/sources")
def sources() -> Response:
    """Return each source's counts and date range, and the last reindex's problem files."""
    report = sources_report.load(get_settings().index_dir)
    problems = [p for items in report.problems.values() for p in items]
    groups = {source: [g.to_json() for g in items] for source, items in report.groups.items()}
    return jsonify({"sources": get_engine().sources(), "last_reindex": report.last_run,
                    "files": report.counts, "problems": problems, "groups": groups,
                    "warnings": [w for items in report.warned.values() for w in items]})


@bp.get("/api/openapi.json")
def openapi() -> Response:
    """Return the OpenAPI 3 description of this API."""
    return jsonify(document(get_settings()))


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Say whether an index is being served: 200 with its generation and size, else 503."""
    health = get_health()
    status = 200 if health.get("ok") else 503
    word = "unavailable" if status != 200 else "degraded" if health.get("degraded") else "ok"
    return jsonify({"status": word, **health}), status
