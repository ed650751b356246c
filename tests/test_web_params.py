"""Pure helpers of the web layer: URL parameters, links, timeline geometry, the markup gate."""
from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from searchapp.config import Settings
from searchapp.errors import QueryError
from searchapp.models import FacetValue, SearchRequest, TimelineBucket
from searchapp.web import params
from searchapp.web.links import Links
from searchapp.web.markup import highlighted, human_date, safe_url
from searchapp.web.timeline import layout, period_changes

S = Settings()
D = dt.date


def parse(**kw: str | list[str]) -> SearchRequest:
    return params.parse_args(params.from_mapping(kw), S)


@pytest.mark.parametrize("args, expected", [
    ({}, SearchRequest()),
    ({"q": "  oil  prices "}, SearchRequest(query="oil  prices")),
    ({"q": "a\x00b\x1fc"}, SearchRequest(query="a b c")),
    ({"page": "3", "size": "25"}, SearchRequest(page=3, page_size=25)),
    ({"from": "", "to": ""}, SearchRequest()),          # the date form left blank
    ({"undated": "true"}, SearchRequest(undated=True)),  # an OpenAPI boolean
    ({"undated": "false", "from": "2017"}, SearchRequest(date_from=D(2017, 1, 1))),
    ({"undated": "1", "from": "", "to": ""}, SearchRequest(undated=True)),
    ({"from": "2018-01-01", "to": "2017-01-01"},
     SearchRequest(date_from=D(2018, 1, 1), date_to=D(2017, 1, 1))),  # empty, with a note
    ({"source": [f"s{i}" for i in range(32)], "country": [f"c{i}" for i in range(32)]},
     SearchRequest(sources=[f"s{i}" for i in range(32)], countries=[f"c{i}" for i in range(32)])),
    ({"sort": "newest"}, SearchRequest(sort="newest")),
    ({"source": ["csto", "csto", "kazinform"]}, SearchRequest(sources=["csto", "kazinform"])),
    ({"country": "Belarus", "city": "Minsk", "lang": "ru"},
     SearchRequest(countries=["Belarus"], cities=["Minsk"], languages=["ru"])),
    ({"year": "2017", "month": "7", "day": "17"}, SearchRequest(year=2017, month=7, day=17)),
    ({"from": "2017", "to": "2017"}, SearchRequest(date_from=D(2017, 1, 1), date_to=D(2017, 12, 31))),
    ({"from": "2016-02", "to": "2016-02"}, SearchRequest(date_from=D(2016, 2, 1), date_to=D(2016, 2, 29))),
    ({"from": "2017-07-17"}, SearchRequest(date_from=D(2017, 7, 17))),
    ({"undated": "1"}, SearchRequest(undated=True)),
    ({"undated": "0"}, SearchRequest()),
    ({"utm_source": "mail"}, SearchRequest()),
])
def test_parse_args_accepts(args: dict, expected: SearchRequest) -> None:
    assert parse(**args) == expected


