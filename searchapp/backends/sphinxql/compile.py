"""Compile the parsed query tree and typed filters into SphinxQL: a MATCH() text and WHERE terms.

Words go to the engine as written (folded): searchd stems them with the same Snowball stemmers
the index used, and drops the same stop words (its stop list is the product's). Only word
characters reach MATCH(), so nothing a user types can become engine syntax. Keyword fields and
places match one token per value in the `tags` field (schema.tag), which lets OR and NOT join
them with words; a NOT with nothing beside it is "every row but", via the token every row has.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from searchapp.backend import Filters
from searchapp.backends.sphinxql import schema
from searchapp.text import fold, is_stopword, words
from searchapp.gazetteer import canonical_place
from searchapp.names.places import could_name_place
from searchapp.querytree import And, Node, Term, TreeCompiler

TEXT = "@(title,body)"
NOTHING = "zznone"          # a token no row holds: a part that can match nothing
# The characters searchd's charset_table keeps (searchd_conf.CHARSET_TABLE), lowercased.
_KEPT = re.compile(r"[0-9a-z_\u00c0-\u017f\u0400-\u04ff]+")
_POSSESSIVE = re.compile(r"['\u2019](?:s)?$")
_LONE = re.compile(r"\((@\S+) ([0-9a-z_\u00c0-\u017f\u0400-\u04ff]+)\)")


def _tokens(text: str) -> list[str]:
    """Return the searched tokens of `text`: folded, stop words out, split as searchd splits."""
    out: list[str] = []
    kept = [w for _, _, w in words(text) if not is_stopword(w)]
    for word in kept:
        if len(kept) == 1:
            # The product's English stemmer drops a possessive ("Nam's" is "nam", Snowball's
            # step 0): so does a lone word, or "nam's" would look for "nam s" where the text
            # says "Nam". In a phrase the "s" stays: searchd counts it as a word between.
            word = _POSSESSIVE.sub("", word)
        # "u.s" or "o'brien" are one word to the product but two to searchd: keep them in order.
        out.extend(_KEPT.findall(word))
    return out


def _canonical_place(text: str) -> tuple[str, str] | None:
    if not could_name_place(text):  # most words are no place: skip the gazetteer's look-up
        return None
    try:
        return canonical_place(text)
    except Exception:  # noqa: BLE001 - a lookup failure must not fail the search
        return None


class MatchCompiler(TreeCompiler[str]):
    """Turn a tree into the text of MATCH(); None when it holds only stop words."""

    def __init__(self, *, places: bool = True):
        self.places = places

    # compile(node): the walk of querytree.TreeCompiler.

    def every(self) -> str:
        return schema.EVERY_ROW

    def exclude(self, query: str) -> str:
        return f"-{query}"

    def all_of(self, parts: list[str]) -> str:
        return f"({' '.join(parts)})"

    def any_of(self, parts: list[str]) -> str:
        return _either(parts)  # type: ignore[return-value] - parts is never empty here

    def alternatives(self, node: Node | None) -> str | None:
        """Return the items of a top-level And as alternatives, a repeated item once per repeat.

        Plain words are matched in title and body only here (no places), as the seam says.
        """
        items = node.items if isinstance(node, And) else (node,) if node is not None else ()
        compiler = MatchCompiler(places=False)
        parts = [q for q in (compiler.compile(i) for i in items) if q is not None]
        if not parts:
            return None
        return _either(parts)

    # -- leaves ---------------------------------------------------------------------------------

    def words(self, text: str, field: str | None, exact: bool = False) -> str | None:
        if field in schema.TAG_PREFIX:
            return self._keyword(text, field, exact)
        tokens = _tokens(text)      # exact (=word): stemmed as any word, but no place expansion
        if not tokens:
            # Only stop words: nothing to search. A word searchd cannot index (another script):
            # it can match nothing, as an unknown word.
            return NOTHING if any(not is_stopword(w) for _, _, w in words(text)) else None
        limit = f"@{field}" if field else TEXT
        body = tokens[0] if len(tokens) == 1 else '"' + " ".join(tokens) + '"'
        q = f"({limit} {body})"
        if field is None and self.places and not exact:
            place = self._place(text)
            if place is not None:
                q = f"({q} | {place})"
        return q

    def _place(self, text: str) -> str | None:
        found = _canonical_place(text.strip())
        if not found:
            return None
        kind, canonical = found
        return f"(@tags {schema.tag(kind, canonical)})" if kind in ("city", "country") else None

    def _keyword(self, text: str, field: str, exact: bool = False) -> str:
        tags = {schema.tag(field, text)}
        if field in ("city", "country") and not exact:
            found = _canonical_place(text.strip())
            if found:
                tags.add(schema.tag(field, found[1]))
        return f"(@tags {' | '.join(sorted(tags))})"

    def prefix(self, node: Term) -> str:
        tokens = _KEPT.findall(fold(node.text))
        if not tokens:
            return NOTHING
        limit = f"@{node.field}" if node.field in ("title", "body") else TEXT
        *head, last = tokens
        return f"({limit} {' '.join(head + [last + '*'])})"


def _either(parts: list[str]) -> str | None:
    """Return the alternatives joined by OR, a part written n times weighing n times.

    searchd counts a keyword once however often the query names it, so a repeat becomes its
    IDF boost (word^n) on a lone keyword; anything else is repeated. The Whoosh backend keeps
    repeats as weights too (ranking.py: without them MAP .384 against .401).
    """
    if not parts:
        return None
    alternatives = []
    for part, n in Counter(parts).items():
        lone = _LONE.fullmatch(part)
        if n > 1 and lone:
            alternatives.append(f"({lone.group(1)} {lone.group(2)}^{n})")
        else:
            alternatives += [part] * n
    return alternatives[0] if len(alternatives) == 1 else f"({' | '.join(alternatives)})"


def _ymd(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def where(filters: Filters, skip: tuple[str, ...] = ()) -> list[str]:
    """Return the WHERE terms of the filters, leaving out the dimensions named in `skip`."""
    out: list[str] = []
    for dim, attr in (("sources", "source_h"), ("countries", "country_h"),
                      ("cities", "city_h"), ("languages", "language_h")):
        values = getattr(filters, dim)
        if values and dim not in skip:
            out.append(f"{attr} IN ({', '.join(str(schema.value_hash(v)) for v in values)})")
    if "year" not in skip and filters.year is not None:
        if filters.day is not None and filters.month is not None:
            out.append(f"pday = {_ymd(dt.date(filters.year, filters.month, filters.day))}")
        elif filters.month is not None:
            out.append(f"pmonth = {filters.year * 100 + filters.month}")
        else:
            out.append(f"pyear = {filters.year}")
    if filters.date_from or filters.date_to:
        out.append("dated = 1")
        if filters.date_from:
            out.append(f"pstart >= {_ymd(filters.date_from)}")
        if filters.date_to:
            out.append(f"pend <= {_ymd(filters.date_to)}")
    if filters.undated:
        out.append("dated = 0")
    if filters.ids:
        out.append(f"id IN ({', '.join(str(schema.doc_id(i)) for i in filters.ids)})")
    if filters.stories:
        out.append(f"story_h IN ({', '.join(str(schema.story_hash(s)) for s in filters.stories)})")
    return out
