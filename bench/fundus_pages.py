"""Write fundus's half-A pages as dumpset pages, for tools/train_linemodel.py --add fundus-a.

    .venv/bin/python bench/fundus_pages.py /tmp/fundus     # -> CACHE/dumpset/fundus-a.jsonl

Each page of bench/external_dumps.py's fundus set whose publisher hashes to half A (site_half) is
rendered to a dump exactly as bench/external_dumps.py renders it for scoring (decode_bytes, then
bench/dumpset.py's render_dump), with the publisher parser's body (summary, section headlines,
paragraphs: gold, written by people) as the reference and its lines labelled as bench/dumpset.py
labels its own (label_lines). The site is the publisher, so the training folds keep a publisher's
pages together. Half B is never written: it stays a set measured whole. A page whose registered
domain is one of the dumpset's dev or test sites is left out too, so training on these pages
cannot leak into the splits the model is judged on, and so is a page whose dump does not hold its
body (its labelled lines' token F1 against the body under 0.5: a page that builds its article with
JavaScript leaves one line, which would teach that everything is chrome).
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import CACHE  # noqa: E402
from bench.dumps import prf  # noqa: E402
from bench.dumpset import label_lines, render_dump, site_of, split_of, title_forms, tokens  # noqa: E402
from bench.external_dumps import dumpset_sites, fundus_labels, site_half  # noqa: E402
from searchapp.ingest.decode import decode_bytes  # noqa: E402

OUT = CACHE / "dumpset" / "fundus-a.jsonl"


def page_url(root: Path, fixture: str) -> str | None:
    meta = json.loads((root / fixture).with_name("meta.info").read_text(encoding="utf-8"))
    return meta.get(Path(fixture).name, {}).get("url") or None


def half_a_pages(root: Path) -> tuple[list[dict], list[str]]:
    """Return half A's pages as dumpset records, and the fixtures left out (with why)."""
    known = dumpset_sites() or set()
    pages, dropped = [], []
    for label in fundus_labels(root):
        if site_half(label["site"]) != "A":
            continue
        url = page_url(root, label["fixture"])
        domain = site_of(url, "")
        if domain and domain in known and split_of(domain) != "train":
            dropped.append(f"{label['fixture']}: {domain} is a dumpset {split_of(domain)} site")
            continue
        if len(tokens(label["body"])) < 20:
            dropped.append(f"{label['fixture']}: body under 20 tokens")
            continue
        html, _ = decode_bytes(gzip.open(root / label["fixture"]).read(), html=True)
        lines = render_dump(html)
        if not lines:
            dropped.append(f"{label['fixture']}: empty dump")
            continue
        labels = label_lines(lines, label["body"])
        held = [t for line, k in zip(lines, labels) if k for t in tokens(line)]
        if prf(held, tokens(label["body"]))[2] < 0.5:
            dropped.append(f"{label['fixture']}: the dump does not hold the body ({len(lines)} lines)")
            continue
        pages.append({
            "id": f"fundus/{label['fixture'].rsplit('/', 2)[-2]}/{Path(label['fixture']).name}#{label['version']}",
            "corpus": "fundus", "site": label["site"], "url": url, "title": label["title"],
            "title_forms": title_forms(html, label["title"]), "ref": label["body"], "lines": lines,
            "labels": labels, "gold": True, "mixed": False,
        })
    return pages, dropped


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("fundus", type=Path, help="checkout of flairNLP/fundus")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    pages, dropped = half_a_pages(args.fundus)
    assert all(site_half(p["site"]) == "A" for p in pages)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages), encoding="utf-8")
    print(f"wrote {args.out}: {len(pages)} pages of {len({p['site'] for p in pages})} publishers, "
          f"{sum(len(p['lines']) for p in pages):,} lines ({sum(map(sum, (p['labels'] for p in pages))):,} content)")
    for why in dropped:
        print("left out:", why)


if __name__ == "__main__":
    main()
