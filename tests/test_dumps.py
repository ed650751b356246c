"""Text dumps of outlets the cleaner has never seen: the article is found, the chrome goes to `removed`.

The dumps here are written for these tests (an invented outlet and invented stories), shaped the
way a scraper's get_text() leaves a page: one line per menu item, button and teaser.
"""
from __future__ import annotations

import datetime as dt
import sys

import pytest

from searchapp import cli
from searchapp.errors import ExtractorUnavailable
from searchapp.ingest import html_text, linemodel, readers
from searchapp.ingest.headline import strip_site_name
from searchapp.ingest.pipeline import ingest_text
from searchapp.models import SourceConfig

SOURCE = SourceConfig(name="steppe-courier", display_name="steppe-courier")

PARAGRAPHS_EN = [
    "The regional water authority said on Tuesday that the new canal linking the two reservoirs north of the "
    "city would open to irrigation traffic in early spring, two years later than first planned.",
    "Engineers had to redesign the southern section after surveys found that the soil along the old riverbed "
    "was far softer than the original plans assumed, the authority's chief engineer told reporters.",
    "Farmers in the district, who lost much of last year's wheat to drought, have pressed the government for "
    "months to finish the work, and several cooperatives wrote to parliament in the autumn.",
    "The authority said the canal will carry up to forty cubic metres of water a second and will serve about "
    "twelve thousand hectares of fields once the pumping stations are connected.",
    "A spokesman for the ministry of agriculture said the budget for the project had not grown, since the "
    "delay was covered by the contractor's own guarantee.",
]
CHROME_TOP = [
    "Steppe Courier — water canal to open in spring, two years late",
    "Skip to main content", "KAZ | РУС | ENG", "Home", "Politics", "Economy", "Society", "World", "Sport",
    "Subscribe", "Log in", "Search", "Главная / Новости / Экономика", "Economy",
]
TITLE_EN = "Water canal to open in spring, two years late"
CHROME_MID = ["14 March 2024, 09:12", "Share on:", "Facebook", "Telegram", "WhatsApp"]
CHROME_END = [
    "Ctrl+Enter", "Found a typo? Select it and press Ctrl+Enter", "Previous", "Next", "Related news",
    "Farmers ask for faster payments after dry summer", "New bridge over the river opens to traffic",
    "Most read", "Prices at the bazaar rise again", "Comments (0)", "To leave a comment, log in",
    "About us", "Contacts", "Advertising", "© 2024 Steppe Courier. All rights reserved.",
]


def _dump(lines: list[str]) -> str:
    return "\n\n".join(lines)


def _article(text: str):
    (article,) = ingest_text(text, fmt="txt", source=SOURCE, rel_path="story.txt")
    return article


def test_unseen_english_dump_keeps_the_article_and_reports_the_chrome():
    a = _article(_dump(CHROME_TOP + [TITLE_EN] + CHROME_MID + PARAGRAPHS_EN + CHROME_END))
    assert a.body == PARAGRAPHS_EN
    assert a.title == TITLE_EN
    assert a.published == dt.datetime(2024, 3, 14, 9, 12) or a.published == dt.date(2024, 3, 14)
    removed = "\n".join(a.removed)
    for chrome in ("KAZ | РУС | ENG", "Главная / Новости / Экономика", "Share on:", "Ctrl+Enter", "Previous",
                   "Prices at the bazaar rise again", "© 2024 Steppe Courier"):
        assert chrome in removed, chrome
    # Every line of the page is accounted for: in the article, its header fields, or `removed`.
    assert all(any(line in r for r in a.removed) for line in CHROME_END)


def test_model_drops_carry_their_probability():
    a = _article(_dump(CHROME_TOP + [TITLE_EN] + CHROME_MID + PARAGRAPHS_EN + CHROME_END))
    model_lines = [r for r in a.removed if r.startswith("boilerplate, p=")]
    assert model_lines, a.removed
    lines = set(CHROME_TOP + CHROME_MID + CHROME_END)
    for r in model_lines:
        p, line = r[len("boilerplate, p="):].split(": ", 1)
        assert 0.0 <= float(p) <= 1.0 and len(p) == 4
        assert line in lines


