"""Find spelling corrections by bounded look-ups, never by walking the index's vocabulary.

Whoosh's corrector walks a Levenshtein automaton over the term file: 50-1,000 ms a word, all of
it under the engine lock (issue 12: one typo froze the desk; 32 unknown words took 6 s at 19,000
articles). Here the work per word is fixed and small:

- the vocabulary is a set of the spelling field's words, read in the background per segment
  (`WordList`), so a look-up is one set membership test and needs no lock;
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
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


class WordList:
    """The spelling field's words of one index, read per segment off the request path.

    `refresh(generation, segment_ids)` starts a background read when the live segments changed;
    segments read before are reused, so an incremental commit reads only its new segment.
    Readers of `words()` get the last complete set (possibly one commit old: a spelling list a
    commit behind costs nothing but a missed suggestion).
    """

    def __init__(self, open_reader: Callable[[Path], Any]):
        self._open_reader = open_reader
        self._lock = threading.Lock()
        self._segments: dict[str, frozenset[str]] = {}
        self._words: frozenset[str] | None = None
        self._key: tuple | None = None
        self._wanted: tuple | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop = threading.Event()
        self.error: str | None = None

    def refresh(self, generation: Path, segment_ids: tuple[str, ...]) -> None:
        """Make sure the words of these live segments are (being) read."""
        key = (str(generation), segment_ids)
        with self._lock:
            if self._stop.is_set() or key in (self._key, self._wanted):
                return
            self._wanted = key
            if self._thread is not None and self._thread.is_alive():
                return   # the running read picks the newest wish up when it ends
            self._thread = threading.Thread(target=self._run, name="spelling-words", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                key = self._wanted
                if key is None or key == self._key:
                    self._wanted = None
                    self._thread = None
                    return
            try:
                words = self._read(Path(key[0]), key[1])
            except Exception as exc:  # noqa: BLE001 - a generation switched away mid-read: next wish
                self.error = f"{type(exc).__name__}: {exc}"
                words = None
            with self._lock:
                if words is not None:
                    self._words, self._key, self.error = words, key, None
                    self._ready.set()
                if self._wanted == key:   # done, or failed: the next refresh asks again
                    self._wanted = None
                    self._thread = None
                    return

    def _read(self, generation: Path, segment_ids: tuple[str, ...]) -> frozenset[str] | None:
        reader = self._open_reader(generation)
        try:
            parts: dict[str, frozenset[str]] = {}
            for leaf, _ in reader.leaf_readers():
                if self._stop.is_set():
                    return None
                segment = leaf.segment()
                sid = segment.segment_id() if segment is not None else ""
                if sid and sid in self._segments:
                    parts[sid] = self._segments[sid]
                    continue
                words = []
                for n, raw in enumerate(leaf.lexicon("spell")):
                    if not n & 4095 and self._stop.is_set():
                        return None
                    words.append(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
                parts[sid] = frozenset(words)
        finally:
            reader.close()
        self._segments = parts
        if len(parts) == 1:
            return next(iter(parts.values()))
        return frozenset().union(*parts.values())

    def words(self, wait: float = 0.0) -> frozenset[str] | None:
        """Return the last complete word set, waiting up to `wait` s for a first one."""
        if self._words is None and wait > 0:
            self._ready.wait(wait)
        return self._words

    def close(self) -> None:
        """Stop a running read and wait for its thread."""
        self._stop.set()
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout=5)


def vocabulary_candidates(word: str, vocabulary: frozenset[str], limit: int) -> list[Candidate]:
    """Return up to `limit` words of the vocabulary one edit from `word`."""
    found = sorted(e for e in edits1(word) if e in vocabulary)
    return [Candidate(w, 1, False) for w in found[:limit]]
