"""Exporting a search's results (CSV, JSON lines): the API, the results page's link and the CLI.

Real components: the web tests' corpus (seeds and hostile articles) plus a source of articles
that attack spreadsheets, indexed on disk; the real Flask app and the real server. A slow reader
is the one injected fault (the time budget, and searches going on beside an export).
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import http.client
import io
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from searchapp.backend import open_backend
from searchapp.cli import main
from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.models import Article, SearchRequest
from searchapp.search import export_formats as ef
from searchapp.search.export import published_iso
from searchapp.search.service import SearchService
from searchapp.serve import start_in_thread
from searchapp.web.app import close_app, create_app
from web_support import build_corpus

# Each attacks a spreadsheet or a parser; "quokka" finds them all.
FORMULA_RECORDS = [
    {"title": "=HYPERLINK(\"http://evil.example\",\"Click\") quokka", "text": "=1+2 quokka body",
     "author": "@SUM(A1:A9)", "section": "+cmd|' /C calc'!A0", "date": "2020-01-02"},
    {"title": "-2+3 quokka", "text": "\tquokka tab start", "date": "2020-01-03"},
    # (the markup is escaped in the record, so the article's text holds it as characters: a record
    # field with real tags is read as HTML, tests/test_json_and_feeds.py)
    {"title": "Quokka \"quoted\", with, commas", "text": "quokka line one\nline two \u2028 sep "
     "\u2029 para \x85 nel &lt;b&gt;bold&lt;/b&gt; &amp;amp; &lt;script&gt;alert(1)&lt;/script&gt;",
     "url": "https://example.org/q?a=1&b=\"x\"", "date": "2020-01-04"},
    {"title": "Выборы в Минске: «итоги» quokka", "text": "Квокка. Выборы прошли в Минске, ЦИК "
     "подвёл итоги.", "language": "ru", "date": "2020-01-05"},
]
FORMULA_TITLES = {r["title"] for r in FORMULA_RECORDS}


def _build(root: Path) -> Settings:
    corpus = build_corpus(root)
    folder = corpus / "formulas"
    folder.mkdir()
    (folder / "items.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                                for r in FORMULA_RECORDS), encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=root / "index")
    reindex(settings, full=True, progress=False)
    return settings


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return _build(tmp_path_factory.mktemp("export"))


@pytest.fixture(scope="module")
def client(settings: Settings):
    app = create_app(settings)
    yield app.test_client()
    close_app(app)


@contextlib.contextmanager
def app_client(settings: Settings, engine=None) -> Iterator:
    app = create_app(settings, engine=engine)
    try:
        yield app.test_client()
    finally:
        close_app(app)


def jsonl_rows(data: bytes) -> list[dict]:
    text = data.decode("utf-8")
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.split("\n") if line]


def csv_rows(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf"), data[:20]
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert tuple(reader.fieldnames or ()) == ef.NAMES
    return list(reader)


def search_ids(client, query: str) -> tuple[list[str], dict]:
    """Return every hit id of a search (all pages of 100), and the first page's JSON.

    With every copy (collapse=0): an export writes every matching article, copies of one story
    included (README "Syndicated copies"), in the order the results show them all.
    """
    first = client.get(f"/api/search?{query}&size=100&collapse=0").get_json()
    ids = [h["id"] for h in first["hits"]]
    for page in range(2, first["pages"] + 1):
        ids += [h["id"] for h in client.get(f"/api/search?{query}&size=100&collapse=0&page={page}")
                .get_json()["hits"]]
    return ids, first


def export(client, query: str, fmt: str = "jsonl"):
    r = client.get(f"/api/export?{query}&format={fmt}")
    assert r.status_code == 200, r.data[:300]
    return r, (jsonl_rows(r.data) if fmt == "jsonl" else csv_rows(r.data))


# -- rows are the search's results --------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "q=zebrafish", "q=president", "q=csto&sort=newest", "q=csto&sort=oldest", "", "sort=newest",
    "q=csto+summit+moscow",                       # no article has all three: partial matches
    "q=Минск", "q=secur*", "q=nato+OR+csto&sort=newest",
    "q=the+collective+security+treaty+organization+summit+leaders+minsk",   # best match first
])
def test_export_rows_are_the_search_results_in_the_same_order(client, query: str) -> None:
    ids, page = search_ids(client, query)
    r, rows = export(client, query)
    assert [row["id"] for row in rows] == ids and ids
    assert [row["rank"] for row in rows] == list(range(1, len(ids) + 1))
    assert r.headers["X-Export-Total"] == str(page["total"]) == str(len(ids))
    assert r.headers["X-Export-Rows"] == str(len(rows))
    assert "X-Export-Truncated" not in r.headers and "X-Export-Partial" not in r.headers
    # The notes the results page shows about the query, the same words.
    assert json.loads(r.headers.get("X-Export-Notes", "[]")) == page["notes"]
    _, csv_export = export(client, query, "csv")
    assert [row["id"] for row in csv_export] == ids


def test_the_partial_match_note_travels_with_the_export(client) -> None:
    r, _ = export(client, "q=csto+summit+moscow")
    assert "articles with some of them" in r.headers["X-Export-Notes"]


def test_rows_hold_the_articles_fields(client) -> None:
    _, rows = export(client, "q=csto&sort=newest")
    row = rows[0]
    art = client.get(f"/api/articles/{row['id']}").get_json()["article"]
    assert row["title"] == art["title"] and row["source"] == art["source"]
    assert row["source_name"] == art["source_name"] and row["url"] == art["url"]
    assert row["cities"] == art["cities"] and row["countries"] == art["countries"]
    assert row["published"] == art["published"][:10] and row["date_precision"] == "day"
    assert row["published_raw"] == art["published_raw"]
    assert row["desk_url"] == f"http://localhost/article/{row['id']}"
    assert client.get(urlsplit(row["desk_url"]).path).status_code == 200
    assert row["snippet"] and "<mark>" not in row["snippet"]
    undated = [r for r in export(client, "undated=1")[1]]
    assert undated and all(r["published"] is None and r["date_precision"] is None for r in undated)


@pytest.mark.parametrize("query, check", [
    ("q=csto&country=Belarus", lambda r: "Belarus" in r["countries"]),
    ("q=csto&country=Belarus&country=Kazakhstan",
     lambda r: {"Belarus", "Kazakhstan"} & set(r["countries"])),
    ("source=evil", lambda r: r["source"] == "evil"),
    ("lang=ru", lambda r: r["language"] == "ru"),
    ("year=2017", lambda r: r["published"].startswith("2017")),
    ("from=2017-07-01&to=2017-12-31&sort=oldest", lambda r: "2017-07-01" <= r["published"] <= "2017-12-31"),
    ("undated=1", lambda r: r["published"] is None),
    ("q=zebrafish&city=Minsk", lambda r: "Minsk" in r["cities"]),
])
def test_filters_are_honoured(client, query: str, check) -> None:
    ids, _ = search_ids(client, query)
    _, rows = export(client, query)
    assert [r["id"] for r in rows] == ids
    assert all(check(r) for r in rows), [r["id"] for r in rows if not check(r)]
    everything = len(export(client, "")[1])
    assert len(rows) < everything


def test_page_and_size_do_not_cut_an_export(client) -> None:
    _, whole = export(client, "q=zebrafish")
    _, paged = export(client, "q=zebrafish&page=2&size=2")
    assert paged == whole


def test_a_range_ending_before_it_starts_is_an_empty_export_with_the_note(client) -> None:
    r, rows = export(client, "from=2019&to=2017", "csv")
    assert rows == [] and r.headers["X-Export-Total"] == "0"
    assert "swap them" in r.headers["X-Export-Notes"]


# -- bounded ------------------------------------------------------------------------------------

def test_the_row_cap_cuts_the_export_and_says_so(settings: Settings) -> None:
    with app_client(settings.replace(export_max_rows=3)) as capped:
        ids, page = search_ids(capped, "q=zebrafish&sort=newest")
        r, rows = export(capped, "q=zebrafish&sort=newest", "csv")
        assert [row["id"] for row in rows] == ids[:3] and page["total"] > 3
        assert r.headers["X-Export-Truncated"] == "rows"
        assert r.headers["X-Export-Total"] == str(page["total"]) and r.headers["X-Export-Rows"] == "3"
        html = capped.get("/search?q=zebrafish").data.decode()
        assert "(the first 3)" in html
    with app_client(settings.replace(export_max_rows=page["total"])) as enough:
        r, rows = export(enough, "q=zebrafish&sort=newest")
        assert len(rows) == page["total"] and "X-Export-Truncated" not in r.headers


class SlowArticles:
    """A backend whose readers take `delay` seconds per Reader.articles call (an injected fault)."""

    def __init__(self, settings: Settings, delay: float) -> None:
        self.inner = open_backend(settings)
        self.delay = delay
        self.calls = 0
        self.only: threading.Thread | None = None    # slow for this thread only, when set

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    @contextlib.contextmanager
    def reader(self):
        with self.inner.reader() as reader:
            yield _SlowReader(reader, self)


class _SlowReader:
    def __init__(self, reader, owner: SlowArticles) -> None:
        self._reader, self._owner = reader, owner

    def __getattr__(self, name: str):
        return getattr(self._reader, name)

    def articles(self, ids):
        owner = self._owner
        if owner.only is None or owner.only is threading.current_thread():
            owner.calls += 1
            time.sleep(owner.delay)
        return self._reader.articles(ids)


def test_the_time_budget_cuts_the_export_and_says_so(settings: Settings) -> None:
    slow = settings.replace(export_batch_rows=2, export_time_limit_s=0.5)
    backend = SlowArticles(slow, delay=0.3)
    with app_client(slow, SearchService(slow, backend)) as c:
        r = c.get("/api/export?format=jsonl")
        rows = jsonl_rows(r.data)
        total = int(r.headers["X-Export-Total"])
        assert r.status_code == 200 and r.headers["X-Export-Truncated"] == "time"
        assert 0 < len(rows) < total and len(rows) == int(r.headers["X-Export-Rows"])
        assert len(rows) % 2 == 0 and backend.calls == len(rows) // 2
        assert r.headers["Cache-Control"] == "no-store" and "ETag" not in r.headers
        # The rows it has are the first ones, in order.
        assert [x["rank"] for x in rows] == list(range(1, len(rows) + 1))


def test_searches_go_on_while_an_export_reads_its_rows(settings: Settings) -> None:
    """An export holds the engine for one batch at a time: a search gets in between."""
    slow = settings.replace(export_batch_rows=1)
    backend = SlowArticles(slow, delay=0.4)
    service = SearchService(slow, backend)
    with app_client(slow, service) as c:
        # Once first: the spelling word list is read in the background after start (a first
        # search may wait for it), and a search reaches for the reader once per part.
        service.search(SearchRequest(query="president"))
        thread = threading.Thread(target=lambda: c.get("/api/export?q=zebrafish&format=jsonl"))
        backend.only = thread            # the export's reads are slow, the search's are not
        thread.start()
        time.sleep(0.5)                  # the export is reading its rows now (6 x 0.4 s)
        started = time.perf_counter()
        page = service.search(SearchRequest(query="president"))
        took = time.perf_counter() - started
        still = thread.is_alive()
        thread.join(timeout=30)
        # It waits for the batch being read at most (0.4 s), never for the rest of the export
        # (1.9 s or more): the bound leaves a loaded machine room for the search's own work.
        assert page.total > 0 and took < 1.2, took
        assert still                     # the search did not wait for the export to finish


def test_exports_beyond_export_concurrency_get_a_429_and_searches_go_on(settings: Settings) -> None:
    """Each export being read holds a server thread: past export_concurrency, another is told to
    come back (429, Retry-After) rather than take the threads searches need."""
    slow = settings.replace(export_batch_rows=1, export_concurrency=1)
    backend = SlowArticles(slow, delay=0.3)
    service = SearchService(slow, backend)
    with app_client(slow, service) as c:
        service.search(SearchRequest(query="president"))
        first: list = []
        thread = threading.Thread(target=lambda: first.append(c.get("/api/export?q=zebrafish&format=jsonl")))
        backend.only = thread
        thread.start()
        time.sleep(0.5)                  # the first export is reading its rows (6 x 0.3 s)
        second = c.get("/api/export?q=zebrafish")
        assert thread.is_alive()
        assert second.status_code == 429 and second.headers["Retry-After"] == "5"
        assert "export_concurrency" in second.get_json()["error"]["message"]
        assert c.get("/api/search?q=president").status_code == 200
        thread.join(timeout=30)
        assert first[0].status_code == 200 and first[0].headers["X-Export-Rows"] == first[0].headers["X-Export-Total"]
        # The place is free again once the first export's rows are read.
        again = c.get("/api/export?q=zebrafish&format=jsonl")
        assert again.status_code == 200 and again.data == first[0].data


class LosesArticles(SlowArticles):
    """Readers whose Reader.articles leaves out the hostile source's articles, as a reader does
    for articles deleted since they matched, or held by a shard that stopped answering."""

    @contextlib.contextmanager
    def reader(self):
        with self.inner.reader() as reader:
            yield _LosingReader(reader)


class _LosingReader:
    def __init__(self, reader) -> None:
        self._reader = reader

    def __getattr__(self, name: str):
        return getattr(self._reader, name)

    def articles(self, ids):
        return [a for a in self._reader.articles(ids) if a.source != "evil"]


def test_matched_articles_that_cannot_be_read_are_counted_not_hidden(settings: Settings) -> None:
    with app_client(settings, SearchService(settings, LosesArticles(settings, 0.0))) as c:
        r = c.get("/api/export?q=zebrafish&format=jsonl")
        rows = jsonl_rows(r.data)
        total = int(r.headers["X-Export-Total"])
        assert r.status_code == 200 and len(rows) < total
        assert int(r.headers["X-Export-Skipped"]) == total - len(rows)
        assert r.headers["Cache-Control"] == "no-store"


# -- formats: Russian text, hostile articles ----------------------------------------------------

def test_russian_text_round_trips_through_csv_and_json_lines(client) -> None:
    r, rows = export(client, "q=Квокка", "csv")
    assert [row["title"] for row in rows] == ["Выборы в Минске: «итоги» quokka"]
    assert rows[0]["language"] == "ru" and rows[0]["snippet"].startswith("Квокка. Выборы")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8; header=present"
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="search.csv"; filename*=UTF-8\'\'')
    assert unquote(disposition.split("''", 1)[1]) == "search-Квокка.csv"
    _, jrows = export(client, "q=Квокка")
    assert jrows[0]["title"] == rows[0]["title"] and jrows[0]["snippet"] == rows[0]["snippet"]


def test_hostile_articles_never_become_formulas_and_read_back_whole(client) -> None:
    _, rows = export(client, "q=quokka", "csv")
    _, jrows = export(client, "q=quokka")
    assert {r["title"] for r in jrows} == FORMULA_TITLES
    assert len(rows) == len(jrows) == len(FORMULA_RECORDS)
    for row, jrow in zip(rows, jrows):
        for name in ef.NAMES:
            cell = row[name]
            assert not cell.startswith(ef.FORMULA_START), (name, cell)
            value = jrow[name]
            text = ("; ".join(value) if isinstance(value, list) else
                    str(value).lower() if isinstance(value, bool) else "" if value is None
                    else str(value))
            # The CSV cell is the JSON value, with a quote in front only where it would run.
            assert cell == ("'" + text if text.startswith(ef.FORMULA_START) else text), name
    by_title = {r["title"]: r for r in rows}
    evil = by_title["'=HYPERLINK(\"http://evil.example\",\"Click\") quokka"]
    assert evil["author"] == "'@SUM(A1:A9)" and evil["section"] == "'+cmd|' /C calc'!A0"
    assert "'-2+3 quokka" in by_title
    quoted = next(r for r in jrows if r["title"].startswith("Quokka"))
    assert quoted["url"] == "https://example.org/q?a=1&b=\"x\""
    assert "<script>alert(1)</script>" in quoted["snippet"]   # text, as the article holds it


def test_html_articles_export_as_their_text(client) -> None:
    _, jrows = export(client, "q=zebrafish")
    titles = {r["title"] for r in jrows}
    assert "<script>alert('title')</script> Zebrafish report" in titles
    assert any(r["url"] == "javascript:alert(5)" for r in jrows)   # the data, as stored


HOSTILE_CELLS = ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "a\nb", "a\r\nb", 'say "hi", ok',
                 "line\u2028sep\u2029para\x85nel", "", "Минск", "<b>x</b>", "'=quoted"]


def test_the_writers_round_trip_hostile_cells() -> None:
    rows = [{"rank": n, "title": text, "cities": [text, "b"], "date_inferred": n % 2 == 0,
             "published": None} for n, text in enumerate(HOSTILE_CELLS, 1)]
    data = b"".join(ef.encode(iter(rows), "csv"))
    back = csv_rows(data)
    assert [r["title"] for r in back] == [ef.neutralise(t) for t in HOSTILE_CELLS]
    assert [r["cities"] for r in back] == [ef.neutralise(f"{t}; b") for t in HOSTILE_CELLS]
    assert back[0]["published"] == "" and back[0]["date_inferred"] == "false"
    lines = b"".join(ef.encode(iter(rows), "jsonl")).decode()
    # One article per line for any reader, even one splitting on every Unicode line break.
    assert len(lines.splitlines()) == len(rows)
    assert [json.loads(x)["title"] for x in lines.splitlines()] == HOSTILE_CELLS
    assert [json.loads(x)["cities"] for x in lines.splitlines()] == [[t, "b"] for t in HOSTILE_CELLS]


@pytest.mark.parametrize("cell, out", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("a=1", "a=1"), (" =1", " =1"), ("", ""), ("'=1", "'=1"), ("Минск", "Минск"),
])
def test_neutralise(cell: str, out: str) -> None:
    assert ef.neutralise(cell) == out


@pytest.mark.parametrize("query, ascii_name, name", [
    ("summit minsk", "search-summit-minsk.csv", "search-summit-minsk.csv"),
    ("", "search.csv", "search.csv"),
    ("Выборы в Минске", "search.csv", "search-Выборы-в-Минске.csv"),
    ('"a" / ../b\\c;d', "search-a-b-c-d.csv", "search-a-b-c-d.csv"),
    ("Café crème", "search-Cafe-creme.csv", "search-Café-crème.csv"),
    ("x" * 100, "search-" + "x" * 60 + ".csv", "search-" + "x" * 60 + ".csv"),
])
def test_download_names_are_safe(query: str, ascii_name: str, name: str) -> None:
    assert ef.download_names(query, "csv") == (ascii_name, name)
    header = ef.content_disposition(query, "csv")
    assert header.isascii() and "\r" not in header and "\n" not in header
    assert header.count('"') == 2


@pytest.mark.parametrize("published, precision, out", [
    (dt.date(2017, 7, 17), "day", "2017-07-17"), (dt.date(2017, 7, 1), "month", "2017-07"),
    (dt.date(2017, 1, 1), "year", "2017"), (dt.datetime(2020, 3, 27, 9, 21), "day",
                                            "2020-03-27T09:21:00"), (None, None, None),
])
def test_published_is_iso_at_its_precision(published, precision, out) -> None:
    art = Article(id="a", source="s", source_name="S", path="p", url=None, title="t",
                  section=None, author=None, dateline=None, published=published,
                  published_raw=None, date_precision=precision, date_inferred=False,
                  page_date=None, language="en", cities=[], countries=[], body=["b"])
    assert published_iso(art) == out


# -- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("query, words", [
    ("format=xls", "format must be one of csv, jsonl"),
    ("format=csv&format=jsonl", "'format' was given 2 times"),
    ("format=", "format must be one of"),
    ("sort=best", "sort must be one of"),
    ("q=x*", "a prefix needs at least"),
    ("month=7", "month needs a year"),
    ("page=0", "page must be"),
    ("q=" + "a" * 501, "at most 500"),
])
def test_bad_input_gets_a_400_saying_what_is_allowed(client, query: str, words: str) -> None:
    r = client.get(f"/api/export?{query}")
    assert r.status_code == 400 and r.mimetype == "application/json"
    assert words in r.get_json()["error"]["message"]


def test_no_index_gives_a_503(tmp_path: Path) -> None:
    with app_client(Settings(corpus_dir=tmp_path, index_dir=tmp_path / "none")) as c:
        r = c.get("/api/export?q=x")
        assert r.status_code == 503 and r.mimetype == "application/json"


# -- the results page's link --------------------------------------------------------------------

def test_the_results_page_links_its_export_with_the_query_filters_and_sort(client) -> None:
    html = client.get("/search?q=csto&country=Belarus&sort=newest&page=2&size=3").data.decode()
    from test_web import links
    hrefs = [h for h, _, a in links(html.encode()).anchors if "export-link" in a.get("class", "")]
    assert len(hrefs) == 2
    for href, fmt in zip(hrefs, ("csv", "jsonl")):
        parts = urlsplit(href)
        assert parts.path == "/api/export" and not parts.netloc
        assert parse_qs(parts.query) == {"q": ["csto"], "country": ["Belarus"],
                                         "sort": ["newest"], "format": [fmt]}
        ids, _ = search_ids(client, "q=csto&country=Belarus&sort=newest")
        assert [r["id"] for r in export(client, parts.query.replace(f"&format={fmt}", ""))[1]] == ids
    assert "&amp;country=Belarus" in html          # escaped in the page
    assert "export-link" not in client.get("/search?q=nosuchwordanywhere").data.decode()


# -- over HTTP, the real server ---------------------------------------------------------------

def test_the_real_server_streams_the_export_with_its_headers(settings: Settings) -> None:
    running = start_in_thread(settings)
    try:
        host, port = urlsplit(running.url).netloc.split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.request("GET", "/api/export?q=%D0%9C%D0%B8%D0%BD%D1%81%D0%BA&format=csv",
                     headers={"Accept-Encoding": "identity"})
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        assert resp.status == 200 and int(resp.getheader("Content-Length")) == len(body)
        rows = csv_rows(body)
        assert len(rows) == int(resp.getheader("X-Export-Rows")) > 0
        assert all(r["desk_url"].startswith(running.url + "/article/") for r in rows)
    finally:
        running.stop()


# -- the CLI ------------------------------------------------------------------------------------

def test_cli_writes_the_file_and_says_what_cut_it(settings: Settings, tmp_path: Path,
                                                  monkeypatch, capsys) -> None:
    monkeypatch.setenv("SEARCHAPP_CORPUS_DIR", str(settings.corpus_dir))
    out = tmp_path / "out" / "zebra.csv"
    assert main(["export", "zebrafish", "--index", str(settings.index_dir), "--out", str(out),
                 "--sort", "newest", "--max-rows", "2", "--base-url", "https://desk.example/"]) == 0
    err = capsys.readouterr().err
    rows = csv_rows(out.read_bytes())
    with SearchService(settings) as service:
        page = service.search(SearchRequest(query="zebrafish", sort="newest", page_size=100))
    assert [r["id"] for r in rows] == [h.id for h in page.hits[:2]]
    assert rows[0]["desk_url"] == f"https://desk.example/article/{rows[0]['id']}"
    assert f"truncated: only the first 2 of {page.total} matching articles" in err
    assert f"exported 2 of {page.total} matching articles to {out} (csv)" in err


def test_cli_exports_json_lines_to_stdout_with_the_filters(settings: Settings, monkeypatch,
                                                           capsys, tmp_path: Path) -> None:
    monkeypatch.setenv("SEARCHAPP_CORPUS_DIR", str(settings.corpus_dir))
    assert main(["export", "csto", "--index", str(settings.index_dir), "--format", "jsonl",
                 "--country", "Belarus", "--from", "2017-01-01"]) == 0
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert rows and all("Belarus" in r["countries"] and r["published"] >= "2017" for r in rows)
    assert "truncated" not in captured.err
    refused = tmp_path / "refused.csv"
    assert main(["export", "x*", "--index", str(settings.index_dir), "--out", str(refused)]) == 2
    assert "a prefix needs at least" in capsys.readouterr().err and not refused.exists()