PARAGRAPHS_RU = [
    "Власти области сообщили во вторник, что новый канал между двумя водохранилищами к северу от города "
    "откроют для полива ранней весной, на два года позже, чем планировалось.",
    "Инженерам пришлось переделать южный участок после того, как изыскания показали, что грунт вдоль старого "
    "русла гораздо мягче, чем предполагал первоначальный проект.",
    "Фермеры района, которые в прошлом году потеряли большую часть урожая пшеницы из-за засухи, несколько "
    "месяцев добивались от правительства завершения работ.",
    "По словам представителя министерства сельского хозяйства, бюджет проекта не вырос, поскольку задержку "
    "покрыла гарантия подрядчика.",
]


def test_unseen_russian_dump():
    lines = (["Степной курьер — канал откроют весной", "Перейти к содержимому", "ҚАЗ | РУС | ENG", "Главная",
              "Новости", "Экономика", "Общество", "Войти", "Поиск", "Главная / Новости / Экономика",
              "Канал между водохранилищами откроют весной", "14 марта 2024, 09:12", "Поделиться:", "ВКонтакте",
              "Telegram"]
             + PARAGRAPHS_RU
             + ["Нашли ошибку? Выделите текст и нажмите Ctrl+Enter", "Читайте также", "Цены на рынке снова выросли",
                "Комментарии (0)", "Чтобы оставить комментарий, войдите", "О нас", "Реклама",
                "© 2024 Степной курьер. Все права защищены."])
    a = _article(_dump(lines))
    assert a.body == PARAGRAPHS_RU
    assert a.title == "Канал между водохранилищами откроют весной"
    assert a.published in (dt.date(2024, 3, 14), dt.datetime(2024, 3, 14, 9, 12))
    assert a.language == "ru"


def test_english_article_with_russian_chrome_around_it():
    lines = (["На главную", "Новости", "Политика", TITLE_EN, "14 March 2024"] + PARAGRAPHS_EN[:2]
             + ["Читайте также"] + PARAGRAPHS_EN[2:] + ["Поделиться", "Комментарии", "Все новости раздела"])
    a = _article(_dump(lines))
    assert a.body == PARAGRAPHS_EN
    assert a.title == TITLE_EN
    assert not any(ch in "\n".join(a.body) for ch in ("На главную", "Читайте также", "Поделиться"))


def test_title_is_the_headline_not_a_breadcrumb_switcher_section_or_date():
    lines = ["ENG | РУС | KAZ", "News", "Home / World / Asia", "12.03.2024", TITLE_EN] + PARAGRAPHS_EN
    a = _article(_dump(lines))
    assert a.title == TITLE_EN


def test_title_is_the_titles_headline_where_the_page_repeats_it_not_the_site_or_a_teaser():
    # The <title> opens the dump; the <h1> repeats its headline part (here with a full stop) and
    # the site's name, also a part of the <title>, stands in the menu.
    title = "Canal opens in spring, officials say."
    lines = [f"{title} | Steppe Courier", "Steppe Courier", "Home", "Politics", "Economy",
             "Farmers ask for faster payments after dry summer", "New bridge opens to traffic",
             title, "14 March 2024, 09:12"] + PARAGRAPHS_EN + CHROME_END
    assert _article(_dump(lines)).title == title


def test_dated_headline_on_the_first_line_beats_a_cut_sentence():
    # A page with no chrome above the article: headline, date, byline, then paragraphs that
    # inline links cut into pieces; no piece of a sentence is the headline.
    lines = ["Water canal to open in spring, two years late", "27 Apr 2020", "by", "Webdunia",
             "The regional water authority said on Tuesday that", "the new canal",
             "linking the two reservoirs north of the city would open to irrigation traffic in early spring."] \
        + PARAGRAPHS_EN[1:]
    assert _article(_dump(lines)).title == "Water canal to open in spring, two years late"


def test_title_is_not_the_author_under_a_bare_by_a_reading_time_or_a_photo_credit():
    # Between the <h1> and the article: a photo credit, "By" on its own line, the author's name,
    # the date and a reading-time label. None of them is the headline.
    lines = CHROME_TOP[1:12] + [TITLE_EN, "A canal lock north of the city. Aidos Serikov—Reuters",
                                "Aidos Serikov—Reuters", "By", "Dana Omarova", "14 March 2024, 09:12",
                                "Reading time 4 min"] + PARAGRAPHS_EN + CHROME_END
    a = _article(_dump(lines))
    assert a.title == TITLE_EN
    assert PARAGRAPHS_EN[0] in a.body


