"""The seam's conformance suite, unchanged, on the sphinxql backend (a three-node Sphinx cluster).

Every test of tests/test_conformance.py is collected again here with `built` bound to the
sphinxql backend only, unchanged.
(A prefix* over max_prefix_expansions words is refused since the backend counts its words in
the spelling vocabulary, as the Whoosh backend counts them in its spell field.)
Once the seam settles this, sphinxql moves into tests/backends.py and this file goes.
"""
from __future__ import annotations

import pytest

from test_conformance import *  # noqa: F401,F403 - the suite's tests and fixtures, collected here
from test_conformance import _corpus
from searchapp.indexing.reindex import reindex
from tests.sphinx_support import needs_searchd, sphinxql

pytestmark = needs_searchd


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Settings of the fixture corpus built on the sphinxql backend."""
    with sphinxql(_corpus(tmp_path_factory.mktemp("sphinxql"))) as settings:
        reindex(settings, progress=False)
        yield settings
