"""Open, create and write Whoosh indexes: every Whoosh writer call lives here."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.writing import IndexWriter, SegmentWriter

from searchapp.backends.whoosh.schema import SCHEMA_VERSION, build_schema, to_document
from searchapp.backends.whoosh.toc import retry_toc
from searchapp.errors import IndexUnavailable
from searchapp.files import read_json, write_json
from searchapp.models import Article

VERSION_FILE = "version.json"
WRITER_MB = 256


def create(generation: Path) -> Any:
    """Create an empty index in a fresh generation folder and return it."""
    ix = windex.create_in(str(generation), build_schema())
    write_json(generation / VERSION_FILE, {"schema_version": SCHEMA_VERSION})
    return ix


def schema_version(generation: Path) -> int:
    """Return the schema version a generation was built with (0 when unknown)."""
    return int((read_json(generation / VERSION_FILE, {}) or {}).get("schema_version", 0))


def open_index(generation: Path) -> Any:
    """Open a generation's index, retrying the TOC race a concurrent commit can cause.

    shared/WHOOSH.md: open_dir() can raise FileNotFoundError for a _MAIN_N.toc that a commit
    removed between listing and opening; the index is fine, so try again.
    """
    try:
        return retry_toc(lambda: windex.open_dir(str(generation)))
    except windex.EmptyIndexError as exc:
        raise IndexUnavailable(f"no index in {generation}: run `searchapp reindex`") from exc
    except FileNotFoundError as exc:
        raise IndexUnavailable(f"cannot open the index in {generation}: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - a damaged TOC raises whatever unpickling does
        raise IndexUnavailable(f"the index in {generation} is damaged ({type(exc).__name__}: "
                               f"{exc}): run `searchapp reindex`") from exc


def damage(generation: Path) -> str | None:
    """Return why a generation's index cannot be opened and read, or None when it can.

    A damaged TOC or segment surfaces as whatever its unpickling or reading raises (IndexError,
    UnpicklingError, EOFError...), so anything raised here means "damaged".
    """
    try:
        ix = open_index(generation)
        try:
            with ix.reader() as reader:
                reader.doc_count()
        finally:
            ix.close()
    except Exception as exc:  # noqa: BLE001 - see the docstring
        return f"{type(exc).__name__}: {exc}"
    return None


def writer(ix: Any, *, bulk: bool = False) -> IndexWriter:
    """Return a writer; a bulk (full rebuild) writer skips merging small segments."""
    # Whoosh's SegmentWriter takes its lock and then makes its temp folder; when that fails
    # (disk full) the lock and its descriptor are never released, and every later writer in
    # this process got LockError (tests/test_reliability_faults.py). Take the lock here.
    lock = ix.lock("WRITELOCK")
    if not lock.acquire():
        raise windex.LockError(f"the index in {ix.storage.folder} is locked by another writer")
    try:
        w = SegmentWriter(ix, _lk=False, limitmb=WRITER_MB)
    except BaseException:
        lock.release()
        raise
    w.writelock = lock  # commit() and cancel() release it as usual
    if bulk:
        w.merge = False
    return w


def delete_paths(w: IndexWriter, paths: Iterable[str]) -> None:
    """Delete every document that came from one of these corpus files."""
    for path in paths:
        w.delete_by_term("path", path)


def add_articles(w: IndexWriter, articles: Iterable[Article]) -> int:
    """Add articles to the writer and return how many were added."""
    n = 0
    for article in articles:
        w.add_document(**to_document(article))
        n += 1
    return n


def commit(w: IndexWriter, *, optimize: bool = False) -> None:
    """Commit the writer (optionally merging into one segment)."""
    w.commit(optimize=optimize)


def doc_count(generation: Path) -> int:
    """Return the number of live documents in a generation."""
    ix = open_index(generation)
    try:
        return ix.doc_count()
    finally:
        ix.close()


