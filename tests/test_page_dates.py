"""A text dump's date stated away from the article's header is still its date (page_dates.py)."""
from __future__ import annotations

import datetime as dt

from searchapp.ingest.page_dates import dated_line
from searchapp.ingest.pipeline import ingest_text
from searchapp.models import SourceConfig

SOURCE = SourceConfig(name="lake-gazette", display_name="lake-gazette")

PARAGRAPHS = [
    "The city council voted on Wednesday to close the old ferry pier for repairs after divers found that two of "
    "its oak piles had rotted through below the waterline, the harbour master said.",
    "Ferries will use the fishing harbour on the eastern shore until the work is finished, which the council "
    "expects to take most of the summer, and the timetable will change from next week.",
    "Shopkeepers near the pier said they feared losing the tourists who walk from the ferry to the market square, "
    "and asked the council to put up signs pointing visitors to the town centre.",
]
TOP = ["Old ferry pier closes for repairs | Lake Gazette", "Skip to content", "Home", "Local", "Sport", "Weather",
       "Old ferry pier closes for repairs"]
TEASERS = ["More from Local", "School choir wins regional prize", "12 May 2021", "Road works on the bypass end early",
           "9 May 2021", "About us", "Contact", "© Lake Gazette"]


def _article(lines: list[str]):
    (article,) = ingest_text("\n\n".join(lines), fmt="txt", source=SOURCE, rel_path="pier.txt")
    return article


def test_a_date_line_at_the_articles_foot_dates_it_not_the_teasers_dates():
    a = _article(TOP + PARAGRAPHS + ["Published on 14 May 2021, 10:20", "Share", "Facebook"] + TEASERS)
    assert a.title == "Old ferry pier closes for repairs"
    assert a.body == PARAGRAPHS
    assert a.published is not None and a.published.date() == dt.date(2021, 5, 14)


def test_the_header_date_wins_over_a_date_line_further_down():
    a = _article(TOP + ["3 June 2021"] + PARAGRAPHS + ["Updated 5 June 2021"] + TEASERS)
    assert (a.published.date() if isinstance(a.published, dt.datetime) else a.published) == dt.date(2021, 6, 3)


def test_an_update_line_dates_the_article_only_when_nothing_else_does():
    a = _article(TOP + PARAGRAPHS + ["Updated: 20 May 2021"] + ["Share", "Facebook", "About us", "Contact"])
    assert (a.published.date() if isinstance(a.published, dt.datetime) else a.published) == dt.date(2021, 5, 20)


def test_a_dump_without_any_date_line_has_no_date():
    a = _article(TOP + PARAGRAPHS + ["Share", "Facebook", "About us", "Contact"])
    assert a.published is None


def test_date_lines_are_short_lines_holding_one_day():
    assert dated_line("Published on November 2, 2023 11:44AM EDT") == ("November 2, 2023 11:44AM EDT", True, False)   # (the zone is the date's: -04:00)
    assert dated_line("Posted by Jane Roe on March 3, 2021")[0] == "March 3, 2021"
    assert dated_line("Опубликовано: 12.03.2021 в 14:20")[1] is True
    assert dated_line("Updated: Apr 26, 2020 21:43 IST")[2] is True
    assert dated_line("Elections will be held on March 3, 2024") is None      # a sentence, not a date line
    assert dated_line("Oktober 2012") is None                                 # a month: an archive widget's
    assert dated_line("From 3 May 2020 to 9 May 2020") is None                # two dates


