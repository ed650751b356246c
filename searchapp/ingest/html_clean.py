"""Drop the boilerplate blocks that survive main-text extraction.

Extractors keep what sits inside the article container; news templates put widgets there too:
"Read also" boxes, share prompts, image credits, copyright lines, lone dates and times. Each rule
below matches a whole short block, never part of a sentence, so article prose is not cut.
The phrases are the common ones of the languages in our corpora (en, de, fr, es, ru).
"""
from __future__ import annotations

import re

# A block that is nothing but a date and/or a time ("23.10.2018", "3:59 PM", "Mar 5, 2019 10:02").
_DATE_TIME = re.compile(
    r"^[\s(]*(?:(?:\d{1,2}[./-]\s?\d{1,2}[./-]\s?\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}\.?\s+[^\W\d_]{3,10}\.?\s+\d{4}|[^\W\d_]{3,10}\.?\s+\d{1,2},?\s+\d{4})[\s,|–-]*)?"
    r"(?:\d{1,2}[:.]\d{2}(?:\s*(?:[ap]\.?m\.?|uhr|h))?)?[\s)]*$", re.I)
# Headings that open a box of links to other stories; everything after one near the end goes.
_RELATED = re.compile(
    r"^(?:related(?: articles| stories| posts| content| news)?|read (?:more|also|next)|more (?:from|on|stories|news)"
    r"|you (?:may|might) also like|recommended(?: for you)?|most (?:read|popular)|see also|"
    r"auch interessant|das könnte sie (?:auch )?interessieren|das thema könnte dich auch interessieren|"
    r"lesen sie (?:auch|mehr|hier)|mehr zum thema|weitere (?:themen|artikel|beiträge|nachrichten|informationen)|"
    r"empfohlene (?:beiträge|artikel)|ähnliche (?:beiträge|artikel)|verwandte (?:beiträge|artikel)|"
    r"à lire aussi|lire aussi|sur le même sujet|voir aussi|dans la même rubrique|"
    r"te puede interesar|lee también|noticias relacionadas|"
    r"читайте также|смотрите также|по теме|похожие (?:статьи|новости))\b.{0,40}$", re.I)
# Short blocks that are widgets wherever they appear.
_WIDGET = re.compile(
    r"^(?:share(?: this)?(?: article| story| post)?|teilen(?: mit)?|partager|compartir|поделиться|"
    r"tweet|print|drucken|imprimer|(?:\d+ )?comments?|kommentare(?: insgesamt)?|"
    r"(?:jetzt )?(?:newsletter|abonnieren|subscribe|sign up|anmelden)\b|"
    r"advertisement|anzeige|werbung|publicité|реклама|"
    r"loading|wird geladen|chargement|"
    r"(?:photo|image|bild|foto|titel|beitrags)?\s?(?:credits?|bild|nachweis|quelle|crédits? photos?)\s*:|"
    r"(?:©|\(c\)|copyright)\s|alle rechte vorbehalten|all rights reserved|tous droits réservés|"
    r"(?:last modified|letzte änderung|zuletzt aktualisiert|updated|aktualisiert)\s*:?)", re.I)
_SHORT = 120        # widget text is short; prose that happens to start the same way is long
_TAIL_SHARE = 0.5   # a "related" heading in the last half of the blocks cuts the rest


def clean_blocks(blocks: list[str]) -> tuple[list[str], list[str]]:
    """Return (kept blocks, removed blocks) after dropping widget, date-only and related-box text."""
    kept: list[str] = []
    removed: list[str] = []
    n = len(blocks)
    for i, block in enumerate(blocks):
        short = len(block) <= _SHORT
        if short and i >= n * _TAIL_SHARE and i > 0 and _RELATED.match(block):
            removed.extend(blocks[i:])
            break
        if short and (_WIDGET.match(block) or _RELATED.match(block) or _DATE_TIME.match(block)):
            removed.append(block)
            continue
        kept.append(block)
    return kept, removed
