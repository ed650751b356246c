"""Suggest a corrected query ("did you mean") that helps, within the search's budget.

shared/WHOOSH.md: correcting against a stemmed field corrects the stem, not the word, so the
candidates come from the `spell` field's words (as written, folded). The work is bounded
(searchapp.names.spelling): `propose` runs without the backend's lock on the vocabulary the
backend keeps (Backend.vocabulary); `choose` reads a few document frequencies and `confirm`
checks that the corrected query finds more than the original under the same filters, both
through one reader and within the deadline.

When a word is not corrected (issue 11): a word the query already finds in COMMON or more
articles, a name of the region (gazetteer or alias table: "Osh", "Samarkand", "Tokayev"), an
all-caps acronym (only towards a name: "ОДКВ" -> "одкб"), a short word (only towards a much more
frequent word of an absent one), and any candidate less similar than `spell_min_similarity`.
Names are preferred over other words at the same distance and may be two edits away.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

from searchapp.backend import Query, Reader
from searchapp.config import Settings
from searchapp.errors import QueryError
from searchapp.names.spelling import MAX_WORD, Candidate, NameIndex, similarity, vocabulary_candidates
from searchapp.querytree import Node
from searchapp.search.budget import Budget
from searchapp.search.query import ParsedQuery, Term
from searchapp.text import fold, is_stopword, words

MIN_WORD = 3
SHORT = 3          # a word this short is corrected only towards a far more frequent word
RARER = 10         # a word this much rarer than its correction may be a typo even if it occurs
COMMON = 3         # a word in this many articles or more is taken as meant
MUCH_MORE = 100    # a short word's correction must be in this many times more articles


@dataclass
class Proposal:
    word: str                   # folded, as it stands in the query
    strict: bool                # all-caps or short: only a name, or a far more frequent word
    short: bool
    candidates: list[Candidate]


def _query_words(parsed: ParsedQuery) -> list[tuple[str, str]]:
    """Return (folded word, word as typed) of the searched words, in query order, once each."""
    out: dict[str, str] = {}
    for node in parsed.positive():
        if isinstance(node, Term) and node.prefix or node.field not in (None, "title", "body"):
            continue
        for start, end, word in words(node.text):
            out.setdefault(word, node.text[start:end])
    return list(out.items())


def propose(parsed: ParsedQuery, vocabulary: frozenset[str] | None, names: NameIndex,
            settings: Settings, is_name: Callable[[str], bool]) -> list[Proposal]:
    """Return candidates for at most `max_spell_words` words; pure look-ups, no index reads."""
    eligible: list[tuple[bool, int, str, str]] = []
    for n, (word, typed) in enumerate(_query_words(parsed)):
        if len(word) < MIN_WORD or len(word) > MAX_WORD or is_stopword(word) \
                or any(c.isdigit() for c in word) or is_name(word):
            continue
        known = vocabulary is not None and word in vocabulary
        eligible.append((known, n, word, typed))
    # Words the index has never seen first: they are the likeliest typos.
    eligible.sort()
    out = []
    for _, _, word, typed in eligible[:settings.max_spell_words]:
        acronym = len(typed) >= 2 and typed.isupper()
        short = len(word) <= SHORT
        cands = names.near(word)
        if vocabulary is not None and not acronym:
            cands += vocabulary_candidates(word, vocabulary, settings.max_spell_candidates)
        floor = settings.spell_min_similarity
        cands = [c for c in cands if not is_stopword(c.word) and similarity(word, c.word) >= floor]
        if cands:
            out.append(Proposal(word, acronym or short, short, cands[:settings.max_spell_candidates]))
    return out


def choose(proposals: list[Proposal], doc_frequency: Callable[[str], int]) -> dict[str, str]:
    """Return word -> correction, reading the frequencies of the words and their candidates."""
    fixes: dict[str, str] = {}
    for p in proposals:
        freq = doc_frequency(p.word)
        if freq >= COMMON:
            continue
        best: tuple | None = None
        for c in p.candidates:
            if c.word == p.word:
                continue
            df = doc_frequency(c.word)
            if c.name:
                ok = df > freq or df > 0
            elif p.strict:
                ok = p.short and freq == 0 and df >= MUCH_MORE
            else:
                ok = df > RARER * freq
            if not ok:
                continue
            rank = (c.distance, not c.name, -df, c.word)
            if best is None or rank < best:
                best = rank
        if best is not None:
            fixes[p.word] = best[3]
    return fixes


def rewrite(text: str, fixes: dict[str, str]) -> str:
    """Replace each corrected word in the query text, leaving operators and quotes alone."""
    def sub(m: re.Match[str]) -> str:
        return fixes.get(fold(m.group()), m.group())
    return re.sub(r"\w+(?:['’.]\w+)*", sub, text)


def confirm(candidate: str, node_of: Callable[[str], Node | None], reader: Reader, asked: Query,
            total: int, budget: Budget) -> int | None:
    """Return how many articles the corrected query finds when that is more than `total`.

    `node_of` parses and expands the corrected text as the search did; `asked` carries the
    request's filters and deadline.
    """
    try:
        node = node_of(candidate)
        if node is None:
            return None
        got = reader.search(replace(asked, node=node, mode="all", limit=0, offset=0,
                                    facets=frozenset(), periods=False))
    except QueryError:
        return None
    if got.timed_out:
        budget.skip("spelling suggestions")
        return None
    return got.total if got.total > total else None
