"""Records of scraper exports (JSON lines, CSV, TSV) -> Drafts, through one table of accepted keys.

Keys match whatever their case and separators ("publishDate", "publish_date" and "Publish Date"
are one key). A source's `[fields]` table in source.toml names its own keys for a field, tried
before the usual ones, and `ignore` lists keys it drops on purpose. Every other key a record
fills is reported once per file, and so are a mapped key no record has and a language the
record states that is not a language: nothing the export says is dropped without a word.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from searchapp.ingest.feed_authors import feed_author
from searchapp.ingest.readers import BadLine, split_blocks
from searchapp.ingest.record_markup import has_entities, has_markup, inline_text, markup_blocks, unescape
from searchapp.languages import language_code
from searchapp.models import Draft, SourceConfig

# field -> the keys read for it, in order (the first one with a value wins). README "Exports".
# The Russian names are the column headings of Russian exports and monitoring reports.
FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name", "header", "heading", "заголовок", "название", "заглавие"),
    "text": ("text", "body", "content", "article", "articleBody", "full_text", "fulltext", "maintext",
             "content_html", "content_text", "body_html", "body_text", "текст", "полный текст",
             "текст статьи", "текст публикации", "текст сообщения", "содержание", "description"),
    "lead": ("subtitle", "subheadline", "subhead", "lead", "standfirst", "summary", "dek", "excerpt",
             "abstract", "лид", "анонс", "аннотация", "подзаголовок", "description"),
    "date": ("date", "published", "published_at", "pub_date", "publish_date", "publication_date",
             "datePublished", "date_publish", "published_time", "publish_time", "created_at", "created",
             "time", "timestamp", "datetime", "дата", "дата публикации", "дата выхода", "дата и время"),
    "url": ("url", "link", "href", "source_url", "canonical_url", "permalink", "web_url", "uri", "ссылка",
            "адрес", "url адрес"),
    "author": ("author", "authors", "byline", "creator", "writer", "автор", "авторы"),
    "section": ("section", "category", "rubric", "categories", "topic", "topics", "sections", "rubrics",
                "рубрика", "рубрики", "раздел", "категория"),
    "language": ("language", "lang", "locale", "inLanguage", "meta_lang", "язык"),
    "source_name": ("source_name", "site_name", "sitename", "meta_site_name", "publisher", "outlet", "edition",
                    "source_hostname", "source", "источник", "сми", "издание", "hostname", "source_domain", "domain"),
    "id": ("id", "article_id", "doc_id", "guid", "uuid", "_id"),   # accepted; the archive makes its own ids
}
_NOT_KEY = re.compile(r"[\W_]+")
_EPOCH = re.compile(r"\d{9,10}(?:\.\d+)?|\d{13}")
_URL_VALUE = re.compile(r"https?://\S+$", re.I)
_ID_LIKE = re.compile(r"[\d\s,;]+")   # an author field of numbers: a CMS's user ids, not names
_TEXT_MEMBERS = ("name", "title", "value", "text", "rendered", "#text", "$t", "content", "html", "body",
                 "url", "href")


def norm_key(key: str) -> str:
    """Return the form keys are compared in: lower case, letters and digits only."""
    return _NOT_KEY.sub("", str(key)).lower()


@dataclass
class RecordReader:
    """Turn the records of one file into Drafts with one source's field map; collect the file's warnings."""

    fields: dict[str, tuple[str, ...]]          # field -> normalised keys, mapped ones first
    mapped: dict[str, list[str]]                # field -> its keys as source.toml writes them
    known: frozenset[str]
    unread: dict[str, None] = field(default_factory=dict)        # keys as records spell them
    # key -> (records, an example) where the key held a value that gives no text (an object
    # without a text member, a number where a name belongs): stated, but unusable
    unusable: dict[str, list] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)                  # normalised keys any record had
    bad_languages: dict[str, int] = field(default_factory=dict)
    # Whether an author field is read here (feed_authors); the feed reader reads each item's itself,
    # with the channel's name and its own per-item report, and hands over the name.
    read_authors: bool = True

    @classmethod
    def for_source(cls, source: SourceConfig | None) -> "RecordReader":
        """Build the reader for a source: its `[fields]` keys first, then the usual ones."""
        own = source.fields if source else {}
        ignore = source.ignore_fields if source else []
        fields: dict[str, tuple[str, ...]] = {}
        mapped: dict[str, list[str]] = {}
        for name, keys in FIELD_KEYS.items():
            extra = list(own.get(name, []))
            if extra:
                mapped[name] = extra
            fields[name] = tuple(dict.fromkeys([norm_key(k) for k in extra] + [norm_key(k) for k in keys]))
        known = {k for keys in fields.values() for k in keys} | {norm_key(k) for k in ignore}
        return cls(fields, mapped, frozenset(known))

    def _value(self, obj: dict[str, object], name: str) -> tuple[object, str | None]:
        for key in self.fields[name]:
            value = obj.get(key)
            if value not in (None, "", [], {}):
                return value, key
        return None, None

    def _outlet_and_url(self, obj: dict[str, object]) -> tuple[str | None, str | None]:
        """Return (the outlet's name, the article's URL). A URL where the outlet's name belongs is
        the article's address (trafilatura's JSON puts the page's URL in "source" and the site's
        name in "source-hostname"): the next key naming the outlet is read instead."""
        url, name = self._text(obj, "url"), None
        for key in self.fields["source_name"]:
            text = self._text({key: obj[key]}, "source_name") if obj.get(key) not in (None, "", [], {}) else None
            if text and _URL_VALUE.match(text):
                url = url or text
            elif text:
                name = name or text
        return name, url

    def _author(self, obj: dict[str, object], outlet: str | None) -> str | None:
        """Return the people an author field names, as a feed's is read ("Tom Krisher; AP Auto Writer"
        -> "Tom Krisher"), else its agency or outlet; a field naming no one is said, not kept."""
        stated = self._text(obj, "author")
        if not self.read_authors:
            return stated
        author, why = feed_author(stated, outlet)
        if stated and why:
            self._unusable(self._value(obj, "author")[1], stated, why)
        return author

    def _text(self, obj: dict[str, object], name: str) -> str | None:
        """Return a one-line field's text (tags out, entities decoded), noting a value that gives none."""
        value, key = self._value(obj, name)
        text = _as_text(value)
        if name == "author" and text and _ID_LIKE.fullmatch(text):
            self._unusable(key, value, "numbers (ids?), not names")
            return None
        if value is not None and text is None:
            self._unusable(key, value, "no text")
        return " ".join(inline_text(text).split()) or None if text else None

    def _unusable(self, key: str | None, value: object, what: str) -> None:
        seen = self.unusable.setdefault(f"{key} ({what})", [0, _shown(value)])
        seen[0] += 1

    def _blocks(self, value: object, key: str | None) -> list[str]:
        blocks = _body_blocks(value)
        if value is not None and not blocks:
            self._unusable(key, value, "no text")
        return blocks

    def read(self, raw: object, item: int) -> Draft | str:
        """Turn one record into a Draft, or return the reason it can't be one."""
        if not isinstance(raw, dict):
            return f"not a JSON object but {type(raw).__name__}"
        obj: dict[str, object] = {}
        for key, value in raw.items():
            k = norm_key(key)
            obj.setdefault(k, value)
            self.seen.add(k)
            if k not in self.known and value not in (None, "", [], {}):
                self.unread.setdefault(str(key))
        body_value, body_key = self._value(obj, "text")
        blocks = self._blocks(body_value, body_key)
        lead_key = next((k for k in self.fields["lead"] if k != body_key and obj.get(k) not in (None, "", [], {})),
                        None)
        lead = self._blocks(obj[lead_key], lead_key) if lead_key else []
        title = self._text(obj, "title")
        if not blocks and not title:
            return ("no title and no text field (looked for: title/headline, text/body/content; "
                    "name others in source.toml [fields])")
        date_value, date_key = self._value(obj, "date")
        stated_language = _as_text(self._value(obj, "language")[0])
        code = language_code(stated_language)
        if stated_language and code is None:
            self.bad_languages[stated_language] = self.bad_languages.get(stated_language, 0) + 1
        source_name, url = self._outlet_and_url(obj)
        author = self._author(obj, source_name)
        return Draft(
            blocks=lead + blocks if lead and not _repeats(lead, blocks) else blocks,
            title=title,
            url=url,
            author=author,
            section=self._text(obj, "section"),
            date_raw=_date_text(date_value),
            date_provenance=f"record:{date_key}" if date_key else None,
            language=code,
            language_stated=code is not None,
            source_name=source_name,
            item=item,
        )

    def take(self, raw: object, item: int, line_no: int, where: str, drafts: list[Draft], bad: list[BadLine]) -> None:
        """Read one record into `drafts`, or into `bad` with `where` it is ("line 3") and why not."""
        result = self.read(raw, item=item)
        if isinstance(result, str):
            bad.append(BadLine(line_no, f"{where}: {result}"))
        else:
            drafts.append(result)

    def warnings(self) -> list[str]:
        """Return this file's warnings: keys not read, mapped keys never seen, languages not understood."""
        out = []
        if self.unread:
            keys = list(self.unread)
            more = f" and {len(keys) - 12} more" if len(keys) > 12 else ""
            out.append("fields not read: " + ", ".join(keys[:12]) + more
                       + " (map them in source.toml [fields], or list them in ignore)")
        # A field mapped to several keys needs one of them: exports differ in which they fill.
        missing = [k for keys in self.mapped.values() if not any(norm_key(k) in self.seen for k in keys)
                   for k in keys]
        if missing and self.seen:
            out.append("source.toml [fields] names keys no record has: " + ", ".join(missing))
        if self.unusable:
            shown = "; ".join(f"{key} in {n} record(s), e.g. {example}"
                              for key, (n, example) in list(self.unusable.items())[:4])
            out.append(f"fields holding values that give no usable text, not read: {shown}")
        if self.bad_languages:
            shown = ", ".join(f"{v!r} ({n})" for v, n in list(self.bad_languages.items())[:5])
            out.append(f"language not understood, detected from the text instead: {shown}")
        return out