@pytest.mark.parametrize("args, message", [
    ({"page": "abc"}, "page must be a whole number from 1 to 100; got 'abc'"),
    ({"page": "0"}, "page must be a whole number from 1 to 100; got 0"),
    ({"page": "-5"}, "from 1 to 100"),
    ({"page": "101"}, "page must be a whole number from 1 to 100; got 101"),
    ({"page": "1e3"}, "got '1e3'"),
    ({"page": "9" * 40}, "from 1 to 100"),
    ({"page": ["1", "2"]}, "'page' was given 2 times"),
    ({"size": "0"}, "size must be a whole number from 1 to 100"),
    ({"size": "1000"}, "size must be a whole number from 1 to 100; got 1000"),
    ({"size": "-1"}, "size must be"),
    ({"sort": "date"}, "sort must be one of relevance, newest, oldest; got 'date'"),
    ({"from": "yesterday"}, "from must be a date as YYYY-MM-DD"),
    ({"to": "2017-13-01"}, "to is not a real date"),
    ({"from": "2017-02-30"}, "from is not a real date"),
    ({"from": "0000"}, "from is not a real date"),
    ({"page": ""}, "got ''"),
    ({"size": "１０"}, "size must be a whole number from 1 to 100; got '１０'"),
    ({"size": " 10"}, "got ' 10'"),
    ({"page": "+2"}, "got '+2'"),
    ({"from": " 2017"}, "from must be a date"),
    ({"from": "2017\n"}, "from must be a date"),
    ({"from": "２０１７"}, "from must be a date"),
    ({"sort": ""}, "sort must be one of"),
    ({"undated": "yes"}, "undated must be 1 or 0"),
    ({"undated": "true", "to": "2017"}, "cannot be combined"),
    ({"q": "x" * 501}, "at most 500 are allowed"),
    ({"year": "twenty"}, "year must be a year from 1 to 9999"),
    ({"month": "7"}, "month needs a year"),
    ({"year": "2017", "month": "13"}, "month must be a month number from 1 to 12"),
    ({"year": "2017", "day": "3"}, "day needs a year and a month"),
    ({"year": "2017", "month": "2", "day": "30"}, "2017-02-30 is not a real date"),
    ({"undated": "maybe"}, "undated must be 1 or 0"),
    ({"undated": "1", "year": "2017"}, "cannot be combined"),
    ({"source": ["s"] * 1 + [f"s{i}" for i in range(40)]}, "source was given 41 times; at most 32"),
    ({"country": "x" * 600}, "at most 500 characters"),
])
def test_parse_args_refuses_with_a_message(args: dict, message: str) -> None:
    with pytest.raises(QueryError) as err:
        parse(**args)
    assert message in str(err.value)


def test_a_range_that_ends_before_it_starts_is_empty_with_a_note() -> None:
    req = parse(**{"from": "2018-01-01", "to": "2017-01-01"})
    note = params.empty_range(req)
    assert note and "swap them" in note
    page = params.empty_page(req, note)
    assert page.total == 0 and page.hits == [] and page.notes == [note]
    assert params.empty_range(parse(**{"from": "2017", "to": "2017"})) is None


def test_page_limit_follows_settings() -> None:
    tight = Settings(max_page=5, max_page_size=7, default_page_size=3)
    assert params.parse_args(params.from_mapping({}), tight).page_size == 3
    with pytest.raises(QueryError, match="from 1 to 5"):
        params.parse_args(params.from_mapping({"page": "6"}), tight)
    with pytest.raises(QueryError, match="from 1 to 7"):
        params.parse_args(params.from_mapping({"size": "8"}), tight)


requests = st.builds(
    SearchRequest,
    query=st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30).map(str.strip),
    sources=st.lists(st.text("abcxyz-", min_size=1, max_size=5), max_size=3, unique=True),
    countries=st.lists(st.sampled_from(["Belarus", "Россия", "Côte d'Ivoire", "A&B"]),
                       max_size=2, unique=True),
    year=st.none() | st.integers(1900, 2100),
    date_from=st.none() | st.dates(D(1900, 1, 1), D(2000, 1, 1)),
    date_to=st.none() | st.dates(D(2000, 1, 2), D(2100, 1, 1)),
    sort=st.sampled_from(params.SORTS), page=st.integers(1, 100), page_size=st.integers(1, 100))


@hsettings(max_examples=200, deadline=None)
@given(requests)
def test_url_round_trip(req: SearchRequest) -> None:
    """Whatever state the page is in, its link reproduces it."""
    url = Links(req, S).url()
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    assert params.parse_args(params.from_mapping(query), S) == req


def test_links_change_one_thing_and_reset_the_page() -> None:
    req = SearchRequest(query="oil", countries=["Belarus"], year=2017, month=7, page=4)
    links = Links(req, S)
    assert links.page(5) == "/search?q=oil&country=Belarus&year=2017&month=7&page=5"
    assert links.sort("newest") == "/search?q=oil&country=Belarus&year=2017&month=7&sort=newest"
    assert links.facet("country", FacetValue("Russia", 3)) == \
        "/search?q=oil&country=Belarus&country=Russia&year=2017&month=7"
    assert links.facet("country", FacetValue("Belarus", 3, selected=True)) == \
        "/search?q=oil&year=2017&month=7"
    assert links.facet("year", FacetValue("2018", 3)) == "/search?q=oil&country=Belarus&year=2018"
    assert links.facet("year", FacetValue("2017", 3, selected=True)) == "/search?q=oil&country=Belarus"
    assert links.undated() == "/search?q=oil&country=Belarus&undated=1"
    chips = {c.label: c.href for c in links.chips()}
    assert chips == {"Country: Belarus": "/search?q=oil&year=2017&month=7",
                     "Year: 2017": "/search?q=oil&country=Belarus",
                     "Month: July": "/search?q=oil&country=Belarus&year=2017"}
    assert links.clear_filters() == "/search?q=oil"
    assert req.page == 4 and req.countries == ["Belarus"]  # links never mutate the request


