"""Read CSV and TSV exports: a header row of keys, then one record per row (stdlib csv).

Quoted fields may hold newlines and delimiters (RFC 4180); a byte-order mark before the header is
dropped; a row the csv module cannot parse, or with more cells than the header has, is reported
with its line number and the rest of the file is read. Records go through the same key table and
source.toml field map as JSON lines (records.py).
"""
from __future__ import annotations

import csv
import io

from searchapp.ingest.readers import BadLine, normalize_text
from searchapp.ingest.records import RecordReader
from searchapp.models import Draft, SourceConfig

_CANDIDATES = (",", ";", "\t", "|")


def sniff_delimiter(header: str) -> str:
    """Return the delimiter of a CSV header line: the candidate seen most often outside quotes."""
    outside, quoted = [], False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(ch)
    text = "".join(outside)
    best = max(_CANDIDATES, key=text.count)
    return best if text.count(best) else ","


def read_delimited(text: str, *, tsv: bool = False, max_field_chars: int = 5_000_000,
                   source: SourceConfig | None = None) -> tuple[list[Draft], list[BadLine], list[str]]:
    """Read a CSV (or, with `tsv`, TSV) export: Drafts, rows that could not be read, the file's warnings."""
    text = normalize_text(text)   # CRLF to LF inside quoted fields too; drops a BOM and NULs
    delimiter = "\t" if tsv else sniff_delimiter(text.split("\n", 1)[0])
    # The limit is process-wide in the csv module; every reader here sets the same value.
    csv.field_size_limit(max(max_field_chars, 1))
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    bad: list[BadLine] = []
    header: list[str] | None = None
    records = RecordReader.for_source(source)
    drafts: list[Draft] = []
    item = 0
    while True:
        line_no = rows.line_num + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            bad.append(BadLine(line_no, f"line {line_no}: not a readable {'TSV' if tsv else 'CSV'} row ({exc})"))
            if rows.line_num < line_no:   # nothing consumed: stop rather than loop
                break
            continue
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip() or f"column {n}" for n, cell in enumerate(row, 1)]
            continue
        if len(row) > len(header):
            bad.append(BadLine(line_no, f"line {line_no}: {len(row)} cells but the header has {len(header)} "
                                        f"(a quote or delimiter out of place?)"))
            item += 1
            continue
        records.take(dict(zip(header, row)), item, line_no, f"line {line_no}", drafts, bad)
        item += 1
    return drafts, bad, records.warnings()
