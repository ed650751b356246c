"""Read an HTML page into Drafts: main-content paragraphs plus what the page states about itself.

`read_html` never raises: malformed, truncated, hostile or empty input gives a best-effort Draft
or an empty list. Parsing is lxml's libxml2 HTML parser, which repairs broken markup and caps
nesting depth itself; every walk over the tree here is iterative.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html
from lxml.html import HtmlElement

from searchapp.config import Settings
from searchapp.errors import ExtractorUnavailable
from searchapp.ingest.html_clean import clean_blocks
from searchapp.ingest.html_dates import find_page_date, find_publication_date
from searchapp.ingest.html_listing import covers_main_text, find_teasers, teaser_blocks
from searchapp.ingest.html_meta import PageMeta, norm_ws, read_meta
from searchapp.ingest.html_text import dom_blocks, trafilatura_blocks
from searchapp.models import Draft

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TAG = re.compile(r"<[^>]{0,10000}>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Only script and style: <noscript> and <template> sometimes hold the article text itself.
_DEAD = ("script", "style")
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False,
                               default_doctype=False)


def read_html(text: str, settings: Settings) -> list[Draft]:
    """Return the article(s) of one HTML page: one Draft, several for a listing page, [] if empty."""
    try:
        return _read(text, settings)
    except ExtractorUnavailable:
        raise  # a broken install must stop the run, not turn every page into its whole text
    except Exception:  # the contract is "never raises"; fall back to plain text, not to nothing
        try:
            return _crude(text)
        except Exception:
            return []


def parse_html(text: str, settings: Settings) -> HtmlElement | None:
    """Parse `text` into an lxml tree capped at settings.max_html_elements, or None if empty."""
    # lxml refuses str input that carries an encoding declaration, and control characters.
    text = _CONTROL.sub(" ", _XML_DECL.sub("", text))
    if not text.strip():
        return None
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
    except (lxml.etree.ParserError, ValueError):
        return None
    if root is None:
        return None
    # libxml2 silently drops everything nested deeper than its limit (tests/hostile.py builds
    # 100,000 nested <div>s): the page must then be read without the DOM, not lose its text.
    if any("Excessive depth" in e.message for e in _PARSER.error_log):
        raise TooDeep()
    _cap_elements(root, settings.max_html_elements)
    return root


def _cap_elements(root: HtmlElement, limit: int) -> None:
    """Drop every element past the first `limit` in document order (bounds the work per page)."""
    extra: list[HtmlElement] = []
    for n, el in enumerate(root.iter()):
        if n >= limit:
            extra.append(el)
    # Later elements are never ancestors of earlier ones, so removing them keeps the prefix intact.
    for el in reversed(extra):
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)


def _read(text: str, settings: Settings) -> list[Draft]:
    root = parse_html(text, settings)
    if root is None:
        return []
    pm = read_meta(root)
    page_date = find_page_date(text[:20000])
    date_raw, provenance = find_publication_date(root, pm, htmldate_max_elements=settings.htmldate_max_elements)
    teasers = find_teasers(root, pm)
    # Meta and dates are read; dead subtrees now only cost the extractor copying time.
    lxml.etree.strip_elements(root, *_DEAD, with_tail=False)
    body = root.find("body")
    blocks = trafilatura_blocks(root, pm.url) or dom_blocks(body if body is not None else root)
    if teasers and covers_main_text(teasers, blocks):
        return _listing_drafts(teasers, pm, page_date)
    blocks, removed = clean_blocks(blocks)
    title = pm.title
    if blocks and title and norm_ws(blocks[0]).lower() == title.lower():
        blocks = blocks[1:]    # the headline goes in Draft.title, not twice
    elif not title and blocks and len(blocks[0]) <= 200:
        title, blocks = blocks[0], blocks[1:]
    blocks = _dedupe(blocks)
    if not blocks and not title:
        return []
    author = pm.author or (_byline_between(root, title, blocks[0]) if title and blocks else None)
    return [Draft(blocks=blocks, title=title, url=pm.url, author=author, section=pm.section,
                  date_raw=date_raw, date_provenance=provenance, page_date_raw=page_date,
                  language=pm.language, source_name=pm.source_name, removed=removed)]


def _byline_between(root: HtmlElement, title: str, first_block: str) -> str | None:
    """Return the byline the page shows between its headline and its article's first paragraph.

    Many pages mark their byline with nothing a reader of markup can find (no author meta, no
    rel=author, no byline class): it is a line of text under the headline, as in a text dump of
    the page, so the dump's byline reader reads it from the page's lines.
    """
    from searchapp.ingest import page_bylines

    lines = [t for t in (norm_ws(x) for x in root.itertext()) if t]
    key, first = title.lower(), norm_ws(first_block)[:200]
    title_at = next((i for i, line in enumerate(lines) if line.lower() == key), None)
    if title_at is None:
        return None
    start = next((i for i in range(title_at + 1, min(len(lines), title_at + 60)) if first.startswith(lines[i][:200])
                  and len(lines[i]) >= min(40, len(first))), None)
    if start is None:
        return None
    return page_bylines.header_author(lines, title_at, start, [None] * len(lines))


def _listing_drafts(teasers: list, pm: PageMeta, page_date: str | None) -> list[Draft]:
    drafts = []
    for item, t in enumerate(teasers):
        url = urljoin(pm.url, t.url) if pm.url and t.url else t.url
        drafts.append(Draft(blocks=_dedupe(teaser_blocks(t)), title=t.title, url=url, section=pm.section,
                            date_raw=t.date_raw, date_provenance=t.date_provenance,
                            page_date_raw=page_date, language=pm.language,
                            source_name=pm.source_name, item=item))
    return drafts


def _dedupe(blocks: list[str]) -> list[str]:
    """Drop empty blocks and immediate repeats (teaser text echoed by the body, sticky headers)."""
    out: list[str] = []
    for block in blocks:
        block = norm_ws(block)
        if block and (not out or out[-1] != block):
            out.append(block)
    return out


class TooDeep(Exception):
    """The page nests elements deeper than the HTML parser keeps."""


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_DEAD_BLOCK = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
_BREAK = re.compile(r"</?(?:p|div|br|h[1-6]|li|ul|ol|tr|table|section|article|blockquote|header|footer|title)\b[^>]{0,10000}>", re.I)


def _crude(text: str) -> list[Draft]:
    """Read a page without a DOM: the last resort when the parser failed on a pathological page.

    Block-level tags become paragraph breaks so the result still has a title and paragraphs.
    """
    import html as html_lib

    from searchapp.ingest.readers import split_blocks

    text = text[:5_000_000]
    m = _TITLE.search(text[:200_000])
    title = norm_ws(html_lib.unescape(_TAG.sub(" ", m.group(1)))) if m else None
    body = _DEAD_BLOCK.sub(" ", text[m.end():] if m else text)
    body = _TAG.sub(" ", _BREAK.sub("\n\n", body))
    blocks = [b for b in split_blocks(html_lib.unescape(body)) if b != title]
    if not blocks and not title:
        return []
    return [Draft(blocks=blocks, title=title or None)]
