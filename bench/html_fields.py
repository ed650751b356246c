"""Measure the title, author and date the HTML reader gives real pages, against their labels.

    .venv/bin/python bench/html_fields.py [--errors]
    .venv/bin/python bench/html_fields.py --mercury DIR [--errors]
    .venv/bin/python bench/html_fields.py --fundus DIR [--errors]

The HTML path (ingest of an .html file: trafilatura's main text, the page's markup for its
fields) is what a user adding saved pages gets, and until this bench its titles and authors were
never measured. Pages: every fixture page of ../shared/corpora/html-fixtures with a label
(bench/dumpset.py raw_pages): titles from readability's expected metadata, newspaper4k's
metadata, trafilatura-eval's evaluation data and tgnews' og:title; authors from the same
(bench/dump_authors.py author_labels); days from htmldate-eval and trafilatura-eval
(bench/dumps.py field_labels). Splits are the dumpset's, by site (bench/dumpset.py split_of):
train may be read (`--errors` lists its misses only), dev and test are printed whole.

--mercury DIR reads Postlight Parser's fixture pages instead (bench/external_dumps.py
mercury_labels; half A may be read with `--errors`, half B only measured whole).
--fundus DIR reads fundus's per-publisher test pages (bench/external_dumps.py fundus_labels; halves
by publisher the same way), and also scores the body (token P/R/F1 against the publisher parser's
body, as bench/external_dumps.py does for the dumps) beside trafilatura run on the same HTML.

Judges as the dump benches judge: a title is right with token F1 >= 0.8 against the label or a
form of it the page renders (bench/dumpset.py title_forms), an author with F1 >= 0.5, a day when
it equals the label's (Mercury's labels are UTC instants: a day one off is counted apart).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dump_authors import author_labels, name_counts, names_line  # noqa: E402
from bench.dumps import _SOURCE, field_labels, prf, tokens  # noqa: E402
from bench.dumpset import decode_page, raw_pages, split_of, title_forms  # noqa: E402
from bench.external_dumps import fundus_labels, mercury_labels, site_half  # noqa: E402
from searchapp.ingest.decode import decode_bytes  # noqa: E402
from searchapp.ingest.pipeline import ingest_text  # noqa: E402


def _day(value: dt.date | dt.datetime | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def judge(html: str, title: str | None, author: str | None, day: dt.date | None, *, utc: bool = False) -> dict:
    """Return the verdicts for one page: title True/False, author and date right/none/other."""
    articles = ingest_text(html, fmt="html", source=_SOURCE, rel_path="page.html")
    first = articles[0] if articles else None
    out: dict = {"ours": first}
    if title:
        forms = [title] + title_forms(html, title)
        out["title"] = bool(first) and any(prf(tokens(first.title), tokens(f))[2] >= 0.8 for f in forms)
    if author:
        got = (first.author or "") if first else ""
        out["author"] = "right" if got and prf(tokens(got), tokens(author))[2] >= 0.5 else "other" if got else "none"
        out["author_names"] = name_counts(got, author)   # (the names view: bench/dump_authors.py)
    if day:
        got_day = _day(first.published) if first else None
        out["date"] = "none" if got_day is None else "right" if got_day == day else \
            "a day off" if utc and abs((got_day - day).days) == 1 else "other"
    return out


def _report(name: str, rows: list[dict]) -> None:
    print(f"{name} ({len(rows)} pages):")
    titled = [r["title"] for r in rows if "title" in r]
    if titled:
        print(f"  titles: {sum(titled)}/{len(titled)} = {sum(titled) / len(titled):.1%} right")
    for field in ("author", "date"):
        judged = Counter(r[field] for r in rows if field in r)
        if judged:
            total = sum(judged.values())
            print(f"  {field}s: {judged['right']}/{total} = {judged['right'] / total:.1%} right "
                  f"({', '.join(f'{k} {v}' for k, v in sorted(judged.items()) if k != 'right')})")
            if field == "author":
                print("  author " + names_line([r["author_names"] for r in rows if "author_names" in r]))


def _errors(rows: list[dict]) -> None:
    for r in rows:
        a = r["ours"]
        for field, ours_value in (("title", a and a.title), ("author", a and a.author), ("date", a and a.published)):
            names = r.get("author_names") if field == "author" else None
            if r.get(field) not in (None, True, "right", "a day off") or (names and names[1:] != (names[0],) * 2):
                print(f"{r['id']} {field}: label {r['label'][field]!r}  ours {ours_value!r}")


def fixtures(errors: bool) -> None:
    days, _ = field_labels()
    authors = author_labels()
    rows: list[dict] = []
    for raw in raw_pages():
        label = {"title": raw.get("title"), "author": authors.get(raw["id"]),
                 "date": dt.date.fromisoformat(days[raw["id"]]) if _iso_day(days.get(raw["id"])) else None}
        if not any(label.values()):
            continue
        html = decode_page(raw["data"])
        row = judge(html, label["title"], label["author"], label["date"])
        rows.append(dict(row, id=raw["id"], split=split_of(raw["site"]), label=label))
    for split in ("train", "dev", "test"):
        _report(split, [r for r in rows if r["split"] == split])
    if errors:
        _errors([r for r in rows if r["split"] == "train"])


def _iso_day(value: object) -> bool:
    try:
        dt.date.fromisoformat(str(value))
        return True
    except ValueError:
        return False


def mercury(root: Path, errors: bool) -> None:
    rows: list[dict] = []
    for label in mercury_labels(root):
        html, _ = decode_bytes((root / "fixtures" / label["fixture"]).read_bytes(), html=True)
        day = dt.datetime.fromisoformat(label["date_published"].replace("Z", "+00:00")).date() \
            if "date_published" in label else None
        row = judge(html, label.get("title"), label.get("author"), day, utc=True)
        rows.append(dict(row, id=label["fixture"], half=site_half(label["site"]),
                         label={"title": label.get("title"), "author": label.get("author"), "date": day}))
    _report("all pages", rows)
    for half in ("A", "B"):
        _report(f"half {half}", [r for r in rows if r["half"] == half])
    if errors:
        _errors([r for r in rows if r["half"] == "A"])


def fundus(root: Path, errors: bool) -> None:
    import gzip
    import statistics

    import trafilatura

    rows: list[dict] = []
    for label in fundus_labels(root):
        html, _ = decode_bytes(gzip.open(root / label["fixture"]).read(), html=True)
        row = judge(html, label["title"], "; ".join(label["authors"]) or None, label["day"])
        ref = tokens(label["body"])
        ours = row["ours"]
        row["body"] = prf(tokens("\n".join(ours.body) if ours else ""), ref)
        row["trafilatura"] = prf(tokens(trafilatura.extract(html) or ""), ref)
        rows.append(dict(row, id=label["fixture"], half=site_half(label["site"]),
                         label={"title": label["title"], "author": label["authors"], "date": label["day"]}))
    for name, part in (("all pages", rows), ("half A", [r for r in rows if r["half"] == "A"]),
                       ("half B", [r for r in rows if r["half"] == "B"])):
        _report(name, part)
        for system in ("body", "trafilatura"):
            p, r, f = (statistics.mean(x[system][k] for x in part) for k in range(3))
            print(f"  {'searchapp' if system == 'body' else system:11s} body P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    if errors:
        _errors([r for r in rows if r["half"] == "A"])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mercury", type=Path, help="checkout of postlight/parser")
    ap.add_argument("--fundus", type=Path, help="checkout of flairNLP/fundus")
    ap.add_argument("--errors", action="store_true", help="list the misses of train (or Mercury's or fundus's half A)")
    args = ap.parse_args(argv)
    if args.fundus:
        fundus(args.fundus, args.errors)
    elif args.mercury:
        mercury(args.mercury, args.errors)
    else:
        fixtures(args.errors)


if __name__ == "__main__":
    main()
