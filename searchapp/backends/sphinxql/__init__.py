"""The SphinxQL backend: the archive on a searchd cluster (Manticore, or Sphinx 2.2 in CI).

Reached only through searchapp.backend.open_backend (Settings.backend = "sphinxql").
"""
from __future__ import annotations

from searchapp.config import Settings


def open(settings: Settings):  # noqa: A001 - the name every backend package exports
    """Return the SphinxQL backend for the cluster Settings describe (connects on first use)."""
    from searchapp.backends.sphinxql.index import SphinxBackend

    return SphinxBackend(settings)
