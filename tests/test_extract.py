"""Field extraction on dumps shaped like other outlets' pages (not the seeds): generic rules."""
from __future__ import annotations

import datetime as dt

import pytest

from searchapp.ingest.pipeline import ingest_text
from searchapp.models import SourceConfig

SRC = SourceConfig(name="test", display_name="Test Outlet", language="en", date_order="DMY")

ENGLISH_DUMP = """Skip to main content
Menu
World
Politics

Kazakhstan and Uzbekistan sign border demarcation deal

By Aigerim Seitkali | Published: 14.03.2024, 10:15 | Updated: 15.03.2024

Share on Facebook
Tweet

TASHKENT, March 14 (Reuters) – Kazakhstan and Uzbekistan signed an agreement on Thursday completing the demarcation of their 2,300-km border, the foreign ministries of both countries said.

The deal was signed by the two presidents in Tashkent during a state visit.

Read also: Astana hosts investment forum

Tags: Kazakhstan, Uzbekistan, border

© 2024 Example News. All rights reserved."""

RUSSIAN_DUMP = """Главная
Новости
Политика

Лукашенко и Токаев обсудили сотрудничество в рамках ОДКБ

15 марта 2024, 12:40

Автор: Иван Петров

МИНСК, 15 марта – Президенты Беларуси и Казахстана провели телефонный разговор, в ходе которого обсудили подготовку к саммиту ОДКБ в Москве.

Стороны также затронули вопросы торгово-экономического сотрудничества и выборы в Казахстане.

Skip to content

Фото: пресс-служба

Подписывайтесь на наш канал в Telegram"""


def test_english_dump_fields():
    (a,) = ingest_text(ENGLISH_DUMP, fmt="txt", source=SRC)
    assert a.title == "Kazakhstan and Uzbekistan sign border demarcation deal"
    assert a.section == "Politics"
    assert a.author == "Aigerim Seitkali"
    assert a.published == dt.datetime(2024, 3, 14, 10, 15)  # the publication, not the update
    assert a.dateline == "Tashkent"
    assert a.language == "en"
    assert a.body[0].startswith("TASHKENT, March 14 (Reuters)")
    assert len(a.body) == 2
    joined = " ".join(a.removed)
    for chrome in ("Skip to main content", "Share on Facebook", "Read also", "Tags:", "All rights reserved"):
        assert chrome in joined
    assert {"Kazakhstan", "Uzbekistan"} <= set(a.countries)
    assert "Tashkent" in a.cities


def test_russian_dump_fields():
    (a,) = ingest_text(RUSSIAN_DUMP, fmt="txt", source=SRC)
    assert a.title == "Лукашенко и Токаев обсудили сотрудничество в рамках ОДКБ"
    assert a.section == "Политика"
    assert a.author == "Иван Петров"
    assert a.published == dt.datetime(2024, 3, 15, 12, 40)
    assert a.published_raw == "15 марта 2024, 12:40"
    assert a.language == "ru"
    assert a.dateline == "Минск"
    assert len(a.body) == 2
    assert not any("Skip to content" in b or "Telegram" in b for b in a.body)
    assert {"Belarus", "Kazakhstan"} <= set(a.countries)
    assert {"Minsk", "Moscow"} <= set(a.cities)


@pytest.mark.parametrize("header, published, page_date, inferred", [
    # a capture date above the title and the article's own date below it
    ("Monday, 4 March 2024\n\nTitle of the story here now\n\n1 March 2024", dt.date(2024, 3, 1), dt.date(2024, 3, 4), False),
    # only one date, above the title: it is the article's date
    ("1 March 2024\n\nTitle of the story here now", dt.date(2024, 3, 1), None, False),
    # year-less article date, year taken from the page date and flagged as inferred
    ("Monday, 4 March 2024\n\nTitle of the story here now\n\nPublished: 1 March", dt.date(2024, 3, 1), dt.date(2024, 3, 4), True),
    # year-less and nothing to infer from: no date at all, never this year
    ("Title of the story here now\n\nPublished: 1 March", None, None, False),
])
def test_dates_and_page_dates(header, published, page_date, inferred):
    text = header + "\n\nThe council met on Tuesday to discuss the budget and agreed on a plan for the year ahead."
    (a,) = ingest_text(text, fmt="txt", source=SRC)
    value = a.published.date() if isinstance(a.published, dt.datetime) else a.published
    assert value == published
    assert a.page_date == page_date
    assert a.date_inferred is inferred
    assert a.title == "Title of the story here now"


