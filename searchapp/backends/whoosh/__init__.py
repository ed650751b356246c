"""Everything Whoosh: schema, analyzers, writer, generations, compile, ranking, the fast path.

Nothing outside this package imports Whoosh (tests/test_layering.py); the product reaches it
through searchapp.backend.open_backend, which calls `open`.
"""
from __future__ import annotations

import sys

from searchapp.backends.whoosh import analysis
from searchapp.config import Settings

# Indexes built before issue 9 pickled their analyzers under searchapp.indexing.analysis; that
# module is gone, so unpickling such a schema finds the same classes here (no rebuild needed).
sys.modules.setdefault("searchapp.indexing.analysis", analysis)


def open(settings: Settings):  # noqa: A001 - the name every backend package exports
    """Return the Whoosh backend for settings.index_dir (opens nothing until first use)."""
    from searchapp.backends.whoosh.index import WhooshBackend

    return WhooshBackend(settings)