@pytest.mark.parametrize("page, pages, expected", [
    (1, 1, []),
    (1, 3, [1, 2, 3]),
    (1, 10, [1, 2, 3, None, 10]),
    (6, 10, [1, None, 4, 5, 6, 7, 8, 9, 10]),
    (10, 500, [1, None, 8, 9, 10, 11, 12, None, 100]),
])
def test_page_numbers(page: int, pages: int, expected: list) -> None:
    assert Links(SearchRequest(page=page), S).pages(pages) == expected


def test_timeline_bars_link_to_their_period() -> None:
    buckets = [TimelineBucket("2017-06", "Jun 2017", 4, "2017-06-01", "2017-06-30"),
               TimelineBucket("2017-07", "Jul 2017", 0, "2017-07-01", "2017-07-31"),
               TimelineBucket("2017-08", "Aug 2017", 1, "2017-08-01", "2017-08-31")]
    links = Links(SearchRequest(query="oil", date_from=D(2017, 6, 10)), S)
    chart = layout(buckets, "month", links.bar)
    assert chart is not None and chart.max_count == 4
    tall, empty, short = chart.bars
    assert tall.href == "/search?q=oil&year=2017&month=6&from=2017-06-10"
    assert tall.title == "Jun 2017: 4 articles" and short.title == "Aug 2017: 1 article"
    assert empty.height == 0 and short.height >= 2 and tall.height > short.height
    assert tall.y + tall.height == chart.baseline
    assert all(b.x + b.width <= chart.width for b in chart.bars)
    assert layout([], "year", links.bar) is None
    assert period_changes(buckets[0]) == {"year": 2017, "month": 6, "day": None}


def test_timeline_labels_stay_few() -> None:
    buckets = [TimelineBucket(str(y), str(y), 1, f"{y}-01-01", f"{y}-12-31") for y in range(1900, 2000)]
    chart = layout(buckets, "year", lambda b: "/")
    assert chart is not None and 1 < len(chart.labels) <= 8


@pytest.mark.parametrize("fragment, trusted", [
    ("plain &amp; <mark>oil</mark> &lt;script&gt;", True),
    ("…<mark>a</mark> b <mark>c</mark>…", True),
    ("<script>alert(1)</script>", False),
    ("<mark onclick=x>oil</mark>", False),
    ("<mark><mark>x</mark></mark>", False),
    ("<mark>x", False),
    ("a & b", False),
    ('say "hi"', False),
])
def test_markup_gate_trusts_only_marks(fragment: str, trusted: bool) -> None:
    out = str(highlighted(fragment))
    assert (out == fragment) is trusted
    if not trusted:
        assert "<script" not in out and "<mark on" not in out


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/a?b=1", True), ("http://x.kz", True), ("HTTPS://X.KZ/", True),
    ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False), (" javascript:alert(1)", False),
    ("data:text/html,<b>", False), ("//evil.example/x", False), ("/relative", False),
    ("http://", False), ("http://a b", False), ("vbscript:x", False), (None, False), ("", False),
])
def test_safe_url(url: str | None, ok: bool) -> None:
    assert (safe_url(url) is not None) is ok


@pytest.mark.parametrize("iso, precision, text", [
    ("2017-07-17", "day", "17 Jul 2017"), ("2017-07-01", "month", "Jul 2017"),
    ("2017-01-01", "year", "2017"), ("2017-07-17T10:00:00", None, "17 Jul 2017"),
    (None, "day", ""), ("garbage", "day", "garbage"),
])
def test_human_date(iso: str | None, precision: str | None, text: str) -> None:
    assert human_date(iso, precision) == text
