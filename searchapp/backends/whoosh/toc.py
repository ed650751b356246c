"""Retry a read that a concurrent commit's TOC switch can break: the one helper for that race.

shared/WHOOSH.md: opening, refreshing or checking an index lists the _MAIN_N.toc files and then
opens the newest; a commit can remove it in between (FileNotFoundError). The index is fine, so
the read is tried again after a short pause; the last attempt's error goes to the caller.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
ATTEMPTS = 6
PAUSE_S = 0.01


def retry_toc(read: Callable[[], T], *, attempts: int = ATTEMPTS, pause: float = PAUSE_S) -> T:
    """Return read(), calling it again (after pause, 2x pause, ...) when a TOC file vanished."""
    for attempt in range(attempts - 1):
        try:
            return read()
        except FileNotFoundError as exc:
            # Only a vanished TOC is the race; a missing segment is damage, and retrying it
            # kept /healthz "busy" for seconds instead of saying so (test_reliability_startup).
            if not _is_toc(exc):
                raise
            time.sleep(pause * (attempt + 1))
    return read()


def _is_toc(exc: FileNotFoundError) -> bool:
    """Tell whether the missing file is a TOC (or unnamed, as some Whoosh paths raise it)."""
    name = str(exc.filename or "")
    return not name or name.endswith(".toc")