def test_title_is_the_longer_h1_that_the_page_title_shortens():
    # SEO titles cut a long headline; the <h1> above the article gives it whole.
    h1 = "Water canal to open in spring, two years late, as engineers redesign its southern section"
    lines = ["Water canal to open in spring | Steppe Courier", "Skip to main content", "Home", "Politics",
             "Economy", "Farmers ask for faster payments after dry summer", h1, "By", "Dana Omarova",
             "Updated 14 March 2024, 09:12", "Photo: the canal near the city", "Share on:", "Facebook",
             "Telegram", "Subscribe to our newsletter", "Most read", "Prices at the bazaar rise again",
             "Comments (0)"] + PARAGRAPHS_EN + CHROME_END
    assert _article(_dump(lines)).title == h1


def test_lower_case_page_title_is_the_headline_when_nothing_else_is():
    # The dump's first line (the page's <title>) starts with a lower-case word; the line after the
    # bare "by" is the author's name, not a headline.
    lines = ["coronavirus cases in the region doubled in March", "27 Apr 2020", "by", "Dana Omarova"] \
        + PARAGRAPHS_EN
    assert _article(_dump(lines)).title == "coronavirus cases in the region doubled in March"


def test_kicker_and_headline_on_two_lines_make_the_title_the_page_title_joins():
    # A kicker above the headline is its own line; the <title> joins the two.
    lines = ["Canal north of the city: Water to flow in spring, two years late | Steppe Courier"] + CHROME_TOP[1:12] \
        + ["Canal north of the city", "Water to flow in spring, two years late", "14 March 2024, 09:12"] \
        + PARAGRAPHS_EN + CHROME_END
    a = _article(_dump(lines))
    assert a.title == "Canal north of the city: Water to flow in spring, two years late"
    assert a.body == PARAGRAPHS_EN
    assert "headline, second line: Water to flow in spring, two years late" in a.removed


def test_a_headline_may_name_a_month_and_a_word_like_tagesschau():
    # A month inside a headline's words is no date line; "Tag..." is no "Tags:" label.
    for head in ("Water canal to open in March 2025, two years late, engineers say",
                 "Tagesschau leaves the canal story out of its evening news"):
        lines = CHROME_TOP[1:12] + [head, "14 March 2024, 09:12"] + PARAGRAPHS_EN + CHROME_END
        assert _article(_dump(lines)).title == head


def test_an_article_with_its_date_again_at_its_foot_is_not_a_listing():
    # The byline's date comes again in the author box under the article: one article, its headline kept.
    lines = [f"{TITLE_EN} | Steppe Courier"] + CHROME_TOP[1:12] + [TITLE_EN, "Dana Omarova", "14 March 2024"] \
        + PARAGRAPHS_EN + ["About the author", "Dana Omarova", "14 March 2024",
                           "Dana Omarova covers water and farming for the paper."] + CHROME_END
    (a,) = ingest_text(_dump(lines), fmt="txt", source=SOURCE, rel_path="story.txt")
    assert a.title == TITLE_EN
    assert a.body[:len(PARAGRAPHS_EN)] == PARAGRAPHS_EN


MENU = ["Skip to main content", "Home", "Politics", "Economy", "Society", "World", "Sport", "Subscribe", "Log in",
        "Search", "Farmers ask for faster payments after dry summer", "New bridge opens to traffic"]


def test_a_title_part_the_page_shows_as_its_logo_is_the_site_not_the_headline():
    # "Headline | Site": the site's name is a line at the top (its logo), the one-word headline a
    # line above the article; the logo text is not the title, however short the headline.
    lines = ["Irrigation | Steppe Courier", "Steppe Courier"] + MENU + ["Irrigation", "Dana Omarova",
                                                                       "14 March 2024"] + PARAGRAPHS_EN + CHROME_END
    assert _article(_dump(lines)).title == "Irrigation"


