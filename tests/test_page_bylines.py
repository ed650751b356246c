"""A text dump's byline between its headline and its article names the author (page_bylines.py)."""
from __future__ import annotations

from searchapp.ingest.page_bylines import person_name
from searchapp.ingest.pipeline import ingest_text
from searchapp.models import SourceConfig

SOURCE = SourceConfig(name="valley-post", display_name="valley-post")

PARAGRAPHS = [
    "The regional library reopened its reading room on Monday after a year of repairs to the roof, which had "
    "leaked onto the newspaper archive during two winters, the library's director said.",
    "Volunteers spent the autumn drying and sorting some four thousand bound volumes, and fewer than a hundred "
    "were lost, mostly local papers from the nineteen-fifties that had been stored on the lowest shelves.",
    "The director said the library would digitise the surviving papers next year so that readers no longer need "
    "to handle the fragile originals, and asked former subscribers to lend missing issues.",
]
TOP = ["Library reopens after roof repairs - Valley Post", "Skip to content", "Home", "Region", "Culture", "Sport",
       "Library reopens after roof repairs"]
FOOT = ["Share", "Facebook", "Related", "Bridge works start in May", "About us", "Contact"]


def _article(header: list[str]):
    text = "\n\n".join(TOP + header + PARAGRAPHS + FOOT)
    (article,) = ingest_text(text, fmt="txt", source=SOURCE, rel_path="library.txt")
    return article


def test_a_by_line_under_the_headline_names_the_author():
    a = _article(["By Jane Roe", "4 March 2024"])
    assert a.author == "Jane Roe"
    assert a.body == PARAGRAPHS


def test_a_bare_name_beside_the_date_names_the_author():
    assert _article(["Tomás Ibarra", "4 March 2024, 10:15"]).author == "Tomás Ibarra"


def test_a_cue_closing_its_line_names_the_author_on_the_next():
    assert _article(["Ein Artikel von", "Marta Kühn", "04.03.2024"]).author == "Marta Kühn"


def test_menu_words_and_places_are_no_author():
    assert _article(["Latest News", "4 March 2024"]).author is None
    assert _article(["New Zealand", "4 March 2024"]).author is None
    assert _article(["4 March 2024"]).author is None


def test_person_name_reads_bylines_in_several_languages():
    assert person_name("By Jane Roe | 3 May 2021, 10:20") == "Jane Roe"
    assert person_name("Автор: Иван Петров") == "Иван Петров"
    assert person_name("von Olga", cue_required=True) == "Olga"
    assert person_name("Ursula von der Leyen") == "Ursula von der Leyen"
    assert person_name("Grace McDonald") == "Grace McDonald"
    assert person_name("Our Team") is None
    assert person_name("by May 24, 2018 Market") is None       # a date and a category, no name
    assert person_name("PlayStation Store") is None
    assert person_name("The council voted on Monday") is None


def test_a_lone_cue_with_a_colon_line_names_the_author_under_it():
    assert _article(["Von", ":", "Marta Kühn", "04.03.2024"]).author == "Marta Kühn"


def test_an_author_box_after_the_article_names_the_author():
    text = "\n\n".join(TOP + ["4 March 2024"] + PARAGRAPHS + ["Author:", "Dana Whitlock"] + FOOT)
    (article,) = ingest_text(text, fmt="txt", source=SOURCE, rel_path="library.txt")
    assert article.author == "Dana Whitlock"


def test_names_joined_by_comma_and_and_lines_are_one_byline():
    header = ["By", "Jane Roe", ",", "Omar Haddad", "and", "Li Wen", "4 March 2024"]
    assert _article(header).author == "Jane Roe, Omar Haddad, Li Wen"
    assert _article(["Jane Roe", ",", "Omar Haddad", "4 March 2024"]).author == "Jane Roe, Omar Haddad"


def test_a_bare_name_beside_a_relative_time_names_the_author():
    assert _article(["Tomás Ibarra", "2 hours ago"]).author == "Tomás Ibarra"
    assert _article(["Tomás Ibarra", "vor 3 Stunden"]).author == "Tomás Ibarra"
    assert _article(["Tomás Ibarra", "Sign in"]).author is None      # no date, no time: no byline


def test_teasers_with_their_own_authors_and_dates_name_no_author():
    header = ["Bridge works start in May", "Anna Berg", "3 March 2024", "Ferry timetable changes", "Karl Olsen",
              "2 March 2024"]
    assert _article(header).author is None


def test_a_photographer_under_a_photo_cue_is_no_author():
    assert _article(["Foto:", "Mikael Strand", "4 March 2024"]).author is None
    assert _article(["Foto:", "Mikael Strand", "Jane Roe", "4 March 2024"]).author == "Jane Roe"


def test_a_menu_line_after_the_article_is_no_author_but_a_signed_name_is():
    def last(line: str):
        text = "\n\n".join(TOP + ["4 March 2024"] + PARAGRAPHS + [line] + FOOT)
        (article,) = ingest_text(text, fmt="txt", source=SOURCE, rel_path="library.txt")
        return article.author

    assert last("Show Comments") is None
    assert last("Related Videos") is None
    assert last("Aigerim Sadykova") == "Aigerim Sadykova"


