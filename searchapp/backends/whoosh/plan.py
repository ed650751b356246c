"""Evaluate a compiled Whoosh query on cached term data: its match set and its scoring parts.

Whoosh scores a document as the sum of the scores of the leaves that match it: an Or adds the
children that match, an And adds its positive children (a Not adds nothing), a phrase adds its
words' scores where the phrase occurs, a boost multiplies, Every scores its boost, and a Not inside an And scores 1.0 (Whoosh's InverseMatcher). So a query
flattens into leaves, each (term data, boost, gate): the leaf adds its score to a document that
holds the term and lies in every gate (the sets of the phrases and Ands above it). The match set
comes from big-int operations on the terms' document sets. Query kinds outside this list raise
Unsupported, and the caller walks Whoosh's matchers instead.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq

from searchapp.backends.whoosh.termcache import SearcherCache, TermData


class Unsupported(Exception):
    """The query holds a kind of node this evaluator does not reproduce."""


@dataclass
class Leaf:
    """A scoring part: term data (None for a constant), boost (the constant), gate sets."""

    data: TermData | None
    boost: float
    gates: list[int] = field(default_factory=list)
    alone: bool = False  # a constant that matches documents by itself (Every)

    def gate(self, root: int) -> int | None:
        """Return the AND of the gates other than the root's own set, or None when there are none."""
        bits = None
        for g in self.gates:
            if g is root:
                continue
            bits = g if bits is None else bits & g
        return bits


@dataclass
class Plan:
    bits: int
    leaves: list[Leaf]


_NULL = type(wq.NullQuery)


def evaluate(q: Any, cache: SearcherCache) -> Plan:
    """Return the match set (deleted documents included) and scoring leaves of `q`."""
    bits, leaves = _eval(q, cache)
    return Plan(bits, leaves)


def _eval(q: Any, cache: SearcherCache) -> tuple[int, list[Leaf]]:
    kind = type(q)
    if kind is _NULL:
        return 0, []
    if kind is wq.Term:
        data = cache.term(q.fieldname, q.text)
        if data is None:
            raise Unsupported("scores of this model cannot be reproduced")
        return data.bits, [Leaf(data, q.boost)]
    if kind is wq.Every and q.fieldname in (None, "", "*"):
        return cache.live, [Leaf(None, q.boost, alone=True)]
    if kind is wq.Phrase:
        return _phrase(q, cache)
    if kind is wq.Or and q.boost == 1.0 and not getattr(q, "minmatch", 0) \
            and getattr(q, "scale", None) is None:
        bits, leaves = 0, []
        for sub in q.subqueries:
            if type(sub) is wq.Not:
                raise Unsupported("a Not inside an Or")
            b, ls = _eval(sub, cache)
            bits |= b
            leaves += ls
        return bits, leaves
    if kind is wq.And and q.boost == 1.0:
        return _and(q, cache)
    raise Unsupported(f"query kind {kind.__name__}")


def _phrase(q: Any, cache: SearcherCache) -> tuple[int, list[Leaf]]:
    datas = [cache.term(q.fieldname, w) for w in q.words]
    if any(d is None for d in datas):
        raise Unsupported("scores of this model cannot be reproduced")
    if any(not d.bits for d in datas):  # type: ignore[union-attr]
        return 0, []
    bits = cache.phrase_bits(q)
    if not bits:
        return 0, []
    # Whoosh scores a phrase as the sum of its words' scores, times its boost.
    if q.boost != 1.0 and len(datas) > 1:
        raise Unsupported("a boosted phrase")
    return bits, [Leaf(d, q.boost, [bits]) for d in datas]


def _and(q: Any, cache: SearcherCache) -> tuple[int, list[Leaf]]:
    positive = [s for s in q.subqueries if type(s) is not wq.Not]
    negative = [s.query for s in q.subqueries if type(s) is wq.Not]
    if not positive:
        raise Unsupported("an And of only Nots")
    bits, leaves = None, []
    for sub in positive:
        b, ls = _eval(sub, cache)
        bits = b if bits is None else bits & b
        leaves += ls
    assert bits is not None
    for sub in negative:
        if bits:
            b, _ = _eval(sub, cache)
            bits &= ~b
        # Whoosh's And matches a Not through an InverseMatcher, which scores 1.0.
        leaves.append(Leaf(None, 1.0))
    for leaf in leaves:
        leaf.gates.append(bits)
    return bits, leaves
