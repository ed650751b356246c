"""Tell a listing page (several dated teasers) from an article page, and cut it into items.

We split only when it is clear: at least three <article>/itemscope teasers, each with its own
linked heading, most of them dated, none of them dominating the page, and the page does not
declare itself an article (og:type=article or a JSON-LD article). Related-story boxes on an
article page therefore never split it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from searchapp.ingest.html_meta import PageMeta, clean_title, jsonld_type, text_of
from searchapp.ingest.html_text import BOILER_ATTR, DROP_TAGS, dom_blocks

MIN_TEASERS = 3
MIN_TITLE_WORDS = 3
MIN_COVERAGE = 0.6   # share of the page's main text that must sit inside the teasers
_HEADINGS = ("h1", "h2", "h3", "h4", "h5")
_ITEM_TYPE = re.compile(r"schema\.org/(?:\w*Article|BlogPosting|Posting)", re.I)
_TEXT_DATE = re.compile(r"\b\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|"
                        r"\b\d{1,2}\.?\s+[A-Za-zÀ-ÿА-Яа-яё]{3,}\.?\s+\d{4}\b|[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}")


@dataclass
class Teaser:
    """One item of a listing page, as found in the DOM."""

    element: HtmlElement
    title: str
    url: str | None
    date_raw: str | None
    date_provenance: str | None


def _heading_link(el: HtmlElement) -> tuple[str, str | None] | None:
    for h in el.iter(*_HEADINGS):
        title = clean_title(text_of(h), None)
        if not title:
            continue
        link = next(iter(h.iter("a")), None)
        if link is None and h.getparent() is not None and h.getparent().tag == "a":
            link = h.getparent()
        if link is not None and link.get("href"):
            return title, link.get("href").strip()[:2000]
        return None
    return None


def _date_of(el: HtmlElement) -> tuple[str | None, str | None]:
    for t in el.iter("time"):
        raw = (t.get("datetime") or "").strip() or text_of(t)
        if raw:
            return raw[:100], "time[datetime]" if t.get("datetime") else "text"
    m = _TEXT_DATE.search(text_of(el)[:2000])
    if m:
        return m.group(0), "text"
    return None, None


def _in_boilerplate(el: HtmlElement) -> bool:
    for anc in el.iterancestors():
        if anc.tag in DROP_TAGS:
            return True
        attrs = f"{anc.get('class', '')} {anc.get('id', '')}"
        if attrs.strip() and BOILER_ATTR.search(attrs):
            return True
    return False


def declares_article(pm: PageMeta) -> bool:
    """Return True when the page's own metadata says it is a single article."""
    if (pm.meta.get("og:type") or "").lower() == "article":
        return True
    return any(jsonld_type(o) & {"newsarticle", "article", "blogposting", "reportagenewsarticle"}
               and (o.get("articleBody") or o.get("datePublished")) for o in pm.jsonld)


def find_teasers(root: HtmlElement, pm: PageMeta) -> list[Teaser]:
    """Return the teasers of a listing page, or [] when the page is not clearly a listing."""
    if declares_article(pm):
        return []
    candidates = [el for el in root.iter("article")]
    if len(candidates) < MIN_TEASERS:
        candidates = [el for el in root.iter() if isinstance(el.tag, str)
                      and el.get("itemscope") is not None and _ITEM_TYPE.search(el.get("itemtype") or "")]
    if len(candidates) < MIN_TEASERS:
        return []
    ids = {id(c) for c in candidates}
    outer = [c for c in candidates if not any(id(a) in ids for a in c.iterancestors())]
    teasers: list[Teaser] = []
    for el in outer:
        if _in_boilerplate(el):
            continue
        head = _heading_link(el)
        if head is None:
            continue
        date_raw, prov = _date_of(el)
        teasers.append(Teaser(el, head[0], head[1], date_raw, prov))
    if len(teasers) < MIN_TEASERS:
        return []
    dated = sum(1 for t in teasers if t.date_raw)
    if dated < 0.6 * len(teasers):
        return []
    words = sorted(len(t.title.split()) for t in teasers)
    if words[len(words) // 2] < MIN_TITLE_WORDS:
        return []   # forum posts and comments carry a user name, not a headline
    sizes = sorted(len(text_of(t.element)) for t in teasers)
    if sizes[-1] > 1000 and sizes[-1] > sum(sizes[:-1]):
        return []   # one long article with small related teasers: an article page
    return teasers


def teaser_blocks(teaser: Teaser) -> list[str]:
    """Return the prose of one teaser, without its heading."""
    return dom_blocks(teaser.element, skip_headings=True)


def covers_main_text(teasers: list[Teaser], main_blocks: list[str]) -> bool:
    """Return True when most of the extracted main text lies inside the teasers.

    On an article page with a related-stories box the main text is outside the teasers.
    """
    total = sum(len(b) for b in main_blocks)
    if total == 0:
        return True
    inside = " ".join(text_of(t.element) for t in teasers)
    covered = sum(len(b) for b in main_blocks if b in inside)
    return covered >= MIN_COVERAGE * total
