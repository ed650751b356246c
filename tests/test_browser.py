"""Real headless Chromium against the real server (waitress): the analyst's morning routine."""
from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

from browser_support import browser_page, require_browser, screenshot
from searchapp.serve import Running, start_in_thread
from web_support import build_index

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    require_browser()
    running = start_in_thread(build_index(tmp_path_factory.mktemp("browser")))
    yield running
    running.stop()


def params_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def total_on(page) -> int:
    text = page.locator("#results-heading").inner_text()
    m = re.search(r"of ([\d,]+) article", text)
    return int(m.group(1).replace(",", "")) if m else 0


def test_search_facet_page_article_timeline_and_back(server: Running) -> None:
    with browser_page() as page:
        violations: list[str] = []
        page.on("console", lambda msg: violations.append(msg.text)
                if "Content Security Policy" in msg.text or msg.type == "error" else None)
        page.on("pageerror", lambda exc: violations.append(str(exc)))
        page.goto(server.url + "/search?size=3")

        # Type a query: "/" focuses the box (our one script), Enter submits, the box keeps it.
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.id") == "q"
        page.keyboard.type("csto")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"q=csto"))
        assert page.input_value("#q") == "csto"
        assert params_of(page.url)["size"] == ["3"]  # the state travels with a new query
        overall = total_on(page)
        assert overall > 3 and page.locator("ol.hits li").count() == 3
        assert page.locator("ol.hits mark").count() > 0

        # Pick a facet: the results narrow and a chip offers to undo it.
        facet = page.locator(".facet a.facet-value[href*='country=']").first
        chosen = params_of(facet.get_attribute("href"))["country"][-1]
        facet.click()
        page.wait_for_url(re.compile(r"country="))
        narrowed = total_on(page)
        assert 0 < narrowed <= overall
        assert page.locator(".chip", has_text=chosen).count() == 1

        # Page forward, then open an article from page 2.
        if narrowed > 3:
            page.click("a[rel=next]")
            page.wait_for_url(re.compile(r"page=2"))
            assert page.locator(".pager .current").inner_text() == "2"
        results_url = page.url
        first = page.locator("ol.hits h2 a").first
        title = first.inner_text()
        first.click()
        page.wait_for_url(re.compile(r"/article/"))
        assert page.locator("h1.article-title").inner_text() == title
        assert page.locator(".body mark").count() > 0  # the query words, highlighted
        assert page.locator(".similar").count() == 1
        screenshot(page, "article")

        # Back to the results, exactly where we were.
        page.go_back()
        page.wait_for_url(results_url)
        assert page.input_value("#q") == "csto"

        # Follow a timeline bar: narrows to that period with the count the bar promised.
        page.goto(server.url + "/search?q=csto")
        bar = page.locator("svg.timeline-svg a.bar").first
        label = bar.get_attribute("aria-label")
        promised = int(re.search(r": ([\d,]+) article", label).group(1).replace(",", ""))
        before = page.url
        bar.click()
        page.wait_for_url(re.compile(r"year="))
        assert total_on(page) == promised
        page.go_back()
        page.wait_for_url(before)

        screenshot(page, "search")
        assert not violations, violations


def test_keyboard_focus_is_visible_and_reaches_results(server: Running) -> None:
    with browser_page() as page:
        page.goto(server.url + "/search?q=president")
        reached_result = False
        for _ in range(40):
            page.keyboard.press("Tab")
            info = page.evaluate("""() => {
                const el = document.activeElement;
                const cs = getComputedStyle(el);
                return {tag: el.tagName, cls: el.closest('ol.hits') ? 'hit' : '',
                        outline: cs.outlineStyle, width: cs.outlineWidth};
            }""")
            if info["tag"] in ("A", "INPUT", "BUTTON"):
                assert info["outline"] != "none" and info["width"] != "0px", info
            if info["cls"] == "hit":
                reached_result = True
                break
        assert reached_result
        unlabeled = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden])')]
            .filter(i => !(i.labels && i.labels.length) && !i.getAttribute('aria-label'))
            .map(i => i.name)""")
        assert unlabeled == []


def test_phone_width_has_no_horizontal_scroll(server: Running) -> None:
    with browser_page(width=375, height=800) as page:
        for path in ("/search?q=zebrafish", "/search?q=csto", "/sources", "/help",
                     "/compare?q=csto&q=zebrafish&q=Минск&baseline=1"):
            page.goto(server.url + path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, (path, overflow)
        page.goto(server.url + "/search?q=zebrafish")
        article = page.locator("ol.hits h2 a", has_text="real link").first
        article.click()
        page.wait_for_url(re.compile(r"/article/"))
        assert page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        page.goto(server.url + "/search?q=csto")
        screenshot(page, "search-phone")


def test_hostile_article_runs_no_script(server: Running) -> None:
    with browser_page() as page:
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(server.url + "/search?q=zebrafish&size=50")
        links = page.locator("ol.hits h2 a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert len(hrefs) >= 5
        for href in hrefs:
            page.goto(server.url + href)
            for a in page.locator("a").all():
                target = a.get_attribute("href") or ""
                assert not target.lower().strip().startswith(("javascript:", "data:", "//"))
        page.goto(server.url + "/search?q=%3Cscript%3Ealert(1)%3C/script%3E")
        assert dialogs == []


def test_the_export_link_carries_the_query_and_filters_and_downloads_the_rows(server: Running) -> None:
    import csv
    import io

    with browser_page() as page:
        page.goto(server.url + "/search?q=csto&size=3")
        page.locator(".facet a.facet-value[href*='country=']").first.click()
        page.wait_for_url(re.compile(r"country="))
        page.locator(".sort a", has_text="Newest first").click()
        page.wait_for_url(re.compile(r"sort=newest"))
        state = params_of(page.url)
        link = page.locator("a.export-link", has_text="CSV")
        wanted = {k: v for k, v in state.items() if k not in ("page", "size")}
        assert params_of(link.get_attribute("href")) == {**wanted, "format": ["csv"]}
        with page.expect_download() as info:
            link.click()
        download = info.value
        data = open(download.path(), "rb").read()
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        shown = page.locator("ol.hits h2 a").all_inner_texts()
        assert [r["title"] for r in rows[:len(shown)]] == shown
        assert len(rows) == total_on(page)
        assert download.suggested_filename == "search-csto.csv"
