"""The HTML pages: search, article, sources, help. Each view parses, asks the engine, renders."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, render_template, request

from searchapp.web import markup, params, sources as sources_report
from searchapp.web.caching import no_store
from searchapp.web.request import check_id, get_engine, get_settings
from searchapp.web.links import CALENDAR, LIST_FACETS, Links
from searchapp.web.timeline import layout

bp = Blueprint("views", __name__)

SORT_LABELS = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first"}
FACET_ORDER = ("year", "month", "day", "country", "city", "source", "language")
FACET_HEADINGS = {"year": "Year", "month": "Month", "day": "Day",
                  **{k: v[1] for k, v in LIST_FACETS.items()}}


def register_filters(app: Flask) -> None:
    """Make the page helpers available to every template."""
    app.add_template_filter(markup.highlighted, "highlighted")
    app.add_template_filter(markup.human_date, "human_date")
    app.add_template_filter(markup.safe_url, "safe_url")
    app.add_template_filter(markup.language_name, "language_name")
    app.add_template_global(SORT_LABELS, "SORT_LABELS")


def _facet_label(name: str, fv: Any) -> str:
    if name == "language":
        return markup.language_name(fv.value)
    return fv.label or fv.value


@bp.get("/")
@bp.get("/search")
def search() -> str:
    """Render the results page for the request in the URL."""
    settings = get_settings()
    req = params.parse_args(request.args, settings)
    empty = params.empty_range(req)
    page = params.empty_page(req, empty) if empty else get_engine().search(req)
    if page.partial:
        no_store()
    links = Links(req, settings)
    chart = layout(page.timeline, page.timeline_unit, links.bar)
    facets = [(name, FACET_HEADINGS[name],
               [(fv, _facet_label(name, fv), links.facet(name, fv)) for fv in page.facets[name]])
              for name in FACET_ORDER if page.facets.get(name)]
    first = (req.page - 1) * req.page_size + 1 if page.hits else 0
    return render_template(
        "search.html", req=req, page=page, links=links, chart=chart, facets=facets,
        chips=links.chips(), first=first, last=first + len(page.hits) - 1 if page.hits else 0,
        page_numbers=links.pages(page.pages), settings=settings, calendar=CALENDAR)


@bp.get("/article/<path:article_id>")
def article(article_id: str) -> str:
    """Render one article, with the query words (from ?q=) highlighted."""
    engine = get_engine()
    art = engine.get_article(check_id(article_id))
    query = params.clean_text(request.args.get("q"))[:get_settings().max_query_chars]
    marked_body = engine.highlight_paragraphs(art.body, query)
    marked_title = (engine.highlight_paragraphs([art.title], query) or [None])[0]
    try:
        similar = engine.more_like_this(art.id)
    except Exception:  # noqa: BLE001 - "more like this" is a nicety; the article still shows
        similar = []
    return render_template("article.html", article=art, query=query, marked_body=marked_body,
                           marked_title=marked_title, similar=similar,
                           original=markup.safe_url(art.url))


@bp.get("/sources")
def sources() -> str:
    """Render each source's counts and dates, and the files the last reindex could not use."""
    settings = get_settings()
    rows = get_engine().sources()
    report = sources_report.load(settings.index_dir)
    return render_template("sources.html", rows=rows, report=report,
                           total=sum(r["count"] for r in rows))


@bp.get("/help")
def help_page() -> str:
    """Render the query syntax help."""
    settings = get_settings()
    return render_template("help.html", settings=settings)
