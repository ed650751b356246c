"""Exports as they come from CMSs, APIs and feed readers: HTML inside an export's fields, `.json`
documents in their usual shapes, and saved RSS/Atom feeds. Each is read to clean text, and
whatever a file states that cannot be used is a warning on its report line."""
from __future__ import annotations

import collections
import datetime as dt
import gzip
import json
import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from searchapp.config import Settings
from searchapp.errors import ExtractorUnavailable
from searchapp.indexing.reindex import reindex
from searchapp.ingest.discover import read_source_config
from searchapp.ingest.pipeline import ingest_file
from searchapp.web.app import close_app, create_app

RIA = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "ru-news" / "corus-samples" / "ria.json.gz"
PARA = "The council met in the capital on Monday and agreed a budget for schools and roads."
MARKUP = re.compile(r"<[a-zA-Z/][^>]*>|&(?:[a-zA-Z]+|#\d+);")


def write(root: Path, name: str, rel: str, data: str | bytes) -> None:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / rel).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def ingest(root: Path, name: str, rel: str):
    return ingest_file(root, f"{name}/{rel}", read_source_config(root / name), Settings(corpus_dir=root))


def words(text: str) -> collections.Counter:
    return collections.Counter(re.findall(r"\w+", text.lower()))


# --- HTML inside an export's fields ----------------------------------------------------------

def test_the_real_ria_export_with_html_bodies_is_read_as_text(tmp_path: Path) -> None:
    """RIA's archive export (natasha/corus): JSON lines named .json, each body `<p>` paragraphs with links."""
    if not RIA.exists():
        pytest.skip("shared corpora not beside the repo")
    raw = gzip.open(RIA).read()
    write(tmp_path, "ria", "ria.json", raw)
    outcome, articles = ingest(tmp_path, "ria", "ria.json")
    records = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    assert outcome.outcome == "indexed" and len(articles) == len(records) == 10
    for article, record in zip(articles, records):
        body = "\n".join(article.body)
        assert not MARKUP.search(body + article.title), body[:200]
        # the words a browser would show, every one and nothing else (BeautifulSoup as the judge;
        # "" as the separator, since "<b>п</b>рогнозы" is one word on the page)
        shown = words(BeautifulSoup(record["text"], "lxml").get_text(""))
        assert words(body) == shown
        assert len(article.body) == record["text"].count("<p>") - record["text"].count("<p><strong></strong></p>")


def test_a_wordpress_rest_export_reads_rendered_fields_and_names_what_it_cannot_use(tmp_path: Path) -> None:
    posts = [{"id": 7, "date": "2024-05-07T10:00:00", "link": "https://news.example/csto-drills/",
              "title": {"rendered": "CSTO drills &#8220;Interaction&#8221; begin"},
              "content": {"rendered": f"<p>{PARA}</p>\n<p>Troops from <a href='/kz'>Kazakhstan</a> &amp; "
                                      f"Belarus took part.<br>More follow.</p><script>track()</script>",
                          "protected": False},
              "excerpt": {"rendered": "<p>The council met in the capital on Monday and agreed&hellip;</p>"},
              "author": 3}]
    write(tmp_path, "wp", "posts.json", json.dumps(posts))
    outcome, (article,) = ingest(tmp_path, "wp", "posts.json")
    assert article.title == "CSTO drills “Interaction” begin"
    assert article.body == [PARA, "Troops from Kazakhstan & Belarus took part.", "More follow."]
    assert article.url == "https://news.example/csto-drills/" and article.published.date() == dt.date(2024, 5, 7)
    assert article.author is None
    assert any("author (numbers (ids?), not names) in 1 record(s), e.g. 3" in w for w in outcome.warnings)


def test_plain_text_with_angle_brackets_and_ampersands_stays_as_written(tmp_path: Path) -> None:
    record = {"title": "AT&T and R&D &parade: 3 < 4", "text": "Shares rose 3 < 5 per cent at AT&T.\n\nA <Name> tag."}
    write(tmp_path, "desk", "a.jsonl", json.dumps(record) + "\n")
    _, (article,) = ingest(tmp_path, "desk", "a.jsonl")
    assert article.title == record["title"]
    assert article.body == ["Shares rose 3 < 5 per cent at AT&T.", "A <Name> tag."]


