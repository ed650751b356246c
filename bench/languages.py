"""Measure language detection on real text in ../shared/corpora, and the region's Cyrillic languages.

Run: .venv/bin/python bench/languages.py

- Collection5 (1,000 Russian news texts): share detected "ru".
- Reuters-21578 (19,043 English wire stories, title + body): share detected "en", without a hint.
- tgnews-contest-2020 CSVs (598 Russian, 590 English rows): share detected as their file's language.
- tgnews-contest-2020 HTML pages through the whole HTML ingest, from outlets that publish in one
  language (the 105 uza.uz pages are its Uzbek Cyrillic edition, the only Central Asian text in the
  shared corpora); pages of outlets that mix languages (timeua.info, hi-tech.ua) are left out.
"""
from __future__ import annotations

import collections
import csv
import gzip
import json
import re
import sys
import tarfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import CACHE, SHARED, reuters_records  # noqa: E402
from searchapp.ingest.language import detect_language  # noqa: E402

# Outlet -> the one language it publishes in (read from the pages, not from what was detected).
OUTLETS = {
    "uza.uz": "uz", "www.elperiodicomediterraneo.com": "es", "elsiglo.com.pa": "es", "www.lmneuquen.com": "es",
    "hindi.webdunia.com": "hi", "saharareporters.com": "en", "www.ziuaconstanta.ro": "ro", "al-akhbar.com": "ar",
    "orientaldaily.on.cc": "zh", "beritajatim.com": "id", "nra.lv": "lv", "www.etnews.com": "ko",
    "www.istoedinheiro.com.br": "pt", "www.ondarock.it": "it", "www.sportal.bg": "bg", "bombardir.ru": "ru",
    "vashgorod.ru": "ru", "eadaily.com": "ru", "tech.sina.com.cn": "zh", "www.ilboursa.com": "fr",
    "www.sozcu.com.tr": "tr", "www.fosonline.gr": "el", "www.rtl.fr": "fr",
}


def share(texts: list[str], expected: str) -> tuple[int, int, collections.Counter]:
    got = collections.Counter(detect_language(t) for t in texts)
    return got[expected], len(texts), got


def tgnews_pages() -> dict[str, list[str]]:
    """Return outlet -> the article text of its pages, as the HTML ingest extracts it."""
    from searchapp.ingest.pipeline import ingest_text
    from searchapp.models import SourceConfig

    root = SHARED / "html-fixtures" / "tgnews-contest-2020"
    dest = CACHE / "tgnews-html"
    if not (dest / ".unpacked").exists():
        dest.mkdir(parents=True, exist_ok=True)
        with tarfile.open(root / "tgnews-html-2020-04-27.tar.xz") as tar:
            tar.extractall(dest, filter="data")
        (dest / ".unpacked").touch()
    src = SourceConfig(name="tg", display_name="tg")
    out: dict[str, list[str]] = collections.defaultdict(list)
    for line in (root / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        m = re.match(r"https?://([^/]+)", rec.get("og:url") or "")
        site = m.group(1) if m else ""
        if site not in OUTLETS:
            continue
        html = next(dest.rglob(rec["file"])).read_text(encoding="utf-8")
        for article in ingest_text(html, fmt="html", source=src, rel_path=f"tg/{rec['file']}"):
            out[site].append(" ".join([article.title] + article.body))
    return out


def main() -> None:
    t0 = time.perf_counter()
    with gzip.open(SHARED / "ru-news" / "collection5-ne5.jsonl.gz", "rt", encoding="utf-8") as fh:
        c5 = [json.loads(line)["text"] for line in fh]
    ok, n, got = share(c5, "ru")
    print(f"Collection5:          {ok}/{n} ru = {ok / n:.3f}   others {dict(got - collections.Counter({'ru': ok}))}")
    reuters = [f"{r['title']}\n\n{r['body']}" for r in reuters_records()]
    ok, n, got = share(reuters, "en")
    print(f"Reuters-21578:        {ok}/{n} en = {ok / n:.4f}   others {dict(got.most_common()[1:8])}")
    csv.field_size_limit(sys.maxsize)
    for lang in ("ru", "en"):
        path = SHARED / "ru-news" / "tgnews-contest-2020" / f"{lang}_test.csv.gz"
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            rows = [r[0] for r in csv.reader(fh, delimiter="\t")][1:]
        ok, n, got = share(rows, lang)
        print(f"tgnews {lang}_test.csv:  {ok}/{n} {lang} = {ok / n:.3f}   others {dict(got.most_common()[1:6])}")
    pages = tgnews_pages()
    total = right = 0
    for site, texts in sorted(pages.items(), key=lambda kv: -len(kv[1])):
        ok, n, got = share(texts, OUTLETS[site])
        total, right = total + n, right + ok
        if ok < n or site == "uza.uz":
            print(f"  {site:34s} {OUTLETS[site]}: {ok}/{n}   got {dict(got)}")
    print(f"tgnews HTML pages, one-language outlets: {right}/{total} = {right / total:.3f}")
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
