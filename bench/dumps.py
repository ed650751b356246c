"""Measure finding the article in text dumps: body P/R/F1, titles, flattened dumps, pages/s.

    .venv/bin/python bench/dumps.py [--split test] [--speed-copies 3] [--skip-speed]

Pages: the held-out split of bench/dumpset.py (sites never used for training or tuning), each
page a scraper's dump of a real page. Body: token P/R/F1 (`\\w+`, lower-cased, multisets, mean
over pages) of the ingested articles' bodies against the reference body, beside the dump left
uncleaned and jusText run on the same lines (each line a <p>, the stoplist of the language whose
stop words cover most of the page), and the same pages ingested as a corpus with one folder per
site (template lines across a site's files on, as when a user adds an outlet). Titles: share of pages whose title matches the page's
labelled headline (token F1 >= 0.8, and exactly after normalising), or the same headline as the
page's <h1> or og:title renders it (bench/dumpset.py title_forms: a label copied from the <title>
keeps the site name the product cuts); the label-only figure is printed beside it. Dates: pages with a
labelled publication date (htmldate-eval, trafilatura-eval), the day right, beside htmldate run on the
same lines as paragraphs; authors: pages with a labelled author (trafilatura-eval), the name right. Flattened dumps: the 1,188
one-line texts of ../shared/corpora/ru-news/tgnews-contest-2020, each ingested as a .txt file:
how many get a date, an author and the title their first block states. Clean texts: BBC News and
factRuEval-2016 article files, which the cleaner must leave whole (clean_texts). Speed: the split's dumps
as a corpus folder (one source per site) through the whole ingest (ingest_corpus, 2 worker
processes, template lines included), pages/s; and CPU time per page in a fresh process.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import dumpset  # noqa: E402
from bench.corpora import CACHE, SHARED  # noqa: E402
from searchapp.config import Settings  # noqa: E402
from searchapp.ingest.language import detect_language  # noqa: E402
from searchapp.ingest.pipeline import ingest_corpus, ingest_text  # noqa: E402
from searchapp.models import SourceConfig  # noqa: E402

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def prf(pred: list[str], ref: list[str]) -> tuple[float, float, float]:
    """Return P, R, F1 of two token multisets."""
    if not pred and not ref:
        return 1.0, 1.0, 1.0
    common = sum((Counter(pred) & Counter(ref)).values())
    p = common / len(pred) if pred else 0.0
    r = common / len(ref) if ref else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load_split(split: str) -> list[dict]:
    path = CACHE / "dumpset" / f"{split}.jsonl"
    if not path.exists():
        dumpset.main([])
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def dump_text(page: dict) -> str:
    """The page's dump: its own text when it has one (another shape of dump), else its lines."""
    return page["text"] if "text" in page else "\n\n".join(page["lines"])


_SOURCE = SourceConfig(name="dumps", display_name="dumps")


def ours(page: dict) -> tuple[str, str]:
    """Return (body text, title) the whole ingest gives the page's dump."""
    articles = ingest_text(dump_text(page), fmt="txt", source=_SOURCE, rel_path="page.txt")
    body = "\n".join(b for a in articles for b in a.body)
    return body, (articles[0].title if articles else "")


_STOPLISTS: dict[str, frozenset[str]] = {}


def _stoplist_for(words: list[str]) -> str:
    import justext

    if not _STOPLISTS:
        for name in justext.get_stoplists():
            _STOPLISTS[name] = frozenset(justext.get_stoplist(name))
    return max(sorted(_STOPLISTS), key=lambda n: sum(w in _STOPLISTS[n] for w in words))


def jus(page: dict) -> str:
    """Return jusText's main text over the dump's lines, each wrapped as a paragraph."""
    import html

    import justext

    words = tokens(" ".join(page["lines"]))[:3000]
    lang = _stoplist_for(words)
    doc = "<html><body>" + "".join(f"<p>{html.escape(l)}</p>" for l in page["lines"]) + "</body></html>"
    paras = justext.justext(doc.encode("utf-8"), justext.get_stoplist(lang), encoding="utf-8")
    return "\n".join(p.text for p in paras if not p.is_boilerplate)


