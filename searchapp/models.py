"""Dataclasses that cross stage boundaries: ingest -> index -> search -> web/cli."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any, Literal

DatePrecision = Literal["day", "month", "year"]
Outcome = Literal["indexed", "unchanged", "skipped", "failed"]


@dataclass
class SourceConfig:
    """What corpus/<source>/source.toml says about an outlet."""

    name: str                      # folder name, the facet value
    display_name: str              # shown to people
    homepage: str | None = None
    language: str | None = None    # default ISO 639-1 code when detection is unsure
    date_order: Literal["DMY", "MDY", "YMD"] = "DMY"
    order_stated: bool = False     # source.toml states date_order: a file's own dates do not overrule it
    encoding: str | None = None    # forced encoding for legacy dumps
    named: bool = False            # display_name came from source.toml, not from the folder name
    extra: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)   # [fields]: field -> the export's keys
    ignore_fields: list[str] = field(default_factory=list)       # [fields] ignore: keys dropped on purpose
    warnings: list[str] = field(default_factory=list)            # what source.toml says that was not understood


@dataclass
class Draft:
    """One article as a reader found it, before cleaning and field extraction.

    Readers fill what the format states explicitly (HTML meta, JSON fields);
    the extractor fills the rest from the text blocks.
    """

    blocks: list[str]                      # paragraphs in reading order
    title: str | None = None
    url: str | None = None
    author: str | None = None
    section: str | None = None
    date_raw: str | None = None            # a date string the format states
    date_provenance: str | None = None     # e.g. "meta:article:published_time", "record:date"
    page_date_raw: str | None = None
    language: str | None = None            # declared language (html lang, a record's), a hint...
    language_stated: bool = False          # ...unless an export's record states it: then it wins
    source_name: str | None = None         # outlet named by the page itself (og:site_name)
    item: int = 0                          # position within a file holding several articles
    title_hint: str | None = None          # the line cleaning took for the headline of a dump
    fallback_date_raw: str | None = None   # a dump's date line away from its header: used when the header has none
    fallback_author: str | None = None     # a dump's byline line the cleaning dropped: used when nothing else names one
    own_headline: bool = False             # blocks[0] is the text's own headline right above its article, no <title>
    hint_whole: bool = False               # title_hint is a dump's headline as its <title> states it, site name cut: no cut
    removed: list[str] = field(default_factory=list)


@dataclass
class Article:
    """One article, ready to index. See DESIGN.md "Records"."""

    id: str
    source: str
    source_name: str
    path: str
    url: str | None
    title: str
    section: str | None
    author: str | None
    dateline: str | None
    published: dt.date | dt.datetime | None
    published_raw: str | None
    date_precision: DatePrecision | None
    date_inferred: bool
    page_date: dt.date | None
    language: str
    cities: list[str]
    countries: list[str]
    body: list[str]
    removed: list[str] = field(default_factory=list)
    story: str = ""     # the key shared by every copy of one story (indexing/stories.py); "" before indexing

    FIELDS = (
        "id", "source", "source_name", "path", "url", "title", "section", "author", "dateline",
        "published", "published_raw", "date_precision", "date_inferred", "page_date", "language",
        "cities", "countries", "body", "removed", "story",
    )

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict: dates as ISO strings, keys exactly FIELDS."""
        # Not dataclasses.asdict: its deep copy was most of the cost of writing an article.
        out = _plain(self)
        for key in ("published", "page_date"):
            if out[key] is not None:
                out[key] = out[key].isoformat()
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Article":
        """Build an Article back from `to_json` output."""
        values = {k: data.get(k) for k in cls.FIELDS}
        pub = values["published"]
        if isinstance(pub, str):
            values["published"] = (
                dt.datetime.fromisoformat(pub) if "T" in pub else dt.date.fromisoformat(pub)
            )
        if isinstance(values["page_date"], str):
            values["page_date"] = dt.date.fromisoformat(values["page_date"])
        for key in ("cities", "countries", "body", "removed"):
            values[key] = list(values[key] or [])
        values["date_inferred"] = bool(values["date_inferred"])
        values["story"] = values["story"] or ""
        return cls(**values)

    @property
    def text(self) -> str:
        return "\n\n".join(self.body)


@dataclass
class IngestOutcome:
    """What came of one corpus file. Every file under corpus/ gets exactly one."""

    path: str
    outcome: Outcome
    reason: str = ""
    article_ids: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # what the file states that was not understood

    def to_json(self) -> dict[str, Any]:
        # A shallow dict, not asdict(): its deep copy of every id list was ~1 s of each reindex at
        # 209,473 articles (every file's outcome is written to last_ingest.json on every run).
        return {f.name: getattr(self, f.name) for f in fields(self)}


