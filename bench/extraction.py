"""Measure the HTML reader: main-text precision/recall, publication-date accuracy, speed, memory.

    .venv/bin/python bench/extraction.py [--limit N] [--quiet] [--variants]

Main text: trafilatura's own evaluation pages and scoring (whitespace-normalised substring
matches of the `with` / `without` snippets; P = TP/(TP+FP), R = TP/(TP+FN)), with trafilatura
itself run in the same process as the reference. Dates: htmldate's evaluation pages, share of
pages whose extracted date equals the label (YYYY-MM-DD), with htmldate itself as the reference.
Speed: pages/s through read_html and through pipeline.ingest_text, median of 3 runs.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import SHARED, unpack  # noqa: E402
from searchapp.config import Settings  # noqa: E402
from searchapp.ingest.decode import decode_bytes  # noqa: E402
from searchapp.ingest.html import parse_html, read_html  # noqa: E402
from searchapp.ingest.html_meta import read_meta  # noqa: E402
from searchapp.ingest.html_text import dom_blocks, trafilatura_blocks  # noqa: E402
from searchapp.models import SourceConfig  # noqa: E402

FIXTURES = SHARED / "html-fixtures"
_WS = re.compile(r"\s+")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def norm(text: str) -> str:
    """Collapse whitespace the way trafilatura's evaluation does."""
    return _WS.sub(" ", text).strip()


def decode(data: bytes) -> str:
    """Decode a fixture page the way ingest does; undecodable bytes become U+FFFD."""
    try:
        return decode_bytes(data, html=True)[0]
    except Exception:
        return data.decode("utf-8", "replace")


def load_pages(archive: Path, name: str, labels: list[str], dirs: tuple[str, ...],
               limit: int | None) -> list[tuple[str, bytes, dict]]:
    """Return (url, raw bytes, label item) for every labelled page of one evaluation set."""
    root = unpack(archive, name) / "tests"
    out = []
    for label_file in labels:
        for url, item in json.loads((root / label_file).read_text(encoding="utf-8")).items():
            path = next((root / d / item["file"] for d in dirs if (root / d / item["file"]).is_file()), None)
            if path is not None:
                out.append((url, path.read_bytes(), item))
    return out[:limit] if limit else out


class Matrix:
    """Confusion counts of trafilatura's evaluation."""

    def __init__(self) -> None:
        self.tp = self.fp = self.fn = self.tn = 0

    def add(self, item: dict, result: str) -> None:
        res = norm(result)
        tp = sum(1 for w in item["with"] if norm(w) in res)
        fp = sum(1 for w in item["without"] if norm(w) in res)
        self.tp, self.fn = self.tp + tp, self.fn + len(item["with"]) - tp
        self.fp, self.tn = self.fp + fp, self.tn + len(item["without"]) - fp

    def line(self, name: str, seconds: float, pages: int) -> str:
        p = self.tp / max(1, self.tp + self.fp)
        r = self.tp / max(1, self.tp + self.fn)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return f"  {name:<28} precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}  ({pages / seconds:.0f} pages/s)"


def _ours(text: str, settings: Settings) -> str:
    return "\n".join(b for d in read_html(text, settings) for b in d.blocks)


def _variant(kind: str) -> Callable[[str, Settings], str]:
    """Extractors to compare with read_html: our DOM walk alone, trafilatura modes on our tree."""
    def run(text: str, settings: Settings) -> str:
        root = parse_html(text, settings)
        if root is None:
            return ""
        if kind == "dom":
            return "\n".join(dom_blocks(root))
        url = read_meta(root).url
        blocks = trafilatura_blocks(root, url, fast=kind != "fallback", precision=kind == "precision",
                                    recall=kind == "recall")
        return "\n".join(blocks or [])
    return run


def main_text(pages: list, settings: Settings, variants: bool, quiet: bool) -> None:
    import trafilatura

    runners: dict[str, Callable[[str, Settings], str]] = {"read_html": _ours}
    if variants:
        for kind in ("dom", "fast", "fallback", "precision", "recall"):
            runners[f"{kind} on our tree"] = _variant(kind)
    texts = [decode(b) for _, b, _ in pages]
    print(f"main text: trafilatura-eval, {len(pages)} pages")
    for name, fn in runners.items():
        m, start = Matrix(), time.perf_counter()
        for text, (_, _, item) in zip(texts, pages):
            m.add(item, fn(text, settings))
        print(m.line(name, time.perf_counter() - start, len(pages)))
    # The reference row: trafilatura as its own evaluation runs it (bytes in, fallback mode).
    m, start = Matrix(), time.perf_counter()
    for _, data, item in pages:
        m.add(item, trafilatura.extract(data, fast=False, include_comments=False, include_tables=True,
                                        include_formatting=False) or "")
    print(m.line(f"trafilatura {trafilatura.__version__} (ref)", time.perf_counter() - start, len(pages)))


def to_day(raw: str | None) -> str | None:
    """Turn date_raw into YYYY-MM-DD with searchapp.ingest.dates.parse_date (ISO fallback)."""
    if not raw:
        return None
    try:
        from searchapp.ingest.dates import parse_date
        found = parse_date(raw, order="YMD" if _ISO.match(raw.strip()) else "DMY")
        if found is not None:
            value = found.value
            return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    except ImportError:
        pass
    m = _ISO.search(raw)
    return "-".join(m.groups()) if m else None


