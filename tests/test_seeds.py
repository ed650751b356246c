"""The seed articles, ingested for real: the fields a reader of those pages writes down.

They are read from the tests' own copy (tests/fixtures/seeds), never from the user's corpus/.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path


from searchapp.config import Settings
from searchapp.ingest import discover
from searchapp.ingest.pipeline import ingest_file
from seeds import SEEDS

ROOT = Path(__file__).resolve().parents[1]
CORPUS = SEEDS


def _ingest(source: str):
    settings = Settings(corpus_dir=CORPUS)
    cfg = discover.read_source_config(CORPUS / source)
    (rel,) = [r for r in discover.list_files(CORPUS, source) if r.endswith(".txt")]
    outcome, articles = ingest_file(CORPUS, rel, cfg, settings)
    assert outcome.outcome == "indexed", outcome
    assert outcome.article_ids == [a.id for a in articles]
    return articles


def _body(article) -> str:
    return "\n".join(article.body)


def test_astana_times_article():
    (a,) = _ingest("astana-times")
    assert a.title == "CSTO foreign ministers adopt measures to curb IT crime during Minsk meeting"
    assert a.dateline == "Astana"
    assert a.published is None  # "July 17 meeting" is an event, and the page states no year
    assert a.source_name == "The Astana Times"
    assert a.language == "en"
    body = _body(a)
    for chrome in ("На главную", "Photo credit", "_DSC_2579", "_DSC_2845", "Sign up via the website"):
        assert chrome not in body
        assert any(chrome in r for r in a.removed), chrome
    assert body.startswith("ASTANA – The Collective Security Treaty Organisation")
    assert body.rstrip().endswith("according to the organisation’s website.")
    assert {"Minsk", "Astana"} <= set(a.cities)
    assert {"Belarus", "Kazakhstan", "Armenia", "Kyrgyzstan", "Russia", "Tajikistan", "Syria",
            "Afghanistan"} <= set(a.countries)
    assert "Independence" not in a.cities + a.countries


def test_kazakhstan_2050_article_separates_page_date_from_article_date():
    (a,) = _ingest("kazakhstan-2050")
    assert a.title == ("Action plan for development of coordinated information policy in the interests "
                       "of CSTO member states signed in Astana")
    assert a.published == dt.date(2018, 5, 24)
    assert a.date_precision == "day" and a.date_inferred is False
    assert "May 24, 2018" in a.published_raw
    assert a.page_date == dt.date(2021, 9, 26)
    assert a.section == "Market"
    assert a.author is None
    assert a.source_name == "Kazakhstan 2050"
    body = _body(a)
    assert "Skip to Content" not in body and "Source: Kazakhstan 2050" not in body
    assert "September 26th" not in body
    assert body.startswith("Astana hosted a meeting")
    assert {"Astana", "Tashkent", "Moscow", "Minsk", "Yerevan"} <= set(a.cities)
    assert "Kazakhstan" in a.countries


def test_csto_listing_page_becomes_one_article_per_item():
    items = _ingest("csto")
    assert [a.published for a in items] == [
        dt.date(2024, 7, 26), dt.date(2024, 7, 19), dt.date(2024, 7, 19), dt.date(2024, 7, 1),
        dt.date(2024, 3, 29)]
    assert len({a.id for a in items}) == 5
    for a in items:
        assert a.title and not a.title[0].isdigit()
        assert a.body
    assert items[-1].title == 'A meeting of the heads of the national headquarters for "PROXY operation " was held'
    assert items[0].title.startswith("On 25 July 2024, staff of the CSTO Secretariat")
    last = _body(items[-1])
    assert "Go back" not in last and "Back to the section" not in last
    assert last.startswith("Valery Semerikov, the CSTO Deputy Secretary General")
    # The repeated heading belongs to the last item, not to the end of the one before.
    assert "PROXY operation" not in _body(items[3])
    assert "Moscow" in items[0].cities


def test_belarus_tv_article_with_russian_date():
    (a,) = _ingest("belarus-tv")
    assert a.title == "CSTO summit brings together leaders of six countries in the Palace of Independence"
    assert a.published == dt.date(2017, 11, 30)
    assert a.published_raw == "30 ноября 2017"
    assert a.date_precision == "day"
    assert a.body[0].startswith("The Belarusian capital today")
    assert {"Belarus", "Armenia", "Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan", "Syria",
            "Egypt", "Ukraine"} <= set(a.countries)
    assert "Minsk" in a.cities
    assert not {"Independence", "Summit", "Union"} & set(a.cities + a.countries)


def test_kazinform_article_section_dateline_author():
    (a,) = _ingest("kazinform")
    assert a.section == "International integration"
    assert a.title == "CSTO continues peace-building cooperation with UN"
    assert a.dateline == "Almaty"
    assert a.published is None  # "12 June , 10:39": the page never says which year
    assert "12 June" in (a.published_raw or "")
    assert a.author == "Saltanat Suraganova"
    body = _body(a)
    assert "Photo: the press service" not in body and "Saltanat Suraganova" not in body
    assert body.startswith("A regular meeting of the CSTO Foreign Ministers Council")
    assert {"Almaty", "Qingdao", "Minsk", "Astana"} <= set(a.cities)
    assert {"Kazakhstan", "China", "Afghanistan", "Syria", "United States", "North Korea"} <= set(a.countries)


def test_cli_ingest_writes_articles_and_report(tmp_path):
    out, report = tmp_path / "articles.jsonl", tmp_path / "report.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "searchapp", "ingest", "--corpus", str(CORPUS), "--jsonl", str(out),
         "--report", str(report)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "5 files: 5 indexed" in proc.stdout and "9 articles" in proc.stdout
    articles = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(articles) == 9
    from searchapp.models import Article

    for rec in articles:
        assert list(rec) == list(Article.FIELDS)
        if rec["published"]:
            dt.date.fromisoformat(rec["published"][:10])
    outcomes = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert sorted(o["path"] for o in outcomes) == sorted(
        str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.txt"))
    assert all(set(o) == {"path", "outcome", "reason", "article_ids", "warnings"} for o in outcomes)
