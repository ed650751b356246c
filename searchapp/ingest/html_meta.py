"""Read what an HTML page states about itself: title, url, author, section, outlet, language.

Sources are tried in a fixed order of trust: JSON-LD, then <meta> tags, then visible markup
(h1, rel=author, byline and breadcrumb classes), then <title>. Dates live in html_dates.py.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from searchapp.ingest import byline_cues, dates, page_bylines
from searchapp.ingest.headline import CJK, TITLE_SEP, strip_site_name

_WS = re.compile(r"\s+")
_ARTICLE_TYPES = {
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
    "techarticle", "posting", "socialmediaposting", "liveblogposting", "report", "webpage",
}
_BAD_TITLE = re.compile(
    r"^(?:skip to|skip navigation|zum inhalt|aller au contenu|перейти к|menu\b|navigation\b|"
    r"home$|startseite$|search$)", re.I)
_BY = re.compile(rf"^\s*(?:by|{byline_cues.FOREIGN}|автор:?|текст:?)\s+", re.I)
_URLISH = re.compile(r"^(?:https?:|www\.|/)")
_BYLINE_CLASS = re.compile(r"\b(?:byline|author|autor|auteur|writer|article-meta-author)\b", re.I)
_BREADCRUMB = re.compile(r"breadcrumb|crumbs", re.I)
_LANG = re.compile(r"^([A-Za-z]{2,3})(?:[-_]|$)")


def norm_ws(text: str | None) -> str:
    """Collapse runs of whitespace to one space and strip the ends."""
    return _WS.sub(" ", text or "").strip()


@dataclass
class PageMeta:
    """Everything the head and structured data of a page say; raw strings, not parsed."""

    meta: dict[str, str] = field(default_factory=dict)     # name/property/itemprop -> content
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    title: str | None = None
    url: str | None = None
    author: str | None = None
    section: str | None = None
    source_name: str | None = None
    language: str | None = None

    def first(self, *keys: str) -> str | None:
        """Return the first non-empty meta value among `keys`."""
        for key in keys:
            value = self.meta.get(key)
            if value:
                return value
        return None


def collect_meta(root: HtmlElement) -> dict[str, str]:
    """Map lower-cased meta name/property/itemprop/http-equiv to its first non-empty content."""
    out: dict[str, str] = {}
    for el in root.iter("meta"):
        content = norm_ws(el.get("content"))[:2000]
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (el.get(attr) or "").strip().lower()
            if key and key not in out:
                out[key] = content
    return out


def _walk_jsonld(node: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    # JSON-LD nests articles inside @graph, lists and mainEntity; a small depth cap keeps
    # hostile input from recursing without bound.
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node[:200]:
            _walk_jsonld(item, out, depth + 1)
    elif isinstance(node, dict):
        out.append(node)
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in node and not isinstance(node[key], str):
                _walk_jsonld(node[key], out, depth + 1)


def collect_jsonld(root: HtmlElement) -> list[dict[str, Any]]:
    """Return every JSON-LD object on the page, flattened, article-like types first."""
    found: list[dict[str, Any]] = []
    for el in root.iter("script"):
        if "ld+json" not in (el.get("type") or "").lower():
            continue
        raw = (el.text or "").strip()
        if not raw or len(raw) > 2_000_000:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            # Many CMSs leave a trailing comma or two scripts glued together; take what parses.
            try:
                data, _ = json.JSONDecoder(strict=False).raw_decode(raw)
            except ValueError:
                continue
        _walk_jsonld(data, found)
    found.sort(key=lambda d: 0 if jsonld_type(d) & (_ARTICLE_TYPES - {"webpage"}) else 1)
    return found


def jsonld_type(obj: dict[str, Any]) -> set[str]:
    """Return the lower-cased @type values of a JSON-LD object."""
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def jsonld_value(objs: list[dict[str, Any]], key: str, *, articles_only: bool = True) -> Any:
    """Return `key` from the first article-like JSON-LD object that has it."""
    for obj in objs:
        if articles_only and not jsonld_type(obj) & _ARTICLE_TYPES:
            continue
        value = obj.get(key)
        if value:
            return value
    return None


def _name_of(value: Any) -> str | None:
    """Turn a JSON-LD person/organisation (or list of them, or a string) into display text."""
    if isinstance(value, str):
        return norm_ws(value) or None
    if isinstance(value, dict):
        return _name_of(value.get("name"))
    if isinstance(value, list):
        items = value[:10]
        # A list of authors may add the outlet or a profile link beside the people ([{"@type": "Person",
        # ...}, {"@type": "Organization", "name": "Reuters"}], ["Jane Roe", "https://..."]): the people.
        if any(isinstance(v, dict) and "person" in jsonld_type(v) for v in items):
            items = [v for v in items if not (isinstance(v, dict) and jsonld_type(v) and "person" not in jsonld_type(v))]
        names = [n for n in (_name_of(v) for v in items) if n and not _URLISH.match(n)]
        return ", ".join(dict.fromkeys(names)) or None
    return None


_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author")


def _meta_authors(root: HtmlElement, keys: tuple[str, ...] = _AUTHOR_KEYS) -> str | None:
    """Return the authors the page's <meta> tags name, a tag each or several in one, joined by ", ".

    A page names each of several authors in a tag of its own (<meta name="author"> or article:author
    repeated, in order); the first key stated is read, as for one author. A tag's value may
    itself name several ("Anna Smith and John Doe"): its names then. A value that names no one more
    (a link, one name, a name and its outlet) is read as before, by clean_author.
    """
    for key in keys:
        values = [norm_ws(el.get("content"))[:2000] for el in root.iter("meta")
                  if any((el.get(a) or "").strip().lower() == key for a in ("property", "name", "itemprop"))]
        if not any(values):
            continue   # (the first key stated is read, whatever it gives, as for one author)
        names = [n for v in values if (n := _names_in(v))]
        if names:
            # (the first tag's name as before; a later tag's only when it reads as a person's)
            people = [names[0], *(n for more in names[1:] for n in more.split(", ") if page_bylines.co_author(n))]
            return _byline(people)
        return None
    return None


def _names_outlet(author: str, outlets: tuple[Any, ...]) -> bool:
    """Return True when `author` is the name of the page's outlet or publisher (as a run of words
    of its site name, its publisher's name or its copyright line: "Condé Nast" in "Copyright (c)
    Condé Nast 2023"), not a person's."""
    words = " ".join(_words(author))
    return bool(words) and any(isinstance(o, str) and f" {words} " in f" {' '.join(_words(o))} " for o in outlets)


