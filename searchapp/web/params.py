"""Turn a URL query string into a SearchRequest and back, refusing bad values with a clear 400.

Pure: a multi-dict of strings and Settings in, a SearchRequest (or QueryError) out; and a
SearchRequest in, the query-string pairs out. The pages, the JSON API and the links that facets,
pagination and timeline bars make all go through these two functions, so a link reproduces the
page it came from.

    q        the query text                       size    hits per page (1..max_page_size)
    source   repeatable: narrow to these sources   sort    relevance | newest | oldest
    country  repeatable                            page    1..max_page
    city     repeatable                            year, month, day   a calendar period
    lang     repeatable (ISO 639-1)                from, to   YYYY, YYYY-MM or YYYY-MM-DD
    undated  1: only articles whose date is unknown
"""
from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from searchapp.config import Settings
from searchapp.errors import QueryError
from searchapp.models import SearchPage, SearchRequest

SORTS = ("relevance", "newest", "oldest")
# URL name -> SearchRequest list field; the order is the order links are written in.
LIST_PARAMS = {"source": "sources", "country": "countries", "city": "cities", "lang": "languages",
               "story": "stories"}   # story: the copies of one story (syndicated copies)
SCALAR_PARAMS = ("q", "year", "month", "day", "from", "to", "undated", "sort", "page", "size", "collapse")
# What the pages write (1) and what OpenAPI clients write for a boolean (true/false); exactly these.
_TRUE = ("1", "true")
_FALSE = ("0", "false")
_DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?$")
_INT_RE = re.compile(r"-?[0-9]{1,12}")
# Control characters cannot be typed into the box; they only reach us from crafted URLs.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class MultiArgs(Protocol):
    """What we need of werkzeug's MultiDict (a plain dict of lists works in tests)."""

    def getlist(self, key: str) -> list[str]: ...


