"""The backends the conformance suite runs against, and how to set each one up for a test.

A backend's entry is a context manager: given the Settings of a fresh corpus and index folder, it
yields the Settings that make searchapp.backend.open_backend return that backend, after starting
whatever the backend needs (Whoosh: nothing; an engine server: the server), and stops it after.
tests/test_conformance.py runs every test for every entry, unchanged.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import ContextManager

from searchapp.config import Settings


@contextlib.contextmanager
def whoosh(settings: Settings) -> Iterator[Settings]:
    yield settings.replace(backend="whoosh")


BACKENDS: dict[str, Callable[[Settings], ContextManager[Settings]]] = {
    "whoosh": whoosh,
}
