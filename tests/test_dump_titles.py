"""The title of a text dump is the article's headline, never a link, a section or a site name.

The pages here are written for these tests (an invented outlet and invented stories), shaped the
way a scraper's get_text() leaves a page; tests/test_dumps.py holds the rest of the dump tests.
"""
from __future__ import annotations

import pytest

from searchapp.ingest import dump_clean, headline
from searchapp.ingest.headline import strip_site_name
from searchapp.ingest.pipeline import ingest_text
from searchapp.models import SourceConfig
from tests.test_dumps import CHROME_END, MENU, PARAGRAPHS_EN, PARAGRAPHS_RU, TITLE_EN

SOURCE = SourceConfig(name="steppe-courier", display_name="steppe-courier")


def _title(lines: list[str]) -> str:
    (article,) = ingest_text("\n\n".join(lines), fmt="txt", source=SOURCE, rel_path="story.txt")
    return article.title


@pytest.mark.parametrize("line", [
    # a link with its arrow
    "More stories by Dana Omarova →", "Alle Artikel von Dana Omarova »", "« Previous story from the north",
    "Next story of the canal ›",
    # an advertising or affiliate notice
    "Anzeige, enthält Affiliate Links", "Sponsored: paid for by Steppe Tours", "This article contains affiliate links",
    "На правах рекламы",
])
def test_a_link_or_an_advertising_notice_is_not_the_headline(line):
    # An author box between the headline and the article ends with a link to the author's other
    # stories or an advertising notice; that line sits nearest the article but is no heading.
    lines = MENU[:10] + [TITLE_EN, "14 March 2024", "Dana Omarova", "Water and farming", "Instagram:",
                         "@dana.omarova", "Website:", "www.steppe-courier.kz", line] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == TITLE_EN