def test_month_first_source_reads_numeric_dates_month_first():
    src = SourceConfig(name="us", display_name="US", language="en", date_order="MDY")
    (a,) = ingest_text("A headline for this story\n\n03/04/2024\n\nBody text of the story goes here.", fmt="txt", source=src)
    assert a.published == dt.date(2024, 3, 4)


def test_hard_wrapped_wire_copy_is_joined_into_paragraphs():
    text = ("BANK RATE CUT\n\nLONDON, March 3 - The Bank of England cut its base rate by half a\n"
            "point today, the first cut since the autumn, dealers said.\n"
            "    Dealers said the move had been widely expected after the\n"
            "pound's rise on foreign exchange markets.\n Reuter")
    (a,) = ingest_text(text, fmt="txt", source=SRC)
    assert a.title == "BANK RATE CUT"
    assert a.dateline == "London"
    assert a.body == [
        "LONDON, March 3 - The Bank of England cut its base rate by half a point today, the first cut since the autumn, dealers said.",
        "Dealers said the move had been widely expected after the pound's rise on foreign exchange markets.",
    ]


def test_dump_joined_with_single_newlines_keeps_its_title_and_date_lines_apart():
    # A scraper's "\n".join(lines): one chunk with no blank line, whose wrapped paragraph lines
    # make it look hard-wrapped; the short title and date lines must not run into the lead.
    text = ("Grain corridor talks resume in Astana\n"
            "27 Apr 2020\n"
            "Delegations from the five states met in Astana on Monday to discuss\n"
            "the grain corridor, which was closed in the spring after a dispute\n"
            "over tariffs, officials said after the first round of the talks.\n"
            "The next round is due in May, when the ministers of agriculture\n"
            "are expected to sign the agreement on the transit of grain by rail.")
    (a,) = ingest_text(text, fmt="txt", source=SRC)
    assert a.title == "Grain corridor talks resume in Astana"
    assert a.published == dt.date(2020, 4, 27)
    assert a.body[0].startswith("Delegations from the five states met in Astana on Monday to discuss the grain corridor")


def test_jsonl_fields_are_taken_as_stated():
    line = ('{"title": "Talks in Astana", "text": "Delegations met in Astana on Monday.\\n\\nThey agreed to meet again.", '
            '"date": "2023-11-05T09:30:00+06:00", "url": "https://example.org/a", "author": "A. Writer"}')
    (a,) = ingest_text(line, fmt="jsonl", source=SRC, rel_path="x.jsonl")
    assert a.title == "Talks in Astana"
    assert a.body == ["Delegations met in Astana on Monday.", "They agreed to meet again."]
    assert a.published.date() == dt.date(2023, 11, 5)
    assert a.url == "https://example.org/a" and a.author == "A. Writer"
    assert "Astana" in a.cities


def test_text_with_no_title_line_gets_its_first_sentence():
    text = ("The government announced on Monday that it would raise the minimum wage by ten percent from "
            "January, a move that unions welcomed. Employers said the rise was too steep.")
    (a,) = ingest_text(text, fmt="txt", source=SRC)
    assert a.title.startswith("The government announced on Monday")
    assert len(a.title) <= 141


def test_lines_repeated_across_a_source_are_template_text(tmp_path):
    from searchapp.config import Settings
    from searchapp.ingest.pipeline import ingest_corpus

    src = tmp_path / "corpus" / "outlet"
    src.mkdir(parents=True)
    stories = ["Parliament passes the new budget law", "Floods hit the northern regions hard",
               "Central bank keeps its key rate unchanged", "New metro line opens in the capital"]
    for n, title in enumerate(stories):
        (src / f"{n}.txt").write_text(
            f"{title}\n\nThe story number {n} begins with its own first paragraph of real reporting text.\n\n"
            "Our reporters work around the clock\n\nA second paragraph that is unique to story "
            f"{n} and says something else entirely.", encoding="utf-8")
    settings = Settings(corpus_dir=tmp_path / "corpus")
    articles = [a for _, arts in ingest_corpus(settings, progress=False) for a in arts]
    assert len(articles) == 4
    for a in articles:
        assert all("Our reporters work around the clock" not in b for b in a.body)
        assert any(r.startswith("template text: Our reporters") for r in a.removed)
        assert len(a.body) == 2