def _first(obj: dict, keys: tuple[str, ...]) -> object:
    for key in keys:
        value = obj.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _inline(value: list) -> str | None:
    """Return the text of a list of inline pieces, else None: Telegram's export writes a message
    as ["Токаев провел совещание по ", {"type": "bold", "text": "вакцинации"}, " в Нур-Султане"],
    one sentence whose formatted words are objects; a list of plain strings is paragraphs."""
    if not any(isinstance(v, dict) and "type" in v and isinstance(v.get("text"), str) for v in value) \
            or not all(isinstance(v, str) or (isinstance(v, dict) and isinstance(v.get("text"), str)) for v in value):
        return None
    return "".join(v if isinstance(v, str) else v["text"] for v in value).strip() or None


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list) and (joined := _inline(value)) is not None:
        return joined
    if isinstance(value, list):
        parts = [_as_text(v) for v in value]
        return ", ".join(p for p in parts if p) or None
    if isinstance(value, dict):
        # the member a JSON export keeps an object's text in: a person's or a tag's name, WordPress's
        # "rendered", xmltodict's "#text", GData's "$t"
        return _as_text(_first(value, _TEXT_MEMBERS))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return str(value).strip() or None


def _date_text(value: object) -> str | None:
    """Return a record's date as text; a Unix timestamp (seconds or milliseconds) becomes ISO 8601."""
    text = _as_text(value)
    if text and _EPOCH.fullmatch(text):
        seconds = float(text) / (1000 if len(text) == 13 else 1)
        try:
            return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).isoformat()
        except (OverflowError, OSError, ValueError):
            return text
    return text


def _body_blocks(value: object) -> list[str]:
    """Return the paragraphs of a text field: plain text, HTML (a rendered body), or a list of either."""
    if isinstance(value, list) and (joined := _inline(value)) is not None:
        return split_blocks(joined)
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            out.extend(_body_blocks(item))
        return out
    text = _as_text(value)
    if not text:
        return []
    if has_markup(text):
        return markup_blocks(text)
    return split_blocks(unescape(text) if has_entities(text) else text)


def _repeats(lead: list[str], blocks: list[str]) -> bool:
    """Say whether a lead only repeats the body's opening: a feed's summary is often its first
    paragraph, whole or cut with an ellipsis."""
    if not blocks:
        return False
    head = " ".join(lead).rstrip(" .…").removesuffix("...").strip().lower()
    return bool(head) and " ".join(blocks).lower().startswith(head)


def _shown(value: object) -> str:
    if isinstance(value, dict):
        return "an object with " + ", ".join(list(map(str, value))[:4])
    return repr(value)[:40]
