"""Read a saved RSS or Atom feed (.xml, .rss, .atom, .rdf): one article per item.

feedparser reads the feed: every RSS version, Atom 0.3 and 1.0, RDF, the dc: and content:
modules, escaped or inline HTML, relative links against xml:base, and the malformed XML real
feeds are full of (an unescaped "&" in a title), which it parses loosely instead of failing. It
also never resolves an external entity, so a feed cannot make the ingest read a local file. Each
item becomes a record with the usual fields (records.py), so its HTML content is read as text,
its date by our own date parser, and whatever it states that cannot be used is said on the
file's report line. An XML file that is not a feed (a sitemap, NewsML) is skipped with its root.
"""
from __future__ import annotations

import re

from searchapp.ingest.feed_authors import EMAIL, feed_author
from searchapp.ingest.readers import BadLine, normalize_text
from searchapp.ingest.records import RecordReader
from searchapp.ingest.requires import require
from searchapp.models import Draft, SourceConfig

_BARE_AMPERSAND = re.compile(r"&(?!#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)[\s/>]")
# feedparser's keys for the item's parts we read, in the order a field takes them.
_DATE_KEYS = ("published", "created", "updated", "issued", "modified", "date")


def read_feed(text: str, source: SourceConfig | None = None) -> tuple[list[Draft], list[BadLine], list[str]]:
    """Read a feed: Drafts, items that could not be read, the file's warnings."""
    # A bare "&" (AT&T in a title) is the commonest flaw of real feeds; escaped, the XML parses
    # strictly, where feedparser's loose parser would read "&T" as an entity and write "AT&T;".
    text = _BARE_AMPERSAND.sub("&amp;", normalize_text(text))
    # The text is already decoded (decode.py read the declaration): hand feedparser UTF-8 bytes
    # that say so, or it re-reads a str by the declared charset and turns windows-1251 into mojibake.
    data = _DECLARATION.sub("", text, count=1).encode("utf-8")
    parsed = require("feedparser", "RSS and Atom feeds").parse(b'<?xml version="1.0" encoding="utf-8"?>' + data,
                                 sanitize_html=True, resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.entries:
        return [], [BadLine(0, f"XML but not an RSS or Atom feed (root element <{_root(text)}>)")], []
    channel = parsed.feed
    reader = RecordReader.for_source(source)
    reader.read_authors = False   # (read per item below, with the channel's name)
    drafts: list[Draft] = []
    bad: list[BadLine] = []
    nameless: dict[str, list] = {}   # why an item's stated author gave no name -> [items, an example]
    for n, entry in enumerate(parsed.entries):
        reader.take(_record(entry, channel, nameless), n, n + 1, f"item {n + 1}", drafts, bad)
    warnings = reader.warnings()
    if nameless:
        shown = "; ".join(f"{why} in {k} item(s), e.g. {example!r}" for why, (k, example) in nameless.items())
        warnings.append(f"author stated but names no one, left empty: {shown}")
    if parsed.get("bozo") and drafts:
        # Read all the same (feedparser's loose parser); say so, as the items may have lost markup.
        warnings.append(f"the feed is not well-formed XML ({str(parsed.get('bozo_exception'))[:80]}); read loosely")
    return drafts, bad, warnings


def _record(entry: dict, channel: dict, nameless: dict[str, list]) -> dict[str, object]:
    """Return an item as a record with records.py's keys: what the item states, the channel's as defaults."""
    outlet = (entry.get("source") or {}).get("title") or channel.get("title")
    stated = _author(entry)
    author, why = feed_author(stated, outlet)
    if why:
        nameless.setdefault(why, [0, (stated or "")[:80]])[0] += 1
    content = [c.get("value") for c in entry.get("content") or [] if c.get("value")]
    summary = entry.get("summary")
    text = content or summary
    return {
        "title": entry.get("title"),
        "text": text,
        "lead": summary if content else None,
        "date": next((entry[k] for k in _DATE_KEYS if entry.get(k)), None),
        "url": entry.get("link") or entry.get("id"),
        "author": author,
        "section": ", ".join(t.get("term") or t.get("label") or "" for t in entry.get("tags") or []) or None,
        "language": _language(entry) or channel.get("language"),
        "source_name": outlet,
    }


def _author(entry: dict) -> str | None:
    """Return the item's author names as stated; RSS 2.0's <author> is "jane@example.com (Jane Roe)": the name."""
    stated = entry.get("author") or ""
    # feedparser reads an address's domain to four letters: "desk@steppe.agency" gives the name "y"
    # (the rest of the domain). A name counts only when the field states it outside an address.
    bare = EMAIL.sub(" ", stated)
    names = [n for a in entry.get("authors") or [] if (n := a.get("name")) and ("@" not in stated or n in bare)]
    if not names and (n := (entry.get("author_detail") or {}).get("name")) and ("@" not in stated or n in bare):
        names = [n]
    return ", ".join(dict.fromkeys(names)) or stated or None


def _language(entry: dict) -> str | None:
    for detail in [*(entry.get("content") or []), entry.get("summary_detail") or {}, entry.get("title_detail") or {}]:
        if detail.get("language"):
            return detail["language"]
    return None


def _root(text: str) -> str:
    body = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", text[:4000], flags=re.S)
    m = _ROOT.search(body)
    return m.group(1) if m else "?"
