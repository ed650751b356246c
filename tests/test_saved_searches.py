"""Saved searches and their new matches (search/desk_store.py, arrivals.py, alerts.py).

On a real index on disk, rebuilt and updated by the real reindex, and a real SQLite desk file.
"""
from __future__ import annotations

import json
import multiprocessing
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from searchapp.config import Settings
from searchapp.errors import NotFound, QueryError
from searchapp.indexing.reindex import reindex
from searchapp.models import SearchRequest
from searchapp.search.alerts import Desk
from searchapp.search.budget import Budget
from searchapp.search.desk_store import SCHEMA_VERSION, DeskError, DeskStore, NameTaken, desk_path
from searchapp.search.service import SearchService


def article(title: str, text: str, date: str = "2015-03-04") -> dict[str, str]:
    return {"title": title, "text": text, "date": date}


def write(settings: Settings, rel: str, records: list[dict[str, str]]) -> None:
    path = settings.corpus_dir / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


FIRST = [article("Pipeline route agreed", "The gas pipeline route was agreed by the ministers."),
         article("Harvest report", "Wheat harvest rose in the south this year."),
         article("Gas prices", "Gas prices rose again, traders said.")]


@pytest.fixture
def desk(settings: Settings) -> Callable[[], Desk]:
    write(settings, "wire/a.jsonl", FIRST)
    reindex(settings, full=True, progress=False)
    opened: list[SearchService] = []

    def make() -> Desk:
        svc = SearchService(settings)
        opened.append(svc)
        return Desk(svc)

    yield make
    for svc in opened:
        svc.close()


def count(d: Desk, saved_id: int) -> tuple[int, list[str]]:
    got = d.new_matches(d.store.get(saved_id), Budget(5.0), limit=50)
    return got.total, got.ids


def titles(d: Desk, ids: list[str]) -> set[str]:
    with d.service.backend.reader() as r:
        return {a.title for a in r.articles(ids)}


def test_what_arrives_after_saving_is_new_exactly_once(settings: Settings, desk) -> None:
    d = desk()
    s = d.save("pipeline watch", SearchRequest(query="gas pipeline"))
    assert count(d, s.id) == (0, [])          # the archive as it was is not new
    write(settings, "wire/b.jsonl", [article("Second pipeline", "A new gas pipeline to the east.", "1998-01-02"),
                                     article("Pipeline only", "The pipeline, no fuel word here."),
                                     article("Football", "The match ended in a draw.")])
    reindex(settings, progress=False)
    total, ids = count(d, s.id)
    # An old article (1998) that arrived today is new; a partial match ("pipeline" alone) is not.
    assert total == 1 and titles(d, ids) == {"Second pipeline"}
    d.mark_seen(s.id)
    assert count(d, s.id) == (0, [])
    # Another process (a fresh service and store on the same file) sees the same.
    assert count(desk(), s.id) == (0, [])


def test_a_full_rebuild_makes_nothing_new_but_new_articles(settings: Settings, desk) -> None:
    d = desk()
    s = d.save("gas", SearchRequest(query="gas"))
    write(settings, "wire/c.jsonl", [article("Gas deal", "A gas deal was signed.")])
    reindex(settings, full=True, progress=False)
    total, ids = count(d, s.id)
    assert total == 1 and titles(d, ids) == {"Gas deal"}


def test_mark_seen_keeps_what_arrived_after_the_page_was_made(settings: Settings, desk) -> None:
    d = desk()
    s = d.save("gas", SearchRequest(query="gas"))
    write(settings, "wire/c.jsonl", [article("Gas deal", "A gas deal was signed.")])
    reindex(settings, progress=False)
    looked = d.new_matches(s, Budget(5.0))
    assert looked.total == 1
    write(settings, "wire/d.jsonl", [article("Gas storage", "Gas storage is full.")])
    reindex(settings, progress=False)
    d.sync()
    d.mark_seen(s.id, looked.upto)            # the user saw the page made before the second arrival
    total, ids = count(d, s.id)
    assert total == 1 and titles(d, ids) == {"Gas storage"}


