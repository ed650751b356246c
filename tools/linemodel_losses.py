"""Classify the loss of the line model's out-of-fold pages on train (counts only, no page text).

    .venv/bin/python tools/train_linemodel.py --cv --save-preds TAG --no-write
    .venv/bin/python tools/linemodel_losses.py TAG [--splits train train-extra] [--below 0.6]

Each page's kept lines (expected-F1 decoder over the out-of-fold stage-2 probabilities, p2cv) are
compared with its line labels, token-weighted: the wrongly kept tokens before the first labelled
line, inside the labelled span and after the last one (the tail: comments, teasers, an author
box), and the labelled tokens left out. A page's class, first match wins: short reference (under
80 tokens), reference not in the dump's lines (labels cover under half of it), wrong block (a
quarter or less of the labelled tokens kept), listing (labelled lines in 5+ runs apart), then by
its larger loss: tail after the article, head chrome, chrome inside the article, cut article.
Dev and test are never read here.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import CACHE  # noqa: E402
from bench.dumps import prf, tokens  # noqa: E402
from searchapp.ingest import linemodel as lm  # noqa: E402


def page_loss(p: dict, prob: np.ndarray) -> dict:
    keep = lm.expected_f1_keep(prob, lm.token_weights(p["lines"]))
    lab = np.asarray(p["labels"], bool)
    ref = tokens(p["ref"])
    kept = [t for line, k in zip(p["lines"], keep) if k for t in tokens(line)]
    f1 = prf(kept, ref)[2]
    ntok = np.array([len(tokens(x)) for x in p["lines"]])
    fp, fn, tp = ntok * (keep & ~lab), ntok * (~keep & lab), ntok * (keep & lab)
    at = np.flatnonzero(lab)
    first, last = (int(at[0]), int(at[-1])) if len(at) else (len(lab), -1)
    runs, gap = 0, 99
    for i in range(len(lab)):
        if lab[i]:
            runs += gap >= 3
            gap = 0
        elif ntok[i]:
            gap += 1
    return {"f1": f1, "ref": len(ref), "lab": int((ntok * lab).sum()), "tp": int(tp.sum()), "fp": int(fp.sum()),
            "fn": int(fn.sum()), "after": int(fp[last + 1:].sum()), "before": int(fp[:first].sum()), "runs": runs}


def loss_class(r: dict) -> str:
    if r["ref"] < 80:
        return "short reference (<80 tokens)"
    if r["lab"] < 0.5 * r["ref"]:
        return "reference not in the dump's lines"
    if r["tp"] < 0.25 * max(1, r["lab"]):
        return "wrong block / nothing kept"
    if r["runs"] >= 5:
        return "listing (labelled lines in 5+ runs)"
    if r["fp"] >= r["fn"]:
        if r["after"] >= 0.5 * r["fp"]:
            return "tail after the article"
        if r["before"] >= 0.5 * r["fp"]:
            return "head chrome before the article"
        return "chrome inside the article"
    return "cut article (recall)"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("tag", help="the --save-preds TAG of a train_linemodel.py --cv run")
    ap.add_argument("--splits", nargs="+", default=["train"], choices=["train", "train-extra"])
    ap.add_argument("--below", type=float, default=0.6, help="the F1 under which a page is listed as bad")
    args = ap.parse_args(argv)
    preds = json.loads((CACHE / "dumpset" / f"preds-{args.tag}.json").read_text(encoding="utf-8"))
    rows = []
    for split in args.splits:
        for line in (CACHE / "dumpset" / f"{split}.jsonl").read_text(encoding="utf-8").split("\n"):
            if line:
                p = json.loads(line)
                if "p2cv" in preds.get(p["id"], {}):
                    rows.append(page_loss(p, np.asarray(preds[p["id"]]["p2cv"])))
    bad = [r for r in rows if r["f1"] < args.below]
    total = sum(1 - r["f1"] for r in rows)
    print(f"{len(rows)} pages, mean F1 {np.mean([r['f1'] for r in rows]):.4f}; F1 < {args.below}: {len(bad)} pages, "
          f"{100 * sum(1 - r['f1'] for r in bad) / max(total, 1e-9):.1f}% of the loss (sum of 1 - F1)")
    for name, part in (("F1 < %s" % args.below, bad), ("all pages", rows)):
        count, loss = Counter(), defaultdict(float)
        for r in part:
            count[loss_class(r)] += 1
            loss[loss_class(r)] += 1 - r["f1"]
        print(f"{name}:")
        for k, v in count.most_common():
            print(f"  {k}: {v} pages, loss {loss[k]:.1f}")
    fp = max(1, sum(r["fp"] for r in rows))
    print("wrongly kept tokens: after the article %.0f%%, before it %.0f%%, inside it %.0f%%; labelled tokens left out "
          "%.2f of the wrongly kept" % (100 * sum(r["after"] for r in rows) / fp, 100 * sum(r["before"] for r in rows) / fp,
                                         100 * (fp - sum(r["after"] + r["before"] for r in rows)) / fp,
                                         sum(r["fn"] for r in rows) / fp))


if __name__ == "__main__":
    main()
