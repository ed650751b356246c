"""Measure "did you mean" on words it was not written against: fixes, wrong fixes, false alarms, cost.

    .venv/bin/python bench/spelling.py --quick        # Reuters-21578 (~19k articles)
    .venv/bin/python bench/spelling.py --root DIR     # any folder holding corpus/ and index/

The rules in searchapp/search/suggest.py were written against the examples of issue 11 (Osh,
Samarkand, Tokayev, presidnet). The held-out sets here come from the index itself, drawn with a
fixed seed, and were not looked at while writing them:
- typos: words of 5+ letters in 20+ articles, taken from the titles of the odd-numbered
  articles, each given one random edit (swap, drop, replace or insert a letter); a fix is right
  when it gives the word back;
- names: the gazetteer's one-word city and country names that occur in the index (every second
  one in sorted order), searched as written; any suggestion is a false alarm;
- clean: words of 4+ letters in 1-2 articles (rare but real), as written; a suggestion is a
  false alarm unless it finds something (it may be a real typo in the corpus: counted apart).
Each set is run through the product (SearchService.search) and through Whoosh's own corrector as the
old code used it (maxdist 2, a word in fewer than 3 articles, a candidate 10x more frequent), with
the time per query.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.web_bench import ensure_index  # noqa: E402
from searchapp.config import Settings  # noqa: E402
from searchapp.gazetteer import gazetteer  # noqa: E402
from searchapp.models import SearchRequest  # noqa: E402
from searchapp.search.service import SearchService  # noqa: E402
from searchapp.text import is_stopword  # noqa: E402

LATIN = "abcdefghijklmnopqrstuvwxyz"


def typo(word: str, rnd: random.Random) -> str:
    """Return the word with one random edit different from the word."""
    while True:
        i = rnd.randrange(len(word))
        kind = rnd.randrange(4)
        if kind == 0 and i < len(word) - 1:
            out = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        elif kind == 1:
            out = word[:i] + word[i + 1:]
        elif kind == 2:
            out = word[:i] + rnd.choice(LATIN) + word[i + 1:]
        else:
            out = word[:i] + rnd.choice(LATIN) + word[i:]
        if out != word:
            return out


def held_out(engine: SearchService, n: int, seed: int) -> dict[str, list[tuple[str, str | None]]]:
    """Return the three sets: (query, expected correction or None)."""
    rnd = random.Random(seed)
    snap = engine.backend._holder.get()  # the Whoosh backend's own view: titles and the lexicon
    reader = snap.searcher.reader()
    title_words: set[str] = set()
    for docnum in range(1, min(snap.searcher.doc_count_all(), 20001), 2):
        if reader.is_deleted(docnum):
            continue
        for w in (snap.searcher.stored_fields(docnum).get("title") or "").lower().split():
            if w.isalpha() and len(w) >= 5 and not is_stopword(w):
                title_words.add(w)
    common = sorted(w for w in title_words if reader.doc_frequency("spell", w) >= 20)
    rare = sorted(w for w, in ((t.decode() if isinstance(t, bytes) else t,) for t in reader.lexicon("spell"))
                  if w.isalpha() and len(w) >= 4 and 1 <= reader.doc_frequency("spell", w) <= 2)
    names = sorted({p.name for p in gazetteer().places if p.kind in ("city", "country")
                    and " " not in p.name and reader.doc_frequency("spell", p.name.lower()) > 0})[1::2]
    typos = [(typo(w, rnd), w) for w in rnd.sample(common, min(n, len(common)))]
    return {"typos": typos, "names": [(w, None) for w in names[:n]],
            "clean": [(w, None) for w in rnd.sample(rare, min(n, len(rare)))]}


def old_corrector(engine: SearchService, word: str) -> str | None:
    """The pre-issue-12 rule: Whoosh's corrector (Reader.spelling), maxdist 2, COMMON 3, RARER 10."""
    with engine.backend.reader() as reader:
        freq = reader.doc_frequency(word)
        if len(word) < 3 or freq >= 3:
            return None
        for cand in reader.spelling(word, 3, 2):
            if cand != word and reader.doc_frequency(cand) > 10 * freq:
                return cand
    return None


def run(settings: Settings, n: int, seed: int, old: bool) -> None:
    with SearchService(settings) as engine:
        engine.search(SearchRequest(query="warm"))
        engine.backend.vocabulary(wait=60)
        sets = held_out(engine, n, seed)
        print(f"held-out sets (seed {seed}): " + ", ".join(f"{k} {len(v)}" for k, v in sets.items()))
        systems = [("product", lambda q: engine.search(SearchRequest(query=q)).suggestion)]
        if old:
            systems.append(("old corrector", lambda q: old_corrector(engine, q.lower())))
        for label, fn in systems:
            for name, items in sets.items():
                right = wrong = none = 0
                ms = []
                for query, want in items:
                    t = time.perf_counter()
                    got = fn(query)
                    ms.append((time.perf_counter() - t) * 1000)
                    if got is None:
                        none += 1
                    elif want is not None and got.lower() == want:
                        right += 1
                    else:
                        wrong += 1
                rate = (lambda k: f"{k / len(items):6.1%}") if items else (lambda k: "  n/a")
                what = "fixed right" if name == "typos" else "no suggestion"
                good = right if name == "typos" else none
                print(f"  {label:<14} {name:<6} n={len(items):4d}  {what} {rate(good)}  "
                      f"wrong/false {rate(wrong)}  none {rate(none)}  "
                      f"median {statistics.median(ms):6.1f} ms  max {max(ms):7.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="Reuters-21578 only")
    ap.add_argument("--copies", type=int, default=11)
    ap.add_argument("--root", type=Path, help="a folder with corpus/ and index/")
    ap.add_argument("-n", type=int, default=150, help="queries per set")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--no-old", action="store_true", help="skip the old corrector (slow)")
    args = ap.parse_args()
    if args.root:
        settings = Settings(corpus_dir=args.root / "corpus", index_dir=args.root / "index")
    else:
        settings = ensure_index(1 if args.quick else args.copies)
    run(settings, args.n, args.seed, not args.no_old)


if __name__ == "__main__":
    main()
