"""Place names at query time: every form of a place, in both scripts, from the ingest gazetteer.

The gazetteer (searchapp/data/places.tsv, read by searchapp.gazetteer) knows "Minsk", "Mensk"
and "Минск" as one city; a query naming it in any form is expanded to all of them, so the text of
an article in the other script is found, not only its extracted city. A name the gazetteer marks
as also a common word or a person's name (~Male, ?Jordan) expands only when written with a capital.
"""
from __future__ import annotations

from functools import lru_cache

from searchapp.text import words
from searchapp.gazetteer import canonical_place, gazetteer, place_aliases

_MARKS = "~?"


def could_name_place(text: str) -> bool:
    """Tell cheaply whether every word of `text` occurs in some place name (a test before a look-up)."""
    found = words(text)
    return bool(found) and all(is_place_word(w[:-2] if w.endswith("'s") else w) for _, _, w in found)


@lru_cache(maxsize=4096)
def place_forms(text: str) -> tuple[str, tuple[str, ...]] | None:
    """Return (canonical English name, every form) of the city or country `text` names."""
    text = text.strip()
    if not text or len(text) > 80 or not could_name_place(text):
        return None
    found = canonical_place(text)
    if found is None:
        return None
    _, name = found
    g = gazetteer()
    i = g.by_name.get(name)
    if i is None:
        return None
    place = g.places[i]
    if not text[0].isupper() and any(a[:1] in _MARKS for a in place.english + place.russian):
        return None
    forms = tuple(place_aliases(name))
    return (name, forms) if forms else None


@lru_cache(maxsize=1)
def place_name_words() -> frozenset[str]:
    """Return the folded words of every city and country name, both scripts."""
    out: set[str] = set()
    for place in gazetteer().places:
        if place.kind not in ("city", "country"):
            continue
        for name in (place.name, *place.english, *place.russian):
            for _, _, w in words(name.lstrip(_MARKS).split("/")[0].replace("*", "").replace("!", "")):
                out.add(w)
    return frozenset(out)


def is_place_word(word: str) -> bool:
    """Tell whether a folded word is (part of) a place name, in any case form."""
    if word in place_name_words():
        return True
    nominative = gazetteer().ru_forms.get(word)
    return nominative is not None and nominative in place_name_words()
