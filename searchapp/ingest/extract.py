"""Field extraction: a cleaned Draft -> an Article (title, dates, byline, dateline, places, language).

The header zone (the few short lines before the first paragraph) is where dumps keep their
metadata: a section label, the title, a page-header date, a byline with date and category, a
dateline. Each is recognised by its shape; what is taken out of the text goes to `removed`.
"""
from __future__ import annotations

import datetime as dt
import re

from searchapp import gazetteer as places
from searchapp.ingest import byline_cues, dates, headline as headlines, language, page_bylines, page_dates
from searchapp.models import Article, Draft, SourceConfig

_MAX_TITLE = 300
_PLACE_SCAN_CHARS = 200_000
_HEADER_ZONE = 8
_BYLINE = re.compile(rf"^(?:{byline_cues.LABELLED})\s*(?P<rest>.*)$", re.I)
_SOURCE_LINE = re.compile(r"^(?:source|источник)\s*:\s*(?P<name>.{2,80})$", re.I)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z\u0410-\u042f\u0401][A-Za-z\u0410-\u044f\u0401\u0451 .'’-]{1,40}?)"
    r"(?:\s*\([^)]{1,30}\))?(?:,\s*(?P<date>[^–—\-\n/(]{3,30}?))?"
    # then a dash, or a news agency tag: "(Reuters) –", "/Новости-Грузия/."
    r"(?:\s*[–—-]{1,2}|\s*(?:\([^)\n]{2,40}\)|/[^/\n]{2,40}/)\s*[.:–—-]?)\s+\S")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-Z\u0410-\u042f\u0401\"“«])")


def _is_heading(block: str) -> bool:
    # (Chinese and Japanese end a sentence with "。" and write a paragraph with no spaces)
    return len(block) <= _MAX_TITLE and not block.rstrip().endswith((".", ";", ",", "。", "，")) or (
        len(block) <= 120 and block.rstrip().endswith(("?", "!")))