def test_a_date_field_the_reader_cannot_read_is_a_warning_on_the_report_line(settings, make_corpus) -> None:
    """"Published: 31 Smarch 2023" states the date: the file's report line says it was not understood."""
    from searchapp.ingest.pipeline import ingest_corpus

    make_corpus({"lake/pier.txt": "\n\n".join(TOP + ["Published: 31 Smarch 2023"] + PARAGRAPHS + TEASERS[-3:]),
                 "lake/ru.txt": "\n\n".join(TOP + ["Опубликовано: 3 сентабря 2023"] + PARAGRAPHS + TEASERS[-3:]),
                 "lake/good.txt": "\n\n".join(TOP + ["Veröffentlicht: 06. Mär. 2023"] + PARAGRAPHS + TEASERS[-3:]),
                 "lake/filed.txt": "\n\n".join(TOP + ["Posted in: Harbour news"] + PARAGRAPHS + TEASERS[-3:]),
                 "lake/clock.txt": "\n\n".join(TOP + ["Posted at 10:30 pm"] + PARAGRAPHS + TEASERS[-3:])})
    got = {o.path: (o.warnings, arts[0]) for o, arts in ingest_corpus(settings, progress=False)}
    warnings, article = got["lake/pier.txt"]
    assert article.title == "Old ferry pier closes for repairs"     # the field is no headline
    assert article.published is None
    assert any("date not understood" in w and "'31 Smarch 2023'" in w for w in warnings)
    assert any("'3 сентабря 2023'" in w for w in got["lake/ru.txt"][0])
    warnings, article = got["lake/good.txt"]
    assert warnings == [] and article.published == dt.date(2023, 3, 6)   # "Mär." is März
    assert got["lake/filed.txt"][0] == []          # a field with no number states no date
    assert got["lake/clock.txt"][0] == []          # nor one with a time alone


def test_a_date_field_is_no_headline() -> None:
    lines = ["Lake Gazette", "Home", "Local", "Old ferry pier closes for repairs", "Published: 31 Smarch 2023"]
    assert _article(lines + PARAGRAPHS + ["Contact"]).title == "Old ferry pier closes for repairs"


def test_the_cleaned_dump_states_the_unread_date_field_as_its_date_line() -> None:
    """The cleaner, which knows the headline's line, states the field; the pipeline's one check of
    stated dates (every format's) then warns. A field far below the headline (a teaser's) is not
    the article's, and a page dump too short for the line model is read the same way."""
    from searchapp.ingest.dump_clean import clean_dump
    from searchapp.models import Draft

    page = TOP + ["Published: 31 Smarch 2023"] + PARAGRAPHS + TEASERS
    cleaned = clean_dump(Draft(blocks=page), frozenset())
    assert (cleaned.date_raw, cleaned.date_provenance) == ("31 Smarch 2023", "date line")
    far = TOP + PARAGRAPHS * 6 + ["Published: 31 Smarch 2023"] + TEASERS     # 19 lines under the headline
    assert clean_dump(Draft(blocks=far), frozenset()).date_raw is None
    short = ["Old ferry pier closes for repairs", "Published: 31 Smarch 2023"] + PARAGRAPHS[:2]
    cleaned = clean_dump(Draft(blocks=short), frozenset())
    assert (cleaned.date_raw, cleaned.date_provenance) == ("31 Smarch 2023", "date line")
    warnings: list[str] = []
    ingest_text("\n\n".join(short), fmt="txt", source=SOURCE, warnings=warnings)
    assert any("'31 Smarch 2023'" in w for w in warnings), warnings


def test_a_date_field_with_a_two_digit_year_dates_the_article() -> None:
    """"Publié le 27 Mar 20 à 9:21" under the headline states the date; the parser reads two-digit
    years in numeric dates only (a sentence's "27 March 20 people" is none), so the field is read
    with its year in full. A field whose two digits are followed by more words stays a warning."""
    warnings: list[str] = []
    (article,) = ingest_text("\n\n".join(TOP + ["Publié le 27 Mar 20 à 9:21"] + PARAGRAPHS + TEASERS),
                             fmt="txt", source=SOURCE, warnings=warnings)
    assert article.published == dt.datetime(2020, 3, 27, 9, 21)
    assert warnings == []
    warnings = []
    (article,) = ingest_text("\n\n".join(TOP + ["Posted: 27 March 20 people"] + PARAGRAPHS + TEASERS),
                             fmt="txt", source=SOURCE, warnings=warnings)
    assert any("'27 March 20 people'" in w for w in warnings), warnings


def test_a_short_year_after_a_month_name_is_a_date_only_as_a_whole_string() -> None:
    from searchapp.ingest import dates

    found = dates.parse_date("27 Mar 20 à 9:21")
    assert found is not None and found.value == dt.datetime(2020, 3, 27, 9, 21) and found.raw == "27 Mar 20 à 9:21"
    assert dates.parse_date("27 March 20 people") is None
    assert dates.find_dates("Officials said on 27 March 20 people were hurt") == []
