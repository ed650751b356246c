"""`searchapp check` and `searchapp stats` as a user runs them after a reindex."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from searchapp.cli import main as cli
from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from seeds import SEEDS


@pytest.fixture
def indexed(settings: Settings) -> Settings:
    shutil.copytree(SEEDS, settings.corpus_dir, ignore=shutil.ignore_patterns("README.md"))
    reindex(settings, progress=False)
    return settings


def test_check_without_an_index_says_so_first(tmp_path: Path, capsys) -> None:
    code = cli(["check", "--index", str(tmp_path / "missing")])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines[0].startswith(f"no index in {tmp_path / 'missing'}")
    assert not any("unchanged" in line for line in lines)


def test_check_uses_the_corpus_the_index_was_built_from(indexed: Settings, tmp_path: Path,
                                                        capsys, monkeypatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "corpus").mkdir()  # an empty ./corpus must not make every file "gone"
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("SEARCHAPP_CORPUS_DIR", raising=False)
    code = cli(["check", "--index", str(indexed.index_dir)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.startswith("index matches the corpus: 0 new, 0 changed, 0 gone, 5 unchanged")
    assert f"corpus: {indexed.corpus_dir.resolve()} (recorded at the last reindex)" in out
    # An explicit --corpus still wins.
    code = cli(["check", "--index", str(indexed.index_dir), "--corpus", str(elsewhere / "corpus")])
    assert code == 1 and "5 gone" in capsys.readouterr().out


def test_check_names_the_first_changed_files(indexed: Settings, capsys) -> None:
    corpus = indexed.corpus_dir
    (corpus / "csto" / "002_25d3ec7f288ff7e8.txt").write_text("CSTO changed text\n", encoding="utf-8")
    (corpus / "kazinform" / "004_033808dda143b908.txt").unlink()
    for n in range(12):
        (corpus / "astana-times" / f"new-{n:02}.txt").write_text(f"Story {n}\n\nAstana {n}.\n")
    code = cli(["check", "--index", str(indexed.index_dir), "--corpus", str(corpus)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines[0] == "reindex needed: 12 new, 1 changed, 1 gone, 3 unchanged files"
    named = [line.strip() for line in lines if line.startswith("    ")]
    assert named[:3] == ["new: astana-times/new-00.txt", "new: astana-times/new-01.txt",
                         "new: astana-times/new-02.txt"]
    assert len(named) == 11 and named[-1] == "... and 4 more"
    # The first ten are the new files; changed and gone ones are counted in "more", and with
    # fewer new files they are named too.
    for n in range(12):
        (corpus / "astana-times" / f"new-{n:02}.txt").unlink()
    cli(["check", "--index", str(indexed.index_dir), "--corpus", str(corpus)])
    out = capsys.readouterr().out
    assert "changed: csto/002_25d3ec7f288ff7e8.txt" in out
    assert "gone: kazinform/004_033808dda143b908.txt" in out


def test_check_when_the_recorded_corpus_is_gone(indexed: Settings, tmp_path: Path, capsys,
                                                monkeypatch) -> None:
    monkeypatch.delenv("SEARCHAPP_CORPUS_DIR", raising=False)
    moved = tmp_path / "moved"
    os.rename(indexed.corpus_dir, moved)
    code = cli(["check", "--index", str(indexed.index_dir)])
    out = capsys.readouterr().out
    assert code == 1
    assert f"corpus folder {indexed.corpus_dir.resolve()} does not exist: pass --corpus DIR" in out
    assert cli(["check", "--index", str(indexed.index_dir), "--corpus", str(moved)]) == 0


def test_stats_shows_size_on_disk(indexed: Settings, capsys) -> None:
    assert cli(["stats", "--index", str(indexed.index_dir)]) == 0
    first = json.loads(capsys.readouterr().out)["size_on_disk"]
    assert 0 < first["live_generation_bytes"] <= first["index_dir_bytes"]
    assert first["human"].endswith(("KB", "MB"))
    wire = indexed.corpus_dir / "wire"
    wire.mkdir()
    (wire / "a.jsonl").write_text("".join(
        json.dumps({"title": f"Story {i}", "text": f"Grain exports {i} " * 200}) + "\n"
        for i in range(200)), encoding="utf-8")
    reindex(indexed, progress=False)
    assert cli(["stats", "--index", str(indexed.index_dir)]) == 0
    second = json.loads(capsys.readouterr().out)["size_on_disk"]
    assert second["live_generation_bytes"] > first["live_generation_bytes"] + 20_000
