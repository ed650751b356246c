"""Score the feed reader's authors against hand labels of real feeds' dc:creator / author strings.

    .venv/bin/python bench/feed_authors.py LABELS.tsv [--verbose]

LABELS.tsv has the columns half, origin, outlet (the feed's title, empty when unknown), stated
(the field as the feed wrote it) and expected (the author the article should get, empty for
none). Half A is what feed_authors.py was written against, half B is held out: its misses are
for the report, not for tuning. Prints, per half, how many the reader gets exactly right and
how many the old reading (the field verbatim) did.
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from searchapp.ingest.feed_authors import feed_author  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("labels", type=Path)
    ap.add_argument("--verbose", action="store_true", help="list half A's misses (half B's only with --blind-off)")
    ap.add_argument("--blind-off", action="store_true", help="also list the held-out half's misses")
    args = ap.parse_args()
    with args.labels.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    for half in sorted({r["half"] for r in rows}):
        mine = [r for r in rows if r["half"] == half]
        new = old = 0
        for r in mine:
            got = feed_author(r["stated"], r["outlet"] or None)[0] or ""
            new += got == r["expected"]
            old += r["stated"] == r["expected"]
            if got != r["expected"] and args.verbose and (half == "A" or args.blind_off):
                print(f"  {half} {r['stated']!r}: want {r['expected']!r}, got {got!r}")
        print(f"half {half}: {new}/{len(mine)} right (the field verbatim: {old}/{len(mine)})")


if __name__ == "__main__":
    main()
