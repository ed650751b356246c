"""The gazetteer's shortcuts find what the plain scan finds."""
from __future__ import annotations

import random

import pytest

from searchapp import gazetteer

WORDS = ["New", "York", "NEW", "YORK", "City", "Nur-Sultan", "Нью-Йорк", "в", "Нур-Султане", "Минске", "Москвы",
         "San", "Jose", ",", "Calif.", "Washington-based", "U.S.", "state", "of", "Georgia", "Atlanta", "Ga.",
         "Kazakh", "Russian", "Kazakhstan", "Almaty", "Treaty", "Rome", "South", "Korea", "North", "the", "and",
         "Alyssa", "Milano", "said", "«Вечерняя", "Москва»", "Bank", "Corp", "Israel-Palestinian", "US-China",
         "Hong", "Kong", "Kyrgyz", "Republic", "Соединенные", "Штаты", "Америки", "\n", "-", "—", "'s", "Tashkent"]


def _texts(count: int) -> list[str]:
    rnd = random.Random(13)
    return [" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(0, 40))) for _ in range(count)]


@pytest.mark.parametrize("use_demonyms", [False, True])
def test_key_lengths_by_first_token_find_the_same_names(monkeypatch: pytest.MonkeyPatch, use_demonyms: bool) -> None:
    texts = _texts(1500) + ["New York City", "Нью-Йорк", "San Jose, Calif. and Atlanta, Ga.", "NEW YORK"]
    got = [[(o, p.name) for o, p in gazetteer.place_mentions(t, use_demonyms=use_demonyms)] for t in texts]
    # what match() tried before: every length from the longest key down
    monkeypatch.setattr(gazetteer._Gazetteer, "key_sizes", lambda self, first: tuple(range(self.longest, 0, -1)))
    want = [[(o, p.name) for o, p in gazetteer.place_mentions(t, use_demonyms=use_demonyms)] for t in texts]
    assert got == want
    assert any(got)


def test_normal_forms_are_kept_as_computed() -> None:
    g = gazetteer.gazetteer()
    for token in ["Москвы", "NEW", "York's", "and", "Нью-Йорк", "ЁЛКИ", "U.S."]:
        assert g.norm(token) == gazetteer._norm(token, g.ru_forms)
        assert g.norm(token) == gazetteer._norm(token, g.ru_forms)   # (the second time from the table)
