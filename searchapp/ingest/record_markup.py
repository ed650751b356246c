"""HTML inside an export's fields -> plain text: a CMS's rendered body, an RSS item's content.

Exports are not always plain text. RIA's archive export holds each body as `<p>` paragraphs with
links and entities, WordPress's REST API gives `content.rendered`, and every feed's items carry
HTML. Indexed as they come, the tags become words and the snippets show `<p>`; so a field that
holds markup is read as a fragment of HTML: block elements end paragraphs, `<br>` ends a line,
scripts and styles are dropped, entities decoded. A field that merely mentions "a < b" is text.
"""
from __future__ import annotations

import html
import re

import lxml.etree
import lxml.html

from searchapp.text import xml_safe

# Tags that make a value HTML: the ones editors and CMSs put in bodies and titles. A bare "<" or a
# word in angle brackets ("<Name>") is not among them, so plain text stays plain.
_TAG = re.compile(
    r"</?(?:p|br|div|span|a|b|i|u|s|em|strong|ul|ol|li|dl|dt|dd|h[1-6]|blockquote|q|cite|figure|figcaption|img"
    r"|picture|source|video|audio|table|thead|tbody|tr|td|th|caption|iframe|script|style|noscript|section|article"
    r"|aside|header|footer|nav|main|sup|sub|small|big|mark|font|center|hr|pre|code|abbr|time|address|hgroup"
    r"|details|summary|object|embed|svg|form|button|label|input|select|textarea|wbr|del|ins)(?:\s[^<>]*)?/?>",
    re.I)
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
# Whatever these hold is not text a reader sees.
_DROP = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "math", "object", "embed",
                   "head", "title", "form", "button", "select", "textarea", "input", "video", "audio",
                   "canvas", "map"})
_BLOCK = frozenset({"p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                    "blockquote", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
                    "caption", "section", "article", "aside", "header", "footer", "nav", "main", "pre", "hr",
                    "address", "hgroup", "details", "summary", "center", "body", "html"})
_SPACES = re.compile(r"\s+")


def has_markup(value: str) -> bool:
    """Say whether a field's text holds HTML tags (not just a '<' in prose)."""
    return "<" in value and _TAG.search(value) is not None


def has_entities(value: str) -> bool:
    """Say whether a field's text holds HTML character references (&amp;, &#171;, &laquo;)."""
    return "&" in value and _ENTITY.search(value) is not None


def markup_blocks(value: str) -> list[str]:
    """Return the paragraphs of an HTML fragment, in reading order, as plain text."""
    try:
        root = lxml.html.fragment_fromstring(xml_safe(value, " "), create_parent="div")  # lxml refuses them
    except (lxml.etree.ParserError, ValueError):
        # lxml gives up on a few inputs (nothing parseable at all); tags out, entities decoded.
        text = unescape(_TAG.sub("\n", value))
        return [b for b in (_SPACES.sub(" ", part).strip() for part in text.split("\n")) if b]
    blocks: list[str] = []
    line: list[str] = []

    def flush() -> None:
        text = _SPACES.sub(" ", "".join(line)).strip()
        if text:
            blocks.append(text)
        line.clear()

    def walk(el: lxml.html.HtmlElement) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in _DROP:   # comments and processing instructions have no string tag
            return
        block = tag in _BLOCK
        if block:
            flush()
        if el.text:
            line.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                line.append(child.tail)
        if block:
            flush()
        elif tag == "img" and el.get("alt") is None:
            line.append(" ")

    walk(root)
    flush()
    return blocks


def inline_text(value: str) -> str:
    """Return a one-line field (a title, a name) without its tags and with its entities decoded."""
    if has_markup(value):
        return " ".join(markup_blocks(value))
    if has_entities(value):
        return _SPACES.sub(" ", unescape(value)).strip()
    return value


def unescape(value: str) -> str:
    """Decode the complete character references only: html.unescape alone also reads "&para" in
    "&parade" as a legacy entity, which would change plain text that merely has an ampersand."""
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), value)
