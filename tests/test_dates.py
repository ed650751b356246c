"""Table-driven tests for searchapp.ingest.dates."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from searchapp.ingest.dates import find_dates, is_date_line, parse_date, split_partial

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "seeds"
UTC = dt.timezone.utc


@pytest.mark.parametrize("raw, order, value, precision", [
    ("2024-07-26", "DMY", dt.date(2024, 7, 26), "day"),
    ("2024-07-26T10:39:00+03:00", "DMY",
     dt.datetime(2024, 7, 26, 10, 39, tzinfo=dt.timezone(dt.timedelta(hours=3))), "day"),
    ("2024-07-26T10:39:00Z", "DMY", dt.datetime(2024, 7, 26, 10, 39, tzinfo=UTC), "day"),
    ("Tue, 15 Nov 1994 08:12:31 GMT", "DMY", dt.datetime(1994, 11, 15, 8, 12, 31, tzinfo=UTC), "day"),
    ("Tue, 15 Nov 94 08:12:31 GMT", "DMY", dt.datetime(1994, 11, 15, 8, 12, 31, tzinfo=UTC), "day"),
    ("26.07.2024", "DMY", dt.date(2024, 7, 26), "day"),
    ("07/26/2024", "MDY", dt.date(2024, 7, 26), "day"),
    ("05/06/2024", "DMY", dt.date(2024, 6, 5), "day"),
    ("05/06/2024", "MDY", dt.date(2024, 5, 6), "day"),
    ("07/26/2024", "DMY", dt.date(2024, 7, 26), "day"),        # only one reading is a date
    ("2024/07/26", "YMD", dt.date(2024, 7, 26), "day"),
    ("May 24, 2018", "DMY", dt.date(2018, 5, 24), "day"),
    ("24 May 2018", "MDY", dt.date(2018, 5, 24), "day"),
    ("Sunday, September 26th, 2021", "DMY", dt.date(2021, 9, 26), "day"),
    ("30 ноября 2017", "DMY", dt.date(2017, 11, 30), "day"),
    ("30 ноября 2017 г.", "DMY", dt.date(2017, 11, 30), "day"),
    ("3 сент. 2019", "DMY", dt.date(2019, 9, 3), "day"),
    ("Воскресенье, 5 мая 2019", "DMY", dt.date(2019, 5, 5), "day"),
    ("2 февраля 2020 г., 14:05", "DMY", dt.datetime(2020, 2, 2, 14, 5), "day"),
    ("Июль 2017", "DMY", dt.date(2017, 7, 1), "month"),
    ("в марте 2016 года", "DMY", dt.date(2016, 3, 1), "month"),
    ("2017", "DMY", dt.date(2017, 1, 1), "year"),
    ("24. Mai 2018", "DMY", dt.date(2018, 5, 24), "day"),
    ("1er mai 2018", "DMY", dt.date(2018, 5, 1), "day"),
    ("26-FEB-1987 15:01:01.79", "DMY", dt.datetime(1987, 2, 26, 15, 1, 1), "day"),
    ("9 March 2020 at 3:15 pm", "DMY", dt.datetime(2020, 3, 9, 15, 15), "day"),
    # One-digit parts, every order: a four-digit first group is a year whatever the source says.
    ("2017/2/7", "DMY", dt.date(2017, 2, 7), "day"),
    ("2017/2/7", "MDY", dt.date(2017, 2, 7), "day"),
    ("2017/12/30", "DMY", dt.date(2017, 12, 30), "day"),
    ("2017-2-7", "DMY", dt.date(2017, 2, 7), "day"),
    ("2017.2.7", "MDY", dt.date(2017, 2, 7), "day"),
    ("  2016/12/30 7:11", "DMY", dt.datetime(2016, 12, 30, 7, 11), "day"),
    ("7.2.2017", "DMY", dt.date(2017, 2, 7), "day"),
    ("7.2.2017", "MDY", dt.date(2017, 7, 2), "day"),
    ("2-7-2017", "DMY", dt.date(2017, 7, 2), "day"),
    ("2-7-2017", "MDY", dt.date(2017, 2, 7), "day"),
    ("2/7/17", "MDY", dt.date(2017, 2, 7), "day"),
    ("17/2/7", "YMD", dt.date(2017, 2, 7), "day"),
    ("17/02/07", "YMD", dt.date(2017, 2, 7), "day"),
    # Spanish, Portuguese and Italian month names, with their "de"; French and Portuguese "16h28"
    ("4 de mayo de 2022", "DMY", dt.date(2022, 5, 4), "day"),
    ("miércoles, 4 de mayo de 2022", "DMY", dt.date(2022, 5, 4), "day"),
    ("29 de septiembre de 2020", "DMY", dt.date(2020, 9, 29), "day"),
    ("octubre 7, 2020", "DMY", dt.date(2020, 10, 7), "day"),
    ("11 de Outubro de 2020, 8:34", "DMY", dt.datetime(2020, 10, 11, 8, 34), "day"),
    ("Domenica 06 Dicembre 2020", "DMY", dt.date(2020, 12, 6), "day"),
    ("1er novembre 2023 à 16h28", "DMY", dt.datetime(2023, 11, 1, 16, 28), "day"),
    ("23/06/2020 16h45", "DMY", dt.datetime(2020, 6, 23, 16, 45), "day"),
    ("13. 1. 2020", "DMY", dt.date(2020, 1, 13), "day"),   # Czech and German, a space after each dot
    ("2020年7月1日", "DMY", dt.date(2020, 7, 1), "day"),
    ("2020년 7월 1일", "DMY", dt.date(2020, 7, 1), "day"),
    # the region's other languages and the neighbours' press, as their outlets write a date
    ("20 квітня 2026", "DMY", dt.date(2026, 4, 20), "day"),            # Ukrainian
    ("14 лістапада 2025", "DMY", dt.date(2025, 11, 14), "day"),        # Belarusian
    ("3 сәуір 2025, 10:15", "DMY", dt.datetime(2025, 4, 3, 10, 15), "day"),   # Kazakh
    ("2025 жылғы 3 сәуір", "DMY", dt.date(2025, 4, 3), "day"),
    ("2025 ж. 3 сәуір 10:15", "DMY", dt.datetime(2025, 4, 3, 10, 15), "day"),
    ("12 sentabr 2024", "DMY", dt.date(2024, 9, 12), "day"),           # Uzbek
    ("20 Nisan 2026", "DMY", dt.date(2026, 4, 20), "day"),             # Turkish
    ("20 NİSAN 2026", "DMY", dt.date(2026, 4, 20), "day"),
    ("4 października 2024", "DMY", dt.date(2024, 10, 4), "day"),       # Polish
    ("20. dubna 2026", "DMY", dt.date(2026, 4, 20), "day"),            # Czech
    ("3 maart 2024", "DMY", dt.date(2024, 3, 3), "day"),               # Dutch
])
def test_parse_date(raw: str, order: str, value: dt.date, precision: str) -> None:
    found = parse_date(raw, order=order)
    assert found is not None
    assert (found.value, found.precision, found.inferred) == (value, precision, False)
    assert type(found.value) is type(value)


@pytest.mark.parametrize("raw", [
    "12 June , 10:39",      # seed 004: no year, and no reference year given
    "31.02.2024", "30 февраля 2020",   # not calendar dates
    "1700", "12.05.2150",   # outside 1800..2100
    "", "hello", "version 1.2.3", "13/13/2020", "2017/13/7", "2017/2/30", "17/2/7",
])
def test_parse_date_rejects(raw: str) -> None:
    assert parse_date(raw) is None


def test_year_comes_only_from_reference_year() -> None:
    found = parse_date("12 June , 10:39", reference_year=2018)
    assert found is not None
    assert found.value == dt.datetime(2018, 6, 12, 10, 39)
    assert found.inferred and found.precision == "day"
    assert parse_date("30 февраля", reference_year=2020) is None


@pytest.mark.parametrize("raw, expected", [
    ("Almaty city12 June , 10:39", (12, 6, None)),
    ("June 5, 10:00", (5, 6, None)),
    ("5 мая", (5, 5, None)),
    ("26.07.2024", (26, 7, 2024)),
    ("no date here", None),
    ("12 items", None),
])
def test_split_partial(raw: str, expected: tuple | None) -> None:
    assert split_partial(raw) == expected


@pytest.mark.parametrize("line, value", [
    ("Sunday, September 26th, 2021", dt.date(2021, 9, 26)),
    ("26.07.2024", dt.date(2024, 7, 26)),
    ("  30 ноября 2017  ", dt.date(2017, 11, 30)),
    ("Published: 12.03.2019 | 10:45", dt.datetime(2019, 3, 12, 10, 45)),
    ("publié le 1er novembre 2023 à 16h28", dt.datetime(2023, 11, 1, 16, 28)),
    ("04 de mayo 2022 a las 09:01 hrs.", dt.datetime(2022, 5, 4, 9, 1)),
    ("A meeting was held 29.03.2024", None),
    ("by May 24, 2018 Market", None),
    ("Almaty city12 June , 10:39", None),
    ("26.07.2024 and 27.07.2024", None),
    ("", None),
])
def test_is_date_line(line: str, value: dt.date | None) -> None:
    found = is_date_line(line)
    assert (found.value if found else None) == value


def test_find_dates_spans_and_order() -> None:
    text = "On 25 July 2024 staff met; 19.07.2024 earlier; Sunday, September 26th, 2021 at 10:30 pm GMT."
    found = find_dates(text)
    assert [text[a:b] for a, b, _ in found] == [
        "25 July 2024", "19.07.2024", "Sunday, September 26th, 2021 at 10:30 pm GMT"]
    assert found[2][2].value == dt.datetime(2021, 9, 26, 22, 30, tzinfo=UTC)
    assert find_dates("no digits at all") == []
    assert find_dates("pages 12-14, 3.5 percent, 1,000 people") == []


@pytest.mark.skipif(not SEEDS.exists(), reason="shared corpora not beside the repo")
def test_seed_dates() -> None:
    seed1 = (SEEDS / "001_2d0388c3d7273574.txt").read_text(encoding="utf-8")
    first = find_dates(seed1)[:2]
    assert [f.value for _, _, f in first] == [dt.date(2021, 9, 26), dt.date(2018, 5, 24)]
    seed2 = (SEEDS / "002_25d3ec7f288ff7e8.txt").read_text(encoding="utf-8")
    assert is_date_line(seed2.splitlines()[0]).value == dt.date(2024, 7, 26)
    seed3 = (SEEDS / "003_a57e1f7a60cea474.txt").read_text(encoding="utf-8")
    assert is_date_line(seed3.split("\n\n")[1]).value == dt.date(2017, 11, 30)
    seed4 = (SEEDS / "004_033808dda143b908.txt").read_text(encoding="utf-8")
    line = seed4.split("\n\n")[2]
    assert line == "Almaty city12 June , 10:39"
    assert parse_date(line) is None and split_partial(line) == (12, 6, None)