def _typed_person(value: Any) -> bool:
    """Return True when a JSON-LD author value is a Person, or a list holding one."""
    if isinstance(value, dict):
        return "person" in jsonld_type(value)
    return isinstance(value, list) and any(isinstance(v, dict) and "person" in jsonld_type(v) for v in value)


# More names than this in tags or links of one page are a list of people (a team page, an author
# directory, tags a CMS filled with every contributor), not one article's byline: its first name then.
_MOST_AUTHORS = 10


def _byline(names: list[str]) -> str:
    """Return the names of one byline joined by ", " (each once), or the first alone when they are too many."""
    names = list(dict.fromkeys(", ".join(names).split(", ")))
    return ", ".join(names) if len(names) <= _MOST_AUTHORS else names[0]


def _names_in(value: str | None) -> str | None:
    """Return the author(s) one author field states: its co-authors joined by ", " when it names several."""
    value = clean_author(value)
    return page_bylines.names_of(value) if value is not None else None


def text_of(el: HtmlElement) -> str:
    """Return the whitespace-normalised text of an element (iterative, C-level)."""
    try:
        return norm_ws(el.text_content())
    except ValueError:
        return ""


def looks_like_date(text: str) -> bool:
    """Return True for strings that are only a date: "12.03.2019", "Tuesday, March 4, 2021"."""
    words = re.findall(r"[^\W\d_]+", text)
    numbers = re.findall(r"\d+", text)
    if not numbers or len(words) > 2 or any(len(w) > 10 for w in words):
        return False
    has_year = any(len(n) == 4 for n in numbers)
    return (has_year and len(numbers) >= 2) or (not words and len(numbers) >= 2) or (has_year and not words)


def clean_title(title: str | None, site: str | None) -> str | None:
    """Strip a " | Site name" style suffix (or prefix) and reject dates and skip links."""
    title = norm_ws(title)
    if not title:
        return None
    parts = TITLE_SEP.split(title)
    if len(parts) > 1:
        site_l = (site or "").lower()
        if site_l and any(site_l in p.lower() or p.lower() in site_l for p in (parts[0], parts[-1])):
            keep = [p for p in parts if not (site_l in p.lower() or p.lower() in site_l)]
            title = " - ".join(keep) if keep else parts[0]
        else:
            # The page names its site (og:site_name) and neither end of the title is it: only a
            # part that is plainly a site goes (a domain, an outlet word, a bar); in "Bericht:
            # Aktivistin getötet - Irans Justiz dementiert" the capitalised end is the headline's.
            title = strip_site_name(title, own_headline=bool(site_l))
    elif CJK.search(title):
        # (Chinese and Japanese titles join their site with no spaced separator: "見出し：朝日新聞デジタル")
        title = strip_site_name(title)
    title = norm_ws(title)
    if not title or _BAD_TITLE.match(title) or looks_like_date(title):
        return None
    return title[:500]


