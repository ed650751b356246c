"""Find the k best-scored candidates of a flattened query without scoring every match.

The threshold algorithm (Fagin): each term's postings are walked in descending score order,
a round at a time; every new document met is scored in full by array look-ups, and the walk
stops once the k-th best score beats the best score any unseen document could still reach
(the sum of each list's next score). On news text the best documents of the query's terms are
found within the first few hundred postings, where Whoosh scored every match. When the
candidates are few (a narrow filter), they are scored directly instead. Most queries now take
neither: up to DENSE_MAX_POSTINGS postings, numpy adds every list into one array of scores and
picks the k best (`_dense`), several times faster than the walk's Python scoring at 200k.

Ties go to the lower document number, as in searchapp.backends.whoosh.collect's heap.
"""
from __future__ import annotations

import heapq
import time
from bisect import bisect_left

import numpy as np

from searchapp.backends.whoosh.bitmaps import to_ids
from searchapp.backends.whoosh.plan import Leaf

# Score the candidates one by one when there are at most this many, or when they are so few
# against the postings (candidates x lists x DIRECT_RATIO <= postings) that the walk could
# visit many postings for each one. Measured on Reuters: the walk scored 27-600 documents
# for result sets of 200-5,800 and beat direct scoring from ~100 candidates up.
DIRECT_MAX = 64
DIRECT_RATIO = 16
# Up to this many postings in all a query's lists, every document is scored at once with numpy
# (a few milliseconds even for a prefix of many words at 209,473 articles) instead of the walk,
# whose Python scoring of ~1,000 documents was a quarter of a results page's CPU.
DENSE_MAX_POSTINGS = 3_000_000
FIRST_ROUND = 16
MAX_ROUND = 2048


def _mask(bits: int) -> bytes:
    return bits.to_bytes((bits.bit_length() + 8) >> 3, "little")


class _Scorer:
    """Score one document as the sum of the leaves that fire for it."""

    def __init__(self, leaves: list[Leaf], root: int):
        self.parts = []
        for leaf in leaves:
            gate = leaf.gate(root)
            d = leaf.data
            self.parts.append((d.ids if d else None, d.scores if d else None, leaf.boost,
                               _mask(gate) if gate is not None else None,
                               d.mask if d else None))

    def __call__(self, doc: int) -> float:
        total = None
        byte, bit = doc >> 3, doc & 7
        for ids, scores, boost, gate, has in self.parts:
            if gate is not None and (byte >= len(gate) or not gate[byte] >> bit & 1):
                continue
            if ids is None:
                s = boost
            else:
                # The set test is cheaper than a binary search, and most rare terms miss.
                if byte >= len(has) or not has[byte] >> bit & 1:
                    continue
                s = scores[bisect_left(ids, doc)]
                if boost != 1.0:
                    s *= boost
            total = s if total is None else total + s
        return total or 0.0


def top_k(leaves: list[Leaf], root: int, cand: int, k: int,
          deadline: float) -> tuple[list[tuple[float, int]], bool]:
    """Return ((score, doc) best first, timed out) for the k best documents of `cand`."""
    n = cand.bit_count()
    if not n or k <= 0:
        return [], False
    score = _Scorer(leaves, root)
    lists = [leaf for leaf in leaves if leaf.data is not None and len(leaf.data.ids)]
    postings = sum(len(leaf.data.ids) for leaf in lists)  # type: ignore[union-attr]
    consts = [leaf for leaf in leaves if leaf.data is None]
    if not lists and not any(leaf.gate(root) is not None for leaf in consts):
        # Every match scores the same constant (a pure NOT query): the first k documents.
        same = score(next(to_ids(cand)))
        return [(same, d) for _, d in zip(range(k), to_ids(cand))], False
    if n <= max(DIRECT_MAX, k) or (lists and n * len(lists) * DIRECT_RATIO <= postings):
        return _direct(score, cand, k, deadline)
    if postings <= DENSE_MAX_POSTINGS:
        # Bounded by the postings, so it runs to the end; past the deadline it still says so.
        return _dense(leaves, root, cand, k), time.perf_counter() > deadline
    # A constant (Every) reaches documents in no posting list, which the walk never meets.
    if any(leaf.alone for leaf in consts):
        return _direct(score, cand, k, deadline)
    return _threshold(score, leaves, lists, cand, k, deadline)


def _bools(bits: int, nbytes: int) -> np.ndarray:
    return np.unpackbits(np.frombuffer(bits.to_bytes(nbytes, "little"), np.uint8),
                         bitorder="little").view(bool)


