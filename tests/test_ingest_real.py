"""Ingest on real Russian news nobody here wrote (../shared/corpora/ru-news): language, dates,
datelines and places as the texts and their gold annotations state them."""
from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from pathlib import Path

import pytest

from searchapp import gazetteer as places
from searchapp.ingest.pipeline import ingest_text
from searchapp.models import SourceConfig

COLLECTION5 = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "ru-news" / "collection5-ne5.jsonl.gz"
SRC = SourceConfig(name="ria", display_name="RIA Novosti", language="ru", date_order="DMY")
DATE_LINE = re.compile(r"^(\d\d)/(\d\d)/(\d{4}) (\d\d):(\d\d)$", re.M)
CAPS_DATELINE = re.compile(r"^([А-ЯЁ][А-ЯЁ -]{2,30}), \d", re.M)

pytestmark = pytest.mark.skipif(not COLLECTION5.exists(), reason="shared corpora not beside the repo")


@pytest.fixture(scope="module")
def ingested():
    out = []
    with gzip.open(COLLECTION5, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n >= 300:
                break
            rec = json.loads(line)
            (article,) = ingest_text(rec["text"], fmt="txt", source=SRC)
            out.append((rec, article))
    return out


def test_language_is_russian(ingested):
    langs = [a.language for _, a in ingested]
    assert langs.count("ru") / len(langs) >= 0.98


def test_titles_are_the_headline_not_a_date(ingested):
    for rec, a in ingested:
        # The gold "title" is the text's first line: blank, or a rubric such as "Политика", in a few.
        if len(rec["title"].split()) < 4:
            continue
        gold = rec["title"].strip().rstrip(".… ")
        # A text without a headline line gets its first sentence, cut at a word boundary.
        assert gold.startswith(a.title.rstrip(".… ")), (a.title, gold)
        assert a.title.strip() and not a.title[0].isdigit() or gold[0].isdigit()


def test_date_lines_become_the_published_date(ingested):
    checked = 0
    for rec, a in ingested:
        m = DATE_LINE.search(rec["text"].replace("\r", ""))
        if not m:
            continue
        d, mo, y, h, mi = map(int, m.groups())
        assert a.published == dt.datetime(y, mo, d, h, mi), rec["id"]
        assert a.date_precision == "day" and not a.date_inferred
        checked += 1
    assert checked >= 3


def test_datelines_are_found(ingested):
    found = total = 0
    for rec, a in ingested:
        m = CAPS_DATELINE.search(rec["text"].replace("\r", ""))
        if not m:
            continue
        total += 1
        found += (a.dateline or "").lower() == m.group(1).strip().lower()
    assert total >= 10
    assert found / total >= 0.9


def test_countries_recall_against_gold_spans(ingested):
    hit = total = 0
    for rec, a in ingested:
        gold = set()
        for span in rec["spans"]:
            if span["type"] in ("GEOPOLIT", "LOC"):
                known = places.canonical_place(span["text"])
                if known and known[0] == "country":
                    gold.add(known[1])
        total += len(gold)
        hit += len(gold & set(a.countries))
    assert total >= 100
    assert hit / total >= 0.9