def test_a_one_word_headline_opening_the_page_title_is_the_headline():
    # "Headline - Site" with a one-word headline that the <h1> repeats: that line, not a teaser.
    lines = ["Irrigation - Steppe Courier"] + MENU + ["Irrigation", "Canals and reservoirs of the north",
                                                       "Dana Omarova"] + PARAGRAPHS_EN + CHROME_END
    assert _article(_dump(lines)).title == "Irrigation"


def test_the_heading_under_the_headline_is_its_standfirst():
    # Headline, standfirst, then date and byline, and the article after a picture credit line: the
    # upper heading is the headline, though the standfirst is nearer the article.
    lines = ["WATER"] + [TITLE_EN, "Engineers had to redesign the southern section of the canal",
                         "14 March 2024", "by", "Dana Omarova", "Canal", "lock"] + PARAGRAPHS_EN + CHROME_END
    assert _article(_dump(lines)).title == TITLE_EN


@pytest.mark.parametrize("chrome", [
    "— Economy and Finance",                                                      # a list item
    "A canal lock north of the city at dawn. Photo: Aidos Serikov",               # a photo caption
    "Farmers of the district have pressed the government for months to finish the",  # a cut sentence
])
def test_a_list_item_a_captioned_photo_or_a_cut_sentence_is_not_the_headline(chrome):
    # The <title> states no headline the page repeats; the line above the article is no heading.
    lines = ["Steppe Courier"] + MENU + [TITLE_EN, "14 March 2024"] + MENU[:3] + [chrome] + PARAGRAPHS_EN + CHROME_END
    assert _article(_dump(lines)).title == TITLE_EN


def test_a_semicolon_inside_a_headline_is_no_code():
    head = "Canal opens in spring; farmers say the delay cost them a harvest"
    lines = ["Steppe Courier"] + MENU + ["Water", head, "Dana Omarova"] + PARAGRAPHS_EN + CHROME_END
    assert _article(_dump(lines)).title == head


def test_chrome_in_another_script_above_the_page_title():
    # An English article on a Russian site whose chrome the dump puts above the <title> line: the
    # title is still the <title>'s headline, not a sentence of the article.
    lines = ["Главная", "Новости", "Экономика", "Погода в Алматы", f"{TITLE_EN} | Steppe Courier", "Home", "Politics",
             "Economy", "Society", "Share"] \
        + ["The paragraphs below were first published in the spring issue of the newsletter. Write to us at letters."] \
        + PARAGRAPHS_EN + CHROME_END
    assert _article(_dump(lines)).title == TITLE_EN


def test_the_headline_of_a_long_run_of_article_lines_is_its_first_heading():
    # Inline links cut the first paragraph into many lines above its whole statement; the run of
    # lines kept as the article reaches up to the headline, however far from the first full paragraph.
    cut = ["The regional water authority", "said on Tuesday that the new canal", "linking the two reservoirs",
           "north of the city", "would open to irrigation traffic", "in early spring", ", two years later than",
           "first planned", ". Engineers of the", "Canal works in numbers", "Forty cubic metres a second",
           "after surveys found", "that the soil", "along the old riverbed", "was far softer",
           "than the original plans assumed", ", the chief engineer said"]
    lines = ["IRRIGATION", TITLE_EN, "Engineers redesign the southern section after soil surveys", "14 March 2024",
             "by", "Dana Omarova"] + cut + PARAGRAPHS_EN + CHROME_END
    assert _article(_dump(lines)).title == TITLE_EN


def test_a_long_headline_with_the_date_under_it_is_no_first_paragraph():
    # A long headline ending with a quotation, its standfirst, then date and byline: the headline is
    # not taken for the article's first paragraph (which would leave the kicker as the title).
    head = 'Canal engineer Dana Omarova: "The soil was softer than any of our plans assumed"'
    lines = ["TWO ENGINEERS OF THE CANAL", head, "The southern section had to be redesigned", "14 March 2024", "by",
             "Dana Omarova"] + PARAGRAPHS_EN + CHROME_END
    assert _article(_dump(lines)).title == head


