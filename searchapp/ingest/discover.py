"""Find the sources under corpus/ and the files each holds; read each source's source.toml."""
from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from searchapp.languages import language_code
from searchapp.models import SourceConfig

SOURCE_FILE = "source.toml"
SUPPORTED = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".xhtml": "html",
             ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
             ".xml": "feed", ".rss": "feed", ".atom": "feed", ".rdf": "feed", ".xlsx": "xlsx"}
_KNOWN_KEYS = {"display_name", "name", "homepage", "language", "date_order", "encoding", "fields"}


def file_format(rel_path: str) -> str | None:
    """Return "txt", "html", "jsonl", "json", "csv", "tsv", "feed" or "xlsx" for a supported file name, else None."""
    return SUPPORTED.get(Path(rel_path).suffix.lower())


def read_source_config(folder: Path) -> SourceConfig:
    """Read folder/source.toml; a missing or broken file gives defaults named after the folder."""
    name = folder.name
    data: dict = {}
    warnings: list[str] = []
    path = folder / SOURCE_FILE
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            warnings.append(f"{SOURCE_FILE} not read, defaults used: {exc}")
            data = {}
    order = str(data.get("date_order", "DMY")).upper()
    if order not in ("DMY", "MDY", "YMD"):
        warnings.append(f"{SOURCE_FILE}: date_order {data.get('date_order')!r} is not DMY, MDY or YMD; DMY used")
        order = "DMY"
    fields, ignore = _field_map(data.get("fields", {}), warnings)
    language = language_code(str(data["language"])) if data.get("language") else None
    if data.get("language") and language is None:
        warnings.append(f"{SOURCE_FILE}: language {data['language']!r} is not a language code or name; ignored")
    return SourceConfig(
        name=name,
        display_name=str(data.get("display_name") or data.get("name") or name.replace("-", " ").title()),
        homepage=data.get("homepage"),
        language=language,
        date_order=order,  # type: ignore[arg-type]
        order_stated="date_order" in data and order == str(data["date_order"]).upper(),
        encoding=data.get("encoding"),
        named=bool(data.get("display_name") or data.get("name")),
        extra={k: v for k, v in data.items() if k not in _KNOWN_KEYS},
        fields=fields,
        ignore_fields=ignore,
        warnings=warnings,
    )


def _field_map(table: object, warnings: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Read source.toml's [fields] table: field = "key" or ["key", ...], and ignore = [keys]."""
    from searchapp.ingest.records import FIELD_KEYS

    if not isinstance(table, dict):
        warnings.append(f"{SOURCE_FILE}: fields must be a table ([fields]), not {type(table).__name__}")
        return {}, []
    fields: dict[str, list[str]] = {}
    ignore: list[str] = []
    for name, value in table.items():
        keys = [value] if isinstance(value, str) else value
        if not isinstance(keys, list) or not all(isinstance(k, str) and k for k in keys):
            warnings.append(f"{SOURCE_FILE}: [fields] {name} must be a key or a list of keys")
        elif name == "ignore":
            ignore = keys
        elif name not in FIELD_KEYS:
            warnings.append(f"{SOURCE_FILE}: [fields] {name} is not a field; fields: "
                            + ", ".join(FIELD_KEYS) + ", ignore")
        else:
            fields[name] = keys
    return fields, ignore


def list_sources(corpus_dir: Path) -> list[SourceConfig]:
    """Return one SourceConfig per sub-folder of corpus_dir, sorted by name."""
    if not corpus_dir.is_dir():
        return []
    return [read_source_config(p) for p in sorted(corpus_dir.iterdir())
            if p.is_dir() and not p.name.startswith(".")]


def ignore_patterns(folder: Path) -> list[str]:
    """Return the `ignore` globs of folder/source.toml (a string or a list of strings)."""
    raw = read_source_config(folder).extra.get("ignore", [])
    items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    return [str(x).strip().strip("/") for x in items if isinstance(x, str) and x.strip().strip("/")]


def ignored(rel_in_source: str, patterns: list[str]) -> bool:
    """Tell whether a path (relative to its source folder) matches an `ignore` glob.

    A pattern without "/" matches a file or folder name at any depth (`*.tokens`, `annotations`);
    one with "/" matches the path from the source folder (`devset/*.objects`); a matching
    folder ignores everything under it.
    """
    parts = rel_in_source.split("/")
    for pat in patterns:
        if "/" in pat:
            if fnmatch.fnmatchcase(rel_in_source, pat) or fnmatch.fnmatchcase(rel_in_source, pat + "/*"):
                return True
        elif any(fnmatch.fnmatchcase(part, pat) for part in parts):
            return True
    return False


def list_files(corpus_dir: Path, source: str) -> list[str]:
    """Return every regular file of a source (recursively) as a path relative to corpus_dir.

    Unsupported files are listed too, so the report can say why they were skipped; files that
    match the source's `ignore` globs (source.toml) are not listed at all.
    """
    root = corpus_dir / source
    patterns = ignore_patterns(root)
    out = []
    for path in root.rglob("*"):
        rel = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if patterns and ignored(rel.relative_to(source).as_posix(), patterns):
            continue
        if path.name == SOURCE_FILE and path.parent == root:
            continue
        if path.is_symlink() and not path.exists():
            out.append(rel.as_posix())  # a dangling link still gets its report line
        elif path.is_file():
            out.append(rel.as_posix())
    return sorted(out)
