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
# The region's languages: their own letters decide, not langdetect (which has no profile for them).
UZ_CYR = ("Ўзбекистон Республикаси Президенти Тошкентда бўлиб ўтган йиғилишда сўзга чиқди. Қишлоқ "
          "хўжалиги вазирлиги ҳузурида янги марказ ташкил этилди.")
UZ_LAT = ("Oʻzbekiston Respublikasi Prezidenti Toshkentda boʻlib oʻtgan yigʻilishda soʻzga chiqdi. Qishloq "
          "xoʻjaligi vazirligi huzurida yangi markaz tashkil etildi va bu haqida xabar berildi.")
UZ_LAT_ASCII = ("O'zbekiston Respublikasi Prezidenti Toshkentda bo'lib o'tgan yig'ilishda so'zga chiqdi. "
                "Qishloq xo'jaligi vazirligi huzurida yangi markaz tashkil etildi.")
KY = ("Кыргызстандын президенти Бишкекте өткөн жыйында сүйлөдү. Жыйынга бардык облустардын "
      "өкүлдөрү катышып, жаңы мыйзам долбоорун талкуулашты.")
TG = ("Президенти Ҷумҳурии Тоҷикистон дар Душанбе бо вазирони кишварҳои ҳамсоя вохӯрд ва дар бораи "
      "ҳамкориҳои иқтисодӣ сӯҳбат кард.")
BE = ("Прэзідэнт Рэспублікі Беларусь правёў нараду ў Мінску. Удзельнікі абмеркавалі пытанні "
      "бяспекі і падпісалі шэраг дакументаў.")
BG = ("Министрите на външните работи се срещнаха в София и обсъдиха въпросите на сигурността в "
      "региона, както и сътрудничеството между страните.")
RU_ABOUT_REGION = ("Президент Казахстана выступил в Нұр-Сұлтане на заседании, которое было посвящено "
                   "вопросам экономики. Он также отметил, что Ўзбекистон и Қазақстан развивают торговлю.")
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
    (UZ_CYR, {}, "uz"),                   # uza.uz pages came out Kazakh or Belarusian before
    (UZ_LAT, {}, "uz"),
    (UZ_LAT_ASCII, {}, "uz"),
    (KY, {}, "ky"),
    (TG, {}, "tg"),
    (BE, {}, "be"),
    (BG, {}, "bg"),                       # ъ is not Russian: Bulgarian went to "ru" before
    (RU_ABOUT_REGION, {}, "ru"),          # Kazakh and Uzbek names inside Russian prose
    ("金正恩專列現元山 北韓官媒昨日發布兩則關於領袖金正恩的消息，包括俄羅斯共產黨發來賀電，祝願他身體健康", {}, "zh"),
    ("ФОТОЭТЮД: Ҳовлимизда тут пишди. Табиат неъмати", {}, "uz"),   # a short caption
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


@pytest.mark.parametrize("text", [
    DE, FR, EN, RU, UK,
    "Los ministros se reunieron el lunes en Madrid para hablar de la seguridad en Europa y la cooperación.",
    "I ministri si sono riuniti lunedì a Roma per discutere della sicurezza in Europa e della cooperazione.",
    "Ministrowie spotkali się w poniedziałek w Warszawie, aby omówić bezpieczeństwo w Europie.",
    "Thủ tướng đã gặp các bộ trưởng tại Hà Nội để thảo luận về an ninh khu vực và hợp tác.",
    "وزراء الخارجية اجتمعوا يوم الاثنين في القاهرة لبحث الأمن الإقليمي والتعاون",
    "各国の外相は月曜日に東京で会談し、地域の安全保障と協力について話し合った。カタカナ",
    "UPPER CASE WORDS AND Mixed Text https://example.com/x mail@example.com   many    spaces ﬁ ș ț",
    "Ein Satz auf Deutsch mit русскими словами посередине und wieder Deutsch am Ende des Satzes.",
])
def test_langdetect_walk_is_langdetects_own(text: str) -> None:
    """The numpy walk gives langdetect's own ranked languages and probabilities, to the last bit."""
    from searchapp.ingest import language

    factory = language._factory()
    theirs = factory.create()
    theirs.append(text)
    expected = [(r.lang, r.prob) for r in theirs.get_probabilities()]
    assert [(r.lang, r.prob) for r in language._probabilities(factory.create(), text)] == expected
    assert expected  # the text is long enough for langdetect to answer at all
