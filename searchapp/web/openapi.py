"""Describe the JSON API as an OpenAPI 3.0 document, built from the same tables the parser uses."""
from __future__ import annotations

from typing import Any

from searchapp.config import Settings
from searchapp.search.export_formats import COLUMNS, FORMATS
from searchapp.web.params import LIST_PARAMS, SORTS
from searchapp.web.saved import MAX_UPTO

STR = {"type": "string"}
INT = {"type": "integer"}
NSTR = {"type": "string", "nullable": True}
STRS = {"type": "array", "items": STR}


def _obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        out["required"] = required
    return out


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# Exactly the dates parse_date takes: year 0001-9999, month 1-12, a day that exists in that month
# (29 February in leap years only), one- or two-digit month and day; or empty (no bound).
_YEAR = r"(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
_LEAP = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][48]|[13579][26]|[2468]0)00)"
_M31 = r"(?:0?[13578]|1[02])-(?:0?[1-9]|[12][0-9]|3[01])"
_M30 = r"(?:0?[469]|11)-(?:0?[1-9]|[12][0-9]|30)"
_FEB = r"0?2-(?:0?[1-9]|1[0-9]|2[0-8])"
DATE_PATTERN = (rf"^(?:{_YEAR}(?:-(?:0?[1-9]|1[0-2])|-(?:{_M31}|{_M30}|{_FEB}))?"
                rf"|{_LEAP}-0?2-29)?$")


def _period_schema(settings: Settings) -> dict[str, Any]:
    """Return the schema of the date parameters taken together, with the rules that bind them."""
    date = {"type": "string", "pattern": DATE_PATTERN}
    leap = {"anyOf": [{"multipleOf": 400}, {"multipleOf": 4, "not": {"multipleOf": 100}}]}
    dated = {"anyOf": [{"required": ["year"]},
                       {"required": ["from"], "properties": {"from": {"minLength": 1}}},
                       {"required": ["to"], "properties": {"to": {"minLength": 1}}}]}
    return {
        "type": "object",
        "properties": {
            "year": {"type": "integer", "minimum": 1, "maximum": 9999,
                     "description": "Calendar year."},
            "month": {"type": "integer", "minimum": 1, "maximum": 12,
                      "description": "Month; needs year."},
            "day": {"type": "integer", "minimum": 1, "maximum": 31,
                    "description": "Day; needs year and month, and must exist in that month."},
            "from": {**date, "description": "First day (YYYY-MM-DD; YYYY-MM or YYYY mean their "
                                            "first day; empty: no bound). A from after to is "
                                            "allowed and matches nothing (with a note)."},
            "to": {**date, "description": "Last day (YYYY-MM-DD; YYYY-MM or YYYY mean their "
                                          "last day; empty: no bound)."},
            "undated": {"type": "string", "enum": ["1", "0", "true", "false"],
                        "description": "1 or true: only articles whose date is unknown; not "
                                       "with year, month, day or a non-empty from or to."},
        },
        "additionalProperties": False,
        "allOf": [
            {"anyOf": [{"not": {"required": ["month"]}}, {"required": ["year"]}]},
            {"anyOf": [{"not": {"required": ["day"]}}, {"required": ["month"]}]},
            {"anyOf": [{"not": {"required": ["day"]}},
                       {"properties": {"day": {"maximum": 28}}},
                       {"properties": {"month": {"enum": [1, 3, 5, 7, 8, 10, 12]}}},
                       {"properties": {"month": {"enum": [4, 6, 9, 11]},
                                       "day": {"maximum": 30}}},
                       {"properties": {"month": {"enum": [2]}, "day": {"maximum": 29},
                                       "year": leap}}]},
            {"anyOf": [{"not": {"required": ["undated"]}},
                       {"properties": {"undated": {"enum": ["0", "false"]}}},
                       {"not": dated}]},
        ],
    }


