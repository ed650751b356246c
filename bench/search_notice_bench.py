"""Benchmark what the desk's commit notice costs a search: GET /search with a desk beside the index.

    .venv/bin/python bench/search_notice_bench.py                 # Reuters x11 (~209k articles)
    .venv/bin/python bench/search_notice_bench.py --copies 1      # Reuters-21578 only (~19k)

On the index bench/web_bench.py builds and caches, opened read-only (this script never builds or
writes it); the desk file is this script's own (--desk, default a fresh file in a temporary
folder), synced once to the index (the whole archive as its baseline) before the app starts, as a
server with saved searches has it. Times, on the real Flask app in-process after one warm-up pass,
GET /search over the index benchmark's queries (page 1), `--rounds` passes: median and p95 in ms.
With --hook it also times the notice itself (searchapp.web.saved.notice_commit, when the code has
one) inside a request context: with the version it noticed last (every search's cost) and with a
new one each call (once per commit: the wish to the background reader).

Runs on the code before the notice too (nothing in it needs the new code), for old/new runs:
run this file from a copy of the old tree (`git archive <commit> searchapp bench | tar -x -C DIR`).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import searchapp  # noqa: E402
from bench.corpora import CACHE  # noqa: E402
from bench.index_bench import QUERIES  # noqa: E402
from searchapp.backends.whoosh.schema import SCHEMA_VERSION  # noqa: E402
from searchapp.config import Settings  # noqa: E402
from searchapp.models import SearchRequest  # noqa: E402
from searchapp.search.alerts import Desk  # noqa: E402
from searchapp.search.service import SearchService  # noqa: E402
from searchapp.web.app import close_app, create_app  # noqa: E402
from searchapp.web.params import to_pairs  # noqa: E402


def _summary(label: str, values: list[float], unit: str = "ms") -> None:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    print(f"  {label:<44} median {statistics.median(values):9.3f} {unit}   p95 {p95:9.3f} {unit}   "
          f"({len(values)} runs)")


def _urls() -> list[str]:
    from urllib.parse import urlencode
    defaults = Settings()
    return [f"/search?{urlencode(to_pairs(SearchRequest(query=q, **f), defaults))}" for q, f, _ in QUERIES]


def time_hook(app: object, rounds: int) -> None:
    """Time notice_commit alone: the same version as last (per search), a new one (per commit)."""
    try:
        from searchapp.web.saved import notice_commit
    except ImportError:
        print("  (no notice_commit in this code)")
        return
    from flask import Response, g
    health = dict(app.extensions["searchapp"].get().quick_health())  # type: ignore[attr-defined]
    same: list[float] = []
    new: list[float] = []
    response = Response()

    def notice(version: str) -> float:
        with app.test_request_context("/search?q=oil"):  # type: ignore[attr-defined]
            g.index_health = {**health, "version": version}
            t = time.perf_counter()
            notice_commit(response)
            return (time.perf_counter() - t) * 1e6

    notice(health["version"])
    same = [notice(health["version"]) for _ in range(rounds)]
    for n in range(rounds // 4):
        new.append(notice(f"bench-{n}"))
        # The wished sync (a version check: the desk is synced) ends before the next "commit",
        # so each wish starts the background reader, as one per commit does.
        time.sleep(0.05)
    _summary("notice_commit, version noticed before", same, "us")
    _summary("notice_commit, a new version (a wish)", new, "us")


def run(copies: int, rounds: int, desk_file: Path, hook: bool) -> None:
    root = CACHE / f"index-bench-{copies}x-v{SCHEMA_VERSION}"
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", desk_file=str(desk_file))
    if not (settings.index_dir / "CURRENT").exists():
        sys.exit(f"no bench index at {settings.index_dir}: run bench/web_bench.py first")
    print(f"code: {Path(searchapp.__file__).parent}")
    with SearchService(settings) as svc:
        t = time.perf_counter()
        Desk(svc).sync()
        print(f"desk synced (baseline): {(time.perf_counter() - t) * 1000:,.0f} ms")
    app = create_app(settings)
    client = app.test_client()
    urls = _urls()
    ms: list[float] = []
    try:
        for url in urls:   # warm: the engine, its term caches, the desk's first notice
            assert client.get(url).status_code == 200
        for _ in range(rounds):
            for url in urls:
                t = time.perf_counter()
                resp = client.get(url)
                ms.append((time.perf_counter() - t) * 1000)
                assert resp.status_code == 200
        print(f"Reuters x{copies}, {len(urls)} queries x {rounds} rounds, desk file present and synced")
        _summary("GET /search (Flask app, warm)", ms)
        if hook:
            time_hook(app, 200)
    finally:
        close_app(app)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=11, help="Reuters copies of the cached bench index")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--desk", type=Path, help="the desk file to use (default: a fresh one)")
    ap.add_argument("--hook", action="store_true", help="also time the notice alone")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="notice-bench-") as tmp:
        desk = args.desk or Path(tmp) / "desk.sqlite3"
        run(args.copies, args.rounds, desk, args.hook)


if __name__ == "__main__":
    main()