def test_a_sentence_cut_around_a_link_is_not_the_headline():
    # "The minister of agriculture" / "Serik Abenov" (a link) / "said on Tuesday...": the first
    # piece is part of a sentence, not a heading.
    lines = CHROME_TOP[1:12] + [TITLE_EN, "14 March 2024", "Reading time 4 min", "Photo", "The minister of agriculture",
                                "Serik Abenov", "said on Tuesday that the canal, whose southern section engineers "
                                "had to redesign, would open in spring"] + PARAGRAPHS_EN[1:] + CHROME_END
    assert _article(_dump(lines)).title == TITLE_EN


def test_a_line_the_page_title_ends_with_after_a_blog_name_is_the_headline():
    # "Blog name: Headline": the <title> is the <h1> with the blog's name before it, even when the
    # headline's own end ("Spring Water by D. K. Omarova") reads like a site name.
    head = "[Review] Canal Diaries - Spring Water by D. K. Omarova"
    lines = [f"Steppe Bookworm: {head}"] + MENU[:10] + [head, "Series: Canal Diaries", "Dana Omarova"] \
        + PARAGRAPHS_EN + CHROME_END
    assert _article(_dump(lines)).title == head


def test_a_teaser_in_another_cyrillic_language_is_not_the_headline():
    # A Russian article on a Kazakh site: the Kazakh teaser between the headline and the date uses
    # letters (ң, ө, қ) the article's text never does.
    head = "Канал между водохранилищами откроют весной"
    lines = ["Главная", "Новости", "Экономика", "Общество", head, "Алматыда жаңа көпір көлік қозғалысына ашылды",
             "14 марта 2024, 09:12"] + PARAGRAPHS_RU + ["Комментарии", "Реклама"]
    a = _article(_dump(lines))
    assert a.title == head
    assert a.body == PARAGRAPHS_RU


@pytest.mark.parametrize("switch", ["Читать новость на казахском", "Эта новость на английском языке", "Русская версия сайта"])
def test_a_language_switch_in_words_is_not_the_headline(switch):
    head = "Канал между водохранилищами откроют весной"
    lines = ["Главная", "Новости", "Экономика", head, switch, "14 марта 2024, 09:12"] + PARAGRAPHS_RU \
        + ["Комментарии", "Реклама"]
    assert _article(_dump(lines)).title == head


# Dumps of the <body> alone (soup.body.get_text, a copy from the browser, lynx): no <title> line
# opens them, so the headline is the heading over the article's byline and date.

def test_a_body_only_dump_takes_the_heading_over_byline_date_and_share_lines():
    # The headline stands well above the first paragraph, with the byline, the date and the share
    # buttons under it and a lead line right above the paragraph; the old chooser took that lead
    # line, right above the article, for the headline.
    lines = MENU[:10] + ["Economy", TITLE_EN, "By", "Dana Omarova", "Staff correspondent", "14 March 2024, 09:12",
                         "Share on Facebook", "Share on Telegram", "Share via Email", "Print",
                         "Farmers of the district waited two years for the canal's water"] + PARAGRAPHS_EN + CHROME_END
    assert _article(_dump(lines)).title == TITLE_EN


@pytest.mark.parametrize("top", [
    # the site's logo, which a line far above the article repeats: once taken for a <title> it repeats
    ["Courier", "Skip to content", "Home", "Politics", "Economy", "Society", "World", "Courier"],
    # "Skip to content" and the headline right under it, the share lines and a teaser between it and the article
    ["Skip to content"],
])
def test_a_body_only_dump_opening_with_chrome_takes_no_chrome_for_its_page_title(top):
    middle = ["Economy", TITLE_EN, "Economy", "by", "Dana Omarova", "14 March 2024", "09:12 AM", "Share on Facebook",
              "Share on Telegram", "Share via Email", "Print", "Comments", "Up Next",
              "Farmers ask for faster payments after dry summer", "A canal lock north of the city at dawn.",
              "Photo by Aidos Serikov", "Advertising", "Read more"]
    assert _article(_dump(top + middle + PARAGRAPHS_EN + CHROME_END)).title == TITLE_EN


