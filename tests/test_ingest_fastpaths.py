"""The ingest's shortcuts give what the plain computations they stand for give."""
from __future__ import annotations

import random
import unicodedata

from searchapp.ingest import language, readers, split


def _strings(seed: int, alphabet: list[str], count: int = 20_000) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 14))) for _ in range(count)]


def test_squeeze_is_the_space_substitution() -> None:
    alphabet = list("ab яж\t\u00a0\u2000\u200a\u200b\u202f\u205f\u3000x.") + ["  "]
    for block in _strings(1, alphabet):
        assert readers._squeeze(block) == readers._SPACES.sub(" ", block).strip(), repr(block)


def test_character_counts_are_the_counts() -> None:
    alphabet = list("aZ жЖ\u0301\u0903 \t\n中ʻ'1")
    for text in _strings(2, alphabet, 5_000):
        assert language._count(text, lambda ch: unicodedata.category(ch)[0] == "M") == \
            sum(1 for ch in text if unicodedata.category(ch)[0] == "M")
        assert language._count(text, str.isspace) == sum(1 for ch in text if ch.isspace())


def test_listing_header_needs_a_digit() -> None:
    # Lines without a digit, or too long to be a date line or a heading, are no item header.
    assert split._header("Meeting held today", "DMY") is None
    assert split._header("x" * 300 + " 29.03.2024", "DMY") is None
    assert split._header("Meeting held 29.03.2024", "DMY") is not None
    assert split._header("26.07.2024", "DMY") is not None


def test_foreign_script_of_ascii_lines() -> None:
    from searchapp.ingest import clean

    def counted(text: str, doc_script: str) -> bool:
        cyr, lat = len(clean._CYR.findall(text)), len(clean._LAT.findall(text))
        own, other = (cyr, lat) if doc_script == "cyrillic" else (lat, cyr)
        return other > 0 and own < 0.2 * (own + other)

    for text in _strings(3, list("aZ1 .-_жЖé"), 5_000) + ["Menu", "123", "Главная", "ENG"]:
        for doc_script in ("cyrillic", "latin"):
            assert clean.foreign_script(text, doc_script) == counted(text, doc_script), (text, doc_script)
