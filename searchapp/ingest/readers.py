"""Readers: decoded text of one file -> Drafts. One function per format; HTML lives in html.py."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from searchapp.models import Draft, SourceConfig

_BLANK_SPLIT = re.compile(r"\n[ \t\u00a0\u3000]*\n")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_TERMINAL = (".", "!", "?", ":", ";", "\"", "”", "»", ")", "…")


def normalize_text(text: str) -> str:
    """Unify newlines and drop characters that only get in the way (NUL, zero-width, soft hyphen)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x00\u00ad\u200c\u200d\ufeff]", "", text)


def _looks_hard_wrapped(lines: list[str]) -> bool:
    """Tell a paragraph broken at a fixed width (wire copy) from a block of separate short lines.

    Wrapped lines are long, and most breaks fall mid-sentence, so the next line goes on in lower
    case or the line ends on a comma or hyphen. A title over a photo credit is neither.
    """
    if len(lines) < 2:
        return False
    lengths = sorted(len(l.strip()) for l in lines[:-1])
    if lengths[len(lengths) // 2] < 45:
        return False
    breaks = [(a.rstrip(), b) for a, b in zip(lines, lines[1:]) if not b[:2].isspace()]
    if not breaks:
        return True  # every line indented: one paragraph per line, handled by the caller
    runs_on = sum(b.lstrip()[:1].islower() or a.endswith((",", "-", "–")) for a, b in breaks)
    return runs_on >= 0.5 * len(breaks)


def split_blocks(text: str) -> list[str]:
    """Split plain text into paragraphs: blank lines separate them; hard wraps are joined.

    In hard-wrapped text an indented line starts a new paragraph (Reuters style); in other
    blocks each line stays its own paragraph, since dumps put a title, a date and a byline on
    consecutive lines.
    """
    return _split_normalized(normalize_text(text))


_OTHER_SPACES = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]")   # _SPACES but " "


def _squeeze(block: str) -> str:
    """Return _SPACES.sub(" ", block).strip(), skipping the regex where it would change nothing.

    The substitution changes a block only where a run is two or more long or holds a space other
    than " ": a block with neither comes out as it went in.
    """
    if "  " not in block and (("\t" not in block) if block.isascii() else _OTHER_SPACES.search(block) is None):
        return block.strip()
    return _SPACES.sub(" ", block).strip()


