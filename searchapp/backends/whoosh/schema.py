"""Define the Whoosh schema and turn an Article into an index document and back.

Facets (source, language, country, city, period) are plain ID/KEYWORD terms: the search side
counts them from their posting lists per segment (see facets.py beside this), which is much
cheaper than Whoosh's FieldFacet over every match. `period` holds the article's date at its own
precision ("2017-07-17", "2017-07" or "2017") or "unknown": year, month and day facets, the
timeline, the "date unknown" bucket and date-range filters are all derived from it.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from searchapp.backends.whoosh.analysis import spelling_analyzer, text_analyzer
from searchapp.models import Article
from searchapp.periods import period_key

# Bump when the schema, the analysis or the document mapping changes: reindex then rebuilds.
SCHEMA_VERSION = 3   # 2: story (syndicated copies); 3: story signatures with counts and whole figures


def build_schema() -> Schema:
    """Return the schema every index generation is created with."""
    text = text_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True),
        source=ID(stored=True),
        source_name=STORED(),
        language=ID(stored=True),
        country=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        city=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        period=ID(),
        published=DATETIME(sortable=True),
        published_iso=STORED(),
        date_precision=STORED(),
        title=TEXT(analyzer=text, stored=True, field_boost=1.0),
        body=TEXT(analyzer=text, stored=True),
        spell=TEXT(analyzer=spelling_analyzer(), phrase=False, stored=False),
        url=STORED(),
        author=STORED(),
        extra=STORED(),
        story=ID(stored=True),
    )


def _commas(values: list[str]) -> str:
    # KEYWORD(commas=True) splits on commas; place names never legitimately hold one.
    return ",".join(v.replace(",", " ") for v in values)


def to_document(article: Article) -> dict[str, Any]:
    """Return the Whoosh document for one article."""
    pub = article.published
    day = pub.date() if isinstance(pub, dt.datetime) else pub
    body = article.text
    doc: dict[str, Any] = {
        "id": article.id,
        "path": article.path,
        "source": article.source,
        "source_name": article.source_name,
        "language": article.language or "",
        "period": period_key(day, article.date_precision),
        "published_iso": pub.isoformat() if pub is not None else None,
        "date_precision": article.date_precision,
        "title": article.title or "",
        "body": body,
        "spell": f"{article.title}\n{body}",
        "url": article.url,
        "author": article.author,
        "story": article.story,
        "extra": json.dumps({
            "section": article.section, "dateline": article.dateline,
            "published_raw": article.published_raw, "date_inferred": article.date_inferred,
            "page_date": article.page_date.isoformat() if article.page_date else None,
            "removed": article.removed,
        }, ensure_ascii=False),
    }
    if article.countries:
        doc["country"] = _commas(article.countries)
    if article.cities:
        doc["city"] = _commas(article.cities)
    if pub is not None:
        doc["published"] = pub if isinstance(pub, dt.datetime) else dt.datetime(
            pub.year, pub.month, pub.day)
    return doc


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def from_stored(fields: dict[str, Any]) -> Article:
    """Rebuild the Article from a document's stored fields."""
    extra = json.loads(fields.get("extra") or "{}")
    iso = fields.get("published_iso")
    published: dt.date | dt.datetime | None = None
    if iso:
        published = dt.datetime.fromisoformat(iso) if "T" in iso else dt.date.fromisoformat(iso)
    body = fields.get("body") or ""
    return Article(
        id=fields["id"], source=fields["source"], source_name=fields.get("source_name") or "",
        path=fields.get("path") or "", url=fields.get("url"), title=fields.get("title") or "",
        section=extra.get("section"), author=fields.get("author"), dateline=extra.get("dateline"),
        published=published, published_raw=extra.get("published_raw"),
        date_precision=fields.get("date_precision"),
        date_inferred=bool(extra.get("date_inferred")),
        page_date=dt.date.fromisoformat(extra["page_date"]) if extra.get("page_date") else None,
        language=fields.get("language") or "", cities=_split(fields.get("city")),
        countries=_split(fields.get("country")), body=body.split("\n\n") if body else [],
        removed=list(extra.get("removed") or []),
        story=fields.get("story") or "",
    )
