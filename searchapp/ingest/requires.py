"""Load a reader's library, or stop the ingest with one line saying why (never degrade quietly)."""
from __future__ import annotations

import importlib
from types import ModuleType

from searchapp.errors import ExtractorUnavailable


def require(module: str, reading: str) -> ModuleType:
    """Return `module`, or raise ExtractorUnavailable: `reading` ("RSS and Atom feeds") read without
    it would lose every article in them, so the run stops and says how to mend the install."""
    try:
        return importlib.import_module(module)
    except Exception as exc:  # ImportError, or a dependency that breaks while importing
        raise ExtractorUnavailable(
            f"{reading} cannot be read: {module} failed to import ({type(exc).__name__}: {exc}); "
            "reinstall searchapp (pip install -e .) so its dependencies are there") from exc
