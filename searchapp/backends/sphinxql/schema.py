"""Map an Article onto one row of a shard's RT table, and name the tables.

Sphinx 2.2 does not store full-text fields (SCALEOUT.md trap 3), so the stored article travels
as a JSON string attribute (`doc`, Article.to_json) and the
facets as attributes: a 63-bit hash per value for filters and GROUP BY, the names as strings for
labels. Dates are precomputed period attributes (trap 4: no YEARMONTH() beside a facet query);
`pkey` numbers the period key (period_number) as a 64-bit integer, like the facet hashes, so every
count groups by keys of one width (reader: searchd's multi-query optimisation needs that).
The `tags` field holds one token per facet value (and one every row has), so `country:Belarus`,
a place named in any script, and a lone NOT are full-text expressions that OR and NOT can join.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from typing import Any

from searchapp.text import fold, is_stopword, words
from searchapp.backend import PERIOD_UNKNOWN
from searchapp.periods import period_bounds, period_key
from searchapp.models import Article

SLOTS = ("a", "b")
STATE_TABLE = "sa_state"
FIELDS = ("title", "body", "tags")
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "string": ("aid", "path", "doc", "source", "source_name", "language", "countries", "cities",
               "story"),
    "bigint": ("path_h", "source_h", "language_h", "seq", "pkey", "story_h"),
    "multi_64": ("country_h", "city_h"),
    "uint": ("pyear", "pmonth", "pday", "pstart", "pend", "dated", "tlen", "blen"),
}
# Which facet dimension lives in which hash attribute, and the tag prefix of its tokens.
FACET_HASH = {"source": "source_h", "language": "language_h", "country": "country_h",
              "city": "city_h"}
TAG_PREFIX = {"source": "zzs", "language": "zzl", "country": "zzc", "city": "zzt"}
EVERY_ROW = "zzall"     # a token every row holds: "NOT x" alone is "zzall -x"
COLUMNS = ("id",) + FIELDS + tuple(a for names in ATTRIBUTES.values() for a in names)


def shard_table(shard: int, slot: str) -> str:
    """Return the RT table holding one shard in one slot."""
    return f"sa_s{shard}_{slot}"


def dist_table(slot: str) -> str:
    """Return the distributed table over every shard of one slot."""
    return f"sa_all_{slot}"


@functools.lru_cache(maxsize=65536)   # facet values repeat on most rows of a rebuild
def value_hash(value: str) -> int:
    """Return the 63-bit hash of a facet value, the same for every spelling that folds alike."""
    digest = hashlib.blake2b(fold(value.strip()).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") & ((1 << 63) - 1)


def path_hash(path: str) -> int:
    """Return the 63-bit hash of a corpus path, case and all (delete by path filters on it)."""
    digest = hashlib.blake2b(path.encode("utf-8"), digest_size=8, person=b"sa-path").digest()
    return int.from_bytes(digest, "big") & ((1 << 63) - 1)


def story_hash(story: str) -> int:
    """Return the 63-bit hash of a story key (the story filter matches on it)."""
    digest = hashlib.blake2b(story.encode("utf-8"), digest_size=8, person=b"sa-story").digest()
    return int.from_bytes(digest, "big") & ((1 << 63) - 1)


def doc_id(article_id: str) -> int:
    """Return the row id of an article (Sphinx ids are positive 64-bit integers)."""
    digest = hashlib.blake2b(article_id.encode("utf-8"), digest_size=8, person=b"sa-docid").digest()
    return (int.from_bytes(digest, "big") & ((1 << 63) - 1)) or 1


def shard_of(article_id: str, shards: int) -> int:
    """Return the shard an article lives on: a stable hash of its id, spread evenly."""
    return doc_id(article_id) % shards


def tag(kind: str, value: str) -> str:
    """Return the token of one facet value in the `tags` field (digits last: no stemmer cuts it)."""
    return f"{TAG_PREFIX[kind]}{value_hash(value)}"


def _ymd(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def period_number(key: str) -> int:
    """Return a period key as one integer: 2017 -> 20170000, 2017-07 -> 20170700, unknown -> 0."""
    if key == PERIOD_UNKNOWN:
        return 0
    parts = [int(p) for p in key.split("-")] + [0, 0]
    return parts[0] * 10000 + parts[1] * 100 + parts[2]


def period_key_of(number: int) -> str:
    """Return the period key a period_number stands for."""
    if number <= 0:
        return PERIOD_UNKNOWN
    year, month, day = number // 10000, number // 100 % 100, number % 100
    if not month:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if not day else f"{year:04d}-{month:02d}-{day:02d}"


def length(text: str) -> int:
    """Return the words of a field that are indexed (stop words left out): BM25's field length.

    Sphinx 2.2 keeps no field lengths in an RT table (its bm25a/bm25f factors then see none),
    so the ranking expression reads them from these attributes (reader.ranker).
    """
    return sum(1 for _, _, w in words(text) if not is_stopword(w))


def row(article: Article, seq: int) -> dict[str, Any]:
    """Return the column values of an article's row; `seq` orders rows as they were indexed."""
    pub = article.published
    day = pub.date() if isinstance(pub, dt.datetime) else pub
    key = period_key(day, article.date_precision)
    bounds = period_bounds(key)
    tags = [EVERY_ROW, tag("source", article.source), tag("language", article.language or "")]
    tags += [tag("country", c) for c in article.countries] + [tag("city", c) for c in article.cities]
    return {
        "id": doc_id(article.id),
        "title": article.title or "",
        "body": article.text,
        "tags": " ".join(tags),
        "aid": article.id,
        "path": article.path,
        "doc": json.dumps(article.to_json(), ensure_ascii=False),
        "source": article.source,
        "source_name": article.source_name,
        "language": article.language or "",
        "countries": "\t".join(article.countries),
        "cities": "\t".join(article.cities),
        "story": article.story,
        "story_h": story_hash(article.story),
        "path_h": path_hash(article.path),
        "source_h": value_hash(article.source),
        "language_h": value_hash(article.language or ""),
        "country_h": [value_hash(c) for c in article.countries],
        "city_h": [value_hash(c) for c in article.cities],
        "pyear": int(key[:4]) if bounds else 0,
        "pmonth": int(key[:4] + key[5:7]) if bounds and len(key) >= 7 else 0,
        "pday": _ymd(bounds[0]) if bounds and len(key) == 10 else 0,
        "pstart": _ymd(bounds[0]) if bounds else 0,
        "pend": _ymd(bounds[1]) if bounds else 0,
        "dated": 1 if bounds else 0,
        "seq": seq,
        "pkey": period_number(key),
        "tlen": length(article.title or ""),
        "blen": length(article.text),
    }