def _h1s(root: HtmlElement) -> list[str]:
    return [text for el in root.iter("h1") if 3 <= len(text := text_of(el)) <= 300 and not _BAD_TITLE.match(text)]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _agrees(candidate: str, headline: str) -> bool:
    """Say whether a candidate title is the same headline as `headline` (token F1 >= 0.5)."""
    a, b = _words(candidate), _words(headline)
    common = sum(min(a.count(w), b.count(w)) for w in set(a))
    return bool(a and b) and 2 * common / (len(a) + len(b)) >= 0.5


def _headline(root: HtmlElement, pm: "PageMeta", ld_headline: str | None) -> str | None:
    """Return the page's headline: og:title, JSON-LD headline or an <h1> that the <title> agrees with.

    A site's logo is often its first <h1> ("POLITICO Politico Logo", "Engadget"), and a section
    page's og:title often names the section ("Allergies Health Center"); the <title> nearly always
    states the headline, with the site's name beside it. So the first candidate that is the same
    headline as the <title> less its site name wins; when none is, the first candidate if it has
    a headline's length, else the cut <title>. A <title> that is only the site's name (two words
    at most left) judges nothing, and the first candidate wins.
    """
    h1s = _h1s(root)
    candidates = [pm.first("og:title", "twitter:title"), ld_headline, *h1s]
    cleaned = [t for t in (clean_title(c, pm.source_name) for c in candidates) if t]
    page_title = clean_title(_title_tag(root), pm.source_name) or clean_title(pm.first("title", "dc.title"),
                                                                               pm.source_name)
    if page_title and len(_words(page_title)) >= 3:
        agreed = next((t for t in cleaned if _agrees(t, page_title)), None)
        if agreed is not None:
            return agreed
        # (none agrees: the <title> words the story for search engines, the page for readers; a
        # candidate of headline length is the page's headline, a short one a logo or a section)
        return next((t for t in cleaned[:1] if len(_words(t)) >= 4), page_title)
    return (cleaned or [page_title])[0]


def _title_tag(root: HtmlElement) -> str | None:
    for el in root.iter("title"):
        return text_of(el)
    return None


def _author_from_markup(root: HtmlElement) -> str | None:
    for el in root.iter("a", "link", "span"):
        if (el.get("rel") or "").lower() == "author" and el.tag != "link":
            text = text_of(el)
            if 2 < len(text) < 80:
                # (its co-authors: the other rel=author links of the same byline, the element's siblings)
                parent = el.getparent()
                more = [t for sib in (parent if parent is not None else []) if sib is not el and isinstance(sib.tag, str)
                        and (sib.get("rel") or "").lower() == "author" and page_bylines.co_author(t := text_of(sib))]
                return _byline([text, *more])
    for el in root.iter("*"):
        if not isinstance(el.tag, str) or el.tag in ("meta", "script", "style", "link", "body", "html"):
            continue
        attrs = f"{el.get('class', '')} {el.get('itemprop', '')}"
        if _BYLINE_CLASS.search(attrs):
            text = _BY.sub("", text_of(el))
            if 2 < len(text) < 80 and not _URLISH.match(text):
                # A byline box holds the name and more in elements of their own ("Howard Blume" /
                # "Staff Writer", "Aja Romano" / "@ajaromano" / the date): the name is its first part
                # that reads as one, with the co-authors in the elements after it ("Paul Wiseman" /
                # "Fatima Hussein, The Associated Press", "Anna Smith" / "and" / "John Doe"), and in the
                # byline elements beside it (<span class="author"> each).
                parts = "; ".join(t.strip(" ,;") for t in el.itertext()
                                  if t.strip(" ,;|") and not byline_cues.CUE_ALONE.match(t))
                parts = re.sub(r";\s*(and|und|et|y|e|&|и);", r" \1", parts, flags=re.I)
                name = page_bylines.person_name("by " + _BY.sub("", parts), cue_required=True)
                if name is None:
                    return text
                parent, kind = el.getparent(), (el.tag, el.get("class"))
                more = [t for sib in (parent if parent is not None else []) if sib is not el
                        and (sib.tag, sib.get("class")) == kind and page_bylines.co_author(t := _BY.sub("", text_of(sib)))]
                return _byline([name, *more])
    return None


def _breadcrumb_section(root: HtmlElement, title: str | None) -> str | None:
    for el in root.iter("nav", "ol", "ul", "div"):
        attrs = f"{el.get('class', '')} {el.get('id', '')} {el.get('aria-label', '')}"
        if not _BREADCRUMB.search(attrs):
            continue
        items = [text_of(a) for a in el.iter("a")]
        items = [t for t in items if t and len(t) < 60 and t != title]
        if len(items) >= 2:
            return items[-1]
        return None
    return None


