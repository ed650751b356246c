"""Whoosh analyzers built from searchapp.text's rules: one for title, body and queries, one for spelling.

The spelling analyzer stops before stemming, because "did you mean" must correct words, not
stems (shared/WHOOSH.md). The analyzer objects are pickled into the index schema: they hold only
plain data, and the PyStemmer objects live in searchapp.text's cache.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter, Token

from searchapp.text import CYRILLIC, LATIN, STOPWORDS, WORD_PATTERN, stemmer


class FoldFilter(Filter):
    """Fold ё to е and ’ to ' (after lowercasing), so either spelling finds the other."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if "ё" in text or "’" in text:
                t.text = text.replace("ё", "е").replace("’", "'")
            yield t


class ScriptStemFilter(Filter):
    """Stem each token with the Snowball stemmer of its script (Latin: English, Cyrillic: Russian)."""

    is_morph = True

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        english = stemmer("english").stemWord
        russian = stemmer("russian").stemWord
        cyr = CYRILLIC.search
        lat = LATIN.search
        for t in tokens:
            if not t.stopped and "." not in t.text:
                text = t.text
                if cyr(text):
                    t.text = russian(text)
                elif lat(text):
                    t.text = english(text)
            yield t


def text_analyzer():  # -> whoosh.analysis.Analyzer (CompositeAnalyzer)
    """Return the analyzer for title, body and queries."""
    return (RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | FoldFilter()
            | StopFilter(stoplist=STOPWORDS, minsize=1) | ScriptStemFilter())


def spelling_analyzer():  # -> whoosh.analysis.Analyzer
    """Return the analyzer of the unstemmed spelling field (words as written, folded)."""
    return (RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | FoldFilter()
            | StopFilter(stoplist=STOPWORDS, minsize=2))
