"""Read who wrote a feed item from its dc:creator / author: people, else the agency or outlet.

A feed's author field is filled by the CMS, and often names no person: "Reuters | World News",
"Guardian staff and agencies", "Staff", "Редакция", "Jacob Lev, CNN", "Patrick Wintour Diplomatic
editor", a link or an e-mail address. The article's author is the people the field names
(page_bylines.person_name reads each part), without the outlet or the role beside them; when it
names no one, the agency or outlet it states ("Reuters", "The Associated Press"), as the dump
reader keeps "EFE" and the HTML reader "Reuters": wire copy is then found by its agency. A
newsroom word alone ("Staff", "Редакция") is the feed's own outlet. A field that gives no name
at all (a link, an address) is said on the file's report line by the feed reader.
"""
from __future__ import annotations

import re

from searchapp.ingest import byline_cues, page_bylines
from searchapp.ingest.headline import SITE_WORDS
from searchapp.ingest.html_meta import clean_author

# Parts of one field: "A, B and C", "A | Outlet", "A e B" (Italian), "A и B".
_PARTS = re.compile(r"\s*(?:[|;,•·]|\s[-–—]\s|&|\b(?:and|und|et|y|e|и)\b)\s*")
# (A role after a name, with or without a comma, is byline_cues.ROLE's: "Diplomatic editor", "Chief
# political correspondent", "news reporter", "AP Chief Medical Writer", "political reporters".)
# Words of a role's title, in any case: "Chief", "Senior", "Deputy".
_TITLE = frozenset("chief senior deputy associate assistant managing executive contributing staff главный".split())
# Where the name stops: "Shaun Walker in Bucharest", "Nick Miller (now)".
_AFTER_NAME = re.compile(r"\s+(?:in|at|from|в|из)\s+.*$|\s*\(.*$")
# An agency signing after the name without a comma, as AP's feeds do: "BOB CHRISTIE Associated Press".
_AGENCY_AFTER = re.compile(r"\s+(?:the\s+)?(?:associated\s+press|AP|AFP|Reuters|EFE|dpa|ТАСС|РИА\s+Новости)$", re.I)
# A newsroom rather than a person, with the outlet it belongs to when it says so: "Guardian staff",
# "TMZ Staff", "Staff and agency", "Редакция НОВОСТИ 24", "Redazione Sky TG24", "SunSport Reporters".
_NEWSROOM = re.compile(
    r"^(?P<before>.*?)\s*(?:staff(?:\s+(?:reporter|writer)s?)?(?:\s+and\s+agenc(?:y|ies))?|reporters|"
    r"editorial(?:\s+board|\s+staff)?|newsroom|news\s+desk|web\s+desk|agencies|редакция(?:\s+сайта)?|"
    r"(?:la\s+)?redazione|redacci[oó]n|r[ée]daction|redaktion)\b[\s:–—-]*(?P<after>.*)$", re.I)
_DESKS = frozenset("web online digital internet sito сайта".split())
EMAIL = re.compile(r"<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?")   # (the feed reader reads it too)


def feed_author(raw: str | None, outlet: str | None) -> tuple[str | None, str | None]:
    """Return (the author, else None; why a stated field gave none), `outlet` being the feed's own name."""
    stated = " ".join((raw or "").split())
    if not stated:
        return None, None
    value = clean_author(EMAIL.sub(" ", stated))
    if value is None or not any(c.isalpha() for c in value) or value.lower() in ("by", "von", "автор"):
        what = "a link" if "://" in stated else "an e-mail address" if EMAIL.search(stated) else "no name"
        return None, what
    people = [name for part in _PARTS.split(value) if (name := _person(part, outlet))]
    if people:
        return ", ".join(dict.fromkeys(people)), None
    first = value.split("|")[0].strip(" ,;-–—")   # "Reuters | World News": the outlet, not its section
    if m := _NEWSROOM.match(first):
        # (a desk after the newsroom is no outlet: "Redazione online", "Redazione Web")
        own = " ".join(t for t in (m["before"], m["after"]) if t and t.lower() not in _DESKS).strip(" ,;:-–—") or outlet
        return (own or None), (None if own else "a newsroom, no name")
    return first or None, None


def _person(part: str, outlet: str | None) -> str | None:
    """Return the person's name one part of the field states, without a role or place after it."""
    words = _AGENCY_AFTER.sub("", _AFTER_NAME.sub("", part.strip())).split()
    if words and words[-1].lower().rstrip("s") in byline_cues.ROLE:
        words.pop()
        if words and _AGENCY_AFTER.match(" " + words[0]):
            return None   # a role and no name: "AP Auto Writer", "Reuters correspondent"
        lower = False
        while words and (words[-1].islower() or words[-1].lower() in _TITLE):
            lower = words.pop().islower() or lower
        if not lower and len(words) > 2:
            words.pop()   # the beat: "Patrick Wintour Diplomatic editor", "Harriet Sherwood Religion correspondent"
        while words and words[-1].lower() in _TITLE:
            words.pop()
    name = page_bylines.person_name(" ".join(words)) if words else None
    # An outlet beside the names reads as one ("Dana Omarova, Steppe Wire", "Bob Nightengale, USA TODAY"),
    # and so does a newsroom ("Redazione Web"): an outlet word, a newsroom word or the feed's own name
    # says it is not a person.
    if name is None or SITE_WORDS.search(name) or _NEWSROOM.match(name) or (outlet and name.lower() == outlet.lower()):
        return None
    return name