def body_figures(pages: list[dict]) -> None:
    rows: dict[str, list[tuple[float, float, float]]] = {"whole dump": [], "jusText (same lines)": [], "searchapp": []}
    per_page = []
    titles = []
    for page in pages:
        ref = tokens(page["ref"])
        rows["whole dump"].append(prf(tokens(dump_text(page)), ref))
        rows["jusText (same lines)"].append(prf(tokens(jus(page)), ref))
        body, title = ours(page)
        score = prf(tokens(body), ref)
        rows["searchapp"].append(score)
        per_page.append((score[2], page))
        if page.get("title"):
            titles.append((title, [page["title"]] + page.get("title_forms", []), page))
    print(f"body, held-out pages: {len(pages)} ({sum(p['gold'] for p in pages)} with gold text, "
          f"{sum(p['mixed'] for p in pages)} English with Russian chrome), {len({p['site'] for p in pages})} sites")
    print("| method | P | R | F1 |")
    print("|---|---|---|---|")
    for name, scores in rows.items():
        print(f"| {name} | {statistics.mean(s[0] for s in scores):.3f} | {statistics.mean(s[1] for s in scores):.3f} "
              f"| {statistics.mean(s[2] for s in scores):.3f} |")
    folder, folder_titles = folder_scores(pages)
    print(f"| searchapp, one corpus folder per site (template lines across its files on) "
          f"| {statistics.mean(s[0] for s in folder):.3f} | {statistics.mean(s[1] for s in folder):.3f} "
          f"| {statistics.mean(s[2] for s in folder):.3f} |")
    f1 = [f for f, _ in per_page]
    print(f"searchapp median page F1 {statistics.median(f1):.3f}; pages under 0.5: {sum(f < 0.5 for f in f1)}")
    for name, keep in (("gold-text pages", lambda p: p["gold"]), ("teacher pages", lambda p: not p["gold"]),
                       ("mixed (Russian chrome) pages", lambda p: p["mixed"]),
                       ("Cyrillic pages", lambda p: dumpset.script(" ".join(p["lines"])) == "cyr"),
                       # The kind of page the unseen set holds (English news pages of other
                       # outlets, DUMPS.md): the reference's language English, no Russian chrome added.
                       ("English pages (reference in English, no added chrome)",
                        lambda p: not p["mixed"] and detect_language(p["ref"][:2000]) == "en")):
        part = [f for f, p in per_page if keep(p)]
        if part:
            print(f"  {name}: {len(part)} pages, mean F1 {statistics.mean(part):.3f}")
    dom_extractor_on_gold(per_page)
    if titles:
        def right(ours_t: str, forms: list[str], *, exact: bool) -> bool:
            if exact:
                return any(" ".join(tokens(ours_t)) == " ".join(tokens(g)) for g in forms)
            return any(prf(tokens(ours_t), tokens(g))[2] >= 0.8 for g in forms)

        n = len(titles)
        loose = sum(right(t, forms, exact=False) for t, forms, _ in titles)
        exact = sum(right(t, forms, exact=True) for t, forms, _ in titles)
        label = sum(right(t, forms[:1], exact=False) for t, forms, _ in titles)
        label_exact = sum(right(t, forms[:1], exact=True) for t, forms, _ in titles)
        print(f"titles: {loose}/{n} = {loose / n:.1%} match the headline (token F1 >= 0.8 with the label or the "
              f"page's <h1>/og:title rendering of it), {exact / n:.1%} exactly; against the label alone "
              f"{label / n:.1%}, {label_exact / n:.1%} exactly")
        in_folder = {id(p): t for p, t in zip(pages, folder_titles)}
        folder_loose = sum(right(in_folder[id(p)], forms, exact=False) for _, forms, p in titles)
        print(f"  titles with the pages as one corpus folder per site (template lines across its files on): "
              f"{folder_loose}/{n} = {folder_loose / n:.1%}")
        # Beside the judged figure (unchanged): pages whose label cannot be a dump's headline. A
        # Collection5 transplant's <title> and headline name its original page; a label that no
        # line of the dump states, or that several pages of one site share, is the site's title.
        plain = [(t, forms, p) for t, forms, p in titles if p["corpus"] != "collection5"]
        shared: dict[tuple[str, str], set[str]] = {}
        for _, forms, p in plain:
            shared.setdefault((p["site"], " ".join(tokens(forms[0]))), set()).add(p.get("url") or p["id"].split("#")[0])

        def stated(forms: list[str], lines: list[str]) -> bool:
            keys = [" ".join(tokens(g)) for g in forms]
            return any(k and (k in " ".join(tokens(line)) or prf(tokens(line), k.split())[2] >= 0.8)
                       for line in lines for k in keys)

        noise = [len(shared[(p["site"], " ".join(tokens(forms[0])))]) > 1 or not stated(forms, p["lines"])
                 for _, forms, p in plain]
        ok = [right(t, forms, exact=False) for t, forms, _ in plain]
        clean_ok = sum(o for o, bad in zip(ok, noise) if not bad)
        if plain:
            print(f"  titles of pages that are not Collection5 transplants: {sum(ok)}/{len(plain)} = "
                  f"{sum(ok) / len(plain):.1%}; labels no dump line states or several pages of a site share: "
                  f"{sum(noise)} ({sum(o for o, bad in zip(ok, noise) if bad)} matched); without them "
                  f"{clean_ok}/{len(plain) - sum(noise)} = {clean_ok / max(1, len(plain) - sum(noise)):.1%}")


