"""Dumps of pages nobody here labelled: body F1 and titles on Zyte's article-extraction-benchmark.

    .venv/bin/python bench/external_dumps.py --benchmark DIR

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
from bench.dumps import jus, ours, prf, tokens  # noqa: E402
from bench.dumpset import render_dump  # noqa: E402
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


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--benchmark", type=Path, required=True, help="checkout of scrapinghub/article-extraction-benchmark")
    args = ap.parse_args(argv)
    truth = json.loads((args.benchmark / "ground-truth.json").read_text(encoding="utf-8"))
    known = dumpset_sites()
    rows: list[dict] = []
    for key, item in sorted(truth.items()):
        html, _ = decode_bytes(gzip.open(args.benchmark / "html" / f"{key}.html.gz").read(), html=True)
        page = {"lines": render_dump(html)}
        ref = tokens(item["articleBody"])
        body, title = ours(page)
        marked, forms = stated_headlines(html)
        rows.append({
            "searchapp": prf(tokens(body), ref), "whole dump": prf(tokens("\n".join(page["lines"])), ref),
            "jusText": prf(tokens(jus(page)), ref),
            "unseen": known is not None and _host(item.get("url") or "") not in known,
            "title_marked": any(prf(tokens(title), tokens(f))[2] >= 0.8 for f in marked) if marked else None,
            "title_ok": any(prf(tokens(title), tokens(f))[2] >= 0.8 for f in forms) if forms else None,
        })
    views = [("all pages", rows)]
    if known is not None:
        views.append(("sites in no dumpset split", [r for r in rows if r["unseen"]]))
    for name, part in views:
        print(f"{name} ({len(part)} pages):")
        for system in ("searchapp", "whole dump", "jusText"):
            p, r, f = (statistics.mean(x[system][k] for x in part) for k in range(3))
            print(f"  body {system:10s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
        for key, what in (("title_marked", "og:title, twitter:title or an <h1>"),
                          ("title_ok", "those or the <title> less its site part")):
            judged = [x[key] for x in part if x[key] is not None]
            print(f"  titles: {sum(judged)}/{len(judged)} = {sum(judged) / len(judged):.1%} match a headline "
                  f"the page states ({what})")


if __name__ == "__main__":
    main()
