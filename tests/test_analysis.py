"""The analyzer: per-script stemming, folding and stop words, the same for text and queries."""
from __future__ import annotations

import pytest

from searchapp.backends.whoosh.analysis import spelling_analyzer, text_analyzer
from searchapp.text import fold, stem, terms


@pytest.mark.parametrize("query_word, text_word", [
    ("meetings", "meeting"),
    ("elections", "election"),
    ("running", "runs"),
    ("выборы", "выборов"),
    ("Москва", "Москве"),
    ("президента", "президент"),
    ("ёлка", "елки"),          # ё folds to е before stemming
])
def test_inflections_share_a_stem(query_word: str, text_word: str) -> None:
    assert terms(query_word) == terms(text_word)
    assert len(terms(query_word)) == 1


@pytest.mark.parametrize("word, expected", [
    ("meetings", "meet"),       # Latin script: English Snowball
    ("выборов", "выбор"),       # Cyrillic script: Russian Snowball
    ("1987", "1987"),           # neither: unchanged
    ("u.s", "u.s"),
])
def test_stemmer_chosen_by_script(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_mixed_script_text_stems_each_word_by_its_own_script() -> None:
    assert terms("Выборы в Minsk: meetings") == ["выбор", "minsk", "meet"]


@pytest.mark.parametrize("text", ["the of and", "и в на", "The AND"])
def test_stop_words_are_dropped(text: str) -> None:
    assert terms(text) == []


def test_whoosh_analyzer_equals_terms_helper() -> None:
    text = "The Central Bank’s meetings on выборов, Ёлки and U.S. policy in 1987."
    assert [t.text for t in text_analyzer()(text)] == terms(text)


def test_spelling_analyzer_keeps_words_unstemmed() -> None:
    assert [t.text for t in spelling_analyzer()("Government meetings Ёлки")] == [
        "government", "meetings", "елки"]


def test_fold() -> None:
    assert fold("ЁЖИК Don’t") == "ежик don't"