def unseparated_figures(pages: list[dict]) -> None:
    """Print body F1 and titles of the split's real pages in other shapes of dump.

    Scrapers often call soup.get_text() bare: over minified HTML the page's elements run together
    on one line, over pretty-printed HTML lines follow the source's. Others take the <body> alone,
    so no <title> line opens the dump. The same pages as lines (the set's own shape) are scored
    beside them. Copies with added chrome have no HTML: left out.
    """
    by_id = {p["id"]: p for p in pages if not p["mixed"] and not p.get("transplant")}
    shapes = {"get_text()": dumpset.render_unseparated, "body only": dumpset.render_body_only}
    scores: dict[str, list[float]] = {"lines": [], **{k: [] for k in shapes}}
    titles: dict[str, list[bool]] = {"lines": [], **{k: [] for k in shapes}}
    for raw in dumpset.raw_pages():
        page = by_id.pop(raw["id"], None)
        if page is None:
            continue
        ref = tokens(page["ref"])
        forms = [page["title"]] + page.get("title_forms", []) if page.get("title") else []
        html = dumpset.decode_page(raw["data"])
        for shape, dump in [("lines", page)] + [(k, {"text": render(html)}) for k, render in shapes.items()]:
            body, title = ours(dump)
            scores[shape].append(prf(tokens(body), ref)[2])
            if forms:
                titles[shape].append(any(prf(tokens(title), tokens(g))[2] >= 0.8 for g in forms))
    n, t = len(scores["lines"]), len(titles["lines"])
    print(f"other shapes of dump, {n} real pages of the split (as lines: body F1 {statistics.mean(scores['lines']):.3f}, "
          f"titles {sum(titles['lines'])}/{t}):")
    for shape, what in (("get_text()", "get_text() with no separator"),
                        ("body only", "the <body> alone, no <title> line")):
        print(f"  {what}: body F1 {statistics.mean(scores[shape]):.3f}, titles {sum(titles[shape])}/{t}")