def test_a_body_only_dump_takes_a_heading_with_no_byline_over_its_chrome_first_line():
    # A headline with only a comment count and a name under it, no byline cue or date: with nothing
    # signed above the article, the old chooser fell back to the chrome first line ("Follow Courier").
    lines = ["Follow Courier", "Followed", "Related blogs", "Home", "Politics", "Economy", "Society",
             "You can skip this ad in 5 seconds.", TITLE_EN, "36", "Dana Omarova", "Profile", "Follow", "Unfollow",
             "Filed to:", "water", "canals", "farming", "irrigation", "drought", "wheat", "reservoirs", "spring",
             "Share", "Tweet", "Email"] + PARAGRAPHS_EN + CHROME_END
    assert _article(_dump(lines)).title == TITLE_EN


def test_a_body_only_dump_takes_no_three_word_section_over_the_headline_for_it():
    # "Noticias de Medellín" / headline / byline: a heading of three words over the signed headline
    # is its section, not a headline over its standfirst (the old chooser took the section).
    lines = MENU[:10] + ["Stories from Almaty", TITLE_EN, "By", "Dana Omarova", "14 March 2024, 09:12",
                         "Share on Facebook", "Share via Email", "Print",
                         "Farmers of the district waited two years for the canal's water"] + PARAGRAPHS_EN + CHROME_END
    assert _article(_dump(lines)).title == TITLE_EN


def test_a_body_only_dump_takes_the_heading_over_its_reading_time():
    # "Ab wann legen Hühner Eier?" / "5 Minuten Lesezeit" / contents: no byline or date under the
    # headline, a reading time instead; the old chooser took the last contents entry, right above the article.
    lines = MENU[:10] + [TITLE_EN, "5 min read", "Contents", "Why did the canal open two years late?",
                         "What the farmers of the district ask for", "When the water reaches the fields"] \
        + PARAGRAPHS_EN + CHROME_END
    assert _article(_dump(lines)).title == TITLE_EN


def test_a_short_cleaned_dump_is_left_whole():
    # Already-clean text (a title and paragraphs) must not lose paragraphs to the model.
    a = _article(_dump([TITLE_EN] + PARAGRAPHS_EN))
    assert a.title == TITLE_EN and a.body == PARAGRAPHS_EN


@pytest.mark.parametrize("raw, expected", [
    ("Water canal to open in spring - Eurasia Wire", "Water canal to open in spring"),
    ("Water canal to open in spring | National News Agency", "Water canal to open in spring"),
    ("Talks end | National News Agency of Kazakhstan", "Talks end"),
    ("Канал откроют весной - Новости Казахстана", "Канал откроют весной"),
    ("Why Russia - and China - care", "Why Russia - and China - care"),
    ("Water canal to open in spring", "Water canal to open in spring"),
    ("Der Holländerholzhandel - waldwissen.net", "Der Holländerholzhandel"),
    ("Irrigation | steppe-courier.kz", "Irrigation"),
    ("ORSO MARSICANO: UN ANNO DA RECORD | Parco Nazionale d'Abruzzo, Lazio e Molise", "ORSO MARSICANO: UN ANNO DA RECORD"),
    ("Benjamin Näßler: «Liebe kennt keine Pause – gegen Homophobie in Katar»",
     "Benjamin Näßler: «Liebe kennt keine Pause – gegen Homophobie in Katar»"),
])
def test_site_names_are_cut_from_titles(raw, expected):
    assert strip_site_name(raw) == expected


FLAT = ("Канал между водохранилищами откроют весной  14 May 2020, 09:12 by Асель Нурланова  "
        + "  ".join(PARAGRAPHS_RU))


def test_flattened_dump_gets_title_date_and_author():
    a = _article(FLAT)
    assert a.title == "Канал между водохранилищами откроют весной"
    assert a.published == dt.datetime(2020, 5, 14, 9, 12) or a.published == dt.date(2020, 5, 14)
    assert a.author == "Асель Нурланова"
    assert a.body == PARAGRAPHS_RU


def test_flattened_dump_with_a_lead_and_no_byline():
    text = ("Water canal to open in spring  Farmers have waited two years.   14 May 2020, 09:12   "
            + "  ".join(PARAGRAPHS_EN))
    a = _article(text)
    assert a.title == "Water canal to open in spring"
    assert a.published is not None and a.published.year == 2020
    assert a.author is None
    assert a.body == ["Farmers have waited two years."] + PARAGRAPHS_EN


