"""The parsed query as a tree of plain values: what the parser makes and every backend reads.

Neutral on purpose (issue 9): the product's parser (searchapp/search/query.py) builds it, and
each backend compiles it into its own engine's query; no engine object or query string is in it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar


@dataclass(frozen=True)
class Term:
    text: str                  # as written (without field, '-' or '*')
    field: str | None = None   # None = title and body
    prefix: bool = False
    exact: bool = False        # =word: no alias or cross-script place expansion


@dataclass(frozen=True)
class Phrase:
    text: str
    field: str | None = None
    exact: bool = False


@dataclass(frozen=True)
class Not:
    node: "Node"


@dataclass(frozen=True)
class And:
    items: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    items: tuple["Node", ...]


Node = Term | Phrase | Not | And | Or

# Fields a query may name; None on a Term or Phrase means title and body.
FIELDS = ("title", "body", "source", "city", "country", "language")
TEXT_FIELDS = ("title", "body")
KEYWORD_FIELDS = ("source", "language", "city", "country")


def terms_of(node: Node | None) -> list[Term]:
    """Return every Term of a tree, negated ones too, in query order."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return terms_of(node.node)
    if isinstance(node, (And, Or)):
        return [t for item in node.items for t in terms_of(item)]
    return []


Q = TypeVar("Q")


class TreeCompiler(Generic[Q]):
    """Fold a tree into one engine's query: the walk both backends share (boolean structure,
    stop words dropped, a lone NOT as "every row but"); the engine supplies the leaves and
    how parts join. A part that compiles to None (only stop words) is left out.
    """

    def compile(self, node: Node | None) -> Q | None:
        """Return the engine query of a tree (None: nothing searchable in it)."""
        if node is None:
            return None
        if isinstance(node, Term):
            return self.prefix(node) if node.prefix else self.words(node.text, node.field, node.exact)
        if isinstance(node, Phrase):
            return self.words(node.text, node.field, node.exact)
        if isinstance(node, Not):
            inner = self.compile(node.node)
            return self.all_of([self.every(), self.exclude(inner)]) if inner is not None else None
        if isinstance(node, Or):
            kept = [q for q in (self.compile(i) for i in node.items) if q is not None]
            return self.any_of(kept) if kept else None
        positive: list[Q] = []
        negative: list[Q] = []
        for item in node.items:
            if isinstance(item, Not):
                inner = self.compile(item.node)
                if inner is not None:
                    negative.append(self.exclude(inner))
            else:
                q = self.compile(item)
                if q is not None:
                    positive.append(q)
        if not positive and not negative:
            return None
        parts = (positive or [self.every()]) + negative
        return parts[0] if len(parts) == 1 else self.all_of(parts)

    # -- what each engine supplies ----------------------------------------------------------

    def words(self, text: str, field: str | None, exact: bool) -> Q | None:
        """Return the query of a word or phrase (None: only stop words)."""
        raise NotImplementedError

    def prefix(self, node: Term) -> Q | None:
        """Return the query of a prefix* term."""
        raise NotImplementedError

    def every(self) -> Q:
        """Return a query every row matches."""
        raise NotImplementedError

    def exclude(self, query: Q) -> Q:
        """Return `query` negated, as one part of an AND."""
        raise NotImplementedError

    def all_of(self, parts: list[Q]) -> Q:
        """Return the AND of two or more parts."""
        raise NotImplementedError

    def any_of(self, parts: list[Q]) -> Q:
        """Return the OR of one or more parts."""
        raise NotImplementedError