def dom_extractor_on_gold(per_page: list[tuple[float, dict]]) -> None:
    """Print trafilatura on each gold page's own HTML beside our body of its dump, against the gold text.

    Most held-out pages have no gold text and are scored against trafilatura's extraction (the
    teacher); this says how far that teacher itself is from a gold text, with the whole DOM to read.
    """
    gold = {p["id"]: (f, p) for f, p in per_page if p["gold"] and not p["mixed"] and not p.get("transplant")}
    dom, mine = [], []
    for raw in dumpset.raw_pages():
        if len(dom) == len(gold):
            break       # the gold corpora come first: the other fixtures need not be read
        if raw["id"] not in gold:
            continue
        f, page = gold[raw["id"]]
        extracted = dumpset.teacher(dumpset.decode_page(raw["data"]), raw["url"]) or ""
        dom.append(prf(tokens(extracted), tokens(page["ref"]))[2])
        mine.append(f)
    if dom:
        print(f"  the same {len(dom)} gold-text pages (no Russian chrome): trafilatura on the page's HTML F1 "
              f"{statistics.mean(dom):.3f}, searchapp on its text dump {statistics.mean(mine):.3f}")


def field_labels() -> tuple[dict[str, str], dict[str, str]]:
    """Return the labelled publication dates (YYYY-MM-DD) and authors of the fixture pages, by dumpset page id."""
    root = CACHE / "htmldate-eval" / "tests"
    days, authors = {}, {}
    for name in ("eval_default.json", "eval_mediacloud_2020.json"):
        for item in json.loads((root / name).read_text(encoding="utf-8")).values():
            days[f"htmldate-eval/{item['file']}"] = item["date"]
    for item in json.loads((CACHE / "trafilatura-eval" / "tests" / "evaldata.json").read_text(encoding="utf-8")).values():
        key = f"trafilatura-eval/{item['file']}"
        if item.get("date"):
            days[key] = item["date"]
        if item.get("author"):
            authors[key] = "; ".join(item["author"]) if isinstance(item["author"], list) else item["author"]
    return days, authors


def header_fields(pages: list[dict]) -> None:
    """Dates and authors of the dumps against the pages' labels; dates beside htmldate on the same lines."""
    import datetime as dt
    import html

    from htmldate import find_date

    days, authors = field_labels()
    n = right = none = ref = 0
    a_n = a_right = a_none = 0
    for page in pages:
        key = page["id"].split("#")[0]
        gold, gold_author = days.get(key), authors.get(key)
        if not gold and not gold_author:
            continue
        articles = ingest_text(dump_text(page), fmt="txt", source=_SOURCE, rel_path="page.txt")
        article = articles[0] if articles else None
        if gold_author:
            a_n += 1
            got = (article.author if article else None) or ""
            a_none += not got
            a_right += bool(got) and prf(tokens(got), tokens(gold_author))[2] >= 0.5
        if not gold:
            continue
        n += 1
        value = article.published if article else None
        day = (value.date() if isinstance(value, dt.datetime) else value).isoformat() if value else None
        right += day == gold
        none += day is None
        doc = "<html><body>" + "".join(f"<p>{html.escape(l)}</p>" for l in page["lines"]) + "</body></html>"
        try:
            ref += find_date(doc, original_date=True, extensive_search=True) == gold
        except Exception:  # htmldate's own failures count as misses
            pass
    if n:
        print(f"dates: {n} of those dumps have a labelled date (htmldate-eval, trafilatura-eval): the day right "
              f"{right / n:.1%}, no date {none / n:.1%}, another day {(n - right - none) / n:.1%}; "
              f"htmldate on the same lines {ref / n:.1%}")
    if a_n:
        print(f"authors: {a_n} have a labelled author (trafilatura-eval): right {a_right / a_n:.1%} (token F1 >= 0.5), "
              f"none {a_none / a_n:.1%}, another name {(a_n - a_right - a_none) / a_n:.1%}")


