"""Turn a file's bytes into text: BOM, then strict UTF-8, then the declared charset, then detection.

Strict UTF-8 goes before the declared charset because a page that decodes as UTF-8 with non-ASCII
text in it is UTF-8 whatever its <meta> says; scrapers often save pages re-encoded and keep the
old declaration. Single-byte Cyrillic pages (cp1251, koi8-r, cp866...) are told apart by how
plausible the Russian text they decode to is, which detectors get wrong on short pages.
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
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_XML_DECL = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.I)
_RU_COMMON = set("оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё")
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
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if kind and data.startswith(magic):
            return kind
    return None


def _cyrillic_score(text: str) -> float:
    """Score how much `text` reads as Russian: high only for the right single-byte codec.

    Two things separate the candidates: whether the non-ASCII characters are Russian letters at
    all (cp1251 read as mac-cyrillic gives "¬ыборы в ћинске"), and whether they are mostly lower
    case, as running text is (koi8-r read as cp1251 swaps the cases).
    """
    high = [c for c in text if ord(c) >= 0x80 and not c.isspace()]
    if not high:
        return 0.0
    russian = [c for c in high if "\u0410" <= c <= "\u044f" or c in "\u0401\u0451"]
    if not russian:
        return 0.0
    lower = sum(c in _RU_COMMON or c in "\u0451" for c in russian) / len(russian)
    return (len(russian) / len(high)) * min(1.0, lower / 0.8)


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
    declared = _codec_name(declared) or (sniff_declared(data) if html else None)
    candidates: list[tuple[float, str, str]] = []
    if declared and declared not in ("utf-8",):
        text = _try(data, declared)
        if text is not None and _control_share(text) < 0.02:
            if declared in _CYRILLIC_CODECS or _cyrillic_score(text) > 0:
                candidates.append((_cyrillic_score(text) + 0.05, declared, text))
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


def _detect(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes  # imported lazily: it is slow to import

    best = from_bytes(data[:262144]).best()
    if best is not None:
        text = _try(data, best.encoding)
        if text is not None and _control_share(text) < 0.02:
            return text, best.encoding
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") / max(1, len(text))
    if bad > 0.02 or _control_share(text) > 0.05:
        raise DecodeError("undecodable bytes: not valid text in UTF-8 or any detected encoding")
    return text, "utf-8 (with replacements)"