def test_deleted_files_leave_the_arrivals_and_come_back_as_new(settings: Settings, desk) -> None:
    d = desk()
    s = d.save("gas", SearchRequest(query="gas"))
    write(settings, "wire/c.jsonl", [article("Gas deal", "A gas deal was signed.")])
    reindex(settings, progress=False)
    assert count(d, s.id)[0] == 1
    (settings.corpus_dir / "wire/c.jsonl").unlink()
    (settings.corpus_dir / "wire/a.jsonl").unlink()   # an old file too
    reindex(settings, progress=False)
    assert count(d, s.id) == (0, [])
    with d.store.read() as con:
        assert con.execute("SELECT COUNT(*) FROM arrivals").fetchone()[0] == 0
    write(settings, "wire/a.jsonl", FIRST)    # restored: its articles arrived again
    reindex(settings, progress=False)
    total, ids = count(d, s.id)
    assert total == 2 and titles(d, ids) == {"Pipeline route agreed", "Gas prices"}


def test_filters_and_sort_are_kept(settings: Settings, desk) -> None:
    d = desk()
    s = d.save("gas in russian", SearchRequest(query="gas", languages=["ru"], sort="newest"))
    got = d.store.get(s.id).request
    assert (got.query, got.languages, got.sort) == ("gas", ["ru"], "newest")
    write(settings, "wire/c.jsonl", [article("Gas deal", "A gas deal was signed.")])
    reindex(settings, progress=False)
    assert count(d, s.id) == (0, [])          # English: the language filter holds


def test_a_large_arrival_is_bounded_and_says_what_it_left_unchecked(settings: Settings, desk) -> None:
    d = desk()
    d = Desk(SearchService(settings.replace(alert_max_arrivals=3)), d.store)
    try:
        s = d.save("gas", SearchRequest(query="gas"))
        write(settings, "wire/many.jsonl", [article(f"Gas item {i}", f"Gas note number {i}.") for i in range(8)])
        reindex(settings, progress=False)
        got = d.new_matches(s, Budget(5.0), limit=50)
        assert (got.arrivals, got.checked, got.unchecked, got.total) == (8, 3, 5, 3)
        assert any("5 earlier arrivals were not checked" in n for n in got.notes)
    finally:
        d.service.close()


def test_a_shared_budget_marks_the_searches_it_did_not_count(settings: Settings, desk) -> None:
    d = desk()
    for name in ("one", "two", "three"):
        d.save(name, SearchRequest(query="gas"))
    d = Desk(SearchService(settings.replace(query_time_limit_s=0.0)), d.store)
    try:
        counted, budget = d.overview()
        assert [c.counted for c in counted] == [False, False, False]
        assert "Not counted" in counted[0].notes[0]
    finally:
        d.service.close()


def test_names_and_queries_are_checked(desk) -> None:
    d = desk()
    d.save("gas", SearchRequest(query="gas"))
    with pytest.raises(NameTaken):
        d.save(" gas ", SearchRequest(query="harvest"))
    for bad in ("", "   ", "x" * 121, "a\x00b", "tab\x07"):
        with pytest.raises(QueryError):
            d.save(bad, SearchRequest(query="gas"))
    with pytest.raises(QueryError):
        d.save("long", SearchRequest(query="x " * 400))
    with pytest.raises(NotFound):
        d.store.get(999)
    with pytest.raises(NotFound):
        d.store.delete(999)
    s = d.store.find("gas")
    assert d.store.rename(s.id, "Газ <b>").name == "Газ <b>"
    d.store.delete(s.id)
    assert d.store.list() == []


def test_the_desk_file_is_wal_versioned_and_beside_the_generations(settings: Settings, desk) -> None:
    d = desk()
    d.sync()
    path = desk_path(settings)
    assert path == settings.index_dir / "desk.sqlite3" and path.exists()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    with pytest.raises(DeskError, match="upgrade searchapp"):
        DeskStore(path).list()


