"""Compare line models (.npz files) through the whole dump ingest on the outside sets, page for page.

    .venv/bin/python tools/compare_linemodels.py searchapp/data/linemodel.npz /tmp/lm.npz \
        --fundus /tmp/fundus --benchmark /tmp/ext

The sets and judges are bench/external_dumps.py's: fundus (body token F1 against the publisher
parser's body; the title right at token F1 >= 0.8 with the label) by halves, and Zyte's article
extraction benchmark (body F1 against its articleBody; the title right when it matches a headline
the page states, og:title/twitter:title/<h1> or the <title> less its site part). Each page is
rendered once and ingested with each model in place of the shipped one (as tools/eval_linemodel.py
does). Printed per set: each model's mean body F1 and titles right, and against the first model the
mean per-page difference, its standard error and how many pages got better or worse. Only these
whole-set figures are printed (fundus's half B is only ever measured whole); Zyte's pages whose host
is one of fundus half A's are counted apart, since a model trained on half A has seen those outlets.
"""
from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dumps import _SOURCE, prf, tokens  # noqa: E402
from bench.dumpset import render_dump  # noqa: E402
from bench.external_dumps import _host, fundus_labels, site_half, stated_headlines  # noqa: E402
from searchapp.ingest import linemodel as lm  # noqa: E402
from searchapp.ingest.decode import decode_bytes  # noqa: E402
from searchapp.ingest.pipeline import ingest_text  # noqa: E402


def fundus_pages(root: Path) -> list[dict]:
    pages = []
    for label in fundus_labels(root):
        html, _ = decode_bytes(gzip.open(root / label["fixture"]).read(), html=True)
        meta = json.loads((root / label["fixture"]).with_name("meta.info").read_text(encoding="utf-8"))
        url = meta.get(Path(label["fixture"]).name, {}).get("url") or ""
        pages.append({"set": f"fundus half {site_half(label['site'])}", "lines": render_dump(html),
                      "ref": tokens(label["body"]), "titles": [label["title"]], "host": _host(url)})
    return pages


def zyte_pages(root: Path, seen_hosts: set[str]) -> list[dict]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key, item in sorted(truth.items()):
        html, _ = decode_bytes(gzip.open(root / "html" / f"{key}.html.gz").read(), html=True)
        host = _host(item.get("url") or "")
        pages.append({"set": "Zyte, an outlet of fundus half A" if host in seen_hosts else "Zyte, other sites",
                      "lines": render_dump(html), "ref": tokens(item["articleBody"]),
                      "titles": stated_headlines(html)[1], "host": host})
    return pages


def judge(page: dict) -> tuple[float, bool | None]:
    """Return (body F1, title right) of the ingest of the page's dump with the model in place."""
    articles = ingest_text("\n\n".join(page["lines"]), fmt="txt", source=_SOURCE, rel_path="page.txt")
    body = "\n".join(b for a in articles for b in a.body)
    title = articles[0].title if articles else ""
    right = any(prf(tokens(title), tokens(t))[2] >= 0.8 for t in page["titles"]) if page["titles"] else None
    return prf(tokens(body), page["ref"])[2], right


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("models", nargs="+", type=Path)
    ap.add_argument("--fundus", type=Path, help="checkout of flairNLP/fundus")
    ap.add_argument("--benchmark", type=Path, help="checkout of scrapinghub/article-extraction-benchmark")
    args = ap.parse_args(argv)
    pages = fundus_pages(args.fundus) if args.fundus else []
    if args.benchmark:
        seen = {p["host"] for p in pages if p["set"] == "fundus half A" and p["host"]}
        pages += zyte_pages(args.benchmark, seen)
    saved = lm.load_model
    scores: dict[str, list[tuple[float, bool | None]]] = {}
    try:
        for path in args.models:
            model = lm.LineModel(path)
            lm.load_model = lambda: model  # type: ignore[assignment]
            scores[str(path)] = [judge(p) for p in pages]
    finally:
        lm.load_model = saved  # type: ignore[assignment]
    sets = sorted({p["set"] for p in pages})
    if args.benchmark:
        sets.append("Zyte, all")
    first = str(args.models[0])
    print("| set | pages | model | body F1 | titles right | F1 - first (se) | better / worse |")
    print("|---|---|---|---|---|---|---|")
    for name in sets:
        idx = [i for i, p in enumerate(pages) if p["set"] == name or (name == "Zyte, all" and p["set"].startswith("Zyte"))]
        for path, got in scores.items():
            f1 = np.array([got[i][0] for i in idx])
            titled = [got[i][1] for i in idx if got[i][1] is not None]
            d = f1 - np.array([scores[first][i][0] for i in idx])
            se = d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else 0.0
            diff = "" if path == first else f"{d.mean():+.4f} ({se:.4f})"
            counts = "" if path == first else f"{int((d > 1e-9).sum())} / {int((d < -1e-9).sum())}"
            print(f"| {name} | {len(idx)} | {Path(path).name} | {statistics.mean(f1):.4f} | "
                  f"{sum(titled)}/{len(titled)} | {diff} | {counts} |")


if __name__ == "__main__":
    main()