def search_parameters(settings: Settings) -> list[dict[str, Any]]:
    """Return the query parameters of /api/search (and of the /search page)."""
    def q(name: str, schema: dict[str, Any], text: str) -> dict[str, Any]:
        return {"name": name, "in": "query", "required": False, "schema": schema,
                "description": text}

    out = [q("q", {"type": "string", "maxLength": settings.max_query_chars},
             "Query: words, \"phrases\", AND/OR/NOT, -word, field:value, prefix*. See /help. "
             f"At most {settings.max_query_terms} terms; a prefix needs at least "
             f"{settings.min_prefix_chars} letters before the *.")]
    for name, field in LIST_PARAMS.items():
        item = q(name, {"type": "array", "maxItems": settings.max_query_terms,
                        "items": {"type": "string", "maxLength": settings.max_query_chars}},
                 f"Narrow to these {field} (repeat the parameter for several; values within "
                 "one facet are ORed, facets are ANDed; empty values are ignored).")
        item.update(style="form", explode=True)
        out.append(item)
    period = q("period", _period_schema(settings),
               "The date filters, each its own query parameter (year=2017&month=7, "
               "from=2017-01-01&to=2017-06-30, undated=1).")
    period.update(style="form", explode=True)
    out += [
        period,
        q("sort", {"type": "string", "enum": list(SORTS), "default": "relevance"}, "Order."),
        q("page", {"type": "integer", "minimum": 1, "maximum": settings.max_page,
                   "default": 1}, "Page number."),
        q("size", {"type": "integer", "minimum": 1, "maximum": settings.max_page_size,
                   "default": settings.default_page_size}, "Hits per page."),
        q("collapse", {"type": "string", "enum": ["1", "0", "true", "false"], "default": "1"},
          "1 (default): one hit per story, the best-ranked of its syndicated copies, each hit "
          "with its copies; 0: every article. A story filter lists every copy."),
    ]
    return out


def compare_parameters(settings: Settings) -> list[dict[str, Any]]:
    """Return the query parameters of /api/compare (and of the /compare page)."""
    flag = {"type": "string", "enum": ["1", "0", "true", "false"]}
    queries = {"name": "q", "in": "query", "required": False, "style": "form", "explode": True,
               "schema": {"type": "array", "maxItems": settings.max_query_terms,
                          "items": {"type": "string", "maxLength": settings.max_query_chars}},
               "description": f"The queries to compare, one per q (the search's syntax). Blank ones are "
                              f"left out; 2 to {settings.max_compare_queries} are counted (with baseline, 1 "
                              f"to {settings.max_compare_queries - 1}); otherwise 400."}
    baseline = {"name": "baseline", "in": "query", "required": False, "schema": flag,
                "description": "1 or true: also count every article the filters keep (a blank query)."}
    shared = [p for p in search_parameters(settings) if p["name"] not in ("q", "sort", "page", "size", "collapse")]
    for p in shared:
        if p["name"] == "period":
            # A timeline shows dated articles only: undated is no filter of a comparison.
            schema = _period_schema(settings)
            del schema["properties"]["undated"]
            schema["allOf"] = schema["allOf"][:-1]
            p["schema"] = schema
            p["description"] = "The date filters, each its own query parameter (year=2017&month=7, from=2017-01-01&to=2017-06-30)."
    return [queries, baseline, *shared]


def export_parameters(settings: Settings) -> list[dict[str, Any]]:
    """Return the query parameters of /api/export: the search's filters and sort, and format."""
    out = [p for p in search_parameters(settings) if p["name"] not in ("page", "size", "collapse")]
    out.append({"name": "format", "in": "query", "required": False,
                "schema": {"type": "string", "enum": list(FORMATS), "default": "csv"},
                "description": "csv: UTF-8 with a byte-order mark, a header row, every cell "
                               "quoted, cells that would start a formula prefixed with '. "
                               "jsonl: one JSON object per line. Columns: "
                               + ", ".join(name for name, _ in COLUMNS) + "."})
    return out


