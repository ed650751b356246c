"""Saved searches on the desk (web/saved.py, web/atom.py, web/same_origin.py): the real Flask app
over a real index on disk, updated by the real reindex, and a real SQLite desk file."""
from __future__ import annotations

import datetime as dt
import html
import json
from xml.etree import ElementTree as ET

import pytest
from markupsafe import escape

from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.models import Article, SearchRequest
from searchapp.search.alerts import FeedEntry
from searchapp.search.desk_store import SavedSearch
from searchapp.web.app import close_app, create_app
from searchapp.web.atom import feed_xml
from web_support import audit

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE_NAME = '<script>alert("name")</script> & "quotes"'
HOSTILE_TITLE = 'Gas <script>alert(1)</script> & <b onmouseover="x()">deal</b> \x07bell'
HOSTILE_TEXT = "A gas deal ]]> <![CDATA[ <img src=x onerror=alert(2)> was signed \x00 today."


def write(settings: Settings, rel: str, records: list[dict[str, str]]) -> None:
    path = settings.corpus_dir / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def hostile(settings: Settings, rel: str, extra: list[dict[str, str]] = ()) -> None:
    """Write the hostile article with its markup escaped, as tests/web_support.py does: an export
    field with real tags may be read as HTML at ingest (its scripts dropped), and what is under
    attack here is the pages' and the feed's own escaping of whatever text the article holds."""
    record = {"title": html.escape(HOSTILE_TITLE, quote=False), "text": html.escape(HOSTILE_TEXT, quote=False),
              "date": "1990-05-06"}
    write(settings, rel, [record, *extra])


def stored_title(client) -> str:
    """Return the hostile article's title as the index holds it (the only article with "signed")."""
    title = client.get("/api/search?q=signed").get_json()["hits"][0]["title"]
    assert "<" in title or "&" in title     # something for the escaping to do
    return title


@pytest.fixture
def site(settings: Settings):
    write(settings, "wire/a.jsonl", [{"title": "Gas prices", "text": "Gas prices rose.", "date": "2015-01-02"},
                                     {"title": "Harvest", "text": "Wheat harvest rose.", "date": "2015-01-03"}])
    reindex(settings, full=True, progress=False)
    app = create_app(settings)
    yield settings, app.test_client()
    close_app(app)


def saved_ids(client) -> list[int]:
    return [s["id"] for s in client.get("/api/saved").get_json()["saved"]]


def test_save_from_the_results_page_then_new_arrivals_count_once(site) -> None:
    settings, client = site
    page = client.get("/search?q=gas&sort=newest&lang=en").get_data(as_text=True)
    assert 'action="/saved"' in page and "Save this search" in page
    resp = client.post("/saved", data={"name": HOSTILE_NAME, "q": "gas", "sort": "newest"},
                       headers={"Origin": "http://localhost"})
    assert resp.status_code == 303 and resp.headers["Location"] == "/saved"
    (sid,) = saved_ids(client)
    listing = client.get("/saved").get_data(as_text=True)
    assert "none new" in listing and "<script>alert(\"name\")" not in listing
    assert "&lt;script&gt;" in listing and not audit(listing).problems
    hostile(settings, "wire/b.jsonl", [{"title": "Football", "text": "A draw."}])
    reindex(settings, progress=False)
    listing = client.get("/saved").get_data(as_text=True)
    assert "1 new" in listing
    new = client.get(f"/saved/{sid}").get_data(as_text=True)
    title = stored_title(client)
    assert str(escape(title)) in new and not audit(new).problems
    api = client.get(f"/api/saved/{sid}").get_json()
    assert api["new"]["total"] == 1 and api["articles"][0]["title"] == title
    upto = api["new"]["upto"]
    assert client.post(f"/saved/{sid}/seen", data={"upto": str(upto)}).status_code == 303
    assert client.get(f"/api/saved/{sid}").get_json()["new"]["total"] == 0
    assert "none new" in client.get("/saved").get_data(as_text=True)
    # The desk's state changes without a commit: no validator naming the commit may keep these.
    for path in ("/saved", f"/saved/{sid}", f"/saved/{sid}/feed.atom", "/api/saved", f"/api/saved/{sid}"):
        resp = client.get(path)
        assert resp.headers["Cache-Control"] == "no-store" and "ETag" not in resp.headers, path


