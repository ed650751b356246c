"""Find cities and countries in English and Russian text, as canonical English names.

Shared by ingest (places in articles) and every search backend (a query word naming a place),
so it lives beside the other neutral modules, not in ingest (issue 9).

The gazetteer is searchapp/data/places.tsv. English names match case-sensitively as capitalised
token sequences (all-caps headlines are title-cased first); Russian names match in any grammatical
case through forms generated from the nominative (declension by the word's ending, see
`_ru_forms`), so "в Минске" finds Minsk without a per-word list. One pass over the tokens of a
document, dictionary look-ups only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "places.tsv"
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_CONNECTORS = frozenset("of the and on upon de da do del la le les des el al am an y i и".split())
_SENTENCE_END = frozenset(".!?\n\"«“:")
_QUOTED_NAME = re.compile(r"[\"«“„]\s*(?:[^\W\d_][\w\-]*\s+){0,3}$")
_CLOSE_QUOTES = frozenset("\"»”")
_MARKS = "?~"   # ? a person's name too (Jordan, Владимир); ~ a common word too (Male, Того)
_GAP_OK = re.compile(r"[\s\-–—]*")
# "Tashkent Treaty", "Astana Process", "Minsk Agreements": named after a place, not set there.
_NAMED_AFTER = frozenset("Treaty Process Accord Accords Agreement Agreements Protocol Format Declaration "
                         "Convention Conventions Group Initiative Club Round".split())
# "Bank of Montreal", "University of Michigan": an institution named after its city or state.
_INSTITUTIONS = frozenset("Bank University College Institute Academy School".split())
# "Manufacturers Hanover Corp", "Credit Suisse First Boston Asia Ltd": a city or region in a company's name.
_CORPORATE = frozenset("Corp Corporation Inc Incorporated Ltd Limited Co Cos Plc PLC LLC LP AG SA NV Pty "
                       "Bancorp Bankshares Holdings".split())
# Capitalised words before a name that say nothing of a person ("In Jordan", "Visiting Jordan").
_NOT_FIRST_NAMES = frozenset("In At From To For With By On And But The A An As After Before Since During Near "
                             "Outside Inside Across Via Like Unlike About Against Between Over Under Into "
                             "Through While When Where Both Neither Either Only Even Also Then Visiting "
                             "Including Than Or If Once Today Yesterday".split())


@dataclass(frozen=True)
class Place:
    """One gazetteer row: kind is country, city, region (implies a country only) or stop (not a place)."""

    kind: str
    name: str
    country: str | None
    english: tuple[str, ...]
    russian: tuple[str, ...]
    demonyms: tuple[str, ...]


@dataclass
class _Gazetteer:
    places: list[Place]
    index: dict[tuple[str, ...], tuple[int, str]]       # normalised token key -> (place, ambiguity mark)
    demonyms: dict[tuple[str, ...], int]
    abbrev: dict[str, int]                              # "Calif" -> place; counts only as ", Calif."
    first: set[str]                                     # first tokens of every key, a cheap pre-check
    longest: int
    ru_forms: dict[str, str]                            # inflected Russian form -> nominative token
    alternates: dict[int, tuple[int, ...]]              # place -> other places of the same name (Georgia)
    lower: dict[str, int]                               # any lower-cased name -> place (for queries)
    by_name: dict[str, int]
    # Token -> _norm(token, ru_forms) as met in texts: a text's capitalised words recur across texts.
    norms: dict[str, str] = field(default_factory=dict)
    # First token -> the lengths of the keys (names, demonyms) it starts, longest first.
    sizes: dict[str, tuple[int, ...]] = field(init=False)

    def __post_init__(self) -> None:
        by_first: dict[str, set[int]] = {}
        for key in [*self.index, *self.demonyms]:
            if key and len(key) <= self.longest:   # no longer key is ever looked up
                by_first.setdefault(key[0], set()).add(len(key))
        self.sizes = {f: tuple(sorted(s, reverse=True)) for f, s in by_first.items()}

    def norm(self, token: str) -> str:
        """Return _norm(token, self.ru_forms), each distinct token normalised once."""
        found = self.norms.get(token)
        if found is None:
            if len(self.norms) > _NORMS_KEPT:
                self.norms.clear()
            found = self.norms[token] = _norm(token, self.ru_forms)
        return found

    def key_sizes(self, first: str) -> tuple[int, ...]:
        """Return the lengths of the keys (names, demonyms) starting with token `first`, longest first."""
        return self.sizes.get(first, ())


_NORMS_KEPT = 200_000   # distinct tokens whose normal form is kept, then the table starts over


def _is_cyrillic(token: str) -> bool:
    return "\u0400" <= token[0] <= "\u04ff"


_VOWELS = "аеёиоуыэюя"


def _ru_forms(word: str, mark: str = "", oblique: str = "") -> list[str]:
    """Return the case forms of one Russian token (lower case, ё as е), generously."""
    if mark == "*":
        return [word]
    if mark == "!" and word[-2:] not in ("ые", "ие"):
        stem = word[:-1] if word[-1] in "ыи" else word
        return [word] + [stem + e for e in ("ы", "и", "ов", "ей", "ам", "ям", "ами", "ями", "ах", "ях")]
    forms = [word]
    if oblique:
        forms += [oblique + e for e in ("а", "у", "ом", "ем", "е")]
    ending2, ending1 = word[-2:], word[-1]
    if ending2 in ("ая", "яя"):
        forms += [word[:-2] + e for e in ("ой", "ую", "ою", "ей", "юю")]
    elif ending2 in ("ый", "ий", "ой"):
        forms += [word[:-2] + e for e in ("ого", "его", "ому", "ему", "ым", "им", "ом", "ем")]
        forms += [word[:-1] + e for e in ("я", "ю", "и", "ем")]  # nouns in -ий: Маврикий
    elif ending2 in ("ое", "ее"):
        forms += [word[:-2] + e for e in ("ого", "его", "ому", "ему", "ым", "им", "ом", "ем")]
    elif ending2 in ("ые", "ие"):
        forms += [word[:-2] + e for e in ("ых", "их", "ым", "им", "ыми", "ими")]
    elif ending1 == "а" and word[-2:-1] in _VOWELS:
        pass   # a vowel before the -а: a loan name Russian does not decline (Самоа, Никарагуа, Гоа)
    elif ending1 == "а":
        forms += [word[:-1] + e for e in ("ы", "и", "е", "у", "ой", "ою", "ей")]
    elif ending1 == "я":
        forms += [word[:-1] + e for e in ("и", "е", "ю", "ей", "ею")]
    elif ending1 == "ь":
        forms += [word[:-1] + e for e in ("и", "ью", "я", "ю", "ем", "е")]
    elif ending1 == "й":
        forms += [word[:-1] + e for e in ("я", "ю", "ем", "е")]
    elif ending1 not in "оеиуыэю":
        forms += [word + e for e in ("а", "у", "ом", "ем", "е")]
    return forms


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN.finditer(text))


def _norm(token: str, ru_forms: dict[str, str]) -> str:
    """Normalise one token for key look-up: connectors lower, all-caps words title-cased, Russian to nominative."""
    if token.endswith(("'s", "’s")):
        token = token[:-2]
    if _is_cyrillic(token):
        low = token.lower().replace("ё", "е")
        return ru_forms.get(low, low)
    if token.lower() in _CONNECTORS:
        return token.lower()
    if len(token) > 1 and token.isupper() and "." not in token:
        return token.title()
    return token


def _parse_russian(name: str) -> list[tuple[str, str, str]]:
    """Split a marked Russian name ("Соединенные! Штаты!", "Египет/Египт") into (word, mark, oblique)."""
    out = []
    for part in _TOKEN.findall(name.replace("*", " * ").replace("!", " ! ")) or []:
        out.append([part.lower().replace("ё", "е"), "", ""])
    marks = re.findall(r"[^\s*!/]+(?:/[^\s*!]+)?[*!]?", name)
    for item, word in zip(out, marks):
        item[1] = word[-1] if word[-1] in "*!" else ""
        if "/" in word:
            item[0] = word.split("/")[0].lower().replace("ё", "е")
            item[2] = word.split("/")[1].rstrip("*!").lower().replace("ё", "е")
    return [tuple(x) for x in out if x[0] not in ("*", "!")]  # type: ignore[misc]


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    """Load and index places.tsv once per process."""
    places: list[Place] = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, name, country, english, russian, demonyms = (line.split("\t") + [""] * 6)[:6]
        split = lambda s: tuple(x for x in s.split("|") if x)  # noqa: E731
        places.append(Place(kind, name, country or None, split(english), split(russian), split(demonyms)))
    ru_forms: dict[str, str] = {}
    ru_names: list[tuple[int, str, str]] = []
    for i, p in enumerate(places):
        for raw in p.russian:
            mark = raw[0] if raw[0] in _MARKS else ""
            name = raw.lstrip(_MARKS).split("/")[0]
            parsed = _parse_russian(raw.lstrip(_MARKS))
            for word, inflection, oblique in parsed:
                for form in _ru_forms(word, inflection, oblique):
                    ru_forms.setdefault(form, word)
            ru_names.append((i, name, mark))
    for word in list(ru_forms.values()):
        ru_forms[word] = word  # a nominative always maps to itself, whatever another name generated
    index: dict[tuple[str, ...], tuple[int, str]] = {}
    abbrev: dict[str, int] = {}
    alternates: dict[int, tuple[int, ...]] = {}
    lower: dict[str, int] = {}
    by_name: dict[str, int] = {}

    def add(i: int, text: str, mark: str) -> None:
        if re.fullmatch(r"[A-Z][a-z]{1,4}\.", text):
            abbrev[text[:-1]] = i   # AP-style state abbreviation: only ever used as "City, Calif."
            return
        key = tuple(_norm(m.group(0), ru_forms) for m in _TOKEN.finditer(text))
        if key and key not in index:
            index[key] = (i, mark)
        elif key and index[key][0] != i and places[index[key][0]].kind != "stop":
            first = index[key][0]
            alternates[first] = tuple(dict.fromkeys(alternates.get(first, ()) + (i,)))
        lower.setdefault(text.lower().replace("ё", "е"), i)

    for i, p in enumerate(places):
        by_name.setdefault(p.name, i)
        marks = {a.lstrip(_MARKS): a[0] for a in p.english if a[0] in _MARKS}
        add(i, p.name, marks.get(p.name, ""))
        for alias in p.english:
            add(i, alias.lstrip(_MARKS), marks.get(alias.lstrip(_MARKS), ""))
    for i, name, mark in ru_names:
        add(i, re.sub(r"[*!]|/\S+", "", name), mark)
    demonyms = {}
    for i, p in enumerate(places):
        for d in p.demonyms:
            demonyms[tuple(_norm(m.group(0), ru_forms) for m in _TOKEN.finditer(d))] = i
    first = {k[0] for k in index} | {k[0] for k in demonyms}
    longest = max(len(k) for k in index)
    return _Gazetteer(places, index, demonyms, abbrev, first, longest, ru_forms, alternates, lower, by_name)


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 40):start].rstrip(" \t\r\"'«“(")
    return not before or before[-1] in _SENTENCE_END


def _beside_capitalised(text: str, toks: list[re.Match[str]], i: int, j: int) -> bool:
    """Say whether toks[i:j] stands right beside another capitalised word ("Michael Jordan", "Jordan Peterson")."""
    for k, a, b in ((i - 1, i - 1, i), (j, j - 1, j)):
        if 0 <= k < len(toks):
            gap = text[toks[a].end():toks[b].start()]
            word = toks[k].group(0)
            if not gap.strip() and "\n" not in gap and word[0].isupper() and word.lower() not in _CONNECTORS \
                    and word not in _NOT_FIRST_NAMES:
                return True
    return False


class _Scan:
    """One document's tokens, normalised lazily, and the longest gazetteer match at a position."""

    def __init__(self, text: str, g: _Gazetteer, use_demonyms: bool) -> None:
        self.text, self.g, self.use_demonyms = text, g, use_demonyms
        self.toks = _tokens(text)
        self.norms: list[str | None] = [None] * len(self.toks)

    def norm(self, k: int) -> str:
        if self.norms[k] is None:
            self.norms[k] = self.g.norm(self.toks[k].group(0))
        return self.norms[k]  # type: ignore[return-value]

    def match(self, i: int) -> tuple[int, str, int] | None:
        """Return (place index, ambiguity mark, tokens used) for the longest name starting at token i."""
        g, toks, text = self.g, self.toks, self.text
        word = toks[i].group(0)
        if not word[0].isupper():
            return None
        if word in g.abbrev and text[toks[i].end():toks[i].end() + 1] == "." \
                and text[:toks[i].start()].rstrip().endswith(","):
            return g.abbrev[word], "", 1
        if self.norm(i) not in g.first:
            return None
        # (the lengths of the keys this token starts, longest first: no other length can match)
        for size in g.key_sizes(self.norm(i)):
            if size > len(toks) - i:
                continue
            if size > 1 and not _GAP_OK.fullmatch(text, toks[i + size - 2].end(), toks[i + size - 1].start()):
                continue
            key = tuple(self.norm(k) for k in range(i, i + size))
            if key in g.index:
                return g.index[key] + (size,)
            if self.use_demonyms and key in g.demonyms:
                return g.demonyms[key], "", size
        return None

    def _in_company_name(self, j: int) -> bool:
        """Say whether the capitalised words from token j on end in a company form (Corp, Ltd...)."""
        toks, text = self.toks, self.text
        for k in range(j, min(j + 4, len(toks))):
            gap = text[toks[k - 1].end():toks[k].start()]
            if gap.strip(" &") or "\n" in gap:
                return False
            word = toks[k].group(0)
            if word in _CORPORATE:
                return True
            if not word[0].isupper():
                return False
        return False

    def first_name_before(self, i: int) -> bool:
        """Say whether token i follows a capitalised word that reads as a first name ("Alyssa Milano")."""
        if i == 0:
            return False
        prev = self.toks[i - 1].group(0)
        gap = self.text[self.toks[i - 1].end():self.toks[i].start()]
        return (gap == " " and prev[0].isupper() and not prev.isupper() and prev not in _NOT_FIRST_NAMES
                and prev.lower() not in _CONNECTORS and self.norm(i - 1) not in self.g.first)

    def parts(self, i: int) -> list[tuple[int, int]]:
        """Return (offset, place) for the places inside a hyphenated token no name matched whole.

        "Washington-based", "Moscow-backed": the capitalised head before a lower-case tail is any
        place; "Israel-Palestinian", "(R-Iowa)", "US-China": each capitalised part that is a
        country or a region counts (a city there is too often part of a name).
        """
        tok = self.toks[i]
        word = tok.group(0)
        pieces = word.split("-")
        out: list[tuple[int, int]] = []
        if len(pieces) < 2 or not pieces[0][:1].isupper():
            return out
        tail_lower = all(p[:1].islower() for p in pieces[1:])
        offset = tok.start()
        for n, piece in enumerate(pieces):
            hit = self.g.index.get((_norm(piece, self.g.ru_forms),)) if piece[:1].isupper() else None
            if hit and (not hit[1] or (hit[1] == "?" and tail_lower)):   # "Washington-based" is no person
                place = self.g.places[hit[0]]
                if place.kind in ("country", "region") or (tail_lower and n == 0 and place.kind == "city"):
                    out.append((offset, hit[0]))
            offset += len(piece) + 1
            if tail_lower:
                break
        return out

    def rejected(self, i: int, place: Place, mark: str, size: int) -> bool:
        """Apply the context rules that tell a place name from the same word used otherwise."""
        toks, text, j = self.toks, self.text, i + size
        if j < len(toks) and toks[j].group(0).capitalize() in _NAMED_AFTER \
                and not text[toks[j - 1].end():toks[j].start()].strip():
            return True
        if i >= 2 and toks[i - 1].group(0) == "of" and toks[i - 2].group(0).capitalize() in _NAMED_AFTER \
                and not text[toks[i - 2].end():toks[i].start()].replace("of", "", 1).strip():
            return True   # "Treaty of Rome", "Declaration of Tashkent"
        if place.kind in ("city", "region") and (self._in_company_name(j) or (
                i >= 2 and toks[i - 1].group(0) == "of" and toks[i - 2].group(0) in _INSTITUTIONS)):
            return True
        if _QUOTED_NAME.search(text, max(0, toks[i].start() - 40), toks[i].start()) \
                and text[toks[j - 1].end():toks[j - 1].end() + 1] in _CLOSE_QUOTES:
            return True   # the end of a short quoted name: «Единая Россия», "Вечерняя Москва"
        if mark == "?" and _beside_capitalised(text, toks, i, j):
            return True
        if mark == "~" and (_sentence_initial(text, toks[i].start()) or toks[i].group(0).isupper()):
            return True
        if place.kind == "city" and j < len(toks) and text[toks[j - 1].end():toks[j].start()].strip() == ",":
            # "San Jose, Calif.": a region of another country names a different city of the same name.
            after = self.match(j)
            if after and self.g.places[after[0]].kind == "region" \
                    and self.g.places[after[0]].country != place.country:
                return True
        return False


