"""Measure the syndicated-copy detector (searchapp/indexing/stories.py) on real news.

Parts (a split, so the threshold is not chosen on the figures reported for it):
  tune      Reuters-21578 reut2-000 .. reut2-010 (NEWID 1-11000)
  held-out  Reuters-21578 reut2-011 .. reut2-021 (NEWID 11001-21578), and the tgnews-2020 crawl
            (ru_test, en_test: many outlets carrying one wire item)

For each part, every pair of articles sharing rare shingles (document frequency <= 50) gets its
exact shingle Jaccard: that is the reference, independent of MinHash. The detector runs as
reindex runs it (StoryIndex.assign in corpus order) and its pairs (two articles in one story) are
compared with the reference. `--show BAND` prints pairs to read: `tune:0.4` the tune part's
pairs with Jaccard in [0.4, 0.5); `merged` a random sample of the held-out part's merged pairs;
`ref` a sample of held-out reference pairs with Jaccard >= 0.2 (to judge recall by reading).

    python bench/story_threshold.py                # the tables
    python bench/story_threshold.py --show tune:0.4 --n 15
"""
from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import itertools
import pickle
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
csv.field_size_limit(1 << 26)

from bench.corpora import CACHE, SHARED, reuters_records  # noqa: E402
from searchapp.indexing import stories as st  # noqa: E402

MAX_DF = 50


def load() -> dict[str, list[tuple[str, str]]]:
    """Return part -> [(label, text)] in corpus order."""
    tune, held = [], []
    for rec in reuters_records():
        text = st.article_text(rec["title"], rec["body"])
        label = f"reuters#{rec['newid']}"
        (tune if rec["newid"] <= 11000 else held).append((label, text))
    for lang in ("ru", "en"):
        path = SHARED / "ru-news" / "tgnews-contest-2020" / f"{lang}_test.csv.gz"
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for i, row in enumerate(csv.DictReader(fh, delimiter="\t")):
                held.append((f"tgnews-{lang}#{i}", row["text"]))
    return {"tune": tune, "held-out": held}


def reference(texts: list[str]) -> dict[tuple[int, int], float]:
    """Return the exact Jaccard of every pair sharing a shingle of document frequency <= MAX_DF."""
    key = hashlib.sha1("\x00".join(texts).encode()).hexdigest()[:16]
    cached = CACHE / f"story-reference-{key}.pickle"
    if cached.exists():
        return pickle.loads(cached.read_bytes())
    out = _reference(texts)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(pickle.dumps(out))
    return out


def sharing_pairs(sets: list[set[int]]) -> set[tuple[int, int]]:
    """Return the pairs of texts that share a shingle of document frequency <= MAX_DF."""
    posting: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for h in s:
            posting[h].append(i)
    pairs: set[tuple[int, int]] = set()
    for docs in posting.values():
        if 1 < len(docs) <= MAX_DF:
            pairs.update(itertools.combinations(docs, 2))
    return pairs


def _reference(texts: list[str]) -> dict[tuple[int, int], float]:
    as_sets = [set(st.shingles(t).tolist()) for t in texts]
    out = {}
    for i, j in sharing_pairs(as_sets):
        a, b = as_sets[i], as_sets[j]
        j_ = len(a & b) / len(a | b)
        if j_ >= 0.1:        # below it nobody calls two texts one story: not kept
            out[(i, j)] = j_
    return out


def detect(labels: list[str], texts: list[str], threshold: float) -> tuple[list[str], float, list]:
    """Return each article's story as reindex assigns it, the seconds its signatures took, and
    the signatures."""
    t0 = time.perf_counter()
    sigs = [st.signature(t) for t in texts]
    took = time.perf_counter() - t0
    index = st.StoryIndex(threshold=threshold)
    return [index.assign(label, sig) for label, sig in zip(labels, sigs)], took, sigs


