"""Collect every match of a query once: its document set (for facets) and the best-scored page.

Profiling (bench/index_bench.py) showed a result page walking the postings twice: once for the
set of all matches (facets, totals) and once more for Whoosh's scored top-k. Here one pass does
both: each match's id goes into the set, and its score into a bounded heap, restricted to the
documents the filters allow. The time budget is a deadline checked every few hundred matches,
with no timer thread per query (TimeLimitCollector starts one even with use_alarm=False).

That walk still scored every match in Python (~95% of a query's time). Now a query of the kinds
Whoosh's parser-free compiler produces (terms, phrases, And/Or/Not, Every) is evaluated on cached
term data instead (searchapp.backends.whoosh.plan): its match set by big-int operations and its best page
by the threshold algorithm (searchapp.backends.whoosh.topk), with the same scores. Other queries, and
ranking models whose scores cannot be reproduced, still take the walk: that is logged and
counted (`fallbacks()`, shown by `searchapp stats` and /healthz), because a silent fall back
costs tenfold at 200k articles and no test would notice (issue 9).
"""
from __future__ import annotations

import heapq
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from searchapp.backends.whoosh.bitmaps import from_ids, to_ids
from searchapp.backends.whoosh.plan import Unsupported, evaluate
from searchapp.backends.whoosh.termcache import cache_for
from searchapp.backends.whoosh.topk import top_k

CHECK_EVERY = 255
log = logging.getLogger("searchapp.backends.whoosh")
_fallbacks = 0
_fallback_lock = threading.Lock()


def fallbacks() -> int:
    """Return how many queries this process walked with Whoosh's matchers (the slow path)."""
    return _fallbacks


def _fell_back(q: Any, why: Unsupported) -> None:
    global _fallbacks
    with _fallback_lock:
        _fallbacks += 1
    log.warning("fast path not taken (%s) for %r: walking Whoosh's matchers", why, q)


@dataclass
class Collected:
    bits: int                                   # every matching live document
    top: list[tuple[float, int]] = field(default_factory=list)   # (score, docnum), best first
    timed_out: bool = False


def collect(searcher: Any, q: Any, *, want: int, allowed: int | None,
            deadline: float, score: bool = True) -> Collected:
    """Return every live match of `q` and the `want` best (by score) of the `allowed` bitmap."""
    cache = cache_for(searcher)
    try:
        plan = evaluate(q, cache)
    except Unsupported as why:
        _fell_back(q, why)
        return walk(searcher, q, want=want, allowed=allowed, deadline=deadline, score=score)
    bits = plan.bits & cache.live
    cand = bits & allowed if allowed is not None else bits
    if not want or not cand:
        return Collected(bits)
    if not score:  # unscored: the first documents, as the walk's heap of zeros keeps them
        return Collected(bits, [(0.0, d) for _, d in zip(range(want), to_ids(cand))])
    top, late = top_k(plan.leaves, plan.bits, cand, want, deadline)
    return Collected(bits, top, late)


def walk(searcher: Any, q: Any, *, want: int, allowed: int | None,
         deadline: float, score: bool = True) -> Collected:
    """Walk the matches of `q` once; keep all ids and the `want` best of the `allowed` bitmap."""
    # Membership in a big int bitmap costs O(size) per test; in its bytes it costs O(1).
    mask = allowed.to_bytes((allowed.bit_length() + 8) >> 3, "little") if allowed is not None else b""
    ids: list[int] = []
    heap: list[tuple[float, int]] = []
    timed_out = False
    context = searcher.context() if score else searcher.boolean_context()
    push, replace = heapq.heappush, heapq.heapreplace
    clock = time.perf_counter
    for sub, offset in searcher.leaf_searchers():
        m = q.matcher(sub, context)
        append = ids.append
        n = 0
        while m.is_active():
            d = m.id() + offset
            append(d)
            if want and (allowed is None or (d >> 3 < len(mask) and mask[d >> 3] >> (d & 7) & 1)):
                s = m.score() if score else 0.0
                if len(heap) < want:
                    push(heap, (s, -d))
                elif s > heap[0][0]:
                    replace(heap, (s, -d))
            n += 1
            if not n & CHECK_EVERY and clock() > deadline:
                timed_out = True
                break
            m.next()
        if timed_out:
            break
    top = sorted(((s, -nd) for s, nd in heap), key=lambda x: (-x[0], x[1]))
    return Collected(from_ids(ids, searcher.doc_count_all()), top, timed_out)