def _save_many(path: str, prefix: str, n: int, out: "multiprocessing.Queue[str]") -> None:
    from searchapp.models import SearchRequest as Req
    store = DeskStore(Path(path))
    try:
        for i in range(n):
            store.add(f"{prefix}{i}", Req(query="gas"), store.current_seq())
            store.mark_seen(store.find(f"{prefix}{i}").id, 0)
        out.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the test
        out.put(repr(exc))


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_save_many, args=(str(path), p, 40, out)) for p in ("a", "b")]
    for p in procs:
        p.start()
    results = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(30)
    assert results == ["ok", "ok"]
    assert len(DeskStore(path).list()) == 80


def _sync_once(settings: Settings, out: "multiprocessing.Queue[int]") -> None:
    with SearchService(settings) as svc:
        out.put(Desk(svc).sync())


def test_two_processes_sync_the_same_commit_once(settings: Settings, desk) -> None:
    d = desk()
    d.sync()
    write(settings, "wire/c.jsonl", [article("Gas deal", "A gas deal was signed.")])
    reindex(settings, progress=False)
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_sync_once, args=(settings, out)) for _ in range(2)]
    for p in procs:
        p.start()
    seqs = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(30)
    assert seqs == [2, 2]
    with d.store.read() as con:
        assert con.execute("SELECT seq, added FROM syncs ORDER BY seq").fetchall() == [(1, 3), (2, 1)]


def test_the_cli_saves_lists_alerts_once_and_says_so_in_its_exit_status(settings: Settings, desk, capsys) -> None:
    import os

    from searchapp.cli import main

    desk()
    idx = ["--index", str(settings.index_dir)]
    os.environ.pop("SEARCHAPP_DESK_FILE", None)
    assert main(["saved", "add", "gas watch", "gas", "--sort", "newest", *idx]) == 0
    assert main(["saved", "list", "--json", *idx]) == 0
    listed = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert listed["saved"][0]["request"]["sort"] == "newest"
    assert main(["alerts", *idx]) == 1                       # nothing new yet
    write(settings, "wire/c.jsonl", [article("Gas deal", "A gas deal was signed.")])
    reindex(settings, progress=False)
    capsys.readouterr()
    assert main(["alerts", "--peek", "--json", *idx]) == 0
    peeked = json.loads(capsys.readouterr().out)
    assert [a["title"] for a in peeked["saved"][0]["articles"]] == ["Gas deal"]
    assert main(["alerts", *idx]) == 0                       # still new after --peek
    assert "Gas deal" in capsys.readouterr().out
    assert main(["alerts", *idx]) == 1                       # marked seen: new exactly once
    assert main(["saved", "rm", "gas watch", *idx]) == 0
    assert main(["saved", "rm", "gas watch", *idx]) == 2
    assert "no saved search named" in capsys.readouterr().err


def _scenario(settings: Settings) -> list[list[str]]:
    """Save, reindex in steps, and return the titles of the new matches after each step."""
    write(settings, "wire/a.jsonl", FIRST)
    reindex(settings, full=True, progress=False)
    seen: list[list[str]] = []
    with SearchService(settings) as svc:
        d = Desk(svc)
        s = d.save("gas pipeline", SearchRequest(query="gas pipeline"))
        g = d.save("gas newest", SearchRequest(query="gas", sort="newest"))
        write(settings, "wire/b.jsonl", [article("Second pipeline", "A new gas pipeline to the east.", "1998-01-02"),
                                         article("Pipeline only", "The pipeline, no fuel word here.")])
        reindex(settings, progress=False)
        for saved in (s, g):
            seen.append(sorted(titles(d, count(d, saved.id)[1])))
        d.mark_seen(s.id)
        write(settings, "wire/c.jsonl", [article("Gas storage", "Gas storage is full.", "2001-01-01")])
        reindex(settings, full=True, progress=False)
        (settings.corpus_dir / "wire/b.jsonl").unlink()
        reindex(settings, progress=False)
        for saved in (s, g):
            seen.append(sorted(titles(d, count(d, saved.id)[1])))
    return seen


def test_the_sphinxql_backend_gives_the_same_new_matches(tmp_path: Path) -> None:
    from tests.sphinx_support import sphinxql

    base = Settings(corpus_dir=tmp_path / "w" / "corpus", index_dir=tmp_path / "w" / "index")
    expected = [["Second pipeline"], ["Second pipeline"], [], ["Gas storage"]]
    assert _scenario(base) == expected
    other = Settings(corpus_dir=tmp_path / "s" / "corpus", index_dir=tmp_path / "s" / "index")
    with sphinxql(other) as on_sphinx:
        assert _scenario(on_sphinx) == expected


