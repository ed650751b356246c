"""A page is cut into dated items only on item dates, never on dates inside one article.

The pages here are written for these tests (an invented outlet and invented stories), shaped the
way a scraper's get_text() leaves a page: embedded posts, photo captions and a comment section
state dates of their own inside one article.
"""
from __future__ import annotations

import pytest

from searchapp.ingest.pipeline import ingest_text
from searchapp.models import SourceConfig
from tests.test_dumps import CHROME_END, MENU, PARAGRAPHS_EN, TITLE_EN

SOURCE = SourceConfig(name="steppe-courier", display_name="steppe-courier")
HEAD = [f"{TITLE_EN} | Steppe Courier"] + MENU + [TITLE_EN, "Dana Omarova", "14 March 2024"]
# Comments long enough that the article is not nearly all the prose of the page.
COMMENTS = [
    "We have waited for this canal since my father farmed here, and every spring the same promise comes back "
    "from the capital with a new date on it. I will believe it when the water reaches our fields.",
    "Two years late and not a tenge more in the budget? Somebody should ask the contractor what the guarantee "
    "actually covers, because the pumping stations are still not connected to anything at all.",
    "The soil along the old riverbed was known to be soft for decades; every driver on the northern road could "
    "have told the engineers that before the first survey was ever paid for by the authority.",
]


def _articles(lines: list[str]):
    return ingest_text("\n\n".join(lines), fmt="txt", source=SOURCE, rel_path="story.txt")


def _one_article(lines: list[str]):
    articles = _articles(lines)
    assert len(articles) == 1, [a.title for a in articles]
    return articles[0]


def test_dates_of_embedded_posts_do_not_cut_the_article():
    # A tweet embed ends with "— Name (@handle)" and its date on the next line, or on the same one.
    lines = HEAD + PARAGRAPHS_EN[:2] + [
        "The canal is ready for water once the locks are tested. Spring it is!", "#canal",
        "— Steppe Water Authority (@steppe_water)", "March 12, 2024"] + PARAGRAPHS_EN[2:4] + [
        "Forty cubic metres a second: that is a lot of wheat.",
        "— Dana Omarova (@dana_omarova) March 13, 2024"] + PARAGRAPHS_EN[4:] + CHROME_END
    a = _one_article(lines)
    assert a.title == TITLE_EN
    assert all(p in a.body for p in PARAGRAPHS_EN)


@pytest.mark.parametrize("heading", ["Reader Comments", "Leserpost (3)", "Комментарии"])
def test_dates_in_the_comment_section_do_not_cut_the_article(heading):
    lines = HEAD + PARAGRAPHS_EN + [heading, "Aigerim K.", "·", "2024-03-14T18:02:00Z", COMMENTS[0],
                                    "Bolat", "·", "2024-03-15T07:40:11Z", COMMENTS[1],
                                    "Old driver", "·", "2024-03-16T21:15:00Z", COMMENTS[2]] + CHROME_END
    a = _one_article(lines)
    assert a.title == TITLE_EN
    assert all(p in a.body for p in PARAGRAPHS_EN)


def test_a_caption_ending_with_its_date_does_not_cut_the_article():
    lines = HEAD + PARAGRAPHS_EN[:2] + [
        "Engineers of the authority, photographed by a reader while at the northern reservoir on March 1, 2024"] \
        + PARAGRAPHS_EN[2:] + ["Related news"] + COMMENTS + CHROME_END
    a = _one_article(lines)
    assert a.title == TITLE_EN
    assert all(p in a.body for p in PARAGRAPHS_EN)


def test_a_date_in_a_sentence_a_link_cut_does_not_cut_the_article():
    # "... published in the" / link "Steppe Water Bulletin of 15 April 2020" / ". The authority ...":
    # the next line goes on with the sentence, so the date is inside the text.
    lines = HEAD + PARAGRAPHS_EN[:2] + [
        "The figures behind the delay were published this spring in the", "Steppe Water Bulletin of 15 April 2020",
        ". The authority counts the days from the first survey, and its engineers expect the locks to be tested "
        "before the first irrigation season."] + PARAGRAPHS_EN[2:] + ["Related news"] + COMMENTS + CHROME_END
    a = _one_article(lines)
    assert a.title == TITLE_EN
    assert all(p in a.body for p in PARAGRAPHS_EN)


def test_a_blog_listing_with_a_comment_link_under_every_item_is_still_cut_into_items():
    # "Leave a comment" under every post is no comment section: the posts are items.
    lines = ["Steppe Courier blog"]
    for k, (day, para) in enumerate(zip((12, 13, 14), PARAGRAPHS_EN)):
        lines += [f"Canal diary, part {k + 1}", f"Posted on March {day}, 2024", para, "Leave a comment"]
    articles = _articles(lines)
    assert [a.published_raw for a in articles] == ["March 12, 2024", "March 13, 2024", "March 14, 2024"]
    assert [a.body[0] for a in articles] == PARAGRAPHS_EN[:3]


def _blog(menu: list[str], over_date: list[str]) -> list[str]:
    """Return a blog page's lines: its menu, then three posts of heading, `over_date` lines, date, paragraph."""
    lines = ["Steppe Courier blog", *menu]
    for k, (day, para) in enumerate(zip((12, 13, 14), PARAGRAPHS_EN)):
        lines += [f"Canal diary, part {k + 1}", *over_date, f"March {day}, 2024", para]
    return lines


def test_a_listing_whose_bylines_name_a_handle_is_still_cut_into_items():
    # "Dana Omarova (@dana_o)" over each post's date is a byline, not an embedded tweet's "— Name (@handle)".
    articles = _articles(_blog([], ["Dana Omarova (@dana_o)"]))
    assert [a.published_raw for a in articles] == ["March 12, 2024", "March 13, 2024", "March 14, 2024"]


def test_a_listing_under_a_menu_naming_comments_is_still_cut_into_items():
    # "Comments" in the menu above the posts is no comment section: the posts' dates stay item dates.
    articles = _articles(_blog(["Home", "Archive", "Comments", "About"], []))
    assert [a.published_raw for a in articles] == ["March 12, 2024", "March 13, 2024", "March 14, 2024"]


def test_a_bracket_or_bullet_above_an_items_date_is_no_title():
    # A link's "[" or a bullet left on its own line between a post's heading and its date.
    articles = _articles(_blog([], ["["]))
    assert [a.published_raw for a in articles] == ["March 12, 2024", "March 13, 2024", "March 14, 2024"]
    assert [a.title for a in articles] == ["Canal diary, part 1", "Canal diary, part 2", "Canal diary, part 3"]
    assert [a.body for a in articles] == [[p] for p in PARAGRAPHS_EN[:3]]
