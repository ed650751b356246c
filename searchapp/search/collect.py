"""Collect every match of a query once: its document set (for facets) and the best-scored page.

Profiling (bench/index_bench.py) showed a result page walking the postings twice: once for the
set of all matches (facets, totals) and once more for Whoosh's scored top-k. Here one pass does
both: each match's id goes into the set, and its score into a bounded heap, restricted to the
documents the filters allow. The time budget is a deadline checked every few hundred matches,
with no timer thread per query (TimeLimitCollector starts one even with use_alarm=False).
"""
from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field
from typing import Any

from searchapp.search.bitmaps import from_ids

CHECK_EVERY = 255


@dataclass
class Collected:
    bits: int                                   # every matching live document
    top: list[tuple[float, int]] = field(default_factory=list)   # (score, docnum), best first
    timed_out: bool = False


def collect(searcher: Any, q: Any, *, want: int, allowed: int | None,
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
