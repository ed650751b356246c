"""Load the real corpora in ../shared/corpora for benchmarks and tests.

Archives are unpacked once into a cache under the system temp dir, never into the repo.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import tarfile
import tempfile
from pathlib import Path
from typing import Iterator

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
CACHE = Path(os.environ.get("SEARCHAPP_BENCH_CACHE", Path(tempfile.gettempdir()) / "searchapp-bench"))

_REC = re.compile(r"<REUTERS(?P<attrs>[^>]*)>(?P<inner>.*?)</REUTERS>", re.S)
_NEWID = re.compile(r'NEWID="(\d+)"')


def unpack(archive: Path, name: str) -> Path:
    """Unpack `archive` once into CACHE/name and return that folder."""
    dest = CACHE / name
    done = dest / ".unpacked"
    if not done.exists():
        dest.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive) as tar:
            tar.extractall(dest, filter="data")
        done.touch()
    return dest


def _tag(inner: str, name: str) -> str | None:
    m = re.search(rf"<{name}>(.*?)</{name}>", inner, re.S)
    return m.group(1) if m else None


def _clean(text: str | None) -> str:
    if not text:
        return ""
    text = re.sub(r"&#\d+;", " ", text)
    text = html.unescape(text)
    return text.replace("\x03", "").strip()


def _date(raw: str | None) -> dt.datetime | None:
    if not raw:
        return None
    m = re.match(r"\s*(\d{1,2}-[A-Z]{3}-\d{4} \d{2}:\d{2}:\d{2})", raw)
    if not m:
        return None
    try:
        return dt.datetime.strptime(m.group(1).title(), "%d-%b-%Y %H:%M:%S")
    except ValueError:
        return None


def reuters_records(*, with_body: bool = True) -> Iterator[dict]:
    """Yield Reuters-21578 records: newid, title, body, date, dateline, places, topics."""
    root = unpack(SHARED / "reuters21578" / "reuters21578.tar.gz", "reuters21578")
    for sgm in sorted(root.glob("reut2-*.sgm")):
        data = sgm.read_text(encoding="latin-1")
        for m in _REC.finditer(data):
            inner = m.group("inner")
            body = _clean(_tag(inner, "BODY"))
            title = _clean(_tag(inner, "TITLE"))
            if with_body and not (body and title):
                continue
            places = re.findall(r"<D>(.*?)</D>", _tag(inner, "PLACES") or "")
            topics = re.findall(r"<D>(.*?)</D>", _tag(inner, "TOPICS") or "")
            yield {
                "newid": int(_NEWID.search(m.group("attrs")).group(1)),
                "title": title,
                "body": body,
                "date": _date(_tag(inner, "DATE")),
                "dateline": _clean(_tag(inner, "DATELINE")).rstrip(" -"),
                "places": places,
                "topics": topics,
            }


def write_reuters_corpus(dest: Path, copies: int = 1, per_file: int = 1000) -> Path:
    """Write Reuters as corpus/reuters/*.jsonl (one JSON object per article) and return the source dir.

    With copies > 1 the collection repeats with distinct ids and urls, for scale tests.
    """
    src = dest / "reuters"
    src.mkdir(parents=True, exist_ok=True)
    (src / "source.toml").write_text(
        'display_name = "Reuters-21578"\nhomepage = "https://www.reuters.com/"\n'
        'language = "en"\ndate_order = "MDY"\n', encoding="utf-8")
    records = list(reuters_records())
    n = 0
    out = None
    for copy in range(copies):
        for rec in records:
            if n % per_file == 0:
                if out:
                    out.close()
                out = open(src / f"reuters-{n // per_file:05d}.jsonl", "w", encoding="utf-8")
            # Wire copy carries its dateline ahead of the first paragraph; keep it that way.
            body = f"{rec['dateline']} - {rec['body']}" if rec["dateline"] else rec["body"]
            out.write(json.dumps({
                "id": f"{rec['newid']}-{copy}",
                "url": f"https://reuters.example/{copy}/{rec['newid']}",
                "title": rec["title"],
                "date": rec["date"].isoformat() if rec["date"] else None,
                "text": body,
            }, ensure_ascii=False) + "\n")
            n += 1
    if out:
        out.close()
    return src
