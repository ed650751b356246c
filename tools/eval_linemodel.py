"""Score line models (.npz files) on dev and dev-extra, alone and through the whole dump ingest.

    .venv/bin/python tools/eval_linemodel.py searchapp/data/linemodel.npz /tmp/lm.npz [--splits dev dev-extra]

For each model and split: body token F1 (mean over pages, bench/dumps.py's prf) of the lines the
model keeps (expected-F1 decoder) and of the body the whole ingest gives (ingest_text of the dump,
as bench/dumps.py's "searchapp" row). Dev holds Collection5 transplants: 60 pages in 3 host pages,
so beside the plain mean come "hosts once" (each host's transplants averaged into one page) and
"no transplants". Pairs of models get the per-page differences' mean and its standard error.
The test split is never read here.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import CACHE  # noqa: E402
from bench.dumps import dump_text, prf, tokens  # noqa: E402
from searchapp.ingest import clean, linemodel as lm  # noqa: E402


def load(split: str) -> list[dict]:
    if split == "test":
        raise SystemExit("the test split is held out")
    path = CACHE / "dumpset" / f"{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def page_scores(model: lm.LineModel, pages: list[dict], *, ingest: bool) -> dict[str, list[float]]:
    """Return {"model": F1 per page, "ingest": F1 per page (when asked)}."""
    out: dict[str, list[float]] = {"model": [], "ingest": []}
    if ingest:
        from bench.dumps import ours

        lm.load_model.cache_clear()
        saved = lm.load_model
        lm.load_model = lambda: model  # type: ignore[assignment]
    try:
        for p in pages:
            script = clean.dominant_script(p["lines"])
            verdicts = [clean.line_verdict(l, script) for l in p["lines"]]
            prob = model.probabilities(p["lines"], verdicts)
            keep = lm.expected_f1_keep(prob, model.token_weights(p["lines"]))
            kept = [t for line, k in zip(p["lines"], keep) if k for t in tokens(line)]
            ref = tokens(p["ref"])
            out["model"].append(prf(kept, ref)[2])
            if ingest:
                out["ingest"].append(prf(tokens(ours(p)[0]), ref)[2])
    finally:
        if ingest:
            lm.load_model = saved  # type: ignore[assignment]
    return out


def views(pages: list[dict], f1: list[float]) -> dict[str, float]:
    """Return the plain mean, the mean with each transplant host counted once, and without transplants."""
    plain = [f for f, p in zip(f1, pages) if not p.get("transplant")]
    hosts: dict[str, list[float]] = {}
    for f, p in zip(f1, pages):
        if p.get("transplant"):
            hosts.setdefault(p["id"].split("@", 1)[1], []).append(f)
    once = plain + [statistics.mean(v) for v in hosts.values()]
    return {"all": statistics.mean(f1), "hosts once": statistics.mean(once),
            "no transplants": statistics.mean(plain) if plain else float("nan")}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("models", nargs="+", type=Path)
    ap.add_argument("--splits", nargs="+", default=["dev", "dev-extra"])
    ap.add_argument("--no-ingest", action="store_true", help="model figures only")
    ap.add_argument("--save", type=Path, help="write the per-page figures as JSON")
    args = ap.parse_args(argv)
    data = {s: load(s) for s in args.splits}
    res: dict[str, dict[str, dict[str, list[float]]]] = {}
    for path in args.models:
        model = lm.LineModel(path)
        res[str(path)] = {s: page_scores(model, pages, ingest=not args.no_ingest) for s, pages in data.items()}
    kinds = ["model"] + ([] if args.no_ingest else ["ingest"])
    print("| model | split | kind | all | hosts once | no transplants |")
    print("|---|---|---|---|---|---|")
    for path, by_split in res.items():
        for s, pages in data.items():
            for kind in kinds:
                v = views(pages, by_split[s][kind])
                print(f"| {Path(path).name} | {s} | {kind} | {v['all']:.4f} | {v['hosts once']:.4f} | {v['no transplants']:.4f} |")
    first = str(args.models[0])
    for path in list(res)[1:]:
        for s, pages in data.items():
            for kind in kinds:
                d = np.array(res[path][s][kind]) - np.array(res[first][s][kind])
                se = d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else 0.0
                print(f"{Path(path).name} - {Path(first).name}, {s} {kind}: {d.mean():+.4f} (se {se:.4f}); "
                      f"pages better {int((d > 1e-9).sum())}, worse {int((d < -1e-9).sum())}")
    if args.save:
        args.save.write_text(json.dumps({path: {s: {k: v for k, v in r.items()} | {"ids": [p["id"] for p in data[s]]}
                                                for s, r in by_split.items()} for path, by_split in res.items()}),
                             encoding="utf-8")


if __name__ == "__main__":
    main()
