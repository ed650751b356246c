"""Dumps of pages nobody here labelled: body F1 and titles on Zyte's article-extraction-benchmark;
titles, dates and authors on Postlight Parser's per-site fixtures; all four on fundus's.

    .venv/bin/python bench/external_dumps.py --benchmark DIR
    .venv/bin/python bench/external_dumps.py --mercury DIR [--errors]
    .venv/bin/python bench/external_dumps.py --fundus DIR [--errors]

DIR is a checkout of github.com/scrapinghub/article-extraction-benchmark (MIT): 181 real article
pages from 126 sites (html/<id>.html.gz) with their article bodies written by people
(ground-truth.json). None of it was used to build bench/dumpset.py's splits or to train or write
anything in the ingest, so it is a held-out set from outside: its pages are rendered to dumps
exactly as bench/dumpset.py renders its own (BeautifulSoup with lxml, scripts dropped,
get_text("\n"), stripped lines) and go through the whole ingest.

Printed: body token P, R, F1 (bench/dumps.py's tokens and prf, mean over pages) of searchapp, of
the whole dump and of jusText on the same lines; the same for the pages whose site is in none of
the dumpset's splits (with the bench cache's dumpset present); and titles, judged as
bench/dump_titles.py judges them (token F1 >= 0.8) against the headline the page itself states,
which the benchmark does not label: in its markup (og:title, twitter:title, <h1>), and also in
its <title> less the site part (stated_headlines).

--mercury: DIR is a checkout of github.com/postlight/parser (MIT/Apache-2.0; formerly Mercury
Parser). Each site it supports has a real page saved in fixtures/ and a test
(src/extractors/custom/<site>/index.test.js) whose expected title, author and date_published a
person wrote for that page (mercury_labels reads them). None of it was used to write or train
the ingest. The pages are split by a hash of the site into half A, whose misses may be read
(`--errors` lists only A), and half B, only ever measured whole. A title is right with token
F1 >= 0.8 against the label (bench/dump_titles.py's judge), an author with F1 >= 0.5
(bench/dump_authors.py's), a date when its day is the label's; the labels are UTC instants
("2016-12-09T09:13:00.000Z") and pages state their local day, so a day one off the UTC day is
counted apart. Each miss of a date or author is split by whether the dump states it at all
(bench/dump_dates.py's and bench/dump_authors.py's own patterns).

--fundus: DIR is a checkout of github.com/flairNLP/fundus (MIT), first measured 2026-12-03. Its
parser tests keep one or more real article pages per publisher (tests/resources/parser/test_data/
<country>/<Publisher>_<date>.html.gz, 258 pages of about 200 publishers in 40 countries, mostly
German, English, Spanish and Japanese, 3 Russian and 3 Ukrainian), each with the title, authors,
publishing date and body (summary, section headlines and paragraphs) that publisher's hand-written
parser gives and its authors checked (<Publisher>.json). None of it was used to write or train
the ingest. Halves as --mercury's, by a hash of the publisher: A's misses may be read, B is only
measured whole. Judged: the body's token P/R/F1 (as --benchmark) beside the whole dump and
jusText; the title as --mercury; the day against the label's own local day (its offset is the
page's, so no day is counted apart); the authors as --mercury (F1 >= 0.5 with the names joined)
and by names: the share of labelled names ours holds, and of ours that are labelled.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import CACHE  # noqa: E402
from bench.dumps import folder_scores, jus, ours, prf, tokens  # noqa: E402
from bench.dumpset import render_body_only, render_dump, render_unseparated  # noqa: E402
from searchapp.ingest.decode import decode_bytes  # noqa: E402

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def dumpset_sites() -> set[str] | None:
    """Return the hosts of every page in the dumpset's splits, or None when the set is not built."""
    folder = CACHE / "dumpset"
    if not (folder / "train.jsonl").exists():
        return None
    sites: set[str] = set()
    for path in folder.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line:
                sites.add(_host(json.loads(line).get("site") or ""))
    return sites


def _host(site_or_url: str) -> str:
    host = site_or_url.split("/")[2] if "://" in site_or_url else site_or_url
    return host.lower().removeprefix("www.")


_TITLE_SEPARATOR = re.compile(r"\s[-|–—:•»]\s")