def place_mentions(text: str, *, use_demonyms: bool = False) -> list[tuple[int, Place]]:
    """Return (character offset, gazetteer place) for every place name in `text`, in order."""
    if not text:
        return []
    scan = _Scan(text, gazetteer(), use_demonyms)
    g = scan.g
    found: list[tuple[int, int, str]] = []   # (offset, place index, surface form)
    persons: set[str] = set()                # names this text uses as a person's ("Alyssa Milano")
    said: dict[int, int] = {}                # place -> the reading the text states for its name
    words = list(map(re.Match.group, scan.toks))
    abbrev, first, norm = g.abbrev, g.first, g.norm
    # A name starts with a capital and is an abbreviation or the first token of a name (match()
    # says no to anything else), and a hyphenated word may hold one: most words are neither.
    worth = [k for k, word in enumerate(words)
             if (word[0].isupper() and (word in abbrev or norm(word) in first)) or "-" in word]
    i = 0   # the first token not inside a name found
    for k in worth:
        if k < i:
            continue
        i = k
        hit = scan.match(i) if words[i][0].isupper() else None
        if hit is None:
            if "-" in words[i]:
                found.extend((off, pi, "") for off, pi in scan.parts(i))
            i += 1
            continue
        pi, mark, size = hit
        place = g.places[pi]
        surface = _POSSESSIVE.sub("", text[scan.toks[i].start():scan.toks[i + size - 1].end()])
        if place.kind != "stop" and not scan.rejected(i, place, mark, size):
            start = scan.toks[i].start()
            if pi in g.alternates and _STATE_OF.search(text, max(0, start - 12), start):
                # "the U.S. state of Georgia": the text says which one it means, for all its mentions.
                said[pi] = next((k for k in g.alternates[pi] if g.places[k].kind == "region"), pi)
            found.append((start, pi, surface))
        elif mark == "?" and scan.first_name_before(i):
            persons.add(surface)
        i += size
    # One sense per text: once "Milano" is a surname here, a later bare "Milano" is the person too.
    found = [f for f in found if f[2] not in persons]
    return [(off, g.places[said.get(pi) or _reading(pi, found, g)]) for off, pi, _ in found]


