"""Write a saved search's feed as Atom (RFC 4287): built with ElementTree, which escapes every text.

Article text may hold anything, including characters XML 1.0 forbids (control characters, lone
surrogates): those are dropped before they reach the tree, so the feed always parses.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from xml.etree import ElementTree as ET

from searchapp.search.alerts import FeedEntry
from searchapp.search.desk_store import SavedSearch
from searchapp.text import xml_safe

ATOM = "http://www.w3.org/2005/Atom"
SUMMARY_CHARS = 400


def xml_text(text: str | None) -> str:
    """Return `text` without the characters XML 1.0 cannot hold."""
    return xml_safe(text or "")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def _rfc3339(published: dt.date) -> str:
    """Return an article's date as Atom wants it: its time and offset when the source stated them,
    else the day at midnight UTC (Atom has no date-only form)."""
    if isinstance(published, dt.datetime) and published.tzinfo is not None:
        return published.isoformat()
    return published.isoformat()[:10] + "T00:00:00Z"


def feed_xml(saved: SavedSearch, entries: Sequence[FeedEntry], *, self_url: str, html_url: str,
             article_url: Callable[[str], str]) -> bytes:
    """Return the feed document of `saved`'s latest matching arrivals (newest first)."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    _add(root, "title", f"searchapp: {saved.name}")
    _add(root, "subtitle", f"Articles that arrived in the archive and match: {saved.request.query or 'every article'}")
    _add(root, "id", self_url)
    _add(root, "updated", entries[0].arrived if entries else saved.created)
    _add(root, "link", rel="self", href=self_url, type="application/atom+xml")
    _add(root, "link", rel="alternate", href=html_url, type="text/html")
    author = _add(root, "author")
    _add(author, "name", "searchapp")
    _add(root, "generator", "searchapp")
    for entry in entries:
        art = entry.article
        url = article_url(art.id)
        item = _add(root, "entry")
        _add(item, "title", art.title or "(untitled)")
        _add(item, "id", url)
        _add(item, "link", rel="alternate", href=url, type="text/html")
        _add(item, "updated", entry.arrived)
        if art.published:
            _add(item, "published", _rfc3339(art.published))
        _add(item, "category", term=art.source, label=art.source_name or art.source)
        text = " ".join(art.text.split())
        _add(item, "summary", text[:SUMMARY_CHARS] + ("…" if len(text) > SUMMARY_CHARS else ""))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
