"""Score dump titles on train+dev by halves of sites: one half to write title rules on, one to check them.

    .venv/bin/python bench/dump_titles.py [--errors A|B]

The train split's pages carry title labels that were never used to tune titles (the line model
learnt body labels from them), so train+dev is a larger development view than dev alone. Collection5
transplants are left out (their <title> and headline name the page's original article, not the
label). Sites go to half A or B by a hash of their name: write rules looking at the errors of A
only (`--errors A` lists them with the dump's first lines); B says whether they generalise. `--errors train` lists the train split's errors of both halves,
keeping the whole dev split unseen. A
page is right as in bench/dumps.py (token F1 >= 0.8 with the label or its <h1>/og:title form).
Label noise, counted apart: a label several distinct pages of a site share, or one no line of
the dump states (the site's own title, or metadata the page never shows).
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dumps import load_split, ours, prf, tokens  # noqa: E402


def half(site: str) -> str:
    return "A" if hashlib.md5(site.encode()).digest()[0] % 2 == 0 else "B"


def _stated(forms: list[str], lines: list[str]) -> bool:
    keys = [" ".join(tokens(g)) for g in forms]
    return any(k and (k in " ".join(tokens(line)) or prf(tokens(line), k.split())[2] >= 0.8)
               for line in lines for k in keys)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--errors", choices=["A", "B", "train"],
                    help="list the wrong titles of this half, or of the train split of both halves (dev kept unseen)")
    args = ap.parse_args(argv)
    pages = [dict(p, split=split) for split in ("train", "dev") for p in load_split(split)
             if p.get("title") and p["corpus"] != "collection5"]
    shared: dict[tuple[str, str], set[str]] = {}
    for p in pages:
        shared.setdefault((p["site"], " ".join(tokens(p["title"]))), set()).add(p.get("url") or p["id"].split("#")[0])
    stats: Counter = Counter()
    for p in pages:
        h = half(p["site"])
        forms = [p["title"]] + p.get("title_forms", [])
        title = ours(p)[1]
        ok = any(prf(tokens(title), tokens(g))[2] >= 0.8 for g in forms)
        noise = len(shared[(p["site"], " ".join(tokens(p["title"])))]) > 1 or not _stated(forms, p["lines"])
        stats[h, "n"] += 1
        stats[h, "ok"] += ok
        stats[h, p["split"], "n"] += 1
        stats[h, p["split"], "ok"] += ok
        stats[h, "noise"] += noise
        stats[h, "noise ok"] += ok and noise
        stats[p["split"], "n"] += 1
        stats[p["split"], "ok"] += ok
        if not ok and args.errors in (h, p["split"]):
            print(f"--- {p['id']} [{p['corpus']}/{p['split']}] site={p['site']}{' (label noise)' if noise else ''}")
            print(f"  ours : {title[:140]!r}")
            print(f"  label: {p['title'][:140]!r}  forms={[f[:70] for f in p.get('title_forms', [])]}")
            print(f"  first lines: {[line[:70] for line in p['lines'][:8]]}")
    for h in "AB":
        n, ok, nn, nok = stats[h, "n"], stats[h, "ok"], stats[h, "noise"], stats[h, "noise ok"]
        print(f"half {h}: {ok}/{n} = {ok / max(1, n):.1%} (train {stats[h, 'train', 'ok']}/{stats[h, 'train', 'n']}, "
              f"dev {stats[h, 'dev', 'ok']}/{stats[h, 'dev', 'n']}); noisy labels {nn} ({nok} matched); without them "
              f"{ok - nok}/{n - nn} = {(ok - nok) / max(1, n - nn):.1%}")
    for split in ("train", "dev"):
        n, ok = stats[split, "n"], stats[split, "ok"]
        print(f"split {split}: {ok}/{n} = {ok / max(1, n):.1%}")


if __name__ == "__main__":
    main()
