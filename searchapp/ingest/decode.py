"""Turn a file's bytes into text: BOM, then strict UTF-8, then the declared charset, then detection.

Strict UTF-8 goes before the declared charset because a page that decodes as UTF-8 with non-ASCII
text in it is UTF-8 whatever its <meta> says; scrapers often save pages re-encoded and keep the
old declaration. Single-byte Cyrillic pages (cp1251, koi8-r, cp866...) are told apart by how
plausible the Russian text they decode to is, which detectors get wrong on short pages.

A declared charset is read as browsers read it (the WHATWG Encoding Standard's labels: "iso-8859-1"
means windows-1252, "gb2312" GB18030, "euc-kr" windows-949...). A declared multi-byte or non-Latin
charset (GBK, EUC-KR, Shift_JIS, Greek, Arabic...) that decodes cleanly is believed: their bytes
read as a Cyrillic code page look like Russian letters to a letter count (GBK as koi8-r does), and a
strict multi-byte decode of a page in another charset seldom succeeds. A declared Latin code page
still competes with the Cyrillic ones, because old Russian sites declare iso-8859-1 over cp1251.
"""
from __future__ import annotations

import codecs
import re

from searchapp.errors import DecodeError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Signatures of binary formats that get saved under text extensions by mistake.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"RIFF", "RIFF media file"),
    (b"\x00\x00\x01\x00", "icon file"),
    (b"wOFF", "web font"),
    (b"\x7fELF", "executable"),
)

_CYRILLIC_CODECS = ("cp1251", "koi8-r", "cp866", "iso-8859-5", "mac-cyrillic")
# Declared Cyrillic charsets (codecs' names): the other Cyrillic code pages compete with them.
_CYRILLIC_DECLARED = {"cp1251", "koi8-r", "koi8-u", "cp866", "iso8859-5", "mac-cyrillic", "kz1048", "ptcp154"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_XML_DECL = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.I)
_RU_COMMON = set("оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё")
_RU_VOWELS = set("аеёиоуыэюяАЕЁИОУЫЭЮЯ")
_UK_BE = set("іїєґўІЇЄҐЎ")
_LETTERS = re.compile(r"[^\W\d_]+")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Declared labels read as browsers read them (WHATWG Encoding Standard): each names a superset its
# pages are really written in (cp1252's quotes in pages declared iso-8859-1, GB18030 for gb2312).
_WHATWG = {"iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254", "gb2312": "gb18030",
           "gbk": "gb18030", "euc_kr": "cp949", "shift_jis": "cp932", "big5": "big5hkscs",
           "tis-620": "cp874", "iso8859-11": "cp874"}
# Labels pages use that Python's codec registry does not know.
_LABELS = {"windows-874": "cp874", "x-mac-cyrillic": "mac-cyrillic", "x-sjis": "shift_jis", "x-gbk": "gbk",
           "ks_c_5601-1987": "euc_kr", "x-euc-jp": "euc_jp"}
# The Windows code page each language's legacy text is written in (charset_normalizer's language names).
_CODE_PAGE = {
    **dict.fromkeys(["English", "French", "German", "Spanish", "Portuguese", "Italian", "Dutch", "Danish", "Swedish",
                     "Norwegian", "Finnish", "Catalan", "Indonesian", "Malay", "Swahili", "Icelandic"], "cp1252"),
    **dict.fromkeys(["Polish", "Czech", "Slovak", "Hungarian", "Croatian", "Slovene", "Romanian", "Albanian"], "cp1250"),
    **dict.fromkeys(["Latvian", "Lithuanian", "Estonian"], "cp1257"),
    **dict.fromkeys(["Turkish", "Azerbaijani"], "cp1254"),
    "Greek": "cp1253", "Vietnamese": "cp1258",
}
_CODE_PAGES = frozenset(_CODE_PAGE.values())
# Single-byte Latin code pages: a page declaring one may be cp1251 (old Russian sites declare
# iso-8859-1), so the Cyrillic code pages compete with it. Any other declared charset is believed.
_LATIN_CODECS = {"cp1252", "iso8859-1", "cp1250", "iso8859-2", "cp1254", "iso8859-9", "cp1257", "iso8859-13",
                 "iso8859-15", "iso8859-16", "iso8859-3", "iso8859-4", "iso8859-10", "iso8859-14", "mac-roman",
                 "mac-latin2", "cp1258", "cp437", "cp850", "cp852", "ascii"}
