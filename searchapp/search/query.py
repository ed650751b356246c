"""Parse the user's query language into a small tree, enforcing the limits in Settings.

    words            all must match (AND)          meeting minsk
    "a phrase"       the words in this order        "central bank"
    AND OR NOT ( )   boolean operators, upper case  oil OR gas NOT opec
    -word            exclude                        bank -central
    field:value      one of FIELDS                  country:Belarus title:"oil price"
    prefix*          at least min_prefix_chars      econom*
    =word, ="a b"    as written: no aliases, no     =ОДКБ ="Южная Осетия"
                     other scripts' place names

Pure: text and Settings in, a `ParsedQuery` out. Limits raise QueryError with a message that says
what is allowed; text the grammar cannot take (an unclosed quote or bracket, a dangling
operator, an unknown field) is searched as plain words and the page says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from searchapp.config import Settings
from searchapp.errors import QueryError
from searchapp.text import STOPWORDS, fold, words
from searchapp.querytree import FIELDS, And, Node, Not, Or, Phrase, Term

MAX_DEPTH = 8

_TOKEN_RE = re.compile(r'''\s*(?:(?P<lp>\()|(?P<rp>\))|(?P<phrase>-?(?:[A-Za-z]+:)?"[^"]*"?)|(?P<word>[^\s()"]+(?:"[^"]*"?)?))''')
_FIELD_RE = re.compile(r"^(?P<neg>-?)(?P<field>[A-Za-z]+):(?P<rest>.+)$", re.S)
_OPS = {"AND", "OR", "NOT"}


@dataclass
class ParsedQuery:
    node: Node | None                        # None: no query, every article matches
    notes: list[str] = field(default_factory=list)
    fallback: bool = False                   # parsed as plain words after a syntax problem

    def positive(self) -> list[Term | Phrase]:
        """Return the terms and phrases not under NOT, in query order (for highlights, spelling)."""
        out: list[Term | Phrase] = []

        def walk(node: Node | None) -> None:
            if isinstance(node, (Term, Phrase)):
                out.append(node)
            elif isinstance(node, (And, Or)):
                for item in node.items:
                    walk(item)

        walk(self.node)
        return out

    def plain_words(self) -> list[str] | None:
        """Return the words when the query is only ANDed plain words (partial matching applies)."""
        items = self.node.items if isinstance(self.node, And) else (self.node,)
        if self.node is None or not all(isinstance(i, Term) and not i.prefix and i.field is None
                                        for i in items):
            return None
        return [i.text for i in items]  # type: ignore[union-attr]


class _Syntax(Exception):
    """The text does not follow the grammar; fall back to plain words."""


def _check_prefix(text: str, settings: Settings) -> None:
    if "*" in text[:-1]:
        raise QueryError(f"'{text}': a wildcard is allowed only as a trailing * "
                         f"(for example econom*); no leading or inner wildcards")
    stem = text[:-1]
    if len(fold(stem)) < settings.min_prefix_chars or not words(stem):
        raise QueryError(f"'{text}': a prefix needs at least {settings.min_prefix_chars} "
                         f"letters before the *")


def _leaf(raw: str, settings: Settings, notes: list[str]) -> Node:
    neg = raw.startswith("-") and len(raw) > 1
    body = raw[1:] if neg else raw
    fld = None
    m = _FIELD_RE.match(body)
    if m and m.group("neg") == "":
        name = m.group("field").lower()
        if name in FIELDS:
            fld, body = name, m.group("rest")
        else:
            notes.append(f"'{m.group('field')}:' is not a field, so it was searched as words; "
                         f"fields: {', '.join(FIELDS)}")
    exact = body.startswith("=") and len(body) > 1
    if exact:
        body = body[1:]
    node: Node
    if body.startswith('"'):
        if len(body) < 2 or not body.endswith('"'):
            raise _Syntax("unclosed quote")
        node = Phrase(body[1:-1].strip(), fld, exact=exact)
    elif "*" in body:
        _check_prefix(body, settings)
        node = Term(body[:-1], fld, prefix=True)
    else:
        node = Term(body, fld, exact=exact)
    return Not(node) if neg else node


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], settings: Settings, notes: list[str]):
        self.tokens, self.pos, self.settings, self.notes = tokens, 0, settings, notes

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Node | None:
        node = self.or_expr(0)
        if self.peek() is not None:
            raise _Syntax("unexpected ')'")
        return node

    def or_expr(self, depth: int) -> Node | None:
        items = [self.and_expr(depth)]
        while self.peek() == ("op", "OR"):
            self.take()
            items.append(self.and_expr(depth))
        if any(i is None for i in items):
            raise _Syntax("OR needs a word on each side")
        return items[0] if len(items) == 1 else Or(tuple(items))  # type: ignore[arg-type]

    def and_expr(self, depth: int) -> Node | None:
        items: list[Node] = []
        while (tok := self.peek()) is not None and tok not in (("op", "OR"), ("rp", ")")):
            if tok == ("op", "AND"):
                self.take()
                if not items or self.peek() in (None, ("op", "OR"), ("rp", ")")):
                    raise _Syntax("AND needs a word on each side")
                continue
            items.append(self.unary(depth))
        if not items:
            return None
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self, depth: int) -> Node:
        kind, text = self.take()
        if kind == "op" and text == "NOT":
            if self.peek() in (None, ("op", "OR"), ("op", "AND"), ("rp", ")")):
                raise _Syntax("NOT needs a word after it")
            return Not(self.unary(depth))
        if kind == "lp":
            if depth >= MAX_DEPTH:
                raise QueryError(f"brackets may nest at most {MAX_DEPTH} deep")
            inner = self.or_expr(depth + 1)
            if self.peek() != ("rp", ")") or inner is None:
                raise _Syntax("unbalanced brackets")
            self.take()
            return inner
        if kind == "rp":
            raise _Syntax("unbalanced brackets")
        return _leaf(text, self.settings, self.notes)


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for m in _TOKEN_RE.finditer(text):
        if m.group("lp"):
            out.append(("lp", "("))
        elif m.group("rp"):
            out.append(("rp", ")"))
        else:
            raw = m.group("phrase") or m.group("word")
            if raw is None:
                continue
            out.append(("op", raw) if raw in _OPS else ("leaf", raw))
    return out


def _searched(text: str) -> int:
    """Count the words of `text` that are searched: stop words cost nothing, so they don't count."""
    return sum(1 for m in words(text) if fold(m[2]) not in STOPWORDS)


