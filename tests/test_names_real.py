"""Aliases and places across scripts on real news nobody here wrote: the seeds (English, CSTO and
Minsk among them) beside Collection5 (Russian, RIA Novosti and others), in one index."""
from __future__ import annotations

import gzip
import json
import re
import shutil

import pytest

from bench.corpora import SHARED
from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.models import SearchRequest
from searchapp.search.service import SearchService

SEEDS = SHARED / "seeds"
COLLECTION5 = SHARED / "ru-news" / "collection5-ne5.jsonl.gz"
RU_ARTICLES = 400
MINSK_RU = re.compile(r"\bМинск(?:а|у|ом|е)?\b")

pytestmark = pytest.mark.skipif(not (SEEDS.exists() and COLLECTION5.exists()),
                                reason="shared corpora not beside the repo")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed")
    s = Settings(corpus_dir=root / "corpus", index_dir=root / "index")
    seeds = s.corpus_dir / "seeds"
    seeds.mkdir(parents=True)
    texts = {}
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, seeds / path.name)
        texts[f"seed:{path.name}"] = path.read_text(encoding="utf-8", errors="replace")
    ru = s.corpus_dir / "ria"
    ru.mkdir()
    with gzip.open(COLLECTION5, "rt", encoding="utf-8") as src, \
            open(ru / "c5.jsonl", "w", encoding="utf-8") as out:
        for n, line in zip(range(RU_ARTICLES), src):
            rec = json.loads(line)
            url = f"https://collection5.example/{rec['id']}"
            texts[url] = rec["text"]
            out.write(json.dumps({"url": url, "title": rec["title"], "text": rec["text"],
                                  "language": "ru"}, ensure_ascii=False) + "\n")
    reindex(s, progress=False)
    with SearchService(s) as eng:
        yield eng, texts


def found(engine, query: str) -> dict[str, object]:
    page = engine.search(SearchRequest(query=query, page_size=100))
    assert page.total <= 100
    return {h.url or f"seed:{h.title}": h for h in page.hits}


def test_odkb_finds_the_english_csto_articles(mixed) -> None:
    engine, texts = mixed
    english = {k for k, t in texts.items() if k.startswith("seed:") and "CSTO" in t}
    assert english, "the seeds hold CSTO articles"
    hits = engine.search(SearchRequest(query="ОДКБ", page_size=100)).hits
    assert len(hits) >= len(english)
    assert all(h.via_aliases for h in hits if h.language == "en")
    files = {engine.get_article(h.id).path.rsplit("/", 1)[-1] for h in hits if h.source == "seeds"}
    assert files == {k.split(":", 1)[1] for k in english}


def test_minsk_in_either_script_finds_the_same_articles(mixed) -> None:
    engine, texts = mixed
    latin = found(engine, "Minsk")
    assert set(latin) == set(found(engine, "Минск")) == set(found(engine, "минске"))
    russian = {k for k, t in texts.items() if k.startswith("https://") and MINSK_RU.search(t)}
    assert russian and russian <= set(latin)     # every Russian text naming Minsk, by its text
    assert any(k.startswith("seed:") for k in latin)
    for key in russian:
        assert re.search(r"<mark>Минск\w*</mark>", latin[key].snippet, re.I), latin[key].snippet
