"""Read a `.json` export: one JSON document holding the records somewhere, or JSON lines misnamed.

Exports put their articles in many shapes: a bare array; an object with the array under "items",
"articles", "data" or "results"; a JSON Feed (jsonfeed.org) under "items"; Elasticsearch's
`hits.hits[]._source`; JSON:API's `data[].attributes`; a GraphQL answer's `edges[].node`; or one
article as a single object. The records are the largest array of objects that hold an article
field (a title or a text, by records.py's key table), found within a few levels; a record whose
fields sit one object down (`_source`, `attributes`, `node`) is read from there. Arrays that
hold records but were not chosen, and the wrapper's own keys, are said on the file's report line.
A file of one JSON object per line, named .json (RIA's corus export is one), is read as JSON lines.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

from searchapp.ingest.readers import BadLine, normalize_text, read_jsonl
from searchapp.ingest.records import RecordReader, norm_key
from searchapp.models import Draft, SourceConfig

_MAX_DEPTH = 4
# Wrapper keys that only describe the answer (paging, status, counts), never an article's field.
_PLUMBING = frozenset(norm_key(k) for k in (
    "count", "total", "total_count", "totalResults", "page", "pages", "per_page", "page_size", "offset", "limit",
    "next", "previous", "prev", "next_page", "cursor", "status", "ok", "took", "timed_out", "_shards", "max_score",
    "version", "meta", "links", "errors", "success", "code", "message", "type", "_index", "_type", "_id", "_score",
    "id", "relation", "value"))


def read_json(text: str, *, max_line_chars: int, source: SourceConfig | None = None
              ) -> tuple[list[Draft], list[BadLine], list[str]]:
    """Read a .json file: Drafts, records that could not be read, the file's warnings."""
    text = normalize_text(text)
    try:
        document = json.loads(text)
    except RecursionError:
        return [], [BadLine(0, "the JSON is nested too deeply to read")], []
    except ValueError as exc:
        if _json_lines(text):
            return read_jsonl(text, max_line_chars=max_line_chars, source=source)
        return [], [BadLine(0, f"not valid JSON ({str(exc)[:80]})")], []
    reader = RecordReader.for_source(source)
    where, records, others, beside = _locate(document, reader)
    if records is None:
        return [], [BadLine(0, "no articles found: the JSON holds no object with a title or text field "
                               "(name the keys in source.toml [fields])")], []
    drafts: list[Draft] = []
    bad: list[BadLine] = []
    for n, record in enumerate(records):
        reader.take(_unwrap(record, reader), n, n + 1, f"record {n + 1}{' of ' + where if where else ''}", drafts, bad)
    # The collection's own name beside its records (a Telegram channel export's "name") is the
    # outlet of every record that names none.
    wrapper = _wrapper(document, where)
    named = next((k for k in beside if norm_key(k) in _COLLECTION_NAME and isinstance(wrapper[k], str)), None)
    if named:
        beside = [k for k in beside if k != named]
        drafts = [d if d.source_name else replace(d, source_name=wrapper[named].strip()) for d in drafts]
    warnings = reader.warnings()
    if others:
        warnings.append("records read from " + (where or "the top-level array") + "; other arrays of records "
                        "not read: " + ", ".join(others[:5]))
    if beside:
        warnings.append(f"keys beside the records at {where} not read: " + ", ".join(beside[:12]))
    return drafts, bad, warnings


_COLLECTION_NAME = frozenset(("name", "title", "channel", "channelname", "sitename", "publisher", "source"))


def _wrapper(document: object, where: str) -> dict:
    """Return the object holding the records at `where` (its own fields beside them), or {}."""
    parent: object = document
    for part in where.split(".")[:-1] if where else []:
        parent = parent.get(part) if isinstance(parent, dict) else None
    return parent if where and isinstance(parent, dict) else {}


def _json_lines(text: str) -> bool:
    """Say whether a text that is not one JSON document is JSON lines: its first line an object."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    try:
        return isinstance(json.loads(first), dict)
    except (ValueError, RecursionError):
        return False


def _article_like(obj: object, reader: RecordReader) -> bool:
    if not isinstance(obj, dict):
        return False
    keys = {norm_key(k) for k in obj}
    return bool(keys & set(reader.fields["title"] + reader.fields["text"]))


def _unwrap(record: object, reader: RecordReader) -> object:
    """Return the object that holds a record's fields: itself, or the one object member that does."""
    if not isinstance(record, dict) or _article_like(record, reader):
        return record
    inner = [v for v in record.values() if _article_like(v, reader)]
    if len(inner) == 1:
        # the envelope's own fields stay beside the record's (its date, say); its plumbing does not
        outer = {k: v for k, v in record.items() if v is not inner[0] and norm_key(k) not in _PLUMBING}
        return {**outer, **inner[0]}
    return record


def _arrays(node: object, path: str, depth: int) -> Iterator[tuple[str, list]]:
    """Yield (path, array) for every array of objects within _MAX_DEPTH levels, outermost first."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, list):
        if any(isinstance(x, dict) for x in node):
            yield path, node
        return
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _arrays(value, f"{path}.{key}" if path else str(key), depth + 1)


def _locate(document: object, reader: RecordReader
            ) -> tuple[str, list | None, list[str], list[str]]:
    """Return (where, the records, other arrays holding records, the wrapper's unread keys)."""
    candidates = []
    for path, array in _arrays(document, "", 0):
        n = sum(_article_like(_unwrap(x, reader), reader) for x in array)
        if n:
            candidates.append((n, path, array))
    if not candidates:
        if _article_like(_unwrap(document, reader), reader):
            return "", [document], [], []
        return "", None, [], []
    candidates.sort(key=lambda c: -c[0])
    _, where, records = candidates[0]
    others = [f"{path or 'the top-level array'} ({n})" for n, path, _ in candidates[1:]
              if not where.startswith(path) and not path.startswith(where)]
    last = where.split(".")[-1]
    beside = [str(k) for k, v in _wrapper(document, where).items()
              if k != last and norm_key(k) not in _PLUMBING and v not in (None, "", [], {})
              and not isinstance(v, (list, dict))]
    return where, records, others, beside
