"""Turn a parsed page into main-content paragraphs (`blocks`), dropping boilerplate.

The main path is trafilatura's extractor run on our parsed tree (bench/extraction.py measured it
against a hand-written DOM walk on trafilatura's and htmldate's evaluation pages; see the commit
log for figures). `dom_blocks` is our own iterative walk, used when trafilatura finds nothing
(tiny pages, fragments) and for the teasers of listing pages.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from lxml.html import HtmlElement

from searchapp.errors import ExtractorUnavailable
from searchapp.ingest.html_meta import norm_ws

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

DROP_TAGS = frozenset({
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg",
    "button", "select", "option", "template", "head", "title", "meta", "link", "input", "textarea",
    "object", "embed", "canvas", "video", "audio", "figure", "menu", "dialog",
})
BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt",
                        "td", "th", "address", "figcaption"})
# class/id words of widgets that are never the article: menus, sharing, newsletters, related
# links, cookie banners, ads, comment sections.
BOILER_ATTR = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|share|sharing|social|newsletter|"
    r"subscribe|related|recommended|more-stories|read-more|cookie|cookies|consent|gdpr|banner|"
    r"advert|ads?|promo|sponsor|sidebar|widget|comments?|footer|masthead|skip|popup|modal|"
    r"paywall|tags|pagination|teaser-list|outbrain|taboola)(?:$|[\s_-])", re.I)
_MIN_CHARS = 25   # blocks shorter than this need to look like prose (end in punctuation)


def _itertext_block(el: HtmlElement) -> str:
    return norm_ws(" ".join(el.itertext()))


_EXTRACTOR: list = []


def require_extractor():
    """Return trafilatura's bare_extraction, or raise ExtractorUnavailable saying why it can't load."""
    if not _EXTRACTOR:
        try:
            from trafilatura import bare_extraction
        except Exception as exc:  # ImportError, or a dependency that breaks while importing
            raise ExtractorUnavailable(
                f"the HTML extractor cannot load: trafilatura failed to import ({type(exc).__name__}: {exc}); "
                "reinstall searchapp (pip install -e .) so its dependencies, lxml[html_clean] among them, are there"
            ) from exc
        _EXTRACTOR.append(bare_extraction)
    return _EXTRACTOR[0]


def trafilatura_blocks(root: HtmlElement, url: str | None, *, precision: bool = False,
                       recall: bool = False, fast: bool = True) -> list[str] | None:
    """Return trafilatura's main-text paragraphs for a parsed page, or None if it found none."""
    bare_extraction = require_extractor()
    try:
        doc = bare_extraction(root, url=url, fast=fast, favor_precision=precision, favor_recall=recall,
                              include_comments=False, include_tables=True, include_formatting=False,
                              with_metadata=False)
    except Exception:  # a library bug on one odd page must not cost us the article
        return None
    if doc is None or getattr(doc, "body", None) is None:
        return None
    blocks = list(_body_blocks(doc.body))
    return blocks or None


def _body_blocks(body: HtmlElement) -> Iterable[str]:
    """Yield one block per paragraph, heading, quote, list item or table row of trafilatura's body."""
    for child in body:
        tag = child.tag
        if tag == "list":
            for item in child.iter("item"):
                text = _itertext_block(item)
                if text:
                    yield text
        elif tag == "table":
            for row in child.iter("row"):
                cells = [_itertext_block(c) for c in row.iter("cell")]
                text = " ".join(c for c in cells if c)
                if text:
                    yield text
        else:
            text = _itertext_block(child)
            if text:
                yield text


def _is_boiler(el: HtmlElement) -> bool:
    if el.tag in DROP_TAGS:
        return True
    attrs = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}"
    return bool(attrs.strip()) and BOILER_ATTR.search(attrs) is not None


def _link_density(el: HtmlElement, text_len: int) -> float:
    linked = sum(len(norm_ws(a.text_content())) for a in el.iter("a"))
    return linked / max(1, text_len)


def dom_blocks(root: HtmlElement, *, skip_headings: bool = False) -> list[str]:
    """Return the prose blocks under `root` in reading order, skipping boilerplate subtrees.

    Iterative (an explicit stack), so a page nested 100,000 deep cannot overflow the stack.
    """
    blocks: list[str] = []
    stack: list[HtmlElement] = [root]
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):   # comments, processing instructions
            continue
        if el is not root and _is_boiler(el):
            continue
        if el.tag in BLOCK_TAGS and not any(c.tag in ("p", "li", "blockquote") for c in el.iter() if c is not el):
            if skip_headings and el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                continue
            text = norm_ws(el.text_content())
            if _keep(el, text):
                blocks.append(text)
            continue
        if el.tag == "div" and el.text and len(el.text.strip()) >= _MIN_CHARS:
            # Text sitting straight in a <div> (br-separated dumps) is prose too.
            blocks.append(norm_ws(el.text))
        stack.extend(reversed([c for c in el if isinstance(c.tag, str)]))
    return blocks


def _keep(el: HtmlElement, text: str) -> bool:
    if not text:
        return False
    if el.tag.startswith("h") and len(el.tag) == 2:
        return len(text) >= 3
    if _link_density(el, len(text)) > 0.5:
        return False
    return len(text) >= _MIN_CHARS or text[-1:] in ".!?:;\"»”…"