_COMMENTER = re.compile(r"\s(?:says|said|sagt|schreibt|écrit|dice|пишет)\s*:?\s*$", re.I)
# (no space needed after a verb's cue: a byline box's parts run together, "Geschrieben vonElisa Marvena")
_CUE_LEAD = re.compile(rf"^(?:{byline_cues.WRITTEN_BY})\s*", re.I)
# (the connective in lower case only: "Nguyen Le 8 March 2024" keeps its surname)
_CONNECTOR_END = re.compile(r"[\s,|·•/–—-]+(?:am|on|le|el|il|um|at|в)?[\s,|·•/–—-]*$")


def clean_author(value: str | None) -> str | None:
    """Drop a leading "By" and what a byline adds after the name; reject URLs, form labels and commenters.

    Markup and meta tags give "Emily Burack 8 January 2020, 3:51 pm 11 Edit", "lupa am 26/10/13,
    03:48 pm", "Geschrieben vonElisa Marvena": the name is what stands before the date, after the
    cue. "Art Edwards says:" names a comment's author, "Name *" a form's field: no author.
    """
    value = _CUE_LEAD.sub("", _BY.sub("", norm_ws(value)))
    if not value or _URLISH.match(value) or len(value) > 120 or _COMMENTER.search(value) or value.endswith("*"):
        return None
    found = dates.find_dates(value)
    if found and found[0][0] > 0:
        value = _CONNECTOR_END.sub("", value[: found[0][0]])
    value = value.strip(" ,|·•/–—-")
    if not any(c.isalpha() for c in value):
        return None
    return value


def language_hint(root: HtmlElement, meta: dict[str, str]) -> str | None:
    """Return a 2-letter language from html lang, og:locale or content-language, if any."""
    for raw in (root.get("lang"), root.get("xml:lang"), meta.get("og:locale"),
                meta.get("content-language"), meta.get("language")):
        m = _LANG.match((raw or "").strip())
        if m and len(m.group(1)) == 2:
            return m.group(1).lower()
    return None


def read_meta(root: HtmlElement) -> PageMeta:
    """Collect the page-level metadata of a parsed page."""
    pm = PageMeta(meta=collect_meta(root), jsonld=collect_jsonld(root))
    ld = pm.jsonld
    publisher = jsonld_value(ld, "publisher")
    pm.source_name = norm_ws(pm.first("og:site_name", "application-name") or _name_of(publisher)) or None
    ld_headline = jsonld_value(ld, "headline")
    pm.title = _headline(root, pm, ld_headline if isinstance(ld_headline, str) else None)
    ld_url = jsonld_value(ld, "url")
    for el in root.iter("link"):
        if (el.get("rel") or "").lower() == "canonical" and (el.get("href") or "").startswith("http"):
            pm.url = el.get("href").strip()[:2000]
            break
    pm.url = pm.url or pm.first("og:url") or (ld_url if isinstance(ld_url, str) else None)
    ld_value = jsonld_value(ld, "author")
    ld_author = _names_in(_name_of(ld_value))
    pm.author = _meta_authors(root) or ld_author
    from_markup = not pm.author   # (the byline markup is a walk of the whole tree: read once)
    if from_markup:
        pm.author = clean_author(_author_from_markup(root))
    if pm.author and _names_outlet(pm.author, (pm.source_name, _name_of(publisher), pm.first("publisher"),
                                               pm.first("dc.publisher"), pm.first("copyright"))):
        # <meta name="author" content="Condé Nast">: many sites fill the tag with their publisher,
        # and name the article's people elsewhere (JSON-LD authors typed Person, article:author, a
        # byline in the page); the outlet stays the author only when no one else is named
        people = (ld_author if _typed_person(ld_value) else None) \
            or _meta_authors(root, _AUTHOR_KEYS[1:]) \
            or (None if from_markup else clean_author(_author_from_markup(root)))
        if people and not _names_outlet(people, (pm.source_name, _name_of(publisher))):
            pm.author = people
    if pm.author and ld_author and ", " in ld_author and pm.author in ld_author.split(", "):
        pm.author = ld_author   # (one author in <meta>, the JSON-LD's list of them with that one)
    section = pm.first("article:section") or jsonld_value(ld, "articleSection")
    if isinstance(section, list):
        section = next((s for s in section if isinstance(s, str) and s.strip()), None)
    pm.section = (norm_ws(section) if isinstance(section, str) else None) or _breadcrumb_section(root, pm.title)
    pm.language = language_hint(root, pm.meta)
    return pm
