"""A search sees every commit: the holder's cheap "nothing changed" check never hides one."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from searchapp.backends.whoosh import generations as gens
from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.models import SearchRequest
from searchapp.search.service import SearchService


def _write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _age(settings: Settings, seconds: float) -> None:
    # Make the pointer and the live generation look untouched for a while, so that the holder
    # trusts their timestamps (it checks in full whatever changed in the last second).
    old = time.time() - seconds
    os.utime(settings.index_dir / gens.POINTER, (old, old))
    os.utime(gens.current(settings.index_dir), (old, old))


def test_commits_and_rebuilds_are_seen_after_quiet_periods(tmp_path: Path) -> None:
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    _write(settings.corpus_dir / "wire" / "a.jsonl",
           [{"id": "1", "title": "Oil", "text": "Oil prices rose.", "date": "2020-01-01"}])
    reindex(settings, progress=False)
    with SearchService(settings) as service:
        _age(settings, 60)
        assert service.search(SearchRequest(query="oil")).total == 1
        assert service.search(SearchRequest(query="wheat")).total == 0   # the stamp is kept
        # An incremental commit into the same generation.
        _write(settings.corpus_dir / "wire" / "b.jsonl",
               [{"id": "2", "title": "Wheat", "text": "Wheat harvest.", "date": "2020-01-02"}])
        reindex(settings, progress=False)
        assert service.search(SearchRequest(query="wheat")).total == 1
        _age(settings, 60)
        assert service.search(SearchRequest(query="wheat")).total == 1
        # A full rebuild: a new generation behind the pointer.
        _write(settings.corpus_dir / "wire" / "c.jsonl",
               [{"id": "3", "title": "Gold", "text": "Gold output.", "date": "2020-01-03"}])
        reindex(settings, progress=False, full=True)
        assert service.search(SearchRequest(query="gold")).total == 1
        _age(settings, 60)
        (settings.corpus_dir / "wire" / "a.jsonl").unlink()
        reindex(settings, progress=False)
        assert service.search(SearchRequest(query="oil")).total == 0