_POSSESSIVE = re.compile(r"['’]s$")
_STATE_OF = re.compile(r"\bstate of\s+$", re.I)


def _reading(pi: int, found: list[tuple[int, int, str]], g: _Gazetteer) -> int:
    """Choose between places of one name (Georgia the country, the U.S. state) by the text's other places.

    The other reading wins only when the text names more cities or regions of its country
    ("Atlanta", "Ga.", "Florida") than of the first reading's; otherwise the first row stands.
    """
    others = g.alternates.get(pi)
    if not others:
        return pi

    def country(k: int) -> str | None:
        p = g.places[k]
        return p.name if p.kind == "country" else p.country

    support: dict[str | None, int] = {}
    for _, k, _ in found:
        p = g.places[k]
        if k != pi and k not in others and p.kind in ("city", "region"):
            support[p.country] = support.get(p.country, 0) + 1
    best = max(others, key=lambda k: support.get(country(k), 0))
    return best if support.get(country(best), 0) > support.get(country(pi), 0) else pi


def case_folded(text: str) -> bool:
    """Say whether `text` was lower-cased whole, as some datasets ship their news (RIA's in corus):
    hundreds of letters and (nearly) no capital among them."""
    sample = text[:FOLD_SAMPLE]
    capitals = len(_CAPITAL.findall(sample, 0, _FOLD_PEEK))
    if capitals > _FOLD_PEEK * _FOLD_MAX_CAPITALS:
        return False   # (nearly every text: a capital in its first lines; asked of every article)
    letters = len(_LETTER.findall(sample))
    return letters >= _FOLD_MIN_LETTERS and len(_CAPITAL.findall(sample)) <= letters * _FOLD_MAX_CAPITALS