@pytest.mark.parametrize("line", [
    # a button or link telling the reader to act, with its object
    "Follow Dana Omarova on Twitter", "View PDF/Print Mode", "Show more sharing options", "Listen to this article",
    "Подписывайтесь на наш канал в Telegram",
])
def test_a_button_telling_the_reader_to_act_is_not_the_headline(line):
    # Between the byline and the article, the nearest short line to the text; the headline
    # stands higher, over the share buttons and the byline.
    lines = MENU[:10] + [TITLE_EN, "Share", "Comments", "By", "Dana Omarova", "March 14, 2024", line, "water",
                         "farming"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == TITLE_EN


@pytest.mark.parametrize("title", ["Follow the money: who pays for the canal", "Open letter to the water minister"])
def test_a_headline_that_starts_like_a_button_stays_a_headline(title):
    lines = MENU[:10] + [title, "By", "Dana Omarova", "14 March 2024"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == title


def test_a_long_headline_beats_the_section_label_above_its_date():
    # A 27-word headline with its byline under it; the section label above the date is a short
    # heading too, but it is not the headline.
    head = ("Water and farming news of the week: the canal opens in spring, the bazaar raises prices again, "
            "and how the northern districts already share their wells")
    assert 26 <= len(head.split()) <= 30
    lines = MENU + ["Water and Farming", "•", "14 March 2024", head, "By :", "Dana O."] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == head


@pytest.mark.parametrize("raw, expected", [
    # Chinese and Japanese titles join their parts without spaces
    ("北方水渠明年春天正式通水_经济频道_草原信使网", "北方水渠明年春天正式通水"),
    ("北方水渠明年春天正式通水｜草原信使", "北方水渠明年春天正式通水"),
    ("北方水渠明年春天正式通水", "北方水渠明年春天正式通水"),
    # an underscore inside a headline whose site the spaced separator names stays
    ("北方水渠_明年春天正式通水 - 草原信使", "北方水渠_明年春天正式通水"),
    # a bracketed name closing the title is the site's
    ("Water canal to open in spring, two years late [Steppe Courier]", "Water canal to open in spring, two years late"),
    ("Канал откроют весной, говорят инженеры [Степной курьер]", "Канал откроют весной, говорят инженеры"),
    ("[Review] Canal [Steppe Courier]", "[Review] Canal [Steppe Courier]"),   # too short a headline to cut
    # a wiki, blog or forum is a site even after a one-word headline
    ("Irrigation - Steppe Water Wiki", "Irrigation"),
    ("Kanalbau | Steppen-Blog", "Kanalbau"),
    ("Полив - Степной форум", "Полив"),
    # Japanese and Chinese titles close with their site or series in full-width brackets
    ("北の運河が春に開通　＜草原新聞　きょうのニュース＞", "北の運河が春に開通"),
    ("北方水渠明年春天正式通水【草原信使】", "北方水渠明年春天正式通水"),
    ("【速報】北方水渠明年春天正式通水", "【速報】北方水渠明年春天正式通水"),   # a label opening it stays
    ("運河＜草原新聞＞", "運河＜草原新聞＞"),   # too short a headline to cut
    # full-width separators with spaces, and a colon before an outlet's name
    ("北の運河が春に開通、組合が発表 ｜ 草原新聞", "北の運河が春に開通、組合が発表"),
    ("北の運河が春に開通、組合が発表 ： 草原新聞デジタル", "北の運河が春に開通、組合が発表"),
    ("北の運河が春に開通、組合が発表 － Steppe", "北の運河が春に開通、組合が発表"),
    ("北の運河が春に開通、組合が発表：草原新聞デジタル", "北の運河が春に開通、組合が発表"),
    ("北の運河が春に開通、組合が発表：IPA 草原情報機構", "北の運河が春に開通、組合が発表"),
    ("北方水渠明年春天正式通水：草原信使网", "北方水渠明年春天正式通水"),
    ("北の運河が春に開通、組合が発表 | 草原テック（そうげんテック）", "北の運河が春に開通、組合が発表"),
    ("北の運河が春に開通 - 草原新聞 | 経済", "北の運河が春に開通"),
    # a colon inside a Japanese headline stays: a speaker and a quote, a label, a sentence after it
    ("運河組合長：「春に開通させる」", "運河組合長：「春に開通させる」"),
    ("首相：「運河は春に開通」と表明", "首相：「運河は春に開通」と表明"),
    ("特集：北の運河が春に開通する理由", "特集：北の運河が春に開通する理由"),
    ("北の運河が春に開通：組合のニュース", "北の運河が春に開通：組合のニュース"),
    ("海外留学生看两会：出国前后关注点大不同_教育频道_草原青年网", "海外留学生看两会：出国前后关注点大不同"),
    # a region's tag in brackets before the outlet's name goes with it
    ("北の運河が春に開通、組合が発表 [北海道]：草原新聞デジタル", "北の運河が春に開通、組合が発表"),
])
def test_site_parts_are_cut_from_titles(raw, expected):
    assert strip_site_name(raw) == expected


def test_a_section_the_page_title_names_beside_the_site_is_not_the_headline():
    # "Headline - Section - Site": the section's menu item repeats a part of the <title>, the <h1>
    # words the headline a little differently; the section is the site's side, not the headline.
    h1 = "Canal to open in spring, two years late"
    lines = ["Canal opens in spring - Water and Farming - Steppe Courier", "Steppe Courier", "Home", "Politics",
             "Water and Farming", "Society", "Farmers ask for faster payments after dry summer", h1,
             "14 March 2024, 09:12"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == h1


def test_the_page_titles_headline_below_a_misjudged_start_is_the_title():
    # The line model took a login form's sentence for the article's first paragraph (`start`);
    # the <h1> repeating the <title>'s headline is further down, above the article's text.
    head = "Canal opens in spring after a two-year delay"
    lines = [f"{head} | Steppe Courier", "LOG IN TO YOUR ACCOUNT", "Email", "Forgot your password?",
             "Enter your email address below and we will send you your username", "Close",
             "If the address matches an existing account you will receive an email with your username.",
             "Close", "Home", "Politics", "Economy", "Water and Farming", "14 March 2024", head, "Dana Omarova"] \
        + PARAGRAPHS_EN + CHROME_END
    rule = [None] * len(lines)
    start = 6
    end = len(lines) - len(CHROME_END) - 1
    title_at, _, _ = dump_clean._find_title(lines, rule, start, start, end)
    assert lines[title_at] == head
    # below the article's last line the <title>'s words are a teaser in a list, not its headline
    title_at, _, _ = dump_clean._find_title(lines, rule, start, start, 12)
    assert title_at != 13


def test_a_logo_that_repeats_two_end_parts_of_the_page_title_is_the_site():
    # "Headline - Blog - Platform": the page shows "Blog - Platform" as its logo a few lines down
    # (below a toolbar), the headline above the article; the logo is not the title.
    lines = ["Canal Locks - Water Notes - Steppe Blogs", "Steppe Blogs", "Share on", "Edit", "History", "Tags",
             "Source", "Explore »", "Water Notes - Steppe Blogs", "Create account", "or", "Sign in"] + MENU[1:10] \
        + ["Canal Locks", "Dana Omarova"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == "Canal Locks"


def test_the_h1_going_on_from_a_kicker_that_repeats_the_page_title_is_the_headline():
    # "Compost Bins | site": the kicker repeats the <title>, the <h1> under it goes on from it.
    lines = ["Compost Bins | steppe-courier.kz"] + MENU[:10] + [
        "Compost Bins", "Compost bins you can build on a balcony", "Steppe Home and Garden", "14 March 2024"] \
        + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == "Compost bins you can build on a balcony"


def test_a_word_an_inline_link_cut_out_of_a_sentence_is_not_the_headline():
    # "... In a" / "balcony compost" (a link) / "bin worms turn them ...": the link's words repeat
    # the <title> and sit nearer the article's start than the <h1>, but they are part of a sentence.
    lines = ["Balcony Compost | steppe-courier.kz"] + MENU[:10] + [
        "Balcony Compost", "Home and Garden", "14 March 2024", "Dana Omarova", PARAGRAPHS_EN[0],
        "Kitchen scraps need not go to the landfill. In a", "balcony compost",
        "bin worms turn them into fine humus within weeks of the first feeding."] + PARAGRAPHS_EN[1:] + CHROME_END
    assert _title(lines) == "Balcony Compost"


def test_a_line_going_on_from_a_comma_or_a_cut_by_is_not_the_headline():
    # The article's own run of lines: its title, a credit cut by links ("Notes prepared by" /
    # "Aigul Serikova," / "Steppe State University"), then the text; no piece of the credit is the headline.
    lines = ["Irrigation notebook", "Notes prepared by", "Aigul Serikova,", "Steppe State University"] + PARAGRAPHS_EN
    at = headline.pick_headline(lines, [None] * len(lines), 4, run_from=0)
    assert lines[at] == "Irrigation notebook"


@pytest.mark.parametrize("head", ["Werbung für Zigaretten wird an Haltestellen verboten",
                                  "Реклама на телевидении будет ограничена с весны"])
def test_a_headline_about_advertising_is_still_a_headline(head):
    lines = MENU[:10] + [head, "14 March 2024", "Dana Omarova"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == head


def test_a_sentence_ending_in_a_link_and_a_lone_full_stop_is_not_the_headline():
    # "... представили проект канала" / "Северный канал" (a link) / ".": the first piece, kept as
    # the article's, is the start of a sentence, not a heading under the real one.
    head = "Канал между водохранилищами откроют весной"
    lines = ["Главная", "Новости", "Экономика", "Общество", head, "Вчера", "14 марта 2024", "by",
             "https://www.facebook.com/steppe.courier", "Власти области представили новый проект",
             "Северный канал", "."] + PARAGRAPHS_RU + ["Комментарии", "Реклама"]
    assert _title(lines) == head


def test_a_heading_sharing_no_word_with_the_article_is_another_storys():
    # Teasers of other stories (in the site's language, not the article's) sit between the
    # headline and the date; the one right above the date names nothing the article speaks of.
    head = "Канал между водохранилищами откроют весной"
    lines = ["Главная", "Новости", "Экономика", "Общество", head, "Гороскоп на неделю за всички зодии", "днес (155)",
             "14 марта 2024", "by", "https://www.facebook.com/steppe.courier"] + PARAGRAPHS_RU + ["Комментарии", "Реклама"]
    assert _title(lines) == head


PARAGRAPHS_UZ = [
    "Вилоят сув хўжалиги бошқармаси сешанба куни шаҳар шимолидаги икки сув омборини боғловчи янги канал эрта "
    "баҳорда очилишини айтди.",
    "Муҳандислар эски дарё ўзани бўйлаб тупроқ режалаштирилганидан анча юмшоқ эканини аниқлагач, жанубий қисмни "
    "қайта лойиҳалашга мажбур бўлди.",
    "Ўтган йили қурғоқчилик туфайли ҳосилнинг катта қисмини йўқотган фермерлар ҳукуматдан ишни тезроқ тугатишни "
    "сўраб келмоқда.",
    "Канал секундига қирқ куб метргача сув ўтказади ва насос станциялари уланганидан кейин ўн икки минг гектар "
    "ерни суғоради.",
    "Қишлоқ хўжалиги вазирлиги вакили лойиҳа бюджети ошмаганини, кечикиш пудратчининг ўз кафолати ҳисобидан "
    "қопланганини билдирди.",
]


def test_an_uzbek_headline_with_a_hard_sign_is_in_the_articles_language():
    # Uzbek writes ъ after a consonant ("маълум"), as Bulgarian does; the headline also has the
    # article's own letter қ, so it is no Bulgarian teaser, though the text under it has no ъ.
    head = "Фермерларга янги канал очилиши маълум қилинди"
    lines = ["Бош саҳифа", "Янгиликлар", "Иқтисодиёт", "Жамият", head, "14 марта 2024, 09:12"] + PARAGRAPHS_UZ \
        + ["Изоҳлар", "Реклама"]
    assert _title(lines) == head


def test_a_headline_a_link_cut_in_three_lines_is_joined_as_the_page_title_states_it():
    # "The Long Story Of" / "the Northern Canal" (a link) / ", One Of the Steppe's Oldest Waterways"
    head = "The Long Story Of the Northern Canal, One Of the Steppe's Oldest Waterways"
    lines = [head] + MENU[:10] + ["The Long Story Of", "the Northern Canal", ", One Of the Steppe's Oldest Waterways",
                                  "14 March 2024", "Dana Omarova"] + PARAGRAPHS_EN + CHROME_END
    (article,) = ingest_text("\n\n".join(lines), fmt="txt", source=SOURCE, rel_path="story.txt")
    assert article.title == head
    assert "the Northern Canal" not in article.body and article.body[-len(PARAGRAPHS_EN):] == PARAGRAPHS_EN


def test_a_wiki_tagline_is_not_the_headline():
    # "Headline - Wiki": the one-word headline is the <h1>; the tagline under it names the wiki.
    lines = ["Irrigation - Steppe Water Wiki", "Irrigation", "From Steppe Water Wiki", "Jump to:", "navigation",
             "search"] + MENU[1:10] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == "Irrigation"


def test_an_h1_nearly_the_page_title_is_the_headline_despite_a_lower_case_typo():
    # The <h1> misspells the <title>'s first word ("ll" for "Il"); a line that close to the
    # <title> is its headline, not a piece of a sentence; the standfirst under it is not.
    lines = ["Il canale del nord apre in primavera, due anni dopo il previsto - Steppe Courier"] + MENU[:10] \
        + ["ll canale del nord apre in primavera, due anni dopo il previsto",
           "Gli ingegneri hanno dovuto riprogettare la sezione meridionale dopo che i rilievi hanno trovato un suolo "
           "molle"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == "ll canale del nord apre in primavera, due anni dopo il previsto"


def test_a_sentence_cut_by_a_link_is_not_the_headline_however_like_the_page_title():
    # "In winter the canal works need little more than" / "maintenance" (a link) / ". On frost-free
    # days ...": the cut sentence shares half its words with the <title>, but it is no heading.
    head = "How do farmers prepare the canal in winter?"
    lines = ["Canal works in winter » When does the water flow?"] + MENU[:10] + [
        head, "In winter the canal works need little more than", "maintenance",
        ". On frost-free days the gates may be opened a little so that the water does not freeze in the locks."] \
        + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == head


def test_a_lower_case_byline_under_a_headline_is_no_rest_of_its_sentence():
    # "Lohnt sich ein Kanal im Garten?" / "von Dana Omarova" / date: "von" + a name is a byline.
    head = "Lohnt sich ein Kanal im Garten?"
    lines = ["Kanal im Garten - wann es sich lohnt | steppe-courier.kz"] + MENU[:10] + [
        head, "von Dana Omarova", "09.03.2022", "Der passende Kanal im Garten", "Kosten und Förderung"] \
        + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == head


def test_a_short_chinese_text_keeps_its_headline_not_its_first_paragraph():
    # Headline ending with "！", standfirst, date, one paragraph: with no spaces, a paragraph is
    # one "word" long; it ends with "。" and is the body, not the longest heading.
    head = "北方新水渠春天通水：农民终于等到了！"
    para = ("地区水务局星期二表示，连接城北两座水库的新水渠将在早春开放灌溉，比原计划晚了两年。工程师在勘测中发现旧河床的"
            "土壤比原先设想的松软得多，因此不得不重新设计南段。去年因干旱损失大部分小麦的农民几个月来一直敦促政府尽快完工。")
    lines = [head, "新水渠每秒可输水四十立方米，可灌溉约一万二千公顷农田。", "14 March 2024", para]
    (article,) = ingest_text("\n\n".join(lines), fmt="txt", source=SOURCE, rel_path="story.txt")
    assert article.title == head
    assert para in article.body


def test_a_two_word_heading_over_the_article_that_the_page_title_names_is_the_headline():
    # "What is Canal Irrigation? Definition and Meaning - Site" over an <h1> "Canal Irrigation"
    # right above the article; the same two words in the menu are no headline.
    lines = ["What is Canal Irrigation? Definition and Meaning - Steppe Glossary", "Steppe Glossary", "Canal Irrigation",
             "Dam Building", "Well Drilling"] + MENU[1:10] + ["Glossary", "Canal Irrigation", "Definition:"] \
        + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == "Canal Irrigation"


def test_a_text_opening_with_its_headline_keeps_it_over_two_words_it_contains():
    # No <title> here: the first line is the text's own headline (no site name to cut), and a
    # two-word label under it that repeats its first words is no better headline.
    lines = ["Canal works: the northern waterway at last", "Opened in:", "Canal works", "The locks and more!",
             "The Northern Canal"] + PARAGRAPHS_EN
    assert _title(lines) == "Canal works: the northern waterway at last"


@pytest.mark.parametrize("head, first, paragraphs", [
    ("Sandstorm", "The driver slowed down before the roundabout on the northern road, ready to turn past the old "
                  "fountain in front of the bridge...", PARAGRAPHS_EN),
    ("Canal diary", "The driver slowed down before the roundabout on the northern road, ready to turn past the "
                    "old fountain in front of the bridge...", PARAGRAPHS_EN),
    ("Дежавю", "Водитель притормозил перед кругом на северной дороге, собираясь объехать старый фонтан перед "
               "мостом через реку...", PARAGRAPHS_RU)])
def test_a_short_headline_over_its_date_and_the_article_is_the_title(head, first, paragraphs):
    # A page without chrome: a one- or two-word headline, its date, then the article at once. The
    # article's first paragraph (trailing off with "...", shorter than 30 words) is no headline.
    lines = [head, "14 March 2024", first] + paragraphs
    assert _title(lines) == head


def test_a_short_rubric_over_a_headline_under_the_date_is_not_the_title():
    # "PHOTO REPORT" / date / headline / article: the short first line is the rubric over the headline.
    lines = ["PHOTO REPORT", "14 March 2024", TITLE_EN] + PARAGRAPHS_EN
    assert _title(lines) == TITLE_EN


def test_a_short_headline_before_a_site_name_is_the_headline_though_the_name_is_a_line_too():
    # "Canal locks - Steppe Waterways": too short a headline to cut the name after it by length, but
    # both parts are lines of the page, the <h1> and the name over the magazine's blurb in the
    # footer; when the article's start is misjudged as that blurb, the <h1> is still the headline.
    lines = ["Canal locks - Steppe Waterways", "Home", "News", "Canal locks", "14 March 2024", "Dana Omarova"] \
        + PARAGRAPHS_EN[:2] + ["Leave a comment", "Steppe Waterways",
                               "Steppe Waterways was a magazine about canals and rivers of the steppe, in print "
                               "from 1998 to 2019, and lives on as this community site."]
    assert headline.match_page_title(lines, len(lines) - 1) == 3
    # ("Blog - Shop name", a section page: a one-word lead may be a menu item, the rule leaves it)
    lines[0], lines[3] = "Blog - Steppe Waterways", "Blog"
    assert headline.match_page_title(lines, len(lines) - 1) == len(lines) - 2


def test_a_cyrillic_teaser_between_an_english_headline_and_its_article_is_not_the_title():
    # An English article on a Russian-language site: the site's teasers sit between the headline
    # and the article; a heading with no Latin letters is not the English article's headline.
    lines = ["Steppe Courier"] + MENU[1:10] + ["politics", "14 March 2024", TITLE_EN, "By", "Львів", "Общество",
                                              "Dana Omarova", "Photo: Steppe Courier", "In",
                                              "Цены на базаре снова выросли: 819 покупателей недовольны...",
                                              "The Northern Canal"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == TITLE_EN


@pytest.mark.parametrize("chrome", [
    ["Sport", "Send us your good news"],
    ["Sport", "Yes, definitely"],   # (one word of four letters or more is enough to tell)
])
def test_chrome_between_the_headline_and_its_date_is_not_the_title(chrome):
    # Teaser or button lines of the site between the headline and its date: the line right over
    # the date shares no word with the article's first lines, so the date under it is no sign of
    # a headline; the heading above, which names what the article tells, is the headline.
    lines = MENU[:9] + [TITLE_EN] + chrome + ["14 March 2024"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == TITLE_EN


def test_a_headline_that_shares_no_word_with_its_article_keeps_its_date():
    # Guard: a headline silent about the article's first lines loses no place when nothing else
    # heads the article: the run of the article's lines opens with it.
    lines = ["Good news at last", "14 March 2024"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == "Good news at last"
    lines = ["Good news at last", "Dana Omarova"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == "Good news at last"


_SECTION_MENU = ["Swimming", "News - Swimming", "Competitions", "Dates and entries", "Results archive", "Rules",
                 "Forms", "Service", "Club finder", "Jobs", "Licences", "Education", "Contact", "Protection from abuse",
                 "Support club", "Masters", "News - Masters", "Open water", "News - Open water", "Diving",
                 "News - Diving", "Water polo", "News - Water polo", "Partners"]


def test_a_page_title_naming_a_menu_far_above_the_article_is_not_the_title():
    # A news item on a federation's section page: its <title> names the section ("Swimming - News -
    # Swimming | Federation"), which the menu repeats 20 and more lines above the article; the
    # heading with its date under it, right above the article, is the headline.
    lines = ["Swimming - News - Swimming | Steppe Swimming Federation", "Federation home"] + _SECTION_MENU \
        + ["Coming events", TITLE_EN, "Swimming", "14 March 2024", "Category: Swimming, Federation"] + PARAGRAPHS_EN \
        + CHROME_END
    assert _title(lines) == TITLE_EN


def test_a_page_title_matched_near_the_article_stays_the_title():
    # Guard: a <title> headline the page repeats within a few lines of the article is the headline,
    # whatever heading with a date sits under it (a standfirst); far above the article but with no
    # dated heading of headline length near it, the match stays too.
    lines = [f"{TITLE_EN} - Steppe Courier"] + MENU[:9] + [TITLE_EN, "Dry years are over for the north, engineers say",
                                                          "14 March 2024"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == TITLE_EN
    lines = [f"{TITLE_EN} | Steppe Courier", TITLE_EN] + _SECTION_MENU + ["Canal", "14 March 2024"] + PARAGRAPHS_EN
    assert _title(lines) == TITLE_EN


@pytest.mark.parametrize("raw, expected", [
    ("Canal works in spring » steppe-courier.kz | news from the north", "Canal works in spring"),
    ("Canal works in spring - Economy - steppe-courier.kz | all the steppe's news", "Canal works in spring"),
    # a file name is no domain
    ("Reading large files - stream.py - a tutorial for beginners", "Reading large files - stream.py - a tutorial for beginners"),
])
def test_a_domain_inside_a_page_title_ends_its_headline(raw, expected):
    # "Headline » site.eu | tagline": the domain is the site's name, and the tagline after it is
    # the site's too, though it reads as no name.
    assert strip_site_name(raw) == expected


def test_the_page_titles_headline_repeated_whole_as_a_bold_lead_in_is_the_headline():
    # The <title>'s headline comes again below the article's misjudged start (a comment list read
    # as the article), as a bold lead-in the first sentence runs on from: still the headline.
    lines = ["Canal works in spring - Steppe Courier", "Comments", "Aidos", ": when does the canal open?",
             "Dana", ": in spring, they say.", "14 March 2024", "Canal works in spring",
             "is the best news the farmers of the district have heard in years, the district head said.",
             PARAGRAPHS_EN[0]]
    assert headline.repeat_of_page_title(lines, 2, len(lines)) == 7
    # (a part of a longer <title> that runs on is words of a sentence, not its headline)
    lines[0] = "Canal works in spring: what farmers need to know - Steppe Courier"
    assert headline.repeat_of_page_title(lines, 2, len(lines)) is None


def test_a_list_of_dated_teasers_under_a_far_page_title_match_gives_no_headline():
    # Guard: the page's <title> headline far above a list of other stories, each with its date
    # under it (the article's start misjudged inside the list): a teaser is no better headline.
    teasers = ["Farmers ask for faster payments after dry summer", "12 March 2024 · Economy",
               "New bridge over the river opens to traffic", "11 March 2024 · Society",
               "Prices at the bazaar rise again as the spring begins", "10 March 2024 · Economy",
               "Wells in the northern districts run dry again", "9 March 2024 · Society"]
    lines = [f"{TITLE_EN} | Steppe Courier", TITLE_EN] + _SECTION_MENU + teasers + PARAGRAPHS_EN[:2] + teasers
    assert _title(lines) == TITLE_EN


def test_a_clean_text_opening_with_a_short_fixture_line_keeps_it_as_the_headline():
    # Guard (a BBC sport preview): "Team v Team (Sat)", the date, the ground, the kick-off time,
    # then the article. The first line's one long word is not in the article's first lines, but
    # it opens the article's run: the date under it is its own, and the ground is no headline.
    paragraphs = [
        "The home coach knows a repeat of the record win over the visitors four years ago is not on the agenda "
        "and expects a real test at the Central Stadium on Saturday afternoon.",
        "Their coach will have them very organised, he said, and they ran five tries past the French in the "
        "summer, so nobody in the squad will take them for granted this time.",
        "The line-up shows nine changes from the team which started last week, with two young players making "
        "their international debuts and three backs recalled after injury.",
    ]
    lines = ["Kazakhstan v USA (Sat)", "Saturday 16 March", "Central Stadium, Almaty", "1300 GMT"] + paragraphs
    assert _title(lines) == "Kazakhstan v USA (Sat)"


def test_a_heading_the_page_title_states_whole_keeps_its_own_dash():
    # "Headline – Second Part | Site": the <h1> states the headline with its dash; the <title> adds
    # only the site's name, so the part after the dash is the headline's, however much it reads as
    # a name.
    head = "Steppe Canal Finally Opens in Spring – How Farmers Share Water"
    lines = [f"{head} | Steppe Courier"] + MENU[:10] + [head, "14 March 2024"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == head
    # (the <title> alone still loses its site name, and a part no line states stays cut)
    lines = [f"{head} | Steppe Courier"] + MENU[:10] + ["14 March 2024"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) in (head, "Steppe Canal Finally Opens in Spring")


def test_a_kicker_and_headline_the_page_title_joins_are_not_cut_again():
    # "Kicker | Headline - site.kz": the page shows kicker and headline on two lines; their joined
    # text is the title, and its bar is not cut a second time.
    lines = ["Weekly Swim Session | Medley Pyramid with Fast Sets - STEPPE-SWIM.KZ", "Likes", "Followers", "Home",
             "Training", "Weekly Swim Session", "Medley Pyramid with Fast Sets",
             "The main set is a medley pyramid of a thousand metres, getting faster towards its end.",
             "By", "Dana Omarova", "14 March 2024"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == "Weekly Swim Session | Medley Pyramid with Fast Sets"


@pytest.mark.parametrize("line", ["MINSK, Belarus (Steppe Courier) --", "ALMATY (Steppe Courier) —",
                                  "Tools and other helpers -"])
def test_a_line_ending_with_a_dash_is_no_headline(line):
    # A dateline opening the story ("CITY (Agency) --") or a heading a link cut: no headline ends with a dash.
    assert not headline.is_candidate(line)
    assert headline.is_candidate(line.rstrip(" -—") + " opens")


def test_a_headline_a_link_cut_into_five_lines_is_joined():
    # "Editor's Letter:" / "goodbye" / "Old Courier" / ", hello" / "New Courier!": the <title> joins the pieces.
    head = "Editor's Letter: goodbye Old Courier, hello New Courier!"
    lines = [head, "Skip to content", "Main navigation", "Menu", "Trends", "Looks", "Dana Omarova", "14 March 2024",
             "Feelings", "Editor's Letter:", "goodbye", "Old Courier", ", hello", "New Courier!"] \
        + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == head


def test_a_menu_item_the_page_title_names_gives_way_to_the_dated_heading_above_the_article():
    # "blog | Steppe Courier": the <title> names the section, a menu item among short ones; the post's
    # heading with "Published on" and its date under it, above the article, is the headline.
    menu = ["Home", "Politics", "Economy", "blog", "Forum", "About us", "Contacts", "Partners", "Older posts"]
    head = "Dear farmers of the north"
    lines = ["blog | Steppe Courier", "Steppe Courier", "News from the steppe"] + menu + [
        head, "Published on", "14 March 2024", "by", "Dana Omarova", "[", "Russian", "] [", "English", "]",
        "Dear farmers of the north, in Kostanay, Petropavl, Pavlodar or wherever you live!"] + PARAGRAPHS_EN
    assert _title(lines) == head


def test_a_list_of_dated_teasers_under_a_menu_item_title_gives_no_headline():
    # Guard: under a section's menu item, a list of other stories, each with its date, then the
    # article: a teaser right above a date line is no headline for the article under the list.
    menu = ["Home", "Politics", "Economy", "blog", "Forum", "About us", "Contacts"]
    teasers = ["Farmers ask for faster payments after dry summer", "12 March 2024",
               "New bridge over the river opens to traffic", "11 March 2024",
               "The canal and the farmers wait for spring water", "10 March 2024"]
    lines = ["blog | Steppe Courier"] + menu + teasers + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == "blog"


def test_a_german_heading_ending_with_a_verb_particle_is_a_headline():
    # "Auf den ersten Regen kommt es an": German ends the sentence with the verb's particle "an";
    # English ends no headline with "an", so a link cut that line.
    assert headline.is_candidate("Auf den ersten Regen kommt es an")
    assert not headline.is_candidate("The story of an")
    assert not headline.is_candidate("Ein Interview mit")


def test_a_rubric_a_bar_and_a_long_headline_is_no_breadcrumb():
    assert headline.is_candidate('Water | Farmers: "We share the canal fairly between all the villages"')
    assert not headline.is_candidate("Home | News | Politics")
    assert not headline.is_candidate("Home | Farmers share the canal fairly between the villages")
    assert not headline.is_candidate("Canal opens in spring | Steppe Courier")   # (a "Headline | Site" line: a short right side)


def test_a_tagline_the_page_title_ends_with_is_not_the_headline():
    # "Headline — Blog - Interior | Design | Living | Travel Blog": the page repeats the tagline
    # in its header; the heading with its date above the article is the headline.
    head = "A visit to Dana Omarova's flat"
    lines = [f"{head} — Steppe Home - Interior | Design | Living | Travel Blog", "Blog", "Homestories", "Living",
             "Food", "Travel", "Shop", "About", "Menu", "Interior | Design | Living | Travel Blog", "Blog", "Shop",
             "About", "Privacy", head, "March 14, 2024", "Jules",
             "In a bright flat in the old town of Almaty, Dana Omarova lives with her husband and their two "
             "children; we visited her flat in the spring, and she showed us her favourite rooms."] + PARAGRAPHS_EN
    assert _title(lines) == head


def test_a_line_matches_the_page_title_on_whole_words():
    # "Imprint - Adagency STEPPE COURIER | Almaty": the line "agency STEPPE COURIER" is inside a
    # word of the <title>, no part of it; the "Imprint" heading over the article is its headline.
    lines = ["Imprint - Adagency STEPPE COURIER | Almaty", "Start", "Services", "Imprint", "Privacy",
             "agency STEPPE COURIER", "Contact", "Imprint", "Information under the media law",
             "agency STEPPE COURIER", "Dana Omarova"] + PARAGRAPHS_EN
    assert headline.match_page_title(lines, 11) in (3, 7)


def test_the_page_titles_headline_with_a_date_in_it_below_a_misjudged_start_is_the_title():
    # "Results: regional meeting, Almaty, 19.5.2007": the <title>'s headline holds a date, and the
    # article's start was misjudged above it (a menu of years read as the article).
    head = "Results: regional youth meeting, Almaty, 19.5.2007"
    years = [f"Calendar {y}" for y in range(2020, 2008, -1)]
    lines = [f"{head} | Steppe Athletics"] + years + ["Results", "Database 2020", "Database 2019", "Records",
                                                      "Records 2019", "Team", "Select a page", head, "by",
                                                      "Dana Omarova", "|", "20 May 2007"] + PARAGRAPHS_EN
    start = len(years) + 1
    title_at, _, _ = dump_clean._find_title(lines, [None] * len(lines), start, start, len(lines) - 1)
    assert lines[title_at] == head


def test_the_h1_wording_the_page_title_differently_with_its_byline_below_a_misjudged_start_is_the_title():
    # The <title> "What the senate speaker wants with the court and the pardon"; the <h1> words it a
    # little differently, with "By" / name / date under it, below a reader's-score box read as the
    # article's start.
    h1 = "What the senate speaker wants by courting the court and limiting the pardon"
    lines = ["What the senate speaker wants with the court and the pardon", "Latest", "Subscribe", "About us",
             "Your reading score shows how well informed you are about a subject from the depth and context of "
             "the pieces you read on this site.", "Close", "Read the whole score", "Your reading", "Politics",
             "Senate speaker", h1, "By", "Dana Omarova", "Astana",
             "03/05/2022 21:44"] + PARAGRAPHS_EN
    title_at, _, _ = dump_clean._find_title(lines, [None] * len(lines), 4, 4, len(lines) - 1)
    assert lines[title_at] == h1


def test_the_page_titles_headline_with_digits_matches():
    # "Steppe Bass 02/2022 | STEPPE BASS": the headline is mostly digits and still the <h1>.
    lines = ["Steppe Bass 02/2022 | STEPPE BASS", "News", "Gear", "Search", "Steppe Bass 02/2022",
             "by the editors,", "24 January 2022", "The new issue is out!"] + PARAGRAPHS_EN
    assert headline.match_page_title(lines, 8) == 4


@pytest.mark.parametrize("head", ["Choose hope over fear - Kennedy", "Markets fall – investors wait for the bank",
                                  "Canal opens in spring: farmers ask for water"])
def test_a_clean_article_keeps_its_first_line_whole_as_the_title(head):
    # Guard (BBC News files: the headline, then the paragraphs): the text's own first line is the
    # title whole, its dash naming whom it quotes or going on with the headline.
    assert _title([head] + PARAGRAPHS_EN) == head


def test_a_column_name_under_a_lone_by_is_the_author_not_the_headline():
    # A dated column: the <title> "Notes and whispers of 14 March 2024" names the column and its day;
    # the byline under the date gives the column's name as its author ("by" / "Notes and whispers").
    # That line repeats the <title>'s words but is the author, not the headline.
    lines = ["Notes and whispers of 14 March 2024", "Glosses on the steppe's politics of 14 March 2024",
             "14 Mar 2024", "by", "Notes and whispers", "Witness."] + PARAGRAPHS_EN
    assert headline.match_page_title(lines, 6) is None
    assert _title(lines) == "Notes and whispers of 14 March 2024"


def test_a_page_title_sharing_no_word_with_the_first_paragraph_read_as_the_headline_is_the_title():
    # The model kept a browser notice as the article's first paragraph, and nothing above it reads
    # as a headline: the <title>'s headline ("| steppehome", a site name in lower case) is the title,
    # not the notice. A first paragraph sharing the <title>'s words is the <h1> and stays.
    notice = "For a better experience download a newer browser for free. Just click on the icon!"
    lines = ["How to sew a round tablecloth in seven steps | steppehome", "Your browser is out of date.", notice,
             "Rooms", "Experts", "Magazine"] + PARAGRAPHS_EN
    assert dump_clean._find_title(lines, [None] * len(lines), 2, 2, len(lines) - 1) == \
        (0, "How to sew a round tablecloth in seven steps", 1)
    h1 = "How do you sew a round tablecloth in only seven steps?"
    lines[2] = h1
    title_at, _, _ = dump_clean._find_title(lines, [None] * len(lines), 2, 2, len(lines) - 1)
    assert lines[title_at] == h1


def test_a_teaser_in_another_language_between_the_headline_and_its_date_does_not_part_them():
    # Russian chrome on a site whose article is in another Cyrillic language (a Ukrainian teaser
    # here, over a Russian article): the teaser between the headline and its date is dropped as
    # another language's, so the headline above it still heads the article, not the bold lead-in
    # heading under the date ("Полив на новом канале", which shares the article's words).
    head = "Канал между водохранилищами откроют весной"
    lines = ["Главная", "Новости", "Политика", "Экономика", "Общество", "Спорт", head,
             "Через відсутність термометра у Львові закрили магазин сувенірів", "14 марта 2024",
             "Полив на новом канале"] + PARAGRAPHS_RU
    assert _title(lines) == head


_PARAGRAPHS_UZ = [
    "Вилоят сув хўжалиги бошқармаси сешанба куни шаҳар шимолидаги икки сув омборини боғловчи янги канал эрта "
    "баҳорда суғориш учун очилишини маълум қилди.",
    "Муҳандислар эски дарё ўзани бўйлаб тупроқ ўлчовлари ўтказилгач, каналнинг жанубий қисмини қайта лойиҳалашга "
    "мажбур бўлдилар.",
    "Фермерлар сув ўз вақтида келишини кутмоқда, чунки ўтган ёз жуда қуруқ келди ва ҳосил кам бўлди.",
    "Бошқарма вакилининг айтишича, қурилиш ишлари асосан якунланган ва ҳозир шлюзлар синовдан ўтказилмоқда.",
    "Канал орқали йилига юз миллион куб метр сув шимолий туманларга етказиб берилиши кутилмоқда, бу эса минглаб "
    "гектар ерни суғоришга имкон беради."]


@pytest.mark.parametrize("teaser", ["Канал на севере снова удивил фермеров",   # Russian with no letter Uzbek lacks
                                    "Що не так з каналом?"])                    # Ukrainian, likewise
def test_a_russian_teaser_over_the_date_of_an_uzbek_article_is_not_its_headline(teaser):
    # An Uzbek article under a site's Russian chrome: a teaser right over the date shares the
    # article's words ("канал", "фермер") and holds no letter the article lacks, but its "на" or
    # "що" are words Uzbek never writes: it is in another language, not the headline above it.
    head = "Янги канал баҳорда очилади"
    lines = ["Главная", "Новости", "Политика", "Экономика", "Общество", "Спорт", head, teaser,
             "14.03.2024"] + _PARAGRAPHS_UZ
    assert _title(lines) == head


@pytest.mark.parametrize("top, second, title", [
    ("Dana Omarova", "Keeper of the northern canal locks", "Dana Omarova"),
    ("Steppe Sisters", "Songs of the Northern Canal", "Steppe Sisters"),
    # (a rubric in capitals or a single word over the headline is no name: the headline is under it)
    ("CANALS", "Water canal to open in spring, two years late", TITLE_EN),
    ("Irrigation", "Water canal to open in spring, two years late", TITLE_EN)])
def test_a_two_word_name_over_its_subtitle_and_date_is_the_headline(top, second, title):
    # A page without chrome whose headline is a name (a person portrayed, an artist reviewed): the
    # name, the subtitle under it, then the date and byline. The name is the headline however short.
    lines = [top, second, "14 March 2024", "by", "Steppe Courier"] + PARAGRAPHS_EN
    assert _title(lines) == title


def test_a_headline_the_pages_source_broke_over_two_lines_is_joined():
    # The page's HTML breaks its <title> and <h1> texts with newlines: a scraper's dump keeps both on two lines.
    lines = ["Grain Exports Through the Caspian Port Double as Rail Links", "Open to Two New Buyers - Steppe Courier"] \
        + MENU[:10] + ["Grain Exports Through the Caspian Port Double as Rail Links", "Open to Two New Buyers",
                       "14 March 2024"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == "Grain Exports Through the Caspian Port Double as Rail Links Open to Two New Buyers"


def test_the_titles_whole_headline_stays_the_headline_however_many_teasers_follow_it():
    # A page puts a block of related stories, each with its date, between its headline and the article.
    teasers = []
    for n, head in enumerate(["Grain terminal opens a second berth", "Ferry line adds winter sailings",
                              "Port authority names a new director", "Rail link to the port reaches the coast",
                              "Customs post moves to the new terminal", "Fishing fleet returns early this year",
                              "Harbour dredging finishes ahead of time"]):
        teasers += [head, f"{n + 1} March 2024", "Read more"]
    lines = [f"{TITLE_EN} - Steppe Courier"] + MENU[:10] + [TITLE_EN, "Related stories"] + teasers \
        + ["Steppe Courier staff", "14 March 2024"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == TITLE_EN


def test_a_signed_heading_far_above_the_article_is_the_headline_when_none_stands_near_it():
    # The <title> is the site's name; between the headline (with its byline and date) and the text
    # the page puts its lead, a photo caption and credit, the author's box again and the topic tags:
    # more lines than the headline search looks up, none of them a headline.
    head = "Grain exports through the Caspian port double in a year"
    between = ["Read Later", "Grain is loaded onto a ship at the port of Aktau in February.", "Photo: Steppe Courier",
               "for Steppe Courier", "Dana Omarova", "Contributing Writer", "14 March 2024", "View PDF/Print Mode",
               "trade", "ports", "agriculture", "Kazakhstan", "Caspian Sea", "exports", "Read Later", "Print",
               "Share", "Comments"]
    lines = ["Steppe Courier", "Economy", "Politics", "Regions", head, "By", "Dana Omarova", "14 March 2024"] \
        + between + PARAGRAPHS_EN
    start = lines.index(PARAGRAPHS_EN[0])
    rule: list[str | None] = [None] * len(lines)
    title_at, _, _ = dump_clean._find_title(lines, rule, start, start, len(lines) - 1)
    assert lines[title_at] == head


_CRUMB_TITLE = "Canal opens in spring: northern farmers wait two more years"
_SEEN_HEADLINE = "Northern farmers must wait two more years for the new canal"


def test_the_headline_under_a_breadcrumb_ending_with_the_title_is_the_title():
    # "Home" / "Economy" / the <title>'s words (the breadcrumb's last item, the page's search-engine
    # title) / a kicker / the headline a reader sees, worded otherwise, then its dateline and byline.
    lines = [f"{_CRUMB_TITLE} | Steppe Courier"] + MENU + [
        "Home", "Economy", _CRUMB_TITLE, "Water works", _SEEN_HEADLINE, "Astana.",
        "The authority moves the opening again, and the farmers ask to be paid for the lost harvest.",
        "By", "Dana Omarova", "14 March 2024, 09:12"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == _SEEN_HEADLINE


@pytest.mark.parametrize("under", [
    # the headline closing the breadcrumb over its standfirst, with no full stop
    ["The authority moves the opening again and farmers ask for compensation", "By", "Dana Omarova"],
    # a table of contents under a heading
    ["Contents", "When will the new canal open for the northern farmers?", "Who pays for the lost harvest now?",
     "What the engineers found in the soil"],
    # a photo credit and a caption under the headline
    ["Dana Omarova/Steppe Photo", "Farmers of the north at the dry old canal near the reservoirs",
     "The authority moves the opening again, and the farmers ask to be paid for the lost harvest so far."],
])
def test_a_breadcrumb_ending_with_the_headline_keeps_it(under):
    lines = [f"{_CRUMB_TITLE} | Steppe Courier"] + MENU + ["Home", "Economy", _CRUMB_TITLE] + under + [
        "14 March 2024, 09:12"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == _CRUMB_TITLE


def test_a_kicker_and_headline_split_by_a_lone_colon_are_one_title():
    lines = ["Water canal: Two years late for the north - Steppe Courier"] + MENU + [
        "Water canal", ":", "Two years late for the north", "14 March 2024, 09:12"] + PARAGRAPHS_EN + CHROME_END
    assert _title(lines) == "Water canal: Two years late for the north"


def test_a_label_over_every_teaser_is_not_the_headline():
    # A subscribers' label over each teaser and once more over the article's photo, whose caption
    # carries a date: the label right above the article, "dated", is still no headline.
    share = ["Share", "Share on Facebook", "Share on Telegram", "Send by e-mail", "Copy the link", "Add to your list",
             "Log in"]
    teasers = []
    for story in ("Farmers ask for faster payments after the dry summer", "New bridge over the river opens to traffic"):
        teasers += ["Article for subscribers only", story]
    lines = ["Steppe Courier", TITLE_EN, "By Dana Omarova"] + share + [
        "Article for subscribers only", "The dry old canal near the northern reservoirs, 12 March 2024.", "Steppe Photo"] \
        + PARAGRAPHS_EN + teasers
    start = lines.index(PARAGRAPHS_EN[0])
    assert lines[headline.pick_headline(lines, [None] * len(lines), start)] == TITLE_EN


def test_the_upper_of_headline_and_standfirst_is_the_headline_when_no_date_is_under_either():
    # A kicker, the headline, its standfirst (a question), a company's name twice (a tag and its
    # logo), then the byline too far down to date either line: the upper line is the headline.
    head = "The north needs a new canal. Two provinces want to pay for it"
    lines = ["How two provinces plan to pay for the northern canal - Steppe Courier", "Skip to content", "Home",
             "Features", head, "Can two small provinces build a canal on their own?", "Steppe Water", "Steppe Water",
             "By", "Dana Omarova", "14 March 2024"] + PARAGRAPHS_EN
    start = lines.index(PARAGRAPHS_EN[0])
    assert lines[headline.pick_headline(lines, [None] * len(lines), start)] == head
