"""Benchmark saved searches: the /saved page with 20 saved searches, and `searchapp alerts`.

    .venv/bin/python bench/saved_bench.py                    # Reuters x11 (~209k articles)
    .venv/bin/python bench/saved_bench.py --copies 1         # Reuters-21578 only (~19k)

On the index bench/web_bench.py builds and caches, opened read-only (it must exist: this script
never builds or writes it; run bench/web_bench.py first). The desk file is this script's own
(--desk, default a fresh file in a temporary folder): its first sync records the whole archive as
the baseline, then a share of the archive is made to "arrive" afterwards (--arrivals ids, spread
over the index) and 20 searches are saved before them (the benchmark queries, with their filters).
It times, after one warm-up: GET /saved through the real Flask app (every count under one time
budget; the first one after the index is opened apart), the same counting in-process
(Desk.overview), and `searchapp alerts --peek --json` as a subprocess (the cron job, start-up
included) beside `searchapp search oil --json` (the same start-up), a look's sync of the
arrivals after a commit and with none, and what another caller's desk write ("mark seen") and
read wait when they start while a sync is diffing; medians and p95 in ms.

    .venv/bin/python bench/saved_bench.py --after-commit     # only the first looks after a commit

    .venv/bin/python bench/saved_bench.py --after-commit --no-wait   # answering at once, with the notice

--after-commit times, after a commit (forced as above: the desk forgets the version it synced, so
the whole id diff runs again), the first GET /api/saved/<id> and the first GET /saved, on a warm
app, alternating the two; and two processes syncing one commit at once (CPU seconds each spends,
with the sync lease and without it, when the code has one). Runs on the code before the background
sync too (nothing in it needs the new code), for old/new comparisons.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpora import CACHE  # noqa: E402
from bench.index_bench import QUERIES  # noqa: E402
from searchapp.backends.whoosh.schema import SCHEMA_VERSION  # noqa: E402
from searchapp.config import Settings  # noqa: E402
from searchapp.models import SearchRequest  # noqa: E402
from searchapp.search.alerts import Desk  # noqa: E402
from searchapp.search.desk_store import DeskStore, desk_path, now_iso  # noqa: E402
from searchapp.search.service import SearchService  # noqa: E402
from searchapp.web.app import close_app, create_app  # noqa: E402

SAVED = 20


def _summary(label: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    print(f"  {label:<46} median {statistics.median(ms):8.1f} ms   p95 {p95:8.1f} ms   ({len(ms)} runs)")


def prepare(settings: Settings, arrivals: int) -> None:
    """Sync the baseline, save 20 searches, then move `arrivals` ids to a later sync."""
    with SearchService(settings) as svc:
        desk = Desk(svc)
        t = time.perf_counter()
        seq = desk.sync()
        print(f"first sync (the whole archive as baseline): {(time.perf_counter() - t) * 1000:,.0f} ms")
        for query, filters, _ in QUERIES[:SAVED]:
            desk.store.add(f"{query} {sorted(filters)}", SearchRequest(query=query, **filters), seq)
    with desk.store.write() as con:
        ids = [r[0] for r in con.execute("SELECT id FROM arrivals ORDER BY id")]
        step = max(1, len(ids) // arrivals)
        chosen = ids[::step][:arrivals]
        later = con.execute("INSERT INTO syncs (at, version, added, gone) VALUES (?, NULL, ?, 0)",
                            (now_iso(), len(chosen))).lastrowid
        con.executemany("UPDATE arrivals SET seq = ? WHERE id = ?", ((later, i) for i in chosen))
    print(f"{len(chosen):,} of {len(ids):,} articles arrive after the {SAVED} searches were saved")


def time_sync(settings: Settings, rounds: int) -> None:
    """Time a look's sync: after a commit (the whole id diff, forced by forgetting the version the
    desk saw; nothing is new) and with nothing committed since (one version check)."""
    with SearchService(settings) as svc:
        desk = Desk(svc)
        desk.sync()
        after, idle = [], []
        for _ in range(rounds):
            with desk.store.write() as con:
                con.execute("UPDATE meta SET value = 'forced' WHERE key = 'synced_version'")
            t = time.perf_counter()
            desk.sync()
            after.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            desk.sync()
            idle.append((time.perf_counter() - t) * 1000)
    _summary("sync after a commit (diff every id)", after)
    _summary("sync with nothing committed", idle)
    time_waits(settings, rounds)


class _Watched(DeskStore):
    """A desk store that says when its sync starts reading the desk's ids (the diff)."""

    diffing = threading.Event()

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with super()._connect() as con:
            con.set_trace_callback(self._trace)
            yield con

    def _trace(self, statement: str) -> None:
        if statement.strip().startswith("SELECT id FROM arrivals"):
            self.diffing.set()


