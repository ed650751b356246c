"""The one seam between the product and an index engine: typed values in, typed values out.

Above it, searchapp/search/service.py (the product's policy) and searchapp/indexing/reindex.py
(what to write); below it, one package per engine under searchapp/backends/ (Whoosh today,
SphinxQL next). Nothing engine-specific crosses it: a query is the parsed `Node` tree with typed
filters, an answer is article ids with scores and counts, never an engine object or an engine's
query string. A backend passes tests/test_conformance.py unchanged (issue 9; shared/DESIGN.md, "The
engine seam"). `open_backend` is the only way in: it calls `searchapp.backends.<name>.open(settings)`
for the name in Settings.backend, so no product module imports an engine.

Meanings every backend honours (the conformance suite checks each):
- Text: title and body are matched through searchapp.text (fold, stem by script, stop words),
  so "meetings" finds "meeting" and "выборов" finds "выборы"; the spelling vocabulary is the
  same words folded and unstemmed. A query word naming a place (searchapp's gazetteer, any
  script or inflection) also matches articles whose city/country field holds that place,
  unless the Term or Phrase is `exact` (typed =word: matched as written).
- Keyword fields (source, language, city, country) in the tree match a value case- and ё-blind;
  a city or country also by any name of the place. Filters match values exactly.
- Stories: every article stores the `story` key reindex gave it (searchapp.indexing.stories),
  returned with each hit (Scored.story) and on the stored Article; Filters.stories keeps only
  the articles of those stories, and every count honours it.
- Date periods: every article has one period key at its own precision, "YYYY", "YYYY-MM",
  "YYYY-MM-DD", or "unknown" (PERIOD_UNKNOWN). A date range keeps an article when its whole
  period lies inside [date_from, date_to].
"""
from __future__ import annotations

import datetime as dt
import importlib
import math
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, fields
from typing import Any, Literal, Protocol, runtime_checkable

from searchapp.config import Settings
from searchapp.errors import ConfigError
from searchapp.models import Article
from searchapp.querytree import Node

Mode = Literal["all", "any"]
Sort = Literal["relevance", "newest", "oldest"]
SORTS: tuple[Sort, ...] = ("relevance", "newest", "oldest")

# Facets a query may ask counts for. "period" counts date period keys (see the module docstring).
FACETS = ("source", "country", "city", "language", "period")
PERIOD_UNKNOWN = "unknown"


@dataclass(frozen=True)
class Filters:
    """Which articles may match at all; values within one dimension are ORed, dimensions ANDed.

    Each dimension is the "own filter" of one facet: sources of "source", countries of
    "country", cities of "city", languages of "language", and the calendar (year, month, day)
    of "period". The date range, `undated` and `ids` belong to no facet, so every count honours
    them.
    """

    sources: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    year: int | None = None               # the calendar: an article whose period lies in the
    month: int | None = None              # given year, month of that year (1-12) or day
    day: int | None = None
    date_from: dt.date | None = None      # the whole period on or after this day
    date_to: dt.date | None = None        # ...and on or before this one
    undated: bool = False                 # only articles in the "unknown" period
    ids: tuple[str, ...] = ()             # only these articles (none: no such restriction)
    stories: tuple[str, ...] = ()         # only the copies of these stories (Article.story keys)


# The filter dimension each facet ignores when it is counted.
OWN_FILTER: dict[str, tuple[str, ...]] = {
    "source": ("sources",), "country": ("countries",), "city": ("cities",),
    "language": ("languages",), "period": ("year", "month", "day"),
}


@dataclass(frozen=True)
class Query:
    """One question to a backend.

    mode "all": the tree as written (an And needs every item). mode "any": the items of a
    top-level And become alternatives, ranked by how many of them an article holds and how
    well; a word repeated in the query weighs more (plain words in this mode are matched in
    title and body only, not as places). `node` None matches every article.

    sort "relevance" ranks by score, best first, ties to the earlier-indexed article; with no
    node it orders as "newest". "newest"/"oldest" order by the period's first day (then its last
    day), undated articles last; ties in index order (newest: latest indexed first).
    Hits are the ranked matches from `offset`, at most `limit` of them.

    `deadline` is a time.perf_counter() value: past it the backend stops and says timed_out,
    returning what it has. `facets` names the FACETS to count; `periods` asks for the result's
    counts per date period.
    """

    node: Node | None = None
    mode: Mode = "all"
    filters: Filters = Filters()
    sort: Sort = "relevance"
    offset: int = 0
    limit: int = 10
    deadline: float = math.inf
    facets: frozenset[str] = frozenset()
    periods: bool = False


