"""Refuse a request that changes the desk when it comes from another site.

The desk has no accounts and no sessions, so a cross-site form or fetch is the one way a page
elsewhere could edit the saved searches in a reader's browser. Browsers say where a request comes
from: Sec-Fetch-Site, else Origin (sent with every cross-site POST), else Referer. Any of them
naming another origin refuses the request with a 403. A request with none of them comes from no
browser page (curl, a script on the desk's own machine) and is let through.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import request

from searchapp.errors import SearchAppError


class CrossSite(SearchAppError):
    status = 403


def _origin_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else None


def refuse_cross_site() -> None:
    """Raise CrossSite (403) when the current request was sent by another site's page."""
    here = f"{request.scheme}://{request.host}".lower()
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        raise CrossSite("refused: this change was sent from another site's page")
    origin = request.headers.get("Origin")
    if origin is not None:
        if _origin_of(origin) != here:
            raise CrossSite("refused: this change was sent from another origin "
                            f"({origin[:80]!r}, not this desk)")
        return
    referer = request.headers.get("Referer")
    if referer is not None and _origin_of(referer) != here:
        raise CrossSite("refused: this change was sent from another site's page")
