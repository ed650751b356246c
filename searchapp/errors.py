"""Named exceptions per failure domain; the web layer maps them to HTTP statuses in one place."""
from __future__ import annotations


class SearchAppError(Exception):
    """Base class; `status` is the HTTP status the web layer answers with."""

    status = 500


class IngestError(SearchAppError):
    """A corpus file could not be turned into articles (the reason goes into the report)."""


class DecodeError(IngestError):
    """The bytes are not text in any encoding we can trust."""


class ExtractorUnavailable(IngestError):
    """A part the ingest cannot work without (trafilatura, the line model) failed to load.

    It stops the run with one line: reading every page as plain text instead would index
    menus and footers as articles without anyone noticing.
    """


class QueryError(SearchAppError):
    """The request is not something we can answer; the message says what is allowed."""

    status = 400


class NotFound(SearchAppError):
    status = 404


class IndexUnavailable(SearchAppError):
    """No usable index (missing, corrupt, or being created for the first time)."""

    status = 503


class WriterBusy(SearchAppError):
    """Another reindex holds the writer lock."""

    status = 409


class TooBusy(SearchAppError):
    """A bounded kind of request (an export) has all its places taken; try again shortly."""

    status = 429
    retry_after_s = 5


class ConfigError(SearchAppError):
    """A setting names something that does not exist (an unknown backend)."""
