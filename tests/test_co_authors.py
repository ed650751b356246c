"""A byline naming several people keeps them all, in order, joined by ", " as a feed's author field is.

The dump reader (page_bylines.py) and the HTML reader (html_meta.py) used to keep the first name
only; an agency, an outlet, a role, a place, a photo credit or a sentence beside the names is no
co-author.
"""
from __future__ import annotations

import json

import pytest

from searchapp.ingest.feed_authors import feed_author
from searchapp.ingest.page_bylines import person_name
from searchapp.ingest.pipeline import ingest_text
from tests.test_page_bylines import FOOT, PARAGRAPHS, SOURCE, TOP   # the single-author tests' outlet and story


def _dump_author(header: list[str], paragraphs: list[str] = PARAGRAPHS) -> str | None:
    text = "\n\n".join(TOP + header + paragraphs + FOOT)
    (article,) = ingest_text(text, fmt="txt", source=SOURCE, rel_path="library.txt")
    return article.author


# --- text dumps ----------------------------------------------------------------------------------

def test_a_by_line_of_two_names_keeps_both_in_its_order_as_a_record_or_feed_does():
    assert person_name("By Anna Smith and John Doe") == "Anna Smith, John Doe"
    assert person_name("By John Doe and Anna Smith") == "John Doe, Anna Smith"
    dumped = _dump_author(["By", "Anna Smith", "and", "John Doe", "4 March 2024"])
    # The record and feed path already kept every name: the dump's field joins them as it does.
    assert feed_author("Anna Smith and John Doe, Reuters", None) == (dumped, None)
    record = {"title": "Library reopens after roof repairs", "text": " ".join(PARAGRAPHS),
              "author": "Anna Smith, John Doe and Ann Poe", "date": "2024-03-04"}
    (article,) = ingest_text(json.dumps([record]), fmt="json", source=SOURCE, rel_path="export.json")
    assert article.author == _dump_author(["By Anna Smith, John Doe and Ann Poe", "4 March 2024"])


def test_a_by_line_the_extractor_reads_joins_its_names_the_same_way():
    # (the old code kept "Anna Smith and John Doe": both names, but not the field's separator)
    assert _dump_author(["By Anna Smith and John Doe", "4 March 2024"]) == "Anna Smith, John Doe"


def test_a_by_line_of_three_names_in_several_languages():
    assert _dump_author(["By Anna Smith, John Doe and Ann Poe", "4 March 2024"]) == "Anna Smith, John Doe, Ann Poe"
    assert _dump_author(["Von Anna Schmidt und Jan Müller", "04.03.2024"]) == "Anna Schmidt, Jan Müller"
    assert _dump_author(["Авторы: Иван Петров, Анна Сидорова", "4 марта 2024"]) == "Иван Петров, Анна Сидорова"
    assert person_name("par Anne Dupont et Marc Leroy") == "Anne Dupont, Marc Leroy"
    assert person_name("By Jane Roe & John Doe") == "Jane Roe, John Doe"
    assert person_name("Por Isabel Caro, Rocío Latorre y José Miguel Wilson") == \
        "Isabel Caro, Rocío Latorre, José Miguel Wilson"
    assert person_name("Por José Ortega y Gasset") == "José Ortega y Gasset"     # one name
    assert person_name("di Anna Rossi e Marco Bianchi") == "Anna Rossi, Marco Bianchi"


def test_two_name_lines_under_one_by_with_the_date_under_them():
    assert _dump_author(["By", "Anna Smith", "John Doe", "4 March 2024"]) == "Anna Smith, John Doe"


def test_names_a_page_linked_one_by_one_with_joiner_lines_between_and_the_agency_after():
    # (as CNN's pages dump: "By" / name / "," / name / ", and" / "name," / "CNN"; initials inside a name)
    header = ["By", "Dana A. Ford", ",", "James S.A. Corey", ", and", "Tom Watkins,", "CNN", "November 28, 2023"]
    assert _dump_author(header) == "Dana A. Ford, James S.A. Corey, Tom Watkins"
    header = ["By:", "Paul Wiseman", ",", "Fatima Hussein, The Associated Press", "October 11, 2022"]
    assert _dump_author(header) == "Paul Wiseman, Fatima Hussein"


def test_an_agency_outlet_role_or_place_beside_the_names_is_no_co_author():
    assert person_name("By Anna Smith and John Doe, Associated Press") == "Anna Smith, John Doe"
    assert person_name("By Anna Smith and John Doe, Reuters") == "Anna Smith, John Doe"
    assert person_name("By Anna Smith, Agence France-Presse") == "Anna Smith"
    assert person_name("By Anna Smith, Reuters") == "Anna Smith"
    assert person_name("By Jane Roe, Staff Writer") == "Jane Roe"
    assert person_name("By Glen Owen And Brendan Carlin For The Mail On Sunday") == "Glen Owen, Brendan Carlin"
    assert person_name("By Dana Ford, James Corey, and Tom Watkins, CNN") == "Dana Ford, James Corey, Tom Watkins"
    assert person_name("By Jane Roe and Tom Poe, Chief Political Correspondents") == "Jane Roe, Tom Poe"
    assert person_name("Ann Poe, Tom Roe, USA TODAY") == "Ann Poe, Tom Roe"        # a bare byline line
    assert person_name("By Joe Matazzoni and Wikimedia Foundation") == "Joe Matazzoni"
    assert person_name("Por Diêgo Holanda, Porto Velho") == "Diêgo Holanda"       # a place after a comma
    assert _dump_author(["Por Diêgo Holanda, G1 RO", "— Porto Velho", "04/03/2024 10h00"]) == "Diêgo Holanda"