FOLD_SAMPLE = 4000
_CAPITAL = re.compile(r"[A-ZÀ-ÖØ-ÞА-ЯЁ]")
_LETTER = re.compile(r"[^\W\d_]")
_FOLD_PEEK = 500
_FOLD_MIN_LETTERS = 200
_FOLD_MAX_CAPITALS = 0.002   # (a stray acronym or URL in a folded text; real prose has ~3% capitals)


def recase(text: str) -> str:
    """Give a lower-cased text's Russian place names their capital back ("в москве" -> "в Москве").

    Only a Cyrillic word that starts a gazetteer name and is no other word: a name marked as a
    common word or a first name too ("орел", "того", "владимир") stays lower-case, so it is
    never found. English names are left alone: lower-cased, too many are words ("china", "nice").
    """
    g = gazetteer()

    def up(m: re.Match[str]) -> str:
        word = m.group(0)
        if not _is_cyrillic(word):
            return word
        key = g.norm(word)
        return word[0].upper() + word[1:] if key in g.first and not g.index.get((key,), (0, ""))[1] else word

    return _TOKEN.sub(up, text)


def find_places(text: str, *, imply_countries: bool = True, use_demonyms: bool = False
                ) -> tuple[list[str], list[str]]:
    """Return (cities, countries) mentioned in `text`, canonical English names in order of first mention.

    A city or region also puts its country in `countries` when `imply_countries` (measured on
    Reuters-21578 in bench/locations.py); demonyms ("Japanese") count only when asked.
    """
    cities: dict[str, None] = {}
    countries: dict[str, None] = {}
    for _, place in place_mentions(text, use_demonyms=use_demonyms):
        if place.kind == "country":
            countries.setdefault(place.name)
        elif place.kind == "city":
            cities.setdefault(place.name)
        if place.kind in ("city", "region") and imply_countries and place.country:
            countries.setdefault(place.country)
    return list(cities), list(countries)


