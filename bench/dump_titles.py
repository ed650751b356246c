"""Score dump titles on the splits title rules may be written on, and on one that checks them.

    .venv/bin/python bench/dump_titles.py [--splits train train-extra dev-extra] [--errors] [--save FILE]
    .venv/bin/python bench/dump_titles.py --halves [--errors A|B|train]
    .venv/bin/python bench/dump_titles.py --folders [--splits ...]

Splits (bench/dumpset.py): `train` and `train-extra` (the train sites' pages the capped sample
left out) are the pages to write title rules on: `--errors` lists their wrong titles with the
dump's first lines. `dev-extra` (the dev sites' pages the sample left out, never read for titles)
is the check: only its whole figures are printed, never its pages, and `--errors` refuses to
list it. dev and test were audited for titles and are not scored here (bench/dumps.py prints the
judged figure). A page is right as in bench/dumps.py (token F1 >= 0.8 with the label or its
<h1>/og:title form); Collection5 transplants are left out (their <title> and headline name the
page's original article, not the label). Label noise, counted apart: a label several distinct
pages of a site share, or one no line of the dump states (the site's own title, or metadata the
page never shows). `--save` writes each train page's title and verdict (JSON) to diff two trees.

`--folders` ingests each split's pages as a corpus, one folder per site (as a user adds an outlet:
template lines across the folder's files on), and counts the titles right beside the pages alone,
and the dates and authors the folder changes. The extra splits hold many pages per site, most of
them one day's stories, so their folders have template lines to find.

`--halves` is the older view: train+dev by halves of sites (a hash of the site name), one half to
write rules on and one to check them (ABOUT_WEIGHT in headline.py was chosen on half A); its
`--errors` lists train pages only.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dumps import load_split, ours, prf, tokens  # noqa: E402

_WRITE_ON = ("train", "train-extra")   # the splits whose errors may be read


def half(site: str) -> str:
    return "A" if hashlib.md5(site.encode()).digest()[0] % 2 == 0 else "B"


def _stated(forms: list[str], lines: list[str]) -> bool:
    keys = [" ".join(tokens(g)) for g in forms]
    return any(k and (k in " ".join(tokens(line)) or prf(tokens(line), k.split())[2] >= 0.8)
               for line in lines for k in keys)


def _pages(splits: tuple[str, ...]) -> list[dict]:
    pages = [dict(p, split=split) for split in splits for p in load_split(split)
             if p.get("title") and p["corpus"] != "collection5"]
    shared: dict[tuple[str, str], set[str]] = {}
    for p in pages:
        shared.setdefault((p["split"], p["site"], " ".join(tokens(p["title"]))), set()).add(
            p.get("url") or p["id"].split("#")[0])
    for p in pages:
        p["forms"] = [p["title"]] + p.get("title_forms", [])
        p["noise"] = len(shared[(p["split"], p["site"], " ".join(tokens(p["title"])))]) > 1 \
            or not _stated(p["forms"], p["lines"])
    return pages


def _right(title: str, forms: list[str]) -> bool:
    return any(prf(tokens(title), tokens(g))[2] >= 0.8 for g in forms)


def _show(p: dict, title: str) -> None:
    print(f"--- {p['id']} [{p['corpus']}/{p['split']}] site={p['site']}{' (label noise)' if p['noise'] else ''}")
    print(f"  ours : {title[:140]!r}")
    print(f"  label: {p['title'][:140]!r}  forms={[f[:70] for f in p.get('title_forms', [])]}")
    print(f"  first lines: {[line[:70] for line in p['lines'][:8]]}")


def splits_view(splits: tuple[str, ...], errors: bool, save: Path | None) -> None:
    pages = _pages(splits)
    stats: Counter = Counter()
    saved = {}
    for p in pages:
        title = ours(p)[1]
        ok = _right(title, p["forms"])
        s = p["split"]
        stats[s, "n"] += 1
        stats[s, "ok"] += ok
        stats[s, "noise"] += p["noise"]
        stats[s, "noise ok"] += ok and p["noise"]
        if s in _WRITE_ON:
            saved[p["id"]] = {"title": title, "ok": ok, "noise": p["noise"]}
            if errors and not ok:
                _show(p, title)
    for s in splits:
        n, ok, nn, nok = stats[s, "n"], stats[s, "ok"], stats[s, "noise"], stats[s, "noise ok"]
        print(f"{s}: {ok}/{n} = {ok / max(1, n):.1%}; noisy labels {nn} ({nok} matched); without them "
              f"{ok - nok}/{n - nn} = {(ok - nok) / max(1, n - nn):.1%}")
    both = [s for s in splits if s in _WRITE_ON]
    if len(both) > 1:
        n, ok = sum(stats[s, "n"] for s in both), sum(stats[s, "ok"] for s in both)
        print(f"{' + '.join(both)}: {ok}/{n} = {ok / max(1, n):.1%}")
    if save:
        save.write_text(json.dumps(saved, ensure_ascii=False, indent=0), encoding="utf-8")


def halves_view(errors: str | None) -> None:
    pages = _pages(("train", "dev"))
    stats: Counter = Counter()
    for p in pages:
        h = half(p["site"])
        title = ours(p)[1]
        ok = _right(title, p["forms"])
        noise = p["noise"]
        stats[h, "n"] += 1
        stats[h, "ok"] += ok
        stats[h, p["split"], "n"] += 1
        stats[h, p["split"], "ok"] += ok
        stats[h, "noise"] += noise
        stats[h, "noise ok"] += ok and noise
        if not ok and p["split"] == "train" and errors in (h, "train"):
            _show(p, title)    # (dev's pages were audited for titles: never listed)
    for h in "AB":
        n, ok, nn, nok = stats[h, "n"], stats[h, "ok"], stats[h, "noise"], stats[h, "noise ok"]
        print(f"half {h}: {ok}/{n} = {ok / max(1, n):.1%} (train {stats[h, 'train', 'ok']}/{stats[h, 'train', 'n']}, "
              f"dev {stats[h, 'dev', 'ok']}/{stats[h, 'dev', 'n']}); noisy labels {nn} ({nok} matched); without them "
              f"{ok - nok}/{n - nn} = {(ok - nok) / max(1, n - nn):.1%}")


def folders_view(splits: tuple[str, ...]) -> None:
    import shutil
    import tempfile

    from bench.dumps import _SOURCE, dump_text, write_site_folders
    from searchapp.config import Settings
    from searchapp.ingest.pipeline import ingest_corpus, ingest_text

    for split in splits:
        # (one rendering per page: a page's Russian-chrome copy would share its whole text)
        pages = [p for p in _pages((split,)) if "#" not in p["id"]]
        root = Path(tempfile.mkdtemp(prefix="titles-folders-"))
        try:
            where = write_site_folders(pages, root)
            in_folder: list = [None] * len(pages)
            for outcome, articles in ingest_corpus(Settings(corpus_dir=root, ingest_workers=2), progress=False):
                in_folder[where[outcome.path]] = articles[0] if articles else None
        finally:
            shutil.rmtree(root, ignore_errors=True)
        counts: Counter = Counter()
        for p, folder in zip(pages, in_folder):
            alone = (ingest_text(dump_text(p), fmt="txt", source=_SOURCE, rel_path="page.txt") or [None])[0]
            counts["alone"] += bool(alone) and _right(alone.title, p["forms"])
            counts["folder"] += bool(folder) and _right(folder.title, p["forms"])
            for field in ("published", "author"):
                mine, theirs = getattr(alone, field, None), getattr(folder, field, None)
                counts[field, "lost" if mine and not theirs else "other" if mine != theirs else "same"] += 1
        n = len(pages)
        print(f"{split}: {n} pages of {len({p['site'] for p in pages})} sites; titles right alone {counts['alone']}/{n} = "
              f"{counts['alone'] / max(1, n):.1%}, in site folders {counts['folder']}/{n} = {counts['folder'] / max(1, n):.1%}; "
              f"in folders, dates lost {counts['published', 'lost']} / changed {counts['published', 'other']}, "
              f"authors lost {counts['author', 'lost']} / changed {counts['author', 'other']}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--splits", nargs="+", default=["train", "train-extra", "dev-extra"],
                    choices=["train", "train-extra", "dev-extra"])
    ap.add_argument("--errors", nargs="?", const="train", choices=["A", "B", "train"],
                    help="list the wrong titles of train and train-extra (with --halves: train's of half A or B, or all)")
    ap.add_argument("--save", type=Path, help="write each train and train-extra page's title and verdict as JSON")
    ap.add_argument("--halves", action="store_true", help="the older view: train+dev by halves of sites")
    ap.add_argument("--folders", action="store_true", help="the splits' pages as site folders beside the pages alone")
    args = ap.parse_args(argv)
    if args.folders:
        folders_view(tuple(args.splits))
    elif args.halves:
        halves_view(args.errors)
    else:
        splits_view(tuple(args.splits), args.errors is not None, args.save)


if __name__ == "__main__":
    main()
