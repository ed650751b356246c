"""Export a search's results: every match, in the results pages' order, as rows of plain fields.

The matches come from SearchService.rank, the same policy as the results pages (all the words;
partial matches when few articles have them all; best match first for a pasted paragraph), with
the same notes. Matching counts against the search's budget (`query_time_limit_s`); the whole
export, matching included, against `export_time_limit_s`. At most `export_max_rows` rows.

The stored articles are read through the seam in batches of `export_batch_rows`, each under the
reader for one `Reader.articles` call, so an export never holds the engine between batches and
searches go on beside it. Whatever cuts the export is recorded in its report: `truncated`
("rows": the cap; "time": the budget, in matching or while reading rows), `missing_shards` (a
distributed index answered without them) and `skipped` (matched articles gone by the time their
batch was read: deleted by a reindex in between, or on a shard that stopped answering).
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from searchapp.models import Article, SearchRequest
from searchapp.search.budget import Budget
from searchapp.search.snippets import Matcher, highlight, plain_text

if TYPE_CHECKING:
    from searchapp.search.service import SearchService

HANDOVER_S = 0.0005     # the pause after each batch that lets a waiting search take the engine


@dataclass
class Ranked:
    """The first matches of a request in the results pages' order (SearchService.rank)."""

    total: int                       # matching articles (under every filter)
    ids: list[str]                   # the first of them, ranked
    notes: list[str]                 # what the results page says about the query
    sort: str                        # the order used ("newest" for relevance without words)
    timed_out: bool                  # matching stopped at the deadline: total and ids may be short
    missing_shards: list[dict[str, str]]   # {"name", "reason"} of shards that did not answer
    matcher: Matcher                 # the words a snippet marks


@dataclass
class ExportReport:
    """What an export holds and what cut it; filled in as its rows are read."""

    total: int
    max_rows: int
    sort: str
    notes: list[str] = field(default_factory=list)
    rows: int = 0
    truncated: list[str] = field(default_factory=list)    # "rows" and/or "time"
    missing_shards: list[dict[str, str]] = field(default_factory=list)
    skipped: int = 0

    @property
    def partial(self) -> bool:
        return bool(self.missing_shards)

    def partial_text(self) -> str:
        """Return the shards that did not answer as one line ("shard 0 (n0) did not answer (down)")."""
        return "; ".join(f"{m['name']} did not answer ({m['reason']})" for m in self.missing_shards)

    def messages(self) -> list[tuple[str, str]]:
        """Return (kind, sentence) for each thing that cut the export: truncated, partial or
        skipped; empty when the export is whole."""
        out = []
        if "rows" in self.truncated:
            out.append(("truncated", f"only the first {self.max_rows:,} of {self.total:,} "
                        "matching articles are exported (the row cap, setting export_max_rows)"))
        if "time" in self.truncated:
            out.append(("truncated", f"the time budget ran out after {self.rows:,} rows "
                        "(settings query_time_limit_s, export_time_limit_s): the export is "
                        "incomplete"))
        if self.missing_shards:
            out.append(("partial", f"{self.partial_text()}; the articles it holds are left out"))
        if self.skipped:
            out.append(("skipped", f"{self.skipped:,} matched articles could not be read "
                        "(deleted by a reindex since, or on a shard that stopped answering)"))
        return out


def published_iso(art: Article) -> str | None:
    """Return the article's date in ISO 8601 at its precision (2017-07-17, 2017-07, 2017)."""
    pub = art.published
    if pub is None:
        return None
    if art.date_precision == "year":
        return f"{pub.year:04d}"
    if art.date_precision == "month":
        return f"{pub.year:04d}-{pub.month:02d}"
    return pub.isoformat()   # (a datetime with its time, as the source stated it)


def article_url(base: str) -> Callable[[str], str]:
    """Return id -> the article's page on the desk at `base` (http://host:port, or a prefix)."""
    root = base.rstrip("/") + "/article/"
    return lambda article_id: root + quote(article_id, safe="/")


def row_of(art: Article, rank: int, match: Matcher, snippet_chars: int,
           url_of: Callable[[str], str]) -> dict[str, Any]:
    """Return one export row: the columns of searchapp.search.export_formats.COLUMNS."""
    return {
        "rank": rank, "id": art.id, "title": art.title, "published": published_iso(art),
        "date_precision": art.date_precision if art.published is not None else None,
        "date_inferred": art.date_inferred, "published_raw": art.published_raw,
        "source": art.source, "source_name": art.source_name, "author": art.author,
        "url": art.url, "dateline": art.dateline, "cities": list(art.cities),
        "countries": list(art.countries), "language": art.language, "section": art.section,
        "story": art.story,
        "desk_url": url_of(art.id),
        "snippet": plain_text(highlight(art.text, match, snippet_chars)),
    }


class Export:
    """The rows of one export: matched up front, read from the index batch by batch."""

    def __init__(self, service: "SearchService", ranked: Ranked, budget: Budget, max_rows: int,
                 url_of: Callable[[str], str]) -> None:
        self._service = service
        self._ids = ranked.ids[:max_rows]
        self._match = ranked.matcher
        self._budget = budget
        self._url_of = url_of
        self.report = ExportReport(total=ranked.total, max_rows=max_rows, sort=ranked.sort,
                                   notes=list(ranked.notes),
                                   missing_shards=list(ranked.missing_shards))
        if ranked.total > max_rows:
            self.report.truncated.append("rows")
        if ranked.timed_out:
            self.report.truncated.append("time")

    @property
    def matched(self) -> int:
        """Return how many rows the export will hold unless the budget cuts it."""
        return len(self._ids)

    def rows(self) -> Iterator[dict[str, Any]]:
        """Yield the rows in order, reading `export_batch_rows` articles at a time."""
        settings = self._service.settings
        backend = self._service.backend
        size = max(1, settings.export_batch_rows)
        report = self.report
        for start in range(0, len(self._ids), size):
            if not self._budget.allows("rows"):
                if "time" not in report.truncated:
                    report.truncated.append("time")
                return
            chunk = self._ids[start:start + size]
            # The reader only for the read itself: snippets and the writing happen without it.
            with backend.reader() as reader:
                articles = reader.articles(chunk)
            # Python's locks are not fair: a thread that lets go of the engine and takes it
            # again at once can keep a waiting search out for batch after batch (a search
            # waited 0.7 s behind six batches in tests/test_export.py). A pause hands it over.
            time.sleep(HANDOVER_S)
            report.skipped += len(chunk) - len(articles)
            ranks = {article_id: start + n for n, article_id in enumerate(chunk, 1)}
            for art in articles:
                report.rows += 1
                yield row_of(art, ranks[art.id], self._match, settings.snippet_chars, self._url_of)


def start_export(service: "SearchService", req: SearchRequest, *, max_rows: int | None = None,
                 article_url: Callable[[str], str] | None = None) -> Export:
    """Match `req` (QueryError for one outside the limits) and return its Export."""
    settings = service.settings
    cap = settings.export_max_rows if max_rows is None else max_rows
    if cap < 1:
        raise ValueError("max_rows must be at least 1")
    whole = Budget(settings.export_time_limit_s)
    matching = Budget(min(settings.query_time_limit_s, settings.export_time_limit_s),
                      started=whole.started)
    ranked = service.rank(req, cap, matching)
    url_of = article_url or (lambda article_id: "/article/" + quote(article_id, safe="/"))
    return Export(service, ranked, whole, cap, url_of)
