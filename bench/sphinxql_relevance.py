"""Measure the sphinxql backend's ranking on the classic IR collections: MAP, nDCG@10, P@10.

Usage: .venv/bin/python bench/sphinxql_relevance.py [--collections time,cisi,...] [--quick]
       [--morphology "libstemmer_english, libstemmer_russian"] [--shards 2] [--whoosh]
       [--or-grouped] [--split all|tune|held] [--halves] [--k1 1.2] [--b 0.6] [--idf ...]

Each collection is written through the backend's Batch into a fresh loopback cluster (by default
the three-node one of the tests: two shards, one mirror, so idf is per shard; --shards 1 gives
the statistics of the whole collection) and every judged query is answered by the product's
SearchService on that backend, exactly as bench/relevance.py does on Whoosh (the same policy:
all words, then partial matches, best match first for a paragraph). --whoosh measures the Whoosh
product on the same queries in the same run. --or-grouped types each query as "w1 OR w2 ...".
--split: the queries in id order, even positions (tune) or odd ones (held); the ranking's
constants were chosen on the Whoosh backend (ranking.py), and any alternative tried here on the
tune half only (README).
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
from searchapp.backends.sphinxql.cluster import LocalCluster, loopback_topology  # noqa: E402
from searchapp.backends.sphinxql.index import SphinxBackend  # noqa: E402
from searchapp.config import Settings  # noqa: E402
from searchapp.text import words  # noqa: E402

LAYOUTS = {1: [["n0"]], 2: [["n0"], ["n1", "n2"]]}


def _halves(out: dict, system: str, run: dict, qrels: dict, args: argparse.Namespace) -> None:
    """With --halves, also score the tune (even) and held-out (odd) halves of the same run."""
    if not args.halves:
        return
    keys = sorted(qrels)
    for half, part in (("tune", keys[0::2]), ("held", keys[1::2])):
        out[f"{system} {half}"] = evaluate({q: run.get(q, []) for q in part},
                                           {q: qrels[q] for q in part})


def measure(coll: irc.Collection, workdir: Path, settings: Settings, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """Return {system: metrics} on one collection."""
    queries = coll.judged_queries()
    if args.split != "all":
        keys = sorted(queries)[0 if args.split == "tune" else 1::2]
        queries = {k: queries[k] for k in keys}
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
        backend.close()
        run, events = engine_run(workdir / f"{coll.name}-sx", queries,
                                 settings.replace(backend="sphinxql",
                                                  sphinxql_topology=str(cluster.toml)))
        out[f"sphinxql {args.shards} shard(s)"] = {**evaluate(run, qrels), "build_s": build,
                                                  "incomplete": events["incomplete"]}
        _halves(out, f"sphinxql {args.shards} shard(s)", run, qrels, args)
    if args.whoosh:
        index_dir = workdir / f"{coll.name}-whoosh"
        build_product_index(index_dir, coll)
        run, _events = engine_run(index_dir, queries, settings)
        out["whoosh product"] = evaluate(run, qrels)
        _halves(out, "whoosh product", run, qrels, args)
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
    ap.add_argument("--split", choices=("all", "tune", "held"), default="all",
                    help="all judged queries, or the even (tune) / odd (held-out) half by id")
    ap.add_argument("--halves", action="store_true",
                    help="also print the tune and held-out halves of the same run")
    ap.add_argument("--k1", type=float, default=None, help="BM25 k1 of the ranking expression")
    ap.add_argument("--b", type=float, default=None, help="BM25 b of the ranking expression")
    ap.add_argument("--idf", default=None, help="searchd idf option, e.g. \"idf='normalized,tfidf_normalized'\"")
    args = ap.parse_args(argv)
    names = [n.strip() for n in args.collections.split(",") if n.strip()]
    from searchapp.backends.sphinxql import reader
    k1 = reader.BM25_K1 if args.k1 is None else args.k1     # a measured alternative
    b = reader.BM25_B if args.b is None else args.b
    reader.ranker.__defaults__ = (k1, b)
    reader.IDF = args.idf or reader.IDF
    # As bench/relevance.py: paragraph-long queries are measured, not refused.
    settings = Settings(max_page_size=DEPTH, max_query_chars=100_000, max_query_terms=10_000)
    print(f"morphology: {args.morphology}; shards: {args.shards}; ranking: per-field BM25 "
          f"k1={k1} b={b}, {reader.IDF}; queries: {args.split}"
          f"{', OR-grouped' if args.or_grouped else ', as typed'}")
    results = {}
    with tempfile.TemporaryDirectory(prefix="sx-relevance-") as tmp:
        for name in names:
            t0 = time.perf_counter()
            results[name] = measure(irc.load(name), Path(tmp), settings, args)
            print(f"  {name}: {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    print(f"{'collection':11} {'system':22} {'MAP':>6} {'nDCG@10':>8} {'P@10':>6} {'queries':>7}")
    for name in names:
        for system, m in results[name].items():
            late = f"  ({m['incomplete']} out of time or partial)" if m.get("incomplete") else ""
            print(f"{name:11} {system:22} {m['map']:6.3f} {m['ndcg@10']:8.3f} {m['p@10']:6.3f} {m['queries']:7d}{late}")
    for system in next(iter(results.values())):
        vals = [results[n][system] for n in names]
        print(f"{'mean':11} {system:22} {fmean(v['map'] for v in vals):6.3f} "
              f"{fmean(v['ndcg@10'] for v in vals):8.3f} {fmean(v['p@10'] for v in vals):6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
