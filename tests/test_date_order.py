"""Day or month first: "10/11/2022" is read the way the file's own unambiguous dates show, unless
source.toml states the order (an unseen US outlet is not read as European in silence)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from searchapp.ingest import dates
from searchapp.ingest.pipeline import ingest_text
from searchapp.models import SourceConfig
from tests.test_exports import PARA, ingest, write_source

# A US outlet's page as a scraper dumps it: its own date is ambiguous, the newsletter list under
# the article is not (no 25th month).
US_DUMP = "\n\n".join([
    "Grim global outlook for finance ministers' meetings - Morning Money",
    "Home", "Newsletters", "Morning Money",
    "Grim global outlook for finance ministers' meetings",
    "By Kate Davidson",
    "10/11/2022 08:00 AM EDT",
    PARA, PARA,
    "More from Morning Money", "10/25/22", "Rates climb again", "10/24/22", "Banks brace for winter",
])


def _day(article) -> dt.date:
    value = article.published
    return value.date() if isinstance(value, dt.datetime) else value


def test_a_dump_reads_its_ambiguous_date_the_way_its_other_dates_show() -> None:
    source = SourceConfig(name="wire", display_name="Wire")
    [article] = ingest_text(US_DUMP, fmt="txt", source=source, rel_path="wire/a.txt")
    assert _day(article) == dt.date(2022, 10, 11)


def test_a_european_page_stays_day_first() -> None:
    text = US_DUMP.replace("10/25/22", "25.10.22").replace("10/24/22", "24.10.22")
    [article] = ingest_text(text, fmt="txt", source=SourceConfig(name="wire", display_name="Wire"), rel_path="a.txt")
    assert _day(article) == dt.date(2022, 11, 10)


def test_the_order_source_toml_states_wins(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_source(root, "stated", {"a.txt": US_DUMP}, 'date_order = "DMY"\n')
    write_source(root, "unstated", {"a.txt": US_DUMP})
    _, [stated] = ingest(root, "stated", "a.txt")
    _, [unstated] = ingest(root, "unstated", "a.txt")
    assert _day(stated) == dt.date(2022, 11, 10)
    assert _day(unstated) == dt.date(2022, 10, 11)


def test_an_export_reads_every_row_in_the_order_some_rows_show(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    rows = ["title,date,text", f"Budget agreed,03/04/2024,{PARA}", f"Roads reopen,03/25/2024,{PARA}"]
    write_source(root, "clippings", {"a.csv": "\n".join(rows) + "\n"})
    outcome, articles = ingest(root, "clippings", "a.csv")
    assert outcome.outcome == "indexed"
    assert [_day(a) for a in articles] == [dt.date(2024, 3, 4), dt.date(2024, 3, 25)]


def test_mixed_or_no_evidence_keeps_the_default() -> None:
    assert dates.evident_order(["25/10/2022 and 10/25/2022"], "DMY") == "DMY"
    assert dates.evident_order(["10/11/2022 only"], "DMY") == "DMY"
    assert dates.evident_order(["10/11/2022", "10/25/2022"], "DMY") == "MDY"
    assert dates.evident_order(["10/11/2022", "25.10.2022"], "MDY") == "DMY"
    # a year first is no evidence either way, and a source reading two-digit years first keeps that
    assert dates.evident_order(["2022/10/25"], "DMY") == "DMY"
    assert dates.evident_order(["10/25/22"], "YMD") == "YMD"