def _count_terms(node: Node | None) -> int:
    if node is None:
        return 0
    if isinstance(node, Term):
        return 1 if node.prefix or node.field or _searched(node.text) else 0
    if isinstance(node, Phrase):
        return max(1, _searched(node.text))
    if isinstance(node, Not):
        return _count_terms(node.node)
    return sum(_count_terms(i) for i in node.items)


def _plain(text: str) -> Node | None:
    """Return the words of `text` ANDed, ignoring every operator character."""
    items = tuple(Term(m[2]) for m in words(text))
    if not items:
        return None
    return items[0] if len(items) == 1 else And(items)


def parse(text: str, settings: Settings) -> ParsedQuery:
    """Parse a query string; raise QueryError when it breaks a limit."""
    text = (text or "").strip()
    if len(text) > settings.max_query_chars:
        raise QueryError(f"the query is {len(text)} characters long; at most "
                         f"{settings.max_query_chars} are allowed")
    if not text:
        return ParsedQuery(None)
    notes: list[str] = []
    try:
        node = _Parser(_tokens(text), settings, notes).parse()
        result = ParsedQuery(node, notes)
    except _Syntax as exc:
        result = ParsedQuery(_plain(text), [f"The query could not be read as written ({exc}), "
                                            "so its words were searched instead."], fallback=True)
    n = _count_terms(result.node)
    if n > settings.max_query_terms:
        raise QueryError(f"the query has {n} terms; at most {settings.max_query_terms} are allowed")
    return result
