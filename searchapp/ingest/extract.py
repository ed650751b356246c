"""Field extraction: a cleaned Draft -> an Article (title, dates, byline, dateline, places, language).

The header zone (the few short lines before the first paragraph) is where dumps keep their
metadata: a section label, the title, a page-header date, a byline with date and category, a
dateline. Each is recognised by its shape; what is taken out of the text goes to `removed`.
"""
from __future__ import annotations

import datetime as dt
import re

from searchapp.ingest import dates, language, places
from searchapp.models import Article, Draft, SourceConfig

_MAX_TITLE = 300
_HEADER_ZONE = 8
_BYLINE = re.compile(r"^(?:by|written\s+by|posted\s+by|author:|автор:|автор\s|текст:)\s*(?P<rest>.*)$", re.I)
_SOURCE_LINE = re.compile(r"^(?:source|источник)\s*:\s*(?P<name>.{2,80})$", re.I)
_NAME = re.compile(r"^(?:[A-Z\u0410-\u042f\u0401][a-z\u0430-\u044f\u0451'’-]+\.?\s){1,3}[A-Z\u0410-\u042f\u0401][a-z\u0430-\u044f\u0451'’-]+$")
_DATELINE = re.compile(
    r"^(?P<place>[A-Z\u0410-\u042f\u0401][A-Za-z\u0410-\u044f\u0401\u0451 .'’-]{1,40}?)"
    r"(?:\s*\([^)]{1,30}\))?(?:,\s*(?P<date>[^–—\-\n]{3,30}?))?\s*(?:\(\w+\)\s*)?[–—-]{1,2}\s+\S")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-Z\u0410-\u042f\u0401\"“«])")


def _is_heading(block: str) -> bool:
    return len(block) <= _MAX_TITLE and not block.rstrip().endswith((".", ";", ",")) or (
        len(block) <= 120 and block.rstrip().endswith(("?", "!")))


