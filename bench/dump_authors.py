"""Measure the authors (bylines) of text dumps against the pages' labels; tell missed names from unstated ones.

    .venv/bin/python bench/dump_authors.py [--split train|train-extra|dev] [--errors]

Pages: the dumpset split's pages with a labelled author: trafilatura-eval's 'author', readability's
expected-metadata 'byline' and newspaper4k's metadata 'authors' (all names of a page joined with
"; "), each page ingested alone as a .txt file. The author is right (token F1 >= 0.5 with the
label, as bench/dumps.py counts it), none, or another name. Each miss is split by whether the dump
states the labelled name anywhere (one of the label's names as a run of tokens inside a line), so
'none' reads as 'stated but missed' or 'not stated'.

`--errors` prints each miss with the label, ours and the dump lines around both; it is refused on
dev (dev and test are only measured as a whole, so no rule is written against them).

The token judge passes "Jane Roe" against "Jane Roe; John Doe" (F1 0.67), so it cannot tell a page
whose co-authors were lost. Beside it, `names` counts names: the label split into its names as
`stated_at` reads them (";", ",", "and", "und", "и", "&"), ours split the same way, each labelled
name recalled when one of ours (used once) has token F1 >= 0.5 with it; recall is over the labelled
names, precision over ours, and "all" counts the pages whose every name, and no other, is ours.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import CACHE  # noqa: E402
from bench.dumps import _SOURCE, dump_text, field_labels, load_split, prf, tokens  # noqa: E402
from searchapp.ingest.pipeline import ingest_text  # noqa: E402


def author_labels() -> dict[str, str]:
    """Return the labelled authors by dumpset page id: trafilatura-eval, readability, newspaper4k."""
    _, labels = field_labels()
    for meta in sorted((CACHE / "readability" / "test" / "test-pages").glob("*/expected-metadata.json")):
        byline = json.loads(meta.read_text(encoding="utf-8")).get("byline")
        if isinstance(byline, str) and byline.strip():
            labels[f"readability/{meta.parent.name}"] = byline.strip()
    for meta in sorted((CACHE / "newspaper4k" / "tests" / "data" / "metadata").glob("*.json")):
        names = json.loads(meta.read_text(encoding="utf-8")).get("authors") or []
        names = [n for n in names if isinstance(n, str) and n.strip()]
        if names:
            labels[f"newspaper4k/{meta.stem}"] = "; ".join(names)
    return labels


def _names(label: str) -> list[list[str]]:
    """Return the label's names as token lists ("Jane Roe; John Doe and Ann Poe" -> three names)."""
    parts = re.split(r";|,|\band\b|\bund\b|\bи\b|&", label)
    return [t for t in (tokens(p) for p in parts) if t]


def name_counts(got: str, label: str) -> tuple[int, int, int]:
    """Return (labelled names, of them recalled by ours, our names) for one page: see the docstring."""
    want, ours = _names(label), _names(got)
    unused = list(range(len(ours)))
    recalled = 0
    for name in want:
        k = next((k for k in unused if prf(ours[k], name)[2] >= 0.5), None)
        if k is not None:
            unused.remove(k)
            recalled += 1
    return len(want), recalled, len(ours)


def names_line(counts: list[tuple[int, int, int]]) -> str:
    """Return the names view of a set of pages' name_counts."""
    want, hit, ours = (sum(c[k] for c in counts) for k in range(3))
    multi = [c for c in counts if c[0] > 1]
    every = sum(c[1] == c[0] == c[2] for c in counts)
    return (f"names: recall {hit}/{want} = {hit / max(want, 1):.1%}, precision {hit}/{ours} = {hit / max(ours, 1):.1%}; "
            f"every name and no other {every}/{len(counts)} pages; pages of several labelled names {len(multi)}: "
            f"names recalled {sum(c[1] for c in multi)}/{sum(c[0] for c in multi)}")


def _contains(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(hay[k:k + n] == needle for k in range(len(hay) - n + 1))


def stated_at(lines: list[str], label: str) -> list[int]:
    """Return the dump lines that state one of the label's names."""
    names = _names(label)
    return [k for k, line in enumerate(lines) if any(_contains(tokens(line), name) for name in names)]


def _context(lines: list[str], at: int, radius: int = 2) -> str:
    lo, hi = max(0, at - radius), min(len(lines), at + radius + 1)
    return "\n".join(f"      {'>' if k == at else ' '}{k:4d} {lines[k][:160]}" for k in range(lo, hi))


def measure(split: str, errors: bool) -> None:
    labels = author_labels()
    n = right = none = wrong = none_stated = wrong_stated = 0
    by_corpus: dict[str, list[int]] = {}
    counts: list[tuple[int, int, int]] = []
    for page in load_split(split):
        label = labels.get(page["id"].split("#")[0])
        if not label:
            continue
        n += 1
        articles = ingest_text(dump_text(page), fmt="txt", source=_SOURCE, rel_path="page.txt")
        got = (articles[0].author if articles else None) or ""
        ok = bool(got) and prf(tokens(got), tokens(label))[2] >= 0.5
        counts.append(name_counts(got, label))
        row = by_corpus.setdefault(page["corpus"], [0, 0, 0])
        row[0] += 1
        row[1] += ok
        row[2] += bool(got) and not ok
        right += ok
        none += not got
        wrong += bool(got) and not ok
        if errors and ok and counts[-1][1:] != (counts[-1][0], counts[-1][0]):
            print(f"== names {page['id'][:70]}  label {label!r}  ours {got!r}")
        if ok:
            continue
        at = stated_at(page["lines"], label)
        none_stated += not got and bool(at)
        wrong_stated += bool(got) and bool(at)
        if errors:
            title = articles[0].title[:60] if articles and articles[0].title else None
            print(f"== {page['id'][:70]}  label {label!r}  ours {got!r}  {'STATED' if at else 'not stated'}  "
                  f"title {title!r}")
            for k in at[:2]:
                print(f"    label at line {k}:\n{_context(page['lines'], k)}")
            if got:
                mine = [k for k, line in enumerate(page["lines"]) if got in line]
                for k in mine[:1]:
                    print(f"    ours at line {k}:\n{_context(page['lines'], k)}")
    print(f"{split}: {n} dump pages with a labelled author: right {right} ({right / n:.1%}), none {none} "
          f"({none / n:.1%}: stated but missed {none_stated}, not stated {none - none_stated}), another name "
          f"{wrong} ({wrong / n:.1%}; label stated {wrong_stated})")
    print("  " + names_line(counts))
    print("  by corpus (pages, right, another name): " + ", ".join(
        f"{c} {v[0]}/{v[1]}/{v[2]}" for c, v in sorted(by_corpus.items())))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="train", choices=("train", "train-extra", "dev"),
                    help="dumpset split (test stays held out of this bench)")
    ap.add_argument("--errors", action="store_true", help="print each miss (train and train-extra only)")
    args = ap.parse_args(argv)
    if args.errors and not args.split.startswith("train"):
        ap.error("--errors reads one split's individual misses: train splits only (dev is measured as a whole)")
    measure(args.split, args.errors)


if __name__ == "__main__":
    main()
