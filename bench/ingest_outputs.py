"""Snapshot what the ingest makes of the dump pages, and check a later tree makes exactly the same.

    .venv/bin/python bench/ingest_outputs.py snapshot OUT.json.gz [--pages DIR]
    .venv/bin/python bench/ingest_outputs.py check OUT.json.gz [--pages DIR] [--fields]

A speed change to the ingest must not change what any page yields. This ingests every page of the
dumpset's train, dev and test splits (bench/dumpset.py; `--pages` reads a frozen copy of its
.jsonl files, so a rebuilt dumpset does not break the comparison) and every flattened tgnews row
through ingest_text, plus the test split as a corpus folder through ingest_corpus with 2 workers
(template lines, outcomes and warnings included), and records every Article field. `check` exits
non-zero and names the first differences when anything differs from the snapshot; `--fields` lists
every difference instead, one line per changed field of an article (was -> now), then the count of
changed inputs by field, to read a change that should touch one field only (a co-author added).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import CACHE, SHARED  # noqa: E402
from searchapp.config import Settings  # noqa: E402
from searchapp.ingest.pipeline import ingest_corpus, ingest_text  # noqa: E402
from searchapp.models import SourceConfig  # noqa: E402

_SOURCE = SourceConfig(name="dumps", display_name="dumps")


def _pages(folder: Path, split: str) -> list[dict]:
    text = (folder / f"{split}.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.split("\n") if line]


def _one(text: str, rel: str) -> dict:
    warnings: list[str] = []
    articles = ingest_text(text, fmt="txt", source=_SOURCE, rel_path=rel, warnings=warnings)
    return {"articles": [a.to_json() for a in articles], "warnings": warnings}


def outputs(folder: Path) -> dict[str, object]:
    """Return every output of the ingest over the pages, keyed by where it came from."""
    out: dict[str, object] = {}
    for split in ("train", "dev", "test"):
        for k, page in enumerate(_pages(folder, split)):
            out[f"{split}/{k}"] = _one("\n\n".join(page["lines"]), f"{split}-{k}.txt")
    for name in ("ru_test.csv.gz", "en_test.csv.gz"):
        with gzip.open(SHARED / "ru-news" / "tgnews-contest-2020" / name, "rt", encoding="utf-8") as fh:
            csv.field_size_limit(1 << 30)
            for k, row in enumerate(csv.DictReader(fh, delimiter="\t")):
                out[f"tgnews/{name}/{k}"] = _one(row["text"], "row.txt")
    root = Path(tempfile.mkdtemp(prefix="ingest-outputs-"))
    try:
        for k, page in enumerate(_pages(folder, "test")):
            site = root / re.sub(r"[^\w.-]", "_", page["site"])
            site.mkdir(exist_ok=True)
            (site / f"{k}.txt").write_text("\n\n".join(page["lines"]), encoding="utf-8")
        for outcome, articles in ingest_corpus(Settings(corpus_dir=root, ingest_workers=2), progress=False):
            out[f"corpus/{outcome.path}"] = {"outcome": outcome.to_json(), "articles": [a.to_json() for a in articles]}
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return out


def _list_fields(differ: list[str], then: dict, now: dict) -> None:
    """Print each changed field of each differing input (was -> now), then the counts by field."""
    by_field: dict[str, int] = {}
    for key in differ:
        was, got = then.get(key) or {}, now.get(key) or {}
        changed: set[str] = set()
        a, b = was.get("articles", []), got.get("articles", [])
        if len(a) != len(b):
            changed.add("number of articles")
            print(f"{key}: articles {len(a)} -> {len(b)}")
        for k, (x, y) in enumerate(zip(a, b)):
            for name in sorted(x.keys() | y.keys()):
                if x.get(name) != y.get(name):
                    changed.add(name)
                    print(f"{key}#{k} {name}: {json.dumps(x.get(name), ensure_ascii=False)[:200]} -> "
                          f"{json.dumps(y.get(name), ensure_ascii=False)[:200]}")
        for name in sorted((was.keys() | got.keys()) - {"articles"}):
            if was.get(name) != got.get(name):
                changed.add(name)
                print(f"{key} {name} changed")
        for name in changed:
            by_field[name] = by_field.get(name, 0) + 1
    print(f"DIFFERENT: {len(differ)} of {len(then)} inputs; inputs by changed field: "
          + ", ".join(f"{n} {c}" for n, c in sorted(by_field.items())))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("action", choices=("snapshot", "check"))
    ap.add_argument("file", type=Path)
    ap.add_argument("--pages", type=Path, default=CACHE / "dumpset", help="folder of the dumpset's .jsonl files")
    ap.add_argument("--fields", action="store_true", help="with check: list every changed field, not the first inputs")
    args = ap.parse_args(argv)
    now = outputs(args.pages)
    if args.action == "snapshot":
        with gzip.open(args.file, "wt", encoding="utf-8") as fh:
            json.dump(now, fh, ensure_ascii=False, sort_keys=True)
        print(f"snapshot: {len(now)} inputs, {sum(len(v['articles']) for v in now.values())} articles -> {args.file}")
        return 0
    with gzip.open(args.file, "rt", encoding="utf-8") as fh:
        then = json.load(fh)
    now = json.loads(json.dumps(now, ensure_ascii=False, sort_keys=True))   # the same types as the snapshot
    differ = [k for k in sorted(then.keys() | now.keys()) if then.get(k) != now.get(k)]
    n_articles = sum(len(v["articles"]) for v in now.values())
    if differ and args.fields:
        _list_fields(differ, then, now)
        return 1
    if differ:
        print(f"DIFFERENT: {len(differ)} of {len(then)} inputs, e.g.:")
        for key in differ[:10]:
            print(f"  {key}:\n    was {json.dumps(then.get(key), ensure_ascii=False)[:400]}\n"
                  f"    now {json.dumps(now.get(key), ensure_ascii=False)[:400]}")
        return 1
    print(f"identical: {len(now)} inputs, {n_articles} articles, every Article field, outcomes and warnings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