def _one(args: MultiArgs, name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        raise QueryError(f"'{name}' was given {len(values)} times; give it at most once")
    return values[0] if values else None


def _int(name: str, raw: str | None, low: int, high: int, what: str) -> int | None:
    if raw is None:
        return None
    # ASCII digits only: Python's int() also takes "１０" and " 10 ", which no document allows
    # and no link of ours writes (issue 12: Schemathesis found size=１０ accepted).
    if not _INT_RE.fullmatch(raw):
        raise QueryError(f"{name} must be {what} from {low} to {high}; got '{_show(raw)}'")
    value = int(raw)
    if not low <= value <= high:
        raise QueryError(f"{name} must be {what} from {low} to {high}; got {value}")
    return value


def whole_number(name: str, raw: str | None, low: int, high: int) -> int | None:
    """Return a parameter that must be a whole number from low to high (None when absent); QueryError else."""
    return _int(name, raw, low, high, "a whole number")


def _show(raw: str, limit: int = 40) -> str:
    """Return user input cut short for an error message (the page escapes it)."""
    raw = _CONTROL_RE.sub("?", raw)
    return raw if len(raw) <= limit else raw[:limit] + "…"


def parse_date(name: str, raw: str | None, *, end: bool) -> dt.date | None:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD; a partial date means its first day, or last with end."""
    # Empty is "no bound": the date form sends from= and to= when its fields are left blank.
    if raw is None or raw == "":
        return None
    m = _DATE_RE.fullmatch(raw)
    allowed = "a date as YYYY-MM-DD (or YYYY-MM, or YYYY)"
    if not m:
        raise QueryError(f"{name} must be {allowed}; got '{_show(raw)}'")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if day is not None:
            return dt.date(year, int(month), int(day))
        last = calendar.monthrange(year, int(month))[1]
        return dt.date(year, int(month), last if end else 1)
    except ValueError:
        raise QueryError(f"{name} is not a real date: '{_show(raw)}'; use {allowed}") from None


def _flag(name: str, raw: str | None) -> bool:
    if raw is None:
        return False
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise QueryError(f"{name} must be 1 or 0 (or true or false); got '{_show(raw)}'")


def _values(args: MultiArgs, name: str, settings: Settings) -> list[str]:
    out: list[str] = []
    raws = args.getlist(name)
    if len(raws) > settings.max_query_terms:
        raise QueryError(f"{name} was given {len(raws)} times; at most "
                         f"{settings.max_query_terms} values are allowed")
    for raw in raws:
        # The length as sent, as the document states it (issue 12: 501 spaces passed stripped).
        if len(raw) > settings.max_query_chars:
            raise QueryError(f"a {name} value may be at most {settings.max_query_chars} "
                             f"characters long")
        value = _CONTROL_RE.sub(" ", raw).strip()
        if value and value not in out:
            out.append(value)
    return out


def clean_text(raw: str | None) -> str:
    """Return user text with control characters turned into spaces, trimmed."""
    return _CONTROL_RE.sub(" ", raw or "").strip()


def parse_args(args: MultiArgs, settings: Settings) -> SearchRequest:
    """Build a SearchRequest from URL parameters; raise QueryError saying what is allowed."""
    raw_query = _one(args, "q") or ""
    if len(raw_query) > settings.max_query_chars:
        raise QueryError(f"the query is {len(raw_query)} characters long; at most "
                         f"{settings.max_query_chars} are allowed")
    query = clean_text(raw_query)
    lists = {field: _values(args, name, settings) for name, field in LIST_PARAMS.items()}
    year = _int("year", _one(args, "year"), 1, 9999, "a year")
    month = _int("month", _one(args, "month"), 1, 12, "a month number")
    day = _int("day", _one(args, "day"), 1, 31, "a day of the month")
    if month is not None and year is None:
        raise QueryError("month needs a year as well (for example year=2017&month=7)")
    if day is not None and month is None:
        raise QueryError("day needs a year and a month as well")
    if day is not None:
        try:
            dt.date(year, month, day)  # type: ignore[arg-type]
        except ValueError:
            raise QueryError(f"{year:04d}-{month:02d}-{day:02d} is not a real date") from None
    date_from = parse_date("from", _one(args, "from"), end=False)
    date_to = parse_date("to", _one(args, "to"), end=True)
    undated = _flag("undated", _one(args, "undated"))
    if undated and (year is not None or date_from or date_to):
        raise QueryError("undated=1 selects articles without a date, so it cannot be combined "
                         "with year, month, day, from or to")
    sort = _one(args, "sort")
    sort = "relevance" if sort is None else sort
    if sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}; got '{_show(sort)}'")
    page = _int("page", _one(args, "page"), 1, settings.max_page, "a whole number") or 1
    size = _int("size", _one(args, "size"), 1, settings.max_page_size,
                "a whole number") or settings.default_page_size
    raw_collapse = _one(args, "collapse")
    collapse = True if raw_collapse is None else _flag("collapse", raw_collapse)
    return SearchRequest(query=query, year=year, month=month, day=day,
                         date_from=date_from, date_to=date_to, undated=undated,
                         sort=sort, page=page, page_size=size, collapse=collapse,
                         **lists)  # type: ignore[arg-type]


class _Without:
    """The URL parameters but one name (a MultiArgs)."""

    def __init__(self, args: MultiArgs, name: str) -> None:
        self.args, self.name = args, name

    def getlist(self, key: str) -> list[str]:
        return [] if key == self.name else self.args.getlist(key)


def parse_compare(args: MultiArgs, settings: Settings) -> tuple[SearchRequest, list[str]]:
    """Read a comparison: the shared filters (as parse_args reads them) and its queries.

    q is repeatable, one query each; blank ones are left out (a form's empty boxes), and
    baseline=1 adds the blank query, every article the filters keep. The number of queries is
    checked by the comparison itself.
    """
    raws = args.getlist("q")
    if len(raws) > settings.max_query_terms:
        raise QueryError(f"q was given {len(raws)} times; at most {settings.max_query_terms} values are allowed "
                         f"(and {settings.max_compare_queries} queries compared)")
    queries = []
    for raw in raws:
        if len(raw) > settings.max_query_chars:
            raise QueryError(f"a query may be at most {settings.max_query_chars} characters long")
        if text := clean_text(raw):
            queries.append(text)
    if _flag("baseline", _one(args, "baseline")):
        queries.append("")
    return parse_args(_Without(args, "q"), settings), queries


def empty_range(req: SearchRequest) -> str | None:
    """Return a note when the request's from is after its to (nothing can match), else None.

    Such a range is a well-formed request whose answer is empty (the OpenAPI document cannot say
    "from <= to", so the server does not refuse it either); the note says how to fix it.
    """
    if req.date_from and req.date_to and req.date_from > req.date_to:
        return (f"from ({req.date_from.isoformat()}) is after to ({req.date_to.isoformat()}), "
                "so no date is in the range; swap them.")
    return None


def empty_page(req: SearchRequest, note: str) -> SearchPage:
    """Return the answer to a request that cannot match anything: no hits, the note."""
    return SearchPage(request=req, total=0, hits=[], facets={}, timeline=[],
                      timeline_unit="year", undated_count=0, notes=[note], pages=0)


def to_pairs(req: SearchRequest, settings: Settings) -> list[tuple[str, str]]:
    """Return the query-string pairs that reproduce `req`, leaving defaults out."""
    pairs: list[tuple[str, str]] = []
    if req.query:
        pairs.append(("q", req.query))
    for name, field in LIST_PARAMS.items():
        pairs.extend((name, v) for v in getattr(req, field))
    for name in ("year", "month", "day"):
        if getattr(req, name) is not None:
            pairs.append((name, str(getattr(req, name))))
    if req.date_from:
        pairs.append(("from", req.date_from.isoformat()))
    if req.date_to:
        pairs.append(("to", req.date_to.isoformat()))
    if req.undated:
        pairs.append(("undated", "1"))
    if req.sort != "relevance":
        pairs.append(("sort", req.sort))
    if not req.collapse:
        pairs.append(("collapse", "0"))
    if req.page_size != settings.default_page_size:
        pairs.append(("size", str(req.page_size)))
    if req.page != 1:
        pairs.append(("page", str(req.page)))
    return pairs


def changed(req: SearchRequest, **changes: Any) -> SearchRequest:
    """Return a copy of `req` with `changes`; any change but page itself goes back to page 1."""
    changes.setdefault("page", 1)
    copy = dataclasses.replace(req, **changes)
    for field in LIST_PARAMS.values():  # never share list objects between requests
        setattr(copy, field, list(getattr(copy, field)))
    return copy


def add_value(req: SearchRequest, field: str, value: str) -> SearchRequest:
    """Return `req` narrowed by one more facet value (a list field such as "countries")."""
    current: Sequence[str] = getattr(req, field)
    return changed(req, **{field: [*current, value] if value not in current else list(current)})


def remove_value(req: SearchRequest, field: str, value: str) -> SearchRequest:
    """Return `req` without one facet value."""
    return changed(req, **{field: [v for v in getattr(req, field) if v != value]})


def from_mapping(data: Mapping[str, str | list[str]]) -> MultiArgs:
    """Wrap a plain dict (values str or list) so parse_args can read it; for tests and the CLI."""
    class _Args:
        def getlist(self, key: str) -> list[str]:
            value = data.get(key)
            if value is None:
                return []
            return [value] if isinstance(value, str) else list(value)

    return _Args()