def flattened() -> None:
    """Ingest each flattened tgnews text as its own .txt file; count dates, authors, titles."""
    total = dated = authored = titled = stated_author = stated_day = right_day = 0
    months = {m: k for k, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
    for name in ("ru_test.csv.gz", "en_test.csv.gz"):
        with gzip.open(SHARED / "ru-news" / "tgnews-contest-2020" / name, "rt", encoding="utf-8") as fh:
            csv.field_size_limit(1 << 30)
            for row in csv.DictReader(fh, delimiter="\t"):
                text = row["text"]
                articles = ingest_text(text, fmt="txt", source=_SOURCE, rel_path="row.txt")
                total += 1
                if not articles:
                    continue
                a = articles[0]
                dated += a.published is not None
                day = re.search(r"(\d{2}) (\w{3}) (\d{4}), \d{2}:\d{2}", text)
                if day and day.group(2) in months:
                    stated_day += 1
                    want = (int(day.group(3)), months[day.group(2)], int(day.group(1)))
                    right_day += a.published is not None and (a.published.year, a.published.month,
                                                              a.published.day) == want
                m = re.search(r"\d{2} \w{3} \d{4}, \d{2}:\d{2} by ([^ ].*?)(?:\s{2,}|$)", text)
                stated_author += bool(m)
                authored += bool(m) and a.author == m.group(1).strip()
                first = re.split(r"\s{2,}", text.strip(), maxsplit=1)[0]
                titled += a.title == first
    print(f"flattened dumps: {total} texts; dated {dated} ({dated / total:.1%}), the day right {right_day} of "
          f"{stated_day} that state one; author right {authored} of "
          f"{stated_author} that state one after the date; title = first block {titled} ({titled / total:.1%})")


def clean_texts() -> None:
    """Ingest clean article files the dump work never saw; the cleaner must leave them whole.

    BBC News 2225 (English: the first line is the headline, then the paragraphs) and
    factRuEval-2016 (Russian texts, paragraphs only): body token F1 against the file's own text
    (the BBC headline line left out), and for BBC how many titles are exactly the first line.
    """
    from bench.corpora import unpack

    bbc = unpack(SHARED / "bbc-news-2225" / "bbc-fulltext.tar.gz", "bbc-news-2225")
    f1, titled, n = [], 0, 0
    for path in sorted(bbc.glob("bbc/*/*.txt")):
        raw = path.read_bytes().decode("utf-8", "replace")   # one sport file is not valid UTF-8
        head, _, rest = raw.strip().partition("\n")
        articles = ingest_text(raw, fmt="txt", source=_SOURCE, rel_path="bbc.txt")
        f1.append(prf(tokens("\n".join(b for a in articles for b in a.body)), tokens(rest))[2])
        titled += bool(articles) and articles[0].title == head.strip()
        n += 1
    print(f"clean texts: BBC News {n} English files, body F1 {statistics.mean(f1):.4f} against the file, "
          f"title = its first line {titled} ({titled / n:.1%})")
    fre = unpack(SHARED / "ru-news" / "factRuEval-2016.tar.gz", "factRuEval-2016")
    recall = []
    for path in sorted(fre.glob("*set/book_*.txt")):
        raw = path.read_text(encoding="utf-8")
        articles = ingest_text(raw, fmt="txt", source=_SOURCE, rel_path="fre.txt")
        kept = "\n".join([a.title or "" for a in articles] + [b for a in articles for b in a.body])
        recall.append(prf(tokens(kept), tokens(raw))[1])
    print(f"clean texts: factRuEval-2016 {len(recall)} Russian files, share of the text's tokens kept "
          f"{statistics.mean(recall):.4f}")


def write_site_folders(pages: list[dict], root: Path, copies: int = 1) -> dict[str, int]:
    """Write each page's dump (`copies` times) under root, one folder per site; return path -> page number."""
    where = {}
    for copy in range(copies):
        for k, page in enumerate(pages):
            folder = root / re.sub(r"[^\w.-]", "_", page["site"])
            folder.mkdir(exist_ok=True)
            (folder / f"{copy}-{k}.txt").write_text(dump_text(page), encoding="utf-8")
            where[f"{folder.name}/{copy}-{k}.txt"] = k
    return where


def folder_scores(pages: list[dict]) -> tuple[list[tuple[float, float, float]], list[str]]:
    """Return each page's (P, R, F1) and title when the pages are ingested as a corpus, one folder per site.

    This is how a user adds an outlet: its pages in one source folder, so lines repeated across
    the folder's files are the site's template text. The pages-alone figure above leaves that out.
    """
    root = Path(tempfile.mkdtemp(prefix="dumps-folders-"))
    try:
        where = write_site_folders(pages, root)
        bodies, titles = [""] * len(pages), [""] * len(pages)
        for outcome, articles in ingest_corpus(Settings(corpus_dir=root, ingest_workers=2), progress=False):
            bodies[where[outcome.path]] = "\n".join(b for a in articles for b in a.body)
            titles[where[outcome.path]] = articles[0].title if articles else ""
        return [prf(tokens(body), tokens(page["ref"])) for body, page in zip(bodies, pages)], titles
    finally:
        shutil.rmtree(root, ignore_errors=True)


def speed(pages: list[dict], copies: int, split: str = "test") -> None:
    """Time the split's dumps through the whole ingest as a corpus folder, 2 worker processes."""
    root = Path(tempfile.mkdtemp(prefix="dumps-bench-"))
    try:
        write_site_folders(pages, root, copies)
        settings = Settings(corpus_dir=root, ingest_workers=2)
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            files = sum(1 for _ in ingest_corpus(settings, progress=False))
            runs.append(time.perf_counter() - t0)
        best = statistics.median(runs)
        print(f"speed: {files} dump pages through the whole ingest (2 workers): {files / best:.1f} pages/s "
              f"(median of 3, {best:.1f} s wall)")
        # Wall time depends on what else the machine runs; CPU time per page does much less. It is
        # taken in a fresh process: this one has just ingested the same pages, and the ingest keeps
        # what it learnt of each line (verdicts, text scores, dates), which would flatter the figure.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            per_page = pool.submit(_cpu_per_page, split).result()
        print(f"speed: {1 / per_page:.1f} pages per CPU-second in a fresh process "
              f"({1000 * per_page:.1f} ms CPU per page; x2 cores = {2 / per_page:.0f} pages/s)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _cpu_per_page(split: str) -> float:
    """Return the CPU seconds per page of the split's dumps in this (fresh) process, models loaded first."""
    for page in load_split("train")[:20]:   # load the models on pages that are not timed
        ingest_text(dump_text(page), fmt="txt", source=_SOURCE, rel_path="page.txt")
    pages = load_split(split)
    cpu0 = time.process_time()
    for page in pages:
        ingest_text(dump_text(page), fmt="txt", source=_SOURCE, rel_path="page.txt")
    return (time.process_time() - cpu0) / len(pages)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="test", help="dumpset split to score (test = held out)")
    ap.add_argument("--speed-copies", type=int, default=2, help="copies of the split timed through the ingest")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-flat", action="store_true")
    ap.add_argument("--skip-clean", action="store_true", help="skip the clean article files (BBC, factRuEval)")
    ap.add_argument("--skip-unseparated", action="store_true", help="skip the pages in other shapes of dump")
    args = ap.parse_args(argv)
    pages = load_split(args.split)
    body_figures(pages)
    header_fields(pages)
    if not args.skip_unseparated:
        unseparated_figures(pages)
    if not args.skip_flat:
        flattened()
    if not args.skip_clean:
        clean_texts()
    if not args.skip_speed:
        speed(pages, args.speed_copies, args.split)


if __name__ == "__main__":
    main()
