"""Make the links of a results page: facets, active-filter chips, sort, pages, timeline bars.

Pure: a SearchRequest and Settings in, relative URLs out. Every link is the current state with
one change, written by params.to_pairs, so following it and copying it give the same page.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from searchapp.config import Settings
from searchapp.models import FacetValue, SearchRequest, TimelineBucket
from searchapp.web import params
from searchapp.web.markup import language_name
from searchapp.web.timeline import period_changes

# Facet name (as the search layer reports it) -> (request field, heading shown to people).
LIST_FACETS = {"source": ("sources", "Source"), "country": ("countries", "Country"),
               "city": ("cities", "City"), "language": ("languages", "Language")}
CALENDAR = ("year", "month", "day")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


@dataclass(frozen=True)
class Chip:
    """One active filter, with the link that removes it."""

    label: str
    href: str


class Links:
    """Build URLs that change one thing about `req`."""

    def __init__(self, req: SearchRequest, settings: Settings, path: str = "/search") -> None:
        self.req, self.settings, self.path = req, settings, path

    def url(self, req: SearchRequest | None = None, path: str | None = None) -> str:
        """Return the URL of `req` (default: the current request)."""
        pairs = params.to_pairs(req or self.req, self.settings)
        base = path or self.path
        return f"{base}?{urlencode(pairs)}" if pairs else base

    def hidden(self, exclude: tuple[str, ...] = ("q", "page")) -> list[tuple[str, str]]:
        """Return the state a form must carry along as hidden fields (all but `exclude`)."""
        return [(k, v) for k, v in params.to_pairs(self.req, self.settings) if k not in exclude]

    def api_url(self) -> str:
        """Return the JSON API URL of the current request."""
        return self.url(path="/api/search")

    def compare(self, queries: list[str] | None = None, *, baseline: bool = False, path: str = "/compare") -> str:
        """Return the comparison of `queries` (default: this query, as the first to compare) under
        this request's filters; a comparison has no page, size or sort."""
        pairs = [("q", q) for q in ([self.req.query] if queries is None else queries) if q]
        pairs += [(k, v) for k, v in params.to_pairs(self.req, self.settings) if k not in ("q", "page", "size", "sort")]
        if baseline:
            pairs.append(("baseline", "1"))
        return f"{path}?{urlencode(pairs)}" if pairs else path

    def export(self, fmt: str, path: str = "/api/export") -> str:
        """Return the export URL of the current request in `fmt` (csv, jsonl): the query, the
        filters and the sort; no page or size, since an export starts at the first result."""
        pairs = [(k, v) for k, v in params.to_pairs(self.req, self.settings)
                 if k not in ("page", "size")]
        return f"{path}?{urlencode([*pairs, ('format', fmt)])}"

    def page(self, number: int) -> str:
        return self.url(params.changed(self.req, page=number))

    def sort(self, order: str) -> str:
        return self.url(params.changed(self.req, sort=order))

    def query(self, text: str) -> str:
        """Return the current filters with another query (for "did you mean")."""
        return self.url(params.changed(self.req, query=text))

    def facet(self, name: str, fv: FacetValue) -> str:
        """Return the link a facet value makes: narrow by it, or drop it when it is selected."""
        if name in LIST_FACETS:
            field = LIST_FACETS[name][0]
            new = (params.remove_value if fv.selected else params.add_value)(self.req, field,
                                                                             fv.value)
            return self.url(new)
        if name in CALENDAR:
            return self.url(self._calendar(name, None if fv.selected else int(fv.value)))
        raise ValueError(f"unknown facet {name!r}")

    def _calendar(self, name: str, value: int | None) -> SearchRequest:
        # Choosing a year drops a month and day chosen under another year; clearing a level
        # clears the levels below it.
        changes: dict[str, int | None | bool] = {"undated": False}
        level = CALENDAR.index(name)
        changes[name] = value
        for lower in CALENDAR[level + 1:]:
            changes[lower] = None
        return params.changed(self.req, **changes)

    def undated(self) -> str:
        """Return the link of the "date unknown" bucket (toggles it)."""
        if self.req.undated:
            return self.url(params.changed(self.req, undated=False))
        return self.url(params.changed(self.req, undated=True, year=None, month=None, day=None,
                                       date_from=None, date_to=None))

    def bar(self, bucket: TimelineBucket) -> str:
        """Return the link of a timeline bar: narrow to its period, keep everything else."""
        changes = period_changes(bucket)
        if not changes:
            return self.url(params.changed(self.req, date_from=dt.date.fromisoformat(
                bucket.date_from), date_to=dt.date.fromisoformat(bucket.date_to)))
        return self.url(params.changed(self.req, undated=False, **changes))

    def chips(self) -> list[Chip]:
        """Return every active filter with a link that removes just that filter."""
        req, out = self.req, []
        for name, (field, heading) in LIST_FACETS.items():
            for value in getattr(req, field):
                shown = language_name(value) if field == "languages" else value
                out.append(Chip(f"{heading}: {shown}",
                                self.url(params.remove_value(req, field, value))))
        if req.year is not None:
            out.append(Chip(f"Year: {req.year}", self.url(self._calendar("year", None))))
        if req.month is not None:
            out.append(Chip(f"Month: {MONTH_NAMES[req.month - 1]}",
                            self.url(self._calendar("month", None))))
        if req.day is not None:
            out.append(Chip(f"Day: {req.day}", self.url(self._calendar("day", None))))
        if req.date_from:
            out.append(Chip(f"From: {req.date_from.isoformat()}",
                            self.url(params.changed(req, date_from=None))))
        if req.date_to:
            out.append(Chip(f"To: {req.date_to.isoformat()}",
                            self.url(params.changed(req, date_to=None))))
        if req.undated:
            out.append(Chip("Date unknown", self.url(params.changed(req, undated=False))))
        for key in req.stories:
            out.append(Chip(f"Copies of story {key}", self.url(params.remove_value(req, "stories", key))))
        return out

    # -- syndicated copies (search/stories.py) --------------------------------------------------

    def story(self, key: str) -> str:
        """Return the page listing every copy of one story, oldest first."""
        return self.url(SearchRequest(stories=[key], sort="oldest", page_size=self.req.page_size))

    def collapse(self, on: bool) -> str:
        """Return this search with one hit per story (on) or every copy (off)."""
        return self.url(params.changed(self.req, collapse=on))

    def clear_filters(self) -> str:
        """Return the current query with no filters (sort and page size kept)."""
        return self.url(SearchRequest(query=self.req.query, sort=self.req.sort,
                                      page_size=self.req.page_size))

    def pages(self, pages: int, window: int = 2) -> list[int | None]:
        """Return page numbers to show around the current one; None marks a gap."""
        last = min(pages, self.settings.max_page)
        if last <= 1:
            return []
        cur = min(self.req.page, last)
        keep = {1, last, *range(max(1, cur - window), min(last, cur + window) + 1)}
        out: list[int | None] = []
        prev = 0
        for n in sorted(keep):
            if n - prev == 2:   # a gap of one page shows that page, not "…"
                out.append(n - 1)
            elif n - prev > 2:
                out.append(None)
            out.append(n)
            prev = n
        return out
