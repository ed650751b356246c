"""Drive the real server over loopback with realistic and hostile searches, with 1 and N worker processes.

    .venv/bin/python bench/load.py                          # 60 s, 32 connections, 1 then N workers
    .venv/bin/python bench/load.py --duration 10 --connections 8    # a quick run
    .venv/bin/python bench/load.py --workers 2              # only one server, with 2 workers

Serves the 200,000-article index that bench/index_bench.py caches (Reuters x11) when it is
there, else the Reuters-21578 index (~19k articles, built once into the bench cache), and says
which. For each worker count (default: 1, then the cores) `searchapp serve --workers W` runs in
its own process on 127.0.0.1 (W=1: waitress; more: gunicorn worker processes); this process
keeps N keep-alive connections busy: 80% realistic searches (words, phrases, boolean, prefixes,
facets, date ranges, sorting, paging, article pages) and 20% hostile ones (10,000-character and
control-character queries, bad and huge parameters, invalid UTF-8, markup, path traversal).
Each run stops by itself after --duration seconds or --max-requests.

Passes when, for every worker count: no 5xx at all, no error or non-200 on a valid request,
and the servers' resident memory (master and workers together) grew less than 10% from after
the warm-up to the end. Prints counts by status, throughput, latency percentiles (p50/p95/p99)
of valid requests, memory, and for several worker counts the throughput ratio to one worker
beside the targets (>= 1.6x with 2 workers, p99 < 1 s); exit status 1 on a failure.
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
from dataclasses import dataclass
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
    from searchapp.indexing import generations as gens
    from searchapp.indexing.schema import SCHEMA_VERSION

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
    """Return the resident memory of `pid` and all its descendants (gunicorn master + workers)."""
    total = 0
    for one in [pid, *descendants(pid)]:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:  # exited between the listing and the read
            continue
    return total


def descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        out += kids
        todo += kids
    return out


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


@dataclass
class Figures:
    """What one server run measured."""

    workers: int
    requests: int = 0
    seconds: float = 0.0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    ok: bool = False

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    ap.add_argument("--connections", type=int, default=32, help="keep-alive connections (default 32)")
    ap.add_argument("--warmup", type=float, default=5.0, help="seconds of load before memory is measured")
    ap.add_argument("--max-requests", type=int, default=2_000_000, help="stop after this many requests")
    ap.add_argument("--workers", default=f"1,{len(os.sched_getaffinity(0))}",
                    help="comma-separated server worker counts, one run each (default: 1,<cores>)")
    ap.add_argument("--index", type=Path, help="serve this index instead of the cached bench index")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    duration = min(max(args.duration, 1.0), 3600.0)
    connections = min(max(args.connections, 1), 256)
    counts = list(dict.fromkeys(min(max(int(w), 1), 64) for w in args.workers.split(",") if w.strip()))
    index, label = (args.index, f"{args.index} (given)") if args.index else find_index()
    print(f"cores: {len(os.sched_getaffinity(0))}; worker counts: {', '.join(map(str, counts))}")
    results = []
    for workers in counts:
        print(f"\n== {workers} worker process{'es' if workers > 1 else ''} "
              f"({'gunicorn' if workers > 1 else 'waitress'}) ==", flush=True)
        results.append(serve_and_load(args, duration, connections, index, label, workers))
    print("\nworkers | requests/s | valid p50 ms | p95 ms | p99 ms | x one worker | correct")
    base = next((r.throughput for r in results if r.workers == 1), 0.0)
    for r in results:
        ratio = f"{r.throughput / base:.2f}x" if base else "-"
        print(f"{r.workers:7} | {r.throughput:10.1f} | {r.p50:12.1f} | {r.p95:6.1f} | {r.p99:6.1f} | "
              f"{ratio:>12} | {'PASS' if r.ok else 'FAIL'}")
    for r in results:
        if r.workers == 2 and base:
            ratio = r.throughput / base
            print(f"targets, 2 workers: throughput {ratio:.2f}x one worker's "
                  f"({'met' if ratio >= 1.6 else 'MISSED'}: >= 1.6x), valid p99 {r.p99:.0f} ms "
                  f"({'met' if r.p99 < 1000 else 'MISSED'}: < 1,000 ms)")
    return 0 if all(r.ok for r in results) else 1


def serve_and_load(args: argparse.Namespace, duration: float, connections: int, index: Path,
                   label: str, workers: int) -> Figures:
    """Start `searchapp serve --workers W`, load it, stop it; return what it measured."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    # The server's log goes to a file: waitress logs every task-queue depth change under load,
    # and an unread pipe fills and blocks every server thread on its next log line.
    log_path = Path(tempfile.mkdtemp(prefix="searchapp-load-")) / "server.log"
    log = open(log_path, "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "searchapp", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--index", str(index), "--no-build", "--workers", str(workers)], cwd=REPO, env=env,
        stdout=log, stderr=subprocess.STDOUT, text=True)
    log.close()
    figures = Figures(workers)
    try:
        figures = run(args, duration, connections, index, label, port, server, workers)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            code = server.wait(timeout=30)
    lines = log_path.read_text(errors="replace").splitlines()
    queue = [int(x.rsplit(" ", 1)[1]) for x in lines if x.startswith("Task queue depth is ")]
    print(f"server log {log_path}: {len(lines)} lines"
          + (f", deepest task queue {max(queue)}" if queue else "") + f"; exit status {code}")
    tracebacks = sum("Traceback" in x for x in lines)
    if tracebacks or code != 0:
        print(f"FAIL: {tracebacks} tracebacks in the server log, exit status {code}")
        figures.ok = False
    return figures


def run(args: argparse.Namespace, duration: float, connections: int, index: Path, label: str,
        port: int, server: subprocess.Popen, n_workers: int) -> Figures:
    import json

    deadline = time.monotonic() + 300
    # Each worker opens its engine on its own after it boots; a new connection reaches any of
    # them, so several answers in a row that are ready mean (almost surely) all of them are.
    ready = 0
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/healthz")
            resp = conn.getresponse()
            health = json.loads(resp.read())
            conn.close()
            ready = ready + 1 if resp.status == 200 and not health.get("busy") else 0
            if ready >= 4 * n_workers:
                break
            continue
        except (OSError, ValueError, http.client.HTTPException):
            ready = 0
        if server.poll() is not None or time.monotonic() > deadline:
            print("the server did not come up; see its log")
            return Figures(n_workers)
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
    print(f"server RSS ({n_workers} worker{'s' if n_workers > 1 else ''}, with the master): {rss_start / 1024:.0f} MB at start, {rss_warm / 1024:.0f} MB after warm-up, "
          f"{rss_end / 1024:.0f} MB at the end: growth {growth:+.1f}% (limit 10%)")
    ok = five == 0 and bad_valid == 0 and errors == 0 and growth < 10 and server.poll() is None
    for line in failures[:10]:
        print("  failure:", line)
    slow = sorted((x for w in warm + workers for x in w.slowest), reverse=True)
    for ms, what in slow[:8]:
        print(f"  slow: {ms:.0f} ms {what}")
    print(f"{'PASS' if ok else 'FAIL'}: 5xx {five}, valid non-200 {bad_valid}, connection errors "
          f"{errors}, memory growth {growth:+.1f}%")
    return Figures(n_workers, total, took, pct(valid_ms, 50), pct(valid_ms, 95), pct(valid_ms, 99), ok)


if __name__ == "__main__":
    sys.exit(main())