def test_and_inside_a_name_a_photo_credit_or_a_sentence_adds_no_author():
    assert person_name("By Jane Roe, Marks and Spencer") == "Jane Roe"
    # The byline names two; a photo credit's names and a sentence's "and" add no one.
    header = ["Foto:", "Lena Holm", ",", "Ole Berg", "Von Anna Schmidt und Jan Müller", "04.03.2024"]
    sentence = "Anna Schmidt und Jan Müller trafen die Direktorin der Bibliothek am Montag im neuen Lesesaal."
    assert _dump_author(header, [sentence, *PARAGRAPHS]) == "Anna Schmidt, Jan Müller"


# --- HTML pages ----------------------------------------------------------------------------------

_PAGE = """<!doctype html><html lang="en"><head><title>Library reopens after roof repairs - Valley Post</title>
{head}</head><body><h1>Library reopens after roof repairs</h1>{byline}<p>{p0}</p><p>{p1}</p><p>{p2}</p>
</body></html>"""


def _html_author(head: str = "", byline: str = "") -> str | None:
    page = _PAGE.format(head=head, byline=byline, p0=PARAGRAPHS[0], p1=PARAGRAPHS[1], p2=PARAGRAPHS[2])
    (article,) = ingest_text(page, fmt="html", source=SOURCE, rel_path="library.html")
    return article.author


def test_meta_tags_naming_one_author_each_give_them_all():
    assert _html_author('<meta name="author" content="Anna Smith"><meta name="author" content="John Doe">') \
        == "Anna Smith, John Doe"
    head = ('<meta property="article:author" content="Anna Smith">'
            '<meta property="article:author" content="https://www.facebook.com/valleypost">'
            '<meta property="article:author" content="John Doe">')
    assert _html_author(head) == "Anna Smith, John Doe"
    # (a later tag naming an outlet, not a person, is no co-author)
    assert _html_author('<meta name="author" content="Anna Smith"><meta name="author" content="Valley Post">') \
        == "Anna Smith"
    assert _html_author('<meta name="author" content="Anna Smith and John Doe">') == "Anna Smith, John Doe"
    # Many tags are a list of people (a CMS's every contributor), not the byline: the first name.
    head = "".join(f'<meta name="author" content="{first} {last}">' for first, last in zip(
        "Anna John Ann Tom Lena Ole Marta Jan Olga Ivan Eva Karl".split(),
        "Smith Doe Poe Roe Holm Berg Kühn Lind Berg Petrov Stone Marx".split()))
    assert _html_author(head) == "Anna Smith"


def test_json_ld_authors_give_the_people_not_the_outlet_and_win_over_one_meta_author():
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Library reopens after roof repairs",
          "author": [{"@type": "Person", "name": "Anna Smith"}, {"@type": "Person", "name": "John Doe"},
                     {"@type": "Organization", "name": "Valley Post"}]}
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    assert _html_author(script) == "Anna Smith, John Doe"
    assert _html_author('<meta name="author" content="Anna Smith">' + script) == "Anna Smith, John Doe"


def test_a_byline_box_of_several_links_gives_every_name():
    byline = ('<div class="byline">By <a rel="author" href="/staff/smith">Anna Smith</a> and '
              '<a rel="author" href="/staff/doe">John Doe</a></div>')
    assert _html_author(byline=byline) == "Anna Smith, John Doe"
    byline = ('<p class="article-meta-author">By <a href="/staff/smith">Anna Smith</a> <span>and</span> '
              '<a href="/staff/doe">John Doe</a></p>')
    assert _html_author(byline=byline) == "Anna Smith, John Doe"
    # A name an element, the agency after the last; a byline element each, side by side.
    byline = '<div class="author"><span>Paul Wiseman</span><span>Fatima Hussein, The Associated Press</span></div>'
    assert _html_author(byline=byline) == "Paul Wiseman, Fatima Hussein"
    byline = '<p><span class="author">Anna Smith</span> <span class="author">John Doe</span></p>'
    assert _html_author(byline=byline) == "Anna Smith, John Doe"
    # (the role beside the name is still no co-author)
    byline = '<div class="byline"><a href="/staff/blume">Howard Blume</a><span>Staff Writer</span></div>'
    assert _html_author(byline=byline) == "Howard Blume"


@pytest.mark.parametrize("label", ["Son Güncelleme", "Last Update", "Zuletzt Aktualisiert"])
def test_a_fields_label_before_its_date_names_no_one(label):
    # "Son Güncelleme : 30.04.2024 - 16:49" (Turkish: last updated) reads like "Name : date"
    assert person_name(f"{label} : 30.04.2024 - 16:49") is None
    assert _dump_author(["30.04.2024 - 16:48", f"{label} : 30.04.2024 - 16:49"]) is None


def test_bare_names_one_a_line_over_their_date_are_one_byline():
    names = ["Anna Smith", "John Doe", "Ann Poe"]
    assert _dump_author(names + ["4 March 2024, 17:47"]) == "Anna Smith, John Doe, Ann Poe"


@pytest.mark.parametrize("credit", ["Dana Omarova/Getty Images", "Dana Omarova / REUTERS", "Dana Omarova/Steppe Photos"])
def test_a_photographers_credit_with_the_agency_after_a_slash_is_no_byline(credit):
    assert _dump_author(["The canal at the northern reservoirs in March.", credit, "4 March 2024"]) is None
