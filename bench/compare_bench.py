"""Benchmark comparing queries (SearchService.compare) beside searching them one by one.

    .venv/bin/python bench/compare_bench.py --quick      # Reuters-21578 only (~19k articles)
    .venv/bin/python bench/compare_bench.py              # Reuters x11 (~200k articles)

In-process, on the index bench/index_bench.py and bench/web_bench.py build and cache. For each of
the index benchmark's one- and two-word queries, paired in turn, it times a comparison of 2 and of
4 queries against the searches of the same queries one after the other (a results page each: what
an analyst would otherwise open), after one warm-up pass, and prints medians and p95 in ms. A
comparison counts each query (matching, facets, periods) without making a page (no snippets, no
articles read), so it should cost no more than the searches it replaces.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.index_bench import QUERIES  # noqa: E402
from bench.web_bench import ensure_index  # noqa: E402
from searchapp.models import SearchRequest  # noqa: E402
from searchapp.search.service import SearchService  # noqa: E402


def _ms(fn) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def _summary(label: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    print(f"  {label:<42} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   ({len(ms)} runs)")


def run(copies: int, rounds: int) -> None:
    settings = ensure_index(copies)
    words = [q for q, extra, _ in QUERIES if not extra and '"' not in q and "*" not in q and " -" not in q]
    groups2 = [[words[i], words[(i + 1) % len(words)]] for i in range(len(words))]
    groups4 = [[words[(i + k) % len(words)] for k in range(4)] for i in range(len(words))]
    with SearchService(settings) as svc:
        for group in groups4:   # warm-up: term caches, spelling word list
            svc.compare(SearchRequest(), group)
        timings: dict[str, list[float]] = {k: [] for k in ("cmp2", "one2", "cmp4", "one4")}
        for _ in range(rounds):
            for g2, g4 in zip(groups2, groups4):
                timings["cmp2"].append(_ms(lambda: svc.compare(SearchRequest(), g2)))
                timings["one2"].append(_ms(lambda: [svc.search(SearchRequest(query=q)) for q in g2]))
                timings["cmp4"].append(_ms(lambda: svc.compare(SearchRequest(), g4)))
                timings["one4"].append(_ms(lambda: [svc.search(SearchRequest(query=q)) for q in g4]))
    print(f"Reuters x{copies}: {len(groups2)} groups of queries, {rounds} rounds, in-process")
    _summary("compare 2 queries", timings["cmp2"])
    _summary("search the same 2, one page each", timings["one2"])
    _summary("compare 4 queries", timings["cmp4"])
    _summary("search the same 4, one page each", timings["one4"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="Reuters-21578 only")
    ap.add_argument("--copies", type=int, default=11, help="Reuters copies for the large corpus")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    run(1 if args.quick else args.copies, args.rounds)


if __name__ == "__main__":
    main()