def _split_normalized(text: str) -> list[str]:
    """split_blocks of a text normalize_text has already been through."""
    blocks: list[str] = []
    for chunk in _BLANK_SPLIT.split(text):
        if "\n" not in chunk:
            # (a dump's line between blank lines, most chunks: one block, as the lines below make it)
            if chunk.strip():
                blocks.append(chunk.strip())
            continue
        lines = [l for l in chunk.split("\n") if l.strip()]
        if not lines:
            continue
        if _looks_hard_wrapped(lines):
            # A line well short of the wrap width that ends no clause is a paragraph's last line,
            # or a title or date line of a dump joined with single newlines: the next starts anew.
            width = sorted(len(l.strip()) for l in lines)[(len(lines) - 1) * 9 // 10]
            para: list[str] = []
            for line, nxt in zip(lines, lines[1:] + [""]):
                if para and line[:1] in (" ", "\t") and len(line) - len(line.lstrip()) >= 2:
                    blocks.append(" ".join(para))
                    para = []
                para.append(line.strip())
                if (len(para[-1]) < 0.6 * width and not para[-1].endswith((",", "-", "–"))
                        and not nxt.lstrip()[:1].islower()):
                    blocks.append(" ".join(para))
                    para = []
            if para:
                blocks.append(" ".join(para))
        else:
            blocks.extend(l.strip() for l in lines)
    return [_squeeze(b) for b in blocks if b.strip()]


_RUN_OF_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_DATE_BY = re.compile(r"^(?P<date>.{4,60}?)(?:\s+by\s+(?P<author>.{1,120}))?$", re.I)
_URL_AUTHOR = re.compile(r"^(?:https?:|www\.)", re.I)


def _flattened(text: str) -> list[str] | None:
    """Return the blocks of a flattened dump (a page joined into one line by runs of spaces), or None.

    Scrapers that flatten a page keep its blocks apart with two or more spaces: "Title  03 May
    2020, 10:14 by Author  First paragraph.  Second paragraph."
    """
    lines = [l for l in text.split("\n") if l.strip()]
    if not lines or len(lines[0]) < 20 or not _RUN_OF_SPACES.search(lines[0].strip()):
        return None
    blocks: list[str] = []
    for line in lines:
        blocks.extend(b.strip() for b in _RUN_OF_SPACES.split(line) if b.strip())
    return blocks


def _read_flattened(blocks: list[str]) -> Draft | None:
    """Find the title, lead, date and author at the head of a flattened dump's blocks."""
    from searchapp.ingest import dates

    for k, block in enumerate(blocks[:4]):
        if len(block) > 160 or not dates.find_dates(block):
            continue
        m = _DATE_BY.match(block)
        spans = dates.find_dates(m.group("date")) if m else []
        if not m or not spans or spans[0][0] > 3:
            continue
        author = (m.group("author") or "").strip() or None
        if author and _URL_AUTHOR.match(author):
            author = None
        head = blocks[:k]
        title = head[0] if head and len(head[0]) <= 300 else None
        rest = head[1:] if title else head
        return Draft(blocks=rest + blocks[k + 1:], title=title, author=author,
                     date_raw=m.group("date").strip(), date_provenance="dateline of a flattened dump")
    return None


# Where a scraper's get_text() ran without a separator over minified HTML, the page's elements
# run together: "Latest NewsWales NewsUK NewsCrime", "...on popular beachThe woman's identity".
# A lowercase letter (or a sentence's end after a word) right before a capitalised word is where
# two elements met. Two lowercase letters before it, so "iPhone" and "eBay" are no such point, nor
# an initial before a surname ("Д.Медведев").
_GLUE = re.compile(r"(?:(?<=[a-zß-ÿа-яё]{2})|(?<=[a-zß-ÿа-яё][)\]»”]))(?=[A-ZÀ-ÞА-ЯЁ][a-zß-ÿа-яё])"
                   r"|(?:(?<=[a-zß-ÿа-яё]{2}[.!?:])|(?<=[.!?][)\]»”]))(?=[A-ZÀ-ÞА-ЯЁ])"
                   r"|(?<=[a-zß-ÿа-яё]{3})(?=\d)|(?<=\d)(?=[A-ZÀ-ÞА-ЯЁ][a-zß-ÿа-яё]{2})")
# A dump is read as glued when one of its lines (holding a space) has 6 such points. Lines of a
# dump written with a separator rarely have even one: brand names ("InterNations"), user names
# ("AMournfulHowlInTheNight"). On the dumpset's train pages, a line with 6 or more is on 3 of
# 1,058 dumps written with a separator, and on 210 of 681 written without.
_GLUED_DUMP = 6
# In a glued dump, a line is split where it has 3 or more: fewer is a name more often than
# elements run together (train pages: body F1 0.891 at 3, 0.889 at 1, measured before the
# points after a colon and around numbers were added).
_GLUED_LINE = 3
# Looking for the points costs about 1.3 ms a dump; a dump with no line holding 3 lowercase
# letters right before a capital (13 of 296 test dumps have one) is not looked at: 0.27 ms.
_CAMEL = re.compile(r"[a-zß-ÿа-яё][A-ZÀ-ÞА-ЯЁ]")


def _unglue(blocks: list[str]) -> list[str]:
    """Split the lines of a dump whose elements ran together (get_text() with no separator)."""
    if not any(len(_CAMEL.findall(b)) >= _GLUED_LINE for b in blocks):
        return blocks
    counts = [len(_GLUE.findall(b)) if " " in b else 0 for b in blocks]
    if max(counts) < _GLUED_DUMP:
        return blocks
    out: list[str] = []
    for k, (block, points) in enumerate(zip(blocks, counts)):
        # (the first line is the page's <title>, one element, unless the page ran into it too)
        if points >= (_GLUED_DUMP if k == 0 else _GLUED_LINE):
            out.extend(piece.strip() for piece in _GLUE.split(block) if piece.strip())
        else:
            out.append(block)
    return out


def read_txt(text: str) -> list[Draft]:
    """Read a plain-text page dump: one Draft whose blocks are the paragraphs (or the lines).

    A flattened dump (the page joined into one line by runs of spaces) is split on those runs,
    and the date and byline block after its title gives the date and author. A dump whose first
    line merely has wide gaps, with no date block near its start, is read as lines. A dump whose
    elements ran together (get_text() with no separator) is split where they met (_unglue).
    """
    normal = normalize_text(text)
    flat = _flattened(normal)
    if flat is not None:
        flat = _unglue(flat)
    draft = _read_flattened(flat) if flat is not None else None
    if draft is None and flat is not None and text.count("\n") <= 2:
        draft = Draft(blocks=flat)    # one line with no date block: still a page joined by spaces
    return [draft or Draft(blocks=_unglue(_split_normalized(normal)))]


# --- JSON lines --------------------------------------------------------------
# The keys each field is read from live in records.py, shared with CSV/TSV (delimited.py).


@dataclass
class BadLine:
    """A record that could not be read; the pipeline reports it."""

    line_no: int
    reason: str


def read_jsonl(text: str, *, max_line_chars: int = 5_000_000, source: SourceConfig | None = None
               ) -> tuple[list[Draft], list[BadLine], list[str]]:
    """Read a JSON-lines export: one Draft per good line, one BadLine per bad one, the file's warnings."""
    from searchapp.ingest.records import RecordReader  # records imports split_blocks from here

    reader = RecordReader.for_source(source)
    drafts: list[Draft] = []
    bad: list[BadLine] = []
    for line_no, line in enumerate(normalize_text(text).split("\n"), start=1):
        if not line.strip():
            continue
        if len(line) > max_line_chars:
            bad.append(BadLine(line_no, f"line {line_no}: record longer than {max_line_chars} characters"))
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as exc:
            bad.append(BadLine(line_no, f"line {line_no}: invalid JSON ({str(exc)[:80]})"))
            continue
        reader.take(obj, line_no - 1, line_no, f"line {line_no}", drafts, bad)
    return drafts, bad, reader.warnings()
