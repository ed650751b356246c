"""Suggest a corrected query ("did you mean") from the unstemmed spelling vocabulary.

shared/WHOOSH.md: correcting against a stemmed field corrects the stem, not the word, so the
backend's spelling candidates and document frequencies are on words as written, folded. A
suggestion is offered only when the corrected query would find more than the original under
the same filters.
"""
from __future__ import annotations

import re
from dataclasses import replace

from searchapp.backend import Query, Reader
from searchapp.config import Settings
from searchapp.errors import QueryError
from searchapp.search.query import ParsedQuery, Term, parse
from searchapp.text import fold, is_stopword, words

MIN_WORD = 3
# A word this much rarer than its correction is taken for a typo even if it occurs somewhere;
# a word in COMMON or more documents is taken as meant (and the corrector, which walks the
# vocabulary automaton, is not run for it).
RARER = 10
COMMON = 3


def _corrections(reader: Reader, parsed: ParsedQuery) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in parsed.positive():
        if isinstance(node, Term) and node.prefix or node.field not in (None, "title", "body"):
            continue
        for _, _, word in words(node.text):
            if len(word) < MIN_WORD or is_stopword(word) or word.isdigit() or word in out:
                continue
            freq = reader.doc_frequency(word)
            if freq >= COMMON:
                continue
            for cand in reader.spelling(word, 3, 2):
                if cand != word and reader.doc_frequency(cand) > RARER * freq:
                    out[word] = cand
                    break
    return out


def _rewrite(text: str, fixes: dict[str, str]) -> str:
    """Replace each corrected word in the query text, leaving operators and quotes alone."""
    def sub(m: re.Match[str]) -> str:
        return fixes.get(fold(m.group()), m.group())
    return re.sub(r"\w+(?:['’.]\w+)*", sub, text)


def suggest(reader: Reader, text: str, parsed: ParsedQuery, asked: Query, total: int,
            settings: Settings) -> str | None:
    """Return a corrected query string that finds more than `total` under `asked`'s filters."""
    fixes = _corrections(reader, parsed)
    if not fixes:
        return None
    candidate = _rewrite(text, fixes)
    try:
        node = parse(candidate, settings).node
        found = reader.search(replace(asked, node=node, mode="all", limit=0, offset=0,
                                      facets=frozenset(), periods=False))
    except QueryError:
        return None
    return candidate if found.total > total else None