def test_an_ids_filter_follows_the_index_version(settings: Settings) -> None:
    """The same Filters.ids asked again after a commit that moved its article finds it anew
    (the Whoosh backend keeps id bitmaps per index version, never across versions)."""
    from searchapp.backend import Filters, Query

    write(settings, "wire/a.jsonl", FIRST)
    reindex(settings, full=True, progress=False)
    with SearchService(settings) as svc:
        with svc.backend.reader() as r:
            first = r.search(Query(limit=5)).hits[0].id
            only = Filters(ids=(first,))
            assert [h.id for h in r.search(Query(filters=only)).hits] == [first]
        write(settings, "wire/b.jsonl", [article("Padding", "More text.")] * 3)
        (settings.corpus_dir / "wire/a.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in FIRST + [article("Extra", "Extra text.")]),
            encoding="utf-8")    # a.jsonl changed: its articles are deleted and added again
        reindex(settings, progress=False)
        with svc.backend.reader() as r:
            got = r.search(Query(filters=only))
            assert [h.id for h in got.hits] == [first] and got.total == 1
            assert r.articles([first])[0].title in {a["title"] for a in FIRST}


def test_no_index_is_an_error_not_nothing_new(tmp_path: Path, capsys) -> None:
    from searchapp.cli import main

    missing = tmp_path / "no-index"
    assert main(["alerts", "--index", str(missing)]) == 2
    assert main(["saved", "list", "--index", str(missing)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not missing.exists()
    missing.mkdir()
    assert main(["alerts", "--index", str(missing)]) == 2
    assert "reindex" in capsys.readouterr().err


def test_a_saved_story_is_told_of_each_new_copy_and_nothing_else(settings: Settings, desk) -> None:
    # An analyst follows one story (story=KEY from a hit's "all copies"): its alert fires on a new
    # reprint of it, not on a new article about the same things that is no copy.
    d = desk()
    wire = FIRST[0]["text"] + " The ministers met in Astana on Monday and signed the papers for the route."
    write(settings, "wire/c.jsonl", [article("Pipeline deal signed", wire)])
    reindex(settings, progress=False)
    story = next(h.story for h in d.service.search(SearchRequest(query="signed papers route")).hits)
    s = d.save("deal reprints", SearchRequest(stories=[story]))
    assert d.store.get(s.id).request.stories == [story]      # kept in the desk file
    write(settings, "reprint/a.jsonl", [article("Ministers sign pipeline deal", "ASTANA - " + wire)])
    write(settings, "other/a.jsonl", [article("Pipeline deal criticised", "Critics said the gas pipeline "
                                              "route deal signed in Astana was rushed and costly.")])
    reindex(settings, progress=False)
    total, ids = count(d, s.id)
    assert total == 1 and titles(d, ids) == {"Ministers sign pipeline deal"}


def test_alerts_never_mark_seen_a_count_its_time_cut_short(settings: Settings, desk, capsys, monkeypatch) -> None:
    from searchapp.cli import main

    desk()
    idx = ["--index", str(settings.index_dir)]
    monkeypatch.delenv("SEARCHAPP_DESK_FILE", raising=False)
    assert main(["saved", "add", "gas watch", "gas", *idx]) == 0
    write(settings, "wire/c.jsonl", [article("Gas deal", "A gas deal was signed.")])
    reindex(settings, progress=False)
    real = Desk.new_matches

    def late(self, *a, **k):   # the count ran out of its time: matches past it may be missing
        got = real(self, *a, **k)
        got.late = True
        return got

    monkeypatch.setattr(Desk, "new_matches", late)
    assert main(["alerts", *idx]) == 0
    monkeypatch.setattr(Desk, "new_matches", real)
    capsys.readouterr()
    assert main(["alerts", *idx]) == 0 and "Gas deal" in capsys.readouterr().out   # still new
