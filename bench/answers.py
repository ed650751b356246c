"""Time one source tree's search on a cached index and hash its answers, to compare two trees.

Run it with the same Python for each tree (e.g. the commit before a refactoring and after) on the
same index, alternating, in one window: equal hashes mean the same totals, hit ids, facets,
timeline, undated count, suggestion, notes and snippets for bench/index_bench.py's query mix.

    .venv/bin/python bench/answers.py OLD_TREE INDEX_DIR [ROUNDS]
    .venv/bin/python bench/answers.py .        INDEX_DIR [ROUNDS]
"""
from __future__ import annotations

import hashlib
import json
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    root, index = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    sys.path.insert(0, str(root))   # the tree under test wins over the installed package
    from bench.index_bench import QUERIES
    from searchapp.config import Settings
    from searchapp.models import SearchRequest
    try:
        from searchapp.search.service import SearchService as Engine
    except ImportError:   # trees from before the backend seam (issue 9)
        from searchapp.search.engine import SearchEngine as Engine  # type: ignore[no-redef]
    engine = Engine(Settings(index_dir=index))
    for q, f, _ in QUERIES:   # the cold pass fills the term caches; it is not timed
        engine.search(SearchRequest(query=q, **f))
    times: list[float] = []
    answers = []
    for _ in range(rounds):
        for q, f, _ in QUERIES:
            t = time.perf_counter()
            p = engine.search(SearchRequest(query=q, **f))
            times.append((time.perf_counter() - t) * 1000)
            answers.append((p.total, [h.id for h in p.hits],
                            [(k, [(v.value, v.count) for v in vs]) for k, vs in sorted(p.facets.items())],
                            [(b.key, b.count) for b in p.timeline], p.undated_count, p.suggestion,
                            p.notes, [h.snippet for h in p.hits]))
    times.sort()
    digest = hashlib.sha1(json.dumps(answers, default=str).encode()).hexdigest()[:12]
    print(f"{root.name}: median {statistics.median(times):.2f} ms p95 "
          f"{times[int(len(times) * 0.95)]:.2f} ms over {len(times)} searches; answers {digest}")


if __name__ == "__main__":
    main()