def canonical_place(name: str) -> tuple[str, str] | None:
    """Return ("city"|"country", canonical English name) for a place name in any form or script."""
    g = gazetteer()
    text = (name or "").strip()
    if not text:
        return None
    key = tuple(_norm(m.group(0), g.ru_forms) for m in _TOKEN.finditer(text))
    hit = g.index.get(key, (None, ""))[0] if key else None
    if hit is None:
        hit = g.lower.get(text.lower().replace("ё", "е"))
    if hit is None and key:
        # A lower-cased query ("минске", "kyrgyz republic"): try the capitalised form.
        cap = tuple(_norm(m.group(0).capitalize(), g.ru_forms) if m.group(0).lower() not in _CONNECTORS
                    else m.group(0).lower() for m in _TOKEN.finditer(text))
        hit = g.index.get(cap, (None, ""))[0]
    if hit is None:
        return None
    place = g.places[hit]
    return (place.kind, place.name) if place.kind in ("city", "country") else None


def place_aliases(canonical: str) -> list[str]:
    """Return every known form of a canonical place name, English and Russian (nominative)."""
    g = gazetteer()
    i = g.by_name.get(canonical)
    if i is None:
        return []
    p = g.places[i]
    out = [p.name] + [a.lstrip(_MARKS) for a in p.english]
    out += [re.sub(r"[*!?~]|/\S+", "", r) for r in p.russian]
    return list(dict.fromkeys(x for x in out if x))
