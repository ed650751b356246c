"""Split a listing page (several dated items on one page) into one Draft per item.

A page is a listing when at least two blocks are item headers: a line that is just a full date
("26.07.2024"), or a short heading that ends in one ("Meeting held 29.03.2024"), each followed by
content. One dated line at the top of an ordinary article is not enough.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from searchapp.ingest import dates
from searchapp.ingest.comment_cues import COMMENT_SECTION
from searchapp.models import Draft

_MAX_HEADING = 200
_DIGIT = re.compile(r"\d")
_MAX_PREAMBLE = 300
_MAX_BLOCKS = 5_000


_ONE_ARTICLE_SHARE = 0.8
# An embedded tweet's attribution, "— Hertha Fans (@hertha_fans)" over its date or before it on one
# line: the date is the post's, inside the article, no item boundary. (A byline with a handle,
# "Dana Omarova (@dana_o)", over an item's date in a blog listing has no dash before it.)
_EMBED_HANDLE = re.compile(r"(?:^|\s)[—–]\s*[^—–\n]{1,80}\(@\w{1,30}\)")
# A block going on with the sentence of the one above it: a link cut the sentence there.
_GOES_ON = re.compile(r"^\s*[.,;:)]")
# The heading of a page's comment section ("Reader Comments", "12 comments", "Kommentare (3)"): the
# dates under it are the comments'. A blog listing has "Leave a comment" under every item, with one
# item date before the next link, so a heading counts only with two dates or more under it.
_COMMENTS_HEADING = re.compile(
    rf"^\W*(?:\d+\s+)?(?:reader |user |readers' )?(?:{COMMENT_SECTION}|discussion|leserkommentare|leserpost|leserbriefe"
    r"|commenti)\s*(?:\(\d+\)|\d+)?\W*$", re.I)
# A sentence that ends with its date ("Photos posted by his wife while in Las Vegas on January 20,
# 2017", a caption) is no item heading ("Posted on 3 March 2024", "Meeting held 29.03.2024" are).
_SENTENCE_DATE = re.compile(r"\s(?:on|in|at|since|until|during|am|seit)$")
_MIN_SENTENCE_HEADING = 6


def _is_prose(block: str) -> bool:
    return len(block) > 120 or block.rstrip().endswith((".", "!", "?", "…", "»", "”", '"'))


def _inside_article(blocks: list[str], i: int) -> bool:
    """Return True when the date of block `i` is inside the article's text, not an item's header.

    An embedded post's date ("— Name (@handle)" over it), or a link inside a sentence that the
    next block goes on from ("Bulletin of 15 April 2020" / ". The institute counts...").
    """
    if i + 1 < len(blocks) and _GOES_ON.match(blocks[i + 1]):
        return True
    return bool(_EMBED_HANDLE.search(blocks[i])) or (i > 0 and len(blocks[i - 1]) <= _MAX_HEADING
                                                      and bool(_EMBED_HANDLE.search(blocks[i - 1])))


def _comment_dates(blocks: list[str], headers: list[_Header]) -> set[int]:
    """Return the indexes of the headers that date comments: those under the page's comment section heading.

    The section is the first comment heading with two dates or more under it before the next one,
    below the article's own date ("Comments" in a menu over a listing is no section).
    """
    first = headers[0].index if headers else len(blocks)
    marks = [i for i, b in enumerate(blocks) if i > first and len(b) <= 60 and _COMMENTS_HEADING.match(b)]
    for k, mark in enumerate(marks):
        until = marks[k + 1] if k + 1 < len(marks) else len(blocks)
        under = {h.index for h in headers if mark < h.index < until}
        if len(under) >= 2:
            return {h.index for h in headers if h.index > mark}
    return set()


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
    if heading.endswith((".", "!", "?")) or len(heading.split()) < 2 or heading[:1].islower():
        # (a heading opening in lower case is a piece of a sentence a link cut: "desde 4 al 31 de mayo del 2020")
        return None
    if len(heading.split()) >= _MIN_SENTENCE_HEADING and _SENTENCE_DATE.search(heading):
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
        if head is not None and not _inside_article(blocks, i):
            head.index = i
            headers.append(head)
    if len(headers) >= 2 and (comments := _comment_dates(blocks, headers)):
        headers = [h for h in headers if h.index not in comments]
    if len(headers) < 2:
        return [draft]
    if len(headers) == 2 and dates.day_of(headers[0].date_raw, order=order) == dates.day_of(headers[1].date_raw,
                                                                                              order=order):
        # One article dated twice (a masthead's date and its own, its head and its foot), not a
        # listing of two items of one day.
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
        # "[", "|" or "•" left on its own line above a date is a link's or list's markup: the
        # heading is above it.
        while prev - 1 > floor and prev >= head.index - 2 and not any(c.isalpha() for c in blocks[prev]):
            prev -= 1
        if prev <= floor:
            continue
        line = blocks[prev].strip()
        if head.heading and line == head.heading:
            title_at[k] = prev
        elif (head.heading is None and len(line) <= _MAX_HEADING and not line.endswith((".", "!", "?", ":"))
              and any(c.isalpha() for c in line)):
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