def test_html_cells_in_a_csv_export_become_paragraphs(tmp_path: Path) -> None:
    csv_text = 'title,text\n"Budget &amp; roads","<p>' + PARA + '</p><p>Second <em>one</em>.</p>"\n'
    write(tmp_path, "desk", "a.csv", csv_text)
    _, (article,) = ingest(tmp_path, "desk", "a.csv")
    assert (article.title, article.body) == ("Budget & roads", [PARA, "Second one."])


def test_an_object_with_no_text_is_a_warning_not_a_quiet_empty_field(tmp_path: Path) -> None:
    record = {"title": "T", "text": PARA, "summary": {"protected": True}}
    write(tmp_path, "desk", "a.jsonl", json.dumps(record) + "\n")
    outcome, (article,) = ingest(tmp_path, "desk", "a.jsonl")
    assert article.body == [PARA]
    assert any("summary (no text) in 1 record(s), e.g. an object with protected" in w for w in outcome.warnings)


# --- .json documents ------------------------------------------------------------------------

def test_a_json_feed_document_is_read_from_its_items(tmp_path: Path) -> None:
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Eurasia Wire",
            "home_page_url": "https://wire.example/",
            "items": [{"id": "1", "url": "https://wire.example/1", "title": "Astana hosts a forum",
                       "content_html": f"<p>{PARA}</p>", "date_published": "2024-05-07T10:00:00+05:00",
                       "authors": [{"name": "Aigerim Sadykova"}]},
                      {"id": "2", "url": "https://wire.example/2", "title": "Минск принял делегацию",
                       "content_text": "Делегация ОДКБ прибыла в Минск во вторник.", "date_published": "2024-05-08"}]}
    write(tmp_path, "wire", "feed.json", json.dumps(feed, ensure_ascii=False))
    outcome, articles = ingest(tmp_path, "wire", "feed.json")
    assert [a.title for a in articles] == ["Astana hosts a forum", "Минск принял делегацию"]
    assert articles[0].body == [PARA] and articles[0].author == "Aigerim Sadykova"
    assert articles[1].body == ["Делегация ОДКБ прибыла в Минск во вторник."] and articles[1].language == "ru"
    assert [a.published.date() if isinstance(a.published, dt.datetime) else a.published for a in articles] == [
        dt.date(2024, 5, 7), dt.date(2024, 5, 8)]
    # The feed's own title names the outlet of its items; its home page is stated but not an
    # article's: said, not dropped quietly.
    assert [a.source_name for a in articles] == ["Eurasia Wire", "Eurasia Wire"]
    assert any(w.startswith("keys beside the records at items not read: home_page_url") for w in outcome.warnings)


@pytest.mark.parametrize("shape", ["array", "elasticsearch", "jsonapi", "graphql", "single"])
def test_the_usual_json_shapes_give_the_same_articles(tmp_path: Path, shape: str) -> None:
    records = [{"headline": f"Story {n}", "body": f"{PARA} Number {n}.", "published_at": f"2024-05-0{n}"}
               for n in (1, 2, 3)]
    document = {
        "array": records,
        "elasticsearch": {"took": 3, "hits": {"total": {"value": 3}, "hits": [
            {"_index": "news", "_id": str(n), "_source": r} for n, r in enumerate(records)]}},
        "jsonapi": {"data": [{"type": "article", "id": str(n), "attributes": r} for n, r in enumerate(records)],
                    "links": {"next": None}},
        "graphql": {"data": {"articles": {"edges": [{"node": r} for r in records]}}},
        "single": records[0],
    }[shape]
    write(tmp_path, "desk", "export.json", json.dumps(document))
    outcome, articles = ingest(tmp_path, "desk", "export.json")
    expected = records[:1] if shape == "single" else records
    assert [(a.title, a.body, a.published) for a in articles] == [
        (r["headline"], [r["body"]], dt.date(2024, 5, int(r["published_at"][-1]))) for r in expected]
    assert outcome.warnings == [] and outcome.outcome == "indexed"


def test_a_second_array_of_records_is_named_on_the_report_line(tmp_path: Path) -> None:
    document = {"articles": [{"title": f"A{n}", "text": PARA} for n in range(3)],
                "related": [{"title": "R", "text": PARA}]}
    write(tmp_path, "desk", "two.json", json.dumps(document))
    outcome, articles = ingest(tmp_path, "desk", "two.json")
    assert [a.title for a in articles] == ["A0", "A1", "A2"]
    assert any("records read from articles; other arrays of records not read: related (1)" in w
               for w in outcome.warnings)


