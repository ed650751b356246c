"""Cleaning: drop site chrome from a Draft's blocks and keep what was dropped, for audit.

Every rule is about the *kind* of line (navigation, caption, promo, camera file name, a line in
another script than the article), not about particular sites, so it holds for outlets we have
not seen. Rules only fire on short lines: a real paragraph that merely mentions "subscribe" stays.
"""
from __future__ import annotations

import re
from dataclasses import replace

from searchapp.ingest import dates
from searchapp.models import Draft

_CYR = re.compile(r"[\u0400-\u04ff]")
_LAT = re.compile(r"[A-Za-z\u00c0-\u024f]")

# Whole-line UI text: navigation, sharing, reading aids, in the languages our outlets use.
_NAV = re.compile(
    r"""^\W*(?:
        skip\ to\ (?:main\ )?(?:content|navigation|search)|skip\ navigation|jump\ to\ (?:content|navigation)
      | go\ back|back(?:\ to\ (?:top|the\ .{1,30}|all\ .{1,30}|home(?:page)?|main\ page|list|news|section))?
      | (?:return|go)\ to\ (?:the\ )?(?:home\ ?page|main\ page|top|list|previous\ page)
      | home(?:page)?|main\ page|menu|search|close|next|previous|prev|more|load\ more|show\ more
      | read\ (?:more|also|next|full\ (?:story|article))|see\ also|related(?:\ (?:news|articles|stories|posts))?
      | (?:also\ )?read(?:\ also)?|more\ news|latest\ news|top\ stories|most\ read|popular|trending
      | share(?:\ (?:this|on\ \w+|article|story))?|print(?:\ this)?(?:\ (?:page|article))?|email|tweet|comments?\ \(\d+\)
      | (?:\d+\s+)?comments?|leave\ a\ (?:reply|comment)|tags?:?.{0,80}|advertisement|sponsored(?:\ content)?
      | cookies?\ (?:policy|settings)|privacy\ policy|terms\ of\ (?:use|service)|all\ rights\ reserved.*|©.*|copyright\ .{0,80}
      | на\ главную|главная(?:\ страница)?|назад|вернуться(?:\ .{0,40})?|к\ списку(?:\ .{0,30})?|наверх|меню|поиск
      | читать\ (?:далее|также|еще|ещё|полностью)|читайте\ также|смотрите\ также|см\.\ также|подробнее|ещё|еще
      | поделиться|распечатать|версия\ для\ печати|комментарии(?:\ \(\d+\))?|теги:?.{0,80}|реклама|все\ новости.{0,30}
      | все\ права\ защищены.*|новости\ партнеров|последние\ новости|главные\ новости
    )\W*$""",
    re.I | re.X,
)
_CAPTION = re.compile(
    r"""^[\s(\[]*(?:photo|photos|photograph|image|picture|pic|credit|credits|source\ of\ (?:the\ )?photo|illustration|video
      |фото|фотография|иллюстрация|видео|источник\ фото|кадр)
      (?:\s*(?:credit|by|courtesy|source|автор))?\s*(?:[:©|/–—-]|by\b|courtesy\b
      |из\ (?:открытых\ )?(?:источник|архив|соцсет|сет)|предоставлен|пресс-служб|с\ сайта|автора)""",
    re.I | re.X,
)
_CAMERA_FILE = re.compile(
    r"^_?(?:dsc|dscn|dscf|img|pxl|mvimg|dji|gopr|sam|p\d{3}|photo|image|screenshot)[\s_-]?\d[\w-]*(?:\.(?:jpe?g|png|gif|webp|heic|tiff?))?$"
    r"|^[\w-]+\.(?:jpe?g|png|gif|webp|heic|tiff?|bmp|svg)$",
    re.I,
)
_PROMO_VERB = re.compile(
    r"\b(?:subscribe|sign\ up|newsletter|follow\ us|join\ us|stories\ sent|get\ (?:the\ )?(?:latest|our)|download\ (?:our|the)\ app"
    r"|подписывайтесь|подпишитесь|подписаться\ на|следите\ за\ нами|присоединяйтесь|наш\ (?:телеграм|канал))",
    re.I | re.X,
)
_SOCIAL = re.compile(r"\b(?:twitter|facebook|instagram|telegram|youtube|tiktok|vk|vkontakte|вконтакте|linkedin|whatsapp|viber|rss|x\.com)\b", re.I)
_RELATED = re.compile(
    r"^\W*(?:(?:read|see|watch|listen|look)\s+(?:also|more|next|too)|related(?:\s+(?:news|stories|articles))?|more\s+on\s+this"
    r"|also\s+read|recommended|читайте\s+(?:также|еще|ещё)|смотрите\s+(?:также|еще|ещё)|см\.\s+также|по\s+теме|также\s+читайте)"
    r"\s*[:>»|–—-]",
    re.I,
)
_BLANKISH = re.compile(r"^[\s\W_]*$")
_WIRE_SIGNOFF = re.compile(r"\s+(?:Reuter|Reuters|REUTER|REUTERS)\s*$")


