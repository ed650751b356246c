"""Cut a snippet from an article's text and mark the query's words: the product's only markup.

The text is re-analysed with the index's own word splitting and stemming, so "meetings" in the
query marks "meeting" and "Meetings" in the text, each exactly as written. Every character that is
not inside a <mark> we add is HTML-escaped: text holding <script> or onerror= comes out inert.
"""
from __future__ import annotations

import html
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from searchapp.text import is_stopword, stem, words

ELLIPSIS = "…"
MAX_MARKS = 200  # bounds the window search on very long texts


@dataclass(frozen=True)
class Matcher:
    """What to mark: stems of query words, and word prefixes from prefix* terms."""

    stems: frozenset[str]
    prefixes: tuple[str, ...] = ()

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


def _window(spans: list[tuple[int, int, str]], hits: list[int], text_len: int,
            max_chars: int) -> tuple[int, int]:
    """Return the [start, end) character window holding the most distinct matched words."""
    if not hits:
        return 0, min(text_len, max_chars)
    best, best_score = hits[0], -1
    for i, first in enumerate(hits):
        limit = spans[first][0] + max_chars
        seen = {spans[h][2] for h in hits[i:] if spans[h][1] <= limit}
        if len(seen) > best_score:
            best, best_score = first, len(seen)
    lead = max_chars // 5   # a little context before the first marked word
    start = max(0, min(spans[best][0] - lead, text_len - max_chars))
    # Start at a word boundary rather than inside a word.
    for s, _, _ in spans:
        if s >= start:
            start = s if s <= spans[best][0] else spans[best][0]
            break
    end = min(text_len, start + max_chars)
    return start, end


def highlight(text: str, match: Matcher, max_chars: int = 240) -> str:
    """Return an HTML snippet of `text`: escaped, query words in <mark>, about max_chars long."""
    spans = words(text)
    # Each distinct word is tested once: stemming every occurrence was a third of a snippet.
    marked = {w for w in {w for _, _, w in spans} if match(w)}
    hits = [i for i, (_, _, w) in enumerate(spans) if w in marked][:MAX_MARKS] if marked else []
    start, end = _window(spans, hits, len(text), max_chars)
    if end < len(text):  # do not cut the last word in half
        cut = [s for s, e, _ in spans if s < end < e]
        if cut and cut[0] > start:
            end = cut[0]
    parts = [ELLIPSIS] if start > 0 else []
    pos = start
    for i in hits:
        s, e, _ = spans[i]
        if s < start or e > end:
            continue
        parts.append(html.escape(text[pos:s]))
        parts.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    parts.append(html.escape(text[pos:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return _squash("".join(parts))


def _squash(snippet: str) -> str:
    # Paragraph breaks and runs of spaces would show as nothing in HTML anyway; keep it one line.
    return " ".join(snippet.split())
