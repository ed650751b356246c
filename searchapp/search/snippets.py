"""Cut a snippet from an article's text and mark the query's words: the product's only markup.

The text is re-analysed with the index's own word splitting and stemming, so "meetings" in the
query marks "meeting" and "Meetings" in the text, each exactly as written. Every character that is
not inside a <mark> we add is HTML-escaped: text holding <script> or onerror= comes out inert.
"""
from __future__ import annotations

import html
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from searchapp.text import WORD_PATTERN, fold, is_stopword, stem, words

_WORD_RE = re.compile(WORD_PATTERN)

ELLIPSIS = "…"
MAX_MARKS = 200  # bounds the window search on very long texts


@dataclass(frozen=True)
class Matcher:
    """What to mark: stems of query words, and word prefixes from prefix* terms."""

    stems: frozenset[str]
    prefixes: tuple[str, ...] = ()
    # One matcher serves a results page: its ten articles share most of their words, so each
    # distinct word is tested once per page and the rest is set arithmetic.
    _yes: set[str] = field(default_factory=set, compare=False, repr=False)
    _no: set[str] = field(default_factory=set, compare=False, repr=False)

    def select(self, folded_words: set[str]) -> set[str]:
        """Return the words of the set that are to be marked."""
        new = folded_words - self._yes - self._no
        if len(self._no) > 100_000:
            self._no.clear()
        for w in new:
            (self._yes if self(w) else self._no).add(w)
        return folded_words & self._yes

    def __call__(self, folded: str) -> bool:
        if is_stopword(folded):
            return False
        if self.prefixes and folded.startswith(self.prefixes):
            return True
        return stem(folded) in self.stems

    @classmethod
    def for_words(cls, texts: Collection[str], prefixes: Collection[str] = ()) -> "Matcher":
        """Build a matcher from query words as written (any case, any inflection)."""
        stems = {stem(w) for t in texts for _, _, w in words(t) if not is_stopword(w)}
        folded = tuple(sorted({w for p in prefixes for _, _, w in words(p)}))
        return cls(frozenset(stems), folded)

    @classmethod
    def for_terms(cls, positive: Collection[Any]) -> "Matcher":
        """Build a matcher from a query tree's positive Terms and Phrases (of text fields).

        Given the expanded tree (searchapp.names.expand), it marks the other names the search
        used as well: БИШКЕК and Бишкеке for `Bishkek`, CSTO for `ОДКБ`.
        """
        texts = [p.text for p in positive if not getattr(p, "prefix", False)
                 and p.field in (None, "title", "body")]
        prefixes = [p.text for p in positive if getattr(p, "prefix", False)]
        return cls.for_words(texts, prefixes)


def _window(hits: list[tuple[int, int, str]], text: str, max_chars: int) -> tuple[int, int]:
    """Return the [start, end) character window holding the most distinct matched words."""
    text_len = len(text)
    if not hits:
        return 0, min(text_len, max_chars)
    best, best_score = 0, -1
    for i, (first, _, _) in enumerate(hits):
        limit = first + max_chars
        seen = set()
        for _, e, w in hits[i:]:
            if e > limit:  # hits ascend, so every later one ends later still
                break
            seen.add(w)
        if len(seen) > best_score:
            best, best_score = i, len(seen)
    anchor = hits[best][0]
    lead = max_chars // 5   # a little context before the first marked word
    start = max(0, min(anchor - lead, text_len - max_chars))
    # Start at a word boundary rather than inside a word.
    first_word = _next_token(text, start)
    start = anchor if first_word is None or first_word > anchor else first_word
    return start, min(text_len, start + max_chars)