def test_copies_of_one_story_in_a_source_keep_their_own_short_lines(tmp_path):
    """A story saved three times (again later, under other menus) is one file for template text."""
    from searchapp.config import Settings
    from searchapp.ingest.pipeline import ingest_corpus

    src = tmp_path / "corpus" / "outlet"
    src.mkdir(parents=True)
    story = ("Dam breach floods three villages\n\nRescuers reached the villages by boat on Sunday.\n\n"
             "The regional governor said the dam had been inspected in spring and found sound, and "
             "that an inquiry would look at the maintenance records of the past ten years in full.\n\n"
             "Residents were moved to schools.\n\nEngineers expect the water to recede within a week, "
             "the ministry said in a statement, adding that the road to the valley stays closed.")
    menus = ["Home\n\nPolitics\n\nSport", "Главная\n\nПолитика\n\nСпорт", "Home\n\nWorld\n\nVideo"]
    for n, menu in enumerate(menus):
        (src / f"copy{n}.txt").write_text(f"{menu}\n\n{story}", encoding="utf-8")
    (src / "other.txt").write_text(
        "Home\n\nPolitics\n\nSport\n\nMayor opens the new bridge\n\nThe bridge links the two halves "
        "of the town for the first time since the old one was closed, the mayor said at the opening.",
        encoding="utf-8")
    articles = [a for _, arts in ingest_corpus(Settings(corpus_dir=tmp_path / "corpus", ingest_workers=1),
                                               progress=False) for a in arts]
    copies = [a for a in articles if "Rescuers" in " ".join(a.body) or "Dam breach" in a.title]
    assert len(copies) == 3
    for a in copies:
        assert a.title == "Dam breach floods three villages"
        assert "Rescuers reached the villages by boat on Sunday." in a.body
        assert "Residents were moved to schools." in a.body
        assert not any(r.startswith("template text") for r in a.removed)


def test_a_long_footer_on_every_page_does_not_hide_the_site_template(tmp_path):
    """Short stories around a long legal footer are still different stories: menus are template."""
    from searchapp.config import Settings
    from searchapp.ingest.pipeline import ingest_corpus

    src = tmp_path / "corpus" / "outlet"
    src.mkdir(parents=True)
    footer = ("The outlet is registered with the national media regulator under licence number 0042; any "
              "use of its materials requires a hyperlink to the outlet and the written consent of the editors.")
    towns = ["Aktobe", "Pavlodar", "Kostanay", "Taraz", "Oral", "Semey", "Atyrau", "Kokshetau"]
    for n, town in enumerate(towns):
        (src / f"{n}.txt").write_text(
            f"Home\n\nRegions\n\nSubscribe to our channel\n\n{town} opens a new school\n\n"
            f"A new school for {300 + 40 * n} pupils opened in {town} on Monday, officials said.\n\n{footer}",
            encoding="utf-8")
    articles = [a for _, arts in ingest_corpus(Settings(corpus_dir=tmp_path / "corpus", ingest_workers=1),
                                               progress=False) for a in arts]
    assert len(articles) == len(towns)
    for a in articles:
        assert any(r == "template text: Subscribe to our channel" for r in a.removed), a.removed
        assert any(f"pupils opened in" in b for b in a.body)


def test_a_folder_of_one_days_stories_keeps_each_headline_date_and_byline(tmp_path):
    """An outlet's files from one day share their date line and their reporter: those are the
    header of each page, not the site's template, and every story keeps its headline under them."""
    from searchapp.config import Settings
    from searchapp.ingest.pipeline import ingest_corpus

    src = tmp_path / "corpus" / "outlet"
    src.mkdir(parents=True)
    stories = [("Regional council approves a plan to rebuild the old harbour", "harbour", "fishermen"),
               ("City hospital opens a new children's ward after two years of work", "ward", "doctors"),
               ("Farmers report the best grain harvest in a decade across the province", "harvest", "farmers"),
               ("Police close the coastal road after a landslide near the village", "landslide", "drivers"),
               ("University announces free evening courses for adults this autumn", "courses", "students"),
               ("Local football club signs a young striker from the capital", "striker", "supporters")]
    for n, (title, thing, people) in enumerate(stories):
        (src / f"{n}.txt").write_text("\n\n".join([
            thing.upper(), title, f"The {thing} is what {people} here have talked about for months.",
            "27 Apr 2020", "by", "Maria Sanchez" if n % 2 else "EFE",
            f"The announcement about the {thing} came on Monday morning, after a long meeting in the town hall "
            f"that {people} and officials had waited for since the winter.",
            f"Several {people} said they welcomed the news about the {thing}, though some warned that the "
            "details still had to be worked out before anything could change on the ground.",
            f"Officials promised to publish a full timetable for the {thing} within the next two weeks and to "
            "hold an open meeting where residents can put their questions directly to the council.",
            "About us", "Contact", "© Coast Herald 2020"]), encoding="utf-8")
    articles = [a for _, arts in ingest_corpus(Settings(corpus_dir=tmp_path / "corpus", ingest_workers=1),
                                               progress=False) for a in arts]
    assert sorted(a.title for a in articles) == sorted(t for t, _, _ in stories)
    for a in articles:
        assert a.published == dt.date(2020, 4, 27), (a.title, a.removed)
        assert a.author in ("Maria Sanchez", "EFE"), (a.title, a.removed)
        assert any(r == "template text: About us" for r in a.removed), a.removed