def _short_title(text: str, limit: int = 140) -> str:
    """Return the first sentence of `text`, cut at a word boundary when long."""
    first = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    if len(first) <= limit:
        return first.rstrip(".")
    cut = first[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:–- ") + "…"


_COLON_DATELINE = re.compile(r"^(?P<place>[A-Z\u0410-\u042f\u0401][A-Za-z\u0410-\u044f\u0401\u0451 .'’-]{1,30}?):\s+\S")


def _dateline(paragraph: str) -> str | None:
    """Return the place a paragraph's dateline names ("ASTANA – The council..." -> "Astana")."""
    m = _DATELINE.match(paragraph)
    if not m:
        # "LONDON: Motor racing's..." (agency copy in flattened dumps): only a known place counts.
        c = _COLON_DATELINE.match(paragraph)
        place = c.group("place").strip(" .,") if c else ""
        if place and places.canonical_place(place):
            return place.title() if place.isupper() else place
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
        # The place lookup is a dictionary hit; the date parse is the expensive test, so it goes last.
        if not prefix or len(prefix) > 40 or not places.canonical_place(prefix):
            continue
        if (dates.is_date_line(tail, order=order)
                or dates.is_date_line(tail, order=order, reference_year=2000)):
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
        year_only: tuple[dates.FoundDate, str] | None = None
        month_only: tuple[dates.FoundDate, str] | None = None
        for _, raw, _prov in sorted(self.candidates, key=lambda c: c[0]):
            found = dates.parse_date(raw, order=self.order)
            if found is None and page_date is not None:
                found = dates.parse_date(raw, order=self.order, reference_year=page_date.year)
                if found is not None and _as_date(found.value) > page_date:
                    found = dates.parse_date(raw, order=self.order, reference_year=page_date.year - 1)
            first_raw = first_raw or raw
            if found is not None and found.precision == "year":
                # A bare year line ("2018" under a photo, the tail of a date split over lines) yields
                # to any candidate that states a day or month.
                year_only = year_only or (found, raw)
            elif found is not None and found.precision == "month" and month_only is None:
                # "Dezember 2010" (a date whose day a layout put on the line above) is refined by a
                # day of that month stated elsewhere, and contradicted by no other.
                month_only = (found, raw)
            elif found is not None:
                if month_only and (found.value.year, found.value.month) != (month_only[0].value.year,
                                                                            month_only[0].value.month):
                    return month_only[0], month_only[1], page_date
                return found, raw, page_date
        if month_only:
            return month_only[0], month_only[1], page_date
        if year_only:
            return year_only[0], year_only[1], page_date
        return None, first_raw, page_date


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


_UPDATED = re.compile(rf"^\W*(?:{page_dates.UPDATE_CUES})(?!\w)", re.I)
_PUBLISHED = re.compile(r"^\W*(?:published|posted|date|опубликовано|дата(?:\s+публикации)?"
                        r"|publi[ée]e?\s+le|veröffentlicht\s+am|publicad[oa]\s+(?:el|em)|pubblicat[oa]\s+il)(?!\w)\s*:?\s*",
                        re.I)
_SEPARATORS = re.compile(r"\s+[|•·/]\s+|\s+[–—]\s+")


def _parse_byline(rest: str, order: str) -> tuple[str | None, str | None, str | None]:
    """Split a byline remainder into (author, date text, trailing label such as a category).

    Bylines come as "NAME | Published: DATE | Updated: DATE" or "DATE CATEGORY" (WordPress
    themes print "by AUTHOR DATE CATEGORY" and leave AUTHOR empty).
    """
    author = date_raw = label = None
    for part in _SEPARATORS.split(rest):
        part = part.strip(" ,:")
        if not part or _UPDATED.match(part):
            continue
        spans = dates.find_dates(part, order=order)
        if spans and date_raw is None:
            s, e, _ = spans[0]
            date_raw = part[s:e]
            who = _PUBLISHED.sub("", part[:s]).strip(" ,|–-")
            after = part[e:].strip(" ,|–-")
            if who and author is None and not _PUBLISHED.match(part):
                author = who
            if after and len(after.split()) <= 4 and not re.search(r"\d", after):
                label = after
        elif author is None and not spans and len(part.split()) <= 6 and any(c.isalpha() for c in part):
            author = part   # ("By :" / name on the next line states no name here)
    return author, date_raw, label


def _pick_title(headings: list[str], hint: str | None = None) -> int:
    """Return the index of the title among the header-zone headings.

    The headline cleaning found in a dump wins; otherwise menus and section labels above a
    title are short, so the title is the first heading of four or more words, else the longest.
    """
    if hint is not None and hint in headings:
        return headings.index(hint)
    for k, text in enumerate(headings):
        if headlines.word_count(text) >= 4:
            return k
    return max(range(len(headings)), key=lambda k: len(headings[k]))


def extract_article(draft: Draft, *, source: SourceConfig, rel_path: str, article_id: str) -> Article:
    """Build the Article for one cleaned Draft."""
    order = source.date_order
    blocks = list(draft.blocks)
    removed = list(draft.removed)
    found_dates = _Dates(order)
    found_dates.add(0, draft.date_raw, draft.date_provenance or "stated")
    found_dates.add(5, draft.fallback_date_raw, "a date line of the page away from the article's header")
    if draft.page_date_raw:
        found_dates.page.append(draft.page_date_raw)
    title, section, author = draft.title, draft.section, draft.author
    source_name = None
    dateline = None
    headings: list[tuple[int, str]] = []          # (block index, text) of short heading lines
    header_dates: list[tuple[int, str]] = []      # (block index, raw) of date-only lines
    body_start = len(blocks)
    hint_at = blocks.index(draft.title_hint) if draft.title_hint in blocks else -1
    body_idx: list[int] = []
    for i, block in enumerate(blocks):
        text = block.strip()
        m_source = _SOURCE_LINE.match(text) if len(text) <= 90 else None
        if m_source:
            source_name = m_source.group("name").strip(" .")
            removed.append(f"source line: {text}")
            continue
        if i >= body_start:
            body_idx.append(i)
            continue
        if i >= _HEADER_ZONE + len(header_dates):
            body_start = i
            body_idx.append(i)
            continue
        if title and text == title:
            continue
        if _UPDATED.match(text) and len(text) <= 80 and dates.find_dates(text, order=order):
            removed.append(f"update date: {text}")
            continue
        if dates.is_date_line(text, order=order):
            header_dates.append((i, _PUBLISHED.sub("", text).strip()))
            removed.append(f"date line: {text}")
            continue
        pd = _place_date_line(text, order)
        if pd:
            dateline = dateline or pd[0]
            found_dates.add(2, pd[1], "dateline")
            removed.append(f"dateline: {text}")
            continue
        # A year-less date line ("Published: 1 March") is a date line too; 2000 is only a probe
        # (a leap year, so 29 February passes) and never becomes the article's year.
        if len(text) <= 60 and dates.is_date_line(text, order=order, reference_year=2000):
            header_dates.append((i, _PUBLISHED.sub("", text).strip()))
            removed.append(f"date line: {text}")
            continue
        m_by = _BYLINE.match(text)
        if m_by and len(text) <= 150:
            who, date_raw, label = _parse_byline(m_by.group("rest"), order)
            found_dates.add(1, date_raw, "byline")
            if label and not section:
                section = label
            if who and not author:
                author = page_bylines.names_of(who)   # ("Anna Smith and John Doe" -> "Anna Smith, John Doe")
            removed.append(f"byline: {text}")
            continue
        # The line cleaning took for a dump's headline is one even when it ends with a full stop.
        if (_is_heading(text) or text == draft.title_hint) and len(text) <= 200:
            headings.append((i, text))
            continue
        if i < hint_at:
            # above the headline cleaning found: header text (a date no pattern reads), not the body
            removed.append(f"header text: {text}")
            continue
        body_idx.append(i)
        headline_at = hint_at if hint_at >= 0 else (headings[-1][0] if headings else None)
        if headline_at == i - 1 and i + 1 < len(blocks) \
                and (under := dates.is_date_line(blocks[i + 1].strip(), order=order)) and under.precision == "day":
            # "Headline / standfirst / 27 Apr 2020": the standfirst is text, the date under it the header's
            continue
        body_start = i
    title_at = None
    if headings and title is None:
        k = _pick_title([h for _, h in headings], draft.title_hint)
        title_at = headings[k][0]
        if draft.hint_whole and headings[k][1] == draft.title_hint:
            title = headings[k][1]    # cleaning read it off the <title> with the site's name cut already
        else:
            title = headlines.strip_site_name(headings[k][1], source.display_name if source.named else None,
                                              own_headline=draft.own_headline and headings[k][0] == 0)
        before = headings[:k]
        if before and not section:
            label = before[-1][1]
            if len(label.split()) <= 4 and not re.search(r"\d", label):
                section = label
                removed.append(f"section label: {label}")
                before = before[:-1]
        removed.extend(f"header text: {h}" for _, h in before)
        headings = headings[k + 1:]
    # Headings after the title (a standfirst) or in a page whose title the format stated are text.
    keep = sorted(set(body_idx) | {i for i, _ in headings})
    body = [blocks[i] for i in keep]
    if not body and title_at is not None and draft.title_hint is None and (
            len(blocks[title_at]) > _MAX_TITLE // 2 or _SENTENCE_END.search(blocks[title_at])):
        # A post of one unpunctuated block ("... Подробнее: https://...") is its own text, not a
        # headline over nothing: its first sentence is the title, the block stays the body.
        body, title = [blocks[title_at]], _short_title(blocks[title_at])
    # A date line above the title, when the article has a date of its own, is the page's date.
    if title_at is not None:
        above = [raw for i, raw in header_dates if i < title_at]
        others = [raw for i, raw in header_dates if i > title_at]
        if above and (others or found_dates.candidates):
            found_dates.page.extend(above)
            header_dates = [(i, raw) for i, raw in header_dates if i > title_at]
    for _, raw in header_dates:
        found_dates.add(3, raw, "date line")
    # A date line closing the article ("Published on 14 May 2021") is its date, not its text.
    if len(body) > 1 and (foot := page_dates.foot_date(body, order)) is not None:
        # (an "Updated:" one only when nothing else dates the article)
        found_dates.add(6 if foot[1] else 4, foot[0], "date line at the article's foot")
        removed.append(f"date line: {body.pop().strip()}")
    author = author or draft.fallback_author
    # Trailing author line, as Kazinform and many agencies sign articles ("Related Videos", "Show
    # Comments" under a dump's article have a name's shape but menu words).
    if not author and len(body) > 1 and byline_cues.PERSON.match(body[-1].strip()) and not places.canonical_place(body[-1].strip()) \
            and page_bylines.person_name(body[-1]):
        author = body.pop().strip()
        removed.append(f"author line: {author}")
    # A text some dataset lower-cased whole ("москва, 31 янв - риа новости.") has its place names
    # recased for the dateline and the places, or a user would get neither and no word why.
    folded = places.case_folded(" ".join(body[:3])[:places.FOLD_SAMPLE])
    # The dateline opens the story proper, which may follow a lead or a topic label.
    for para in body[:3] if dateline is None else []:
        para = places.recase(para[:200]) if folded else para
        dateline = _dateline(para)
        if dateline:
            m = _DATELINE.match(para)
            if m and m.group("date") and dates.split_partial(m.group("date")):
                # ("MIAMI, Fla. -": a state's abbreviation where the date would be is no date)
                found_dates.add(4, m.group("date"), "dateline")
            break
    if title is None and body:
        title = _short_title(body[0])
    # Last of all, the day the article's URL states (an export with no date column: Lenta.ru's).
    found_dates.add(8, dates.url_date(draft.url), "url")
    found, published_raw, page_date = found_dates.resolve()
    text_sample = " ".join([title or ""] + body[:6])
    # Places come from the head of very long texts: a 5 MB register pasted as an article would
    # otherwise cost seconds for names that the first pages already give.
    scanned = " ".join([title or ""] + body)[:_PLACE_SCAN_CHARS]
    cities, countries = places.find_places(places.recase(scanned) if folded else scanned)
    return Article(
        id=article_id,
        source=source.name,
        # A "Source:" credit names the outlet that first ran the piece; then the folder's own
        # name from source.toml; a page's og:site_name only for folders without one.
        source_name=source_name or (source.display_name if source.named else None)
        or draft.source_name or source.display_name,
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
        language=draft.language if draft.language_stated and draft.language else
        language.detect_language(text_sample, hint=draft.language, default=source.language or "en"),
        cities=cities,
        countries=countries,
        body=body,
        removed=removed,
    )