def _export_response(settings: Settings) -> dict[str, Any]:
    def header(text: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
        return {"description": text, "schema": schema, "required": required}

    return {
        "description": f"Every result, in the search's order, at most {settings.export_max_rows} "
                       "rows. " + " ".join(f"{name}: {text}." for name, text in COLUMNS),
        "headers": {
            "Content-Disposition": header("attachment, with the file name (RFC 6266; "
                                          "filename* for a non-ASCII query).", STR, True),
            "X-Export-Total": header("Matching articles.", {"type": "integer", "minimum": 0}, True),
            "X-Export-Rows": header("Rows in this file.", {"type": "integer", "minimum": 0}, True),
            "X-Export-Truncated": header(
                "What cut the export, when something did: rows (export_max_rows), time "
                "(the search's or the export's time budget), or both, comma-separated.", STR),
            "X-Export-Partial": header("Shards of a distributed index that did not answer: "
                                       "their articles are left out.", STR),
            "X-Export-Skipped": header("Matched articles that could not be read when their "
                                       "rows were written.", {"type": "integer", "minimum": 1}),
            "X-Export-Notes": header("The notes the results page shows, as a JSON array.", STR),
        },
        "content": {FORMATS["csv"][0].split(";")[0]: {"schema": STR},
                    FORMATS["jsonl"][0]: {"schema": STR}},
    }


def _schemas() -> dict[str, Any]:
    hit = _obj({
        "id": STR, "title": STR, "published": {**NSTR, "format": "date"},
        "date_precision": {"type": "string", "enum": ["day", "month", "year"], "nullable": True},
        "source": STR, "source_name": STR, "cities": STRS, "countries": STRS, "language": STR,
        "score": {"type": "number"}, "url": NSTR,
        "snippet": {"type": "string", "description": "HTML: escaped text; query words in <mark>."},
        "snippet_text": {"type": "string", "description": "The same snippet as plain text."},
        "links": _obj({"html": STR, "api": STR, "copies": {**STR, "description": "Every copy "
                       "of the hit's story (story=<key>), oldest first."}}),
        "via_aliases": {**STRS, "description": "Other names (aliases) through which the hit was "
                        "found when the query as typed does not match it; empty otherwise."},
        # Syndicated copies (README "Syndicated copies").
        "story": {**STR, "description": "The story key every copy of this article shares; "
                  "story=<key> lists them all."},
        "copies": {"type": "integer", "minimum": 1, "description": "Articles of this story in "
                   "the index, this one included."},
        "other_copies": {"type": "array", "items": _obj({
            "id": STR, "source": STR, "source_name": STR, "published": {**NSTR, "format": "date"},
            "title": STR}), "description": "The first other copies, oldest first "
            "(at most copies_listed)."},
    }, ["id", "title", "snippet", "snippet_text"])
    facet = _obj({"value": STR, "count": INT, "label": STR, "selected": {"type": "boolean"}})
    bucket = _obj({"key": STR, "label": STR, "count": INT, "date_from": STR, "date_to": STR})
    article = _obj({
        "id": STR, "source": STR, "source_name": STR, "path": STR, "url": NSTR, "title": STR,
        "section": NSTR, "author": NSTR, "dateline": NSTR, "published": NSTR,
        "published_raw": NSTR, "date_precision": NSTR, "date_inferred": {"type": "boolean"},
        "page_date": NSTR, "language": STR, "cities": STRS, "countries": STRS,
        "body": {**STRS, "description": "Clean paragraphs, plain text."},
        "removed": {**STRS, "description": "Lines that cleaning dropped."},
    }, ["id", "title", "body"])
    return {
        "Hit": hit, "FacetValue": facet, "TimelineBucket": bucket, "Article": article,
        "SearchPage": _obj({
            "request": {"type": "object", "description": "The request as understood."},
            "total": INT, "pages": INT, "took_ms": {"type": "number"},
            "hits": {"type": "array", "items": _ref("Hit")},
            "facets": {"type": "object", "additionalProperties": {
                "type": "array", "items": _ref("FacetValue")}},
            "timeline": {"type": "array", "items": _ref("TimelineBucket")},
            "timeline_unit": {"type": "string", "enum": ["year", "month", "day"]},
            "undated_count": INT, "suggestion": NSTR, "notes": STRS,
            "collapsed": {"type": "boolean", "description": "One hit per story (collapse=0 "
                          "turns it off; a story filter lists every copy)."},
            "stories": {"type": "integer", "nullable": True, "description": "Stories among the "
                        "total matches when collapsing read every match; null otherwise."},
            "suggestion_total": {"type": "integer", "nullable": True,
                                 "description": "Articles the suggested query finds."},
            "sort": {"type": "string", "enum": ["relevance", "newest", "oldest"],
                     "description": "The order used: newest when relevance was asked without words."},
            "links": _obj({"self": STR, "html": STR, "next": NSTR, "prev": NSTR}),
            "partial": {"type": "boolean", "description": "Some shards of a distributed index "
                        "did not answer: total, hits and facets leave out what they hold."},
            "missing_shards": {"type": "array", "items": _ref("MissingShard"),
                               "description": "The shards that did not answer (empty when none)."},
        }, ["total", "hits", "partial", "missing_shards"]),
        "Comparison": _obj({
            "unit": {"type": "string", "enum": ["year", "month", "day"]},
            "periods": {"type": "array", "items": _obj({"key": STR, "label": STR, "from": STR, "to": STR}),
                        "description": "The periods every series is counted in, in order."},
            "series": {"type": "array", "items": _obj({
                "query": STR, "label": STR, "total": INT,
                "undated": {"type": "integer", "description": "Articles of total with no known date."},
                "counts": {"type": "array", "items": INT, "description": "Articles per period, as periods."},
                "sources": {"type": "array", "items": _obj({"source": STR, "name": STR, "count": INT})},
                "notes": STRS, "missing_shards": {"type": "array", "items": _ref("MissingShard")},
                "counted": {"type": "boolean", "description": "False when the time budget ran out "
                            "before this query's periods were counted."},
                "shares": {"type": "array", "nullable": True,
                           "items": {"type": "number", "nullable": True},
                           "description": "With baseline=1: this query's count as a share of every "
                                          "article in each period (null where there is none); null "
                                          "without a baseline, and for the baseline itself."},
                "links": _obj({"html": STR, "api": STR})},
                ["query", "total", "counts", "counted"])},
            "filters": {"type": "object"}, "partial": {"type": "boolean"}, "notes": STRS,
            "took_ms": {"type": "number"}, "links": _obj({"self": STR, "html": STR}),
        }, ["unit", "periods", "series", "partial"]),
        "MissingShard": _obj({"name": STR, "reason": {"type": "string",
                                                      "enum": ["timed out", "down"]}},
                             ["name", "reason"]),
        "Node": _obj({"name": STR, "address": STR, "ok": {"type": "boolean"},
                      "shards": STRS, "error": NSTR}, ["name", "ok", "shards"]),
        "ArticleResponse": _obj({"article": _ref("Article"),
                                 "more_like_this": {"type": "array", "items": _ref("Hit")},
                                 "links": _obj({"html": STR})}),
        "Source": _obj({"name": STR, "display_name": STR, "count": INT, "date_from": NSTR,
                        "date_to": NSTR, "undated": INT}),
        "Sources": _obj({
            "sources": {"type": "array", "items": _ref("Source")},
            "last_reindex": {"type": "object", "nullable": True},
            "files": {"type": "object", "additionalProperties": INT},
            "problems": {"type": "array", "items": _obj({"path": STR, "outcome": STR,
                                                         "reason": STR})},
            "warnings": {"type": "array", "items": _obj({"path": STR, "warnings": STRS})},
            # Skipped and failed files by source, grouped by reason and type; files whose type
            # is not an article format form one "not article" group per source.
            "groups": {"type": "object", "additionalProperties": {"type": "array", "items": _obj({
                "outcome": {"type": "string", "enum": ["not article", "skipped", "failed"]},
                "reason": STR, "count": INT, "types": {"type": "object", "additionalProperties": INT},
                "examples": {"type": "array", "items": _obj({"path": STR, "reason": STR})}})}}}),
        "Health": _obj({"status": {"type": "string", "enum": ["ok", "degraded", "unavailable"],
                                   "description": "degraded: served, but shards with no copy "
                                   "answering make every search partial."},
                        "ok": {"type": "boolean"}, "generation": NSTR, "doc_count": INT,
                        "last_commit": NSTR, "error": STR, "degraded": {"type": "boolean"},
                        "nodes": {"type": "array", "items": _ref("Node"),
                                  "description": "Each node of a distributed backend."},
                        "missing_shards": {"type": "array", "items": _ref("MissingShard")}}),
        "Error": _obj({"error": _obj({"status": INT, "title": STR, "message": STR})}),
    }


# -- saved searches (web/saved.py) ---------------------------------------------------------------

NAME_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"


def saved_body(settings: Settings) -> dict[str, Any]:
    """Return the schema of POST /api/saved's body: a name and the search as /api/search takes it
    (its filters and sort; a saved search's dates are a range, from and to)."""
    text = {"type": "string", "maxLength": settings.max_query_chars}
    values = {"anyOf": [text, {"type": "array", "items": text, "maxItems": 20}]}
    date = {"type": "string", "pattern": DATE_PATTERN}
    return _obj({
        "name": {"type": "string", "minLength": 1, "maxLength": 120, "pattern": NAME_PATTERN,
                 "description": "Default: the query. Unique on the desk (409 when taken)."},
        "q": {**text, "description": "The query (the search's syntax; one the parser refuses is a 400 "
                                    "saying why, as /api/search answers it)."},
        **{name: {**values, "description": f"As /api/search's {name}."} for name in LIST_PARAMS},
        "from": {**date, "description": "First day (as /api/search's); a from after to is refused (400)."},
        "to": {**date, "description": "Last day (as /api/search's)."},
        "sort": {"type": "string", "enum": list(SORTS), "default": "relevance"},
    }) | {"additionalProperties": False}


# The desk's arrivals are synced in the background (searchapp.search.arrivals_watch).
_PENDING = {"type": "string", "nullable": True, "description": "When set, the arrivals of the index's "
            "commit at this UTC time (empty: time unknown) are still being counted: the counts are as of "
            "the commit before (upto), and notes says so. null: the counts are of the latest commit."}


def _saved_schemas() -> dict[str, Any]:
    new = _obj({
        "total": {"type": "integer", "description": "New matches among the arrivals checked."},
        "arrivals": {"type": "integer", "description": "Articles that arrived since the last look."},
        "checked": {"type": "integer", "description": "Of which checked (the newest, at most "
                                                      "alert_max_arrivals)."},
        "unchecked": INT, "counted": {"type": "boolean", "description": "False when the time budget "
                                                                      "ran out before this one."},
        "timed_out": {"type": "boolean"},
        "upto": {"type": "integer", "description": "The arrivals sync this was counted at: POST it to "
                                                   "/api/saved/{id}/seen to mark just these seen."},
        "page": {"type": "integer", "description": "Which page of page_size new matches ids lists."},
        "page_size": INT,
        "ids": STRS, "notes": STRS, "pending_commit": _PENDING}, ["total", "arrivals", "counted", "upto"])
    saved = {"id": INT, "name": STR, "created": STR,
             "request": {"type": "object", "description": "The query, filters and sort kept."},
             "links": _obj({"search": STR, "new": STR, "feed": STR, "api": STR})}
    return {
        "SavedSearch": _obj(saved, ["id", "name", "request", "links"]),
        "NewMatches": new,
        "SavedList": _obj({"saved": {"type": "array", "items": _obj({**saved, "new": _ref("NewMatches")},
                                                                     ["id", "name", "new"])},
                           "pending_commit": _PENDING, "notes": STRS}, ["saved"]),
        "SavedNew": _obj({**saved, "new": _ref("NewMatches"),
                          "articles": {"type": "array", "items": _obj({
                              "id": STR, "title": STR, "published": NSTR, "source": STR, "source_name": STR,
                              "url": NSTR, "links": _obj({"html": STR, "api": STR})}, ["id", "title"])}},
                         ["id", "name", "new", "articles"]),
    }


def _saved_paths(settings: Settings, bad: dict[str, Any], down: dict[str, Any]) -> dict[str, Any]:
    saved_id = {"name": "saved_id", "in": "path", "required": True,
                "schema": {"type": "integer", "minimum": 1, "maximum": 2**53}, "description": "A saved search's id."}
    missing = _json("Error", "No saved search with that id.")
    refused = _json("Error", "Sent from another site's page (Sec-Fetch-Site, Origin or Referer).")
    body = {"required": True, "content": {"application/json": {"schema": saved_body(settings)}}}
    return {
        "/api/saved": {
            "get": {"summary": "Saved searches, each with its new matches", "operationId": "listSaved",
                    "description": "New: arrived in the index since the last look (mark seen), whatever their "
                                   "date. The counts share one search's time budget; one not counted in time "
                                   "says counted: false. Saved searches are the desk's: no accounts.",
                    "responses": {"200": _json("SavedList", "Every saved search."), "503": down}},
            "post": {"summary": "Save a search", "operationId": "saveSearch", "requestBody": body,
                     "responses": {"201": _json("SavedSearch", "Saved: what arrives from now on is new."),
                                   "400": bad, "403": refused,
                                   "409": _json("Error", "The name is taken."), "503": down}}},
        "/api/saved/{saved_id}": {
            "get": {"summary": "One saved search's new matches", "operationId": "getSaved",
                    "parameters": [saved_id,
                                   {"name": "page", "in": "query", "required": False,
                                    "schema": {"type": "integer", "minimum": 1, "maximum": settings.max_page},
                                    "description": "Which page of max_page_size new matches to list (default 1)."},
                                   {"name": "upto", "in": "query", "required": False,
                                    "schema": {"type": "integer", "minimum": 0, "maximum": MAX_UPTO},
                                    "description": "Count at this arrivals sync (a first page's new.upto), so the "
                                                   "next pages list the same new matches; default: now."}],
                    "responses": {"200": _json("SavedNew", "Its new matches, in its order."),
                                  "400": bad, "404": missing, "503": down}},
            "patch": {"summary": "Rename a saved search", "operationId": "renameSaved",
                      "parameters": [saved_id],
                      "requestBody": {"required": True, "content": {"application/json": {"schema": _obj(
                          {"name": saved_body(settings)["properties"]["name"]}, ["name"])}}},
                      "responses": {"200": _json("SavedSearch", "Renamed."), "400": bad, "403": refused,
                                    "404": missing, "409": _json("Error", "The name is taken."),
                                    "503": down}},
            "delete": {"summary": "Delete a saved search", "operationId": "deleteSaved",
                       "parameters": [saved_id],
                       "responses": {"204": {"description": "Deleted."}, "403": refused, "404": missing,
                                     "503": down}}},
        "/api/saved/{saved_id}/seen": {
            "post": {"summary": "Mark a saved search's new matches seen", "operationId": "markSeen",
                     "parameters": [saved_id],
                     "requestBody": {"required": False, "content": {"application/json": {"schema": _obj(
                         {"upto": {"type": "integer", "minimum": 0, "maximum": MAX_UPTO,
                                   "description": "Seen up to this arrivals sync (a count's upto); "
                                                  "default: everything so far."}})}}},
                     "responses": {"200": _json("SavedSearch", "Marked seen."), "400": bad, "403": refused,
                                   "404": missing, "503": down}}},
    }


def _json(schema: str, text: str) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"schema": _ref(schema)}}}


