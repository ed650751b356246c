"""A text dump's publication date: the article's own, never a teaser's, a tweet's or another thing's.

Each test is a small page dump of its own (a scraper's get_text() of a made-up outlet's page) that
states the article's date once, beside dates that are not the article's.
"""
from __future__ import annotations

import datetime as dt

from searchapp.ingest.page_dates import dated_line
from searchapp.ingest.pipeline import ingest_text
from searchapp.models import SourceConfig

SOURCE = SourceConfig(name="river-post", display_name="river-post")

PARAGRAPHS = [
    "The regional water board agreed on Tuesday to rebuild the weir below the old mill after engineers found "
    "that the spring floods had washed out most of its stone apron, the board's chairman told reporters.",
    "Anglers and canoe clubs had asked for a fish pass to be built at the same time, and the board said it "
    "would put the idea to the ministry before the contract for the works is signed in the autumn.",
    "Farmers downstream said they worried about the water level in their ditches during the works, and the "
    "board promised to keep the sluices open until the new weir is finished next year.",
]
TOP = ["Board to rebuild the mill weir | River Post", "Skip to content", "Home", "Region", "Sport", "Weather"]
HEADLINE = "Board to rebuild the mill weir"
FOOT = ["Share", "Facebook", "About us", "Contact", "© River Post"]


def _date(lines: list[str]) -> dt.date | None:
    articles = ingest_text("\n\n".join(lines), fmt="txt", source=SOURCE, rel_path="weir.txt")
    value = articles[0].published
    return value.date() if isinstance(value, dt.datetime) else value


def _one(lines: list[str]):
    (article,) = ingest_text("\n\n".join(lines), fmt="txt", source=SOURCE, rel_path="weir.txt")
    return article


def test_spanish_portuguese_and_italian_date_lines_date_the_article():
    for line, day in [("miércoles, 4 de mayo de 2022", dt.date(2022, 5, 4)),
                      ("11 de Outubro de 2020, 8:34", dt.date(2020, 10, 11)),
                      ("Pubblicato il 19 Febbraio 2020", dt.date(2020, 2, 19)),
                      ("martes 29 de septiembre de 2020", dt.date(2020, 9, 29))]:
        assert _date(TOP + [HEADLINE, line] + PARAGRAPHS + FOOT) == day, line


def test_a_published_label_on_the_line_above_beats_a_nearer_date_line():
    # "Published:" / date at the foot; a sidebar's unlabelled date line sits nearer the article.
    lines = TOP + [HEADLINE] + PARAGRAPHS + ["12 March 2021", "Published:", "3 March 2021", "Updated:",
                                            "5 March 2021"] + FOOT
    assert _date(lines) == dt.date(2021, 3, 3)


def test_a_date_labelled_as_another_things_is_not_the_articles():
    # a book review's data table ("Release date:" / date) and a forum profile's "Joined" / date
    for label in ("Release date:", "Erscheinungsdatum:", "Joined"):
        assert _date(TOP + [HEADLINE] + PARAGRAPHS + [label, "14 August 2017"] + FOOT) is None, label


def test_an_embedded_posts_date_is_not_the_articles():
    tweet = ["The fishermen's union welcomed the decision on social media.",
             "— Mill Anglers (@millanglers)", "June 1, 2021"]
    assert _date(TOP + [HEADLINE] + PARAGRAPHS[:2] + tweet + PARAGRAPHS[2:] + FOOT) is None
    shared = ["A post shared by Mill Anglers (@millanglers)", "on", "Jun 1, 2021 at 7:30am PDT"]
    assert _date(TOP + [HEADLINE] + PARAGRAPHS[:2] + shared + PARAGRAPHS[2:] + FOOT) is None


