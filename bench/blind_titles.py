"""Judge dump titles blind: is the title the article's headline, not chrome? (issue 8's own words)

    .venv/bin/python bench/blind_titles.py prepare OUT [--fundus DIR] [--mercury DIR] [--benchmark DIR]
    (one or more readers write OUT/verdicts*.jsonl from OUT/items*.jsonl, never opening OUT/key/)
    .venv/bin/python bench/blind_titles.py score OUT

The title benches count a title right when it matches a label (token F1 >= 0.8), and labels choose
between a page's search-engine title and its visible headline, or name a section (bench/dump_titles.py
counts such label noise apart). The criterion is whether the title is the article's headline,
not chrome; only a reader can say that. `prepare` writes, for the sets nobody writes title rules
on (the dumpset's held-out split `test` and never-read `dev-extra`; with their checkouts, fundus's
half B, Postlight Parser's half B and Zyte's benchmark), every title the label judge calls wrong and
a random sample of those it calls right (ours), and beside each wrong one the label (for Zyte,
which has no title label: the first headline the page's markup states), with the dump's first
lines and the lines around each string. Items are grouped by page, the strings of a page in
random order, every id opaque; which string is ours and which set a page is from are only in
OUT/key/key.json. Readers judge each string H (a full headline of the main article: visible,
search-engine or with its kicker), P (partial), X (chrome, another story, a body sentence) or
? (no single article).

`score` reads the verdicts and prints, per set, the share of pages whose title is the headline:
the label judge's right titles less the sampled share of them read as not H, plus the wrong ones
read as H; beside it how the labels of the misses were read (a label read as X is label noise).
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dump_titles import _right  # noqa: E402   (the title benches' judge: token F1 >= 0.8 with a form)
from bench.dumps import load_split, ours, prf, tokens  # noqa: E402

SAMPLE = {"held-out": 30, "dev-extra": 20, "fundus-B": 20, "parser-B": 20, "zyte": 20}
_WINDOW = 7   # lines shown each side of a string's line


def _pages(fundus: Path | None, mercury: Path | None, benchmark: Path | None) -> list[dict]:
    """Return each judged page: set, page key, dump lines, our title, the control string, right by label."""
    from bench.dumpset import render_dump
    from bench.external_dumps import (_fundus_row, _mercury_row, decode_bytes, fundus_labels,
                                      mercury_labels, site_half, stated_headlines)

    pages = []
    for split, name in (("test", "held-out"), ("dev-extra", "dev-extra")):
        for p in load_split(split):
            if p.get("title") and p["corpus"] != "collection5":
                t = ours(p)[1]
                pages.append({"set": name, "key": p["id"], "lines": p["lines"], "ours": t, "control": p["title"],
                              "right": _right(t, [p["title"]] + p.get("title_forms", []))})
    if fundus:
        for label in fundus_labels(fundus):
            if site_half(label["site"]) == "B":
                r = _fundus_row(fundus, label, None)
                pages.append({"set": "fundus-B", "key": f"{label['fixture']}#{label['version']}", "lines": r["lines"],
                              "ours": r["article"].title if r["article"] else "", "control": label["title"],
                              "right": r["title"]})
    if mercury:
        for label in mercury_labels(mercury):
            if "title" in label and site_half(label["site"]) == "B":
                r = _mercury_row(mercury, label, None)
                pages.append({"set": "parser-B", "key": label["fixture"], "lines": r["lines"],
                              "ours": r["article"].title if r["article"] else "", "control": label["title"],
                              "right": r["title"]})
    if benchmark:
        truth = json.loads((benchmark / "ground-truth.json").read_text(encoding="utf-8"))
        for key in sorted(truth):
            html, _ = decode_bytes(gzip.open(benchmark / "html" / f"{key}.html.gz").read(), html=True)
            page = {"lines": render_dump(html)}
            marked, forms = stated_headlines(html)
            if forms:
                t = ours(page)[1]
                pages.append({"set": "zyte", "key": key, "lines": page["lines"], "ours": t,
                              "control": (marked or forms)[0], "right": _right(t, forms)})
    return pages


def _line_of(lines: list[str], text: str) -> int | None:
    want = tokens(text)
    if not want:
        return None
    best = max(((prf(tokens(line), want)[2], -k) for k, line in enumerate(lines[:1500])), default=(0.0, 0))
    return -best[1] if best[0] >= 0.5 else None


def _context(lines: list[str], strings: list[str]) -> list[str]:
    show = set(range(min(3, len(lines))))
    for s in strings:
        if (at := _line_of(lines, s)) is not None:
            show |= set(range(max(0, at - _WINDOW), min(len(lines), at + _WINDOW)))
    out, prev = [], -1
    for k in sorted(show):
        if k != prev + 1:
            out.append("   ...")
        out.append(f"{k:5d} {lines[k][:160]}")
        prev = k
    return out


def prepare(out: Path, pages: list[dict], readers: int = 2, seed: int = 19, every_right: bool = False) -> dict:
    """Write OUT/items<k>.jsonl (pages for reader k) and OUT/key/key.json; return the per-set counts.

    With `every_right` every right title is read, not a sample: the figure is then a count, not an
    estimate (a sample of 20 right titles with 2 read as chrome moves a set's figure by 10 points).
    """
    rng = random.Random(seed)
    ids = iter(rng.sample(range(10**5, 10**6), 4 * len(pages) + 10))
    key: dict[str, dict] = {}
    summary: dict[str, dict] = {}
    rows = []
    for name, n_sample in SAMPLE.items():
        mine = [p for p in pages if p["set"] == name]
        rights = [p for p in mine if p["right"]]
        misses = [p for p in mine if not p["right"]]
        sample = rights if every_right else rng.sample(rights, min(n_sample, len(rights)))
        summary[name] = {"pages": len(mine), "right": len(rights), "misses": len(misses), "sampled": len(sample)}
        for p, kind in [(p, "miss") for p in misses] + [(p, "sample") for p in sample]:
            strings = [("ours", p["ours"])] + ([("control", p["control"])] if kind == "miss" else [])
            rng.shuffle(strings)
            candidates = []
            for role, text in strings:
                item = f"c{next(ids)}"
                key[item] = {"set": name, "page": p["key"], "kind": kind, "role": role}
                candidates.append({"item": item, "candidate": text or "(no title)"})
            rows.append({"page": f"p{next(ids)}", "n_lines": len(p["lines"]),
                         "context": _context(p["lines"], [s for _, s in strings]), "candidates": candidates})
    rng.shuffle(rows)
    (out / "key").mkdir(parents=True, exist_ok=True)
    for k in range(readers):
        with open(out / f"items{k + 1}.jsonl", "w", encoding="utf-8") as fh:
            for row in rows[k::readers]:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    (out / "key" / "key.json").write_text(json.dumps({"key": key, "summary": summary}, ensure_ascii=False),
                                          encoding="utf-8")
    return summary


def score(out: Path) -> list[str]:
    """Return the printed lines: per set, the share of titles that are the article's headline."""
    data = json.loads((out / "key" / "key.json").read_text(encoding="utf-8"))
    key, summary = data["key"], data["summary"]
    verdicts: dict[str, str] = {}
    for path in sorted(out.glob("verdicts*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                verdicts[row["item"]] = row["verdict"].strip().upper()[:1]
    missing = [item for item in key if item not in verdicts]
    lines = [f"verdicts for {len(key) - len(missing)} of {len(key)} strings"]
    for name, s in summary.items():
        got = {(v["kind"], v["role"]): [] for v in key.values()}
        for item, v in key.items():
            if v["set"] == name and item in verdicts:
                got.setdefault((v["kind"], v["role"]), []).append(verdicts[item])
        sample, ours_miss, label_miss = got.get(("sample", "ours"), []), got.get(("miss", "ours"), []), \
            got.get(("miss", "control"), [])
        if not s["pages"]:
            continue
        bad_share = sum(v != "H" for v in sample) / max(1, len(sample))
        headline = s["right"] * (1 - bad_share) + sum(v == "H" for v in ours_miss)
        count = lambda vs: " ".join(f"{c} {vs.count(c)}" for c in "HPX?" if vs.count(c))  # noqa: E731
        lines.append(
            f"{name}: {s['pages']} pages, {s['right']} right by the label judge; read blind: the headline on "
            f"{headline:.0f} = {headline / s['pages']:.1%} (sampled right titles {len(sample)}: {count(sample)}; "
            f"wrong titles {len(ours_miss)}: {count(ours_miss)}; their labels: {count(label_miss)})")
    return lines


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("step", choices=["prepare", "score"])
    ap.add_argument("out", type=Path)
    ap.add_argument("--fundus", type=Path, help="checkout of flairNLP/fundus (tests/resources/parser/test_data/)")
    ap.add_argument("--mercury", type=Path, help="checkout of postlight/parser")
    ap.add_argument("--benchmark", type=Path, help="checkout of scrapinghub/article-extraction-benchmark")
    ap.add_argument("--readers", type=int, default=2, help="item files to write, one per reader")
    ap.add_argument("--every-right", action="store_true", help="read every right title, not a sample")
    args = ap.parse_args(argv)
    if args.step == "prepare":
        print(json.dumps(prepare(args.out, _pages(args.fundus, args.mercury, args.benchmark), args.readers,
                                 every_right=args.every_right)))
    else:
        print("\n".join(score(args.out)))


if __name__ == "__main__":
    main()