# --- search side -----------------------------------------------------------

SortOrder = Literal["relevance", "newest", "oldest"]


@dataclass
class SearchRequest:
    """What a user asked for; every field comes from the URL or the CLI."""

    query: str = ""
    sources: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    year: int | None = None
    month: int | None = None            # 1-12, only with year
    day: int | None = None              # 1-31, only with year and month
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    undated: bool = False               # only articles in the "date unknown" bucket
    sort: SortOrder = "relevance"
    page: int = 1
    page_size: int = 10
    # Only these articles (a saved search's new arrivals, searchapp/search/alerts.py); never
    # from a URL. Empty: no such restriction.
    ids: tuple[str, ...] = ()
    # Syndicated copies (search/stories.py): only the copies of these stories; one hit per story.
    stories: list[str] = field(default_factory=list)
    collapse: bool = True


@dataclass
class Hit:
    id: str
    title: str
    published: str | None               # ISO date
    date_precision: str | None
    source: str
    source_name: str
    cities: list[str]
    countries: list[str]
    language: str
    score: float
    snippet: str                        # HTML: escaped text with <mark> around query words
    url: str | None = None
    via_aliases: list[str] = field(default_factory=list)   # found only through these other names
    story: str = ""                     # the story key its copies share (indexing/stories.py)
    copies: int = 1                     # articles of that story in the index, this one included
    other_copies: list["Copy"] = field(default_factory=list)   # the first of the others, oldest first


@dataclass
class Copy:
    """Another article of a hit's story: where and when it appeared."""

    id: str
    source: str
    source_name: str
    published: str | None               # ISO date
    title: str


@dataclass
class FacetValue:
    value: str
    count: int
    label: str = ""
    selected: bool = False


@dataclass
class TimelineBucket:
    key: str                            # "2017", "2017-07" or "2017-07-17"
    label: str
    count: int
    date_from: str                      # ISO bounds, for the clickable bar
    date_to: str


@dataclass
class SearchPage:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    timeline: list[TimelineBucket]
    timeline_unit: Literal["year", "month", "day"]
    undated_count: int
    suggestion: str | None = None       # "did you mean"
    notes: list[str] = field(default_factory=list)   # e.g. fallback to keyword search
    took_ms: float = 0.0
    pages: int = 0
    suggestion_total: int | None = None  # articles the suggestion finds
    sort: str = ""                      # the order used: "newest" for relevance without words
    # Shards of a distributed index that did not answer: {"name", "reason"} each ("timed out" or
    # "down"). Counts, facets and hits then leave out what those shards hold.
    missing_shards: list[dict[str, str]] = field(default_factory=list)
    # Collapsing (one hit per story): whether it was on, and the stories among the matches,
    # None when the matches were more than collapsing looked at (settings.collapse_window).
    collapsed: bool = False
    stories: int | None = None

    @property
    def partial(self) -> bool:
        return bool(self.missing_shards)

    def partial_note(self) -> str | None:
        """Return the sentence telling the reader which shards are missing, None when none is."""
        if not self.missing_shards:
            return None
        parts = "; ".join(f"{m['name']} did not answer ({m['reason']})" for m in self.missing_shards)
        held = "it holds" if len(self.missing_shards) == 1 else "they hold"
        return (f"Results are partial: {parts}. Counts, facets and the timeline leave out the "
                f"articles {held}.")

    def to_json(self) -> dict[str, Any]:
        out = _plain(self)
        out["partial"] = self.partial
        req = out["request"]
        out["sort"] = out["sort"] or req["sort"]
        for key in ("date_from", "date_to"):
            if req[key] is not None:
                req[key] = req[key].isoformat()
        return out


_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """Return what dataclasses.asdict() returns for a page, without deep-copying every string.

    asdict() deep-copies each leaf: ~1 ms of a 10-hit JSON page at 209,473 articles, ~0.4 here.
    """
    kind = type(value)
    if kind is list:
        return [_plain(v) for v in value]
    if kind is dict:
        return {k: _plain(v) for k, v in value.items()}
    names = _NAMES.get(kind)
    if names is None:
        if not hasattr(kind, "__dataclass_fields__"):
            return value
        names = _NAMES[kind] = tuple(f.name for f in fields(value))
    return {name: _plain(getattr(value, name)) for name in names}
