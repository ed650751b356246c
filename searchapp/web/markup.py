"""Template filters: the one gate for search-layer HTML, safe links, dates, language names.

`highlighted` is the one gate through which HTML built outside a template reaches a page.

Only the search layer's snippets and highlighted paragraphs pass: escaped text with <mark> and
</mark> around query words. The gate checks that shape before trusting it (defence in depth: if
the search layer ever let a raw tag through, the whole string is escaped instead), so templates
never use |safe or Markup themselves.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from searchapp import languages

_MARK_RE = re.compile(r"</?mark>")
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def highlighted(fragment: str | None) -> Markup:
    """Return search-layer highlight HTML as Markup, or escape it when it is not just marks."""
    if not fragment:
        return Markup("")
    rest = _ENTITY_RE.sub("", _MARK_RE.sub("", fragment))
    if any(c in rest for c in "<>&\"'") or not _balanced(fragment):
        return escape(fragment)
    return Markup(fragment)


def plain_text(fragment: str | None) -> str:
    """Return the text of a highlight fragment: marks dropped, entities decoded.

    Derived from the same fragment `highlighted` lets through, so the API's plain snippet is
    always the HTML one minus its markup (a fragment that is not just marks is returned as the
    text it would show, escaped by the page).
    """
    if not fragment:
        return ""
    if highlighted(fragment) != fragment:  # not the search layer's shape: shown as literal text
        return fragment
    return html.unescape(_MARK_RE.sub("", fragment))


def _balanced(fragment: str) -> bool:
    depth = 0
    for tag in _MARK_RE.findall(fragment):
        depth += 1 if tag == "<mark>" else -1
        if depth not in (0, 1):
            return False
    return depth == 0


def safe_url(url: str | None) -> str | None:
    """Return url when it is an absolute http(s) link to a host, else None (no javascript:)."""
    if not url or len(url) > 2048:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ord(c) < 0x21 for c in url):
        return None
    return url


def human_date(iso: str | dt.date | None, precision: str | None = "day") -> str:
    """Return "17 Jul 2017", "Jul 2017" or "2017" for an ISO date at its precision."""
    if iso is None or iso == "":
        return ""
    if isinstance(iso, (dt.date, dt.datetime)):
        iso = iso.isoformat()
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return str(iso)
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def language_name(code: str | None) -> str:
    """Return a language's English name for its ISO 639-1 code (the code when unknown)."""
    return languages.language_name(code)
