"""Measure decoding of legacy-encoded files: real texts in many languages, each written in the
single- and double-byte codecs its language is published in, with and without a declared charset.

    .venv/bin/python bench/decoding.py [--per-language 30] [--errors]

Texts: the UTF-8 pages of ../shared/corpora/html-fixtures (bench/dumpset.py's raw pages: news and
web pages in some 40 languages) reduced to their text (bench/dumpset.py's dump rendering, lines
of 40 characters or more), and Russian news of Collection5; each text's language is the product's
own detect_language. Nothing here was written with these texts in view; the pages are split
in two by a hash of the page id and both halves are printed, so a rule tuned on one half shows
on the other.

Each text goes through searchapp.ingest.decode.decode_bytes written three ways: a .txt file (no
declaration), an HTML page that declares its charset in a <meta>, and the same page without
the <meta>; and once as UTF-8 with one corrupt byte in the middle (right: the text comes back
but for that byte's replacement character). Right = the decoded text holds the original exactly. A text decoded as Cyrillic when
its language is not written in Cyrillic (or as a Cyrillic codec other than its own) is counted
apart: that is the silent garble a reader cannot use.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import SHARED  # noqa: E402

# The codecs each language's legacy pages and text exports are written in.
CODECS = {
    "ru": ("cp1251", "koi8-r", "cp866", "iso-8859-5", "mac-cyrillic"),
    "uk": ("cp1251", "koi8-u"), "bg": ("cp1251",), "be": ("cp1251",), "kk": ("cp1251",), "sr": ("cp1251",),
    "mk": ("cp1251",),
    "pl": ("cp1250", "iso-8859-2"), "cs": ("cp1250", "iso-8859-2"), "sk": ("cp1250", "iso-8859-2"),
    "hu": ("cp1250", "iso-8859-2"), "hr": ("cp1250", "iso-8859-2"), "sl": ("cp1250", "iso-8859-2"),
    "ro": ("cp1250", "iso-8859-16"),
    "de": ("cp1252", "iso-8859-1"), "fr": ("cp1252", "iso-8859-1"), "es": ("cp1252", "iso-8859-1"),
    "it": ("cp1252", "iso-8859-1"), "pt": ("cp1252", "iso-8859-1"), "nl": ("cp1252", "iso-8859-1"),
    "sv": ("cp1252", "iso-8859-1"), "da": ("cp1252", "iso-8859-1"), "no": ("cp1252", "iso-8859-1"),
    "fi": ("cp1252", "iso-8859-15"), "ca": ("cp1252", "iso-8859-1"), "en": ("cp1252",),
    "tr": ("cp1254", "iso-8859-9"), "el": ("cp1253", "iso-8859-7"), "lt": ("cp1257",), "lv": ("cp1257",),
    "et": ("cp1257",), "ar": ("cp1256",), "fa": ("cp1256",), "he": ("cp1255",), "vi": ("cp1258",),
    "zh": ("gbk", "gb18030", "big5"), "ja": ("shift_jis", "euc-jp"), "ko": ("euc-kr",), "th": ("cp874",),
}
CYRILLIC_LANGS = {"ru", "uk", "bg", "be", "kk", "sr", "mk"}
_HALF_CHARS = 3000


def _texts(per_language: int) -> list[dict]:
    """Return texts {id, lang, text, half}: up to per_language per language (Russian from Collection5 too)."""
    from bench.dumpset import decode_page, raw_pages, render_dump
    from searchapp.ingest.language import detect_language

    by_lang: dict[str, list[dict]] = defaultdict(list)
    for raw in raw_pages():
        try:
            raw["data"].decode("utf-8")
        except UnicodeDecodeError:
            continue   # a page not in UTF-8: its original text is not known for sure
        lines = [line for line in render_dump(decode_page(raw["data"])) if len(line) >= 40]
        text = "\n".join(lines)[:_HALF_CHARS]
        if len(text) < 400:
            continue
        lang = detect_language(text, default="")
        if lang in CODECS and len(by_lang[lang]) < per_language:
            by_lang[lang].append({"id": raw["id"], "lang": lang, "text": text})
    with gzip.open(SHARED / "ru-news" / "collection5-ne5.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(by_lang["ru"]) >= 2 * per_language:
                break
            doc = json.loads(line)
            text = (doc.get("text") or "")[:_HALF_CHARS]
            if len(text) >= 400:
                by_lang["ru"].append({"id": f"collection5/{doc.get('id', len(by_lang['ru']))}", "lang": "ru", "text": text})
    out = [t for texts in by_lang.values() for t in texts]
    for t in out:
        t["half"] = "A" if hashlib.md5(t["id"].encode()).digest()[0] % 2 == 0 else "B"
    return out


def _files(text: str, codec: str) -> list[tuple[str, bytes, bool]]:
    """Return (way, bytes, is_html) for the text written in `codec`: .txt, declared HTML, undeclared HTML."""
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.split("\n"))
    declared = f'<!DOCTYPE html>\n<html><head><meta charset="{codec}"><title>Page</title></head><body>\n{body}</body></html>'
    bare = f"<!DOCTYPE html>\n<html><head><title>Page</title></head><body>\n{body}</body></html>"
    return [("txt", text.encode(codec), False), ("html declared", declared.encode(codec), True),
            ("html undeclared", bare.encode(codec), True)]


def measure(texts: list[dict], errors: bool = False) -> dict:
    """Return counts[(half, group, way)] of right / cyrillic garble / other wrong / refused."""
    from searchapp.errors import DecodeError
    from searchapp.ingest.decode import _CYRILLIC_CODECS, decode_bytes

    counts: dict = defaultdict(Counter)
    for t in texts:
        group = "Cyrillic" if t["lang"] in CYRILLIC_LANGS else "CJK" if t["lang"] in ("zh", "ja", "ko") else "other"
        if any(ord(c) >= 0x80 for c in t["text"]):
            # A UTF-8 file with one corrupt byte (a cut download, a bad copy) is still UTF-8.
            data = t["text"].encode("utf-8")
            cut = next(k for k in range(len(data) // 2, len(data) + 1) if k == len(data) or not 0x80 <= data[k] < 0xC0)
            data = data[:cut] + b"\xff" + data[cut:]   # (between two characters)
            decoded, used = decode_bytes(data)
            verdict = "right" if decoded.replace("\ufffd", "") == t["text"] else \
                "cyrillic garble" if used in _CYRILLIC_CODECS else "other wrong"
            counts[(t["half"], group, "utf-8 with a bad byte")][verdict] += 1
            if errors and verdict != "right":
                print(f"  {t['half']} {t['lang']} utf-8+bad      -> {used:14s} {verdict}  {t['id']}")
        for codec in CODECS[t["lang"]]:
            try:
                t["text"].encode(codec)
            except UnicodeEncodeError:
                continue   # the text holds a character this codec cannot write: no page would be in it
            for way, data, is_html in _files(t["text"], codec):
                try:
                    decoded, used = decode_bytes(data, html=is_html)
                except DecodeError:
                    verdict, used = "refused", "-"
                else:
                    probe = t["text"] if not is_html else html.escape(t["text"].split("\n")[0])
                    if probe in decoded:
                        verdict = "right"
                    elif used in _CYRILLIC_CODECS or used == "koi8_u":
                        verdict = "cyrillic garble"
                    else:
                        verdict = "other wrong"
                counts[(t["half"], group, way)][verdict] += 1
                if errors and verdict != "right":
                    print(f"  {t['half']} {t['lang']} {codec:12s} {way:16s} -> {used:14s} {verdict}  {t['id']}")
    return counts


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--per-language", type=int, default=30)
    ap.add_argument("--errors", action="store_true", help="list every wrong decode")
    args = ap.parse_args(argv)
    texts = _texts(args.per_language)
    langs = Counter(t["lang"] for t in texts)
    print(f"{len(texts)} texts in {len(langs)} languages: " + ", ".join(f"{k} {v}" for k, v in langs.most_common()))
    counts = measure(texts, args.errors)
    print("| half | texts | way | files | right | Cyrillic garble | other wrong | refused |")
    print("|---|---|---|---|---|---|---|---|")
    for key in sorted(counts):
        c = counts[key]
        n = sum(c.values())
        print(f"| {key[0]} | {key[1]} | {key[2]} | {n} | {c['right']} ({c['right'] / n:.1%}) | {c['cyrillic garble']} | "
              f"{c['other wrong']} | {c['refused']} |")


if __name__ == "__main__":
    main()