def test_ordinary_dump_is_not_taken_for_a_flattened_one():
    assert len(readers.read_txt(_dump([TITLE_EN] + PARAGRAPHS_EN))[0].blocks) == 6


def test_model_is_deterministic():
    lines = CHROME_TOP + [TITLE_EN] + CHROME_MID + PARAGRAPHS_EN + CHROME_END
    model = linemodel.load_model()
    first = model.probabilities(lines, [None] * len(lines))
    assert (first == model.probabilities(lines, [None] * len(lines))).all()
    X = linemodel.base_features(lines, [None] * len(lines), [0.0] * len(lines))
    for forest in model.stages[:1]:
        assert (forest.predict(X) == forest.predict_2d(X)).all()
    assert linemodel.MODEL_PATH.stat().st_size < 3_000_000


# --- failing loudly ---------------------------------------------------------------------------

def test_missing_html_extractor_stops_the_ingest_with_one_line(tmp_path, monkeypatch, capsys):
    src = tmp_path / "corpus" / "outlet"
    src.mkdir(parents=True)
    (src / "page.html").write_text("<html><body><h1>Canal</h1><p>" + PARAGRAPHS_EN[0] + "</p></body></html>",
                                   encoding="utf-8")
    monkeypatch.setitem(sys.modules, "trafilatura", None)   # `import trafilatura` now raises ImportError
    monkeypatch.setattr(html_text, "_EXTRACTOR", [])
    status = cli.main(["ingest", "--corpus", str(tmp_path / "corpus"), "--no-progress"])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 1
    assert len(err) == 1 and err[0].startswith("error: the HTML extractor cannot load: trafilatura failed to import")


def test_missing_line_model_fails_instead_of_keeping_the_chrome(tmp_path, monkeypatch):
    monkeypatch.setattr(linemodel, "MODEL_PATH", tmp_path / "missing.npz")
    linemodel.load_model.cache_clear()
    try:
        with pytest.raises(ExtractorUnavailable, match="line model cannot load"):
            ingest_text(_dump(CHROME_TOP + [TITLE_EN] + PARAGRAPHS_EN), fmt="txt", source=SOURCE)
    finally:
        linemodel.load_model.cache_clear()


def test_a_dump_whose_elements_ran_together_is_split_where_they_met():
    # A scraper's soup.get_text() with no separator, over minified HTML, runs the page's elements
    # together: menus, headline and paragraphs on one line, glued where one element met the next.
    from bs4 import BeautifulSoup

    def items(lines: list[str]) -> str:
        return "".join(f"<li><a href='#'>{line}</a></li>" for line in lines)

    page = ("<html><head><title>" + CHROME_TOP[0] + "</title></head><body>"
            + "<nav><ul>" + items(CHROME_TOP[1:]) + "</ul></nav><main><article><h1>" + TITLE_EN + "</h1>"
            + "<div class='meta'><time>" + CHROME_MID[0] + "</time><span>" + "</span><span>".join(CHROME_MID[1:])
            + "</span></div>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS_EN)
            + "</article></main><aside><ul>" + items(CHROME_END[:-3]) + "</ul></aside><footer>"
            + items(CHROME_END[-3:]) + "</footer></body></html>")
    text = BeautifulSoup(page, "html.parser").get_text()
    assert text.count("\n") == 0 and "lateSkip to main content" in text   # one line, glued
    a = _article(text)
    assert a.body == PARAGRAPHS_EN
    assert a.title == TITLE_EN
    removed = "\n".join(a.removed)
    for chrome in ("Share on:", "Prices at the bazaar rise again", "Found a typo?"):
        assert chrome in removed, chrome


def test_names_written_in_camel_case_do_not_split_a_dump_written_with_a_separator():
    lines = CHROME_TOP + [TITLE_EN] + CHROME_MID + [
        PARAGRAPHS_EN[0] + " The InterNations club, DeepMind and JavaScript were named by the YouTube channel.",
    ] + PARAGRAPHS_EN[1:] + CHROME_END
    a = _article(_dump(lines))
    assert a.body == lines[len(CHROME_TOP) + 1 + len(CHROME_MID):len(lines) - len(CHROME_END)]
