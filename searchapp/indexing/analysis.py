"""Analyse text for indexing and queries: words, lowercase, ё→е, stop words, stemming by script.

One analyzer serves title, body and queries, so a query word meets the same stem it was indexed
under ("meetings" → "meet", "выборы"/"выборов" → "выбор"). Each token is stemmed by its own
script: Latin with the English Snowball stemmer, Cyrillic with the Russian one; a mixed
English/Russian article needs no language guess. The spelling analyzer stops before stemming,
because "did you mean" must correct words, not stems (shared/WHOOSH.md).

The analyzer objects are pickled into the index schema: they hold only plain data, and the
PyStemmer objects live in a module-level cache.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import Stemmer
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter, Token

# Words with inner apostrophes or dots stay whole ("don't", "u.s", "3.5"), as Whoosh's default.
WORD_PATTERN = r"\w+(?:['’.]\w+)*"
_WORD_RE = re.compile(WORD_PATTERN)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z\u00c0-\u024f]")

try:  # helper "relevance" owns the stop lists; both sides must use the same ones
    from searchapp.search.ranking import STOPWORDS_EN, STOPWORDS_RU
except ImportError:  # pragma: no cover - only while ranking.py is absent
    STOPWORDS_EN, STOPWORDS_RU = frozenset(), frozenset()

STOPWORDS: frozenset[str] = frozenset(
    w.replace("ё", "е").replace("’", "'") for w in STOPWORDS_EN | STOPWORDS_RU)


@lru_cache(maxsize=None)
def _stemmer(language: str) -> Stemmer.Stemmer:
    stemmer = Stemmer.Stemmer(language)
    stemmer.maxCacheSize = 100_000
    return stemmer


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Return the stem of one lowercased word, choosing the stemmer by its script."""
    if "." in word:  # abbreviations and numbers ("u.s", "3.5") are not inflected words
        return word
    if _CYRILLIC.search(word):
        return _stemmer("russian").stemWord(word)
    if _LATIN.search(word):
        return _stemmer("english").stemWord(word)
    return word


def fold(word: str) -> str:
    """Return the word lowercased, with ё as е and a typographic apostrophe as a plain one."""
    return word.lower().replace("ё", "е").replace("’", "'")


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
        english = _stemmer("english").stemWord
        russian = _stemmer("russian").stemWord
        cyr = _CYRILLIC.search
        lat = _LATIN.search
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


def words(text: str) -> list[tuple[int, int, str]]:
    """Return (start, end, folded word) for every word in `text`, stop words included."""
    return [(m.start(), m.end(), fold(m.group())) for m in _WORD_RE.finditer(text)]


def is_stopword(word: str) -> bool:
    """Tell whether a folded word is on the stop list."""
    return word in STOPWORDS


def terms(text: str) -> list[str]:
    """Return the index terms of `text`: the stems of its words that are not stop words."""
    return [stem(w) for _, _, w in words(text) if w not in STOPWORDS]
