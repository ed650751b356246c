"""What a view needs inside a request: the app's search service, its settings, its health.

Kept apart from app.py (as flaskr keeps `get_db` in db.py), so views import these and app.py
imports the views, with no cycle between them (issue 9).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from flask import current_app

from searchapp.config import Settings
from searchapp.errors import NotFound
from searchapp.models import Article, Hit, SearchPage, SearchRequest
from searchapp.search.compare import Comparison

EXTENSION = "searchapp"
MAX_ARTICLE_ID = 300


class Engine(Protocol):
    """The search library's surface the web layer uses (searchapp.search.service.SearchService)."""

    def search(self, request: SearchRequest) -> SearchPage: ...
    def compare(self, request: SearchRequest, queries: list[str]) -> Comparison: ...
    def export(self, request: SearchRequest, *, max_rows: int | None = None,
               article_url: Callable[[str], str] | None = None) -> Any: ...
    def get_article(self, article_id: str) -> Article: ...
    def more_like_this(self, article_id: str, n: int = 5) -> list[Hit]: ...
    def highlight_paragraphs(self, paragraphs: list[str], query: str) -> list[str] | None: ...
    def sources(self) -> list[dict[str, Any]]: ...
    def health(self) -> dict[str, Any]: ...
    def quick_health(self) -> dict[str, Any]: ...
    def close(self) -> None: ...


def get_engine() -> Engine:
    """Return the current app's search service (inside a request)."""
    return current_app.extensions[EXTENSION].get()


def get_health() -> dict[str, Any]:
    """Return the service's health within a short wait (see searchapp.web.health)."""
    holder = current_app.extensions[EXTENSION]
    return holder.probe.check(lambda: holder.get().health(), wait=holder.settings.health_wait_s,
                              quick=lambda: holder.get().quick_health())


def get_settings() -> Settings:
    """Return the current app's settings."""
    return current_app.config["SEARCHAPP_SETTINGS"]


def check_id(article_id: str) -> str:
    """Return the id, or raise NotFound for what no article id can look like."""
    # Ids are index terms, never paths, but refuse what no id can look like before asking.
    if len(article_id) > MAX_ARTICLE_ID or any(ord(c) < 0x20 for c in article_id):
        raise NotFound("there is no article with that id")
    return article_id
