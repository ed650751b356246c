"""How often the day an article's URL states is its publication day, on a real export.

    .venv/bin/python bench/url_dates.py

news-articles-2017 (../shared/corpora/news-articles-2017) is a real CSV export with a date column
(publish_date) and each article's URL. For every URL in which dates.url_date finds a day, print
whether it is the export's own date, a day off (the export dates its crawl, in another time zone),
or another day. The ingest reads a URL's day only when the article states no date of its own.
"""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import SHARED  # noqa: E402
from searchapp.ingest.dates import url_date  # noqa: E402


def main() -> None:
    path = SHARED / "news-articles-2017" / "NewsArticles.csv.gz"
    csv.field_size_limit(10**9)
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
        rows = list(csv.DictReader(fh))
    counts: Counter = Counter()
    for row in rows:
        found = url_date(row.get("article_source_link"))
        if found is None:
            continue
        try:
            stated = dt.date(*map(int, row["publish_date"].split("/")))
        except (ValueError, TypeError):
            counts["no date column value"] += 1
            continue
        days = abs((dt.date.fromisoformat(found) - stated).days)
        counts["the same day" if days == 0 else "a day off" if days == 1 else "another day"] += 1
    judged = sum(counts[k] for k in ("the same day", "a day off", "another day"))
    print(f"news-articles-2017: {len(rows)} records, {judged} URLs state a day: "
          + ", ".join(f"{k} {counts[k]}" for k in ("the same day", "a day off", "another day"))
          + f"; the same day or a day off {(counts['the same day'] + counts['a day off']) / max(1, judged):.1%}")


if __name__ == "__main__":
    main()
