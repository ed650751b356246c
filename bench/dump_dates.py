"""Measure the publication dates of text dumps against the pages' labels; tell missed dates from unstated ones.

    .venv/bin/python bench/dump_dates.py [--split train|dev] [--errors]

Pages: the dumpset split's pages with a labelled date (htmldate-eval, human-checked, and
trafilatura-eval labels; bench/dumps.py field_labels), each ingested alone as a .txt file. The
day is right, none, or wrong (another day). Each miss (none or wrong) is split by whether the
dump states the labelled day anywhere, in any common form (2019-08-02, 02.08.2019, 02/08/2019,
2 August 2019, 2. August 2019, Aug 2, 2019, 2 августа 2019, 2. août 2019, ...), read here by
patterns of its own rather than the product's parser, so a date form the product cannot read
still counts as stated. htmldate on the same lines (each a <p>) is printed beside.

`--errors` prints each miss with the labelled day, ours, the raw text we read it from and the
dump lines around both; it is refused on any split but train (dev and test are only measured
as a whole, so no rule is written against them).
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dumps import _SOURCE, dump_text, field_labels, load_split  # noqa: E402
from searchapp.ingest.pipeline import ingest_text  # noqa: E402

_MONTH_NAMES = {
    1: "january jan janvier janv januar jänner enero gennaio janeiro januari styczeń stycznia январь января янв",
    2: "february feb février fevrier févr februar febrero febbraio fevereiro februari luty lutego февраль февраля фев февр",
    3: "march mar mars märz maerz marzo março maart marca marzec марта март мар",
    4: "april apr avril avr abril aprile kwiecień kwietnia апреля апрель апр",
    5: "may mai mayo maggio maio mei maj maja мая май",
    6: "june jun juin juni junio giugno junho czerwiec czerwca июня июнь июн",
    7: "july jul juillet juil juli julio luglio julho lipiec lipca июля июль июл",
    8: "august aug août aout agosto augustus sierpień sierpnia августа август авг",
    9: "september sep sept septembre septiembre settembre setembro wrzesień września сентября сентябрь сен сент",
    10: "october oct octobre oktober okt octubre ottobre outubro październik października октября октябрь окт",
    11: "november nov novembre noviembre novembro listopad listopada ноября ноябрь ноя нояб",
    12: "december dec décembre decembre dezember dez diciembre dicembre dezembro grudzień grudnia декабря декабрь дек",
}


def stated_patterns(day: dt.date) -> re.Pattern[str]:
    """Return one pattern matching `day` written in the common numeric and month-name forms."""
    y, m, d = day.year, day.month, day.day
    yy = f"(?:{y}|{y % 100:02d})"
    dd, mm = f"0?{d}", f"0?{m}"
    names = "|".join(sorted((re.escape(n) for n in _MONTH_NAMES[m].split()), key=len, reverse=True))
    sep = r"[./\-]"
    forms = [
        rf"(?<!\d){y}{sep}0?{m}{sep}0?{d}(?!\d)",                  # 2019-08-02, 2019/8/2
        rf"(?<!\d){y}年0?{m}月0?{d}日",                              # 2019年8月2日
        rf"(?<![\d.]){dd}\s*{sep}\s*{mm}\s*{sep}\s*{yy}(?!\d)",     # 02.08.2019, 2/8/19
        rf"(?<![\d.]){mm}{sep}{dd}{sep}{yy}(?!\d)",                  # 08/02/2019
        rf"(?<!\d){dd}(?:st|nd|rd|th|er|\.|º)?\s*(?:of\s+|de\s+)?(?:{names})\.?,?\s*(?:de\s+)?{y}(?!\d)",
        rf"(?<![^\W\d_])(?:{names})\.?\s*{dd}(?:st|nd|rd|th)?,?\s*{y}(?!\d)",
    ]
    return re.compile("|".join(f"(?:{f})" for f in forms), re.I)


def _label(value: object) -> dt.date | None:
    """Return a label's day; a few labels swap or mistype their parts ("2022-29-11", "2022-01.26")."""
    if not isinstance(value, str):
        return None   # (a handful of htmldate-eval labels are NaN: no date to check against)
    parts = [int(p) for p in re.findall(r"\d+", value)]
    if len(parts) != 3:
        return None
    y, a, b = parts
    try:
        return dt.date(y, a, b)
    except ValueError:
        try:
            return dt.date(y, b, a)
        except ValueError:
            return None


def _day(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def _context(lines: list[str], at: int, radius: int = 2) -> str:
    lo, hi = max(0, at - radius), min(len(lines), at + radius + 1)
    return "\n".join(f"      {'>' if k == at else ' '}{k:4d} {lines[k][:160]}" for k in range(lo, hi))


def _where(lines: list[str], pattern: re.Pattern[str] | None, raw: str | None) -> list[int]:
    hits = []
    for k, line in enumerate(lines):
        if (pattern is not None and pattern.search(line)) or (raw and raw in line):
            hits.append(k)
    return hits


def measure(split: str, errors: bool) -> None:
    from htmldate import find_date

    days, _ = field_labels()
    n = right = none = wrong = ref = 0
    none_stated = wrong_stated = unusable = mended = 0
    for page in load_split(split):
        label = days.get(page["id"].split("#")[0])
        if label is None:
            continue
        gold_day = _label(label)
        if gold_day is None:
            unusable += 1
            continue
        gold = gold_day.isoformat()
        mended += gold != label
        n += 1
        articles = ingest_text(dump_text(page), fmt="txt", source=_SOURCE, rel_path="page.txt")
        article = articles[0] if articles else None
        day = _day(article.published if article else None)
        right += day == gold
        none += day is None
        wrong += day is not None and day != gold
        doc = "<html><body>" + "".join(f"<p>{html.escape(l)}</p>" for l in page["lines"]) + "</body></html>"
        try:
            ref += find_date(doc, original_date=True, extensive_search=True) == gold
        except Exception:  # htmldate's own failures count as misses
            pass
        if day == gold:
            continue
        pattern = stated_patterns(gold_day)
        gold_at = [k for k, line in enumerate(page["lines"]) if pattern.search(line)]
        stated = bool(gold_at)
        none_stated += day is None and stated
        wrong_stated += day is not None and stated
        if errors:
            raw = article.published_raw if article else None
            print(f"== {page['id'][:70]}  gold {gold}  ours {day}  raw {raw!r}  "
                  f"{'STATED' if stated else 'not stated'}  title {article.title[:60] if article else None!r}")
            for k in gold_at[:3]:
                print(f"    gold at line {k}:\n{_context(page['lines'], k)}")
            for k in (_where(page["lines"], None, raw) if raw else [])[:2]:
                print(f"    ours at line {k}:\n{_context(page['lines'], k)}")
    print(f"{split}: {n} dump pages with a gold date: right {right} ({right / n:.1%}), none {none} "
          f"(stated but missed {none_stated}, not stated {none - none_stated}), wrong {wrong} "
          f"(gold stated {wrong_stated}, not stated {wrong - wrong_stated}); "
          f"htmldate on the same lines {ref} ({ref / n:.1%}); labels: {mended} mended (parts swapped or "
          f"mistyped), {unusable} left out (no date)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="train", choices=("train", "dev"),
                    help="dumpset split (test stays held out of this bench)")
    ap.add_argument("--errors", action="store_true", help="print each miss (train only)")
    args = ap.parse_args(argv)
    if args.errors and args.split != "train":
        ap.error("--errors reads one split's individual misses: train only (dev is measured as a whole)")
    measure(args.split, args.errors)


if __name__ == "__main__":
    main()
