"""Drive the real server over loopback with realistic and hostile searches; print what held.

    .venv/bin/python bench/load.py                          # 60 s, 32 connections
    .venv/bin/python bench/load.py --duration 10 --connections 8    # a quick run

Serves the 200,000-article index that bench/index_bench.py caches (Reuters x11) when it is
there, else the Reuters-21578 index (~19k articles, built once into the bench cache), and says
which. `searchapp serve` runs in its own process on 127.0.0.1 (waitress, default threads);
this process keeps N keep-alive connections busy: 80% realistic searches (words, phrases,
boolean, prefixes, facets, date ranges, sorting, paging, article pages) and 20% hostile ones
(10,000-character and control-character queries, bad and huge parameters, invalid UTF-8,
markup, path traversal). Stops by itself after --duration seconds or --max-requests.

Passes when: no 5xx at all, no error or non-200 on a valid request, and the server's resident
memory grew less than 10% from after the warm-up to the end. Prints counts by status, latency
percentiles (p50/p95/p99) of valid requests, throughput, and memory; exit status 1 on a failure.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpora import CACHE, write_reuters_corpus  # noqa: E402

WORDS = ("oil prices bank rates trade deficit coffee wheat exports dollar yen profit shares "
         "stake merger acquisition tonnes gold interest inflation budget tax crude opec grain "
         "sugar cocoa copper earnings dividend loss revenue bonds treasury fed japan germany "
         "brazil canada france london tokyo").split()
REALISTIC_FORMS = [
    lambda r: r.choice(WORDS),
    lambda r: f"{r.choice(WORDS)} {r.choice(WORDS)}",
    lambda r: f'"{r.choice(["central bank", "oil prices", "trade surplus", "interest rates", "net loss"])}"',
    lambda r: f"{r.choice(WORDS)} OR {r.choice(WORDS)}",
    lambda r: f"{r.choice(WORDS)} -{r.choice(WORDS)}",
    lambda r: r.choice(["econom*", "export*", "bank*", "pric*", "compan*"]),
    lambda r: f"title:{r.choice(WORDS)}",
]
HOSTILE = [
    {"q": "oil " * 2500}, {"q": "\x00\x01\x1b[31m oil \x7f"}, {"q": "<script>alert(1)</script>"},
    {"q": '"><img src=x onerror=alert(1)>'}, {"q": '"unbalanced'}, {"q": "AND OR NOT ( ) -"},
    {"q": "a*"}, {"q": "*ing"}, {"q": " OR ".join(f"w{i}" for i in range(60))},
    {"q": "oil", "page": "-1"}, {"q": "oil", "page": "99999999999999999999"},
    {"q": "oil", "size": "-5"}, {"q": "oil", "size": "100000"}, {"q": "oil", "sort": "random"},
    {"q": "oil", "from": "2017-02-30"}, {"q": "oil", "year": "abc"}, {"q": "oil", "month": "13"},
    {"q": "javascript:alert(1)", "country": "<b>x</b>"}, {"q": "oil", "undated": "maybe"},
]
HOSTILE_RAW = ["/search?q=%ff%fe%00", "/api/search?q=%c3%28&page=%ff",
               "/article/..%2f..%2fetc%2fpasswd", "/article/%2e%2e/%2e%2e/etc/passwd",
               "//evil.example/search", "/static/../../etc/passwd", "/api/articles/%00",
               "/search?q=oil&q=gas", "/nowhere"]


def find_index() -> tuple[Path, str]:
    """Return the index to serve and what it is; build the Reuters one if nothing is cached."""
    from searchapp.backends.whoosh import generations as gens
    from searchapp.backends.whoosh.schema import SCHEMA_VERSION

    for copies, label in ((11, "Reuters x11 (~200,000 articles)"), (1, "Reuters-21578")):
        index = CACHE / f"index-bench-{copies}x-v{SCHEMA_VERSION}" / "index"
        if gens.current(index) is not None:
            return index, label
    from searchapp.config import Settings
    from searchapp.indexing.reindex import reindex

    root = CACHE / f"load-reuters-v{SCHEMA_VERSION}"
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index")
    if gens.current(settings.index_dir) is None:
        print(f"building the Reuters-21578 index in {root} (once)...", flush=True)
        if not (settings.corpus_dir / "reuters").is_dir():
            write_reuters_corpus(settings.corpus_dir)
        reindex(settings, full=True, progress=False)
    return settings.index_dir, "Reuters-21578 (built for this script)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def realistic(rng: random.Random, ids: list[str]) -> str:
    """Return the path and query of one realistic request."""
    if ids and rng.random() < 0.05:
        return f"/article/{quote(rng.choice(ids), safe='/')}"
    params: dict[str, str] = {"q": rng.choice(REALISTIC_FORMS)(rng)}
    roll = rng.random()
    if roll < 0.15:
        params["sort"] = rng.choice(["newest", "oldest"])
    elif roll < 0.25:
        params["page"] = str(rng.randint(2, 5))
    elif roll < 0.35:
        params["year"] = "1987"
        params["month"] = str(rng.randint(2, 10))
    elif roll < 0.45:
        params["from"], params["to"] = "1987-03-01", "1987-06-30"
    elif roll < 0.55:
        params["country"] = rng.choice(["United States", "Japan", "United Kingdom", "Canada"])
    return rng.choice(["/search", "/api/search"]) + "?" + urlencode(params)


def hostile(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return rng.choice(HOSTILE_RAW)
    params = rng.choice(HOSTILE)
    return rng.choice(["/search", "/api/search"]) + "?" + "&".join(
        f"{k}={quote(v, safe='')}" for k, v in params.items())


class Worker(threading.Thread):
    """One keep-alive connection sending requests until the deadline or the shared budget."""

    def __init__(self, port: int, seed: int, deadline: float, budget: list[int],
                 lock: threading.Lock, ids: list[str]) -> None:
        super().__init__(daemon=True)
        self.port, self.rng, self.deadline = port, random.Random(seed), deadline
        self.budget, self.lock, self.ids = budget, lock, ids
        self.valid_ms: list[float] = []
        self.slowest: list[tuple[float, str]] = []
        self.status: Counter[str] = Counter()
        self.failures: list[str] = []

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while time.monotonic() < self.deadline:
            with self.lock:
                if self.budget[0] <= 0:
                    break
                self.budget[0] -= 1
            valid = self.rng.random() < 0.8
            target = realistic(self.rng, self.ids) if valid else hostile(self.rng)
            started = time.perf_counter()
            try:
                conn.request("GET", target)
                resp = conn.getresponse()
                resp.read()
                code = resp.status
            except (OSError, http.client.HTTPException) as exc:
                self.status["error"] += 1
                self.slowest.append(((time.perf_counter() - started) * 1000,
                                     f"{time.strftime('%H:%M:%S')} {type(exc).__name__} {target[:100]}"))
                self.failures.append(f"{target[:120]}: {type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                continue
            ms = (time.perf_counter() - started) * 1000
            kind = "valid" if valid else "hostile"
            self.status[f"{kind} {code}"] += 1
            if code >= 500 or (valid and code != 200):
                self.failures.append(f"{kind} {code}: {target[:120]}")
            if valid:
                self.valid_ms.append(ms)
            if ms > 2000:
                self.slowest.append((ms, f"{time.strftime('%H:%M:%S')} {code} {target[:100]}"))
        conn.close()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    ap.add_argument("--connections", type=int, default=32, help="keep-alive connections (default 32)")
    ap.add_argument("--warmup", type=float, default=5.0, help="seconds of load before memory is measured")
    ap.add_argument("--max-requests", type=int, default=2_000_000, help="stop after this many requests")
    ap.add_argument("--index", type=Path, help="serve this index instead of the cached bench index")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    duration = min(max(args.duration, 1.0), 3600.0)
    connections = min(max(args.connections, 1), 256)
    index, label = (args.index, f"{args.index} (given)") if args.index else find_index()
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    # The server's log goes to a file: waitress logs every task-queue depth change under load,
    # and an unread pipe fills and blocks every server thread on its next log line.
    log_path = Path(tempfile.mkdtemp(prefix="searchapp-load-")) / "server.log"
    log = open(log_path, "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "searchapp", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--index", str(index), "--no-build"], cwd=REPO, env=env,
        stdout=log, stderr=subprocess.STDOUT, text=True)
    log.close()
    try:
        code = run(args, duration, connections, index, label, port, server)
        lines = log_path.read_text(errors="replace").splitlines()
        queue = [int(x.rsplit(" ", 1)[1]) for x in lines if x.startswith("Task queue depth is ")]
        print(f"server log {log_path}: {len(lines)} lines"
              + (f", deepest task queue {max(queue)}" if queue else ""))
        tracebacks = sum("Traceback" in x for x in lines)
        if tracebacks:
            print(f"FAIL: {tracebacks} tracebacks in the server log")
            code = 1
        return code
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)


def run(args: argparse.Namespace, duration: float, connections: int, index: Path, label: str,
        port: int, server: subprocess.Popen) -> int:
    import json

    deadline = time.monotonic() + 300
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/healthz")
            resp = conn.getresponse()
            health = json.loads(resp.read())
            conn.close()
            if resp.status == 200 and not health.get("busy"):
                break
        except (OSError, ValueError, http.client.HTTPException):
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            print("the server did not come up; see its log")
            return 1
        time.sleep(0.2)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/api/search?q=said&size=100")
    ids = [h["id"] for h in json.loads(conn.getresponse().read())["hits"]]
    conn.close()
    print(f"index: {label}, {health.get('doc_count')} articles ({index})")
    print(f"load: {connections} connections for {duration:.0f} s "
          f"(+{args.warmup:.0f} s warm-up), 80% realistic / 20% hostile, 127.0.0.1:{port}")
    rss_start = rss_kb(server.pid)
    budget, lock = [args.max_requests], threading.Lock()

    def wave(seconds: float, seed: int) -> tuple[list[Worker], float]:
        end = time.monotonic() + seconds
        workers = [Worker(port, seed + i, end, budget, lock, ids) for i in range(connections)]
        started = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join(seconds + 120)
        return workers, time.perf_counter() - started

    warm, _ = wave(args.warmup, args.seed * 1000)
    rss_warm = rss_kb(server.pid)
    workers, took = wave(duration, args.seed * 1000 + 500)
    rss_end = rss_kb(server.pid)
    status: Counter[str] = Counter()
    failures: list[str] = []
    valid_ms: list[float] = []
    for w in warm + workers:  # warm-up requests count for correctness too
        failures += w.failures
        status.update(w.status)
    for w in workers:
        valid_ms += w.valid_ms
    total = sum(sum(w.status.values()) for w in workers)
    five = sum(n for k, n in status.items() if k.split()[-1].startswith("5"))
    bad_valid = sum(n for k, n in status.items() if k.startswith("valid") and k != "valid 200")
    errors = status.get("error", 0)
    growth = (rss_end - rss_warm) / rss_warm * 100 if rss_warm else 0.0
    print(f"requests: {total} in {took:.1f} s = {total / took:.0f}/s; by status (with warm-up): "
          + ", ".join(f"{k} {n}" for k, n in sorted(status.items())))
    if valid_ms:
        print(f"valid requests latency ms: p50 {pct(valid_ms, 50):.1f}, p95 {pct(valid_ms, 95):.1f}, "
              f"p99 {pct(valid_ms, 99):.1f}, max {max(valid_ms):.1f}, mean {statistics.mean(valid_ms):.1f}")
    print(f"server RSS: {rss_start / 1024:.0f} MB at start, {rss_warm / 1024:.0f} MB after warm-up, "
          f"{rss_end / 1024:.0f} MB at the end: growth {growth:+.1f}% (limit 10%)")
    ok = five == 0 and bad_valid == 0 and errors == 0 and growth < 10 and server.poll() is None
    for line in failures[:10]:
        print("  failure:", line)
    slow = sorted((x for w in warm + workers for x in w.slowest), reverse=True)
    for ms, what in slow[:8]:
        print(f"  slow: {ms:.0f} ms {what}")
    print(f"{'PASS' if ok else 'FAIL'}: 5xx {five}, valid non-200 {bad_valid}, connection errors "
          f"{errors}, memory growth {growth:+.1f}%")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