def script_of(text: str) -> str | None:
    """Return "cyrillic" or "latin" for the script most letters of `text` are in."""
    cyr = len(_CYR.findall(text))
    lat = len(_LAT.findall(text))
    if cyr == lat == 0:
        return None
    return "cyrillic" if cyr > lat else "latin"


def dominant_script(blocks: list[str]) -> str | None:
    """Return the script of the bulk of the text, weighting long paragraphs most."""
    cyr = sum(len(_CYR.findall(b)) for b in blocks)
    lat = sum(len(_LAT.findall(b)) for b in blocks)
    if cyr == lat == 0:
        return None
    return "cyrillic" if cyr > lat else "latin"


def line_verdict(line: str, doc_script: str | None) -> str | None:
    """Return why a line is chrome ("navigation", "photo caption"...), or None to keep it."""
    text = line.strip()
    words = len(text.split())
    if _BLANKISH.match(text):
        return "blank"
    if words <= 12 and _NAV.match(text):
        return "navigation"
    if words <= 20 and _RELATED.match(text):
        return "link to another article"
    if words <= 25 and _CAPTION.match(text):
        return "photo caption or credit"
    if words <= 2 and _CAMERA_FILE.match(text):
        return "camera file name"
    if words <= 60 and _PROMO_VERB.search(text) and (_SOCIAL.search(text) or words <= 15):
        return "newsletter or social promo"
    if (words <= 6 and doc_script and script_of(text) not in (None, doc_script) and len(text) < 60
            and not dates.is_date_line(text)):  # a Russian date in an English page is metadata
        return "navigation in another script"
    return None


def clean_draft(draft: Draft, templates: frozenset[str] = frozenset()) -> Draft:
    """Return a copy of `draft` without chrome lines; `removed` records each as "reason: line"."""
    doc_script = dominant_script(draft.blocks)
    kept: list[str] = []
    removed = list(draft.removed)
    for block in draft.blocks:
        if templates and template_key(block) in templates:
            removed.append(f"template text: {block}")
            continue
        reason = line_verdict(block, doc_script)
        if reason == "blank":
            continue
        if reason:
            removed.append(f"{reason}: {block}")
        else:
            kept.append(block)
    if kept:
        signed = _WIRE_SIGNOFF.sub("", kept[-1])
        if signed != kept[-1]:
            removed.append(f"wire sign-off: {kept[-1][len(signed):].strip()}")
            kept[-1] = signed
    return replace(draft, blocks=kept, removed=removed)


def template_key(block: str) -> str:
    """Normalise a block for counting repeats across files (case and spacing don't matter)."""
    return " ".join(block.lower().split())[:200]


def template_lines(files_blocks: list[list[str]], *, min_docs: int, min_share: float) -> frozenset[str]:
    """Return the short blocks that repeat across many files of one source: site template text.

    Long paragraphs are never template text (syndicated articles share whole paragraphs).
    """
    if len(files_blocks) < min_docs:
        return frozenset()
    counts: dict[str, int] = {}
    for blocks in files_blocks:
        for key in {template_key(b) for b in blocks if len(b) <= 200}:
            counts[key] = counts.get(key, 0) + 1
    need = max(min_docs, int(min_share * len(files_blocks) + 0.999))
    return frozenset(k for k, n in counts.items() if n >= need)