@dataclass(frozen=True)
class Scored:
    """One ranked article: its id, its score (0.0 when the order is not by score), its story."""

    id: str
    score: float
    story: str = ""


@dataclass(frozen=True)
class MissingShard:
    """A part of a distributed index that did not answer: results without it are partial.

    name: how the backend shows it ("shard 0 (n0)"). reason: "timed out" (it accepted the
    question but answered too late) or "down" (no copy could be reached). detail: the engine's
    own words, for logs (it may name internal addresses: not for the public page).
    """

    name: str
    reason: Literal["timed out", "down"]
    detail: str = ""


@dataclass
class Matches:
    """A backend's answer to a Query.

    total: matching articles under every filter. hits: the ranked page asked for.
    facets[name][value]: articles of that value among the matches under every filter but the
    facet's own (OWN_FILTER); for "period" the keys are period keys, rolled up (below).
    periods: the result's (every filter) counts per period key, rolled up: "2017" counts every
    article dated in 2017 at any precision, "2017-07" those dated in July 2017 to the month or
    the day, "2017-07-17" those dated to that day; "unknown" the undated ones.
    A period mapping may be computed lazily and may map a key to 0: read the keys you need.
    stopped: the tree held only stop words, so nothing was searched (and nothing matched).
    missing: the shards that did not answer (always empty on a one-index backend such as
    Whoosh): total, hits, facets and periods then count only the shards that did.
    """

    total: int
    hits: list[Scored] = field(default_factory=list)
    facets: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    periods: Mapping[str, int] = field(default_factory=dict)
    timed_out: bool = False
    stopped: bool = False
    missing: tuple[MissingShard, ...] = ()

    @property
    def partial(self) -> bool:
        return bool(self.missing)


@dataclass(frozen=True)
class SourceStats:
    """What the index holds of one source."""

    name: str
    display_name: str
    count: int
    date_from: dt.date | None      # first day of the earliest period, None when all undated
    date_to: dt.date | None        # last day of the latest period
    undated: int


@runtime_checkable
class Reader(Protocol):
    """One consistent view of the index; use it inside `with backend.reader() as r:` only."""

    def doc_count(self) -> int:
        """Return the number of live articles."""

    def search(self, query: Query) -> Matches:
        """Answer a query; raise QueryError when the engine refuses it (a prefix* too broad)."""

    def articles(self, ids: Sequence[str]) -> list[Article]:
        """Return the stored articles with these ids, in this order; ids not found are left out."""

    def similar(self, article_id: str, limit: int) -> list[Scored]:
        """Return up to `limit` other articles sharing this one's most telling words; NotFound."""

    def doc_frequency(self, word: str) -> int:
        """Return how many articles hold this folded, unstemmed word (the spelling vocabulary)."""

    def spelling(self, word: str, limit: int, max_distance: int) -> list[str]:
        """Return up to `limit` vocabulary words within `max_distance` edits, closest first."""

    def sources(self) -> list[SourceStats]:
        """Return every source in the index, by name."""


# --- the writer side --------------------------------------------------------------------------


@dataclass
class FileEntry:
    """What one corpus file was when it was last indexed, and what came of it."""

    size: int
    mtime_ns: int
    sha1: str
    outcome: str = "indexed"
    reason: str = ""
    ids: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # kept so an unchanged file's report still has them
    stories: list[str] = field(default_factory=list)    # each id's story key (indexing/stories.py)
    # Each id's MinHash signature: kept beside the manifest's JSON, not in it (searchapp.manifest_file
    # reads and writes both; a numpy array, a lazy view of the sidecar, or an old manifest's base64).
    sketches: Any = field(default=None, compare=False, repr=False)


_ENTRY_FIELDS = tuple(f.name for f in fields(FileEntry) if f.name != "sketches")


