"""Place names that are not the place (issue 11): U.S. states against countries, surnames against
cities, names inside other names. The sentences are this test's own; the last test reads the real
news-2017 export in ../shared."""
from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

import pytest

from searchapp.gazetteer import find_places

NEWS_2017 = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "news-articles-2017" / "NewsArticles.csv.gz"


@pytest.mark.parametrize("text, cities, countries", [
    # Georgia: the country unless the text names other U.S. places (or says "state of Georgia").
    ("Lawmakers in Atlanta, Georgia, passed the bill.", ["Atlanta"], ["United States"]),
    ("ATLANTA, Ga. - Georgia lawmakers voted on Monday.", ["Atlanta"], ["United States"]),
    ("Voters in Georgia and Florida go to the polls.", [], ["United States"]),
    ("A couple in the U.S. state of Georgia was sentenced. Georgia prosecutors said.", [], ["United States"]),
    ("The president of Georgia met officials in Tbilisi.", ["Tbilisi"], ["Georgia"]),
    ("Russia and Georgia fought a war in 2008.", [], ["Russia", "Georgia"]),
    ("The U.S. envoy visits Georgia to discuss security.", [], ["United States", "Georgia"]),
    # A surname is not the city, in any later mention either; the city in its own name still is.
    ("Alyssa Milano spoke at the rally. Milano's campaign said she would return.", [], []),
    ("Fashion week in Milano drew crowds.", ["Milan"], ["Italy"]),
    ("Michael Jordan scored. Jordan said he was happy.", [], []),
    ("In Jordan, officials said the border was open.", [], ["Jordan"]),
    # Inside a compound: a place; inside a company's, bank's or treaty's name: not a mention.
    ("The Washington-based group said.", ["Washington"], ["United States"]),
    ("Sen. Chuck Grassley, R-Iowa, said on Monday.", [], ["United States"]),
    ("Talks on the Israel-Palestinian conflict resumed.", [], ["Israel"]),
    ("Manufacturers Hanover Corp said its profit rose.", [], []),
    ("Credit Suisse First Boston Asia Ltd will lead the issue.", [], []),
    ("The bonds were sold through Bank of Montreal.", [], []),
    ("Ministers marked the Treaty of Rome.", [], []),
    ("A violation of the Geneva Conventions, the U.N. said.", [], []),
    # Russian words that a place's name collides with: "Самое главное" is no Samoa (a loan name in
    # a vowel and -а is not declined), "Ровно в 4 часа" no Rivne (the word opens a sentence).
    ("Самое главное, что никто не пострадал. Ровно в 4 часа утра начался митинг.", [], []),
    ("Жители Ровно вышли на улицы, туристы из Самоа и Никарагуа тоже.", ["Rivne"], ["Ukraine", "Samoa", "Nicaragua"]),
])
def test_places_that_are_not_places(text: str, cities: list[str], countries: list[str]) -> None:
    assert find_places(text) == (cities, countries)


@pytest.mark.skipif(not NEWS_2017.exists(), reason="shared corpora not beside the repo")
def test_news_2017_georgia_and_milano() -> None:
    csv.field_size_limit(sys.maxsize)
    wanted = {"158": True, "2386": True, "3324": True,          # the country
              "1217": False, "3290": False, "3524": False, "1687": False}   # the U.S. state
    texts = {}
    with gzip.open(NEWS_2017, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["article_id"] in wanted or row["article_id"] == "3430":
                texts[row["article_id"]] = f"{row['title']}\n\n{row['text']}"
    for article_id, is_country in wanted.items():
        assert ("Georgia" in find_places(texts[article_id])[1]) is is_country, article_id
    assert "Milan" not in find_places(texts["3430"])[0]   # "Alyssa Milano Wants To Drive You To The Polls"


def test_a_text_lower_cased_whole_keeps_its_russian_places_and_dateline() -> None:
    """Some datasets ship their news lower-cased (RIA's, in natasha/corus): no capital is left to
    find a place by, so its Russian place names get theirs back, and only those no other word shares."""
    from searchapp.gazetteer import case_folded, recase
    from searchapp.ingest.pipeline import ingest_text
    from searchapp.models import SourceConfig

    text = ("жертвами бойни на севере мексики стали 13 молодых людей\n\n"
            "мехико, 31 янв - риа новости. группа вооруженных людей в ночь с субботы на воскресенье ворвалась "
            "в дом в городе сьюдад-хуарес, сообщили в прокуратуре. самое главное, по словам властей, что "
            "ровно в полночь полиция перекрыла дороги. делегация из москвы прибыла в мексику в понедельник.")
    assert case_folded(text)
    assert not case_folded("Жертвами бойни на севере Мексики стали 13 молодых людей. " * 10)
    assert "Москвы" in recase(text) and "самое главное" in recase(text) and "ровно в полночь" in recase(text)
    (a,) = ingest_text(text, fmt="txt", source=SourceConfig(name="ria", display_name="ria"), rel_path="ria.txt")
    assert a.dateline == "Мехико"
    assert a.cities == ["Mexico City", "Moscow"]
    assert a.countries == ["Mexico", "Russia"]