def _short_title(text: str, limit: int = 140) -> str:
    """Return the first sentence of `text`, cut at a word boundary when long."""
    first = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    if len(first) <= limit:
        return first.rstrip(".")
    cut = first[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:–- ") + "…"


def _dateline(paragraph: str) -> str | None:
    """Return the place a paragraph's dateline names ("ASTANA – The council..." -> "Astana")."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None
    place = m.group("place").strip(" .,")
    dated = bool(m.group("date")) and dates.split_partial(m.group("date")) is not None
    if place.isupper() or dated or places.canonical_place(place):
        return place.title() if place.isupper() else place
    return None


def _place_date_line(block: str, order: str) -> tuple[str, str] | None:
    """Split a line like "Almaty city12 June , 10:39" into ("Almaty", "12 June , 10:39")."""
    if len(block) > 80 or not re.search(r"\d", block):
        return None
    # Try each place the date could start: after a space, or where letters turn into digits.
    # Longest place name first, so "Almaty city12 June" is not read as "Almaty" + "city12 June".
    for m in reversed(list(re.finditer(r"(?<=\s)\S|(?<=[^\W\d])\d", block))):
        head, tail = block[: m.start()], block[m.start():]
        prefix = re.sub(r"\b(?:city|town|village|г\.|город)\s*$", "", head.strip(" ,|–-"), flags=re.I).strip(" ,")
        if not prefix or len(prefix) > 40:
            continue
        if not (dates.is_date_line(tail, order=order) or dates.split_partial(tail)):
            continue
        if dates.split_partial(tail) is None and dates.parse_date(tail, order=order) is None:
            continue
        if places.canonical_place(prefix):
            return prefix, tail.strip()
    return None


class _Dates:
    """Collect candidate dates with where they came from; choose the article's and the page's."""

    def __init__(self, order: str) -> None:
        self.order = order
        self.candidates: list[tuple[int, str, str]] = []  # (priority, raw, provenance)
        self.page: list[str] = []

    def add(self, priority: int, raw: str | None, provenance: str) -> None:
        if raw:
            self.candidates.append((priority, raw.strip(), provenance))

    def resolve(self) -> tuple[dates.FoundDate | None, str | None, dt.date | None]:
        page_found = None
        for raw in self.page:
            page_found = dates.parse_date(raw, order=self.order)
            if page_found:
                break
        page_date = _as_date(page_found.value) if page_found else None
        first_raw = None
        for _, raw, _prov in sorted(self.candidates, key=lambda c: c[0]):
            found = dates.parse_date(raw, order=self.order)
            if found is None and page_date is not None:
                found = dates.parse_date(raw, order=self.order, reference_year=page_date.year)
                if found is not None and _as_date(found.value) > page_date:
                    found = dates.parse_date(raw, order=self.order, reference_year=page_date.year - 1)
            first_raw = first_raw or raw
            if found is not None:
                return found, raw, page_date
        return None, first_raw, page_date


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def extract_article(draft: Draft, *, source: SourceConfig, rel_path: str, article_id: str) -> Article:
    """Build the Article for one cleaned Draft."""
    order = source.date_order
    blocks = list(draft.blocks)
    removed = list(draft.removed)
    found_dates = _Dates(order)
    found_dates.add(0, draft.date_raw, draft.date_provenance or "stated")
    if draft.page_date_raw:
        found_dates.page.append(draft.page_date_raw)
    title, section, author = draft.title, draft.section, draft.author
    source_name = None
    dateline = None
    body: list[str] = []
    title_pos: int | None = None
    header_dates: list[tuple[int, str]] = []   # (position, raw) of date-only lines near the top
    in_header = True
    for i, block in enumerate(blocks):
        text = block.strip()
        if in_header and (i >= _HEADER_ZONE or (len(text) > 200 and not _is_heading(text))):
            in_header = False
        m_source = _SOURCE_LINE.match(text) if len(text) <= 90 else None
        if m_source:
            source_name = m_source.group("name").strip(" .")
            removed.append(f"source line: {text}")
            continue
        if not in_header:
            body.append(block)
            continue
        if title and text == title:
            continue
        if dates.is_date_line(text, order=order):
            header_dates.append((len(body) if title is None else 1 + len(body), text))
            removed.append(f"date line: {text}")
            continue
        m_by = _BYLINE.match(text)
        if m_by and len(text) <= 150:
            rest = m_by.group("rest")
            spans = dates.find_dates(rest, order=order)
            if spans:
                s, e, _ = spans[0]
                found_dates.add(1, rest[s:e], "byline")
                who, after = rest[:s].strip(" ,|–-"), rest[e:].strip(" ,|–-")
                if after and not section and len(after.split()) <= 4:
                    section = after
            else:
                who = rest.strip()
            if who and not author:
                author = who
            removed.append(f"byline: {text}")
            continue
        pd = _place_date_line(text, order)
        if pd:
            dateline = dateline or pd[0]
            found_dates.add(2, pd[1], "dateline")
            removed.append(f"dateline: {text}")
            continue
        if title is None and _is_heading(text):
            nxt = blocks[i + 1].strip() if i + 1 < len(blocks) else ""
            # A short label above a longer heading is the section ("International integration").
            if (not section and len(text.split()) <= 4 and not re.search(r"\d", text)
                    and _is_heading(nxt) and len(nxt) > len(text) and not dates.is_date_line(nxt, order=order)
                    and not _BYLINE.match(nxt)):
                section = text
                removed.append(f"section label: {text}")
                continue
            title = text
            title_pos = i
            continue
        in_header = False
        body.append(block)
    # Dates on their own line: one above the title while another date exists is the page's header date.
    for pos, raw in header_dates:
        found_dates.add(3, raw, "date line")
    if title_pos is not None and len(header_dates) >= 1:
        before = [raw for pos, raw in header_dates if pos == 0 and title_pos > 0]
        if before and (len(header_dates) > 1 or len(found_dates.candidates) > len(header_dates)):
            found_dates.page.extend(before)
            found_dates.candidates = [c for c in found_dates.candidates if c[1] not in before]
    # Trailing author line, as Kazinform and many agencies sign articles.
    if not author and len(body) > 1 and _NAME.match(body[-1].strip()) and not places.canonical_place(body[-1].strip()):
        author = body.pop().strip()
        removed.append(f"author line: {author}")
    if body and dateline is None:
        dateline = _dateline(body[0])
        if dateline:
            m = _DATELINE.match(body[0])
            if m and m.group("date"):
                found_dates.add(4, m.group("date"), "dateline")
    if title is None and body:
        title = _short_title(body[0])
    found, published_raw, page_date = found_dates.resolve()
    text_sample = " ".join([title or ""] + body[:6])
    cities, countries = places.find_places(" ".join([title or ""] + body))
    return Article(
        id=article_id,
        source=source.name,
        source_name=source_name or draft.source_name or source.display_name,
        path=rel_path,
        url=draft.url,
        title=title or "(untitled)",
        section=section,
        author=author,
        dateline=dateline,
        published=found.value if found else None,
        published_raw=found.raw if found else published_raw,
        date_precision=found.precision if found else None,
        date_inferred=found.inferred if found else False,
        page_date=page_date,
        language=language.detect_language(text_sample, hint=draft.language, default=source.language or "en"),
        cities=cities,
        countries=countries,
        body=body,
        removed=removed,
    )
