"""Reindex on a real on-disk index: incremental equals full, one writer, atomic generations."""
from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from searchapp.config import Settings
from searchapp.errors import WriterBusy
from searchapp.indexing import generations as gens
from searchapp.indexing import reindex as rx
from searchapp.indexing.reindex import last_ingest, reindex
from searchapp.indexing.sources import SourceError, add_source
from searchapp.models import SearchRequest
from searchapp.search.engine import SearchEngine
from seeds import SEEDS

SEED = SEEDS


def _record(i: int, title: str, text: str, date: str | None = "2017-07-17") -> str:
    return json.dumps({"id": str(i), "title": title, "text": text, "date": date}) + "\n"


def _jsonl(rows: list[tuple[str, str]], start: int = 0) -> str:
    return "".join(_record(start + i, t, b) for i, (t, b) in enumerate(rows))


@pytest.fixture
def corpus(settings: Settings) -> Path:
    shutil.copytree(SEED, settings.corpus_dir)
    wire = settings.corpus_dir / "wire"
    wire.mkdir()
    (wire / "source.toml").write_text('display_name = "Wire"\nlanguage = "en"\n')
    (wire / "a.jsonl").write_text(_jsonl([("Oil prices rise", "Crude oil prices rose in Minsk."),
                                          ("Grain exports", "Wheat exports fell sharply.")]))
    (wire / "b.jsonl").write_text(_jsonl([("Central bank meets", "The central bank met today.")], 10))
    return settings.corpus_dir


def _snapshot(settings: Settings) -> dict:
    """Everything a user can observe for a few queries: ids in order, totals, facets."""
    out = {}
    with SearchEngine(settings) as engine:
        for q in ("", "oil", "bank", "CSTO", "meeting", "exports OR wheat"):
            page = engine.search(SearchRequest(query=q, sort="newest", page_size=100))
            out[q] = (page.total, sorted(h.id for h in page.hits),
                      {k: [(v.value, v.count) for v in vals] for k, vals in page.facets.items()},
                      page.undated_count)
    return out


def test_incremental_after_add_change_delete_equals_full_rebuild(settings: Settings, corpus: Path,
                                                                 tmp_path: Path) -> None:
    first = reindex(settings, progress=False)
    assert first.full and first.added == 7 and not first.failed
    wire = corpus / "wire"
    (wire / "c.jsonl").write_text(_jsonl([("Oil output", "Oil output grew in Baku.")], 20))
    (wire / "a.jsonl").write_text(_jsonl([("Oil prices fall", "Crude oil prices fell.")]))
    (wire / "b.jsonl").unlink()
    shutil.rmtree(corpus / "csto")
    inc = reindex(settings, progress=False)
    assert not inc.full
    assert (inc.added, inc.updated, inc.deleted, inc.unchanged) == (1, 1, 2, 4)
    assert inc.generation == first.generation

    full_settings = settings.replace(index_dir=tmp_path / "index-full")
    assert reindex(full_settings, full=True, progress=False).full
    assert _snapshot(settings) == _snapshot(full_settings)
    with SearchEngine(settings) as engine:
        assert engine.search(SearchRequest(query="bank")).total == 0
        assert engine.search(SearchRequest(query="\"prices fell\"")).total == 1


def test_unchanged_corpus_touches_nothing(settings: Settings, corpus: Path) -> None:
    reindex(settings, progress=False)
    live = gens.current(settings.index_dir)
    before = sorted(p.name for p in live.iterdir())
    again = reindex(settings, progress=False)
    assert (again.added, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 7)
    assert sorted(p.name for p in live.iterdir() if p.suffix != ".tmp") == before
    outcomes = {o["path"]: o["outcome"] for o in last_ingest(settings.index_dir)}
    assert set(outcomes.values()) == {"unchanged"} and len(outcomes) == 7


def test_touched_but_identical_file_is_unchanged(settings: Settings, corpus: Path) -> None:
    reindex(settings, progress=False)
    a = corpus / "wire" / "a.jsonl"
    a.write_bytes(a.read_bytes())  # new mtime, same bytes
    assert reindex(settings, progress=False).unchanged == 7


def test_second_writer_fails_fast(settings: Settings, corpus: Path) -> None:
    with gens.writer_lock(settings.index_dir):
        with pytest.raises(WriterBusy, match="another reindex"):
            reindex(settings, progress=False)


