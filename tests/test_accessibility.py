"""axe-core (the engine behind Lighthouse's accessibility audit) on every kind of page, in Debian's
Chromium against the real server, at desktop and phone widths: zero violations of any rule axe
has for WCAG 2.0-2.2 A and AA, its best practices and its experimental rules. Screenshots go to
tests/artifacts/.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from browser_support import browser_page, require_browser, screenshot
from page_tour import tour
from searchapp.serve import Running, start_in_thread
from web_support import build_corpus

pytestmark = pytest.mark.browser
WIDTHS = {"desktop": (1280, 900), "phone": (375, 800)}
# Every rule axe has, not only its defaults: WCAG 2.2 AA adds target-size (tap targets) and the
# experimental set holds label-content-name-mismatch (a selected facet's name keeping its count).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice", "experimental"]},
    "resultTypes": ["violations"]}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    require_browser()
    from searchapp.config import Settings
    from searchapp.indexing.reindex import reindex

    root = tmp_path_factory.mktemp("a11y")
    corpus = build_corpus(root)
    # A source with a long display name and many articles: the facet count must not wrap.
    long = corpus / "long"
    long.mkdir()
    (long / "source.toml").write_text('display_name = "The Collective Security Treaty '
                                      'Organization Press Office Bulletin"\nlanguage = "en"\n',
                                      encoding="utf-8")
    for i in range(1234 // 100):
        (long / f"a{i}.txt").write_text(f"CSTO bulletin {i}\n\n30 November 2017\n\nThe CSTO "
                                        f"met in Minsk, Belarus, for session {i}.\n",
                                        encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=root / "index")
    reindex(settings, full=True, progress=False)
    running = start_in_thread(settings)
    yield running
    running.stop()


# Tokens that must stay on one line at any width: facet counts, table numbers and dates.
ONE_LINE = """() => [...document.querySelectorAll('.facet-value .count, td.num, .sources td')]
    .filter(el => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
    }).map(el => el.textContent)"""


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        for node in v["nodes"][:4]:
            summary = node["failureSummary"][:200]
            lines.append(f"{v['id']} ({v['impact']}): {node['target']} {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_has_no_axe_violations(server: Running, width: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found: dict[str, str] = {}
    w, h = WIDTHS[width]
    with browser_page(width=w, height=h) as page:
        for name, path in tour(server.url, server.app.config["SEARCHAPP_SETTINGS"]).items():
            page.goto(server.url + path)
            results = axe.run(page, options=AXE_OPTIONS)
            if results.violations_count:
                found[name] = describe(results.response["violations"])
            screenshot(page, f"a11y-{name}-{width}")
            assert page.evaluate(ONE_LINE) == [], (name, width)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, (name, width, overflow)
    assert not found, "\n\n".join(f"{k}:\n{v}" for k, v in found.items())