def test_the_feed_is_atom_newest_arrival_first_and_escaped(site) -> None:
    settings, client = site
    client.post("/api/saved", json={"name": "gas", "q": "gas"})
    (sid,) = saved_ids(client)
    hostile(settings, "wire/b.jsonl")
    reindex(settings, progress=False)
    write(settings, "wire/c.jsonl", [{"title": "Gas storage", "text": "Gas storage is full.", "date": "1980-01-01"}])
    reindex(settings, progress=False)
    client.post(f"/api/saved/{sid}/seen", json={})      # the feed does not depend on "mark seen"
    resp = client.get(f"/saved/{sid}/feed.atom")
    assert resp.status_code == 200 and resp.mimetype == "application/atom+xml"
    root = ET.fromstring(resp.data)                  # parses: escaped, no forbidden characters
    assert root.tag == f"{ATOM}feed" and root.findtext(f"{ATOM}title") == "searchapp: gas"
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    # Newest arrival first; the title character for character (less what XML cannot hold).
    assert titles == ["Gas storage", stored_title(client).replace("\x07", "")]
    evil = entries[1]
    assert "onerror=alert(2)" in evil.findtext(f"{ATOM}summary")
    assert evil.find(f"{ATOM}link").get("href").startswith("http://localhost/article/")
    assert evil.findtext(f"{ATOM}published") == "1990-05-06T00:00:00Z"
    assert client.get("/saved/999/feed.atom").status_code == 404


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Origin": "null"},
                                     {"Sec-Fetch-Site": "cross-site"},
                                     {"Referer": "https://evil.example/page"},
                                     {"Origin": "http://localhost.evil.example"}])
def test_cross_site_changes_are_refused(site, headers: dict[str, str]) -> None:
    _, client = site
    client.post("/api/saved", json={"name": "keep", "q": "gas"})
    (sid,) = saved_ids(client)
    assert client.post("/saved", data={"q": "gas", "name": "evil"}, headers=headers).status_code == 403
    assert client.post("/api/saved", json={"name": "evil2", "q": "gas"}, headers=headers).status_code == 403
    for path in (f"/saved/{sid}/delete", f"/saved/{sid}/rename", f"/saved/{sid}/seen",
                 f"/api/saved/{sid}/seen"):
        resp = client.post(path, data={"name": "x"}, headers=headers)
        assert resp.status_code == 403, path
        assert b"refused" in resp.data
        assert (b'"title": "Refused"' if path.startswith("/api/") else b"<title>Refused") in resp.data
    assert client.delete(f"/api/saved/{sid}", headers=headers).status_code == 403
    assert client.patch(f"/api/saved/{sid}", json={"name": "y"}, headers=headers).status_code == 403
    assert saved_ids(client) == [sid]
    assert client.get("/api/saved").get_json()["saved"][0]["name"] == "keep"
    same = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    assert client.post(f"/saved/{sid}/rename", data={"name": "kept"}, headers=same).status_code == 303


def test_bad_ids_and_names_are_refused_with_a_message(site) -> None:
    _, client = site
    assert client.post("/api/saved", json={"name": "gas", "q": "gas"}).status_code == 201
    (sid,) = saved_ids(client)
    cases = [(client.get("/saved/999"), 404), (client.get("/saved/abc"), 404),
             (client.get("/saved/99999999999999999999999"), 404),
             (client.get("/api/saved/0"), 404),
             (client.post("/api/saved", json={"name": "gas", "q": "other"}), 409),
             (client.post("/api/saved", json={"name": "x" * 200, "q": "gas"}), 400),
             (client.post("/api/saved", json={"name": 5, "q": "gas"}), 400),
             (client.post("/api/saved", json={"q": {"a": 1}}), 400),
             (client.post("/api/saved", json={"q": "gas", "sort": "sideways"}), 400),
             (client.post("/api/saved", data="name=x"), 400),
             (client.post("/api/saved", json=[1, 2]), 400),
             (client.post("/saved", data={"name": "\x01bad", "q": "gas"}), 400),
             (client.post(f"/saved/{sid}/rename", data={"name": "  "}), 400),
             (client.post(f"/saved/{sid}/seen", data={"upto": "soon"}), 400),
             (client.patch(f"/api/saved/{sid}", json={"name": None}), 400),
             (client.post("/saved/999/delete"), 404)]
    for resp, status in cases:
        assert resp.status_code == status, (resp.request.path, resp.data[:200])
        assert resp.data
    # No name: the query, made a name (control characters dropped, cut to 120 characters).
    made = client.post("/api/saved", json={"q": "\x80 gas " + "x" * 300}).get_json()
    assert made["name"].startswith("gas x") and len(made["name"]) == 120
    assert client.post("/api/saved", json={"q": "\x85"}).get_json()["name"] == "All articles"
    client.delete(f"/api/saved/{made['id']}")
    assert client.delete(f"/api/saved/{sid}").status_code == 204
    assert client.delete(f"/api/saved/{sid}").status_code == 404
    err = client.get("/api/saved/7").get_json()["error"]
    assert err["status"] == 404 and "no saved search" in err["message"]