def time_waits(settings: Settings, rounds: int) -> None:
    """Time what another caller waits while one process syncs after a commit: a "mark seen" (a
    desk write) and a desk read, each started the moment the sync starts reading the desk's ids
    (that diff used to run inside the desk's write lock, so the write waited for all of it)."""
    with SearchService(settings) as svc, SearchService(settings) as other_svc:
        store = _Watched(desk_path(settings))
        desk, other = Desk(svc, store), Desk(other_svc)
        saved = desk.store.list()[0]
        desk.sync()
        writes, reads = [], []
        for _ in range(rounds):
            with desk.store.write() as con:
                con.execute("UPDATE meta SET value = 'forced' WHERE key = 'synced_version'")
            store.diffing.clear()
            syncing = threading.Thread(target=desk.sync)
            syncing.start()
            store.diffing.wait()
            t = time.perf_counter()
            other.store.mark_seen(saved.id, saved.seen_seq)
            writes.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            other.store.list()
            reads.append((time.perf_counter() - t) * 1000)
            syncing.join()
    _summary("a desk write while another syncs", writes)
    _summary("a desk read while another syncs", reads)


def _forget_commit(settings: Settings) -> None:
    """Make the desk's next look find a commit it has not synced (the whole id diff, nothing new)."""
    with DeskStore(desk_path(settings)).write() as con:
        con.execute("UPDATE meta SET value = 'forced' WHERE key = 'synced_version'")