def _dense(leaves: list[Leaf], root: int, cand: int, k: int) -> list[tuple[float, int]]:
    """Score every document of the leaves' postings at once with numpy; keep the k best of cand.

    The same sums in the same order as _Scorer (leaf by leaf, a leaf's score times its boost),
    so the same floats: the ranking does not change, only who computes it.
    """
    gates = [leaf.gate(root) for leaf in leaves]
    top = max([cand.bit_length()] + [g.bit_length() for g in gates if g is not None]
              + [leaf.data.ids[-1] + 1 for leaf in leaves if leaf.data is not None and len(leaf.data.ids)])
    nbytes = (top + 7) >> 3
    acc = np.zeros(nbytes << 3)
    masks: dict[int, np.ndarray] = {}
    for leaf, gate in zip(leaves, gates):
        inside = None
        if gate is not None:
            inside = masks.get(id(gate))
            if inside is None:
                inside = masks[id(gate)] = _bools(gate, nbytes)
        if leaf.data is None:
            if inside is None:
                acc += leaf.boost
            else:
                acc[inside] += leaf.boost
            continue
        if not len(leaf.data.ids):
            continue
        ids = np.frombuffer(leaf.data.ids, np.int32)
        scores = np.frombuffer(leaf.data.scores, np.float64)
        if leaf.boost != 1.0:
            scores = scores * leaf.boost
        if inside is not None:
            keep = inside[ids]
            ids, scores = ids[keep], scores[keep]
        acc[ids] += scores   # a term's ids are distinct: no two updates of one document collide
    docs = np.flatnonzero(_bools(cand, nbytes))
    got = acc[docs]
    if len(docs) > k:
        kth = np.partition(got, len(got) - k)[len(got) - k]
        keep = got >= kth                     # ties at the k-th score all stay for the sort
        docs, got = docs[keep], got[keep]
    order = np.lexsort((docs, -got))[:k]      # best first; ties to the lower document
    return [(float(got[i]) or 0.0, int(docs[i])) for i in order]


def _push(heap: list, k: int, s: float, doc: int) -> None:
    if len(heap) < k:
        heapq.heappush(heap, (s, -doc))
    elif (s, -doc) > heap[0]:
        heapq.heapreplace(heap, (s, -doc))


def _ranked(heap: list) -> list[tuple[float, int]]:
    return sorted(((s, -nd) for s, nd in heap), key=lambda x: (-x[0], x[1]))


def _direct(score: _Scorer, cand: int, k: int, deadline: float) -> tuple[list, bool]:
    heap: list = []
    clock = time.perf_counter
    for i, doc in enumerate(to_ids(cand)):
        _push(heap, k, score(doc), doc)
        if not i & 1023 and clock() > deadline:
            return _ranked(heap), True
    return _ranked(heap), False


def _threshold(score: _Scorer, leaves: list[Leaf], lists: list[Leaf], cand: int, k: int,
               deadline: float) -> tuple[list, bool]:
    top = max(leaf.data.ids[-1] for leaf in lists)  # type: ignore[union-attr]
    mask = _mask(cand).ljust((top >> 3) + 1, b"\0")
    seen = bytearray(len(mask))
    walks = [(leaf.data.order, leaf.data.ids, leaf.data.scores, leaf.boost)  # type: ignore[union-attr]
             for leaf in lists]
    const = sum(leaf.boost for leaf in leaves if leaf.data is None)
    pos = [0] * len(walks)
    heap: list = []
    step = FIRST_ROUND
    clock = time.perf_counter
    while True:
        for w, (order, ids, _, _) in enumerate(walks):
            start = pos[w]
            for p in order[start:start + step]:
                doc = ids[p]
                byte, bit = doc >> 3, 1 << (doc & 7)
                if seen[byte] & bit:
                    continue
                seen[byte] |= bit
                if mask[byte] & bit:
                    _push(heap, k, score(doc), doc)
            pos[w] = min(start + step, len(order))
        live = [(walks[w], p) for w, p in enumerate(pos) if p < len(walks[w][0])]
        if not live:
            break
        if len(heap) >= k:
            bound = const
            for (order, _, scores, boost), p in live:
                # An unseen document scores at most the list's next score, or 0 when it is not
                # in the list: scores can be negative (an idf over deleted documents too).
                bound += max(scores[order[p]] * boost, 0.0)
            if heap[0][0] > bound:
                break
        if clock() > deadline:
            return _ranked(heap), True
        step = min(step * 2, MAX_ROUND)
    return _ranked(heap), False
