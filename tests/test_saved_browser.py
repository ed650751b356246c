"""Saved searches in real headless Chromium against the real server: save from the results page,
see the new match after a reindex, mark it seen, rename, delete; and a form on another origin
that posts to the desk is refused (the browser's own Origin and Sec-Fetch-Site headers)."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_support import browser_page, require_browser, screenshot
from searchapp.config import Settings
from searchapp.indexing.reindex import reindex
from searchapp.serve import Running, start_in_thread

pytestmark = pytest.mark.browser


def write(settings: Settings, rel: str, records: list[dict[str, str]]) -> None:
    path = settings.corpus_dir / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Settings, Running]]:
    require_browser()
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    write(settings, "wire/a.jsonl", [{"title": "Gas prices", "text": "Gas prices rose.", "date": "2015-01-02"}])
    reindex(settings, full=True, progress=False)
    running = start_in_thread(settings)
    yield settings, running
    running.stop()


def test_save_look_mark_seen_rename_delete(site) -> None:
    settings, server = site
    with browser_page() as page:
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(server.url + "/search?q=gas&sort=newest")
        assert page.input_value("#save-name") == "gas"
        page.fill("#save-name", "Gas <desk>")
        page.click("form.save-search button")
        page.wait_for_url(server.url + "/saved")
        row = page.locator("table.saved-table tbody tr").first
        assert row.locator("th").inner_text() == "Gas <desk>"
        assert "none new" in row.inner_text()
        assert "sort=newest" in row.locator("th a").get_attribute("href")

        write(settings, "wire/b.jsonl", [{"title": "Gas deal signed", "text": "A gas deal.", "date": "1990-01-01"}])
        reindex(settings, progress=False)
        page.reload()
        page.click("text=1 new")
        page.wait_for_url(re.compile(r"/saved/\d+$"))
        assert page.locator("ol.hits li").count() == 1
        assert "Gas deal signed" in page.locator("ol.hits").inner_text()
        screenshot(page, "saved-new-browser")
        page.click("text=Mark these seen")
        page.wait_for_url(server.url + "/saved")
        assert "none new" in page.locator("table.saved-table").inner_text()

        page.fill("table.saved-table input[name=name]", "Gas, renamed")
        page.click("text=Rename")
        page.wait_for_url(server.url + "/saved")
        assert page.locator("table.saved-table tbody th").inner_text() == "Gas, renamed"
        page.click("button.danger")
        page.wait_for_url(server.url + "/saved")
        assert "No saved searches yet" in page.inner_text("main")
        assert errors == []


def test_a_form_on_another_origin_cannot_save(site) -> None:
    _, server = site
    with browser_page() as page:
        page.goto("about:blank")
        page.set_content(f'<form method="post" action="{server.url}/saved">'
                         '<input name="q" value="evil"><input name="name" value="evil"></form>')
        with page.expect_navigation() as nav:
            page.evaluate("document.forms[0].submit()")
        assert nav.value.status == 403
        assert "refused" in page.inner_text("body")
        page.goto(server.url + "/saved")
        assert "No saved searches yet" in page.inner_text("main")
