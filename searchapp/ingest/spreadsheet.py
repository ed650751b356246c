"""Read an Excel workbook (.xlsx) export: a header row of keys, then one article per row, on each sheet.

Media-monitoring services hand analysts their clippings as spreadsheets, often with a report's
title and period in the first rows above the header. On each sheet, the header is the first of
its first rows that names a title or a text column (records.py's key table, Russian names
included); without one the sheet holds no articles and is named on the report line. Rows go
through the same key table and source.toml field map as JSON lines and CSV. openpyxl reads the
file (the Office Open XML format is a zip of XML parts with shared strings, styles and date
serials, which only a full reader gets right); cells hold the values the workbook saved, a
formula's last result included, and dates come as dates.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from searchapp.ingest.readers import BadLine
from searchapp.ingest.records import RecordReader, norm_key
from searchapp.ingest.requires import require
from searchapp.models import Draft, SourceConfig

_HEADER_ROWS = 20   # a report's own title rows above the header: how far down to look for it
# Reports often link each headline to its article instead of giving a URL column. openpyxl only
# reads cell links when it loads the whole workbook (several times the file's size in memory),
# so it does that for workbooks up to this size that hold links; a larger one says it left them.
_LINKS_FULL_LOAD_BYTES = 8 * 1024 * 1024


def read_xlsx(data: bytes, source: SourceConfig | None = None, *, max_field_chars: int
              ) -> tuple[list[Draft], list[BadLine], list[str]]:
    """Read a workbook: Drafts, rows (or the file) that could not be read, the file's warnings."""
    openpyxl = require("openpyxl", ".xlsx workbooks")
    try:
        links = _has_cell_links(data)
        full = links and len(data) <= _LINKS_FULL_LOAD_BYTES
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=not full, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        return [], [BadLine(0, f"not a readable .xlsx workbook ({type(exc).__name__}: {str(exc)[:80]})")], []
    records = RecordReader.for_source(source)
    wanted = set(records.fields["title"] + records.fields["text"])
    title_keys, url_keys = set(records.fields["title"]), set(records.fields["url"])
    drafts: list[Draft] = []
    bad: list[BadLine] = []
    without: list[str] = []
    item = 0
    try:
        for sheet in book.worksheets:
            header: list[str] | None = None
            linked = False   # the header has no URL column: a cell's link is the article's
            for row_no, row in enumerate(sheet.iter_rows(), start=1):
                cells = [_cell(c.value) for c in row]
                if not any(cells):
                    continue
                if header is None:
                    if {norm_key(c) for c in cells if c} & wanted:
                        header = [c or f"column {n}" for n, c in enumerate(cells, 1)]
                        linked = full and not {norm_key(c) for c in header} & url_keys
                        # the title column's link first, then any other cell's
                        link_order = sorted(range(len(header)), key=lambda n: norm_key(header[n]) not in title_keys)
                    elif row_no >= _HEADER_ROWS:
                        break
                    continue
                where = f"sheet {sheet.title!r} row {row_no}"
                if any(len(c) > max_field_chars for c in cells):
                    bad.append(BadLine(row_no, f"{where}: a cell longer than {max_field_chars} characters"))
                    item += 1
                    continue
                record = dict(zip(header, cells))
                if linked:
                    target = next((_link(row[n]) for n in link_order if n < len(row) and _link(row[n])), None)
                    if target:
                        record["url"] = target
                records.take(record, item, row_no, where, drafts, bad)
                item += 1
            if header is None:
                without.append(sheet.title)
    finally:
        book.close()
    warnings = records.warnings()
    if links and not full:
        warnings.append(f"the cells' links were not read (a workbook over {_LINKS_FULL_LOAD_BYTES // 2**20} MB): "
                        "give the articles' addresses in a URL column")
    if without and drafts:
        warnings.append("sheets with no header row naming a title or text column, not read: "
                        + ", ".join(repr(t) for t in without[:8]))
    if not drafts and not bad:
        bad.append(BadLine(0, "no sheet has a header row naming a title or text column "
                              "(name the columns in source.toml [fields])"))
    return drafts, bad, warnings


def _has_cell_links(data: bytes) -> bool:
    """Say whether any sheet holds a cell linking outside the workbook (its relationships say so)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return any(b"relationships/hyperlink" in z.read(n) for n in z.namelist()
                   if n.startswith("xl/worksheets/_rels/"))


def _link(cell: object) -> str | None:
    link = getattr(cell, "hyperlink", None)    # (read-only cells have none)
    return getattr(link, "target", None) or None


def _cell(value: object) -> str:
    """Return a cell as text: dates in ISO 8601, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()   # a date column: Excel keeps dates as midnight datetimes
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()