def stated_headlines(html: str) -> tuple[list[str], list[str]]:
    """Return the headlines the page states in its markup (og:title, twitter:title, <h1>), and the
    same with its <title> less the site part: the longest part of a <title> a separator splits
    ("Headline - Site"; the judge's own cut, not the product's); a <title> with no separator may
    be the site's name alone, so it gives no form."""
    from lxml import html as lxml_html

    doc = lxml_html.document_fromstring(_DECLARATION.sub("", html))
    found = doc.xpath('//meta[@property="og:title"]/@content | //meta[@name="twitter:title"]/@content'
                      ' | //meta[@property="twitter:title"]/@content')
    found = [" ".join(str(c).split()) for c in found] + [" ".join(h.text_content().split()) for h in doc.xpath("//h1")]
    marked = [f for f in found if f]
    titles = [" ".join(t.text_content().split()) for t in doc.xpath("//head/title")]
    parts = _TITLE_SEPARATOR.split(titles[0]) if titles else []
    return marked, marked + ([max(parts, key=len)] if len(parts) >= 2 else [])


_JS_STRING = r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`|null|undefined)"""
_JS_VALUE = rf"({_JS_STRING}(?:\s*\+\s*{_JS_STRING})*)"


def _js_value(text: str) -> str | None:
    """Return the value of a JS string literal, or of several joined by +; None for null."""
    out = ""
    for literal in re.findall(_JS_STRING, text):
        if literal in ("null", "undefined"):
            return None
        body = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), literal[1:-1])
        out += re.sub(r"\\(.)", r"\1", body)
    return out


def mercury_labels(root: Path) -> list[dict]:
    """Return one label per fixture page: site, fixture, url, and the test's title, author and
    date_published where it asserts them (a fixture several tests read is labelled once)."""
    seen: dict[str, dict] = {}
    for test in sorted(root.glob("src/extractors/custom/*/index.test.js")):
        chunks = re.split(r"readFileSync\(\s*['\"]\./fixtures/", test.read_text(encoding="utf-8"))
        for before, chunk in zip(chunks, chunks[1:]):
            fixture = re.match(r"([^'\"]+)['\"]", chunk).group(1)
            urls = re.findall(r"url\s*=\s*" + _JS_VALUE, before)
            label = {"site": test.parent.name, "fixture": fixture, "url": _js_value(urls[-1]) if urls else None}
            for field in ("title", "author", "date_published"):
                found = re.search(rf"assert\.(?:equal|strictEqual)\(\s*{field}\s*,\s*" + _JS_VALUE, chunk)
                if found and _js_value(found.group(1)):
                    label[field] = _js_value(found.group(1))
            if len(label) > len(seen.get(fixture, {})):
                seen[fixture] = label
    return [label for label in seen.values() if len(label) > 3]


def site_half(site: str) -> str:
    import hashlib

    return "A" if hashlib.md5(site.encode()).digest()[0] % 2 == 0 else "B"


def _mercury_row(root: Path, label: dict, known: set[str] | None) -> dict:
    import datetime as dt

    from bench.dump_authors import name_counts, stated_at
    from bench.dump_dates import stated_patterns
    from searchapp.ingest.pipeline import ingest_text
    from bench.dumps import _SOURCE

    html, _ = decode_bytes((root / "fixtures" / label["fixture"]).read_bytes(), html=True)
    lines = render_dump(html)
    articles = ingest_text("\n\n".join(lines), fmt="txt", source=_SOURCE, rel_path="page.txt")
    first = articles[0] if articles else None
    row: dict = {"label": label, "half": site_half(label["site"]), "lines": lines, "article": first,
                 "unseen": known is not None and _host(label["site"]) not in known}
    if "title" in label:
        row["title"] = bool(first) and prf(tokens(first.title), tokens(label["title"]))[2] >= 0.8
    if "author" in label:
        ours_author = (first.author or "") if first else ""
        row["author"] = "right" if ours_author and prf(tokens(ours_author), tokens(label["author"]))[2] >= 0.5 \
            else ("other" if ours_author else "none")
        row["author_stated"] = bool(stated_at(lines, label["author"]))
        row["author_names"] = name_counts(ours_author, label["author"])
    if "date_published" in label:
        utc = dt.datetime.fromisoformat(label["date_published"].replace("Z", "+00:00")).date()
        published = first.published if first else None
        day = published.date() if isinstance(published, dt.datetime) else published
        row["date"] = "none" if day is None else ("right" if day == utc else
                                                  "a day off" if abs((day - utc).days) == 1 else "wrong")
        row["date_stated"] = any(stated_patterns(utc + dt.timedelta(days=k)).search(line)
                                 for k in (-1, 0, 1) for line in lines)
    return row


def _halves(rows: list[dict], known: set[str] | None, unseen: str) -> list[tuple[str, list[dict]]]:
    """Return the views a halved set is printed by: all, half A, half B, and the unseen sites' pages."""
    views = [("all pages", rows), ("half A (misses may be read)", [r for r in rows if r["half"] == "A"]),
             ("half B (only measured whole)", [r for r in rows if r["half"] == "B"])]
    if known is not None:
        views.append((unseen, [r for r in rows if r["unseen"]]))
    return views


def _field_lines(part: list[dict], verdicts: tuple[str, ...]) -> None:
    """Print the dates' and authors' verdicts of a view, the misses the dump does not state apart,
    and the authors' names view."""
    from bench.dump_authors import names_line

    for field in ("date", "author"):
        judged = [r for r in part if field in r]
        counts = {v: sum(r[field] == v for r in judged) for v in verdicts}
        unstated = sum(r[field] != "right" and not r[f"{field}_stated"] for r in judged)
        stated = [r for r in judged if r[f"{field}_stated"]]
        shown = ", ".join(f"{v} {n}" for v, n in counts.items() if n)
        print(f"  {field}s: {counts['right']}/{len(judged)} = {counts['right'] / max(1, len(judged)):.1%} right "
              f"({shown}; of the misses {unstated} not stated in the dump); where the dump states it: "
              f"{sum(r[field] == 'right' for r in stated)}/{len(stated)}")
    print("  author " + names_line([r["author_names"] for r in part if "author_names" in r]))


def mercury(root: Path, errors: bool) -> None:
    known = dumpset_sites()
    rows = [_mercury_row(root, label, known) for label in mercury_labels(root)]
    for name, part in _halves(rows, known, "sites in no dumpset split"):
        print(f"{name} ({len(part)} pages, {len({r['label']['site'] for r in part})} sites):")
        titled = [r["title"] for r in part if "title" in r]
        print(f"  titles: {sum(titled)}/{len(titled)} = {sum(titled) / max(1, len(titled)):.1%} right")
        _field_lines(part, ("right", "a day off", "none", "other", "wrong"))
    if errors:
        for r in rows:
            if r["half"] != "A":
                continue
            a, label = r["article"], r["label"]
            for field, ours_value in (("title", a and a.title), ("author", a and a.author),
                                      ("date", a and a.published)):
                verdict = r.get(field)
                if field == "author" and verdict == "right" and r["author_names"][1:] != (r["author_names"][0],) * 2:
                    verdict = "names"   # (the token judge passes it, a name is missing or added)
                if verdict in (None, True, "right"):
                    continue
                key = "date_published" if field == "date" else field
                print(f"\n{label['fixture']} {field}: label {label[key]!r}  ours {ours_value!r}")
                for k, line in enumerate(r["lines"][:40]):
                    print(f"      {k:4d} {line[:150]}")


def fundus_labels(root: Path) -> list[dict]:
    """Return one label per fundus test page: publisher, country, the page's path, and the
    title, authors, local day and body its test JSON states. A JSON holds one extraction per
    parser version, each of one of the publisher's pages: a version is the page whose HTML states
    its title (fundus names the page by its crawl date, the version by its parser)."""
    import datetime as dt
    import html as html_lib

    labels = []
    for expected in sorted(root.glob("tests/resources/parser/test_data/*/*.json")):
        pages = sorted(expected.parent.glob(expected.stem + "_*.html.gz"))
        texts = {page: html_lib.unescape(gzip.open(page).read().decode("utf-8", "replace")) for page in pages}
        for version, item in json.loads(expected.read_text(encoding="utf-8")).items():
            title = item.get("title") or ""
            page = next((p for p in pages if title and title[:40] in texts[p]), None)
            if page is None:
                continue
            body = item.get("body") or {}
            parts = list(body.get("summary") or [])
            for section in body.get("sections") or []:
                parts += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
            when = item.get("publishing_date")
            labels.append({
                "site": expected.stem, "country": expected.parent.name, "fixture": str(page.relative_to(root)),
                "version": version, "title": title, "authors": [a for a in item.get("authors") or [] if a],
                "day": dt.datetime.fromisoformat(when).date() if when else None, "body": "\n".join(parts),
            })
    return labels


def _fundus_row(root: Path, label: dict, known: set[str] | None) -> dict:
    import datetime as dt

    from bench.dump_authors import name_counts, stated_at
    from bench.dump_dates import stated_patterns
    from bench.dumps import _SOURCE
    from searchapp.ingest.pipeline import ingest_text

    html, _ = decode_bytes(gzip.open(root / label["fixture"]).read(), html=True)
    lines = render_dump(html)
    articles = ingest_text("\n\n".join(lines), fmt="txt", source=_SOURCE, rel_path="page.txt")
    first = articles[0] if articles else None
    ref = tokens(label["body"])
    page = {"lines": lines}
    url = json.loads((root / label["fixture"]).with_name("meta.info").read_text(encoding="utf-8"))
    url = url.get(Path(label["fixture"]).name, {}).get("url") or ""
    row: dict = {"label": label, "half": site_half(label["site"]), "lines": lines, "article": first,
                 "unseen": known is not None and _host(url) not in known,
                 "searchapp": prf(tokens("\n".join(b for a in articles for b in a.body)), ref),
                 "whole dump": prf(tokens("\n".join(lines)), ref), "jusText": prf(tokens(jus(page)), ref),
                 "title": bool(first) and prf(tokens(first.title), tokens(label["title"]))[2] >= 0.8}
    marked, _ = stated_headlines(html)
    row["title_stated"] = row["title"] or (bool(first) and any(
        prf(tokens(first.title), tokens(form))[2] >= 0.8 for form in marked))
    if label["authors"]:
        ours_author = (first.author or "") if first else ""
        joined = "; ".join(label["authors"])
        row["author"] = "right" if ours_author and prf(tokens(ours_author), tokens(joined))[2] >= 0.5 \
            else ("other" if ours_author else "none")
        row["author_stated"] = any(stated_at(lines, name) for name in label["authors"])
        row["author_names"] = name_counts(ours_author, joined)
    if label["day"] is not None:
        published = first.published if first else None
        day = published.date() if isinstance(published, dt.datetime) else published
        row["date"] = "none" if day is None else ("right" if day == label["day"] else "wrong")
        row["date_stated"] = any(stated_patterns(label["day"]).search(line) for line in lines)
    return row


def fundus(root: Path, errors: bool) -> None:
    known = dumpset_sites()
    rows = [_fundus_row(root, label, known) for label in fundus_labels(root)]
    for name, part in _halves(rows, known, "publishers in no dumpset split"):
        print(f"{name} ({len(part)} pages, {len({r['label']['site'] for r in part})} publishers):")
        for system in ("searchapp", "whole dump", "jusText"):
            p, r, f = (statistics.mean(x[system][k] for x in part) for k in range(3))
            print(f"  body {system:10s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
        print(f"  titles: {sum(r['title'] for r in part)}/{len(part)} = {sum(r['title'] for r in part) / len(part):.1%} right; "
              f"{sum(r['title_stated'] for r in part)}/{len(part)} = {sum(r['title_stated'] for r in part) / len(part):.1%} "
              f"the label or a headline the page's markup states (og:title, twitter:title, <h1>)")
        _field_lines(part, ("right", "none", "other", "wrong"))
    if errors:
        for r in rows:
            if r["half"] != "A":
                continue
            a, label = r["article"], r["label"]
            misses = [(field, label[key], ours_value) for field, key, ours_value, ok in (
                ("title", "title", a and a.title, r["title"]),
                ("author", "authors", a and a.author, r.get("author") in (None, "right")),
                ("date", "day", a and a.published, r.get("date") in (None, "right")),
                ("body", "site", f"F1 {r['searchapp'][2]:.2f} P {r['searchapp'][0]:.2f} R {r['searchapp'][1]:.2f}",
                 r["searchapp"][2] >= 0.8)) if not ok]
            for field, theirs, ours_value in misses:
                print(f"\n{label['fixture']} {field}: label {theirs!r}  ours {ours_value!r}")
            if misses:
                for k, line in enumerate(r["lines"][:40]):
                    print(f"      {k:4d} {line[:150]}")


def _states(title: str, forms: list[str]) -> bool | None:
    """Tell whether `title` matches one of the headlines a page states (token F1 >= 0.8); None when it states none."""
    return any(prf(tokens(title), tokens(f))[2] >= 0.8 for f in forms) if forms else None


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--benchmark", type=Path, help="checkout of scrapinghub/article-extraction-benchmark")
    group.add_argument("--mercury", type=Path, help="checkout of postlight/parser (fixtures/ and src/extractors/custom/)")
    group.add_argument("--fundus", type=Path, help="checkout of flairNLP/fundus (tests/resources/parser/test_data/)")
    ap.add_argument("--errors", action="store_true", help="with --mercury or --fundus: list half A's misses")
    args = ap.parse_args(argv)
    if args.fundus:
        fundus(args.fundus, args.errors)
        return
    if args.mercury:
        mercury(args.mercury, args.errors)
        return
    truth = json.loads((args.benchmark / "ground-truth.json").read_text(encoding="utf-8"))
    known = dumpset_sites()
    rows: list[dict] = []
    pages: list[dict] = []
    for key, item in sorted(truth.items()):
        html, _ = decode_bytes(gzip.open(args.benchmark / "html" / f"{key}.html.gz").read(), html=True)
        page = {"lines": render_dump(html), "site": _host(item.get("url") or key), "ref": item["articleBody"]}
        pages.append(page)
        ref = tokens(item["articleBody"])
        body, title = ours(page)
        marked, forms = stated_headlines(html)
        glued_body, glued_title = ours({"text": render_unseparated(html)})
        bare_body, bare_title = ours({"text": render_body_only(html)})
        rows.append({
            "searchapp": prf(tokens(body), ref), "whole dump": prf(tokens("\n".join(page["lines"])), ref),
            "jusText": prf(tokens(jus(page)), ref),
            "unseen": known is not None and _host(item.get("url") or "") not in known,
            "title_marked": _states(title, marked), "title_ok": _states(title, forms),
            "forms": forms,
            "searchapp, get_text()": prf(tokens(glued_body), ref),
            "title_glued": _states(glued_title, forms),
            "searchapp, body only": prf(tokens(bare_body), ref),
            "title_bare": _states(bare_title, forms),
        })
    # The issue's own protocol: a user adds an outlet as one corpus folder of its pages, so lines
    # repeated across a site's files count as its template; the pages alone leave that out.
    in_folders, folder_titles = folder_scores(pages)
    for row, score, title in zip(rows, in_folders, folder_titles):
        row["searchapp, site folders"] = score
        row["title_folders"] = _states(title, row["forms"])
    views = [("all pages", rows)]
    if known is not None:
        views.append(("sites in no dumpset split", [r for r in rows if r["unseen"]]))
    for name, part in views:
        print(f"{name} ({len(part)} pages):")
        for system in ("searchapp", "searchapp, site folders", "searchapp, get_text()", "searchapp, body only",
                       "whole dump", "jusText"):
            p, r, f = (statistics.mean(x[system][k] for x in part) for k in range(3))
            print(f"  body {system:10s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
        for key, what in (("title_marked", "og:title, twitter:title or an <h1>"),
                          ("title_ok", "those or the <title> less its site part"),
                          ("title_folders", "those, with the pages as one corpus folder per site"),
                          ("title_glued", "those, the dump written by get_text() with no separator"),
                          ("title_bare", "those, the dump of the <body> alone, no <title> line")):
            judged = [x[key] for x in part if x[key] is not None]
            print(f"  titles: {sum(judged)}/{len(judged)} = {sum(judged) / len(judged):.1%} match a headline "
                  f"the page states ({what})")


if __name__ == "__main__":
    main()
