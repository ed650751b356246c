"""Read one term's postings into arrays and score them once: the raw material of fast queries.

Profiling at Reuters size showed ~95% of a query's time in Whoosh's matchers, which score each
match through several Python calls (and never skipped a block on this data). Here a term's
posting list is read block by block into arrays (ids, weights), its BM25 scores are computed
once with the searcher's own scorer, and the result is kept per searcher: a query then costs
big-int operations for its match set and a few array look-ups per scored candidate.

Reading blocks uses attributes of whoosh3's W3LeafMatcher and the length column (pinned
version); any other matcher or column type takes the slower public path with equal results.
"""
from __future__ import annotations

from array import array
from typing import Any

from searchapp.backends.whoosh.bitmaps import from_ids
from searchapp.backends.whoosh.lru import LRU, MISSING

try:
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.util.numeric import byte_to_length
except ImportError:  # pragma: no cover - other whoosh distributions
    LENGTHS_COLUMN = _lenfield = None  # type: ignore[assignment]
    byte_to_length = None  # type: ignore[assignment]


def read_postings(reader: Any, fieldname: str, text: bytes) -> tuple[array, array]:
    """Return (ids, weights) of a term in one segment reader (local document numbers)."""
    ids, weights = array("i"), array("d")
    if (fieldname, text) not in reader:
        return ids, weights
    m = reader.postings(fieldname, text)
    if all(hasattr(m, a) for a in ("_read_ids", "_read_weights", "_next_block", "_i")):
        while m.is_active():
            m._read_ids()
            m._read_weights()
            # A matcher fresh on a block starts at 0; skip_to could leave it mid-block.
            ids.extend(m._ids[m._i:])
            # extend() takes another array only of its own type code; iterate instead.
            weights.extend(iter(m._weights[m._i:]))
            m._next_block()
        return ids, weights
    while m.is_active():  # pragma: no cover - generic matcher
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return ids, weights


# Raw postings kept across searchers (about 12 bytes each): a segment never changes, so after
# a commit only the new segment's postings are read again, not the 200,000-article one's.
# The backend's own cache takes Settings.postings_cache_budget; this is the default.
MAX_RAW_POSTINGS = 4_000_000


class RawPostingsCache:
    """Per-segment (ids, weights, local bitmap) of terms, bounded by postings, shared by searchers."""

    def __init__(self, budget: int = MAX_RAW_POSTINGS):
        self._lru: LRU[tuple[array, array, int]] = LRU(budget, lambda got: len(got[0]))

    def get(self, reader: Any, fieldname: str, text: bytes) -> tuple[array, array, int]:
        """Return (ids, weights, bitmap) of a term in one segment reader, local numbers."""
        seg = reader.segment() if hasattr(reader, "segment") else None
        key = (seg.segment_id(), fieldname, text) if seg is not None else None
        if key is not None:
            hit = self._lru.get(key)
            if hit is not MISSING:
                return hit  # type: ignore[return-value]
        ids, weights = read_postings(reader, fieldname, text)
        got = (ids, weights, from_ids(ids, reader.doc_count_all()))
        if key is not None:
            self._lru.put(key, got)
        return got


RAW = RawPostingsCache()


def length_bytes(reader: Any, fieldname: str) -> bytes | None:
    """Return the encoded field length of every document of a segment, one byte each.

    None when the segment keeps no lengths for the field (then the scorer's default applies).
    """
    n = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is not None and _lenfield is not None and hasattr(perdoc, "_cached_reader"):
        col = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if col is None:
            return None
        if getattr(col, "_fixedlen", None) == 1 and hasattr(col, "_dbfile"):
            count = min(col._count, n)
            raw = col._dbfile.get(col._basepos, count) if count else b""
            return bytes(raw) + bytes(n - count)
    return None  # pragma: no cover - generic reader: scores use doc_field_length


def leaf_scores(subsearcher: Any, weighting: Any, fieldname: str, text: bytes,
                ids: array, weights: array, lengths: bytes | None) -> array | None:
    """Return each posting's score as Whoosh's scorer for this term gives it, or None.

    The scorer of a length-normalised model depends only on (weight, length byte), so each
    distinct pair is scored once by the scorer itself: equal to Whoosh's own scores by
    construction. None when the model's scorer is of a kind this cannot reproduce.
    """
    from whoosh.scoring import WeightLengthScorer, WeightScorer

    scorer = weighting.scorer(subsearcher, fieldname, text)
    out = array("d")
    if type(scorer) is WeightScorer or (isinstance(scorer, WeightScorer)
                                        and type(scorer).score is WeightScorer.score):
        out.extend(weights)
        return out
    if not isinstance(scorer, WeightLengthScorer) or type(scorer).score is not WeightLengthScorer.score:
        return None
    score = scorer._score
    memo: dict[tuple[float, int], float] = {}
    if lengths is not None and byte_to_length is not None:
        for d, w in zip(ids, weights):
            key = (w, lengths[d])
            s = memo.get(key)
            if s is None:
                lb = key[1]
                s = memo[key] = score(w, byte_to_length(lb))
            out.append(s)
        return out
    dfl = scorer.dfl  # pragma: no cover - generic reader
    out.extend(score(w, dfl(d)) for d, w in zip(ids, weights))  # pragma: no cover
    return out  # pragma: no cover


def deleted_bits(reader: Any) -> int:
    """Return the bitmap of a segment's deleted documents (local numbers)."""
    if not reader.has_deletions():
        return 0
    return from_ids(reader.deleted_docs_set, reader.doc_count_all())
