"""Ingest speed and field accuracy on Reuters-21578 (about 19,000 articles with title and body).

Prints articles/s through the whole ingest (decode, read, clean, extract incl. language, dates,
places), peak memory, and how the extracted fields compare with Reuters' own labels: the
publication date (from the export's date field), the countries and the dateline place. Then the
real news-2017 CSV export through the whole ingest: how many dates were read, with and without a
[fields] map for its URL column. Figures from before issue 11 are printed beside today's.

    .venv/bin/python bench/ingest_bench.py [--copies 1] [--runs 3]
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import SHARED, reuters_records, write_reuters_corpus  # noqa: E402
from searchapp.config import Settings  # noqa: E402
from searchapp.ingest.discover import read_source_config  # noqa: E402
from searchapp.ingest.pipeline import ingest_corpus, ingest_file  # noqa: E402

# Commit 0a561b5, before issue 11 (same machine, --runs 1); the news-2017 CSV was not read at all
# then (.csv unsupported), and written as JSON lines it had 2,624 of 3,823 dates.
BEFORE = {"dated": "19,040/19,043 = 1.000", "same_day": "19,040/19,040 = 1.000", "countries": "P 0.768, R 0.938, F1 0.845",
          "news2017": "2,624/3,823 = 0.686 (as JSON lines; CSV unsupported)"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        write_reuters_corpus(corpus)
        settings = Settings(corpus_dir=corpus)
        rates, articles = [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            articles = [a for _, arts in ingest_corpus(settings, progress=False) for a in arts]
            rates.append(len(articles) / (time.perf_counter() - t0))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Reuters-21578 ingest: {len(articles)} articles, median {statistics.median(rates):.0f} articles/s "
          f"over {args.runs} runs (min {min(rates):.0f}, max {max(rates):.0f}); target >= 300")
    print(f"peak RSS: {peak_mb:.0f} MB")
    truth = {str(r["newid"]): r for r in reuters_records()}
    from bench.locations import code_to_country

    dated = same_day = dateline_ok = with_dateline = 0
    tp = fp = fn = 0
    for a in articles:
        rec = truth[a.url.rsplit("/", 1)[1]]
        if rec["date"]:
            dated += 1
            same_day += bool(a.published) and a.published.date() == rec["date"].date()
        gold = {c for c in map(code_to_country, rec["places"]) if c}
        if gold:  # countries as the whole ingest extracts them, against Reuters' <PLACES>
            got = set(a.countries)
            tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
        if rec["dateline"]:
            with_dateline += 1
            expect = rec["dateline"].split(",")[0].strip().title()
            dateline_ok += (a.dateline or "").lower() == expect.lower()
    with_date = sum(a.published is not None for a in articles)
    print(f"articles with a date: {with_date}/{len(articles)} = {with_date / max(1, len(articles)):.3f}"
          f"   (before: {BEFORE['dated']})")
    print(f"published date equals <DATE>: {same_day}/{dated} = {same_day / max(1, dated):.3f}"
          f"   (before: {BEFORE['same_day']})")
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    print(f"countries against <PLACES> (articles with places): precision {p:.3f}, recall {r:.3f}, "
          f"F1 {2 * p * r / max(1e-9, p + r):.3f}   (before: {BEFORE['countries']})")
    print(f"dateline place equals <DATELINE> place: {dateline_ok}/{with_dateline} = "
          f"{dateline_ok / max(1, with_dateline):.3f}")
    news_2017()


def news_2017() -> None:
    """Ingest the real news-2017 CSV export as a user would add it, with and without a field map."""
    import gzip

    archive = SHARED / "news-articles-2017" / "NewsArticles.csv.gz"
    if not archive.exists():
        print("news-2017: not found beside the repo")
        return
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp)
        for name, toml in (("plain", 'date_order = "MDY"\n'),
                           ("mapped", 'date_order = "MDY"\n[fields]\nurl = "article_source_link"\n'
                                      'ignore = ["article_id"]\n')):
            (corpus / name).mkdir()
            (corpus / name / "source.toml").write_text(toml, encoding="utf-8")
            (corpus / name / "NewsArticles.csv").write_bytes(gzip.open(archive).read())
            t0 = time.perf_counter()
            outcome, arts = ingest_file(corpus, f"{name}/NewsArticles.csv", read_source_config(corpus / name),
                                        Settings(corpus_dir=corpus))
            seconds = time.perf_counter() - t0
            dated = sum(a.published is not None for a in arts)
            urls = sum(bool(a.url) for a in arts)
            print(f"news-2017 CSV, {name:6s}: {len(arts)} articles in {seconds:.1f} s, dates read "
                  f"{dated}/{len(arts)} = {dated / max(1, len(arts)):.4f}, URLs {urls}, "
                  f"warnings: {outcome.warnings or 'none'}")
    print(f"  (before: {BEFORE['news2017']})")


if __name__ == "__main__":
    main()