def document(settings: Settings) -> dict[str, Any]:
    """Return the OpenAPI document for this server's settings (limits appear in the schemas)."""
    bad = _json("Error", "A parameter is not allowed; the message says what is.")
    down = _json("Error", "No usable index.")
    missing = _json("Error", "No article with that id.")
    article_id = {"name": "article_id", "in": "path", "required": True, "schema": STR,
                  "description": "Article id, as in a hit's id (it contains a slash)."}
    return {
        "openapi": "3.0.3",
        "info": {"title": "searchapp", "version": "1",
                 "description": "Full-text search over news archives."},
        "paths": {
            "/api/search": {"get": {
                "summary": "Search articles", "operationId": "search",
                "parameters": search_parameters(settings),
                "responses": {"200": _json("SearchPage", "One page of results."), "400": bad,
                              "503": down}}},
            "/api/compare": {"get": {
                "summary": "Compare queries over time", "operationId": "compare",
                "parameters": compare_parameters(settings),
                "responses": {"200": _json("Comparison", "Each query's total and its counts per period, "
                                                         "under the same filters."), "400": bad, "503": down}}},


            "/api/export": {"get": {
                "summary": "Export a search's results (CSV or JSON lines)",
                "operationId": "exportResults",
                "parameters": export_parameters(settings),
                "responses": {"200": _export_response(settings), "400": bad, "503": down,
                              "429": {**_json("Error", f"{settings.export_concurrency} exports are being "
                                                       "read already in this server process (setting "
                                                       "export_concurrency); try again after Retry-After."),
                                      "headers": {"Retry-After": {"description": "Seconds to wait.",
                                                                  "schema": {"type": "integer"}}}}}}},
            "/api/articles/{article_id}": {"get": {
                "summary": "One article", "operationId": "getArticle",
                "parameters": [article_id],
                "responses": {"200": _json("ArticleResponse", "The article."), "404": missing,
                              "503": down}}},
            "/api/sources": {"get": {
                "summary": "Sources and the last reindex", "operationId": "listSources",
                "responses": {"200": _json("Sources", "Every source."), "503": down}}},
            **_saved_paths(settings, bad, down),
            "/api/openapi.json": {"get": {
                "summary": "This document", "operationId": "openapi",
                "responses": {"200": {"description": "OpenAPI 3 document.",
                                      "content": {"application/json": {"schema": {
                                          "type": "object"}}}}}}},
            "/healthz": {"get": {
                "summary": "Health of the index", "operationId": "health",
                "responses": {"200": _json("Health", "An index is served."),
                              "503": _json("Health", "No usable index.")}}},
        },
        "components": {"schemas": {**_schemas(), **_saved_schemas()}},
    }
