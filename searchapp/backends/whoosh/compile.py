"""Turn a parsed query into a Whoosh query against one searcher's vocabulary.

Words are analysed exactly as the index was (searchapp.text); a word that names a
place in any script or inflection ("Минск", "Москве", "Minsk") also matches the canonical
city/country field that ingest filled. prefix* expands over the unstemmed spelling vocabulary,
capped by settings.max_prefix_expansions.
"""
from __future__ import annotations

from typing import Any

from whoosh import query as wq

from searchapp.config import Settings
from searchapp.errors import QueryError
from searchapp.gazetteer import canonical_place
from searchapp.names.places import could_name_place
from searchapp.text import fold, stem, terms
from searchapp.querytree import And, Node, Not, Term, TreeCompiler
from searchapp.backends.whoosh.ranking import term_weights

TEXT_FIELDS = ("title", "body")
PLACE_FIELDS = ("city", "country")


def _canonical_place(text: str) -> tuple[str, str] | None:
    if not could_name_place(text):  # most words are no place: skip the gazetteer's look-up
        return None
    try:
        return canonical_place(text)
    except Exception:  # noqa: BLE001 - a lookup failure must not fail the search
        return None


def fold_values(values: dict[str, dict[str, int]]) -> dict[str, dict[str, str]]:
    """Return field -> folded value -> value for the keyword fields a query may name.

    Folding every city and country name cost ~1.5 ms per query, so the reader keeps this once
    per snapshot (FacetView.folded).
    """
    return {f: {fold(v): v for v in values.get(f, {})} for f in ("source", "language") + PLACE_FIELDS}


class Compiler(TreeCompiler[wq.Query]):
    """Compile query trees for one searcher; `values` are its facet values (field -> value -> bits)."""

    def __init__(self, searcher: Any, values: dict[str, dict[str, int]], settings: Settings,
                 folded: dict[str, dict[str, str]] | None = None):
        self.searcher = searcher
        self.values = values
        self.settings = settings
        self._folded = folded if folded is not None else fold_values(values)

    # compile(node): the walk of querytree.TreeCompiler. A part that can match nothing (an
    # unknown source, a prefix with no words) compiles to NullQuery, so an AND with it matches
    # nothing, while stop words are simply dropped.

    def every(self) -> wq.Query:
        return wq.Every()

    def exclude(self, query: wq.Query) -> wq.Query:
        return wq.Not(query)

    def all_of(self, parts: list[wq.Query]) -> wq.Query:
        return wq.And(parts)

    def any_of(self, parts: list[wq.Query]) -> wq.Query:
        return wq.Or(parts)

    def any(self, node: Node) -> wq.Query | None:
        """Return the query of mode "any": a top-level And's items as alternatives (backend.Query).

        Plain words take `partial`, each distinct word once with its count as weight (the
        ranking bench/relevance.py measures); other items are ORed, and a NOT stays required.
        """
        items = node.items if isinstance(node, And) else (node,)
        if all(isinstance(i, Term) and not i.prefix and i.field is None for i in items):
            return self.partial([i.text for i in items])  # type: ignore[union-attr]
        alternatives = [q for q in (self.compile(i) for i in items if not isinstance(i, Not))
                        if q is not None]
        excluded = [wq.Not(q) for q in (self.compile(i.node) for i in items if isinstance(i, Not))
                    if q is not None]
        if not alternatives:
            return self.compile(node)
        first = alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)
        return wq.And([first] + excluded) if excluded else first

    def partial(self, texts: list[str]) -> wq.Query | None:
        """Return an OR of the words, a repeated word weighted by its count (ranking.term_weights)."""
        weights = term_weights(t for text in texts for t in terms(text))
        parts = [self._text_term(t, TEXT_FIELDS, boost=w) for t, w in weights.items()]
        return wq.Or(parts) if parts else None

    # -- leaves -------------------------------------------------------------------------------

    def _text_term(self, token: str, fields: tuple[str, ...], boost: float = 1.0) -> wq.Query:
        items = [wq.Term(f, token, boost=boost) for f in fields]
        return items[0] if len(items) == 1 else wq.Or(items)

    def words(self, text: str, fieldname: str | None, exact: bool = False) -> wq.Query | None:
        if fieldname in ("source", "language") or fieldname in PLACE_FIELDS:
            return self._keyword(text, fieldname)
        fields = (fieldname,) if fieldname else TEXT_FIELDS
        tokens = terms(text)
        if not tokens:
            return None
        if len(tokens) == 1:
            q = self._text_term(tokens[0], fields)
        else:
            phrases = [wq.Phrase(f, tokens) for f in fields]
            q = phrases[0] if len(phrases) == 1 else wq.Or(phrases)
        if fieldname is None and not exact:  # =word: as written
            place = self._place(text)
            if place is not None:
                q = wq.Or([q, place])
        return q

    def _place(self, text: str) -> wq.Query | None:
        found = _canonical_place(text.strip())
        if not found:
            return None
        kind, canonical = found
        value = self._folded.get(kind, {}).get(fold(canonical))
        return wq.Term(kind, value) if value is not None else None

    def _keyword(self, text: str, fieldname: str) -> wq.Query:
        value = self._folded[fieldname].get(fold(text.strip()))
        if value is None and fieldname in PLACE_FIELDS:
            found = _canonical_place(text.strip())
            if found:
                value = self._folded[fieldname].get(fold(found[1]))
        return wq.Term(fieldname, value) if value is not None else wq.NullQuery

    def prefix(self, node: Term) -> wq.Query:
        prefix = fold(node.text)
        limit = self.settings.max_prefix_expansions
        reader = self.searcher.reader()
        stems: set[str] = set()
        for n, word in enumerate(reader.expand_prefix("spell", prefix)):
            if n >= limit:
                raise QueryError(f"'{node.text}*' matches more than {limit} words; "
                                 f"write more letters before the *")
            stems.add(stem(word.decode("utf-8") if isinstance(word, bytes) else word))
        if not stems:
            return wq.NullQuery
        fields = (node.field,) if node.field in TEXT_FIELDS else TEXT_FIELDS
        return wq.Or([self._text_term(s, fields) for s in sorted(stems)])

