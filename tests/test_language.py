"""Table-driven tests for searchapp.ingest.language."""
from __future__ import annotations

from pathlib import Path

import pytest

from searchapp.ingest.language import detect_language

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "seeds"

RU = ("Встреча министров иностранных дел государств — членов ОДКБ прошла в Минске. Стороны обсудили "
      "вопросы коллективной безопасности и подписали ряд документов.")
UK = ("Зустріч міністрів закордонних справ відбулася у Києві. Сторони обговорили питання безпеки "
      "та підписали низку документів.")
KK = ("Қазақстан Республикасының Президенті Астанада өткен жиында сөз сөйледі. Жиынға барлық "
      "өңірлердің әкімдері қатысты.")
DE = ("Die Außenminister der Mitgliedstaaten haben sich am Montag in Berlin getroffen und über "
      "die Sicherheit in Europa gesprochen.")
FR = ("Les ministres des affaires étrangères se sont réunis lundi à Paris pour discuter de la "
      "sécurité en Europe et de la coopération régionale.")
EN = ("The ministers met in Minsk on Monday and agreed on measures to counter information "
      "technology crimes in the member states of the organisation.")
TABLE = "COBANCO INC <CBCO> YEAR NET\n\nShr 34 cts vs 1.19 dlrs\n Net 807,000 vs 2,858,000\n Assets 510.2 mln vs 479.7 mln"


@pytest.mark.parametrize("text, kwargs, expected", [
    (EN, {}, "en"),
    (RU, {}, "ru"),
    (UK, {}, "uk"),
    (KK, {}, "kk"),
    (DE, {}, "de"),
    (FR, {}, "fr"),
    (RU, {"hint": "en"}, "ru"),           # a hint never overrides clear text
    ("Минск", {"hint": "ru"}, "ru"),      # too short: the hint decides
    ("OK", {}, "en"),
    ("OK", {"default": "de"}, "de"),
    ("", {"hint": "kk", "default": "ru"}, "kk"),
    (TABLE, {"default": "en"}, "en"),     # results tables: langdetect guessed Swedish here
])
def test_detect_language(text: str, kwargs: dict, expected: str) -> None:
    assert detect_language(text, **kwargs) == expected


def test_deterministic_regardless_of_call_order() -> None:
    mixed = "Prices rose. Цены выросли. Die Preise stiegen. Les prix ont augmenté de cinq pour cent."
    first = detect_language(mixed)
    for other in (RU, DE, FR, EN, UK):
        detect_language(other)
    assert detect_language(mixed) == first
    assert detect_language(DE) == detect_language(DE) == "de"


def test_only_a_bounded_sample_is_read() -> None:
    # An English head decides, whatever follows far below it.
    assert detect_language(EN * 8 + RU * 50) == "en"


@pytest.mark.skipif(not SEEDS.exists(), reason="shared corpora not beside the repo")
def test_seeds_are_english() -> None:
    for path in sorted(SEEDS.glob("0*.txt")):
        assert detect_language(path.read_text(encoding="utf-8")) == "en", path.name
