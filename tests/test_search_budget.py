"""Every part of a search inside its budget: bounded spelling work, notes, no lock held needlessly."""
from __future__ import annotations

import json
import threading

import pytest

from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.models import SearchRequest
from searchapp.names.spelling import NameIndex, edits1
from searchapp.search import service as engine_mod
from searchapp.search import suggest
from searchapp.search.service import SearchService as SearchEngine
from searchapp.search.query import parse

DOCS = [
    ("The president met the government", "The president and the government agreed on the budget."),
    ("Government budget", "The government budget was passed by parliament after a long debate."),
    ("President visits Minsk", "The president arrived in Minsk for talks with the government."),
    ("Markets rally", "Markets rallied as the government cut rates; the president welcomed it."),
]
UNKNOWN = " ".join(f"qzx{i}vwj" for i in range(32))   # 32 words no article holds


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    root = tmp_path_factory.mktemp("budget")
    s = Settings(corpus_dir=root / "corpus", index_dir=root / "index")
    src = s.corpus_dir / "wire"
    src.mkdir(parents=True)
    with open(src / "a.jsonl", "w", encoding="utf-8") as fh:
        for i, (title, text) in enumerate(DOCS):
            fh.write(json.dumps({"id": str(i), "title": title, "text": text,
                                 "date": f"2020-01-0{i + 1}", "language": "en"}) + "\n")
    reindex(s, progress=False)
    return s


@pytest.fixture(scope="module")
def engine(settings):
    with SearchEngine(settings) as eng:
        yield eng


def test_spelling_looks_at_a_bounded_number_of_words_and_candidates(settings, engine) -> None:
    engine.search(SearchRequest(query="president"))
    vocabulary = engine.backend.vocabulary(wait=5)
    assert vocabulary and "president" in vocabulary
    s = settings.replace(max_spell_words=2, max_spell_candidates=3)
    typos = "presidnet govermment budgett parliamnet marketts " + " ".join(UNKNOWN.split()[:27])
    parsed = parse(typos, s)
    proposals = suggest.propose(parsed, vocabulary, NameIndex([]), s, lambda w: False)
    assert 0 < len(proposals) <= 2
    assert all(len(p.candidates) <= 3 for p in proposals)
    calls = []
    suggest.choose(proposals, lambda w: calls.append(w) or 0)
    assert len(calls) <= 2 * (1 + 3)


def test_a_query_of_unknown_words_never_walks_the_vocabulary(settings, engine, monkeypatch) -> None:
    # The old corrector walked a Levenshtein automaton over the whole term file per word.
    import whoosh.spelling
    monkeypatch.setattr(whoosh.spelling.Corrector, "suggest",
                        lambda *a, **k: pytest.fail("the vocabulary corrector was used"))
    page = engine.search(SearchRequest(query=UNKNOWN))
    assert page.total == 0
    fixed = engine.search(SearchRequest(query="presidnet"))
    assert fixed.suggestion == "president"


def test_edits_are_bounded_by_word_length() -> None:
    assert len(edits1("presidnet")) <= 60 * (len("presidnet") + 1)
    assert "president" in edits1("presidnet")        # a transposition is one edit


def test_over_budget_the_page_answers_with_what_it_has_and_says_what_it_left_out(settings) -> None:
    with SearchEngine(settings.replace(query_time_limit_s=0.0)) as eng:
        page = eng.search(SearchRequest(query="presidnet"))
    note = " ".join(page.notes)
    assert "longer than" in note and "spelling suggestions" in note and "facets" in note
    assert page.suggestion is None and page.facets == {}


def test_the_engine_lock_is_free_while_facets_and_snippets_are_made(engine, monkeypatch) -> None:
    held: list[bool] = []
    real_counts, real_highlight = engine_mod.fc.facet_values, engine_mod.highlight

    def free() -> bool:
        # The backend's reader is its lock: another thread gets one within 0.5 s only when free.
        got: list[bool] = []

        def probe() -> None:
            with engine.backend.reader():
                got.append(True)

        t = threading.Thread(target=probe, daemon=True)
        t.start()
        t.join(timeout=0.5)
        return bool(got)

    def counts(*a, **k):
        held.append(free())
        return real_counts(*a, **k)

    def highlight(*a, **k):
        held.append(free())
        return real_highlight(*a, **k)

    monkeypatch.setattr(engine_mod.fc, "facet_values", counts)
    monkeypatch.setattr(engine_mod, "highlight", highlight)
    page = engine.search(SearchRequest(query="government"))
    assert page.total >= 3 and held and all(held)


def test_no_query_lists_the_newest_first(engine) -> None:
    page = engine.search(SearchRequest())
    dates = [h.published for h in page.hits]
    assert dates == sorted(dates, reverse=True) and page.sort == "newest"
    # Field filters alone carry no words to rank by either.
    page = engine.search(SearchRequest(query="source:wire"))
    assert [h.published for h in page.hits] == dates
