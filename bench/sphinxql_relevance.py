"""Measure the sphinxql backend's ranking on the classic IR collections: MAP, nDCG@10, P@10.

Usage: .venv/bin/python bench/sphinxql_relevance.py [--collections time,cisi,...] [--quick]
       [--morphology "libstemmer_english, libstemmer_russian"] [--shards 2] [--whoosh]

Each collection is written through the backend's Batch into a fresh loopback cluster (by default
the three-node one of the tests: two shards, one mirror, so BM25 statistics are per shard) and
every judged query is answered through Reader.search with the product's policy for typed text:
a plain query of more than Settings.best_match_words distinct words is ranked best match first
(mode "any"); a shorter one is ANDed, and when fewer than few_results articles hold every word,
the best matches follow. --whoosh also measures the Whoosh product (SearchEngine.search) in the
same run, the row the target compares with (0.401 mean MAP on the six main collections).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from statistics import fmean

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import ir_collections as irc  # noqa: E402
from bench.ir_metrics import evaluate  # noqa: E402
from bench.relevance import DEPTH, _article, build_product_index, engine_run  # noqa: E402
from searchapp.backend import Query  # noqa: E402
from searchapp.backends.sphinxql.cluster import LocalCluster, loopback_topology  # noqa: E402
from searchapp.backends.sphinxql.index import SphinxBackend  # noqa: E402
from searchapp.config import Settings  # noqa: E402
from searchapp.errors import QueryError  # noqa: E402
from searchapp.text import fold, is_stopword, words  # noqa: E402
from searchapp.search.query import parse  # noqa: E402

LAYOUTS = {1: [["n0"]], 2: [["n0"], ["n1", "n2"]]}


def sphinx_run(backend: SphinxBackend, queries: dict[str, str], settings: Settings) -> dict[str, list[str]]:
    """Rank every query through Reader.search with the product's all-words / best-match policy."""
    run: dict[str, list[str]] = {}
    with backend.reader() as reader:
        for qid, text in queries.items():
            try:
                parsed = parse(text, settings)
            except QueryError:
                run[qid] = []
                continue
            plain = parsed.plain_words()
            verbose = plain is not None and len({w for w in plain if not is_stopword(fold(w))}) > settings.best_match_words
            m = reader.search(Query(node=parsed.node, mode="any" if verbose else "all", limit=DEPTH))
            ids = [h.id for h in m.hits]
            if not verbose and plain and len(plain) >= 2 and m.total < settings.few_results:
                more = reader.search(Query(node=parsed.node, mode="any", limit=DEPTH))
                ids += [h.id for h in more.hits if h.id not in set(ids)]
            run[qid] = ids[:DEPTH]
    return run


def measure(coll: irc.Collection, workdir: Path, settings: Settings, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """Return {system: metrics} on one collection."""
    queries = coll.judged_queries()
    if args.quick:
        queries = dict(list(queries.items())[:20])
    if args.or_grouped:   # IR-NOTES.md's protocol, as bench/relevance.py's OR-grouped row
        queries = {q: " OR ".join(w for _, _, w in words(t)) for q, t in queries.items()}
    qrels = {q: coll.qrels[q] for q in queries}
    out: dict[str, dict[str, float]] = {}
    cluster = LocalCluster(workdir / f"{coll.name}-cluster", loopback_topology(LAYOUTS[args.shards]),
                           morphology=args.morphology)
    with cluster:
        backend = SphinxBackend(settings.replace(index_dir=workdir / f"{coll.name}-sx"), cluster.topology)
        t0 = time.perf_counter()
        with backend.batch(rebuild=True) as batch:
            for i, (t, b) in coll.docs.items():
                batch.add(_article(coll.name, i, t, b))
            batch.commit()
        build = time.perf_counter() - t0
        out[f"sphinxql {args.shards} shard(s)"] = {**evaluate(sphinx_run(backend, queries, settings), qrels),
                                                  "build_s": build}
        backend.close()
    if args.whoosh:
        index_dir = workdir / f"{coll.name}-whoosh"
        build_product_index(index_dir, coll)
        run, _events = engine_run(index_dir, queries, settings)
        out["whoosh product"] = evaluate(run, qrels)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--collections", default=",".join(irc.MAIN))
    ap.add_argument("--quick", action="store_true", help="first 20 judged queries per collection")
    ap.add_argument("--morphology", default="libstemmer_english, libstemmer_russian",
                    help="searchd morphology (e.g. stem_enru, Sphinx's built-in Porter stemmers)")
    ap.add_argument("--shards", type=int, choices=sorted(LAYOUTS), default=2)
    ap.add_argument("--whoosh", action="store_true", help="also the Whoosh product, same queries")
    ap.add_argument("--or-grouped", action="store_true",
                    help='type each query as "w1 OR w2 OR ..." (the protocol of the 0.401 figure)')
    ap.add_argument("--ranker-any", default=None, help="searchd ranker for best-match queries")
    ap.add_argument("--ranker-all", default=None, help="searchd ranker for all-words queries")
    ap.add_argument("--idf", default=None, help="searchd idf option, e.g. \"idf='plain,tfidf_unnormalized'\"")
    args = ap.parse_args(argv)
    names = [n.strip() for n in args.collections.split(",") if n.strip()]
    from searchapp.backends.sphinxql import reader
    reader.RANKER_ANY = args.ranker_any or reader.RANKER_ANY     # a measured alternative
    reader.RANKER_ALL = args.ranker_all or reader.RANKER_ALL
    reader.IDF = args.idf or reader.IDF
    # As bench/relevance.py: paragraph-long queries are measured, not refused.
    settings = Settings(max_page_size=DEPTH, max_query_chars=100_000, max_query_terms=10_000)
    print(f"morphology: {args.morphology}; shards: {args.shards}; rankers: all-words "
          f"{reader.RANKER_ALL}, best match {reader.RANKER_ANY}; {reader.IDF}")
    results = {}
    with tempfile.TemporaryDirectory(prefix="sx-relevance-") as tmp:
        for name in names:
            t0 = time.perf_counter()
            results[name] = measure(irc.load(name), Path(tmp), settings, args)
            print(f"  {name}: {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    print(f"{'collection':11} {'system':22} {'MAP':>6} {'nDCG@10':>8} {'P@10':>6} {'queries':>7}")
    for name in names:
        for system, m in results[name].items():
            print(f"{name:11} {system:22} {m['map']:6.3f} {m['ndcg@10']:8.3f} {m['p@10']:6.3f} {m['queries']:7d}")
    for system in next(iter(results.values())):
        vals = [results[n][system] for n in names]
        print(f"{'mean':11} {system:22} {fmean(v['map'] for v in vals):6.3f} "
              f"{fmean(v['ndcg@10'] for v in vals):8.3f} {fmean(v['p@10'] for v in vals):6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
