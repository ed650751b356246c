"""The HTML pages: search, article, sources, help. Each view parses, asks the engine, renders."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, render_template, request

from searchapp.errors import NotFound, QueryError
from searchapp.web import markup, params, sources as sources_report
from searchapp.web.app import get_engine, get_settings
from searchapp.web.links import CALENDAR, LIST_FACETS, Links
from searchapp.web.timeline import layout

bp = Blueprint("views", __name__)

SORT_LABELS = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first"}
FACET_ORDER = ("year", "month", "day", "country", "city", "source", "language")
FACET_HEADINGS = {"year": "Year", "month": "Month", "day": "Day",
                  **{k: v[1] for k, v in LIST_FACETS.items()}}
MAX_ARTICLE_ID = 300


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


def _check_id(article_id: str) -> str:
    # Ids are index terms, never paths, but refuse what no id can look like before asking.
    if len(article_id) > MAX_ARTICLE_ID or any(ord(c) < 0x20 for c in article_id):
        raise NotFound("there is no article with that id")
    return article_id


def highlight_paragraphs(paragraphs: list[str], query: str) -> list[str] | None:
    """Return the paragraphs with the query's words marked, or None when there is nothing to mark.

    Uses the search layer's own query parser and highlighter, so the article page marks the
    same words the snippet did; a query outside the limits simply marks nothing.
    """
    from searchapp.names.aliases import aliases_for
    from searchapp.names.expand import expand
    from searchapp.search.query import ParsedQuery, parse
    from searchapp.search.snippets import Matcher, highlight

    if not query.strip():
        return None
    settings = get_settings()
    try:
        node = parse(query, settings).node
    except QueryError:
        return None
    # The other names the search used (aliases, the place in the other script) are marked too.
    expanded = expand(node, aliases_for(settings.corpus_dir), limit=settings.max_expansion_terms)
    positive = ParsedQuery(expanded.node).positive()
    if not positive:
        return None
    match = Matcher.for_terms(positive)
    # A window five times the paragraph keeps it whole: highlight() starts at 0 and cuts nothing.
    return [highlight(p, match, max_chars=5 * len(p) + 10) for p in paragraphs]


@bp.get("/article/<path:article_id>")
def article(article_id: str) -> str:
    """Render one article, with the query words (from ?q=) highlighted."""
    engine = get_engine()
    art = engine.get_article(_check_id(article_id))
    query = params.clean_text(request.args.get("q"))[:get_settings().max_query_chars]
    marked_body = highlight_paragraphs(art.body, query)
    marked_title = (highlight_paragraphs([art.title], query) or [None])[0]
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