def _settled(settings: Settings, timeout: float = 30.0) -> None:
    """Wait until the desk has synced the last forced commit (a background sync has landed)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with DeskStore(desk_path(settings)).read() as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'synced_version'").fetchone()
        if row and row[0] != "forced":
            time.sleep(0.1)
            return
        time.sleep(0.05)
    sys.exit("the desk's sync never landed")


def time_after_commit(settings: Settings, rounds: int, no_wait: bool = False) -> None:
    """Time the first desk requests after a commit, and two processes syncing one commit at once."""
    app = create_app(settings.replace(desk_sync_wait_share=0.0) if no_wait else settings)
    client = app.test_client()
    one: list[float] = []
    listing: list[float] = []
    pending = 0
    try:
        saved = client.get("/api/saved").get_json()["saved"][0]
        for _ in range(2):   # warm: the engine, the saved searches' terms, the desk's thread
            client.get(f"/api/saved/{saved['id']}")
            client.get("/saved")
        for n in range(2 * rounds):
            _settled(settings)   # no sync of the last round still running
            _forget_commit(settings)
            path = f"/api/saved/{saved['id']}" if n % 2 == 0 else "/api/saved"
            t = time.perf_counter()
            resp = client.get(path)
            ms = (time.perf_counter() - t) * 1000
            assert resp.status_code == 200
            body = resp.get_json()
            pending += (body["new"] if n % 2 == 0 else body).get("pending_commit") is not None
            (one if n % 2 == 0 else listing).append(ms)
    finally:
        close_app(app)
    _summary("first GET /api/saved/<id> after a commit", one)
    _summary("first GET /api/saved after a commit", listing)
    print(f"  answered with the commit's arrivals still being counted: {pending} of {2 * rounds}")
    time_two_processes(settings, rounds)


def _sync_in_child(settings: Settings, leased: bool, start: object, out: object) -> None:
    from searchapp.search import arrivals
    with SearchService(settings) as svc:
        store = DeskStore(desk_path(settings))
        svc.backend.state()
        start.wait()  # type: ignore[attr-defined]
        cpu, t = time.process_time(), time.perf_counter()
        (arrivals.sync_leased if leased else arrivals.sync)(store, svc.backend)
        out.put((time.process_time() - cpu, time.perf_counter() - t))  # type: ignore[attr-defined]


def time_two_processes(settings: Settings, rounds: int) -> None:
    """Two processes (as two gunicorn workers) sync one commit at the same moment: the CPU each
    spends, with the lease (one diffs, the other waits) and without (both diff, one writes)."""
    import multiprocessing
    from searchapp.search import arrivals
    ctx = multiprocessing.get_context("fork")
    ways = [True, False] if hasattr(arrivals, "sync_leased") else [False]
    cpu: dict[bool, list[float]] = {w: [] for w in ways}
    wall: dict[bool, list[float]] = {w: [] for w in ways}
    for _ in range(rounds):
        for leased in ways:
            _forget_commit(settings)
            start, out = ctx.Barrier(2), ctx.Queue()
            procs = [ctx.Process(target=_sync_in_child, args=(settings, leased, start, out)) for _ in range(2)]
            for proc in procs:
                proc.start()
            got = [out.get(timeout=120) for _ in procs]
            for proc in procs:
                proc.join()
            cpu[leased].append(sum(c for c, _ in got) * 1000)
            wall[leased].append(max(w for _, w in got) * 1000)
    for leased in ways:
        how = "with the lease" if leased else "each diffing"
        _summary(f"two processes sync one commit, CPU of both ({how})", cpu[leased])
        _summary(f"two processes sync one commit, wall ({how})", wall[leased])


def run(copies: int, arrivals: int, rounds: int, desk_file: Path, after_commit: bool = False,
        no_wait: bool = False) -> None:
    root = CACHE / f"index-bench-{copies}x-v{SCHEMA_VERSION}"
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", desk_file=str(desk_file))
    if not (settings.index_dir / "CURRENT").exists():
        sys.exit(f"no bench index at {settings.index_dir}: run bench/web_bench.py first")
    prepare(settings, arrivals)
    if after_commit:
        print(f"Reuters x{copies}, {SAVED} saved searches, {arrivals:,} arrivals, {rounds} rounds")
        time_after_commit(settings, rounds, no_wait)
        return
    app = create_app(settings)
    client = app.test_client()
    page_ms: list[float] = []
    lib_ms: list[float] = []
    cli_ms: list[float] = []
    search_ms: list[float] = []
    try:
        # The first /saved after a commit looks its arrivals' ids up in the index (once per index
        # version); the engine is opened and warmed by a search first, so only that is in it.
        assert client.get("/search?q=oil").status_code == 200
        t = time.perf_counter()
        assert client.get("/saved").status_code == 200
        first = (time.perf_counter() - t) * 1000
        with SearchService(settings) as svc:
            desk = Desk(svc)
            desk.overview()
            counted, _ = desk.overview()
            print(f"new matches per saved search: {[c.total for c in counted]} "
                  f"({sum(not c.counted for c in counted)} not counted)")
            env = {**os.environ, "PYTHONPATH": str(ROOT), "SEARCHAPP_DESK_FILE": str(desk_file)}
            cmd = [sys.executable, "-m", "searchapp", "alerts", "--peek", "--json", "--index", str(settings.index_dir)]
            # For scale: a one-word search from the command line (the same start-up: opening the index).
            search = [sys.executable, "-m", "searchapp", "search", "oil", "--json", "--index", str(settings.index_dir)]
            for _ in range(rounds):
                t = time.perf_counter()
                resp = client.get("/saved")
                page_ms.append((time.perf_counter() - t) * 1000)
                assert resp.status_code == 200 and b"not counted" not in resp.data
                t = time.perf_counter()
                desk.overview()
                lib_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                done = subprocess.run(cmd, env=env, capture_output=True)
                cli_ms.append((time.perf_counter() - t) * 1000)
                assert done.returncode in (0, 1), done.stderr[-500:]
                t = time.perf_counter()
                subprocess.run(search, env=env, capture_output=True, check=True)
                search_ms.append((time.perf_counter() - t) * 1000)
    finally:
        close_app(app)
    print(f"Reuters x{copies}, {SAVED} saved searches, {arrivals:,} arrivals, {rounds} rounds")
    print(f"  first GET /saved after opening the index: {first:8.1f} ms (cold: its terms, and the ids looked up once per index version)")
    _summary("GET /saved (Flask app, one budget)", page_ms)
    _summary("Desk.overview() in-process", lib_ms)
    _summary("searchapp alerts --peek --json (subprocess)", cli_ms)
    _summary("searchapp search oil --json (for scale)", search_ms)
    time_sync(settings, rounds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=11, help="Reuters copies of the cached bench index")
    ap.add_argument("--arrivals", type=int, default=2000, help="articles that arrive after saving")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--desk", type=Path, help="the desk file to use (default: a fresh one)")
    ap.add_argument("--after-commit", action="store_true", help="time only the first looks after a commit")
    ap.add_argument("--no-wait", action="store_true",
                    help="requests never wait for a background sync (desk_sync_wait_share = 0): "
                         "the notice path")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="saved-bench-") as tmp:
        desk = args.desk or Path(tmp) / "desk.sqlite3"
        if desk.exists():
            sys.exit(f"{desk} exists: give a new file")
        run(args.copies, args.arrivals, args.rounds, desk, args.after_commit, args.no_wait)


if __name__ == "__main__":
    main()
