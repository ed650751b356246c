"""Benchmark "one typo freezes the desk": 32-unknown-word queries against /healthz and ordinary searches.

    .venv/bin/python bench/freeze.py --quick          # Reuters-21578 (~19k articles)
    .venv/bin/python bench/freeze.py                  # Reuters x11 (~200k), bench/index_bench.py's index
    .venv/bin/python bench/freeze.py --root DIR       # any folder holding corpus/ and index/

The real server (`searchapp serve` as configured by default: one process per core, its own
process group) on the cached benchmark index, every worker warmed first.
First each costly query alone (one client, nothing else running): its latency. Then `--clients`
clients send nothing but 32-unknown-word queries for `--duration` seconds while one probe
alternates /healthz and an ordinary search (a mixed set of the index benchmark's queries), one
request at a time: their latencies are what a desk user sees while someone pastes gibberish.
Half the costly queries are random letters, half are typos of real words (which have spelling
candidates to weigh, the costlier path). Targets (issue 12): alone under 1 s; under load /healthz
p95 under 0.5 s and ordinary searches p95 under 1 s; no errors.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.web_bench import Client, ensure_index, start_server  # noqa: E402
from searchapp.config import Settings  # noqa: E402

WORDS = ("president government minister election parliament agreement security market "
         "company billion exports interest economy currency inflation pipeline shares "
         "treasury refinery production shipment contract analyst official reserves budget "
         "kazakhstan belarus russia moscow minsk summit meeting treaty").split()
ORDINARY = ["oil prices", "CSTO", "Minsk", '"central bank"', "trade OR tariff", "econom*",
            "country:Belarus", "bank -central", "Минск", "interest rates"]
LATIN = "abcdefghijklmnopqrstuvwxyz"
CYRILLIC = "абвгдежзиклмнопрстуфхцчшэюя"


def typo(word: str, rnd: random.Random) -> str:
    """Return the word with one random edit (the kind of word a spelling corrector weighs)."""
    i = rnd.randrange(len(word))
    kind = rnd.randrange(3)
    if kind == 0 and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    return word[:i] + rnd.choice(LATIN) + word[i + 1:]


def costly_query(rnd: random.Random, n: int = 32) -> str:
    """Return n words no article holds: random letters, or typos of real words."""
    if rnd.random() < 0.5:
        alphabet = CYRILLIC if rnd.random() < 0.3 else LATIN
        words = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(6, 10))) for _ in range(n)]
    else:
        words = [typo(rnd.choice(WORDS), rnd) + rnd.choice(LATIN) for _ in range(n)]
    return " ".join(words)


def pct(ms: list[float], p: float) -> float:
    ms = sorted(ms)
    return ms[min(len(ms) - 1, int(len(ms) * p))] if ms else float("nan")


def line(label: str, ms: list[float], errors: int) -> str:
    if not ms:
        return f"  {label:<34} n=0  errors {errors}"
    return (f"  {label:<34} n={len(ms):4d}  median {statistics.median(ms):7.1f} ms  "
            f"p95 {pct(ms, 0.95):7.1f} ms  max {max(ms):7.1f} ms  errors {errors}")


def run(settings: Settings, clients: int, duration: float, threads: int, seed: int) -> None:
    proc, port = start_server(settings, threads)
    rnd = random.Random(seed)
    try:
        # Warm every worker process (connections spread over them): a cold one opens the index.
        warmers = [Client(port) for _ in range(2 * clients)]
        for w in warmers:
            for q in ORDINARY[:3] + [costly_query(rnd)]:
                w.get("/search?" + urlencode({"q": q}))
            w.conn.close()
        time.sleep(2)   # the spelling word list is read in the background
        alone = Client(port)
        for _ in range(10):
            alone.get("/search?" + urlencode({"q": costly_query(rnd)}))
        print(line("32 unknown words, alone", alone.ms, len(alone.errors)))
        stop = time.perf_counter() + duration
        load = [Client(port) for _ in range(clients)]
        seeds = [rnd.randrange(1 << 30) for _ in load]

        def hammer(client: Client, s: int) -> None:
            r = random.Random(s)
            while time.perf_counter() < stop:
                client.get("/search?" + urlencode({"q": costly_query(r)}))

        health, ordinary = Client(port), Client(port)

        def probe() -> None:
            k = 0
            while time.perf_counter() < stop:
                health.get("/healthz")
                ordinary.get("/search?" + urlencode({"q": ORDINARY[k % len(ORDINARY)]}))
                k += 1
                time.sleep(0.1)

        workers = [threading.Thread(target=hammer, args=(c, s)) for c, s in zip(load, seeds)]
        workers.append(threading.Thread(target=probe))
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        costly = [ms for c in load for ms in c.ms]
        print(f"under {clients} clients sending only 32-unknown-word queries for {duration:g} s:")
        print(line("32 unknown words, under load", costly, sum(len(c.errors) for c in load)))
        print(line("/healthz", health.ms, len(health.errors)))
        print(line("ordinary search", ordinary.ms, len(ordinary.errors)))
        for e in (health.errors + ordinary.errors)[:5]:
            print(f"    error: {e}")
        ok = (pct(alone.ms, 0.5) < 1000 and pct(health.ms, 0.95) < 500
              and pct(ordinary.ms, 0.95) < 1000 and not health.errors and not ordinary.errors)
        print("targets (alone median < 1 s, /healthz p95 < 0.5 s, ordinary p95 < 1 s): "
              + ("met" if ok else "NOT met"))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except Exception:  # noqa: BLE001 - a server that will not stop is killed
            proc.kill()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="Reuters-21578 only")
    ap.add_argument("--copies", type=int, default=11, help="Reuters copies for the large corpus")
    ap.add_argument("--root", type=Path, help="a folder with corpus/ and index/ (skips building)")
    ap.add_argument("--clients", type=int, default=8, help="clients sending costly queries")
    ap.add_argument("--duration", type=float, default=30.0, help="seconds under load")
    ap.add_argument("--threads", type=int, default=Settings().threads, help="server threads")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    if args.root:
        settings = Settings(corpus_dir=args.root / "corpus", index_dir=args.root / "index")
    else:
        settings = ensure_index(1 if args.quick else args.copies)
    print(f"index: {settings.index_dir}")
    run(settings, args.clients, args.duration, args.threads, args.seed)


if __name__ == "__main__":
    main()
