"""Write export rows as CSV or JSON lines, and name the file: pure, rows in, bytes out.

CSV is UTF-8 with a byte-order mark (Excel reads a BOM-less file in the machine's ANSI code page,
and Russian text comes out as mojibake), RFC 4180 quoting with every cell quoted, CRLF rows. No
cell from an article becomes a spreadsheet formula: a cell starting with =, +, -, @, tab or CR
gets a single quote in front (OWASP, "CSV Injection"). JSON lines: one object per article, the
same fields, lists as arrays and unknowns as null; U+2028, U+2029 and U+0085 are escaped too, so a
reader splitting on any line break (Python's str.splitlines) still sees one article per line.
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote

# Every column, in order, with what it holds (README "Export" lists the same).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("rank", "position in the results, 1 first, in the order of the search's sort"),
    ("id", "the article's id on this desk"),
    ("title", "the headline"),
    ("published", "the article's date, ISO 8601 at its precision: 2017-07-17 (with the time when "
                  "the source states one: 2020-03-27T09:21:00), 2017-07 or 2017; empty when unknown"),
    ("date_precision", "day, month or year; empty when the date is unknown"),
    ("date_inferred", "true when the year or more was inferred, not stated"),
    ("published_raw", "the text the date was read from"),
    ("source", "the source's folder name (the source filter's value)"),
    ("source_name", "the source's display name"),
    ("author", "the byline"),
    ("url", "the original article's address"),
    ("dateline", "the dateline (\"MINSK, July 17 (Reuters)\")"),
    ("cities", "cities the article names, \"; \" between them (JSON lines: an array)"),
    ("countries", "countries the article names, \"; \" between them (JSON lines: an array)"),
    ("language", "ISO 639-1 code"),
    ("section", "the section or rubric"),
    ("story", "the story key its syndicated copies share (the story filter's value)"),
    ("desk_url", "the article's page on this desk"),
    ("snippet", "plain text around the query's words, about snippet_chars long; the article's "
                "lead when the query has no words"),
)
NAMES = tuple(name for name, _ in COLUMNS)

# format -> (media type, file extension)
FORMATS = {"csv": ("text/csv; charset=utf-8; header=present", "csv"),
           "jsonl": ("application/x-ndjson", "jsonl")}
BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 100
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}
_LINE_BREAK_RE = re.compile("[\u2028\u2029\x85]")
_NOT_NAME_RE = re.compile(r"[^\w]+")
NAME_CHARS = 60


def neutralise(cell: str) -> str:
    """Return the cell as text a spreadsheet shows, never runs: a quote before a formula start."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def csv_cells(row: dict[str, Any]) -> list[str]:
    """Return a row's CSV cells: lists joined with "; ", booleans true/false, None empty."""
    out = []
    for name in NAMES:
        value = row.get(name)
        if value is None:
            text = ""
        elif isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, list):
            text = "; ".join(value)
        else:
            text = str(value)
        out.append(neutralise(text))
    return out


def json_line(row: dict[str, Any]) -> str:
    """Return a row as one line of JSON (the columns in order), newline included."""
    text = json.dumps({name: row.get(name) for name in NAMES}, ensure_ascii=False)
    return _LINE_BREAK_RE.sub(lambda m: _LINE_BREAKS[m.group()], text) + "\n"


def encode(rows: Iterable[dict[str, Any]], fmt: str) -> Iterator[bytes]:
    """Yield the export file in chunks of ROWS_PER_CHUNK rows; the header (CSV) comes first."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    if fmt == "csv":
        buf.write(BOM)
        writer.writerow(NAMES)
    n = 0
    for row in rows:
        if fmt == "csv":
            writer.writerow(csv_cells(row))
        else:
            buf.write(json_line(row))
        n += 1
        if n % ROWS_PER_CHUNK == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    if buf.tell():
        yield buf.getvalue().encode("utf-8")


def download_names(query: str, fmt: str) -> tuple[str, str]:
    """Return (ASCII file name, Unicode file name) for an export of `query`.

    "search-summit-minsk.csv"; a Cyrillic query keeps its letters in the Unicode name
    ("search-выборы-минск.csv") and falls back to "search.csv" in the ASCII one. Only letters,
    digits, _ and - reach a name: never a quote, slash, dot or control character.
    """
    ext = FORMATS[fmt][1]

    def slug(text: str) -> str:
        words = _NOT_NAME_RE.sub("-", text).strip("-_")
        return words[:NAME_CHARS].rstrip("-_")

    wide = slug(unicodedata.normalize("NFC", query))
    narrow = slug(unicodedata.normalize("NFKD", query).encode("ascii", "ignore").decode())
    return (f"search-{narrow}.{ext}" if narrow else f"search.{ext}",
            f"search-{wide}.{ext}" if wide else f"search.{ext}")


def content_disposition(query: str, fmt: str) -> str:
    """Return the Content-Disposition of an export: attachment, with RFC 6266/5987 names."""
    ascii_name, name = download_names(query, fmt)
    value = f'attachment; filename="{ascii_name}"'
    if name != ascii_name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value
