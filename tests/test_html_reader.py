"""Tests for the HTML reader: main text, metadata, dates, listings, and never raising."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from searchapp.config import Settings
from searchapp.ingest.html import parse_html, read_html
from searchapp.ingest.html_clean import clean_blocks
from searchapp.ingest.html_dates import find_page_date, find_publication_date
from searchapp.ingest.html_meta import clean_title, read_meta

FIXTURES = Path(__file__).parent / "fixtures" / "html"
SETTINGS = Settings()


def _read(name: str):
    return read_html((FIXTURES / name).read_text(encoding="utf-8"), SETTINGS)


def _meta(html: str):
    root = parse_html(html, SETTINGS)
    assert root is not None
    return root, read_meta(root)


# --- article page ----------------------------------------------------------

def test_article_page_gives_one_draft_with_metadata():
    [d] = _read("article.html")
    assert d.title == "Harbour bridge reopens after repairs"
    assert d.url == "https://courier.example/2021/03/04/harbour-bridge-reopens"
    assert d.author == "Mary Jones"
    assert d.section == "Local news"
    assert d.source_name == "The Coastal Courier"
    assert d.language == "en"
    # the publication date, not the modified date nor the WebSite's founding date
    assert d.date_raw.startswith("2021-03-04")
    assert d.date_provenance == "jsonld:datePublished"
    assert d.item == 0


def test_article_page_keeps_prose_in_order_and_drops_boilerplate():
    [d] = _read("article.html")
    text = "\n".join(d.blocks)
    order = ["The harbour bridge reopened", "Engineers replaced", "Delays for ferry passengers",
             "During the closure", "We are relieved", "Speed limit on the bridge", "final inspection"]
    positions = [text.index(s) for s in order]
    assert positions == sorted(positions)
    for junk in ("Skip to Content", "cookies", "Share on", "newsletter", "Related stories",
                 "Ferry fares rise", "All rights reserved", "tracking comment", "color: #333", "Sport"):
        assert junk not in text, junk
    assert "Harbour bridge reopens after repairs" not in d.blocks   # title only in Draft.title
    assert all(b == " ".join(b.split()) for b in d.blocks)          # whitespace normalised


def test_listing_page_splits_into_dated_items():
    drafts = _read("listing.html")
    assert [d.item for d in drafts] == [0, 1, 2]
    assert [d.title for d in drafts] == ["Neue Schule im Oberdorf eröffnet",
                                         "Bergbahn beendet die Sommersaison früher",
                                         "Dorffest lockt so viele Gäste wie nie"]
    assert [d.date_raw for d in drafts] == ["2022-09-05", "2022-09-02", "2022-08-29"]
    assert drafts[0].url == "https://talbote.example/nachrichten/neue-schule-eroeffnet"
    assert "Oberdorf bezogen" in drafts[0].blocks[0]
    assert all(d.source_name == "Talbote" and d.language == "de" for d in drafts)


def test_article_with_related_teasers_is_not_split():
    drafts = _read("related.html")
    assert len(drafts) == 1
    assert drafts[0].title == "Council approves new cycle lanes"
    text = " ".join(drafts[0].blocks)
    assert "four new protected cycle lanes" in text and "review the scheme" in text


# --- metadata helpers --------------------------------------------------------

@pytest.mark.parametrize("raw, site, expected", [
    ("Harbour bridge reopens | The Coastal Courier", "The Coastal Courier", "Harbour bridge reopens"),
    ("The Coastal Courier - Harbour bridge reopens", "The Coastal Courier", "Harbour bridge reopens"),
    ("Harbour bridge reopens – Courier", None, "Harbour bridge reopens"),
    ("Harbour bridge reopens", None, "Harbour bridge reopens"),
    # the page names its site, and the title's capitalised end is not it: the headline's own words
    ("Bericht: Brücke gesperrt - Hafenamt Widerspricht", "The Coastal Courier",
     "Bericht: Brücke gesperrt - Hafenamt Widerspricht"),
    # ...while a part that is plainly a site still goes, whatever the page calls itself
    ("Harbour bridge reopens - Coastal News", "The Coastal Courier", "Harbour bridge reopens"),
    ("Harbour bridge reopens | coastal-courier.com", "Courier Media Group", "Harbour bridge reopens"),
    ("Skip to Content", None, None),
    ("12.03.2019", None, None),
    ("March 4, 2021", None, None),
    ("   ", None, None),
])
def test_clean_title(raw, site, expected):
    assert clean_title(raw, site) == expected


@pytest.mark.parametrize("head, body, expected", [
    ('<meta property="article:published_time" content="2020-05-01T10:00:00Z">'
     '<meta property="article:modified_time" content="2020-06-01T10:00:00Z">', "", "meta:article:published_time"),
    ("", '<p>Posted <time itemprop="datePublished" datetime="2018-02-03">3 Feb</time></p>', "time[datetime]"),
    ('<link rel="canonical" href="https://x.example/news/2017/08/09/a-story">', "<p>No date in text.</p>", "url"),
])
def test_publication_date_provenance(head, body, expected):
    root, pm = _meta(f"<html><head>{head}</head><body>{body}</body></html>")
    raw, provenance = find_publication_date(root, pm)
    assert provenance == expected
    assert raw and raw[:4] in ("2020", "2018", "2017")


def test_copyright_year_is_not_a_publication_date():
    root, pm = _meta("<html><body><p>Some text without any date.</p><footer>© 2015 Example</footer></body></html>")
    raw, provenance = find_publication_date(root, pm)
    assert raw is None or "2015" not in raw


def test_meta_reads_author_section_language_from_markup():
    html = ('<html lang="ru-RU"><head><meta property="og:locale" content="en_US"></head><body>'
            '<ol class="breadcrumb"><li><a href="/">Главная</a></li><li><a href="/politics">Политика</a></li></ol>'
            '<h1>Заголовок статьи</h1><span class="author-name">Иван Петров</span><p>Текст.</p></body></html>')
    _, pm = _meta(html)
    assert pm.language == "ru"
    assert pm.section == "Политика"
    assert pm.author == "Иван Петров"
    assert pm.title == "Заголовок статьи"


@pytest.mark.parametrize("people", [
    # the article's people in JSON-LD authors typed Person
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour bridge reopens", '
    '"author": [{"@type": "Person", "name": "Dana Omarova"}]}</script>',
    # ...or in article:author, after a name=author tag holding the publisher
    '<meta property="article:author" content="Dana Omarova">',
])
def test_a_publisher_in_the_author_tag_gives_way_to_the_people_named(people):
    html = ('<html><head><meta name="author" content="Coastal Media Group">'
            '<meta name="copyright" content="Copyright (c) Coastal Media Group 2024">'
            f'<meta property="og:site_name" content="The Coastal Courier">{people}</head>'
            '<body><h1>Harbour bridge reopens</h1><p>Text.</p></body></html>')
    assert _meta(html)[1].author == "Dana Omarova"


def test_a_publisher_in_the_author_tag_stays_when_no_one_else_is_named():
    html = ('<html><head><meta name="author" content="The Coastal Courier">'
            '<meta property="og:site_name" content="The Coastal Courier"></head>'
            '<body><h1>Harbour bridge reopens</h1><p>Text.</p></body></html>')
    assert _meta(html)[1].author == "The Coastal Courier"


def test_page_capture_date_from_saving_tool():
    head = "<!--\n Page saved with SingleFile \n url: https://x.example/a \n saved date: Tue Mar 07 2023 10:00:00 -->"
    assert find_page_date(head) == "Tue Mar 07 2023 10:00:00"
    assert find_page_date("<html><body>nothing</body></html>") is None


@pytest.mark.parametrize("blocks, kept", [
    (["Real paragraph of the story, long enough.", "Share this article", "23.10.2018", "3:59 PM"],
     ["Real paragraph of the story, long enough."]),
    (["One.", "Two.", "Three.", "Read more", "Other story one", "Other story two"], ["One.", "Two.", "Three."]),
    (["© 2020 Example Ltd. All rights reserved", "Photo credit: AP", "Body text stays."], ["Body text stays."]),
    # a long paragraph that merely starts like a widget stays
    (["Share prices fell sharply on Monday as investors weighed the latest inflation figures from the "
      "statistics office, which came in above expectations for the third month in a row."], None),
])
def test_clean_blocks(blocks, kept):
    out, removed = clean_blocks(blocks)
    assert out == (blocks if kept is None else kept)
    assert len(out) + len(removed) == len(blocks)


# --- robustness -----------------------------------------------------------------

@pytest.mark.parametrize("html", [
    "",
    "   \n ",
    "plain text, no tags at all",
    "<html><head><title>Only a head</title></head></html>",
    "<p>unclosed <b>bold <i>italic <div>mess",
    "<html><body><p>Truncated page with a paragraph of text that stops in the mid",
    '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>Declared XML.</p></body></html>',
    "<html>\x00\x01\x02<body><p>control chars</p></body></html>",
    "<script>var x = '<p>not text</p>';</script>",
    "<html><body>" + "<div>" * 100_000 + "<p>deep</p>" + "</div>" * 100_000 + "</body></html>",
    "<html><body><p title='" + "x" * 5_000_000 + "'>Huge attribute value.</p></body></html>",
    '<html><head><script type="application/ld+json">{"@graph": [' + "[" * 5000 + "]" * 5000 + "]}</script></head></html>",
    '<html><head><script type="application/ld+json">{not json at all</script></head><body><p>x</p></body></html>',
])
def test_hostile_input_never_raises(html):
    drafts = read_html(html, SETTINGS)
    assert isinstance(drafts, list)
    for d in drafts:
        assert all(isinstance(b, str) and b for b in d.blocks)
        assert "not text" not in " ".join(d.blocks)


def test_element_cap_bounds_work():
    html = "<html><body>" + "<p>word</p>" * 5000 + "<p>LAST PARAGRAPH</p></body></html>"
    capped = read_html(html, SETTINGS.replace(max_html_elements=1000))
    assert "LAST PARAGRAPH" not in " ".join(b for d in capped for b in d.blocks)
    root = parse_html(html, SETTINGS.replace(max_html_elements=1000))
    assert sum(1 for _ in root.iter()) <= 1000


def test_page_without_body_text_gives_no_draft():
    assert read_html("<html><head><title></title></head><body></body></html>", SETTINGS) == []


@hsettings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdpihtmlbodyscript&;#x0123\n\x00-!?[]{}")), max_size=400))
def test_never_raises_on_tag_soup(text):
    assert isinstance(read_html(text, SETTINGS), list)


@hsettings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_any_text(text):
    assert isinstance(read_html(text, SETTINGS), list)


# --- the headline among a page's title candidates --------------------------------

_PAGE = """<html><head><title>{title}</title>{meta}</head><body>{body}
<p>The harbour bridge reopened on Monday after eight months of repairs to its deck and cables.</p></body></html>"""


def _title(title: str, body: str, meta: str = "") -> str | None:
    return _meta(_PAGE.format(title=title, meta=meta, body=body))[1].title


def test_a_logo_h1_is_not_the_headline_when_a_later_h1_is_the_titles():
    body = "<h1>POLITICO Politico Logo</h1><h1>Grim global outlook for finance ministers' meetings</h1>"
    assert _title("Grim global outlook for finance ministers' meetings - POLITICO", body) \
        == "Grim global outlook for finance ministers' meetings"


def test_a_section_og_title_gives_way_to_the_headline_the_title_states():
    meta = '<meta property="og:title" content="Allergies Health Center">'
    body = "<h1>Babies Who Eat Peanuts Early May Avoid Allergy</h1>"
    assert _title("Babies Who Eat Peanuts Early May Avoid Allergy | WebMD", body, meta) \
        == "Babies Who Eat Peanuts Early May Avoid Allergy"


def test_an_og_title_of_headline_length_stays_when_the_title_words_the_story_otherwise():
    # The <title> is worded for search engines, og:title and the <h1> for readers: no candidate agrees.
    meta = '<meta property="og:title" content="The Adorable Reason You Can Set Your Alert Sound to Hummus">'
    body = "<h1>The Adorable Reason You Can Set Your Alert Sound to Hummus</h1>"
    assert _title("Why Does Slack Say Hummus? - The Forward", body, meta) \
        == "The Adorable Reason You Can Set Your Alert Sound to Hummus"


def test_a_japanese_title_loses_the_outlet_its_colon_joins_without_a_space():
    # No spaced separator: the HTML reader's own split never cut it, and the <title>, not the
    # one-word <h1>, chose the headline.
    body = "<h1>北の運河が春に開通した</h1>"
    assert _title("北の運河が春に開通した：IPA 独立行政法人 草原情報機構", body) == "北の運河が春に開通した"
    assert _title("首相：「運河は春に開通」と表明", "<h1>首相：「運河は春に開通」と表明</h1>") == "首相：「運河は春に開通」と表明"


@pytest.mark.parametrize(("stated", "author"), [
    ("Emily Burack 8 January 2020, 3:51 pm 11 Edit", "Emily Burack"),
    ("lupa am 26/10/13, 03:48 pm", "lupa"),
    ("Geschrieben vonElisa Marvena", "Elisa Marvena"),
    ("John Walk - January 10, 2020 21 minutes - 4312 words", "John Walk"),
    ("Art Edwards says:", None),      # a comment's author
    ("Name *", None),                 # a comment form's field
    ("dpa/lno", "dpa/lno"),
    ("Nguyen Le 8 March 2024", "Nguyen Le"),
])
def test_an_author_field_gives_the_name_not_the_date_or_the_form_around_it(stated, author):
    meta = f'<meta name="author" content="{stated}">'
    assert _meta(_PAGE.format(title="Harbour bridge reopens - Courier", meta=meta, body=""))[1].author == author


def test_a_byline_box_gives_its_name_not_the_role_beside_it():
    body = '<div class="byline"><a href="/staff/blume">Howard Blume</a><span>Staff Writer</span></div>'
    assert _meta(_PAGE.format(title="Harbour bridge reopens - Courier", meta="", body=body))[1].author \
        == "Howard Blume"


def test_a_bare_year_htmldate_guesses_is_no_date_unless_the_page_states_that_day():
    # htmldate's last resort reads a bare year as 1 January ("est. 2004" gave 2004-01-01).
    page = ("<html><head><title>Harbour bridge reopens - Courier</title></head><body><h1>Harbour bridge reopens</h1>"
            "<p>The harbour bridge reopened on Monday after eight months of repairs to its deck and cables.</p>"
            "<p>Traffic was light in the morning and heavier by the evening, when commuters came back.</p>"
            "<footer>{foot}</footer></body></html>")
    [guess] = read_html(page.format(foot="Courier Media, est. 2004. Release 2022 of our site."), SETTINGS)
    assert guess.date_raw is None
    [stated] = read_html(page.format(foot="Published 1 January 2004. Courier Media, est. 2004."), SETTINGS)
    assert stated.date_raw is not None and stated.date_raw.startswith("2004")


def test_a_byline_the_markup_does_not_mark_is_read_from_the_lines_under_the_headline():
    page = ("<html><head><title>Harbour bridge reopens - Courier</title></head><body>"
            "<nav><a href='/'>Home</a><a href='/city'>City</a></nav><h1>Harbour bridge reopens</h1>"
            "<div><span>By</span> <a href='/people/roe'>Jane Roe</a></div><div>4 March 2024</div>"
            "<article><p>The harbour bridge reopened on Monday after eight months of repairs to its deck and cables, "
            "the city said in a statement.</p><p>Traffic was light in the morning and heavier by the evening, when "
            "commuters came back from the port and the market.</p></article>"
            "<aside><h2>More</h2><p>Written by Max Mustermann</p></aside></body></html>")
    [draft] = read_html(page, SETTINGS)
    assert draft.author == "Jane Roe"