def test_a_danish_af_byline_names_the_author():
    assert person_name("Af Lars Holm") == "Lars Holm"
    assert _article(["Af Lars Holm", "4. marts 2024"]).author == "Lars Holm"


def test_a_date_before_the_cue_and_a_handle_after_the_name_are_not_the_name():
    assert _article(["06.03.2024 13:30 von Olga", "Foto: Archiv"]).author == "Olga"
    assert _article(["Por", "Williams Perdomo @wperdomod", "-", "marzo 4, 2024"]).author == "Williams Perdomo"
    assert person_name("Williams Perdomo @wperdomod") == "Williams Perdomo"


def test_a_byline_under_the_lead_paragraph_names_the_author():
    lead = ("The reading room is open again, and the archive survived two wet winters with "
            "fewer losses than the staff had feared when the roof first gave way.")
    text = "\n\n".join(TOP + [lead, "von Daniela Obers"] + PARAGRAPHS + FOOT)
    (article,) = ingest_text(text, fmt="txt", source=SOURCE, rel_path="library.txt")
    assert article.author == "Daniela Obers"


def test_a_short_line_ending_in_a_cue_names_the_author_after_the_article_starts():
    text = "\n\n".join(TOP + ["4 March 2024"] + PARAGRAPHS[:1] + ["Kommentar von", "Ingo Arzt", "Redakteur für Kultur"]
                       + PARAGRAPHS[1:] + FOOT)
    (article,) = ingest_text(text, fmt="txt", source=SOURCE, rel_path="library.txt")
    assert article.author == "Ingo Arzt"


def test_one_word_after_a_late_cue_is_a_name_only_when_a_date_signs_it():
    def late(box: list[str]):
        text = "\n\n".join(TOP + ["4 March 2024"] + PARAGRAPHS + box + FOOT)
        (article,) = ingest_text(text, fmt="txt", source=SOURCE, rel_path="library.txt")
        return article.author
    assert late(["von", "Ulrike", "04.03.2024 16:06 Uhr"]) == "Ulrike"
    assert late(["von", "Rechtsanwalt", "Mehr zum Thema"]) is None


def test_a_byline_just_above_the_headline_names_the_author():
    top = TOP[:-1] + ["von", "Juliane Berger", "Library reopens after roof repairs"]
    text = "\n\n".join(top + PARAGRAPHS + FOOT)
    (article,) = ingest_text(text, fmt="txt", source=SOURCE, rel_path="library.txt")
    assert article.author == "Juliane Berger"
    assert article.title == "Library reopens after roof repairs"


def test_a_bare_name_deep_in_a_long_header_names_the_author():
    header = ["Photo: the reading room", "Share", "Facebook", "Twitter", "WhatsApp", "Email", "Print",
              "Comments", "Listen", "Save", "Font size", "Dark mode", "Reading list", "Verónica De Vita", "4 March 2024"]
    assert _article(header).author == "Verónica De Vita"


def test_a_video_players_labels_are_no_author_and_the_by_line_under_them_is():
    # (video.js writes "Current Time" / "0:00" / "Duration" / "0:00" into the page, a name with a time beside it)
    player = ["Video Player", "is loading.", "Play Video", "Play", "Mute", "Current Time", "0:00", "/", "Duration",
              "0:00", "Loaded", ":", "0%", "Progress", "Stream Type", "LIVE", "Remaining Time", "-", "0:00", "1x",
              "Playback Rate", "Chapters", "Captions", "captions settings", "Fullscreen", "Text", "Color", "White"]
    a = _article(player + ["By", "Margaret Talev", "4 March 2024 at 4:00 AM CST"])
    assert a.author == "Margaret Talev"


def test_the_byline_under_the_headlines_first_copy_names_the_author():
    # The page's header states headline, standfirst and byline; a share box repeats the headline over the article.
    head = TOP[-1]
    a = _article(["Readers may visit from Monday.", "By", "Aja Romano", "4 March 2024", "Share this story",
                  "Share on Facebook", "Share on Twitter", "All sharing options for:", head, "Reddit", "Pocket"])
    assert a.author == "Aja Romano"


def test_a_name_with_a_capital_after_its_prefix_is_a_name():
    assert _article(["Updated Tue, Mar 4 2024", "6:29 PM EST", "Tom DiChristopher", "@tdichristopher"]).author \
        == "Tom DiChristopher"
    assert person_name("Ron DeSantis") == "Ron DeSantis" and person_name("PlayStation Store") is None


def test_a_name_a_link_cut_out_of_a_sentence_is_no_author():
    # "... a gift from [Tomás Ibarra], a former subscriber": the page linked the name inside its text
    a = _article(["4 March 2024", "The repairs were paid for with a gift from", "Tomás Ibarra",
                  ", a former subscriber to the library's papers."])
    assert a.author is None
    # a byline of two names joined by a comma line stays whole
    assert _article(["Tomás Ibarra", ",", "Marta Kühn", "4 March 2024"]).author == "Tomás Ibarra, Marta Kühn"