def dates(pages: list, settings: Settings, quiet: bool) -> None:
    from htmldate import find_date

    ok = found = 0
    by_prov: dict[str, list[int]] = {}
    start = time.perf_counter()
    for url, data, item in pages:
        drafts = read_html(decode(data), settings)
        d = drafts[0] if drafts else None
        day = to_day(d.date_raw) if d else None
        prov = (d.date_provenance if d else None) or "none"
        stats = by_prov.setdefault(prov, [0, 0])
        stats[0] += 1
        found += day is not None
        hit = day == item["date"]
        ok += hit
        stats[1] += hit
        if not quiet and not hit and d and d.date_raw:
            print(f"    miss {item['file']}: {d.date_raw!r} via {prov}, label {item['date']}")
    secs = time.perf_counter() - start
    print(f"dates: htmldate-eval, {len(pages)} pages")
    print(f"  read_html date_raw -> parse_date  accuracy {ok / len(pages):.3f}  "
          f"(found {found}, {len(pages) / secs:.0f} pages/s)")
    for prov, (n, hits) in sorted(by_prov.items(), key=lambda kv: -kv[1][0]):
        print(f"    {prov:<36} {n:4d} pages, {hits / n:.3f} right")
    ok, start = 0, time.perf_counter()
    for url, data, item in pages:
        try:
            ok += find_date(data, original_date=True, extensive_search=True) == item["date"]
        except Exception:
            pass
    secs = time.perf_counter() - start
    print(f"  htmldate find_date (ref)          accuracy {ok / len(pages):.3f}  ({len(pages) / secs:.0f} pages/s)")


def speed(pages: list, settings: Settings) -> None:
    texts = [decode(b) for _, b, _ in pages]
    source = SourceConfig(name="bench", display_name="Bench")
    try:
        from searchapp.ingest.pipeline import ingest_text
    except ImportError:
        ingest_text = None
    runs: dict[str, Callable[[str, int], object]] = {"read_html": lambda t, i: read_html(t, settings)}
    if ingest_text is not None:
        runs["pipeline.ingest_text"] = lambda t, i: ingest_text(t, fmt="html", source=source,
                                                                rel_path=f"p{i}.html", settings=settings)
    print(f"speed: {len(texts)} pages, median of 3 runs (CPU-time rate too: the machine is shared)")
    for fn in runs.values():   # pay one-time costs (lazy imports, dateparser's locale tables) first
        for i, text in enumerate(texts[:20]):
            fn(text, i)
    for name, fn in runs.items():
        wall, cpu = [], []
        for _ in range(3):
            start, cstart = time.perf_counter(), time.process_time()
            for i, text in enumerate(texts):
                fn(text, i)
            wall.append(len(texts) / (time.perf_counter() - start))
            cpu.append(len(texts) / max(1e-9, time.process_time() - cstart))
        print(f"  {name:<22} {statistics.median(wall):6.1f} pages/s wall, {statistics.median(cpu):6.1f} pages/s CPU"
              f"  (wall runs: {', '.join(f'{r:.0f}' for r in wall)})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of this process: {peak:.0f} MB (pages held in memory included)")


def whole_ingest(pages: list, settings: Settings) -> None:
    """Pages/s through the real pipeline on a corpus folder: read, decode, extract, on every core."""
    import tempfile

    from searchapp.ingest.pipeline import ingest_corpus

    with tempfile.TemporaryDirectory(prefix="html-ingest-") as tmp:
        src = Path(tmp) / "pages"
        src.mkdir()
        for i, (_, data, _) in enumerate(pages):
            (src / f"{i:05d}.html").write_bytes(data)
        run = settings.replace(corpus_dir=Path(tmp))
        rates = []
        for _ in range(2):
            start = time.perf_counter()
            outcomes = [o for o, _ in ingest_corpus(run, progress=False)]
            rates.append(len(outcomes) / (time.perf_counter() - start))
    done = sum(o.outcome == "indexed" for o in outcomes)
    print(f"whole ingest (ingest_corpus, {settings.ingest_workers} worker processes): {len(outcomes)} pages, "
          f"{done} with articles; median {statistics.median(rates):.1f} pages/s wall "
          f"(runs: {', '.join(f'{r:.1f}' for r in rates)}); target >= 40")


def main(argv: list[str] | None = None) -> None:
    """Run the three measurements and print their figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages of each set")
    ap.add_argument("--quiet", action="store_true", help="figures only, no per-page misses")
    ap.add_argument("--variants", action="store_true", help="also score the alternative extractors")
    args = ap.parse_args(argv)
    settings = Settings()
    traf = load_pages(FIXTURES / "trafilatura-eval" / "trafilatura-eval.tar.xz", "trafilatura-eval",
                      ["evaldata.json"], ("cache", "eval"), args.limit)
    main_text(traf, settings, args.variants, args.quiet)
    hd = load_pages(FIXTURES / "htmldate-eval" / "htmldate-eval.tar.xz", "htmldate-eval",
                    ["eval_default.json", "eval_mediacloud_2020.json"], ("eval", "cache", "test_set"), args.limit)
    dates(hd, settings, args.quiet)
    speed(traf, settings)
    whole_ingest(traf, settings)


if __name__ == "__main__":
    main()