def agreement(ref: dict[tuple[int, int], float], sigs: list, threshold: float) -> str:
    """Return how often MinHash+LSH decides a pair as exact Jaccard does (no chaining: pairs).

    Pairs: every reference pair (exact Jaccard >= 0.1). The LSH finds a pair when the two share
    a band; it calls it a copy when it also estimates the similarity at the threshold or more.
    """
    rows = st.ROWS
    same = both_yes = exact_yes = lsh_yes = found = 0
    for (i, j), jac in ref.items():
        a, b = sigs[i], sigs[j]
        banded = any((a[k * rows:(k + 1) * rows] == b[k * rows:(k + 1) * rows]).all()
                     for k in range(st.PERMS // rows))
        est = banded and st.similarity(a, b) >= threshold
        ex = jac >= threshold
        same += est == ex
        both_yes += est and ex
        exact_yes += ex
        lsh_yes += est
        found += banded and ex
    return (f"pairs {len(ref)}: same decision {same / len(ref):.3f}; of {exact_yes} pairs at or "
            f"above {threshold} exact, the LSH makes {found} candidates ({found / max(exact_yes, 1):.3f}) "
            f"and calls {both_yes} copies ({both_yes / max(exact_yes, 1):.3f}); of {lsh_yes} it calls "
            f"copies, {both_yes} are at or above exact ({both_yes / max(lsh_yes, 1):.3f})")


def merged_pairs(stories: list[str]) -> set[tuple[int, int]]:
    by: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(stories):
        by[s].append(i)
    return {p for docs in by.values() for p in itertools.combinations(docs, 2)}


def show(pairs: list[tuple[int, int]], labels: list[str], texts: list[str],
         ref: dict[tuple[int, int], float], n: int, merged: set[tuple[int, int]]) -> None:
    for i, j in random.Random(7).sample(pairs, min(n, len(pairs))):
        print(f"--- {labels[i]} ~ {labels[j]}  J={ref.get((i, j), 0.0):.2f}  "
              f"{'merged' if (i, j) in merged else 'apart'}")
        for k in (i, j):
            print("   ", " ".join(texts[k].split())[:400])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threshold", type=float, default=st.THRESHOLD)
    ap.add_argument("--numbers", type=float, default=st.NUMBERS_AGREE,
                    help="share of the fewer-figured text's figures the other must hold")
    ap.add_argument("--show", default="")
    ap.add_argument("--n", type=int, default=12)
    args = ap.parse_args()
    st.NUMBERS_AGREE = args.numbers
    parts = load()
    for name, items in parts.items():
        labels, texts = [x[0] for x in items], [x[1] for x in items]
        ref = reference(texts)
        stories, took, sigs = detect(labels, texts, args.threshold)
        merged = merged_pairs(stories)
        if args.show.startswith(name.split("-")[0] + ":"):
            low = float(args.show.split(":")[1])
            show([p for p, j in ref.items() if low <= j < low + 0.1], labels, texts, ref, args.n, merged)
            return
        if name == "held-out" and args.show == "merged":
            show(sorted(merged), labels, texts, ref, args.n, merged)
            return
        if name == "held-out" and args.show == "tgnews":
            show(sorted(p for p in merged if labels[p[0]].startswith("tgnews")), labels, texts, ref,
                 args.n, merged)
            return
        if name == "held-out" and args.show == "ref":
            show(sorted(p for p, j in ref.items() if j >= 0.2), labels, texts, ref, args.n, merged)
            return
        print(f"== {name} (threshold {args.threshold}, numbers agree {args.numbers}): {len(texts)} articles; signatures {took:.2f}s "
              f"({took / len(texts) * 1e6:.0f} us/article); reference pairs {len(ref)}")
        print("   Jaccard band   ref pairs   merged by the detector")
        for low in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
            band = [p for p, j in ref.items() if low <= j < low + 0.1 + (0.01 if low == 0.9 else 0)]
            print(f"   [{low:.1f}, {low + 0.1:.1f})   {len(band):9d}   {sum(p in merged for p in band):9d}")
        at = {p for p, j in ref.items() if j >= args.threshold}
        print(f"   threshold {args.threshold}: reference pairs >= threshold {len(at)}, merged {len(merged)}, "
              f"both {len(at & merged)}; LSH agreement with exact Jaccard: "
              f"recall {len(at & merged) / max(len(at), 1):.3f}, "
              f"precision {len(at & merged) / max(len(merged), 1):.3f}; "
              f"merged pairs under {args.threshold - 0.1:.1f} exact: "
              f"{sum(ref.get(p, 0.0) < args.threshold - 0.1 for p in merged)}; "
              f"stories with copies {len({stories[i] for p in merged for i in p})}")
        print(f"   shingle similarity alone, pair by pair: {agreement(ref, sigs, args.threshold)}")
        print(f"   {corrected(labels, texts, ref, merged)}")
        tg = [p for p in merged if labels[p[0]].startswith("tgnews")]
        print(f"   tgnews pairs merged: {len(tg)}")


def corrected(labels: list[str], texts: list[str], ref: dict[tuple[int, int], float],
              merged: set[tuple[int, int]]) -> str:
    """Return the recall on Reuters' own corrections: each "CORRECTED - " item and the item it
    corrects (its most similar earlier article by exact Jaccard; known copies, not judged)."""
    best: dict[int, tuple[float, int]] = {}
    for (i, j), jac in ref.items():
        if texts[j].startswith("CORRECTED") and not texts[i].startswith("CORRECTED"):
            if jac > best.get(j, (0.0, -1))[0]:
                best[j] = (jac, i)
    pairs = [(i, j) for j, (_, i) in best.items()]
    hit = sum((min(p), max(p)) in merged for p in pairs)
    low = sorted(round(best[j][0], 2) for i, j in pairs if (min(i, j), max(i, j)) not in merged)
    return (f"corrections: {len(pairs)} CORRECTED items with their original, {hit} merged "
            f"({hit / max(len(pairs), 1):.2f}); the missed ones' Jaccard: {low}")


if __name__ == "__main__":
    main()
