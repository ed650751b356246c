"""Precision and recall of the syndicated-copy detector on held-out pairs labelled by hand.

The held-out part is bench/story_threshold.py's: Reuters-21578 reut2-011 .. reut2-021 (NEWID
11001-21578) and the tgnews-2020 crawl (ru_test, en_test). Nothing in the detector was chosen by
reading it: CONTAINED, MIN_CONTAINED, NUMBERS_AGREE and the whole-figure numbers were set on the
tune part (reut2-000 .. reut2-010, BBC News 2225, News Articles 2017), then frozen, then these
pairs were drawn and read (bench/story_labels.tsv: pair, frame, label; 1 = copies of one story,
0 = not; labelled blind, without the detector's decision shown).

Frames: `merged` random pairs the detector merges (its precision), `merged-old` random pairs the
detector before containment merged (ITS precision, kept for the comparison in the commit), `ref`
random pairs of the reference: exact shingle Jaccard >= 0.2 or the shorter text's shingles
>= 0.5 contained in the longer (at least 20 shingles): what a reader could call copies, found
without MinHash (recall: of those labelled copies, how many the detector merges); `contained`
random reference pairs at Jaccard < 0.5 with the containment >= 0.5: shortened, extended or
rewritten reprints, if they are copies (recall where Jaccard alone falls short).

    python bench/story_pairs.py                         # precision and recall from the labels
    python bench/story_pairs.py --draw merged --n 30    # pairs to label (blind)
"""
from __future__ import annotations

import argparse
import csv
import itertools
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.story_threshold import load, sharing_pairs  # noqa: E402
from searchapp.indexing import stories as st  # noqa: E402

LABELS = Path(__file__).with_name("story_labels.tsv")


def reference(texts: list[str]) -> dict[tuple[int, int], tuple[float, float]]:
    """Return (exact Jaccard, exact containment) of pairs sharing a rare shingle, when either
    the Jaccard is >= 0.2 or the containment >= 0.5 with >= 20 shingles in the shorter."""
    sets = [set(st.shingles(t).tolist()) for t in texts]
    out = {}
    for i, j in sharing_pairs(sets):
        inter = len(sets[i] & sets[j])
        short = min(len(sets[i]), len(sets[j]))
        jac = inter / (len(sets[i]) + len(sets[j]) - inter)
        con = inter / short
        if jac >= 0.2 or (con >= 0.5 and short >= 20):
            out[(i, j)] = (jac, con)
    return out


def merged(labels: list[str], texts: list[str]) -> set[tuple[int, int]]:
    index = st.StoryIndex()
    stories = [index.assign(label, st.signature(t)) for label, t in zip(labels, texts)]
    by: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(stories):
        by[s].append(i)
    return {p for docs in by.values() for p in itertools.combinations(docs, 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draw", choices=["merged", "ref", "contained"], default="")
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=16)
    args = ap.parse_args()
    items = load()["held-out"]
    labels, texts = [x[0] for x in items], [x[1] for x in items]
    pos = {label: i for i, label in enumerate(labels)}
    got = merged(labels, texts)
    if args.draw:
        ref = reference(texts)
        pool = (sorted(got) if args.draw == "merged" else sorted(ref) if args.draw == "ref"
                else sorted(p for p, (jac, con) in ref.items() if jac < 0.5 and con >= 0.5))
        for i, j in random.Random(args.seed).sample(pool, min(args.n, len(pool))):
            print(f"=== {labels[i]}~{labels[j]}")
            for k in (i, j):
                print("   ", " ".join(texts[k].split())[:500])
        return
    rows = list(csv.DictReader(LABELS.open(encoding="utf-8"), delimiter="\t"))
    for frame in ("merged", "merged-old", "ref", "contained"):
        pairs = [(tuple(sorted(pos[x] for x in r["pair"].split("~"))), r["label"] == "1")
                 for r in rows if r["frame"] == frame]
        if not pairs:
            continue
        if frame.startswith("merged"):
            real = sum(lab for _, lab in pairs)
            now = [lab for p, lab in pairs if p in got]
            print(f"{frame}: {len(pairs)} pairs drawn, {real} copies ({real / len(pairs):.0%}); "
                  f"the detector now merges {len(now)} of them, {sum(now)} copies "
                  f"(precision {sum(now) / max(len(now), 1):.0%})")
        else:
            copies = [p for p, lab in pairs if lab]
            hit = sum(p in got for p in copies)
            wrong = sum(p in got for p, lab in pairs if not lab)
            print(f"{frame}: {len(pairs)} pairs drawn, {len(copies)} copies; the detector merges "
                  f"{hit} of the copies (recall {hit / max(len(copies), 1):.0%}) and {wrong} of the "
                  f"{len(pairs) - len(copies)} others")


if __name__ == "__main__":
    main()
