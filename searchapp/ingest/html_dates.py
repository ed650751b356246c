"""Find the publication date an HTML page states, and where it stated it.

Order of trust: JSON-LD datePublished, publication <meta> tags, marked-up <time> elements,
a /YYYY/MM/DD/ path in the page URL, then htmldate's search of the page itself. Modified dates,
copyright years and today's date are never taken as the publication date.
"""
from __future__ import annotations

import logging
import re

from lxml.html import HtmlElement

from searchapp.ingest import dates
from searchapp.ingest.html_meta import PageMeta, jsonld_value, norm_ws, text_of

# Meta names in the order we trust them; all of them name the first publication.
_META_KEYS = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "article.published", "published_time", "publishdate", "publish-date", "publish_date",
    "pubdate", "publication_date", "date.published", "dc.date.issued", "dcterms.issued",
    "dc.date.created", "dcterms.created", "citation_publication_date", "citation_date",
    "sailthru.date", "parsely-pub-date", "cxenseparse:recs:publishtime", "date", "dc.date",
    "dcterms.date", "created", "release_date",
)
_YEAR = re.compile(r"(?<!\d)(?:19[89]\d|20[0-4]\d)(?!\d)")
_URL_DATE = re.compile(r"/((?:19[89]\d|20[0-4]\d))[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?:/|[_-]|\.|$)")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_PUB_CLASS = re.compile(r"publish|posted|entry-date|article-date|post-date|dateline|pubdate", re.I)
_MODIFIED = re.compile(r"modif|updat|edited|aktualisiert", re.I)
# "Page saved with SingleFile ... saved date: Tue Mar 07 2023" and Wayback Machine footers.
_CAPTURE = re.compile(r"saved date:\s*(.{6,60}?)\s*(?:-->|\n|$)|FILE ARCHIVED ON\s+([^\n<]{6,40}?)\s*(?:AND|<|\n|$)", re.I)
_COPYRIGHT = re.compile(r"(?:©|&copy;|\(c\)|copyright)\s*(?:\d{4}\s*[-–]\s*)?(\d{4})", re.I)

logging.getLogger("htmldate").setLevel(logging.CRITICAL)


def plausible(raw: str | None) -> str | None:
    """Return `raw` trimmed when it holds a plausible year, else None."""
    raw = norm_ws(raw)[:100]
    return raw if raw and _YEAR.search(raw) else None


def _time_element(root: HtmlElement) -> str | None:
    """Return the datetime of a <time>/element marked as the publication date."""
    fallback = None
    for el in root.iter("time", "span", "div", "p", "abbr", "meta"):
        itemprop = (el.get("itemprop") or "").lower()
        cls = f"{el.get('class', '')} {el.get('id', '')}"
        if itemprop == "datemodified" or _MODIFIED.search(cls):
            continue
        marked = itemprop in ("datepublished", "datecreated") or el.get("pubdate") is not None
        if el.tag == "time":
            raw = plausible(el.get("datetime") or el.get("content"))
            if raw and (marked or _PUB_CLASS.search(cls)):
                return raw
            if raw and fallback is None and el.getparent() is not None:
                fallback = raw
        elif marked:
            raw = plausible(el.get("content") or el.get("datetime") or text_of(el))
            if raw:
                return raw
    return fallback


def _url_date(url: str | None) -> str | None:
    m = _URL_DATE.search(url or "")
    if not m:
        return None
    year, month, day = m.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _htmldate(root: HtmlElement, url: str | None, extensive: bool) -> str | None:
    try:
        from htmldate import find_date
        return find_date(root, url=url, original_date=True, extensive_search=extensive)
    except Exception:  # htmldate is a best-effort fallback; a bug there must not lose the article
        return None


def _structured_date(root: HtmlElement, pm: PageMeta) -> tuple[str | None, str | None]:
    """Return (date_raw, provenance) from JSON-LD, meta tags, <time> or the URL."""
    for key in ("datePublished", "dateCreated"):
        value = jsonld_value(pm.jsonld, key)
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, str)), None)
        raw = plausible(value) if isinstance(value, str) else None
        if raw:
            return raw, f"jsonld:{key}"
    for key in _META_KEYS:
        raw = plausible(pm.meta.get(key))
        if raw:
            return raw, f"meta:{key}"
    raw = _time_element(root)
    if raw:
        return raw, "time[datetime]"
    raw = _url_date(pm.url)
    if raw:
        return raw, "url"
    return None, None


def find_publication_date(root: HtmlElement, pm: PageMeta, *, htmldate_max_elements: int = 10_000
                          ) -> tuple[str | None, str | None]:
    """Return (date_raw, provenance) for the page's publication date, or (None, None).

    Our structured reading keeps its raw string and provenance, but htmldate's quick check
    overrules it when they name different days: htmldate compares every candidate on the page
    and on htmldate's labelled pages it is right more often when the two disagree (CMS
    templates that put a stale or site-wide date in JSON-LD or the first <time>).
    """
    raw, provenance = _structured_date(root, pm)
    # htmldate's work grows much faster than the page (20k elements 5 s, 40k 35 s, measured with
    # tests/hostile.py wide pages): past the limit our structured reading stands alone.
    if sum(1 for _ in root.iter()) > htmldate_max_elements:
        return raw, provenance
    if raw:
        checked = _htmldate(root, pm.url, extensive=False)
        day = _ISO_DAY.search(raw)
        if checked and day and day.group(0) != checked:
            return checked, "htmldate"
        return raw, provenance
    raw = _htmldate(root, pm.url, extensive=True)
    if raw and not _year_guess(root, raw):
        return raw, "htmldate"
    return None, None


def _year_guess(root: HtmlElement, day: str) -> bool:
    """Return True when `day` is 1 January of a year the page never states as that day.

    htmldate's last resort is a bare year, which on most pages is the footer's "© 2015" or the
    end of "© 2004-2022", and it reads as 1 January: a day the page does not state is no date.
    """
    if not day.endswith("-01-01"):
        return False
    text = text_of(root)
    if any(m.group(1) == day[:4] for m in _COPYRIGHT.finditer(text[-20000:])):
        return True
    return not any(f.value.isoformat()[:10] == day and f.precision == "day" for _, _, f in dates.find_dates(text))


def find_page_date(text_head: str) -> str | None:
    """Return a capture/saved date that a page-saving tool wrote into the page, if any."""
    m = _CAPTURE.search(text_head)
    if not m:
        return None
    return plausible(m.group(1) or m.group(2))
