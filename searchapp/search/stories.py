"""Syndicated copies on a results page: one hit per story, and where else each story appeared.

Collapsing keeps, of each story, its best-ranked match, in the ranking's order. A page is a
slice of that collapsed list, computed from the same ranked prefix every time, so a story is on
one page only and pages do not shift: page p needs p * size stories, so the ranking is read
until it has them, the matches run out, or `collapse_window` matches were read (then the later
pages are not offered, and the page says collapse=0 pages further). The stories among the
matches are counted exactly when every match was read (always up to COUNTED matches), and left
unknown otherwise.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from searchapp.backend import Filters, Query, Reader, Scored
from searchapp.models import Article

# Up to this many matches, collapsing reads them all so the page can say how many stories they
# are; past it, only as many as the page needs (each match read costs its stored fields).
COUNTED = 200


def collapse(hits: Sequence[Scored]) -> list[Scored]:
    """Return the first (best-ranked) hit of each story, in order."""
    seen: set[str] = set()
    out = []
    for h in hits:
        key = h.story or f"id:{h.id}"
        if key not in seen:
            seen.add(key)
            out.append(h)
    return out


@dataclass
class StoryCopies:
    """The copies of one story in the index: how many, and the first few (oldest first)."""

    count: int = 0
    articles: list[Article] = field(default_factory=list)


def copies_of(reader: Reader, stories: Sequence[str], listed: int, deadline: float,
              cap: int = 2000) -> dict[str, StoryCopies]:
    """Return each story's copies: one search for every story of a page (at most `cap` copies)."""
    keys = tuple(dict.fromkeys(s for s in stories if s))
    if not keys:
        return {}
    got = reader.search(Query(filters=Filters(stories=keys), sort="oldest", limit=cap,
                              deadline=deadline))
    out: dict[str, StoryCopies] = {k: StoryCopies() for k in keys}
    wanted: list[str] = []
    for h in got.hits:
        entry = out.get(h.story)
        if entry is None:
            continue
        entry.count += 1
        if entry.count <= listed + 1:      # the hit itself may be one of them
            wanted.append(h.id)
    articles = {a.id: a for a in reader.articles(wanted)}
    for h in got.hits:
        entry = out.get(h.story)
        if entry is not None and h.id in articles and len(entry.articles) <= listed:
            entry.articles.append(articles[h.id])
    return out
