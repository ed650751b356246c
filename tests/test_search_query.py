"""The query language: what each form parses to, and the limits that refuse a query."""
from __future__ import annotations

import pytest

from searchapp.config import Settings
from searchapp.errors import QueryError
from searchapp.search.query import And, Not, Or, Phrase, Term, parse

S = Settings()


@pytest.mark.parametrize("text, node", [
    ("meeting minsk", And((Term("meeting"), Term("minsk")))),
    ("meeting AND minsk", And((Term("meeting"), Term("minsk")))),
    ('"central bank" oil', And((Phrase("central bank"), Term("oil")))),
    ("oil OR gas", Or((Term("oil"), Term("gas")))),
    ("oil NOT opec", And((Term("oil"), Not(Term("opec"))))),
    ("bank -central", And((Term("bank"), Not(Term("central"))))),
    ("-central", Not(Term("central"))),
    ("(oil OR gas) price", And((Or((Term("oil"), Term("gas"))), Term("price")))),
    ("country:Belarus", Term("Belarus", "country")),
    ('title:"oil price"', Phrase("oil price", "title")),
    ("-source:tass", Not(Term("tass", "source"))),
    ("econom*", Term("econom", prefix=True)),
    ("what?", Term("what?")),
    ("", None),
])
def test_parses(text: str, node) -> None:
    parsed = parse(text, S)
    assert parsed.node == node
    assert not parsed.fallback


@pytest.mark.parametrize("text, words", [
    ('"unclosed phrase', ("unclosed", "phrase")),
    ("oil AND", ("oil", "and")),
    ("OR gas", ("or", "gas")),
    ("(oil gas", ("oil", "gas")),
    ("oil ) gas", ("oil", "gas")),
    ("oil NOT", ("oil", "not")),
])
def test_unreadable_text_falls_back_to_words_with_a_note(text: str, words) -> None:
    parsed = parse(text, S)
    assert parsed.fallback and parsed.notes
    items = parsed.node.items if isinstance(parsed.node, And) else (parsed.node,)
    assert tuple(i.text for i in items) == words


def test_unknown_field_is_searched_as_words_with_a_note() -> None:
    parsed = parse("published:[2010 TO 2020] oil", S)
    assert parsed.node.items[0] == Term("published:[2010")
    assert any("not a field" in n for n in parsed.notes)


@pytest.mark.parametrize("text, message", [
    ("x" * 501, "at most 500"),
    (" ".join(f"w{i}" for i in range(33)), "at most 32"),
    ("ec*", "at least 3 letters"),
    ("*conomy", "trailing"),
    ("e*conomy", "trailing"),
    ("*", "at least 3 letters"),
    ("(" * 9 + "a" + ")" * 9, "nest"),
])
def test_limits_raise_query_error_saying_what_is_allowed(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse(text, S)


def test_limits_come_from_settings() -> None:
    assert parse("ec*", Settings(min_prefix_chars=2)).node == Term("ec", prefix=True)
    with pytest.raises(QueryError):
        parse("oil price rise", Settings(max_query_terms=2))
    # Stop words are not searched, so they don't count against the limit.
    assert parse("the oil and the price", Settings(max_query_terms=2)).node is not None


def test_plain_words_only_for_anded_words() -> None:
    assert parse("oil oil price", S).plain_words() == ["oil", "oil", "price"]
    assert parse('oil "price"', S).plain_words() is None
    assert parse("oil -price", S).plain_words() is None
