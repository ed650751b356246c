"""The API's page dict: what dataclasses.asdict() gives, built without deep copies."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from searchapp.models import FacetValue, Hit, SearchPage, SearchRequest, TimelineBucket


def test_page_json_is_asdict_with_iso_dates() -> None:
    req = SearchRequest(query="oil", countries=["Japan"], date_from=dt.date(2017, 1, 2))
    hit = Hit(id="a#0", title="<b>Oil</b>", published="2017-01-03", date_precision="day",
              source="wire", source_name="Wire", cities=["Tokyo"], countries=["Japan"],
              language="en", score=1.5, snippet="<mark>oil</mark>", via_aliases=["нефть"])
    page = SearchPage(request=req, total=1, hits=[hit],
                      facets={"country": [FacetValue("Japan", 1, "Japan", True)]},
                      timeline=[TimelineBucket("2017", "2017", 1, "2017-01-01", "2017-12-31")],
                      timeline_unit="year", undated_count=0, notes=["n"])
    expected = asdict(page)
    expected["sort"] = "relevance"
    expected["partial"] = False                  # no shard missing
    expected["request"]["date_from"] = "2017-01-02"
    got = page.to_json()
    assert got == expected
    got["hits"][0]["cities"].append("Osaka")     # a copy: the page itself is untouched
    got["request"]["countries"].append("China")
    assert hit.cities == ["Tokyo"] and req.countries == ["Japan"]


def test_article_json_is_asdict_with_iso_dates() -> None:
    from searchapp.models import Article
    art = Article(id="s/a#0", source="s", source_name="S", path="s/a.jsonl", url=None, title="T",
                  section=None, author="A", dateline=None, published=dt.datetime(2017, 1, 3, 9, 30),
                  published_raw="3 Jan 2017", date_precision="day", date_inferred=False,
                  page_date=dt.date(2017, 1, 4), language="en", cities=["Tokyo"],
                  countries=["Japan"], body=["p1", "p2"], removed=["ad"])
    expected = asdict(art)
    expected["published"], expected["page_date"] = "2017-01-03T09:30:00", "2017-01-04"
    got = art.to_json()
    assert got == expected and list(got) == list(Article.FIELDS)
    got["body"].append("p3")                      # a copy: the article itself is untouched
    assert art.body == ["p1", "p2"]
