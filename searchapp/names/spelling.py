"""Find spelling corrections by bounded look-ups, never by walking the index's vocabulary.

Whoosh's corrector walks a Levenshtein automaton over the term file: 50-1,000 ms a word, all of
it under the engine lock (issue 12: one typo froze the desk; 32 unknown words took 6 s at 19,000
articles). Here the work per word is fixed and small:

- the vocabulary is a set of the spelling field's words, read in the background per segment
  by the backend (searchapp.backend.Backend.vocabulary), so a look-up is one set membership
  test and needs no lock;
- a word's candidates are its single edits (delete, transpose, replace, insert: about 60 times
  its length) found in that set, at most `max_spell_candidates` of them;
- names of the region (gazetteer places and alias names) are also matched two edits away, through
  a precomputed delete index (symmetric deletes: two names at distance <= 2 share a string one
  delete from each);
- at most `max_spell_words` words of a query are looked at.

Which candidate wins, and whether any is offered, is decided in searchapp.search.suggest.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

LATIN = "abcdefghijklmnopqrstuvwxyz"
CYRILLIC = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
MAX_WORD = 30          # longer "words" (ids, URLs) are not corrected
_CYR = re.compile(r"[\u0400-\u04ff]")


def edits1(word: str) -> set[str]:
    """Return every string one delete, transposition, replacement or insertion from `word`."""
    letters = CYRILLIC if _CYR.search(word) else LATIN
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters}
    out |= {a + c + b for a, b in splits for c in letters}
    out.discard(word)
    return out


def deletes1(word: str) -> set[str]:
    """Return `word` and every string one delete from it."""
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def distance(a: str, b: str, cap: int = 3) -> int:
    """Return the edit distance with adjacent transpositions (optimal string alignment), at most cap."""
    if abs(len(a) - len(b)) >= cap:
        return cap
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) >= cap:
            return cap
        prev2, prev = prev, cur
    return min(prev[-1], cap)


def similarity(a: str, b: str) -> float:
    """Return 1 - edit distance / length of the longer word (1.0 for equal words)."""
    longest = max(len(a), len(b)) or 1
    return 1.0 - distance(a, b) / longest


@dataclass(frozen=True)
class Candidate:
    word: str
    distance: int
    name: bool          # a name of the region (gazetteer or alias table), preferred


class NameIndex:
    """The region's names as folded words, findable up to two edits away."""

    def __init__(self, names: Iterable[str]):
        self.words = frozenset(w for w in names if len(w) >= 3 and len(w) <= MAX_WORD)
        self._deletes: dict[str, list[str]] = {}
        for w in self.words:
            for d in deletes1(w):
                self._deletes.setdefault(d, []).append(w)

    def __contains__(self, word: str) -> bool:
        return word in self.words

    def near(self, word: str) -> list[Candidate]:
        """Return the names at most two edits from `word`, nearest first."""
        seen: set[str] = set()
        for d in deletes1(word):
            seen.update(self._deletes.get(d, ()))
        seen.discard(word)
        out = [Candidate(w, distance(word, w), True) for w in seen]
        return sorted((c for c in out if c.distance <= 2), key=lambda c: (c.distance, c.word))


def vocabulary_candidates(word: str, vocabulary: frozenset[str], limit: int) -> list[Candidate]:
    """Return up to `limit` words of the vocabulary one edit from `word`."""
    found = sorted(e for e in edits1(word) if e in vocabulary)
    return [Candidate(w, 1, False) for w in found[:limit]]