def highlight(text: str, match: Matcher, max_chars: int = 240) -> str:
    """Return an HTML snippet of `text`: escaped, query words in <mark>, about max_chars long."""
    if not match.stems and not match.prefixes:
        hits: list[tuple[int, int, str]] = []   # nothing to mark: the lead (a query of no words)
    else:
        folded = fold(text)
        # Lowercasing may change the length ("İ"): then positions in `folded` are not positions
        # in `text`, and the words are folded one by one. Word boundaries do not depend on case.
        hits = _hits(folded, match) if len(folded) == len(text) else _hits_by_word(text, match)
    start, end = _window(hits, text, max_chars)
    if end < len(text):  # do not cut the last word in half
        cut = _token_start_around(text, end)
        if cut is not None and cut > start:
            end = cut
    parts = [ELLIPSIS] if start > 0 else []
    pos = start
    for s, e, _ in hits:
        if s < start or e > end:
            continue
        parts.append(html.escape(text[pos:s]))
        parts.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    parts.append(html.escape(text[pos:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return _squash("".join(parts))


# Finding the marked words: the text is folded once and its distinct words listed by the regex
# engine; only words the matcher accepts are then located, through one alternation. Splitting
# every word in Python was most of a results page's cost at 200,000 articles (/work: cProfile
# of bench/load.py's mix).
_WORD_CHAR = re.compile(r"\w")
_CONNECTORS = "'’."


def _hits_by_word(text: str, match: Matcher) -> list[tuple[int, int, str]]:
    spans = words(text)
    marked = match.select({w for _, _, w in spans})
    return [span for span in spans if span[2] in marked][:MAX_MARKS] if marked else []


def _is_word_char(ch: str) -> bool:
    return bool(_WORD_CHAR.match(ch))


def _starts_token(text: str, pos: int) -> bool:
    """Tell whether a word of `words()` can start at `pos` (not inside "u.s" or "don't")."""
    if pos == 0:
        return True
    before = text[pos - 1]
    if _is_word_char(before):
        return False
    return not (before in _CONNECTORS and pos >= 2 and _is_word_char(text[pos - 2]))


def _next_token(text: str, pos: int) -> int | None:
    """Return where the first word starting at or after `pos` starts."""
    for m in _WORD_RE.finditer(text, pos):
        if _starts_token(text, m.start()):
            return m.start()
    return None


def _token_start_around(text: str, pos: int) -> int | None:
    """Return the start of the word that `pos` falls strictly inside, if any."""
    i = pos
    while i > 0 and (_is_word_char(text[i - 1]) or (
            text[i - 1] in _CONNECTORS and i >= 2 and _is_word_char(text[i - 2]))):
        i -= 1
    while i < pos and not _is_word_char(text[i]):
        i += 1  # a connector cannot start a word
    m = _WORD_RE.match(text, i)
    return m.start() if m and m.start() < pos < m.end() else None


@lru_cache(maxsize=512)
def _alternation(marked: frozenset[str]) -> re.Pattern[str]:
    # Longest first: at one position "u.s" must win over "u" so that the whole word is checked.
    return re.compile("|".join(re.escape(w) for w in sorted(marked, key=lambda w: (-len(w), w))))


def _hits(folded: str, match: Matcher) -> list[tuple[int, int, str]]:
    """Return (start, end, folded word) of the first MAX_MARKS words `match` accepts."""
    marked = frozenset(match.select(set(_WORD_RE.findall(folded))))
    if not marked:
        return []
    hits = []
    for m in _alternation(marked).finditer(folded):
        s = m.start()
        if not _starts_token(folded, s):
            continue
        word = _WORD_RE.match(folded, s)
        if word is not None and word.end() == m.end():
            hits.append((s, m.end(), m.group()))
            if len(hits) >= MAX_MARKS:
                break
    return hits


def _squash(snippet: str) -> str:
    # Paragraph breaks and runs of spaces would show as nothing in HTML anyway; keep it one line.
    return " ".join(snippet.split())


_MARKS_RE = re.compile(r"</?mark>")


def plain_text(fragment: str) -> str:
    """Return the text of a `highlight` fragment: marks dropped, the escaping undone."""
    return html.unescape(_MARKS_RE.sub("", fragment))
