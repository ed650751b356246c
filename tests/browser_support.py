"""Drive Debian's headless Chromium with Playwright for the browser tests.

We never run `playwright install` (no downloads at test time): Playwright launches the system
chromium through `executable_path`. scripts/test installs the package with apt when it is
missing; when it truly cannot be had, the tests skip with a loud reason rather than pass.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"]


def chromium_path() -> str | None:
    """Return the system Chromium binary, honouring $CHROMIUM; None when there is none."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def require_browser() -> str:
    """Return the Chromium path, or skip the test loudly saying why there is no browser."""
    path = chromium_path()
    if path is None:
        pytest.skip("BROWSER TESTS SKIPPED: no chromium found (install Debian's `chromium` "
                    "package, or run scripts/test as root to have it installed)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("BROWSER TESTS SKIPPED: the `playwright` Python package is missing "
                    "(pip install -e '.[test]')")
    try:
        subprocess.run([path, "--version"], capture_output=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"BROWSER TESTS SKIPPED: {path} does not run: {exc}")
    return path


@contextmanager
def browser_page(width: int = 1280, height: int = 900) -> Iterator[Any]:
    """Yield a fresh Playwright page in headless system Chromium (JS enabled, no network)."""
    from playwright.sync_api import sync_playwright

    path = require_browser()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.set_default_timeout(15_000)
            yield page
            context.close()
        finally:
            browser.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under tests/artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
