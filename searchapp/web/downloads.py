"""Answer /api/export: a search's results as a CSV or JSON-lines download, its cuts in headers.

The parameters are the search's (params.parse_args), plus `format`; page and size are read
(and refused when bad) like the search's, but an export always starts at the first result.

Headers go out before the body, and a header must tell the truth about the body: so the rows
are read (in batches, the engine free between them: searchapp.search.export) and encoded into a
spool before the status line, at most SPOOL_MEMORY bytes in memory and the rest in a temporary
file, then streamed from it. A budget that runs out while rows are read is then a header like
any other cut, never a body that stops short with a 200 that looked whole.

    X-Export-Total      matching articles          X-Export-Rows       rows in the body
    X-Export-Truncated  rows, time (what cut it)   X-Export-Partial    shards that did not answer
    X-Export-Skipped    matched but gone when read X-Export-Notes      the page's notes (JSON)
"""
from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Iterator

from flask import Response, current_app, request
from werkzeug.wsgi import FileWrapper

from searchapp.errors import QueryError, TooBusy
from searchapp.models import SearchRequest
from searchapp.search.export import ExportReport, article_url
from searchapp.search.export_formats import FORMATS, content_disposition, encode
from searchapp.web import params
from searchapp.web.caching import no_store
from searchapp.web.request import get_engine, get_settings

SPOOL_MEMORY = 1024 * 1024       # an export larger than this is spooled to a temporary file
_PLACES = "searchapp.export_places"
_PLACES_LOCK = threading.Lock()
CHUNK_BYTES = 64 * 1024


def export_format(args: params.MultiArgs) -> str:
    """Return the format asked for (csv by default); QueryError for any other."""
    values = args.getlist("format")
    if len(values) > 1:
        raise QueryError(f"'format' was given {len(values)} times; give it at most once")
    fmt = values[0] if values else "csv"
    if fmt not in FORMATS:
        raise QueryError(f"format must be one of {', '.join(FORMATS)}; got "
                         f"'{params.clean_text(fmt)[:40]}'")
    return fmt


def respond() -> Response:
    """Answer the current request's export."""
    settings = get_settings()
    req = params.parse_args(request.args, settings)
    fmt = export_format(request.args)
    req = params.changed(req, page_size=settings.default_page_size)   # (page 1: an export starts at the first result)
    places = _places()
    if not places.acquire(blocking=False):
        raise TooBusy(f"{settings.export_concurrency} exports are being read already (setting export_concurrency); "
                      f"try again in a few seconds")
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)
    try:
        report = _fill(spool, req, fmt)
        size = spool.tell()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    finally:
        places.release()   # (sending the spool costs the engine nothing: only reading the rows holds a place)
    resp = Response(FileWrapper(spool, CHUNK_BYTES), content_type=FORMATS[fmt][0],
                    direct_passthrough=True)
    # Closed with the response, whoever wraps its body (compression replaces it) or answers
    # without it (a 304, a HEAD).
    resp.call_on_close(spool.close)
    resp.content_length = size
    resp.headers["Content-Disposition"] = content_disposition(req.query, fmt)
    for name, value in headers(report).items():
        resp.headers[name] = value
    if "time" in report.truncated or report.partial or report.skipped:
        no_store()  # a passing state: the same URL gives the whole export once it has passed
    return resp


def _places() -> threading.BoundedSemaphore:
    """Return this app's places for exports being read: a thread each, so searches keep the rest."""
    with _PLACES_LOCK:
        places = current_app.extensions.get(_PLACES)
        if places is None:
            places = current_app.extensions[_PLACES] = threading.BoundedSemaphore(
                max(1, get_settings().export_concurrency))
        return places


def _fill(spool: tempfile.SpooledTemporaryFile, req: SearchRequest, fmt: str) -> ExportReport:
    empty = params.empty_range(req)
    if empty:
        report = ExportReport(total=0, max_rows=get_settings().export_max_rows, sort=req.sort,
                              notes=[empty])
        rows: Iterator[dict] = iter(())
    else:
        export = get_engine().export(req, article_url=article_url(request.url_root))
        report, rows = export.report, export.rows()
    for chunk in encode(rows, fmt):
        spool.write(chunk)
    return report


def headers(report: ExportReport) -> dict[str, str]:
    """Return the X-Export-* headers of a finished export (ASCII only)."""
    out = {"X-Export-Total": str(report.total), "X-Export-Rows": str(report.rows)}
    if report.truncated:
        out["X-Export-Truncated"] = ", ".join(report.truncated)
    if report.partial:
        out["X-Export-Partial"] = report.partial_text().encode("ascii", "replace").decode()
    if report.skipped:
        out["X-Export-Skipped"] = str(report.skipped)
    if report.notes:
        out["X-Export-Notes"] = json.dumps(report.notes, ensure_ascii=True)
    return out
