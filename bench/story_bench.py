"""What syndicated-copy detection and collapsing cost: Reuters-21578 (19k articles), Whoosh.

Indexing: one full reindex of Reuters-21578 as JSON lines (bench/corpora.write_reuters_corpus),
with the detector's own time (signatures and the LSH lookups, the only work stories add to a
run) measured inside it, and the manifest's size (it carries each article's signature).
Search: the same queries with collapsing (one hit per story, the default) and without
(collapse=0), alternated, page 1 and page 5, medians of the service's took_ms in one run.

    SEARCHAPP_BENCH_CACHE=/tmp/me-cache python bench/story_bench.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import CACHE, write_reuters_corpus  # noqa: E402
from searchapp.config import Settings  # noqa: E402
from searchapp.indexing import reindex as rx  # noqa: E402
from searchapp.indexing import stories as st  # noqa: E402
from searchapp.models import SearchRequest  # noqa: E402
from searchapp.search.service import SearchService  # noqa: E402

QUERIES = ["oil", "bank rate", "trade deficit", "wheat exports", "dividend", "japan",
           "shr cts net", "merger", "opec prices", "coffee", "dollar yen", "qtly div"]


def _timed_detector() -> list[float]:
    """Wrap the detector's two calls so their time is summed; return the running total."""
    spent = [0.0]
    signature, assign = st.signature, st.StoryIndex.assign

    def sig(text: str):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        try:
            return signature(text)
        finally:
            spent[0] += time.perf_counter() - t0

    def asg(self, *a, **k):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        try:
            return assign(self, *a, **k)
        finally:
            spent[0] += time.perf_counter() - t0

    rx.st.signature = sig            # type: ignore[assignment]
    st.StoryIndex.assign = asg       # type: ignore[method-assign]
    return spent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--without", action="store_true",
                    help="reindex with detection switched off (every article its own story): the baseline")
    args = ap.parse_args()
    root = CACHE / "stories-bench"
    corpus = root / "corpus"
    if not corpus.exists():
        write_reuters_corpus(corpus)
    settings = Settings(corpus_dir=corpus, index_dir=root / "index")
    spent = _timed_detector()
    if args.without:
        empty = st.signature("")
        rx.st.signature = lambda text: empty                                  # type: ignore[assignment]
        st.StoryIndex.assign = lambda self, aid, sig, previous=None: st.founder_key(aid)  # type: ignore[method-assign]
    summary = rx.reindex(settings, full=True, progress=False)
    manifest = max((settings.index_dir).rglob("manifest.json"), key=lambda p: p.stat().st_mtime)
    with SearchService(settings) as service:
        print(f"indexing: {summary.articles_total:,} articles, full reindex {summary.seconds:.1f} s, "
              f"of which story detection {spent[0]:.1f} s ({spent[0] / summary.seconds:.1%}; "
              f"{spent[0] / max(summary.articles_total, 1) * 1e6:.0f} us/article); "
              f"manifest {manifest.stat().st_size / 1e6:.1f} MB")
        stories = service.search(SearchRequest(page_size=10))
        if args.without:
            return
        counted = service.search(SearchRequest(query="oil", collapse=True))
        print(f"'oil': {counted.total:,} articles, "
              f"{counted.stories if counted.stories is not None else 'not counted (over 200)'} stories; "
              f"no query: {stories.total:,} articles")
        for page in (1, 5):
            times: dict[bool, list[float]] = {True: [], False: []}
            for _ in range(args.repeat):
                for q in QUERIES:
                    for collapse in (True, False):       # alternated: same cache state for both
                        got = service.search(SearchRequest(query=q, page=page, collapse=collapse))
                        times[collapse].append(got.took_ms)
            on, off = statistics.median(times[True]), statistics.median(times[False])
            print(f"search page {page}: median {on:.1f} ms collapsed, {off:.1f} ms every copy "
                  f"(+{on - off:.1f} ms; {len(QUERIES)} queries x {args.repeat})")


if __name__ == "__main__":
    main()
