"""Suggest a corrected query ("did you mean") from the unstemmed spelling vocabulary.

shared/WHOOSH.md: correcting against a stemmed field corrects the stem, not the word, so the
corrector reads the `spell` field (words as written, folded). A suggestion is offered only when
the corrected query would find more than the original under the same filters.
"""
from __future__ import annotations

import re
import time
from typing import Any

from searchapp.errors import QueryError
from searchapp.indexing.analysis import fold, is_stopword, words
from searchapp.search.collect import collect
from searchapp.search.query import ParsedQuery, Term, parse

MIN_WORD = 3
# A word this much rarer than its correction is taken for a typo even if it occurs somewhere;
# a word in COMMON or more documents is taken as meant (and the corrector, which walks the
# vocabulary automaton, is not run for it).
RARER = 10
COMMON = 3


def _corrections(searcher: Any, parsed: ParsedQuery) -> dict[str, str]:
    reader = searcher.reader()
    corrector = searcher.corrector("spell")
    out: dict[str, str] = {}
    for node in parsed.positive():
        if isinstance(node, Term) and node.prefix or node.field not in (None, "title", "body"):
            continue
        for _, _, word in words(node.text):
            if len(word) < MIN_WORD or is_stopword(word) or word.isdigit() or word in out:
                continue
            freq = reader.doc_frequency("spell", word)
            if freq >= COMMON:
                continue
            for cand in corrector.suggest(word, limit=3, maxdist=2):
                if cand != word and reader.doc_frequency("spell", cand) > RARER * freq:
                    out[word] = cand
                    break
    return out


def _rewrite(text: str, fixes: dict[str, str]) -> str:
    """Replace each corrected word in the query text, leaving operators and quotes alone."""
    def sub(m: re.Match[str]) -> str:
        return fixes.get(fold(m.group()), m.group())
    return re.sub(r"\w+(?:['’.]\w+)*", sub, text)


def suggest(snap: Any, compiler: Any, text: str, parsed: ParsedQuery, allowed: int,
            total: int) -> str | None:
    """Return a corrected query string that finds more than `total`, or None."""
    fixes = _corrections(snap.searcher, parsed)
    if not fixes:
        return None
    candidate = _rewrite(text, fixes)
    try:
        q = compiler.compile(parse(candidate, compiler.settings).node)
    except QueryError:
        return None
    if q is None:
        return None
    found = collect(snap.searcher, q, want=0, allowed=None, score=False,
                    deadline=time.perf_counter() + compiler.settings.query_time_limit_s).bits
    return candidate if (found & allowed & snap.view.live).bit_count() > total else None