def test_a_headline_starting_with_by_letters_is_no_byline():
    text = ("Bystander rescues swimmer off the pier\n\n"
            "A passer-by pulled a swimmer from the water on Sunday after a strong current swept him off the pier.\n\n"
            "The swimmer was taken to hospital and is recovering, the coastguard said.")
    (a,) = ingest_text(text, fmt="txt", source=SRC)
    assert a.title == "Bystander rescues swimmer off the pier"
    assert a.author is None
    assert not any(r.startswith("byline") for r in a.removed)


def test_a_headline_naming_the_us_is_no_social_promo():
    text = ("Film stars join US charity concert for flood victims\n\n"
            "Several film stars have been added to the line-up of a charity concert for the victims of the floods.\n\n"
            "The concert will be broadcast live on Saturday evening, the organisers said.")
    (a,) = ingest_text(text, fmt="txt", source=SRC)
    assert a.title == "Film stars join US charity concert for flood victims"
    from searchapp.ingest.clean import line_verdict

    assert line_verdict("Join us on Telegram", "latin") == "newsletter or social promo"
    assert line_verdict("FOLLOW US ON TWITTER", "latin") == "newsletter or social promo"


def test_a_russian_headline_naming_a_latin_brand_is_no_foreign_menu():
    src = SourceConfig(name="ru", display_name="Лента", language="ru", date_order="DMY")
    text = ("Volkswagen Group покупает Porsche\n\n"
            "Южнокорейская компания объявила в понедельник о строительстве нового завода под Калугой.\n\n"
            "Производство начнёт работу через два года, сообщили в пресс-службе компании.")
    (a,) = ingest_text(text, fmt="txt", source=src)
    assert a.title == "Volkswagen Group покупает Porsche"
    from searchapp.ingest.clean import line_verdict

    assert line_verdict("KAZ | ENG", "cyrillic") == "navigation in another script"
    assert line_verdict("Volkswagen Group покупает Porsche", "cyrillic") is None


def test_a_texts_own_headline_keeps_whom_it_quotes():
    # A plain article file opens with its headline, not a page's <title>: " - Governor" is no site name.
    text = ("Rates must stay low for now - Governor\n\n"
            "The central bank's governor said on Monday that interest rates would stay at their present level "
            "until inflation had fallen for two quarters in a row.\n\n"
            "He told a parliamentary committee that the bank expected prices to rise more slowly next year.")
    (a,) = ingest_text(text, fmt="txt", source=SRC)
    assert a.title == "Rates must stay low for now - Governor"
    # A bar or an outlet word is a site name even there.
    (b,) = ingest_text(text.replace(" - Governor", " | Steppe News Agency", 1), fmt="txt", source=SRC)
    assert b.title == "Rates must stay low for now"


def test_a_date_line_under_the_standfirst_is_the_header_not_the_text():
    text = ("Farmers report the best grain harvest in a decade\n\n"
            "The harvest is what farmers here have talked about for months.\n\n"
            "27 Apr 2020\n\n"
            "The ministry said on Monday that the grain harvest reached its highest level in ten years, "
            "after a wet spring and a warm summer across the province.")
    (a,) = ingest_text(text, fmt="txt", source=SRC)
    assert a.title == "Farmers report the best grain harvest in a decade"
    assert a.published == dt.date(2020, 4, 27)
    assert a.body[0] == "The harvest is what farmers here have talked about for months."
    assert "27 Apr 2020" not in a.body
    assert "date line: 27 Apr 2020" in a.removed
