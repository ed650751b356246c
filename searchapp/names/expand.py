"""Expand a parsed query with the other names of what it names: aliases and places in both scripts.

A step between parsing and compiling, on the query tree: a word or phrase that is an alias
("ОДКБ") or a place ("Минск") becomes an OR of itself and every other name of the group or place,
each searched as written (`exact`, so no name is expanded twice). Runs of plain words are matched
as one name when they form one ("Южная Осетия", "collective security treaty organization"), the
longest run first. `=word` and `="a phrase"` turn the expansion off for that part.

The expansion is bounded: at most `max_expansion_terms` words are added to one query; a name
beyond that is searched as written and the page says so.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from searchapp.text import terms, words
from searchapp.names.aliases import AliasTable, case_forms
from searchapp.names.places import is_place_word, place_forms
from searchapp.querytree import And, Node, Not, Or, Phrase, Term

MAX_RUN = 6   # longest run of plain words tried as one name (the longest alias is 7 stems)


@dataclass
class Expanded:
    """One expansion: the words the query had and the names added for them."""

    text: str
    kind: str                      # "alias" or "place"
    added: tuple[str, ...]


@dataclass
class Expansion:
    node: Node | None
    items: list[Expanded] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def aliases(self) -> list[Expanded]:
        return [e for e in self.items if e.kind == "alias"]


def _searchable(node: Node) -> bool:
    return isinstance(node, Term) and not node.prefix and not node.exact and node.field in (None, "title", "body")


def _leaf(text: str, fld: str | None) -> Node:
    return Phrase(text, fld, exact=True) if len(text.split()) > 1 else Term(text, fld, exact=True)


class _Expander:
    def __init__(self, table: AliasTable | None, places: bool, limit: int):
        self.table, self.places, self.left = table, places, limit
        self.items: list[Expanded] = []
        self.notes: list[str] = []

    def names(self, text: str, key: tuple[str, ...] | None = None,
              maybe_place: bool = True) -> tuple[str, tuple[str, ...]] | None:
        """Return (kind, other names) for a text that names an alias group or a place."""
        if self.table is not None:
            group = self.table.lookup(text, key)
            if group:
                return "alias", group
        if self.places and maybe_place:
            found = place_forms(text)
            if found:
                return "place", found[1]
        return None

    def replace(self, node: Node, text: str, fld: str | None, key: tuple[str, ...] | None = None,
                maybe_place: bool = True) -> Node | None:
        found = self.names(text, key, maybe_place)
        if found is None:
            return None
        kind, names = found
        own = key if key is not None else tuple(terms(text))
        keys: dict[tuple[str, ...], str] = {}
        for name in names:
            for form in case_forms(name) if kind == "alias" else [name]:
                key = tuple(terms(form))
                if key and key != own:
                    keys.setdefault(key, form)
        # A longer name holding a shorter one adds nothing ("Republic of Belarus" beside "Belarus").
        shorter = sorted(keys, key=len)
        kept = [name for key, name in keys.items()
                if not any(s != key and _contains(key, s) for s in shorter + [own])]
        if not kept:
            return None
        cost = sum(len(terms(n)) for n in kept)
        if cost > self.left:
            note = ("Some names were searched only as written: the query reached its limit of "
                    "other names (max_expansion_terms).")
            if note not in self.notes:
                self.notes.append(note)
            return None
        self.left -= cost
        self.items.append(Expanded(text, kind, tuple(kept)))
        return Or((node, *(_leaf(n, fld) for n in kept)))

    def walk(self, node: Node) -> Node:
        if isinstance(node, Term):
            if _searchable(node):
                return self.replace(node, node.text, node.field) or node
            return node
        if isinstance(node, Phrase):
            if not node.exact and node.field in (None, "title", "body"):
                return self.replace(node, node.text, node.field) or node
            return node
        if isinstance(node, Not):
            return Not(self.walk(node.node))
        if isinstance(node, Or):
            return Or(tuple(self.walk(i) for i in node.items))
        return self.and_items(node)

    def and_items(self, node: And) -> Node:
        items = list(node.items)
        # Each word's stems and whether it can be part of a place name, computed once: a run of
        # n words is tried as one name at each position, so this is the loop that costs.
        stems = [tuple(terms(t.text)) if _searchable(t) else None for t in items]  # type: ignore[union-attr]
        placey = [s is not None and all(is_place_word(w) for _, _, w in words(t.text))  # type: ignore[union-attr]
                  for s, t in zip(stems, items)]
        known = self.table.stems if self.table is not None else frozenset()
        out: list[Node] = []
        i = 0
        while i < len(items):
            done = False
            # The longest run of plain words (same field) that names something, from here.
            run = 1
            while i + run < len(items) and run < MAX_RUN and stems[i] is not None \
                    and stems[i + run] is not None and items[i + run].field == items[i].field:  # type: ignore[union-attr]
                run += 1
            for size in range(run, 1, -1):
                span = range(i, i + size)
                alias = all(stems[k] and set(stems[k]) <= known for k in span)  # type: ignore[arg-type]
                place = all(placey[k] for k in span)
                if not alias and not place:
                    continue
                text = " ".join(items[k].text for k in span)  # type: ignore[union-attr]
                key = tuple(x for k in span for x in stems[k])  # type: ignore[union-attr]
                fld = items[i].field  # type: ignore[union-attr]
                new = self.replace(And(tuple(items[k] for k in span)), text, fld, key, place)
                if new is not None:
                    out.append(new)
                    i += size
                    done = True
                    break
            if not done:
                out.append(self.walk(items[i]))
                i += 1
        return out[0] if len(out) == 1 else And(tuple(out))


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[k:k + n] == shorter for k in range(len(longer) - n + 1))


def expand(node: Node | None, table: AliasTable | None, *, places: bool = True,
           limit: int = 64) -> Expansion:
    """Return the tree with aliases (when `table`) and places (when `places`) expanded."""
    if node is None:
        return Expansion(None)
    ex = _Expander(table, places, limit)
    new = ex.walk(node)
    return Expansion(new, ex.items, ex.notes)
