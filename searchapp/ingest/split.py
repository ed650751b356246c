"""Split a listing page (several dated items on one page) into one Draft per item.

A page is a listing when at least two blocks are item headers: a line that is just a full date
("26.07.2024"), or a short heading that ends in one ("Meeting held 29.03.2024"), each followed by
content. One dated line at the top of an ordinary article is not enough.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from searchapp.ingest import dates
from searchapp.models import Draft

_MAX_HEADING = 200
_DIGIT = re.compile(r"\d")
_MAX_PREAMBLE = 300
_MAX_BLOCKS = 5_000


_ONE_ARTICLE_SHARE = 0.8


def _is_prose(block: str) -> bool:
    return len(block) > 120 or block.rstrip().endswith((".", "!", "?", "…", "»", "”", '"'))


@dataclass
class _Header:
    index: int
    heading: str | None
    date_raw: str


def _header(block: str, order: str) -> _Header | None:
    # What the two date tests below would say at once: no date line over 80 characters (stripped),
    # no header over _MAX_HEADING, and no date without a digit.
    if len(block) > _MAX_HEADING and len(block.strip()) > 80:
        return None
    if not _DIGIT.search(block):
        return None
    found = dates.is_date_line(block, order=order)
    if found is not None and found.precision == "day":
        return _Header(-1, None, block.strip())
    if len(block) > _MAX_HEADING:
        return None
    spans = dates.find_dates(block, order=order)
    if not spans:
        return None
    start, end, found = spans[-1]
    heading = block[:start].strip(" -–—|,:")
    if found.precision != "day" or block[end:].strip(" .") or not heading:
        return None
    if heading.endswith((".", "!", "?")) or len(heading.split()) < 2:
        return None
    return _Header(-1, heading, block[start:end])


def split_listing(draft: Draft, *, order: str = "DMY") -> list[Draft]:
    """Return one Draft per dated item when `draft` is a listing page, else [draft]."""
    blocks = draft.blocks
    if len(blocks) > _MAX_BLOCKS:  # a pasted table or log, not a page of news items
        return [draft]
    headers: list[_Header] = []
    for i, block in enumerate(blocks):
        head = _header(block, order)
        if head is not None:
            head.index = i
            headers.append(head)
    if len(headers) < 2:
        return [draft]
    # Every item needs content, and nothing substantial may come before the first item.
    bounds = [h.index for h in headers] + [len(blocks)]
    # Every item needs a paragraph of its own, not just a heading line.
    for k in range(len(headers)):
        content = blocks[bounds[k] + 1: bounds[k + 1]]
        if not any(len(b) > 120 or b.rstrip().endswith((".", "!", "?", "…", "»", "”", '"')) for b in content):
            return [draft]
    if sum(len(b) for b in blocks[: headers[0].index]) > _MAX_PREAMBLE:
        return [draft]
    # A heading just above its header (repeated in a dated copy, or above a bare date) is the
    # item's title and not the end of the previous item.
    title_at: dict[int, int] = {}
    for k, head in enumerate(headers):
        prev = head.index - 1
        floor = headers[k - 1].index + 1 if k else -1
        if prev <= floor:
            continue
        line = blocks[prev].strip()
        if head.heading and line == head.heading:
            title_at[k] = prev
        elif head.heading is None and len(line) <= _MAX_HEADING and not line.endswith((".", "!", "?", ":")):
            title_at[k] = prev
    # One article with its date again at its foot (an author box, a citation, a comment) is not
    # a listing: one "item" holds nearly all the prose of the page.
    prose = [sum(len(b) for b in blocks[bounds[k] + 1: bounds[k + 1]] if _is_prose(b)) for k in range(len(headers))]
    if max(prose) >= _ONE_ARTICLE_SHARE * sum(prose):
        return [draft]
    items: list[Draft] = []
    for k, head in enumerate(headers):
        end = title_at.get(k + 1, bounds[k + 1])
        title = head.heading
        if title is None and k in title_at:
            title = blocks[title_at[k]].strip()
        items.append(replace(
            draft,
            blocks=list(blocks[head.index + 1:end]),
            title=title,
            date_raw=head.date_raw,
            date_provenance="listing item date",
            item=len(items),
            removed=list(draft.removed) if not items else [],
        ))
    return [item for item in items if item.blocks]
