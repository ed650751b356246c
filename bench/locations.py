"""Measure country extraction against Reuters-21578 <PLACES>, and the speed of find_places / detect_language.

Run: .venv/bin/python bench/locations.py [--limit N] [--errors N]
Also scores Collection5 lower-cased whole (folded_places), the hand-labelled news-2017 passages (bench/data/README.md), tune and held-out halves,
and Reuters by halves (odd newids were looked at while fixing traps, even ones were not).
Scores micro-averaged precision/recall/F1 of `find_places(title + body)` countries against the
Reuters place codes, on documents with a body and at least one place, for a few variants (cities
imply their country or not, demonyms or not), so the defaults in places.py rest on numbers.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import reuters_records  # noqa: E402
from searchapp.ingest.language import detect_language  # noqa: E402
from searchapp.gazetteer import canonical_place, case_folded, find_places, place_mentions, recase  # noqa: E402

COLLECTION5 = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "ru-news" / "collection5-ne5.jsonl.gz"
NEWS_2017 = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "news-articles-2017" / "NewsArticles.csv.gz"
NEWS_2017_LABELS = Path(__file__).resolve().parent / "data" / "news2017_places.jsonl"
PASSAGE_CHARS = 600
# Figures of commit 0a561b5, before issue 11's place changes, printed beside today's.
BEFORE = {"tune": (0.971, 0.893), "held_out": (0.977, 0.955),
          "reuters odd newids (tune)": (0.775, 0.961), "reuters even newids (held out)": (0.768, 0.955)}

# Reuters codes whose hyphen-to-space form is not a name the gazetteer knows.
CODE_NAMES = {
    "usa": "United States", "uk": "United Kingdom", "ussr": "Soviet Union", "uae": "United Arab Emirates",
    "west-germany": "Germany", "east-germany": "East Germany", "trinidad-tobago": "Trinidad and Tobago",
    "yemen-arab-republic": "Yemen", "yemen-demo-republic": "Yemen", "kampuchea": "Cambodia",
    "zaire": "DR Congo", "burma": "Myanmar", "western-samoa": "Samoa", "vatican": "Vatican City",
    "netherlands-antilles": "Netherlands Antilles", "us-virgin-islands": "US Virgin Islands",
}


def code_to_country(code: str) -> str | None:
    """Map a Reuters place code to a canonical country name, or None when the gazetteer lacks it."""
    if code in CODE_NAMES:
        return CODE_NAMES[code]
    found = canonical_place(code.replace("-", " ").title())
    return found[1] if found and found[0] == "country" else None


def score(docs: list[tuple[str, set[str]]], **options: bool) -> tuple[float, float, float, collections.Counter]:
    tp = fp = fn = 0
    errors: collections.Counter = collections.Counter()
    for text, gold in docs:
        _, countries = find_places(text, **options)
        got = set(countries)
        tp += len(got & gold)
        fp += len(got - gold)
        fn += len(gold - got)
        errors.update(("FP", c) for c in got - gold)
        errors.update(("FN", c) for c in gold - got)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, errors


def russian_mentions() -> tuple[float, float, int]:
    """Score Russian place mentions on Collection5 gold LOC/GEOPOLIT spans.

    Precision: share of our mentions that start inside a gold span. Recall: share of gold spans
    naming a place the gazetteer knows (in whatever case) that we found, i.e. how well inflection works.
    """
    tp = fp = known = found = 0
    with gzip.open(COLLECTION5, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            spans = [(s["start"], s["stop"], s["text"]) for s in rec["spans"] if s["type"] in ("LOC", "GEOPOLIT")]
            hits = set()
            for offset, _ in place_mentions(rec["text"]):
                inside = [sp for sp in spans if sp[0] <= offset < sp[1]]
                tp += bool(inside)
                fp += not inside
                hits.update(sp[0] for sp in inside)
            for start, _, name in spans:
                if canonical_place(name):
                    known += 1
                    found += start in hits
    return tp / max(1, tp + fp), found / max(1, known), known


def folded_places() -> dict[str, tuple[float, float]]:
    """Score places in Collection5 lower-cased whole (as RIA's corus export ships) against the
    places the same articles give with their case, by halves of the ids (an md5 byte): the
    tune half was read while writing gazetteer.recase, the held-out half was not."""
    counts = {"tune": [0, 0, 0], "held_out": [0, 0, 0]}
    with gzip.open(COLLECTION5, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            half = "tune" if hashlib.md5(rec["id"].encode()).digest()[0] % 2 == 0 else "held_out"
            ref = set(sum(find_places(rec["text"]), []))
            low = rec["text"].lower()
            got = set(sum(find_places(recase(low) if case_folded(low) else low), []))
            c = counts[half]
            c[0] += len(ref & got)
            c[1] += len(got - ref)
            c[2] += len(ref - got)
    return {h: (tp / max(1, tp + fp), tp / max(1, tp + fn)) for h, (tp, fp, fn) in counts.items()}


def news2017_passages() -> dict[str, str]:
    """Return article_id -> the labelled passage: title, blank line, the first 600 characters of the text.

    The text's whitespace is collapsed first, as it was when the passages were labelled
    (bench/data/README.md says how the sample was drawn and what a label counts).
    """
    import csv
    import re

    csv.field_size_limit(sys.maxsize)
    wanted = {json.loads(line)["article_id"] for line in NEWS_2017_LABELS.read_text().splitlines()}
    out = {}
    with gzip.open(NEWS_2017, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["article_id"] in wanted:
                text = re.sub(r"\s+", " ", row["text"]).strip()[:PASSAGE_CHARS]
                out[row["article_id"]] = f"{row['title']}\n\n{text}"
    return out


def news2017_docs() -> dict[str, list[tuple[str, set[str]]]]:
    """Return the hand-labelled news-2017 passages by split ("tune", "held_out")."""
    passages = news2017_passages()
    out: dict[str, list[tuple[str, set[str]]]] = {"tune": [], "held_out": []}
    for line in NEWS_2017_LABELS.read_text().splitlines():
        rec = json.loads(line)
        out[rec["split"]].append((passages[rec["article_id"]], set(rec["countries"])))
    return out


def rate(fn, texts: list[str], rounds: int = 3) -> float:
    """Return the median articles/s of `fn` over `texts`."""
    speeds = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        speeds.append(len(texts) / (time.perf_counter() - t0))
    return statistics.median(speeds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="score only the first N documents")
    ap.add_argument("--errors", type=int, default=15, help="show the N commonest errors")
    args = ap.parse_args()
    docs: list[tuple[str, set[str]]] = []
    ingested: list[tuple[str, set[str]]] = []   # dateline ahead of the body, as write_reuters_corpus stores it
    unmapped: collections.Counter = collections.Counter()
    halves: dict[str, list[tuple[str, set[str]]]] = {"reuters odd newids (tune)": [],
                                                     "reuters even newids (held out)": []}
    for rec in reuters_records():
        if not rec["places"]:
            continue
        gold = set()
        for code in rec["places"]:
            name = code_to_country(code)
            if name:
                gold.add(name)
            else:
                unmapped[code] += 1
        docs.append((f"{rec['title']}\n\n{rec['body']}", gold))
        ingested.append((f"{rec['title']}\n\n{rec['dateline']} - {rec['body']}", gold))
        halves["reuters odd newids (tune)" if rec["newid"] % 2 else "reuters even newids (held out)"].append(
            ingested[-1])
        if args.limit and len(docs) >= args.limit:
            break
    print(f"documents with body and places: {len(docs)}; unmapped codes: {dict(unmapped) or 'none'}")
    print(f"{'variant (title + body unless said)':40s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    best = None
    for label, corpus, options in (
        ("mentions only", docs, dict(imply_countries=False)),
        ("cities/regions imply country (default)", docs, dict(imply_countries=True)),
        ("imply + demonyms", docs, dict(imply_countries=True, use_demonyms=True)),
        ("with dateline: mentions only", ingested, dict(imply_countries=False)),
        ("with dateline: imply", ingested, dict(imply_countries=True)),
        ("with dateline: imply + demonyms", ingested, dict(imply_countries=True, use_demonyms=True)),
    ):
        p, r, f, errors = score(corpus, **options)
        print(f"{label:40s} {p:6.3f} {r:6.3f} {f:6.3f}")
        if "default" in label:
            best = errors
    print("with dateline, imply (the ingest's default), by half; before issue 11 beside:")
    for name, corpus in halves.items():
        p, r, f, _ = score(corpus)
        print(f"  {name:32s} {len(corpus):5d} docs  P {p:.3f}  R {r:.3f}  F1 {f:.3f}   (before: P {BEFORE[name][0]:.3f}"
              f"  R {BEFORE[name][1]:.3f})")
    if best and args.errors:
        print("commonest errors of the default:")
        for (kind, name), count in best.most_common(args.errors):
            print(f"  {kind} {name:28s} {count}")
    if NEWS_2017.exists():
        splits = news2017_docs()
        print("news-2017, hand-labelled passages (bench/data/news2017_places.jsonl), default options:")
        for name, docs_ in splits.items():
            p, r, f, errors = score(docs_)
            print(f"  {name:9s} {len(docs_):3d} passages  P {p:.3f}  R {r:.3f}  F1 {f:.3f}"
                  f"   (before issue 11: P {BEFORE[name][0]:.3f}  R {BEFORE[name][1]:.3f})")
            if args.errors and name == "tune":   # the held-out half's errors stay unseen
                print("    errors: " + ", ".join(f"{k} {c} {n}" for (k, c), n in errors.most_common(args.errors)))
    if COLLECTION5.exists():
        p, r, known = russian_mentions()
        print(f"Russian mentions (Collection5): precision {p:.3f}, recall over {known} known names {r:.3f}")
        folded = folded_places()
        print("Collection5 lower-cased whole, places against the cased text's: " + ", ".join(
            f"{h} P {p:.3f} R {r:.3f}" for h, (p, r) in folded.items()))
    texts = [t for t, _ in docs[:3000]]
    print(f"find_places:     {rate(find_places, texts):8.0f} articles/s (median of 3, {len(texts)} Reuters docs)")
    samples = [t[:800] for t in texts[:1000]]
    print(f"detect_language: {rate(detect_language, samples):8.0f} articles/s (median of 3, {len(samples)} docs)")


if __name__ == "__main__":
    main()
