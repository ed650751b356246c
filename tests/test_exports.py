"""Scraper exports as users have them: JSON lines and CSV/TSV, a source.toml field map, and
warnings for whatever a file states that the reader could not use (issue 11)."""
from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.ingest.discover import read_source_config
from searchapp.ingest.pipeline import ingest_file
from searchapp.web.app import close_app, create_app

NEWS_2017 = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "news-articles-2017" / "NewsArticles.csv.gz"
PARA = "The council met in the capital on Monday and agreed a budget for schools and roads. " * 3


def write_source(root: Path, name: str, files: dict[str, str | bytes], toml: str = "") -> Path:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        (folder / rel).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    if toml:
        (folder / "source.toml").write_text(toml, encoding="utf-8")
    return folder


def ingest(root: Path, name: str, rel: str, settings: Settings | None = None):
    src = read_source_config(root / name)
    return ingest_file(root, f"{name}/{rel}", src, settings or Settings(corpus_dir=root))


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


# --- the real news-2017 export -----------------------------------------------------------------

@pytest.fixture(scope="module")
def news_2017(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not NEWS_2017.exists():
        pytest.skip("shared corpora not beside the repo")
    root = tmp_path_factory.mktemp("news") / "corpus"
    data = gzip.open(NEWS_2017).read()
    write_source(root, "plain", {"NewsArticles.csv": data}, 'date_order = "MDY"\n')
    write_source(root, "mapped", {"NewsArticles.csv": data},
                 'date_order = "MDY"\n[fields]\nurl = "article_source_link"\nignore = ["article_id"]\n')
    return root


@pytest.mark.slow
def test_news_2017_csv_dates_are_read(news_2017: Path) -> None:
    outcome, articles = ingest(news_2017, "plain", "NewsArticles.csv")
    assert outcome.outcome == "indexed"
    assert len(articles) >= 3800
    dated = [a for a in articles if a.published is not None]
    assert len(dated) / len(articles) >= 0.995
    # 2017/2/7 is 7 February whatever the source's order says: the first group has four digits.
    first = articles[0]
    assert first.published == dt.date(2017, 2, 7) and first.published_raw == "2017/2/7"
    assert {a.published.month for a in dated if a.published.day <= 9} >= {1, 2, 3}
    # Without a map the URL column is named, once, on the file's report line; nothing is dropped quietly.
    unread = [w for w in outcome.warnings if w.startswith("fields not read")]
    assert len(unread) == 1 and "article_source_link" in unread[0]
    assert all(a.url is None for a in articles)


@pytest.mark.slow
def test_news_2017_field_map_reads_the_url_column(news_2017: Path) -> None:
    outcome, articles = ingest(news_2017, "mapped", "NewsArticles.csv")
    assert outcome.warnings == []
    assert all(a.url and a.url.startswith("http") for a in articles)
    assert articles[0].url.startswith("http://abcnews.go.com/Politics/pence-break-tie-betsy-devos")


# --- field map, stated values win, warnings --------------------------------------------------

def test_field_map_names_other_keys_and_unknown_keys_are_reported(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    record = {"headline_text": "Budget agreed", "story": PARA, "when": "7.2.2017", "link_to": "https://x.example/1",
              "views": 12, "tags": ["schools"]}
    write_source(root, "desk", {"a.jsonl": jsonl(record)},
                 '[fields]\ntitle = "headline_text"\ntext = ["body_html", "story"]\ndate = "when"\n'
                 'url = "link_to"\nignore = ["views"]\n')
    outcome, (article,) = ingest(root, "desk", "a.jsonl")
    assert (article.title, article.url, article.published) == ("Budget agreed", "https://x.example/1", dt.date(2017, 2, 7))
    assert outcome.warnings == ["fields not read: tags (map them in source.toml [fields], or list them in ignore)"]


def test_a_mapped_key_no_record_has_and_a_bad_field_name_are_warnings(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_source(root, "desk", {"a.jsonl": jsonl({"title": "T", "text": PARA})},
                 '[fields]\nurl = "permalink_x"\nheadlin = "h"\n')
    outcome, articles = ingest(root, "desk", "a.jsonl")
    assert len(articles) == 1
    assert any("headlin is not a field" in w for w in outcome.warnings)
    assert any("names keys no record has: permalink_x" in w for w in outcome.warnings)


def test_a_broken_source_toml_is_a_warning_not_a_quiet_default(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_source(root, "desk", {"a.jsonl": jsonl({"title": "T", "text": PARA})}, 'date_order = "DMY\n')
    outcome, articles = ingest(root, "desk", "a.jsonl")
    assert len(articles) == 1 and any("source.toml not read" in w for w in outcome.warnings)


def test_keys_match_whatever_their_case_and_separators(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_source(root, "desk", {"a.jsonl": jsonl(
        {"Title": "One", "Body": PARA, "Publish Date": "2017-2-7", "URL": "https://x.example/1"},
        {"headline": "Two", "articleBody": PARA, "publishedAt": 1486425600, "Link": "https://x.example/2"},
        {"title": "Three", "text": PARA, "timestamp": "1486425600000", "source": {"id": None, "name": "Wire"}},
    )})
    outcome, articles = ingest(root, "desk", "a.jsonl")
    assert outcome.warnings == []
    assert [a.published.date() if isinstance(a.published, dt.datetime) else a.published for a in articles] == [
        dt.date(2017, 2, 7)] * 3
    assert [a.url for a in articles] == ["https://x.example/1", "https://x.example/2", None]
    assert articles[2].source_name == "Wire"


def test_a_records_own_language_wins_over_detection(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    german_looking = "Die Regierung hat am Montag in Berlin den Haushalt beschlossen und die Schulen gestärkt."
    write_source(root, "desk", {"a.jsonl": jsonl(
        {"title": "Haushalt", "text": german_looking, "language": "en"},
        {"title": "Haushalt", "text": german_looking, "lang": "ru-RU"},
        {"title": "Haushalt", "text": german_looking, "language": "Russian"},
        {"title": "Haushalt", "text": german_looking, "language": "klingon"},
        {"title": "Haushalt", "text": german_looking},
    )})
    outcome, articles = ingest(root, "desk", "a.jsonl")
    assert [a.language for a in articles] == ["en", "ru", "ru", "de", "de"]
    assert any("language not understood" in w and "'klingon' (1)" in w for w in outcome.warnings)


def test_a_stated_date_the_reader_cannot_read_is_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_source(root, "desk", {"a.jsonl": jsonl(
        {"title": "A", "text": PARA, "date": "2017/2/7"},
        {"title": "B", "text": PARA, "date": "the 7th of Smarch"},
        {"title": "C", "text": "3 March 2017\n\n" + PARA, "date": "sometime in spring"},
    )})
    outcome, articles = ingest(root, "desk", "a.jsonl")
    assert [a.published for a in articles] == [dt.date(2017, 2, 7), None, dt.date(2017, 3, 3)]
    (warning,) = outcome.warnings
    assert "date not understood in 2 of 3 records" in warning
    assert "'the 7th of Smarch'" in warning and "'sometime in spring'" in warning


def test_a_date_with_no_year_is_a_warning_not_a_quiet_unknown_date(tmp_path: Path) -> None:
    """RIA's records state only "москва, 31 янв - риа новости.": a day, in no year the text states."""
    root = tmp_path / "corpus"
    write_source(root, "ria", {"ria.jsonl": jsonl(
        {"title": "заголовок", "text": "москва, 31 янв - риа новости. " + "депутаты собрались в столице в "
         "понедельник и приняли бюджет на школы и дороги, сообщили в пресс-службе парламента. " * 3},
        {"title": "Dated", "text": "MIAMI, Fla. - " + PARA, "date": "2010-01-31"},
        {"title": "Florida", "text": "MIAMI, Fla. - " + PARA},
    )})
    outcome, articles = ingest(root, "ria", "ria.jsonl")
    assert [a.published for a in articles] == [None, dt.date(2010, 1, 31), None]
    assert articles[0].published_raw == "31 янв" and articles[0].dateline == "Москва"
    assert articles[2].published_raw is None    # "Fla." where a dateline's date would be is none
    (warning,) = outcome.warnings
    assert warning == "date without a year in 1 of 3 records ('31 янв'); their date is unknown"


def test_an_export_with_no_date_column_is_dated_by_its_urls_day(tmp_path: Path) -> None:
    """Lenta.ru's export (url, title, text, topic, tags) states each article's day only in its URL;
    the corus ODS exports (ria.ru, tass.ru...) name their rubric "topics"."""
    root = tmp_path / "corpus"
    write_source(root, "lenta", {"lenta.csv": (
        "url,title,text,topics,tags\n"
        f"https://lenta.ru/news/2018/12/14/cancer/,Названы регионы,{PARA},Россия,Общество\n"
        f"https://ria.ru/20190810/1557366973.html,Туристы застряли,{PARA},Происшествия,\n"
        f"https://example.org/2019/02/30/no-such-day/,No such day,{PARA},World,\n")})
    outcome, articles = ingest(root, "lenta", "lenta.csv")
    assert [a.published for a in articles] == [dt.date(2018, 12, 14), dt.date(2019, 8, 10), None]
    assert [a.section for a in articles] == ["Россия", "Происшествия", "World"]
    assert not any("topics" in w for w in outcome.warnings), outcome.warnings


def test_trafilatura_json_output_gives_the_outlet_and_the_articles_url(tmp_path: Path) -> None:
    """trafilatura's JSON output (`--json`) puts the page's URL in "source" and the site's name in
    "source-hostname": the outlet is the name, the URL the article's address."""
    root = tmp_path / "corpus"
    write_source(root, "scraped", {"pages.jsonl": jsonl(
        {"title": "Budget agreed", "author": "Jane Roe", "hostname": "example-news.com", "date": "2019-11-19",
         "source": "https://www.example-news.com/2019/11/19/budget-agreed", "source-hostname": "Example News",
         "text": PARA, "raw_text": PARA, "language": "en", "categories": "Politics", "fingerprint": "abc"},
        {"title": "Roads", "hostname": "example-news.com", "source": "https://www.example-news.com/roads",
         "text": PARA},
    )})
    outcome, articles = ingest(root, "scraped", "pages.jsonl")
    assert [a.source_name for a in articles] == ["Example News", "example-news.com"]
    assert [a.url for a in articles] == ["https://www.example-news.com/2019/11/19/budget-agreed",
                                         "https://www.example-news.com/roads"]
    assert articles[0].section == "Politics" and articles[0].published == dt.date(2019, 11, 19)


def test_news_please_json_gives_outlet_date_authors_and_language(tmp_path: Path) -> None:
    """news-please (a common news crawler) writes maintext, date_publish, authors as a list,
    source_domain; newspaper-style records meta_site_name and meta_lang."""
    root = tmp_path / "corpus"
    write_source(root, "crawled", {"a.jsonl": jsonl(
        {"title": "Budget agreed", "maintext": PARA, "date_publish": "2019-11-19 08:00:00",
         "authors": ["Jane Roe", "John Doe"], "source_domain": "www.example-news.com",
         "url": "https://www.example-news.com/budget", "language": "en"},
        {"title": "Roads", "text": PARA, "meta_site_name": "Example News", "meta_lang": "ru"},
    )})
    outcome, articles = ingest(root, "crawled", "a.jsonl")
    assert [a.source_name for a in articles] == ["www.example-news.com", "Example News"]
    assert articles[0].author == "Jane Roe, John Doe" and articles[0].published == dt.datetime(2019, 11, 19, 8, 0)
    assert [a.language for a in articles] == ["en", "ru"]
    assert not any("source_domain" in w or "meta_lang" in w for w in outcome.warnings), outcome.warnings


def test_an_exports_author_field_is_read_as_a_feeds_is(tmp_path: Path) -> None:
    """trafilatura and CMS exports fill the author field with roles and outlets beside the names."""
    root = tmp_path / "corpus"
    write_source(root, "desk", {"a.jsonl": jsonl(
        {"title": "A", "text": PARA, "author": "Tom Krisher; AP Auto Writer"},
        {"title": "B", "text": PARA, "author": "Reuters | World News"},
        {"title": "C", "text": PARA, "authors": ["Jane Roe", "John Doe"]},
        {"title": "D", "text": PARA, "author": "newsdesk@example.org"},
    )})
    outcome, articles = ingest(root, "desk", "a.jsonl")
    assert [a.author for a in articles] == ["Tom Krisher", "Reuters", "Jane Roe, John Doe", None]
    assert any("author (an e-mail address) in 1 record(s)" in w for w in outcome.warnings), outcome.warnings


# --- CSV and TSV -----------------------------------------------------------------------------

def test_csv_with_bom_quoted_newlines_semicolons_and_bad_rows(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    csv_text = ("\ufefftitle;text;date\r\n"
                'Budget agreed;"First paragraph; with a semicolon.\r\n\r\nSecond paragraph.";7.2.2017\r\n'
                "Too many;cells;7.2.2017;extra\r\n"
                ";;\r\n"
                "Roads;Roads were repaired across the region this week.;2017-02-08\r\n")
    write_source(root, "desk", {"a.csv": csv_text})
    outcome, articles = ingest(root, "desk", "a.csv")
    assert outcome.outcome == "indexed" and outcome.warnings == []
    assert [a.title for a in articles] == ["Budget agreed", "Roads"]
    assert articles[0].body == ["First paragraph; with a semicolon.", "Second paragraph."]
    assert articles[0].published == dt.date(2017, 2, 7)
    assert "1 record(s) dropped" in outcome.reason and "line 5: 4 cells but the header has 3" in outcome.reason
    # An id is the record's position among the data rows (blank rows aside), not a physical line.
    assert [a.id.rsplit("-", 1)[1] for a in articles] == ["0", "2"]


def test_tsv_and_a_field_over_the_limit(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    huge = "word " * 4000
    write_source(root, "desk", {"a.tsv": f"headline\tbody\nShort\t{PARA}\nHuge\t{huge}\nAfter\t{PARA}\n"})
    outcome, articles = ingest(root, "desk", "a.tsv", Settings(corpus_dir=root, max_jsonl_line_bytes=10_000))
    assert [a.title for a in articles] == ["Short", "After"]
    assert "field larger than field limit" in outcome.reason and "line 3" in outcome.reason


def test_csv_without_a_text_column_is_skipped_with_the_reason(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_source(root, "desk", {"a.csv": "id,value\n1,2\n"})
    outcome, articles = ingest(root, "desk", "a.csv")
    assert outcome.outcome == "skipped" and articles == []
    assert "no title and no text field" in outcome.reason and "[fields]" in outcome.reason


# --- the warnings reach reindex, the manifest and /sources ----------------------------------

def test_warnings_reach_reindex_and_the_sources_page(settings: Settings) -> None:
    root = settings.corpus_dir
    write_source(root, "desk", {"a.jsonl": jsonl({"title": "A", "text": PARA, "date": "Smarch 7", "kicker": "x"}),
                                "b.jsonl": jsonl({"title": "B", "text": PARA, "date": "2017-02-07"})})
    summary = reindex(settings, progress=False)
    lines = "\n".join(summary.lines())
    assert "1 files with warnings:" in lines and "desk/a.jsonl: fields not read: kicker" in lines
    # An unchanged file keeps its warnings in the report of the next (incremental) run.
    reindex(settings, progress=False)
    app = create_app(settings)
    try:
        client = app.test_client()
        data = client.get("/api/sources").get_json()
        assert [w["path"] for w in data["warnings"]] == ["desk/a.jsonl"]
        assert len(data["warnings"][0]["warnings"]) == 2
        html = client.get("/sources").data.decode()
        assert "Files read with warnings" in html and "date not understood" in html
    finally:
        close_app(app)


@pytest.mark.slow
def test_reuters_records_saying_en_are_english() -> None:
    from bench.corpora import SHARED, reuters_records

    if not (SHARED / "reuters21578").exists():
        pytest.skip("shared corpora not beside the repo")
    from searchapp.ingest.pipeline import ingest_text
    from searchapp.models import SourceConfig

    records = [r for _, r in zip(range(4000), reuters_records())]
    text = jsonl(*({"title": r["title"], "text": r["body"], "language": "en"} for r in records))
    src = SourceConfig(name="reuters", display_name="Reuters", date_order="MDY")
    articles = ingest_text(text, fmt="jsonl", source=src, rel_path="reuters/a.jsonl")
    assert len(articles) == 4000
    # Results tables and short wire items were detected as German or Swedish before the record's word won.
    assert {a.language for a in articles} == {"en"}


def test_languages_are_named_in_the_page_and_the_api_label(settings: Settings) -> None:
    uzbek = ("Ўзбекистон Республикаси Президенти Тошкентда бўлиб ўтган йиғилишда сўзга чиқди. Қишлоқ "
             "хўжалиги вазирлиги ҳузурида янги марказ ташкил этилди.")
    write_source(settings.corpus_dir, "desk", {"a.jsonl": jsonl(
        {"title": "Council budget", "text": PARA},
        {"title": "Йиғилиш", "text": uzbek},
        {"title": "Buget", "text": "Consiliul a aprobat bugetul.", "language": "ro"},
    )})
    reindex(settings, progress=False)
    app = create_app(settings)
    try:
        client = app.test_client()
        facet = client.get("/api/search?q=&size=1").get_json()["facets"]["language"]
        assert {(f["value"], f["label"]) for f in facet} == {("en", "English"), ("uz", "Uzbek"), ("ro", "Romanian")}
        html = client.get("/search?q=").data.decode()
        assert "Romanian" in html and "Uzbek" in html
    finally:
        close_app(app)


def test_source_toml_language_is_read_as_a_code_or_a_name(tmp_path: Path) -> None:
    assert read_source_config(write_source(tmp_path, "a", {}, 'language = "Kazakh"\n')).language == "kk"
    assert read_source_config(write_source(tmp_path, "b", {}, 'language = "ru-RU"\n')).language == "ru"
    bad = read_source_config(write_source(tmp_path, "c", {}, 'language = "xx-unknown"\n'))
    assert bad.language is None and any("not a language" in w for w in bad.warnings)


def test_cli_ingest_prints_each_warning(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = tmp_path / "corpus"
    write_source(root, "desk", {"a.jsonl": jsonl({"title": "A", "text": PARA, "kicker": "x"}),
                                "b.jsonl": jsonl({"title": "B", "text": PARA})})
    proc = subprocess.run([sys.executable, "-m", "searchapp", "ingest", "--corpus", str(root), "--no-progress"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "warning: desk/a.jsonl: fields not read: kicker" in proc.stderr
    assert "2 indexed" in proc.stdout and "1 with warnings" in proc.stdout