@dataclass
class Manifest:
    """What the index was built from: kept with the index, so it always describes it."""

    files: dict[str, FileEntry] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)    # source -> sha1 of its config
    templates: dict[str, str] = field(default_factory=dict)  # source -> sha1 of its template lines
    schema_version: int = 0
    corpus: str = ""  # the corpus folder the index was built from (`check` compares with it)

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict (files sorted by path)."""
        return {"schema_version": self.schema_version, "sources": self.sources,
                "templates": self.templates, "corpus": self.corpus,
                # (a shallow dict, not asdict: its deep copy of every id list was 2 s of a
                # +100-article reindex at 209,473 articles, for a dict only serialised)
                "files": {p: {f: getattr(e, f) for f in _ENTRY_FIELDS} for p, e in sorted(self.files.items())}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> "Manifest":
        """Build a Manifest from `to_json` output; an empty one from None."""
        if not data:
            return cls()
        return cls(files={p: FileEntry(**e) for p, e in data.get("files", {}).items()},
                   sources=dict(data.get("sources", {})),
                   templates=dict(data.get("templates", {})),
                   schema_version=int(data.get("schema_version", 0)),
                   corpus=str(data.get("corpus", "")))


@runtime_checkable
class Batch(Protocol):
    """Changes that land together: nothing is visible to readers until commit().

    With rebuild=True the batch fills a new, empty index beside the live one and commit()
    publishes it in one atomic step; readers see the old index or the whole new one.
    cancel() (or an exception out of `with`) drops everything. After either, the batch is done.
    """

    def add(self, article: Article) -> None:
        """Add one article; raise on one the engine refuses (the batch stays usable)."""

    def delete_paths(self, paths: Iterable[str]) -> None:
        """Delete every article read from one of these corpus files (relative paths)."""

    def save_manifest(self, manifest: Manifest) -> None:
        """Keep this manifest with the index; it lands with the commit."""

    def commit(self) -> None:
        """Make the batch visible (published atomically when rebuilding)."""

    def cancel(self) -> None:
        """Drop the batch; safe after a failed commit."""

    def __enter__(self) -> "Batch": ...

    def __exit__(self, *exc: object) -> None: ...


# --- health and state -------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeState:
    """One server of a distributed backend: whether it answers, and the shards it holds."""

    name: str
    address: str
    ok: bool
    shards: tuple[str, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class State:
    """What a backend can say about its index without raising.

    exists: an index was published. generation: the engine's name for the live version.
    schema_version: what it was built with (0 unknown), to compare with Backend.schema_version.
    damage: why it cannot be opened and read, or None. doc_count: live articles (0 when
    unknown). last_commit: ISO time of the last change. version: an opaque name of the
    committed state that changes with every commit (HTTP validators), None when the backend
    cannot tell. counters: engine events worth watching (the Whoosh backend's fast-path
    fall-backs), shown by `searchapp stats` and /healthz. nodes: each server of a distributed
    backend and whether it answers (empty on Whoosh); missing: the shards no copy answers for,
    so every search is partial while they are (the index is still served: damage stays None).
    """

    exists: bool
    generation: str | None = None
    schema_version: int = 0
    damage: str | None = None
    doc_count: int = 0
    last_commit: str | None = None
    counters: Mapping[str, int] = field(default_factory=dict)
    version: str | None = None
    nodes: tuple[NodeState, ...] = ()
    missing: tuple[MissingShard, ...] = ()

    @property
    def ok(self) -> bool:
        return self.exists and self.damage is None


@runtime_checkable
class Backend(Protocol):
    """An index engine behind the seam; one per process, shared by its threads."""

    name: str
    schema_version: int              # what this code builds; a different one needs a rebuild

    def reader(self) -> AbstractContextManager[Reader]:
        """Return a consistent view of the latest committed index; IndexUnavailable if none."""

    def batch(self, *, rebuild: bool = False) -> Batch:
        """Start a batch of changes (callers hold indexing's writer lock)."""

    def manifest(self) -> Manifest:
        """Return the manifest kept with the live index (empty when there is none)."""

    def recover(self) -> list[str]:
        """Remove what a crashed writer left behind; return what was removed (writer lock held)."""

    def state(self, *, quick: bool = False) -> State:
        """Return the index's state; never raise. quick: from what is at hand, never waiting
        for a running search or opening the index (for a busy health check)."""

    def vocabulary(self, wait: float = 0.0) -> frozenset[str] | None:
        """Return the spelling vocabulary (folded words as written) of the index readers last
        saw, kept fresh in the background; never takes the readers' lock. Waits up to `wait` s
        for a first list; None when none is read yet. Spelling candidates are bounded edits
        looked up in this set (searchapp.names.spelling), never a walk of the index."""

    def close(self) -> None:
        """Release readers, files and connections (safe twice)."""


def open_backend(settings: Settings) -> Backend:
    """Return the backend Settings.backend names (searchapp.backends.<name>.open(settings))."""
    try:
        module = importlib.import_module(f"searchapp.backends.{settings.backend}")
    except ModuleNotFoundError as exc:
        if exc.name != f"searchapp.backends.{settings.backend}":
            raise  # a dependency of the backend is missing: fail loudly, do not degrade
        raise ConfigError(f"unknown backend {settings.backend!r}: searchapp/backends/ has no "
                          "package of that name") from None
    return module.open(settings)

