"""Benchmark exports: rows per second through the library and over HTTP, and what a batch costs.

    .venv/bin/python bench/export_bench.py                      # Reuters-21578 (~19k articles)
    .venv/bin/python bench/export_bench.py --rows 10000 --runs 5

The index is built once under --root (default /tmp/searchapp-export-bench) from Reuters-21578 as
bench/corpora.py writes it (the archive is read from the bench cache, never written). Printed,
as medians of --runs:

- the library: SearchService.export then CSV and JSON-lines encoding of --rows rows, for a query
  matching nearly everything ("" newest first) and a word query ranked by relevance;
- over HTTP: GET /api/export on the real server (`searchapp serve --workers 1`, waitress, in its
  own process), time to the first byte (the rows are spooled before the headers) and to the
  last, uncompressed;
- one batch: Reader.articles for export_batch_rows ids, i.e. how long an export holds the engine
  at a time;
- a search (/api/search) alone and while exports run one after another beside it (same
  server process, so they share its GIL and its engine).
"""
from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpora import write_reuters_corpus  # noqa: E402
from searchapp.config import Settings  # noqa: E402
from searchapp.indexing.reindex import reindex  # noqa: E402
from searchapp.models import SearchRequest  # noqa: E402
from searchapp.search.export_formats import encode  # noqa: E402
from searchapp.search.service import SearchService  # noqa: E402
from bench.web_bench import start_server  # noqa: E402


def ensure_index(root: Path) -> Settings:
    """Return settings for the Reuters index under root, building it when missing."""
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index")
    if not (settings.corpus_dir / "reuters").is_dir():
        write_reuters_corpus(settings.corpus_dir, copies=1)
    started = time.perf_counter()
    summary = reindex(settings, progress=None)
    print(f"index: {summary.articles_total:,} articles in {settings.index_dir} "
          f"(ready in {time.perf_counter() - started:.1f} s)")
    return settings


def library(service: SearchService, query: str, sort: str, rows: int, fmt: str) -> tuple[float, int]:
    """Return (seconds, rows) of one export through the library, encoded and dropped."""
    started = time.perf_counter()
    export = service.export(SearchRequest(query=query, sort=sort), max_rows=rows)
    size = sum(len(chunk) for chunk in encode(export.rows(), fmt))
    assert size > 0
    return time.perf_counter() - started, export.report.rows


def http_get(url: str, path: str) -> tuple[float, float, int, dict[str, str]]:
    """Return (first byte s, last byte s, bytes, headers) of one GET."""
    host, port = urlsplit(url).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=600)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Accept-Encoding": "identity"})
    resp = conn.getresponse()
    first = time.perf_counter() - started
    body = resp.read()
    last = time.perf_counter() - started
    conn.close()
    assert resp.status == 200, (resp.status, body[:200])
    return first, last, len(body), dict(resp.getheaders())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=Path("/tmp/searchapp-export-bench"))
    ap.add_argument("--rows", type=int, default=10_000, help="rows per export (default 10,000)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    settings = ensure_index(args.root).replace(export_max_rows=args.rows)
    cases = [("", "newest"), ("oil", "relevance")]
    with SearchService(settings) as service:
        library(service, "", "newest", 100, "csv")          # warm the engine's caches
        for query, sort in cases:
            for fmt in ("csv", "jsonl"):
                runs = [library(service, query, sort, args.rows, fmt) for _ in range(args.runs)]
                secs = statistics.median(t for t, _ in runs)
                n = runs[0][1]
                print(f"library  q={query!r:7} {sort:9} {fmt:5}: {n:,} rows in {secs:.2f} s "
                      f"= {n / secs:,.0f} rows/s (median of {args.runs})")
        ids = [h.id for h in service.search(SearchRequest(query="", sort="newest",
                                                          page_size=100)).hits]
        ids = (ids * (settings.export_batch_rows // len(ids) + 1))[:settings.export_batch_rows]
        holds = []
        for _ in range(20):
            with service.backend.reader() as reader:
                started = time.perf_counter()
                reader.articles(ids)
                holds.append(time.perf_counter() - started)
        print(f"one batch: Reader.articles of {len(ids)} ids {statistics.median(holds) * 1000:.1f} ms "
              "median (the engine held at a time)")
    os.environ["SEARCHAPP_EXPORT_MAX_ROWS"] = str(args.rows)
    os.environ["SEARCHAPP_WORKERS"] = "1"
    proc, port = start_server(settings, threads=8)
    url = f"http://127.0.0.1:{port}"
    try:
        for query, sort in cases:
            path = f"/api/export?q={quote(query)}&sort={sort}&format=csv"
            got = [http_get(url, path) for _ in range(args.runs)]
            first = statistics.median(g[0] for g in got)
            last = statistics.median(g[1] for g in got)
            rows = int(got[0][3]["X-Export-Rows"])
            print(f"http     q={query!r:7} {sort:9} csv  : {rows:,} rows, {got[0][2] / 1e6:.1f} MB, "
                  f"first byte {first:.2f} s, last {last:.2f} s = {rows / last:,.0f} rows/s")
        search = "/api/search?q=oil+prices&size=10"
        alone = sorted(http_get(url, search)[1] for _ in range(20))
        beside: list[float] = []
        stop = threading.Event()

        def exports() -> None:
            while not stop.is_set():
                http_get(url, "/api/export?sort=newest&format=csv")

        worker = threading.Thread(target=exports)
        worker.start()
        time.sleep(0.5)
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            beside.append(http_get(url, search)[1])
            time.sleep(0.05)
        stop.set()
        worker.join()
        print(f"search alone {statistics.median(alone) * 1000:.0f} ms median; beside exports "
              f"{statistics.median(beside) * 1000:.0f} ms median, max {max(beside) * 1000:.0f} ms "
              f"({len(beside)} searches)")
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