@pytest.mark.parametrize("text,reason", [
    ('{"settings": {"theme": "dark"}, "users": [{"login": "x"}]}', "no articles found"),
    ('{"title": "T", "text": "unterminated', "not valid JSON"),
    ("[1, 2, 3]", "no articles found"),
])
def test_a_json_file_without_articles_is_reported_with_its_reason(tmp_path: Path, text: str, reason: str) -> None:
    write(tmp_path, "desk", "x.json", text)
    outcome, articles = ingest(tmp_path, "desk", "x.json")
    assert articles == [] and outcome.outcome == "skipped" and reason in outcome.reason


# --- RSS and Atom feeds ---------------------------------------------------------------------

RSS_CP1251 = """<?xml version="1.0" encoding="windows-1251"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Вести Минска</title><link>https://minsk.example/</link><language>ru</language>
<item><title>Делегация ОДКБ прибыла в Минск</title><link>https://minsk.example/news/1</link>
<pubDate>Tue, 07 May 2024 10:00:00 +0300</pubDate><dc:creator>Иван Петров</dc:creator><category>Политика</category>
<description><![CDATA[<p>Делегация ОДКБ прибыла в Минск во вторник.</p>]]></description>
<content:encoded><![CDATA[<p>Делегация ОДКБ прибыла в Минск во вторник.</p><p>Переговоры продлятся <b>два</b> дня.</p><script>x()</script>]]></content:encoded>
</item>
<item><title>Второй материал</title><link>https://minsk.example/news/2</link><pubDate>когда-то весной</pubDate>
<description>Краткий текст второй новости о переговорах в Минске.</description></item>
</channel></rss>"""


