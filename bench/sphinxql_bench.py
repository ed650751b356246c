"""Benchmark the sphinxql backend beside the Whoosh backend and SQLite FTS5, in the same run.

    .venv/bin/python bench/sphinxql_bench.py                 # Reuters-21578 (~19k articles)
    .venv/bin/python bench/sphinxql_bench.py --copies 11     # 200,000 articles (Reuters x11)

Uses bench/index_bench.py's corpus, query set and FTS5 page, from the shared bench cache (its
Whoosh index and FTS5 database are built there by index_bench.py and only read here). Prints:
- build: the corpus ingested once (the same pipeline for every engine), then written through
  the sphinxql Batch into a fresh three-node loopback cluster (two shards, shard 1 mirrored, so
  every shard-1 row is written twice); the Whoosh full build (ingest included) is measured
  in this run with --whoosh-build, else read from index_bench.py's cache;
- search median and p95 per engine over the query set, each a whole result page through the
  product's SearchService (total, top 10, facets, the timeline, 10 snippets from stored text) on
  the Whoosh backend and on the sphinxql backend, and FTS5's equivalent page;
- throughput (pages/s) with 8 and 32 client threads sharing one engine object per backend.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import CACHE  # noqa: E402
from bench.index_bench import QUERIES, _fmt as fmt, fts5_search, latency  # noqa: E402
from searchapp.backends.sphinxql.cluster import LocalCluster, loopback_topology  # noqa: E402
from searchapp.backends.sphinxql.index import SphinxBackend  # noqa: E402
from searchapp.config import Settings  # noqa: E402
from searchapp.backends.whoosh.schema import SCHEMA_VERSION  # noqa: E402
from searchapp.ingest.pipeline import ingest_corpus  # noqa: E402
from searchapp.models import SearchRequest  # noqa: E402
from searchapp.search.service import SearchService  # noqa: E402

SHARDS = [["n0"], ["n1", "n2"]]


def throughput(fn, clients: int, seconds: float) -> tuple[float, int]:
    """Return (good pages/s, failed pages) with `clients` threads each looping over the queries."""
    stop = time.perf_counter() + seconds
    done = [0] * clients
    failed = [0] * clients

    def loop(k: int) -> None:
        i = k
        while time.perf_counter() < stop:
            try:
                fn(QUERIES[i % len(QUERIES)])
                done[k] += 1
            except Exception:  # noqa: BLE001 - a failed page is counted, not fatal to the run
                failed[k] += 1
            i += 1
    threads = [threading.Thread(target=loop, args=(k,)) for k in range(clients)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return sum(done) / (time.perf_counter() - t), sum(failed)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=1, help="Reuters copies (11: 200,000 articles)")
    ap.add_argument("--rounds", type=int, default=3, help="passes over the query set")
    ap.add_argument("--seconds", type=float, default=10.0, help="length of each throughput run")
    ap.add_argument("--whoosh-build", action="store_true",
                    help="also time a Whoosh full build in this run (into a temp folder)")
    args = ap.parse_args()
    root = CACHE / f"index-bench-{args.copies}x-v{SCHEMA_VERSION}"
    built = root / ".built"
    if not built.exists():
        print(f"{root} is not built: run bench/index_bench.py{'' if args.copies == 11 else ' --quick'} first")
        return 1
    info = json.loads(built.read_text())
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index")
    with tempfile.TemporaryDirectory(prefix="sx-bench-") as tmp:
        t = time.perf_counter()
        articles = [a for _, arts in ingest_corpus(settings, progress=False) for a in arts]
        ingest_s = time.perf_counter() - t
        n = len(articles)
        cluster = LocalCluster(Path(tmp) / "cluster", loopback_topology(SHARDS))
        with cluster:
            backend = SphinxBackend(settings.replace(index_dir=Path(tmp) / "sx"), cluster.topology)
            t = time.perf_counter()
            with backend.batch(rebuild=True) as batch:
                for a in articles:
                    batch.add(a)
                batch.commit()
            write_s = time.perf_counter() - t
            del articles
            if args.whoosh_build:
                t = time.perf_counter()
                from searchapp.indexing.reindex import reindex
                reindex(settings.replace(index_dir=Path(tmp) / "whoosh"), full=True, progress=False)
                whoosh_s, how = time.perf_counter() - t, "this run"
            else:
                whoosh_s, how = info["whoosh_s"], "index_bench.py cache"
            sx_s = ingest_s + write_s
            print(f"== Reuters x{args.copies}: {n} articles ==")
            print(f"build (ingest + index): sphinxql {sx_s:.1f} s = {n / sx_s:.0f} articles/s "
                  f"(ingest {ingest_s:.1f} s, write to 3 nodes {write_s:.1f} s = {n / write_s:.0f} "
                  f"articles/s) | whoosh {whoosh_s:.1f} s = {n / whoosh_s:.0f} articles/s ({how}) "
                  f"| fts5 {info['fts_s']:.1f} s (cache) | whoosh/sphinxql {whoosh_s / sx_s:.1f}x")
            engine = SearchService(settings)
            sx_service = SearchService(settings, backend=backend)
            con = sqlite3.connect(root / "fts5.db", check_same_thread=False)
            con_lock = threading.Lock()
            runs = {
                "whoosh": lambda q: engine.search(SearchRequest(query=q[0], **q[1])),
                "sphinxql": lambda q: sx_service.search(SearchRequest(query=q[0], **q[1])),
            }

            def fts(q):
                with con_lock:     # one sqlite connection: pages take turns
                    return fts5_search(con, q[2], q[1])
            runs["fts5"] = fts
            for fn in runs.values():
                latency(fn, 1)      # warm caches
            med = {}
            print(f"{len(QUERIES)} queries x {args.rounds}, page = total + top 10 + 5 facets + timeline + 10 snippets:")
            for name, fn in runs.items():
                ms = latency(fn, args.rounds)
                med[name] = statistics.median(ms)
                print(f"  {name:8} {fmt(ms)}")
            tput = {}
            for clients in (8, 32):
                row = []
                for name, fn in runs.items():
                    tput[(name, clients)], failed = throughput(fn, clients, args.seconds)
                    row.append(f"{name} {tput[(name, clients)]:6.1f}" + (f" ({failed} failed)" if failed else ""))
                print(f"  throughput, {clients:2d} clients (pages/s): " + " | ".join(row))
            engine.close()
            con.close()
            backend.close()
        print(f"targets (issue 10): search median {med['sphinxql']:.1f} ms <= 2x whoosh "
              f"{med['whoosh']:.1f} [{'ok' if med['sphinxql'] <= 2 * med['whoosh'] else 'MISSED'}]; "
              f"build {whoosh_s / sx_s:.1f}x faster >= 3 [{'ok' if whoosh_s / sx_s >= 3 else 'MISSED'}]; "
              f"32 clients {tput[('sphinxql', 32)]:.1f} > whoosh {tput[('whoosh', 32)]:.1f} "
              f"[{'ok' if tput[('sphinxql', 32)] > tput[('whoosh', 32)] else 'MISSED'}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
