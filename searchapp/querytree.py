"""The parsed query as a tree of plain values: what the parser makes and every backend reads.

Neutral on purpose (issue 9): the product's parser (searchapp/search/query.py) builds it, and
each backend compiles it into its own engine's query; no engine object or query string is in it.
"""
from __future__ import annotations

from dataclasses import dataclass


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