def test_the_overview_shares_one_budget_and_marks_what_it_did_not_count(site) -> None:
    settings, client = site
    for name in ("one", "two"):
        assert client.post("/api/saved", json={"name": name, "q": "gas"}).status_code == 201
    app = create_app(settings.replace(query_time_limit_s=0.0))
    try:
        late = app.test_client()
        assert [s["new"]["counted"] for s in late.get("/api/saved").get_json()["saved"]] == [False, False]
        assert late.get("/saved").get_data(as_text=True).count("not counted") == 2
    finally:
        close_app(app)


def test_no_index_is_a_503_saying_so(settings: Settings) -> None:
    settings.index_dir.mkdir(parents=True)
    app = create_app(settings)
    try:
        client = app.test_client()
        for path in ("/saved", "/api/saved"):
            resp = client.get(path)
            assert resp.status_code == 503 and b"reindex" in resp.data, path
    finally:
        close_app(app)


def test_a_feed_entry_keeps_the_time_and_offset_its_source_stated() -> None:
    def art(i: str, published: object) -> Article:
        return Article.from_json({"id": i, "source": "s", "source_name": "S", "path": "s/a", "title": "T",
                                  "language": "en", "body": ["Text."], "published": published})

    saved = SavedSearch(1, "watch", SearchRequest(query="x"), "2024-05-01T00:00:00+00:00", 0, 0)
    entries = [FeedEntry(art("a", "2024-05-07T10:30:00+03:00"), "2024-05-08T00:00:00+00:00"),
               FeedEntry(art("b", "2024-05-06"), "2024-05-08T00:00:00+00:00")]
    doc = ET.fromstring(feed_xml(saved, entries, self_url="http://x/f", html_url="http://x/h",
                                 article_url=lambda i: f"http://x/a/{i}"))
    assert [e.findtext(f"{ATOM}published") for e in doc.findall(f"{ATOM}entry")] == [
        "2024-05-07T10:30:00+03:00", "2024-05-06T00:00:00Z"]
    assert dt.datetime.fromisoformat(doc.findall(f"{ATOM}entry")[0].findtext(f"{ATOM}published")).utcoffset()


def test_new_matches_page_on_and_stay_the_same_pages_after_a_commit(settings: Settings) -> None:
    import dataclasses

    small = dataclasses.replace(settings, max_page_size=2, default_page_size=2)
    write(small, "wire/a.jsonl", [{"title": "Harvest", "text": "Wheat harvest rose.", "date": "2015-01-03"}])
    reindex(small, full=True, progress=False)
    app = create_app(small)
    client = app.test_client()
    try:
        client.post("/api/saved", json={"name": "gas", "q": "gas", "sort": "oldest"})
        (sid,) = saved_ids(client)
        write(small, "wire/b.jsonl", [{"title": f"Gas report {n}", "text": f"Gas report number {n}.",
                                       "date": f"2015-02-0{n}"} for n in range(1, 6)])
        reindex(small, progress=False)
        first = client.get(f"/api/saved/{sid}").get_json()["new"]
        assert first["total"] == 5 and first["page"] == 1 and len(first["ids"]) == 2
        page = client.get(f"/saved/{sid}").get_data(as_text=True)
        assert "1–2 of 5" in page and 'rel="next"' in page and f"upto={first['upto']}" in page
        # A commit between two pages: the pages counted at the first page's sync stay its pages.
        write(small, "wire/c.jsonl", [{"title": "Gas early", "text": "Gas early news.", "date": "2014-01-01"}])
        reindex(small, progress=False)
        pages = [client.get(f"/api/saved/{sid}?page={p}&upto={first['upto']}").get_json() for p in (1, 2, 3)]
        titles = [a["title"] for p in pages for a in p["articles"]]
        assert titles == [f"Gas report {n}" for n in range(1, 6)]
        last = client.get(f"/saved/{sid}?page=3&upto={first['upto']}").get_data(as_text=True)
        assert "5–5 of 5" in last and 'rel="prev"' in last and 'rel="next"' not in last and not audit(last).problems
        assert client.get(f"/api/saved/{sid}").get_json()["new"]["total"] == 6     # now: the new commit too
        for bad in ("0", "x", str(small.max_page + 1)):
            resp = client.get(f"/api/saved/{sid}?page={bad}")
            assert resp.status_code == 400 and "page must be" in resp.get_json()["error"]["message"]
    finally:
        close_app(app)