def test_a_date_a_link_cut_out_of_a_sentence_is_no_date_line():
    assert dated_line("ab dem 27. April 2020") is None
    assert dated_line("findet am Freitag, 8. Juni 2012") is None
    assert dated_line(". Beitrag zu Ökonomenstimme vom 5. Januar 2015.") is None
    assert dated_line("Termin: 21.02.2020, 19 Uhr") is None
    assert dated_line("Joined May 11, 2017") is None
    # the article's own date lines still are, whatever their language
    assert dated_line("Publié le 27 octobre 2023 à 15h01") == ("27 octobre 2023 à 15h01", True, False)
    assert dated_line(", veröffentlicht am 23.01.2020")[1] is True
    assert dated_line("am 3. Februar 2022 um 21:17")[0] == "3. Februar 2022 um 21:17"


def test_a_list_of_teasers_dates_no_article():
    teasers = ["Recent posts", "Ferry timetable changes", "5 October 2020", "New bridge opens",
               "2 October 2020", "School choir wins prize", "28 September 2020"]
    assert _date(TOP + [HEADLINE] + PARAGRAPHS + teasers + FOOT) is None


def test_a_date_split_over_lines_is_read_whole():
    split = ["Dec", "21", "st", ",", "2018", "2:00 pm"]
    assert _date(TOP + [HEADLINE] + split + PARAGRAPHS + FOOT) == dt.date(2018, 12, 21)


def test_a_bare_year_yields_to_a_day():
    # "2018" under the headline is a photo credit's year; the article states its day at its foot.
    lines = TOP + [HEADLINE, "(©", "2018", ")"] + PARAGRAPHS + ["Artikel vom 31.10.23"] + FOOT
    a = _one(lines)
    assert (a.published, a.date_precision) == (dt.date(2023, 10, 31), "day")


def test_the_mastheads_date_under_the_title_line_is_not_the_articles():
    # The <title> line, the masthead's date of the day the page was saved, dated teasers, then
    # the headline again with the article's own date under it.
    lines = ["Board to rebuild the mill weir - River Post", "Thursday, November 9, 2023", "Home", "Region", "Latest",
             "Ferry timetable changes", "8 November 2023", "New bridge opens", "7 November 2023",
             "Sport", HEADLINE, "By Ann Lake", "2 November 2023"] + PARAGRAPHS + FOOT
    assert _date(lines) == dt.date(2023, 11, 2)


def test_an_article_dated_at_its_head_and_foot_in_another_language_stays_one_article():
    lines = [TOP[0], "Domenica 06 Dicembre 2020 | 00:36", "Home", "Regione", "Sport", HEADLINE,
             "06 Dicembre 2020"] + PARAGRAPHS + FOOT
    articles = ingest_text("\n\n".join(lines), fmt="txt", source=SOURCE, rel_path="weir.txt")
    assert len(articles) == 1 and articles[0].title == HEADLINE
    assert articles[0].body == PARAGRAPHS


def test_a_sentence_piece_ending_in_a_date_heads_no_listing_item():
    lines = TOP + [HEADLINE, "7 May 2020"] + PARAGRAPHS[:2] + ["from 4 to 31 May 2020"] + PARAGRAPHS[2:] + FOOT
    articles = ingest_text("\n\n".join(lines), fmt="txt", source=SOURCE, rel_path="weir.txt")
    assert len(articles) == 1 and articles[0].title == HEADLINE


def test_a_byline_cue_alone_on_its_line_names_the_author_on_the_next():
    a = _one(TOP + [HEADLINE, "By :", "Ann Lake", "2 November 2023"] + PARAGRAPHS + FOOT)
    assert a.author == "Ann Lake"


def test_a_bare_line_in_capitals_near_the_date_is_no_author():
    # a photo's "click to enlarge" button and the outlet's name in capitals, then the date
    a = _one(TOP + [HEADLINE, "CLICK TO ENLARGE", "RIVER POST", "2 November 2023"] + PARAGRAPHS + FOOT)
    assert a.author is None
    assert _one(TOP + [HEADLINE, "Ann Lake", "2 November 2023"] + PARAGRAPHS + FOOT).author == "Ann Lake"