def test_cli_second_writer_exits_nonzero(settings: Settings, corpus: Path, capsys) -> None:
    from searchapp.cli import main
    with gens.writer_lock(settings.index_dir):
        code = main(["reindex", "--corpus", str(corpus), "--index", str(settings.index_dir)])
    assert code != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: another reindex") and "\n" not in err


def test_reader_keeps_answering_during_full_rebuild(settings: Settings, corpus: Path,
                                                    monkeypatch) -> None:
    settings = settings.replace(ingest_workers=1)  # the patched extractor must run in this process
    reindex(settings, progress=False)
    engine = SearchEngine(settings)
    before = engine.search(SearchRequest(query="oil")).total
    assert before == 1
    in_build, release = threading.Event(), threading.Event()
    real = rx.pipeline._ingest_job

    def slow_ingest(*args, **kwargs):
        in_build.set()
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(rx.pipeline, "_ingest_job", slow_ingest)
    (corpus / "wire" / "c.jsonl").write_text(_jsonl([("Oil again", "More oil news.")], 30))
    worker = threading.Thread(target=reindex, args=(settings,), kwargs={"full": True, "progress": False})
    worker.start()
    try:
        assert in_build.wait(10)
        # Mid-build: the old generation still answers, with the old content.
        assert engine.search(SearchRequest(query="oil")).total == before
        assert len(gens.generations(settings.index_dir)) == 2
    finally:
        release.set()
        worker.join(30)
    page = engine.search(SearchRequest(query="oil"))
    assert page.total == 2  # switched to the new generation without a restart
    assert engine.health()["generation"] == gens.current(settings.index_dir).name
    engine.close()


def test_crash_during_full_rebuild_leaves_last_good_index(settings: Settings, corpus: Path,
                                                          monkeypatch) -> None:
    reindex(settings, progress=False)
    good = gens.current(settings.index_dir)

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(rx.pipeline, "_ingest_job", crash)
    with pytest.raises(KeyboardInterrupt):
        reindex(settings, full=True, progress=False)
    assert gens.current(settings.index_dir) == good
    with SearchEngine(settings) as engine:
        assert engine.search(SearchRequest(query="oil")).total == 1
    monkeypatch.undo()
    (settings.index_dir / "gen-0009").mkdir()  # a leftover of a killed run
    summary = reindex(settings, progress=False)
    assert "gen-0009" in summary.cleaned
    assert [g.name for g in gens.generations(settings.index_dir)] == [good.name]


def test_crash_during_incremental_leaves_previous_commit(settings: Settings, corpus: Path,
                                                         monkeypatch) -> None:
    reindex(settings, progress=False)
    (corpus / "wire" / "c.jsonl").write_text(_jsonl([("Oil again", "More oil news.")], 30))
    monkeypatch.setattr(rx.pipeline, "_ingest_job", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        reindex(settings, progress=False)
    monkeypatch.undo()
    with SearchEngine(settings) as engine:
        assert engine.search(SearchRequest(query="oil")).total == 1
    assert reindex(settings, progress=False).added == 1
    with SearchEngine(settings) as engine:
        assert engine.search(SearchRequest(query="oil")).total == 2


def test_source_toml_change_reingests_that_source(settings: Settings, corpus: Path) -> None:
    reindex(settings, progress=False)
    (corpus / "wire" / "source.toml").write_text('display_name = "Wire Service"\n')
    summary = reindex(settings, progress=False)
    assert summary.updated == 2 and summary.unchanged == 5
    with SearchEngine(settings) as engine:
        labels = {v.value: v.label for v in engine.search(SearchRequest()).facets["source"]}
    assert labels["wire"] == "Wire Service"


def test_add_source_copies_folder_with_source_toml(settings: Settings, corpus: Path,
                                                   tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "x.jsonl").write_text(_jsonl([("Gas deal", "A gas deal was signed.")], 40))
    dest = add_source("new-wire", folder, settings, display_name="New Wire")
    assert (dest / "x.jsonl").exists() and 'display_name = "New Wire"' in (dest / "source.toml").read_text()
    reindex(settings, progress=False)
    with SearchEngine(settings) as engine:
        assert engine.search(SearchRequest(query="gas", sources=["new-wire"])).total == 1
    with pytest.raises(SourceError):
        add_source("new-wire", folder, settings)
    with pytest.raises(SourceError):
        add_source("../evil", folder, settings)
    linked = add_source("linked", folder, settings, link=True)
    assert linked.is_symlink() and not (folder / "source.toml").exists()