# The encoding name of a UTF-8 file whose invalid bytes were replaced (U+FFFD): its report line says so.
REPLACED = "utf-8 (with replacements)"
_UTF8_MAJORITY = 3   # valid multi-byte characters for each invalid sequence in a file read as UTF-8
# A candidate code page is judged on the text's first characters: a whole file scored in Python for
# each of five code pages took seconds a megabyte, and the first 64K characters tell them apart.
_SCORED_CHARS = 65536
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")


def sniff_declared(data: bytes) -> str | None:
    """Return the charset an HTML/XML head declares, if any (only the first 4 KB are read)."""
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_DECL.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    return _codec_name(name)


def _codec_name(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    try:
        return codecs.lookup(_LABELS.get(name, name)).name
    except LookupError:
        return None


def _browser_codec(name: str) -> str:
    """Return the codec browsers decode a page declared `name` with: a superset of it."""
    return _WHATWG.get(name, name)


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if kind and data.startswith(magic):
            return kind
    return None


def _cyrillic_score(text: str) -> float:
    """Score how much `text` reads as Russian (or another Cyrillic language): high only for the right codec.

    What separates the candidates, measured on bench/decoding.py's texts (a Cyrillic text read in
    its own code page scores 0.878 or more, 217 readings; the bytes of a Spanish, Greek, Chinese or
    Arabic text read through a Cyrillic code page score under 0.5 in 1,605 of 1,610 readings):
    - the non-ASCII characters are Cyrillic letters, not box drawing or symbols (GBK read as
      koi8-r gives "╩╟╬Г║╤т"; cp1251 read as mac-cyrillic "¬ыборы в ћинске");
    - they are mostly lower case, as running text is (koi8-r read as cp1251 swaps the cases);
    - a Cyrillic word holds no Latin letter: a Western text's accented letters read as Cyrillic
      sit inside Latin words ("dйclarй", "Espańa" as cp1251);
    - vowels are 30-55% of the Russian letters, as in any Cyrillic language's prose (Greek or
      Arabic bytes read as Cyrillic give random letters).
    """
    text = text[:_SCORED_CHARS]
    high = [c for c in text if ord(c) >= 0x80 and not c.isspace()]
    if not high:
        return 0.0
    russian = [c for c in high if "\u0410" <= c <= "\u044f" or c in "\u0401\u0451"]
    if not russian:
        return 0.0
    # (Ukrainian and Belarusian letters count with the Russian ones; Serbian ones do not: cp1251 read
    # as mac-cyrillic turns capitals into "Ђ", "Љ", "Њ")
    alphabet = len(russian) + sum(c in _UK_BE for c in high)
    lower = sum(c in _RU_COMMON or c in "\u0451" for c in russian) / len(russian)
    vowels = sum(c in _RU_VOWELS for c in russian) / len(russian)
    if not 0.3 <= vowels <= 0.55:
        return 0.0
    words = [w for w in _LETTERS.findall(text) if _CYRILLIC_LETTER.search(w)]
    mixed = sum(1 for w in words if _LATIN_LETTER.search(w)) / max(1, len(words))
    share = alphabet / len(high)
    return share ** 3 * min(1.0, lower / 0.8) * (1.0 - mixed) ** 4


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """Spot BOM-less UTF-16: NULs at every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes, *, declared: str | None = None, html: bool = False) -> tuple[str, str]:
    """Decode `data` and return (text, encoding used); raise DecodeError when it is not text."""
    if not data:
        raise DecodeError("empty file")
    kind = _binary_kind(data)
    if kind:
        raise DecodeError(f"binary file ({kind}), not text")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _try(data[len(bom):], codec)
            if text is None:
                raise DecodeError(f"byte order mark says {codec} but the bytes are not valid {codec}")
            return text, codec
    utf16 = _utf16_without_bom(data)
    if utf16:
        text = _try(data[: len(data) - len(data) % 2], utf16)
        if text is not None and _control_share(text) < 0.05:
            return text, utf16
    nul_share = data.count(0) / len(data)
    if nul_share > 0.1:
        raise DecodeError(f"binary file: {nul_share:.0%} of the bytes are NUL")
    text = _try(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    if (text := _mostly_utf8(data)) is not None:
        return text, REPLACED
    declared = _codec_name(declared) or (sniff_declared(data) if html else None)
    candidates: list[tuple[float, str, str]] = []
    if declared and declared not in ("utf-8",):
        if (text := _try(data, _browser_codec(declared))) is not None:
            declared = _browser_codec(declared)
        else:
            text = _try(data, declared)   # (cp1252 leaves 5 bytes undefined that iso-8859-1 maps)
        if text is not None and _control_share(text) < 0.02:
            score = _cyrillic_score(text)
            if declared in _CYRILLIC_DECLARED or score > 0:
                candidates.append((score + 0.05, declared, text))
            elif declared not in _LATIN_CODECS:
                return text, declared
            else:
                candidates.append((0.5, declared, text))
    high = sum(b >= 0x80 for b in data[:65536]) / max(1, min(len(data), 65536))
    if high > 0.05:
        for codec in _CYRILLIC_CODECS:
            text = _try(data, codec)
            if text is not None and _control_share(text) < 0.02:
                candidates.append((_cyrillic_score(text), codec, text))
    if candidates:
        score, codec, text = max(candidates, key=lambda c: c[0])
        if score >= 0.5:
            return text, codec
    return _detect(data)


def _mostly_utf8(data: bytes) -> str | None:
    """Return the text of a UTF-8 file that a few corrupt bytes keep from decoding strictly, else None.

    A cut download or a bad copy leaves a stray byte in a UTF-8 file; read as a legacy code page
    instead, every accented or Cyrillic letter of it turns to mojibake ("dÃĐputÃĐ"). The file's
    valid multi-byte characters outnumber its invalid sequences by far (a legacy-encoded file has
    almost none: its accented letters are not valid UTF-8), so they are replaced, and the file's
    report line says how many (pipeline.load_text).
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multi = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    return text if multi >= _UTF8_MAJORITY * bad else None


def replaced_count(text: str) -> int:
    """Return how many characters of `text` were replaced (U+FFFD) when it was decoded."""
    return text.count("\ufffd")


def _detect(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes  # imported lazily: it is slow to import

    matches = from_bytes(data[:262144])
    best = matches.best()
    if best is not None and best.encoding in _CODE_PAGES:
        # The detector's measures tie between code pages that differ in a few letters (Spanish reads
        # as cleanly in cp1250 as in cp1252, "España" against "Espańa"; Hungarian's "ő" is "õ" in
        # cp1252): of the near ties, the code page of the language it reads the text as wins.
        own = _CODE_PAGE.get(best.language)
        close = [m for m in matches if m.encoding == own and m.chaos <= best.chaos + 0.02
                 and m.coherence >= best.coherence - 0.05]
        best = close[0] if close else best
    if best is not None:
        text = _try(data, best.encoding)
        if text is not None and _control_share(text) < 0.02:
            return text, best.encoding
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") / max(1, len(text))
    if bad > 0.02 or _control_share(text) > 0.05:
        raise DecodeError("undecodable bytes: not valid text in UTF-8 or any detected encoding")
    return text, REPLACED
