"""Benchmark the web server over loopback HTTP: /search pages and /api/search at 200,000 articles.

    .venv/bin/python bench/web_bench.py --quick      # Reuters-21578 only (~19k articles)
    .venv/bin/python bench/web_bench.py              # Reuters x11 (~200k articles)

The server is the real one (`searchapp serve` on waitress, in its own process, so the load
generator does not share its GIL); the index is the one bench/index_bench.py builds and caches
(same folder, so either script reuses the other's build). For each path it prints median, p95
and max latency and the throughput, with one client and with 8 concurrent clients on
keep-alive connections, over the index benchmark's mixed query set (words, phrases, boolean,
prefix, facet and date filters), cycling through result pages 1-3: first one cold pass (the
engine's term caches empty), then the warm runs. Any non-200 answer counts as an error.
Target: median page under 150 ms, no errors.
"""
from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpora import CACHE, write_reuters_corpus  # noqa: E402
from bench.index_bench import QUERIES  # noqa: E402
from searchapp.config import Settings  # noqa: E402
from searchapp.errors import WriterBusy  # noqa: E402
from searchapp.indexing.reindex import reindex  # noqa: E402
from searchapp.backends.whoosh.schema import SCHEMA_VERSION  # noqa: E402
from searchapp.models import SearchRequest  # noqa: E402
from searchapp.web.params import to_pairs  # noqa: E402


def ensure_index(copies: int) -> Settings:
    """Return settings for the cached Reuters x`copies` index, building what is missing."""
    root = CACHE / f"index-bench-{copies}x-v{SCHEMA_VERSION}"
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index")
    if not (settings.corpus_dir / "reuters").is_dir():
        write_reuters_corpus(settings.corpus_dir, copies=copies)
    while True:
        try:
            t = time.perf_counter()
            summary = reindex(settings, progress=None)  # incremental: a no-op when cached
            print(f"index: {summary.articles_total:,} articles in {settings.index_dir} "
                  f"(ready in {time.perf_counter() - t:.1f} s)")
            return settings
        except WriterBusy:
            print("another process is building this index; waiting…", file=sys.stderr)
            time.sleep(10)


def targets() -> list[str]:
    """Return query strings (pages 1-3 of each benchmark query) shared by both paths."""
    defaults = Settings()
    out = []
    for page in (1, 2, 3):
        for query, filters, _ in QUERIES:
            req = SearchRequest(query=query, page=page, **filters)
            out.append(urlencode(to_pairs(req, defaults)))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(settings: Settings, threads: int) -> tuple[subprocess.Popen, int]:
    """Start `searchapp serve` on a free loopback port and wait until /healthz says 200."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "searchapp", "serve", "--no-build", "--host", "127.0.0.1",
         "--port", str(port), "--index", str(settings.index_dir), "--corpus",
         str(settings.corpus_dir), "--threads", str(threads)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc, port
        except OSError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not become healthy in 120 s")


class Client:
    """One keep-alive connection that times GETs and counts non-200 answers."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.ms: list[float] = []
        self.errors: list[str] = []

    def get(self, url: str) -> None:
        t = time.perf_counter()
        try:
            self.conn.request("GET", url)
            resp = self.conn.getresponse()
            resp.read()
            status = resp.status
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.errors.append(f"{url}: {exc}")
            return
        self.ms.append((time.perf_counter() - t) * 1000)
        if status != 200:
            self.errors.append(f"{url}: HTTP {status}")


def load(port: int, urls: list[str], clients: int) -> tuple[list[float], list[str], float]:
    """Send every url once, spread over `clients` threads; return latencies, errors, seconds."""
    workers = [Client(port) for _ in range(clients)]
    shares = [urls[i::clients] for i in range(clients)]

    def work(client: Client, mine: list[str]) -> None:
        for url in mine:
            client.get(url)

    threads = [threading.Thread(target=work, args=(c, s)) for c, s in zip(workers, shares)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t
    return ([ms for c in workers for ms in c.ms], [e for c in workers for e in c.errors], wall)


def report(label: str, ms: list[float], errors: list[str], wall: float) -> None:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))] if ms else float("nan")
    print(f"  {label:<28} n={len(ms):4d}  median {statistics.median(ms):6.1f} ms  "
          f"p95 {p95:6.1f} ms  max {ms[-1]:6.1f} ms  {len(ms) / wall:6.1f} req/s  "
          f"errors {len(errors)}")
    for e in errors[:5]:
        print(f"    error: {e}")


def run(label: str, copies: int, rounds: int, clients: int, threads: int) -> None:
    print(f"\n== {label} ==")
    settings = ensure_index(copies)
    proc, port = start_server(settings, threads)
    try:
        queries = targets()
        print(f"{len(queries)} distinct requests x {rounds} per run, server threads {threads}:")
        # The first pass meets the engine's per-term caches cold (the index itself was opened by
        # the health check); the runs after it show the steady state of a server in use.
        ms, errors, wall = load(port, [f"/search?{q}" for q in queries], 1)
        report("/search first pass (cold)", ms, errors, wall)
        load(port, [f"/api/search?{q}" for q in queries], 1)
        for path in ("/search", "/api/search"):
            urls = [f"{path}?{q}" for q in queries] * rounds
            for n in (1, clients):
                ms, errors, wall = load(port, urls, n)
                report(f"{path} {n} client{'s' if n > 1 else ''}", ms, errors, wall)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="Reuters-21578 only")
    ap.add_argument("--rounds", type=int, default=2, help="passes over the request set")
    ap.add_argument("--copies", type=int, default=11, help="Reuters copies for the large corpus")
    ap.add_argument("--clients", type=int, default=8, help="concurrent clients")
    ap.add_argument("--threads", type=int, default=Settings().threads, help="server threads")
    args = ap.parse_args()
    if args.quick:
        run("Reuters-21578", 1, args.rounds, args.clients, args.threads)
    else:
        run(f"Reuters x{args.copies}", args.copies, args.rounds, args.clients, args.threads)


if __name__ == "__main__":
    main()
