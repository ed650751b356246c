"""Benchmark the sphinxql backend beside the Whoosh backend and SQLite FTS5, in the same run.

    .venv/bin/python bench/sphinxql_bench.py                 # Reuters-21578 (~19k articles)
    .venv/bin/python bench/sphinxql_bench.py --copies 11 --whoosh-articles 20000   # 209,473

Uses bench/index_bench.py's corpus, query set and FTS5 page from the shared bench cache; the
Whoosh index searched is the one index_bench.py built there (only read here). Prints:
- build (ingest + write, articles/s): the corpus is ingested once (the same pipeline for every
  engine, timed), then written through the sphinxql Batch into a fresh three-node loopback
  cluster (two shards, shard 1 mirrored: every shard-1 row is written twice), into FTS5 (when
  the cache has no FTS5 database yet, which this run then leaves there), and through the Whoosh
  backend's Batch into a temp folder: all articles, or the first --whoosh-articles of them with
  the write time scaled to all (a Whoosh write slows as its index grows: this favours Whoosh);
- search median and p95 per engine over the query set, each a whole result page through the
  product's SearchService (total, top 10, facets, the timeline, 10 snippets from stored text) on
  the Whoosh backend and on the sphinxql backend, and FTS5's equivalent page, after each
  backend's spelling vocabulary is read (a server's steady state);
- throughput (pages/s) with 8 and 32 client threads sharing one engine object per backend.
Everything shares the machine: on 2 cores, three searchd nodes and Python take turns.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import CACHE  # noqa: E402
from bench.index_bench import QUERIES, _fmt as fmt, fts5_search, latency, load_fts5  # noqa: E402
from searchapp.backend import open_backend  # noqa: E402
from searchapp.backends.whoosh import generations as gens  # noqa: E402
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


def searchd_cpu(cluster: LocalCluster) -> float:
    """Return the CPU seconds every searchd process of the cluster has used so far."""
    total = 0.0
    for node in cluster.topology.nodes:
        pid = cluster.pid(node.name)
        if pid is None:
            continue
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def statement_costs(backend: SphinxBackend, cluster: LocalCluster, word: str = "oil",
                    n: int = 50) -> None:
    """Print the searchd CPU of each part of a page, sent alone to shard 0's table.

    What a page is made of, for one word: the match alone, the ranked top 10, each count alone,
    and all counts in one batch (one pass: searchd's multi-query optimisation).
    """
    from searchapp.backends.sphinxql import reader as rd
    from searchapp.backends.sphinxql import schema as sx
    state = backend.live_state()
    node = cluster.topology.shards[0][0]
    # The product's own statements (reader._select, _sizing, _count), aimed at one shard's table.
    r = rd.SphinxReader(backend.pool, cluster.topology, node, state["slot"])
    r.table = table = sx.shard_table(0, state["slot"])
    match = f"MATCH('@(title,body) {word}')"
    ranked = r._select("aid, WEIGHT() AS w, doc", [match], "w DESC, seq ASC", "0, 10",
                       [f"ranker={rd.ranker(*state['avg_lengths'])}", rd.FIELD_IDS, rd.IDF,
                        "max_matches=10"])
    sizing = r._sizing()
    sizes = r._sizes_of(sizing, dict(zip(sizing, backend.pool.run(node, sizing))))

    def count(attr: str) -> str:
        return r._count(attr, [match], [], sizes)
    parts = {"match only": [f"SELECT id FROM {table} WHERE {match} LIMIT 10 OPTION ranker=none, "
                            f"max_matches=10"],
             "ranked top 10": [ranked]}
    parts.update({f"count {a}": [count(a)] for a in sizes})
    parts["all counts, one batch"] = [count(a) for a in sizes]
    hits = backend.pool.run(node, parts["match only"])[0].total
    print(f"searchd CPU per statement on shard 0 ({hits} matches of {word!r}), {n} runs each:")
    for name, batch in parts.items():
        before = searchd_cpu(cluster)
        for _ in range(n):
            backend.pool.run(node, batch)
        print(f"  {name:22} {(searchd_cpu(cluster) - before) * 1000 / n:5.2f} ms")


def timed_write(backend, articles: list) -> float:
    """Return the seconds a rebuild batch of these articles takes, commit included."""
    t = time.perf_counter()
    with backend.batch(rebuild=True) as batch:
        for a in articles:
            batch.add(a)
        batch.commit()
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=1, help="Reuters copies (11: 209,473 articles)")
    ap.add_argument("--rounds", type=int, default=3, help="passes over the query set")
    ap.add_argument("--seconds", type=float, default=10.0, help="length of each throughput run")
    ap.add_argument("--whoosh-articles", type=int, default=0,
                    help="time the Whoosh write on the first N articles only (0: all of them)")
    ap.add_argument("--reuse-ingest", action="store_true",
                    help="keep the ingested articles (and their ingest time) in the temp folder "
                         "and reuse them in the next run with this flag: a quicker re-run")
    args = ap.parse_args()
    root = CACHE / f"index-bench-{args.copies}x-v{SCHEMA_VERSION}"
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index")
    if gens.current(settings.index_dir) is None:
        print(f"{root} has no Whoosh index: run bench/index_bench.py{' --quick' if args.copies == 1 else ''} first")
        return 1
    built, fts_db = root / ".built", root / "fts5.db"
    with tempfile.TemporaryDirectory(prefix="sx-bench-") as tmp:
        kept = Path(tmp).parent / f"sx-bench-articles-{args.copies}x.pickle"
        if args.reuse_ingest and kept.exists():
            ingest_s, articles = pickle.loads(kept.read_bytes())
            how = f"ingest time of the run that kept {kept}"
        else:
            t = time.perf_counter()
            articles = [a for _, arts in ingest_corpus(settings, progress=False) for a in arts]
            ingest_s, how = time.perf_counter() - t, "this run"
            if args.reuse_ingest:
                kept.write_bytes(pickle.dumps((ingest_s, articles)))
        n = len(articles)
        print(f"== Reuters x{args.copies}: {n} articles, ingested once in {ingest_s:.1f} s "
              f"({n / ingest_s:.0f} articles/s, {how}) ==")
        cluster = LocalCluster(Path(tmp) / "cluster", loopback_topology(SHARDS))
        with cluster:
            backend = SphinxBackend(settings.replace(index_dir=Path(tmp) / "sx"), cluster.topology)
            build = {"sphinxql": ingest_s + timed_write(backend, articles)}
            if built.exists():
                fts_s, fts_how = json.loads(built.read_text())["fts_s"], "index_bench.py cache"
            else:
                t = time.perf_counter()
                load_fts5(fts_db.with_suffix(".tmp"), articles)
                fts_db.with_suffix(".tmp").replace(fts_db)
                fts_s, fts_how = ingest_s + time.perf_counter() - t, "this run"
            build["fts5"] = fts_s
            sample = articles[:args.whoosh_articles or n]
            whoosh = open_backend(settings.replace(index_dir=Path(tmp) / "whoosh"))
            whoosh_write = timed_write(whoosh, sample)
            whoosh.close()
            build["whoosh"] = ingest_s + whoosh_write * n / len(sample)
            if not built.exists():
                # What index_bench.py would rebuild for (its Whoosh index is the cached one).
                cached = json.loads((settings.index_dir / "last_reindex.json").read_text())
                built.write_text(json.dumps({"whoosh_s": cached["seconds"], "fts_s": fts_s, "n": n}))
            del articles
            print("build (ingest + write), articles/s: " + " | ".join(
                f"{k} {n / v:.0f} ({v:.1f} s)" for k, v in build.items())
                + f" | whoosh/sphinxql {build['whoosh'] / build['sphinxql']:.1f}x")
            print(f"  whoosh: written {len(sample)} of the {n} articles in {whoosh_write:.1f} s"
                  + (f", scaled to {n}" if len(sample) < n else "") + f"; fts5: {fts_how}")
            del sample
            engine = SearchService(settings)
            sx_service = SearchService(settings, backend=backend)
            con = sqlite3.connect(fts_db, check_same_thread=False)
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
            t = time.perf_counter()
            for service in (engine, sx_service):
                service.backend.vocabulary(wait=600)
            print(f"spelling vocabularies read in {time.perf_counter() - t:.1f} s (not timed below)")
            med = {}
            print(f"{len(QUERIES)} queries x {args.rounds}, page = total + top 10 + 5 facets + timeline + 10 snippets:")
            for name, fn in runs.items():
                # CPU per page, every process that serves it: this one (Python, and SQLite for
                # FTS5) and, for sphinxql, the searchd nodes: what bounds throughput on 2 cores.
                cpu0, sd0 = time.process_time(), searchd_cpu(cluster)
                ms = latency(fn, args.rounds)
                cpu = (time.process_time() - cpu0) * 1000 / len(ms)
                sd = (searchd_cpu(cluster) - sd0) * 1000 / len(ms)
                med[name] = statistics.median(ms)
                print(f"  {name:8} {fmt(ms)}  CPU per page {cpu + sd:5.1f} ms"
                      + (f" (python {cpu:.1f} + searchd {sd:.1f})" if name == "sphinxql" else ""))
            tput = {}
            for clients in (8, 32):
                row = []
                for name, fn in runs.items():
                    tput[(name, clients)], failed = throughput(fn, clients, args.seconds)
                    row.append(f"{name} {tput[(name, clients)]:6.1f}" + (f" ({failed} failed)" if failed else ""))
                print(f"  throughput, {clients:2d} clients (pages/s): " + " | ".join(row))
            statement_costs(backend, cluster)
            engine.close()
            con.close()
            backend.close()
        speedup = build["whoosh"] / build["sphinxql"]
        print(f"targets (issue 10): search median {med['sphinxql']:.1f} ms <= 2x whoosh "
              f"{med['whoosh']:.1f} [{'ok' if med['sphinxql'] <= 2 * med['whoosh'] else 'MISSED'}]; "
              f"build {speedup:.1f}x faster >= 3 [{'ok' if speedup >= 3 else 'MISSED'}]; "
              f"32 clients {tput[('sphinxql', 32)]:.1f} > whoosh {tput[('whoosh', 32)]:.1f} "
              f"[{'ok' if tput[('sphinxql', 32)] > tput[('whoosh', 32)] else 'MISSED'}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