def test_a_russian_rss_feed_in_windows_1251_gives_one_clean_article_per_item(tmp_path: Path) -> None:
    write(tmp_path, "minsk", "feed.xml", RSS_CP1251.encode("cp1251"))
    outcome, (first, second) = ingest(tmp_path, "minsk", "feed.xml")
    assert outcome.outcome == "indexed"
    assert first.title == "Делегация ОДКБ прибыла в Минск" and first.url == "https://minsk.example/news/1"
    # the description repeats the content's first paragraph: once, not twice; the script is gone
    assert first.body == ["Делегация ОДКБ прибыла в Минск во вторник.", "Переговоры продлятся два дня."]
    assert first.published == dt.datetime(2024, 5, 7, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert (first.author, first.section, first.language, first.source_name) == (
        "Иван Петров", "Политика", "ru", "Вести Минска")
    assert second.body == ["Краткий текст второй новости о переговорах в Минске."] and second.published is None
    assert any("date not understood in 1 of 2 records" in w and "когда-то весной" in w for w in outcome.warnings)


def test_an_atom_feed_with_xhtml_content_and_an_html_title(tmp_path: Path) -> None:
    atom = f"""<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>Steppe Post</title>
<entry><title type="html">&lt;b&gt;Astana&lt;/b&gt; hosts the forum</title>
<link href="/2024/forum" /><id>urn:x:1</id><updated>2024-05-08T10:00:00Z</updated>
<published>2024-05-07T09:00:00+05:00</published><author><name>Ann Lee</name></author>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>{PARA}</p><p>Delegates came.</p></div></content>
</entry></feed>"""
    write(tmp_path, "steppe", "news.atom", atom)
    outcome, (article,) = ingest(tmp_path, "steppe", "news.atom")
    assert article.title == "Astana hosts the forum" and article.body == [PARA, "Delegates came."]
    assert article.published == dt.datetime(2024, 5, 7, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    assert article.author == "Ann Lee" and article.language == "en" and outcome.warnings == []


def test_a_feed_never_reads_an_external_entity(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-TOKEN")
    feed = f"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>
<rss version="2.0"><channel><title>T</title><item><title>Leak &x;</title><description>{PARA} &x;</description>
</item></channel></rss>"""
    write(tmp_path, "evil", "feed.rss", feed)
    outcome, articles = ingest(tmp_path, "evil", "feed.rss")
    dumped = json.dumps([a.to_json() for a in articles]) + json.dumps(outcome.warnings)
    assert "TOPSECRET" not in dumped


def test_a_bare_ampersand_is_read_as_written(tmp_path: Path) -> None:
    feed = f"""<rss version="2.0"><channel><title>Wire</title>
<item><title>Profits at AT&T rise &amp; R&D &#8212; up</title><description>{PARA}</description></item></channel></rss>"""
    write(tmp_path, "wire", "feed.xml", feed)
    outcome, (article,) = ingest(tmp_path, "wire", "feed.xml")
    assert article.title == "Profits at AT&T rise & R&D — up" and article.body == [PARA]
    assert outcome.warnings == []


def test_a_feeds_author_is_the_name_not_the_email_rss_puts_around_it(tmp_path: Path) -> None:
    feed = f"""<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Wire</title>
<item><title>One</title><author>jane@example.com (Jane Roe)</author><description>{PARA}</description></item>
<item><title>Two</title><dc:creator>Dana Omarova</dc:creator><dc:creator>Ivan Petrov</dc:creator>
<description>{PARA}</description></item></channel></rss>"""
    write(tmp_path, "wire", "feed.xml", feed)
    _, articles = ingest(tmp_path, "wire", "feed.xml")
    assert [a.author for a in articles] == ["Jane Roe", "Dana Omarova, Ivan Petrov"]


def test_a_feeds_author_is_the_people_it_names_else_the_agency_never_an_outlet_and_section(tmp_path: Path) -> None:
    # (the forms real feeds write in dc:creator: an outlet and its section, a newsroom, a name with
    # its outlet or role beside it, a cue, a link, an e-mail address alone)
    creators = ["Steppe Wire | World News", "By The Associated Press", "Dana Omarova, Steppe Wire",
                "Aigerim Sadykova Diplomatic editor", "Ivan Petrov and Olga Berg, political reporters",
                "Staff", "Редакция", "Reuters", "https://www.facebook.com/steppewire", "editor@steppe.example"]
    items = "".join(f"<item><title>Story {n}</title><dc:creator>{c}</dc:creator><description>{PARA}</description></item>"
                    for n, c in enumerate(creators))
    write(tmp_path, "wire", "feed.xml", f"""<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Steppe Post</title>{items}</channel></rss>""")
    outcome, articles = ingest(tmp_path, "wire", "feed.xml")
    assert [a.author for a in articles] == [
        "Steppe Wire", "The Associated Press", "Dana Omarova", "Aigerim Sadykova", "Ivan Petrov, Olga Berg",
        "Steppe Post", "Steppe Post", "Reuters", None, None]
    # Stated, but no name to keep: said on the file's report line, not left empty in silence.
    assert ("author stated but names no one, left empty: a link in 1 item(s), e.g. "
            "'https://www.facebook.com/steppewire'; an e-mail address in 1 item(s), e.g. 'editor@steppe.example'"
            in outcome.warnings), outcome.warnings


def test_a_malformed_feed_is_read_loosely_and_says_so(tmp_path: Path) -> None:
    feed = f"""<rss version="2.0"><channel><title>Wire</title>
<item><title>Budget agreed</title><description>{PARA}</description></item>
<item><title>Second <b>story</title><description>{PARA}</description></item></channel></rss>"""
    write(tmp_path, "wire", "feed.xml", feed)
    outcome, articles = ingest(tmp_path, "wire", "feed.xml")
    assert [a.title for a in articles][:1] == ["Budget agreed"] and articles[0].body == [PARA]
    assert any(w.startswith("the feed is not well-formed XML") for w in outcome.warnings)


def test_xml_that_is_not_a_feed_is_skipped_with_its_root_named(tmp_path: Path) -> None:
    write(tmp_path, "site", "sitemap.xml",
          '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x/</loc></url></urlset>')
    outcome, articles = ingest(tmp_path, "site", "sitemap.xml")
    assert articles == [] and outcome.outcome == "skipped"
    assert outcome.reason == "XML but not an RSS or Atom feed (root element <urlset>)"


def test_a_missing_feedparser_stops_the_ingest_with_one_clear_line(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, "minsk", "feed.xml", RSS_CP1251.encode("cp1251"))
    monkeypatch.setitem(sys.modules, "feedparser", None)   # import feedparser now raises ImportError
    with pytest.raises(ExtractorUnavailable, match="feedparser failed to import"):
        ingest(tmp_path, "minsk", "feed.xml")


# --- through the index and the desk ----------------------------------------------------------

def test_feed_and_json_articles_are_searchable_and_shown_without_markup(settings: Settings) -> None:
    root = settings.corpus_dir
    write(root, "minsk", "feed.xml", RSS_CP1251.encode("cp1251"))
    write(root, "wp", "posts.json", json.dumps([{"title": {"rendered": "Kazakhstan &amp; the CSTO"},
                                                 "content": {"rendered": f"<p>{PARA}</p><p>Astana agreed.</p>"}}]))
    summary = reindex(settings, progress=False)
    assert (summary.indexed, summary.articles_total, summary.skipped) == (2, 3, [])
    app = create_app(settings)
    try:
        client = app.test_client()
        hits = client.get("/api/search?q=переговоры").get_json()["hits"]
        assert {h["title"] for h in hits} == {"Делегация ОДКБ прибыла в Минск", "Второй материал"}
        page = client.get("/search?q=Astana").data.decode()
        assert "Kazakhstan &amp; the CSTO" in page and "&lt;p&gt;" not in page and "&amp;amp;" not in page
    finally:
        close_app(app)


# --- .xlsx workbooks (media-monitoring exports) ---------------------------------------------

def monitoring_workbook(path: Path) -> None:
    """A clippings report as monitoring services send them: the report's title and period above a
    Russian header, one row per article, a summary sheet with no articles."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Публикации"
    sheet.append(["Отчёт: ОДКБ, май 2024"])
    sheet.append(["Период: 01.05.2024 – 31.05.2024"])
    sheet.append([])
    sheet.append(["№", "Дата", "СМИ", "Заголовок", "Текст", "Ссылка", "Автор", "Охват"])
    sheet.append([1, dt.datetime(2024, 5, 7), "БелТА", "Делегация ОДКБ прибыла в Минск",
                  "Делегация ОДКБ прибыла в Минск во вторник.\nПереговоры продлятся два дня.",
                  "https://belta.example/1", "Иван Петров", 120000])
    sheet.append([2, dt.datetime(2024, 5, 8, 14, 30), "Kazinform", "CSTO drills begin",
                  PARA, "https://kazinform.example/2", None, 5000.0])
    summary = book.create_sheet("Сводка")
    summary.append(["Всего публикаций", 2])
    book.save(path)


def test_a_monitoring_report_in_xlsx_gives_one_article_per_row(tmp_path: Path) -> None:
    (tmp_path / "monitor").mkdir()
    monitoring_workbook(tmp_path / "monitor" / "report.xlsx")
    outcome, (first, second) = ingest(tmp_path, "monitor", "report.xlsx")
    assert outcome.outcome == "indexed"
    assert (first.title, first.body, first.published, first.source_name, first.url, first.author) == (
        "Делегация ОДКБ прибыла в Минск", ["Делегация ОДКБ прибыла в Минск во вторник.", "Переговоры продлятся два дня."],
        dt.date(2024, 5, 7), "БелТА", "https://belta.example/1", "Иван Петров")
    assert second.published == dt.datetime(2024, 5, 8, 14, 30) and second.body == [PARA]
    # the columns it does not read and the sheet with no articles are said, once each
    assert any(w.startswith("fields not read: №, Охват") for w in outcome.warnings)
    assert "sheets with no header row naming a title or text column, not read: 'Сводка'" in outcome.warnings


@pytest.mark.parametrize("make,reason", [
    (lambda: b"PK\x03\x04" + b"\x00" * 64, "not a readable .xlsx workbook"),
    (None, "no sheet has a header row naming a title or text column"),
])
def test_an_xlsx_without_articles_is_reported_with_its_reason(tmp_path: Path, make, reason: str) -> None:
    from openpyxl import Workbook

    (tmp_path / "monitor").mkdir()
    path = tmp_path / "monitor" / "x.xlsx"
    if make is None:
        book = Workbook()
        book.active.append(["a", "b"])
        book.active.append([1, 2])
        book.save(path)
    else:
        path.write_bytes(make())
    outcome, articles = ingest(tmp_path, "monitor", "x.xlsx")
    assert articles == [] and outcome.outcome == "skipped" and reason in outcome.reason


def test_a_missing_openpyxl_stops_the_ingest_with_one_clear_line(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "monitor").mkdir()
    monitoring_workbook(tmp_path / "monitor" / "report.xlsx")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(ExtractorUnavailable, match="openpyxl failed to import"):
        ingest(tmp_path, "monitor", "report.xlsx")


def test_russian_column_names_are_read_in_a_csv_too(tmp_path: Path) -> None:
    write(tmp_path, "desk", "a.csv", "Дата;Заголовок;Текст;Рубрика\n07.05.2024;Бюджет принят;" + PARA + ";Политика\n")
    outcome, (article,) = ingest(tmp_path, "desk", "a.csv")
    assert (article.title, article.body, article.published, article.section) == (
        "Бюджет принят", [PARA], dt.date(2024, 5, 7), "Политика")
    assert outcome.warnings == []


def test_a_headline_linked_to_its_article_gives_the_url(tmp_path: Path) -> None:
    # Clippings reports link each headline to its article rather than give an address column.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Дата", "Заголовок", "Текст", "СМИ"])
    sheet.append([dt.datetime(2024, 5, 7), "Делегация ОДКБ прибыла в Минск", PARA, "БелТА"])
    sheet.append([dt.datetime(2024, 5, 8), "CSTO drills begin", PARA, "Kazinform"])
    sheet["B2"].hyperlink = "https://belta.example/news/1"
    sheet["D3"].hyperlink = "https://kazinform.example/"       # no link on the headline: any other cell's
    (tmp_path / "monitor").mkdir()
    book.save(tmp_path / "monitor" / "links.xlsx")
    outcome, (first, second) = ingest(tmp_path, "monitor", "links.xlsx")
    assert (first.url, second.url) == ("https://belta.example/news/1", "https://kazinform.example/")
    assert outcome.warnings == []
    # With an address column, the column is the article's address.
    sheet.insert_cols(5)
    sheet["E1"], sheet["E2"], sheet["E3"] = "Ссылка", "https://belta.example/a", "https://kazinform.example/b"
    book.save(tmp_path / "monitor" / "links.xlsx")
    _, (first, second) = ingest(tmp_path, "monitor", "links.xlsx")
    assert (first.url, second.url) == ("https://belta.example/a", "https://kazinform.example/b")


def test_a_telegram_channel_export_gives_one_article_per_post_with_the_channels_name(tmp_path: Path) -> None:
    """Telegram Desktop's export of a channel (result.json): posts under "messages", each text a
    list of plain and formatted pieces of one sentence, the channel's name beside them."""
    root = tmp_path / "corpus"
    export = {"name": "Kazinform", "type": "public_channel", "id": 1001234567, "messages": [
        {"id": 101, "type": "service", "date": "2021-01-05T09:00:00", "action": "pin_message", "text": ""},
        {"id": 102, "type": "message", "date": "2021-01-05T10:14:33", "from": "Kazinform",
         "text": ["Токаев провел совещание по вопросам ", {"type": "bold", "text": "вакцинации"},
                  " в Нур-Султане. Подробнее: ", {"type": "link", "text": "https://www.inform.kz/ru/article/123"}]},
        {"id": 103, "type": "message", "date": "2021-01-05T11:00:00", "from": "Kazinform",
         "text": "В Алматы открылся новый центр вакцинации. Жители города могут записаться онлайн."},
        {"id": 104, "type": "message", "date": "2021-01-05T12:00:00", "text": "", "photo": "photos/photo_2.jpg"},
    ]}
    write(root, "kazinform_tg", "result.json", json.dumps(export, ensure_ascii=False))
    outcome, articles = ingest(root, "kazinform_tg", "result.json")
    assert [a.title for a in articles] == ["Токаев провел совещание по вопросам вакцинации в Нур-Султане",
                                          "В Алматы открылся новый центр вакцинации"]
    assert articles[0].body == ["Токаев провел совещание по вопросам вакцинации в Нур-Султане. "
                                "Подробнее: https://www.inform.kz/ru/article/123"]
    assert [a.source_name for a in articles] == ["Kazinform", "Kazinform"]
    assert [a.cities for a in articles] == [["Astana"], ["Almaty"]]
    assert articles[0].published == dt.datetime(2021, 1, 5, 10, 14, 33)
    assert "2 record(s) dropped" in outcome.reason     # the pin and the photo with no caption, said
    assert not any("beside the records" in w for w in outcome.warnings), outcome.warnings
