"""Syndicated copies in search: one hit per story, its copies, the story filter; page, API, CLI.

Real components: tests/fixtures/syndicated plus a hostile outlet (its display name and headline
are markup) carrying a copy of the wire item, and a run of near-identical wire items to page
through, indexed on disk; the real Flask app; the CLI's main().
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from searchapp.cli import main
from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.models import SearchRequest
from searchapp.search.service import SearchService
from searchapp.web.app import close_app, create_app
from web_support import audit

FIXTURE = Path(__file__).parent / "fixtures" / "syndicated"
EVIL_OUTLET = "Evil <script>alert(1)</script> Outlet"
EVIL_TITLE = "<img src=x onerror=alert(2)> CSTO summit copy"
# Twelve stories of three copies each, all about "walrus", for paging (each its own words).
WALRUS = ["Walrus " + " ".join(f"{syllable}{n}" for syllable in
                               ("ice", "floe", "tusk", "colony", "ranger", "count", "shore", "herd",
                                "season", "station", "report", "survey", "island", "team"))
          for n in range(1, 13)]


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("stories-web")
    corpus = root / "corpus"
    shutil.copytree(FIXTURE, corpus)
    wire = json.loads((corpus / "kazinform" / "wire.jsonl").read_text(encoding="utf-8").splitlines()[0])
    evil = corpus / "evil"
    evil.mkdir()
    (evil / "source.toml").write_text(f'display_name = "{EVIL_OUTLET}"\nlanguage = "en"\n',
                                      encoding="utf-8")
    (evil / "items.jsonl").write_text(json.dumps(dict(wire, id="e1", title=EVIL_TITLE,
                                                      date="2019-11-06")) + "\n", encoding="utf-8")
    for outlet in ("north", "south", "east"):
        rows = [{"id": str(i), "title": f"Walrus count {i + 1}", "text": text, "date": "2021-03-01",
                 "language": "en"} for i, text in enumerate(WALRUS)]
        (corpus / outlet).mkdir()
        (corpus / outlet / "items.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=root / "index")
    reindex(settings, full=True, progress=False)
    return settings


@pytest.fixture(scope="module")
def client(settings: Settings):
    app = create_app(settings)
    yield app.test_client()
    close_app(app)


def test_one_hit_per_story_with_its_copies_and_honest_totals(settings: Settings) -> None:
    with SearchService(settings) as service:
        page = service.search(SearchRequest(query="summit security"))
        every = service.search(SearchRequest(query="summit security", collapse=False))
    assert page.collapsed and not every.collapsed
    assert page.total == every.total == 4 and page.stories == 2     # 3 copies + the near miss
    assert len(page.hits) == 2 and len(every.hits) == 4
    lead = next(h for h in page.hits if h.copies > 1)
    assert lead.copies == 3 and len(lead.other_copies) == 2
    assert {c.source_name for c in lead.other_copies} | {lead.source_name} == \
        {"Kazinform", "Astanatimes", EVIL_OUTLET}
    dates = [c.published for c in lead.other_copies]
    assert dates == sorted(dates)                                   # oldest first
    near = next(h for h in page.hits if h.copies == 1)
    assert near.title == "CSTO leaders talk security" and near.other_copies == []


def test_pages_of_stories_never_repeat_a_story(settings: Settings) -> None:
    with SearchService(settings) as service:
        pages = [service.search(SearchRequest(query="walrus", page=n, page_size=5)) for n in (1, 2, 3)]
        flat = service.search(SearchRequest(query="walrus", page_size=100, collapse=False))
    stories = [h.story for p in pages for h in p.hits]
    assert len(stories) == len(set(stories)) == 12
    assert [len(p.hits) for p in pages] == [5, 5, 2] and pages[0].pages == 3
    assert all(p.total == 36 and p.stories == 12 for p in pages)
    assert flat.total == 36 and len(flat.hits) == 36 and flat.pages == 1
    # Each story's hit is its best-ranked copy: the order of first appearances without collapsing.
    firsts = list(dict.fromkeys(h.story for h in flat.hits))
    assert stories == firsts


def test_the_story_filter_lists_every_copy(settings: Settings, client) -> None:
    with SearchService(settings) as service:
        lead = next(h for h in service.search(SearchRequest(query="summit")).hits if h.copies > 1)
        copies = service.search(SearchRequest(stories=[lead.story], sort="oldest"))
    assert copies.total == 3 and len(copies.hits) == 3 and not copies.collapsed
    assert [h.source_name for h in copies.hits][0] == "Kazinform"
    got = client.get(f"/api/search?story={lead.story}&sort=oldest").get_json()
    assert [h["id"] for h in got["hits"]] == [h.id for h in copies.hits]
    assert all(h["story"] == lead.story and h["copies"] == 3 for h in got["hits"])
    assert client.get("/api/search?story=nosuchstory").get_json()["total"] == 0


def test_the_api_carries_story_copies_and_the_collapse_switch(client) -> None:
    got = client.get("/api/search?q=summit+security").get_json()
    assert got["collapsed"] is True and got["stories"] == 2 and got["total"] == 4
    lead = next(h for h in got["hits"] if h["copies"] == 3)
    assert lead["links"]["copies"].startswith("/api/search?story=" + lead["story"])
    assert {c["source_name"] for c in lead["other_copies"]} <= {"Kazinform", "Astanatimes", EVIL_OUTLET}
    off = client.get("/api/search?q=summit+security&collapse=0").get_json()
    assert off["collapsed"] is False and len(off["hits"]) == 4
    bad = client.get("/api/search?q=summit&collapse=maybe")
    assert bad.status_code == 400 and "collapse" in bad.get_json()["error"]["message"]


def test_the_page_names_copies_escaped_and_links_them(client) -> None:
    html = client.get("/search?q=summit+security").get_data(as_text=True)
    assert audit(html).problems == []
    assert "of 2 stories (4 articles)" in html
    assert "3 copies:" in html and "all copies</a>" in html and "Show every copy</a>" in html
    # The hostile outlet is named (as the lead's source or among its copies), escaped.
    assert "Evil &lt;script&gt;alert(1)&lt;/script&gt; Outlet" in html
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    off = client.get("/search?q=summit+security&collapse=0").get_data(as_text=True)
    assert "Show one per story</a>" in off and "3 copies:" in off
    assert audit(off).problems == []


def test_export_carries_the_story(client) -> None:
    rows = [json.loads(line) for line in
            client.get("/api/export?q=summit+security&format=jsonl").get_data(as_text=True).splitlines()]
    assert len(rows) == 4 and len({r["story"] for r in rows}) == 2


def test_the_cli_collapses_lists_copies_and_turns_it_off(settings: Settings, capsys) -> None:
    index = str(settings.index_dir)
    assert main(["search", "summit security", "--index", index]) == 0
    out = capsys.readouterr().out
    assert "4 results in 2 stories" in out and "3 copies:" in out
    key = out.split("--story ")[1].split()[0]
    assert main(["search", "--story", key, "--index", index, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["total"] == 3 and {h["story"] for h in listed["hits"]} == {key}
    assert main(["search", "summit security", "--all-copies", "--index", index, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["hits"]) == 4


def test_copies_stay_inside_the_search_budget(settings: Settings) -> None:
    # Reading the page's articles takes longer than the whole budget (an injected fault): the
    # copies are not looked up, the hits say one copy each, and the note names what was left out.
    from test_export import SlowArticles
    slow = SlowArticles(settings, delay=0.3)
    with SearchService(settings.replace(query_time_limit_s=0.2), backend=slow) as service:
        page = service.search(SearchRequest(query="summit security"))
    assert page.hits and all(h.copies == 1 and h.other_copies == [] for h in page.hits)
    assert any("left out:" in n and "copies of each story" in n for n in page.notes)
