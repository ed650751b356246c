"""Find the headline of a text dump, and cut a site name off a page title.

In a dump the headline sits just above the article's first line, below menus, breadcrumbs,
language switchers and section labels; a scraper's dump of a whole page often starts with the
page's <title> ("Headline - Site name"), so a line that the first line repeats is the headline.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from searchapp.ingest import byline_cues, dates, page_dates

_WORD = re.compile(r"\w+")
# Breadcrumbs and switchers: items joined by separators ("Главная / Новости", "KAZ | РУС | ENG").
_CRUMBS = re.compile(r"\s[/>»|•·]\s|\s\||\|\s|\s/|/\s")
_SWITCHER = re.compile(r"^(?:[^\W\d_]{2,3}\s*[|/·•]?\s*){2,6}$")
_SWITCHER_WORDS = re.compile(r"^(?:[^\W\d_]{2,3}\b\s*[|/·•]?\s*){2,6}$")
_UI = re.compile(
    r"^\W*(?:home|news|latest news|menu|search|share|share on\W*|log ?in|sign in|subscribe|next|previous|more|video|photo"
    r"|главная|новости|последние новости|меню|поиск|поделиться|войти|далее|назад|видео|фото|головна|новини"
    r"|startseite|nachrichten|aktuell|accueil|actualités|inicio|noticias)\W*$", re.I)
_BYLINE = re.compile(r"^\W*(?:by|written by|posted by|author|автор|текст|фото|photo)\b", re.I)
# A button or link telling the reader to act on the page: "Show more sharing options", "View
# PDF/Print Mode", "Follow Victor Davis Hanson on Twitter", "Подписаться на канал в Telegram".
_UI_ACTION = re.compile(
    r"^\W*(?:show|hide|view|open|close|follow|share|print|download|subscribe|sign up|click|tap|join|copy|save|bookmark"
    r"|listen|add|подпи\w+|поделит\w+|следит\w+|читайт\w+|смотрит\w+|скачайт\w+|слушайт\w+|присоединяйт\w+)\b"
    r"(?:\W+\w+){0,6}?\W+(?:options?|mode|menu|link|url|twitter|facebook|instagram|telegram|linkedin|whatsapp|youtube"
    r"|newsletter|pdf|print|comments?|gallery|slideshow|app|later|audio|podcast|feed|rss|x|vk|article|story|page"
    r"|вконтакте|телеграм\w*"
    r"|канал\w*|рассылк\w+|дзен\w*|соцсет\w+)\W*$", re.I)
# A byline in lower case before the author's name: "von Alexander Weber", "par Marie Dubois", "di Anna Rossi".
_NAME_BYLINE = re.compile(rf"^(?:{byline_cues.FOREIGN})\s+[A-ZÀ-ÖØ-ÞА-ЯЁ]")
# (A byline cue alone on its line, byline_cues.CUE_ALONE: the next line is the author's name, not a headline.)
# "Lesezeit von 4 Minuten", "5 min read", "Время чтения: 3 мин": a reading-time label.
_READING_TIME = re.compile(
    r"(?=.*\b\d+\s*(?:min|mins|minutes?|minuten|minuti|minutos|мин|минут\w*)\b)"
    r"(?=.*\b(?:read|reading|lesezeit|lesedauer|lecture|lettura|lectura|чтени\w*|читать)\b)", re.I)
# A photo credit under a picture: "David McNew—Getty Images", "Photo: Reuters".
CREDIT_END = re.compile(r"[—–|/:]\s*(?:getty images|shutterstock|reuters|afp|ap photo|associated press|epa|"
                         r"ria novosti|риа новости|тасс|итар-тасс|sputnik)\W*$", re.I)
# Script or markup a page left in its text: "(function() {", "x = 1;", "&amp;". A semicolon inside a
# line is prose ("Los Gallego; es nuestro trabajo"); "<Мечел>" quotes are no markup.
_CODE = re.compile(r"[{}=]|;\s*$|&(?:[a-z]+|#\d+);|\(\)|</|/>")
# A language switcher in words: "Читать новость на русском", "Read in English", "Қазақша".
_LANGUAGE_LINK = re.compile(
    r"\b(?:на|по)[ -](?:русском|казахском|английском|украинском|белорусском|узбекском|кыргызском|русски|казахски|английски)"
    r"|\b(?:in|auf|en) (?:english|russian|german|deutsch|englisch|russisch|français|anglais|russe)\b"
    r"|\b(?:english|russian|русская|английская|казахская) (?:version|версия)\b"
    r"|\b(?:українською|російською|англійською|қазақша|орысша|ағылшынша|по-русски|по-казахски)\b", re.I)
# A list item or an attribution: "— Business Statistics", "• Item", "- Author". A headline starts
# with a word, a number or a quotation mark.
_LIST_START = re.compile(r"^\s*(?:[—–•·▪►‣]|-\s)")
# The end of a line an inline link cut: an article, conjunction or preposition, in the languages of
# the pages ("While of other law-copyists I might write the" / link, "In einer" / link / "verwandeln
# sich"); headlines end with a word that carries meaning. One list for both readers: a headline
# candidate ends with none of them in lower case ("Vitamin A" is a name), and a line that ends with
# one, in any case, or with a comma, goes on in the next line.
_FUNCTION_WORDS = ("the|a|an|and|or|of|with|from|by|to|der|die|das|den|dem|des|ein|eine|einen|einem|einer|und|oder|von"
                   "|mit|le|la|les|un|une|et|du|el|los|las|una|и|а|в|на|с|о|для|от|по")
_CUT_END = re.compile(rf"\s(?:{_FUNCTION_WORDS})$")
# German puts a separable verb's particle last: "Auf das erste Elektron kommt es an" ends a sentence
# with "an", which English ends none with; a German article or pronoun in the line tells the two apart.
_SEPARABLE_END = re.compile(r"^(?=.*\b(?:der|das|dem|den|des|es|sich|ist|und|nicht|ein|eine|einen|einem|wir|er|auf|zu|bei|für"
                            r"|vom|zum|zur)\b).*\S\s+an$")
# "Coronavirus | Bautista: «Estoy aprovechando la cuarentena...»": a rubric of a word or two, a bar
# and a sentence of a headline is no breadcrumb (whose items are all short) nor a "Headline | Site".
_RUBRIC_BAR = re.compile(r"^[^|/>»•·]{2,30}\s\|\s[^|/>»•·]+$")


def _rubric_bar(line: str) -> bool:
    """Return True when `line` is a short rubric, one bar and a headline of five or more words."""
    if not _RUBRIC_BAR.match(line):
        return False
    left, right = line.split(" | ", 1)
    # ("Home | Canal opens in spring..." is a breadcrumb ending with the headline)
    return len(left.split()) <= 2 and len(right.split()) >= 5 and not _UI.match(left)
# A photo caption ending with its credit: "Cowboy boots by Crocs. Photo: Crocs", "Foto: dpa".
_CREDIT_TAIL = re.compile(r"(?:^|[\s.(])(?:foto|fotos|photo|photos|bild|image|picture|credit|quelle|фото)\s*:\s*[^:.!?]{1,40}$", re.I)
# A sentence cut by an inline link: it starts with punctuation or a lower-case word ("community,
# created in 1998 by"); "iPhone" and "eBay" keep a capital inside the word.
_FRAGMENT_START = re.compile(r"^\s*[,.;:)\]»”]")
# A link's arrow: "More articles by Dana →", "Mehr Infos »", "« Previous", "Next ›". A closing
# guillemet that hugs its word ends a quotation («...»), not a link.
_LINK_ARROW = re.compile(r"(?:[→›⟶➔➜➝▸▶]|\s[»>]{1,2}|>>)\s*$|^\s*(?:[←‹⟵◂◀]|[«<]{1,2}\s)")
# An advertising or affiliate disclaimer: "Anzeige, enthält Affiliate Links", "Sponsored:", "Реклама",
# "Publicité |"; the label stands alone or before a separator ("Werbung für Zigaretten verboten" is news).
_AD_LABEL = re.compile(
    r"^\W*(?:anzeige|werbung|advertisement|advertorial|sponsored|paid (?:post|content|partnership)|promoted|publicité"
    r"|publicidad|pubblicità|publicidade|reklama|реклама|на правах рекламы|партн[её]рский материал|спецпроект)"
    r"\s*(?:[,:;|•·–—(-]|$)"
    r"|\b(?:affiliate[- ]links?|affiliate-link|partnerlinks?|werbelinks?|liens? affiliés?|enlaces? de afiliados?"
    r"|партн[её]рские ссылки)\b", re.I)
# A line ending with a dash opens a sentence or a story ("MINSK (Reuters) —", "Tools -"): no headline ends so.
_DASH_END = re.compile(r"(?:\s[-–—]|--|—)$")
CJK = re.compile(r"[\u3040-\u9fff\uac00-\ud7a3]")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_DOMAIN = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}", re.I)
# A file name ends like a domain ("Node.js", "report.pdf") and is none.
_FILE_TYPE = re.compile(r"\.(?:js|py|pdf|exe|zip|txt|html?|php|docx?|xlsx?|jpe?g|png|gif|mp[34]|csv|json)$", re.I)
_BRACKET_SITE = re.compile(r"\s\[([^\[\]]{2,50})\]\s*$")
# Japanese and Chinese titles close with their site or series in full-width brackets:
# "欲張りなイヌ　＜福娘童話集　きょうのイソップ童話＞", "标题【草原信使】".
_CJK_BRACKET_SITE = re.compile(r"\s*[＜【]([^＜＞【】]{2,30})[＞】]\s*$")
# The spaced separators of a title ("Headline | Site", "Headline - Site"); the full-width ones of
# Japanese and Chinese titles too ("見出し ｜ サイト名", "見出し － Publickey", "見出し ： サイト名")
# only where a site's name is cut (strip_site_name), not where the dump's lines are matched.
_SEPARATORS = r"|\-–—·•:»«/"
TITLE_SEP = re.compile(rf"\s+(?:[{_SEPARATORS}]|::)\s+")
# Chinese and Japanese titles with no spaced separator join their parts with "_" or a bar:
# "标题_频道_网站名", "标题｜网站名".
_CJK_SEP = re.compile(r"(?<=[\u3040-\u9fff\uac00-\ud7a3])[_｜|](?=[\u3040-\u9fff\uac00-\ud7a3])")
_SPACED_SEP = re.compile(rf"\s+(?:[{_SEPARATORS}｜－：／]|::)\s+")
# A full-width colon with no space before the site's name: "見出し：朝日新聞デジタル". Japanese
# headlines hold "：" themselves ("組合長：「春に開通」", "特集：…"), so only an end part that names an
# outlet (_CJK_SITE) and writes no hiragana (an outlet's name is kanji, katakana or Latin; a
# sentence has particles) is cut there.
_CJK_COLON = re.compile(r"(?<=[\u3040-\u9fff\uac00-\ud7a3」』）)\]])：(?=[^：]+$)")
_CJK_SITE = re.compile(r"新聞|新闻|デジタル|ニュース|通信|機構|協会|协会|公式|ジャパン|日報|日报|频道|頻道|电视|電視|テレビ|放送"
                       r"|官网|ドットコム|マガジン|メディア|タイムズ|オンライン|ウォッチ|研究所|法人|時報|时报|晚报|晨报|週刊|周刊"
                       r"|[网網]$")
_HIRAGANA = re.compile(r"[\u3040-\u309f]")
# A reading in brackets after a site's name: "TECH+（テックプラス）".
_READING = re.compile(r"\s*[（(][^（）()]{1,20}[）)]$")


@lru_cache(maxsize=8192)
def _norm(text: str) -> str:
    # Kept: the headline search compares the same lines (the <title> above all) to one another
    # again and again, some six times per distinct line of a dump.
    return " ".join(_WORD.findall(text.lower()))


def _is_fragment(line: str) -> bool:
    """Return True when `line` starts mid-sentence: with punctuation or an all-lower-case word."""
    if _FRAGMENT_START.match(line):
        return True
    first = line.split(maxsplit=1)[0].rstrip(",;:") if line.strip() else ""
    return first[:1].isalpha() and first[:1].islower() and first.islower()


def word_count(line: str) -> int:
    """Return the words of `line`; Chinese and Japanese write no spaces: two characters count as one."""
    n = len(line.split())
    return max(n, len(CJK.findall(line)) // 2) if CJK.search(line) else n



def is_candidate(line: str, *, short_ok: bool = False, page_title: bool = False) -> bool:
    """Return True when `line` could be a headline: a short run of words, not chrome or a date.

    The switcher pattern also takes any run of letters short enough to cut into 2-3 letter
    pieces ("Base URL test") for a switcher, which keeps short menu items out; `short_ok` asks
    for a real switcher (whole short words) instead, for a line known to be a title. A
    `page_title` (the dump's first line, the page's <title>) is no piece of a sentence even when
    it starts with a lower-case word ("coronavirus ने बदल दिए हैं लक्षण").
    """
    words = word_count(line)
    if not 2 <= words <= 30 or len(line) > 250:
        return False
    if _FRAGMENT_START.match(line) if page_title else _is_fragment(line):
        return False
    if CREDIT_END.search(line) or _CREDIT_TAIL.search(line) or _LIST_START.match(line) \
            or (_CUT_END.search(line) and not _SEPARABLE_END.search(line)) \
            or _LINK_ARROW.search(line):
        return False
    if words <= 6 and _LANGUAGE_LINK.search(line):
        return False
    if _AD_LABEL.search(line):
        return False
    end = line.rstrip()
    if end.endswith((".", ",", ";", ":", "|", "।", "。", "，")) and not end.endswith(("...", "…")):
        return False
    if _DASH_END.search(end):
        return False    # a dateline ("HOUSTON, Texas (KTRK) --") or a line its next one goes on from
    # (the switcher pattern also takes any short run of letters for one: a CJK headline is one)
    if _READING_TIME.match(line):
        return False
    if (_CRUMBS.search(line) and not _rubric_bar(line)) or ((_SWITCHER_WORDS if short_ok else _SWITCHER).match(line) and not CJK.search(line)) or _UI.match(line) \
            or _BYLINE.match(line) or _CODE.search(line) or (words <= 9 and _UI_ACTION.match(line)):
        return False
    if _dated(line) or dates.is_date_line(line, reference_year=2000) or _CLOCK.search(line) \
            or page_dates.DATE_FIELD.match(line):
        return False
    if words <= 8 and dates.split_partial(line) is not None:   # "Almaty city12 June": a dateline
        return False
    return is_candidate_text(line)


def _dated(line: str) -> bool:
    """Return True when `line` states a date as metadata does, not inside a headline's words.

    "Liebeshoroskop Januar 2023: Das sagen die Sterne" names a month inside its headline; a
    byline or date line starts or ends with its date, or has few words beside it.
    """
    spans = dates.find_dates(line)
    if not spans:
        return False
    s, e, _ = spans[0]
    rest = len((line[:s] + " " + line[e:]).split())
    return len(spans) > 1 or rest < 4 or not _WORD.search(line[:s]) or not _WORD.search(line[e:])


def _title_parts(title: str) -> list[str]:
    """Return the normalised runs of consecutive separator-delimited parts of a <title>."""
    parts = [_norm(x) for x in TITLE_SEP.split(title)]
    return [" ".join(x for x in parts[a:b] if x) for a in range(len(parts)) for b in range(a + 1, len(parts) + 1)]


def match_page_title(lines: list[str], start: int, *, after: int = 3) -> int | None:
    """Return the line that repeats the headline of the page's <title> (a dump's first line).

    A scraper's dump of a whole page opens with the <title> text, "Headline | Site"; the
    headline itself comes again as the <h1> above the article. A line matches when it is the
    title with its site name cut, a whole part of the title other than the site name, or most
    of the cut title; the line covering most of the headline wins, then the one nearest the
    article. Lines up to `after` past the article's first line count (teasers may come before
    the headline).
    """
    if len(lines) < 2:
        return None
    first = _norm(lines[0])
    cut = _norm(strip_site_name(lines[0]))
    if not cut:
        return None
    site_part = first[len(cut):].strip() if first.startswith(cut) else first[: len(first) - len(cut)].strip() \
        if first.endswith(cut) else ""
    if (logo := _logo_part(lines, start + after + 1)) is not None and (cut == first or len(logo[1]) > len(site_part)):
        cut, site_part = logo
    # (a part inside the site's side is the site's too: "Blog name :: Platform" cut as one)
    # (so is a run of parts ending with the site's name that does not open the <title>: "Interior |
    # Design | Lifestyle | Travel Blog", a tagline the page repeats in its header)
    parts = {x for x in _title_parts(lines[0]) if x and f" {x} " not in f" {site_part} "
             and not (site_part and x.endswith(" " + site_part) and not first.startswith(x))}
    lead = _norm(TITLE_SEP.split(lines[0], maxsplit=1)[0])
    tail = TITLE_SEP.split(lines[0])[-1]
    if cut == first and lead != first and len(lead.split()) >= 2 and _reads_as_name(tail) \
            and any(_norm(lines[i]) == lead for i in range(1, min(len(lines), start + after + 1))):
        # "Plejaden, M45 - Abenteuer Astronomie": a headline too short to cut the name after it, both
        # parts lines of the page (the <h1>, and the name over a blurb in the footer): "Headline -
        # Site" is far more common than "Site - Headline", so the end part is the site's ("Blog -
        # Shop name" is a section page: a one-word lead may be a menu item)
        parts.discard(_norm(tail))
    cut_words = set(cut.split())
    n_cut = len(cut.split())
    best, best_key = None, None
    for i in range(1, min(len(lines), start + after + 1)):
        norm = _norm(lines[i])
        if not norm or len(lines[i]) > 300 or _UI.match(lines[i]):
            continue    # ("Aktuell - dlg.org" names a section page: its menu item "Aktuell" is no headline)
        n_words = len(norm.split())
        if norm == cut:
            cover = 1.0
        elif norm in parts and (n_words >= 2 or norm == lead):
            # (a one-word part only when it opens the <title>, as a headline does: "Mozilla - Wikipedia")
            cover = len(norm) / len(cut) if len(norm) <= len(cut) else len(cut) / len(norm)
        elif n_words >= 3 and norm != first and (first.endswith(" " + norm) or first.startswith(norm + " ")) \
                and len(norm) >= 0.4 * len(first) and is_candidate(lines[i]):
            # the <title> is this line with a site's name before or after it, whatever the separator
            # ("Anna's Books: [Review] Love is War - Longing by R. K. Lilley"), however the name was cut
            cover = len(norm) / len(first)
        elif n_words >= 3 and f" {norm} " in f" {cut} " and len(norm) >= 0.5 * len(cut):
            cover = len(norm) / len(cut)
        elif n_words >= 4 and cut.startswith(norm + " "):
            # the <title> goes on after the headline ("Headline: Subtitle: Journal: Vol 172")
            cover = len(norm) / len(cut)
        elif norm.startswith(cut + " ") and _norm(lines[i - 1]) == cut and i > 1 and is_candidate(lines[i]):
            # a kicker repeating the <title> over the <h1> that goes on from it ("Compost bins" /
            # "Compost bins you build yourself"): the <h1> is the headline, however short the kicker
            cover = 1.01
        elif n_cut >= 3 and norm.startswith(cut + " ") and is_candidate(lines[i]) \
                and not _continues(lines, i):
            # the <title> is the start of a longer <h1> ("How to Care for Hydrangeas | Site")
            cover = 0.5 * len(cut) / len(norm)
        elif n_words >= 3 and n_cut >= 3 and len(norm) <= 2.5 * len(cut) and (
                cut in norm or _may_overlap(norm, cut_words, n_cut) and _overlap(norm, cut) >= SIMILAR_TITLE) \
                and is_candidate(lines[i], page_title=_overlap(norm, cut) >= _SAME_TITLE) and not _continues(lines, i):
            # the <h1> words the headline a little differently from the <title> (a line nearly the
            # <title> is no piece of a sentence, even with a lower-case first word: "ll Climate Clock")
            cover = 0.5 * _overlap(norm, cut)
        elif n_words == 2 and cut != first and start - _NEAR <= i <= start and f" {norm} " in f" {cut} " \
                and is_candidate(lines[i], short_ok=True) and not _continued(lines, i) and not _continues(lines, i):
            # a two-word heading right over the article that the <title> names ("What are Leadership
            # Styles? Definition - Site" over "Leadership Styles"); anywhere else two words are a menu
            # item, and a first line with no site name cut is the text's own headline, not a <title>
            cover = 0.5 * len(norm) / len(cut)
        else:
            continue
        # (asked only of a line that repeats the <title>: most lines repeat none of it)
        if _continued(lines, i) and _continues(lines, i) or lines[i].rstrip().endswith(","):
            continue    # a word of a sentence an inline link cut out, whatever it repeats (or one going on)
        if byline_cues.CUE_ALONE.match(lines[i - 1]):
            continue    # the name under a lone "by" is the author's, whatever the <title> names (a column)
        if not is_candidate_text(lines[i]) and not (norm == cut and _letter_words(lines[i]) >= 2):
            continue    # (the <title>'s headline whole may hold digits: "Gitarre & Bass 02/2022")
        key = (round(cover, 2), -abs(i - start))
        if best_key is None or key > best_key:
            best, best_key = i, key
    return best


_WHOLE_TITLE_WORDS = 6   # words of a <title>'s headline that no section or menu name has


def whole_page_title(lines: list[str], i: int) -> bool:
    """Return True when line `i` is the page's <title> less its site name, and a headline's length.

    A <title> match far above the article is most often a section's name ("Swimming - News |
    Federation" over a menu holding "Swimming"); a line that states the <title>'s whole headline
    of six words or more is the article's own, however many teasers of related stories a page
    puts between it and the article.
    """
    cut = _norm(strip_site_name(lines[0])) if lines else ""
    return len(cut.split()) >= _WHOLE_TITLE_WORDS and cut != _norm(lines[0]) and _norm(lines[i]) == cut


def stated_whole(title_line: str, line: str) -> bool:
    """Return True when the <title> (`title_line`) states heading `line` whole, with only the site's name beside it.

    "Pelzfrei – so erkennen Sie Echtpelz | Tierwelt" over the heading "Pelzfrei – so erkennen Sie
    Echtpelz": the site's name is what the <title> adds to the heading, so the heading's own
    separators belong to its headline and cut nothing, however much its second part reads as a name.
    """
    norm, first = _norm(line), _norm(title_line)
    return len(norm.split()) >= 3 and norm != first and bool(TITLE_SEP.search(line)) \
        and (first.startswith(norm + " ") or first.endswith(" " + norm))


def repeat_of_page_title(lines: list[str], start: int, end: int, *, after: int = 3) -> int | None:
    """Return the first line past `start` + `after`, above `end`, that states the <title>'s headline whole.

    When the article's start was misjudged (a login form or a gallery above the article read as
    its first paragraph), the <h1> sits further down: a line equal to the cut <title>, or the
    start of a <title> that goes on ("Headline: Subtitle: Journal: Vol 172"), is that headline.
    `end` is the last line kept as article text: below it the <title>'s words are a teaser of
    the same story in a list of related ones, not a heading over this text.
    """
    if len(lines) < 2:
        return None
    cut = _norm(strip_site_name(lines[0]))
    n_cut = len(cut.split())
    if n_cut < 3:
        return None
    for i in range(start + after + 1, min(end, len(lines))):
        if len(lines[i]) > 300:
            continue
        norm = _norm(lines[i])
        words = len(norm.split())
        # (the whole headline again is the headline even when the sentence runs on under it, bold:
        # "Makrophotos von Insekten" / "ist sicher kein ganz einfaches Hobby"; a part of it that
        # runs on is words of a sentence)
        if (norm == cut or (words >= 4 and cut.startswith(norm + " ") and not _continues(lines, i))) \
                and is_candidate(lines[i]):
            return i
        if norm == cut and _letter_words(lines[i]) >= 2 and not _continues(lines, i):
            return i    # the <title>'s headline whole, even with a date or a number in it ("Ergebnisse, 19.5.2007")
        if words >= 4 and n_cut >= 4 and _overlap(norm, cut) >= SIMILAR_TITLE and is_candidate(lines[i]) \
                and not _continues(lines, i) and _signed_below(lines, i):
            return i    # the <h1> words it a little differently, with its byline or date under it
    return None


_SIGNED_LINES = 4   # lines under a headline that may hold its byline or date ("Por" / name / place / date)


def _signs(line: str, *, bare_cues: bool = False) -> bool:
    """Return True when `line` is a headline's date or byline line (with `bare_cues`, "By" alone or "von Name" too)."""
    return len(line) <= 150 and bool(
        _BYLINE.match(line) or (bare_cues and (byline_cues.CUE_ALONE.match(line) or _NAME_BYLINE.match(line)))
        or dates.find_dates(line) or dates.is_date_line(line, reference_year=2000))


def _signed_below(lines: list[str], i: int) -> bool:
    """Return True when a byline or a date line follows line `i` within _SIGNED_LINES lines."""
    return any(_signs(lines[k].strip(), bare_cues=True) for k in range(i + 1, min(len(lines), i + 1 + _SIGNED_LINES)))


def _letter_words(line: str) -> int:
    return sum(any(c.isalpha() for c in w) for w in _WORD.findall(line))


_NEAR = 5   # lines above the article's first line where a heading is its own


def menu_item(lines: list[str], i: int) -> bool:
    """Return True when line `i` reads as an item of a menu: a short line among short lines.

    A section page's <title> ("Blog | Site", "About Us - Site") names a menu item the dump lists
    with its neighbours ("Home" / "About Us" / "In the News"); a headline stands apart from them.
    """
    if word_count(lines[i]) > 3:
        return False
    near = [lines[k] for k in range(max(1, i - 2), min(len(lines), i + 3)) if k != i]
    # (a label ending with a colon is a form's or a metadata block's, not a menu's: "Document:", "Expires:")
    return sum(word_count(line) <= 3 and not dates.find_dates(line) for line in near) >= 3 \
        and not any(line.rstrip().endswith(":") for line in near)


def dated_heading(lines: list[str], rule: list[str | None], lo: int, start: int) -> int | None:
    """Return the lowest heading between `lo` and `start` with its date or byline under it, sharing words with the article."""
    return _lowest_heading(lines, rule, lo, start, 3, lambda i: dated_below(lines, rule, i, start))


def signed_heading(lines: list[str], rule: list[str | None], lo: int, start: int) -> int | None:
    """Return the lowest heading between `lo` and `start` with a byline or date within the lines
    under it ("By" / name / date, a lone cue counting), sharing words with the article."""
    return _lowest_heading(lines, rule, lo, start, 4, lambda i: _signed_below(lines, i))


def _lowest_heading(lines: list[str], rule: list[str | None], lo: int, start: int, min_words: int,
                    signed: Callable[[int], bool], *, under_lone_letter: bool = False) -> int | None:
    """Return the lowest heading between `lo` and `start` of `min_words` or more, sharing words with
    the article's first lines, for which `signed` holds. `under_lone_letter`: a heading under a lone
    letter or word (a font size button "A") is no sentence a link cut."""
    about = _stems(" ".join(lines[k] for k in range(start, min(len(lines), start + _ABOUT_LINES)) if rule[k] is None))
    for i in range(start - 1, lo, -1):
        cut = _cut_below(lines, i) if under_lone_letter else _continued(lines, i)
        if rule[i] is None and word_count(lines[i]) >= min_words and is_candidate(lines[i]) \
                and not _continues(lines, i) and not cut and signed(i) and _stems(lines[i]) & about:
            return i
    return None


def _cut_below(lines: list[str], i: int) -> bool:
    """Tell whether line `i` goes on from a line above of two words or more (a sentence a link cut)."""
    return _continued(lines, i) and word_count(lines[i - 1]) >= 2


_LOGO_WORDS = 2   # words of a first line that may be a logo or menu item rather than a <title>
_CHROME_WORDS = 4   # words of a first line that may be chrome ("Skip to main content") rather than a <title>


def no_page_title(lines: list[str], start: int, end: int) -> bool:
    """Return True when the dump's first line reads as no page <title>: nothing above the article repeats it.

    A scraper's dump of the whole soup opens with the <title>, whose headline the <h1> repeats; a
    dump of the <body> alone (soup.body, a copy from the browser, lynx) opens with the page's first
    text instead: "Skip to content", "Sign in", the site's logo "CNET". Such a line is repeated by
    no heading, or, one or two words, only by a logo or menu item far above the article ("CNET" /
    "Tech Industry" / headline, "Politik" in the menu). (On the train split 266 of 403 body-only
    dumps read so, and 42 of 403 whole-soup ones: a <title> of a few words the page words otherwise.)
    """
    if len(lines) < 2:
        return True
    if word_count(lines[0]) > _CHROME_WORDS and not (_UI.match(lines[0]) or _UI_ACTION.match(lines[0])):
        # A longer first line is a <title> whether the page repeats it or words its <h1> otherwise
        # (held to: the whole-soup dumps' outputs stay the same, 3,144 inputs less one or two).
        return False
    at = match_page_title(lines, start)
    if at is None:
        return repeat_of_page_title(lines, start, end) is None
    return word_count(lines[0]) <= _LOGO_WORDS and start - at > _NEAR


_HEADING_WORDS = 4   # words of a headline found with no <title>: a section label ("Tech Industry", "Noticias de Medellín") has fewer
_PHOTO_CREDIT = re.compile(r"^\W*(?:photo|foto|фото)\b", re.I)   # "Photo by Aidos Serikov" under a caption: no byline
_BYLINE_LINES = 6   # lines under a headline holding its byline or date when no <title> helps: "By" / name / ", CNN" / "Updated" / date


def heading_over_byline(lines: list[str], rule: list[str | None], lo: int, start: int) -> int | None:
    """Return the lowest heading between `lo` and `start` with a byline or date in the _BYLINE_LINES lines under it.

    Without a <title> to name it, the headline is the heading over the article's byline and date:
    "Babies Who Eat Peanuts Early May Avoid Allergy" / "By" / name / ... / first paragraph. It
    shares words with the article's first lines (a related story's link does not) and has four
    words or more (a section label, "Tech Industry", has fewer). A lone letter above it is a font
    size button ("A" / "A" / headline), not a sentence a link cut.
    """
    # (a reading time, "5 Minuten Lesezeit", stands under the headline as its byline or date does:
    # train body-only titles +1 of 416, dev no change)
    return _lowest_heading(lines, rule, lo, start, _HEADING_WORDS, lambda i: any(
        (_signs(line := lines[k].strip(), bare_cues=True) or _READING_TIME.match(line)) and not _PHOTO_CREDIT.match(line)
        for k in range(i + 1, min(len(lines), i + 1 + _BYLINE_LINES))), under_lone_letter=True)


def heading_over_article(lines: list[str], rule: list[str | None], lo: int, start: int) -> int | None:
    """Return the lowest heading between `lo` and `start` of four words or more sharing words with the article.

    heading_over_byline with no byline or date asked for: the last resort of a dump with no <title>
    line where nothing else reads as the headline, whose first line (chrome: "Follow Lifehacker",
    "Ready to publish?") would be taken for it. "How to Program Your Mind to Stop Buying Crap You
    Don't Need" / "36" / "Patrick Allan" has only a count and a name under it.
    """
    return _lowest_heading(lines, rule, lo, start, _HEADING_WORDS, lambda i: True, under_lone_letter=True)


def above_standfirst(lines: list[str], rule: list[str | None], i: int, lo: int) -> int:
    """Return the heading right above line `i` when it is shorter (`i` is its standfirst), else `i`.

    "Militares enviaram 88 questões ao TSE" / "Questionamentos repetem o discurso ..." / date: the
    byline or date sits under the standfirst, the headline over it.
    """
    k = i - 1
    # (four words or more, as the signed heading: "Noticias de Medellín" over a headline is its section;
    # train body-only titles +1 of 416, dev +1 of 123)
    if k > lo and rule[k] is None and _HEADING_WORDS <= word_count(lines[k]) < word_count(lines[i]) and is_candidate(lines[k]) \
            and not _continues(lines, k) and not _cut_below(lines, k):
        return k
    return i


_LOGO_LINES = 10   # a site's logo text comes among the first lines under the <title>


def _logo_part(lines: list[str], end: int) -> tuple[str, str] | None:
    """Return (headline, site name), normalised, of a <title> whose site name the page repeats as its logo.

    "Unbefriedigt | Deviante Pfade" names its site in a line of its own near the top of the page
    (the logo, "Deviante Pfade", among the first few), and its headline in a later line (the <h1>, "Unbefriedigt"): an
    end part of the <title> that reads as a name and is repeated by a line above the line
    repeating the rest is the site's name, however short the headline.
    """
    parts = TITLE_SEP.split(lines[0])
    if len(parts) < 2:
        return None
    norms = [_norm(line) if len(line) <= 300 else "" for line in lines[1:end]]
    # (only the end part: a Title Case headline first reads as a name too, and its site name may
    # come again in a line under it)
    # ("Headline - Section - Site" may show "Section - Site" as its logo: the longest end wins)
    for k in range(len(parts) - 1, 0, -1):
        site, rest = " ".join(parts[-k:]), parts[:-k]
        site_n, rest_n = _norm(site), _norm(" ".join(rest))
        if site_n and rest_n and site_n in norms[:_LOGO_LINES] and _reads_as_name(site) \
                and rest_n in norms[norms.index(site_n) + 1:]:
            return rest_n, site_n
    return None


def headline_run(lines: list[str], i: int) -> tuple[int, int, str] | None:
    """Return (k, n, headline) when the n lines from k, around line `i`, together are the headline of the page's <title>.

    A kicker above the headline ("Siemens und die Kohlemine Adani" / "Kaeser verarscht Neubauer")
    is its own line in a dump, and a link inside a headline cuts it in three ("The Story Of" /
    "Metroid" / ", One Of Gaming's Universes"); the <title> joins them ("Siemens und die
    Kohlemine Adani: Kaeser verarscht Neubauer - taz.de"), and that joined headline is the title.
    A page whose source breaks its headline's text over lines breaks its <title> too: the
    <title> is then the first two lines, and the same headline stands on two lines above the
    article ("... Involvement in" / "Democratic Hack Stems From 'Personal Beef'").
    """
    if not lines:
        return None
    titles = [strip_site_name(lines[0])]
    two = f"{lines[0]} {lines[1]}" if len(lines) > 3 else ""
    if two and titles[0] == lines[0] and (cut_two := strip_site_name(two)).startswith(lines[0] + " ") and cut_two != two:
        titles.append(cut_two)   # (the first line names no site and the second does: one <title> on two lines)
    for below, title in enumerate(titles, start=1):   # (a run starts below the <title>'s own lines)
        cut = _norm(title)
        for n in range(2, _RUN_LINES + 1):
            for k in range(max(below, i - n + 1), i + 1):
                # (a lone mark between kicker and headline, "Entwurf des Gesetzes" / ":" / "Ein bisschen
                # Fortschritt", is inside the run; a run neither opens nor closes with one)
                if k + n <= len(lines) and sum(len(lines[j]) for j in range(k, k + n)) <= 250 \
                        and _norm(lines[k]) and _norm(lines[k + n - 1]) \
                        and all(_norm(lines[j]) or _MARK_LINE.match(lines[j].strip()) for j in range(k, k + n)) \
                        and " ".join(x for j in range(k, k + n) if (x := _norm(lines[j]))) == cut:
                    return k, n, title
    return None


_RUN_LINES = 6   # lines a headline's kicker and links cut it into


_SAME_TITLE = 0.8   # token F1 of a line with the <title>'s headline that makes it a copy, typos aside
SIMILAR_TITLE = 0.5   # token F1 of a line with the <title>'s headline that makes it the same headline


def _may_overlap(norm: str, cut_words: set[str], n_cut: int) -> bool:
    """Return False when `norm` cannot reach SIMILAR_TITLE with the <title>'s words (a cheap bound)."""
    words = norm.split()
    shared = sum(w in cut_words for w in words)   # at least the multiset overlap _overlap counts
    return 2 * shared / (len(words) + n_cut) >= SIMILAR_TITLE


def _overlap(a: str, b: str) -> float:
    """Return the token F1 of two normalised strings."""
    ta, tb = a.split(), b.split()
    common = sum((Counter(ta) & Counter(tb)).values())
    return 2 * common / (len(ta) + len(tb)) if ta and tb else 0.0


def is_candidate_text(line: str) -> bool:
    """Return True when `line` is mostly letters (a heading may end with a full stop)."""
    return _letters(line) >= 0.6 * len(line.replace(" ", ""))


def _letters(line: str) -> int:
    # Devanagari and other abugidas write vowels as combining marks (category M), not letters.
    return sum(c.isalpha() or unicodedata.category(c).startswith("M") for c in line)


def pick_headline(lines: list[str], rule: list[str | None], start: int, *, window: int = 15,
                  run_from: int | None = None) -> int | None:
    """Return the index of the headline among the lines above (or at) `start`, the article's first line.

    `run_from` starts the unbroken run of lines kept as article (or date/byline lines) that ends
    at `start`: a heading there is the article's own, and the first of them is the headline
    (a standfirst or subheading follows it).
    """
    first = _norm(lines[0]) if lines else ""
    best, best_score = None, -1e9
    lo = max(0, start - window)
    if run_from is not None:
        lo = min(lo, run_from)   # the run kept as the article's own reaches up to its headline, however long
    # A dump that opens with its headline and the date or byline under it (a page without
    # chrome above the article) states its headline on line 0, however far the first paragraph.
    heads_page = opens_with_headline(lines, rule, start)
    about = _stems(" ".join(lines[k] for k in range(start, min(len(lines), start + _ABOUT_LINES)) if rule[k] is None))
    seen_in_run = False
    said = Counter(lines[1:])   # (the <title>, line 0, states the headline once more)
    for i in ([0] if heads_page and lo > 0 else []) + list(range(lo, min(start + 1, len(lines)))):
        line = lines[i]
        if rule[i] is not None or not is_candidate(line) or _continues(lines, i) or _continued(lines, i):
            continue
        if said[line] >= _LABEL_REPEATS and word_count(line) <= _LABEL_WORDS and _norm(line) not in first:
            # a label over every teaser ("Article réservé aux abonnés" six times), no headline (a
            # long headline the page repeats, in share text or related lists, is still one)
            continue
        if i > 0 and byline_cues.CUE_ALONE.match(lines[i - 1]):
            continue
        words = word_count(line)
        score = 0.0
        norm = _norm(line)
        if i > 0 and words >= 3 and norm and norm in first:
            score += 3.0    # the page's <title> repeats the headline
        if 3 <= words <= 30:
            score += 1.0
        if i == start:
            score -= 0.5    # the first article line itself: only when nothing above reads as one
        if line.isupper():
            score -= 1.0
        # a heading sharing no word with the article's first lines is another story's (Chinese
        # and Japanese write no spaces: their words are not told apart here)
        stems = _stems(line) if i < start else set()
        silent = len(about) >= _ABOUT_MIN and bool(stems) and not CJK.search(line) and not stems & about
        if silent and len(stems) >= 2:
            score -= ABOUT_WEIGHT    # (one word is too little to judge by, but enough to take the date's credit)
        # (a silent heading above the article's run gets no credit for the date under it: chrome
        # between the headline and its date, "Headline" / "Send us your news" / date, is not the
        # headline's place; a heading opening the run is the article's own, whatever its words)
        in_run = run_from is not None and run_from <= i
        if i < start and (in_run or not silent) and dated_below(lines, rule, i, start):
            score += 1.0    # the date or byline sits under the headline
            if _heads_standfirst(lines, rule, i, lo):
                score -= 0.5    # a standfirst between the headline above it and the date
        elif i < start and _heads_standfirst(lines, rule, i, lo):
            score -= 0.5    # a standfirst right under its headline, with no date under either
        # a heading with its date under it opens the run that starts with that date
        if run_from is not None and (run_from <= i < start or (i == run_from - 1 and i < start and not silent
                                                               and dated_below(lines, rule, i, start))):
            # the run's first heading is the headline; a later one a standfirst or subheading
            score += 0.75 if seen_in_run else 1.5
            seen_in_run = True
        elif not (i == 0 and heads_page):
            score -= 0.15 * (start - i)
        if score > best_score:
            best, best_score = i, score
    return best


_LABEL_REPEATS = 3   # times a page states a short line that is a label over teasers, not a headline
_LABEL_WORDS = 5
_ABOUT_LINES = 6   # the article's first lines, whose words the headline shares and a teaser does not
_ABOUT_MIN = 20   # stems those lines need for a heading's silence about them to count
ABOUT_WEIGHT = 1.5   # (the middle of the weights that scored best on half A of bench/dump_titles.py, 1.0-2.0)
_STEM = 5   # a word's first letters: "Трамп" in "Трампдан", "canal" in "canals"


def _stems(text: str) -> set[str]:
    """Return the stems of the words of 4+ letters in `text` (lower-cased)."""
    return {w[:_STEM] for w in _WORD.findall(text.lower()) if len(w) >= 4 and not w.isdigit()}


def page_title_over_paragraph(lines: list[str], rule: list[str | None], start: int) -> str | None:
    """Return the headline of the dump's first line, a page <title>, when it shares no word with line `start`.

    "How to sew a round tablecloth | homify" over a first paragraph about updating the browser: the
    part before the <title>'s last bar (or its site name cut) is the page's headline, however the
    site's name is written; a paragraph with none of its words is not the headline.
    """
    if rule[0] is not None or start >= len(lines):
        return None
    cut = strip_site_name(lines[0])
    if cut == lines[0] and " | " in cut:
        cut = cut.rsplit(" | ", 1)[0].strip()
    if cut == lines[0] or not is_candidate(cut, short_ok=True, page_title=True) or _stems(cut) & _stems(lines[start]):
        return None
    return cut


def _heads_standfirst(lines: list[str], rule: list[str | None], i: int, lo: int) -> bool:
    """Return True when line `i` sits right under a headline: it is the standfirst, not the headline.

    "Woman stabbed by her husband in Reus" / "The attacker fled but was arrested" / date: both
    headings have the date under them; the upper one, a sentence of its own (not a short or
    capitalised kicker), is the headline; unless a third heading tops them (a list of teasers).
    """
    k = i - 1
    if k < max(lo, 0) or rule[k] is not None:
        return False
    above = lines[k]
    if not (len(above.split()) >= 5 and not above.isupper() and is_candidate(above) and not _continues(lines, k)):
        return False
    # (a heading under another long heading is a list of teasers ending above the headline)
    return k == 0 or rule[k - 1] is not None or len(lines[k - 1].split()) < 4 or not is_candidate(lines[k - 1])


def opens_with_headline(lines: list[str], rule: list[str | None], start: int) -> bool:
    """Return True when the dump's first line is a headline with its date or byline under it.

    Such a dump is a page without chrome above the article: its first line is the <h1>, not a
    <title> ("Headline | Site") that a later line repeats.
    """
    return bool(lines) and rule[0] is None and is_candidate(lines[0]) and not _continues(lines, 0) \
        and word_count(lines[0]) >= 3 and dated_below(lines, rule, 0, start)


def _short_heading(line: str) -> bool:
    """Return True when a short line may head a page: letters, no end mark, no chrome, link, byline or date."""
    return is_candidate_text(line) and not line.endswith((".", ",", ";", ":", "|")) and not (
        _UI.match(line) or _BYLINE.match(line) or _CODE.search(line) or _LINK_ARROW.search(line) or _CRUMBS.search(line)
        or _AD_LABEL.search(line) or dates.find_dates(line) or dates.is_date_line(line, reference_year=2000))


def opens_with_short_headline(lines: list[str], rule: list[str | None], start: int) -> bool:
    """Return True when the dump opens with a one- or two-word headline, then only its date or byline, then the article.

    "Acrobat" / "27 Apr 2020" / first paragraph: a page without chrome states its headline on its
    first line however short; with another heading between the date and the article ("PHOTO
    REPORT" / date / "Where storks winter"), the short first line is a rubric over that heading.
    """
    if not lines or start < 2 or rule[0] is not None or not 1 <= word_count(lines[0]) <= 2 or len(lines[0]) > 60:
        return False
    if not _short_heading(lines[0].strip()):
        return False
    return all(rule[k] is None and len(lines[k]) <= 150 and (
        _BYLINE.match(lines[k]) or dates.find_dates(lines[k]) or dates.is_date_line(lines[k], reference_year=2000))
        for k in range(1, start))


def opens_with_name_over_subtitle(lines: list[str], rule: list[str | None], start: int) -> bool:
    """Return True when the dump opens with a two-word name, one subtitle line and then its date or byline.

    "Anna Burch" / "If You're Dreaming" / "27 Apr 2020" / "by" / ...: a page without chrome whose
    headline is a name (an artist, a person portrayed) with its subtitle under it; the name is the
    headline however short. A rubric over a headline is written in capitals ("TENIS") or is a
    single word, and a longer kicker line is no name.
    """
    if not lines or start < 3 or rule[0] is not None or rule[1] is not None or len(lines[0]) > 40:
        return False
    words = lines[0].split()
    if len(words) != 2 or not all(w[:1].isupper() and any(c.islower() for c in w[1:]) for w in words):
        return False
    line = lines[0].strip()
    if not _short_heading(line) or line.endswith(("!", "?")) or _LANGUAGE_LINK.search(line):
        return False
    sub = lines[1]
    return word_count(sub) >= 2 and not sub.isupper() and is_candidate(sub, short_ok=True) \
        and rule[2] is None and _signs(lines[2])


_OPEN_END = re.compile(rf"(?:,|(?:^|\s)(?:{_FUNCTION_WORDS}))\s*$", re.I)


def _continued(lines: list[str], i: int) -> bool:
    """Return True when line `i` goes on with the sentence of the line above it (a link cut it there)."""
    return i > 0 and len(lines[i - 1]) <= 300 and bool(_OPEN_END.search(lines[i - 1]))


def _continues(lines: list[str], i: int) -> bool:
    """Return True when the next line goes on with line `i`'s sentence: `i` is a cut paragraph."""
    if i + 1 >= len(lines):
        return False
    nxt = lines[i + 1]
    if len(nxt.split()) >= 3 and _is_fragment(nxt) and not _BYLINE.match(nxt) and not _NAME_BYLINE.match(nxt):
        return True
    # a link's text in between: "The US president" / "Joe Biden" / "said on Tuesday that..."
    if i + 2 < len(lines) and len(nxt.split()) <= 3 and not _BYLINE.match(nxt):
        after = lines[i + 2]
        # (after a comma the line under a name may be its byline's title: "Dana Omarova" / ", staff writer")
        # ("оболочку" / "MIUI 12" / ".": the link ends the sentence, whose full stop is a line of its own)
        return (len(after.split()) >= 3 and _is_fragment(after) or after.strip() in (".", "!", "?", "…")) \
            and not _BYLINE.match(after) and not after.lstrip().startswith(",")
    return False


_MARK_LINE = re.compile(r"^\W{1,2}$")   # a breadcrumb's or a kicker's separator on its own line: "|", "›", "–", ":"
_CRUMB_WORDS = 3     # a breadcrumb item's words at most ("Home", "Politik", "International-Business")
_KICKER_WORDS = 4    # a kicker's words at most, over the headline ("Emotionales Interview", "UN-Generalversammlung")


def _crumb_item(line: str) -> bool:
    return 1 <= word_count(line) <= _CRUMB_WORDS and len(line) <= 40 and not line.rstrip().endswith((".", ":", ",")) \
        and not dates.find_dates(line)


def past_breadcrumb(lines: list[str], rule: list[str | None], i: int, start: int) -> int | None:
    """Return the page's visible headline under line `i` when `i` ends a breadcrumb, else None.

    "Home" / "Politik" / "Annalena Baerbock: Jetzt Top-Job in New York" / "UN-Generalversammlung" /
    "Baerbock zur UN: Nur eine Etappe zum nächsten Karriereschritt?" / "Berlin." / standfirst: many
    sites end their breadcrumb with the article's search-engine title, which their <title> repeats,
    and put the headline a reader sees (its kicker over it) right under it, worded otherwise but of
    the same story. That headline is the title. Only a kicker between the two tells them apart
    from a headline closing the breadcrumb over its standfirst, which may end with no full stop; a
    line that does, or runs far longer than the line above, is a standfirst anyway. A separator
    line the cleaning blanked ("–", ":") ends the search: with "Kicker" / ":" / "Headline" the
    page's own headline is the kicker's and the <title>'s (the train split's labels are the latter).
    """
    above, k = 0, i - 1
    while k > 0 and above < 2 and (_MARK_LINE.match(lines[k].strip()) or _crumb_item(lines[k])):
        above += not _MARK_LINE.match(lines[k].strip())
        k -= 1
    if above < 2:
        return None
    story = _stems(lines[i])
    kicker = False
    for j in range(i + 1, min(start, i + 4)):
        line = lines[j].strip()
        if rule[j] is not None:
            return None
        if byline_cues.CUE_ALONE.match(line):
            return None   # "von" / name: the byline under the breadcrumb's headline
        if _kicker(line):
            kicker = True    # the kicker over the headline
            continue
        # (with nothing between, the line under a headline closing a breadcrumb is its standfirst,
        # full stop or not: "Home" / "News" / headline / "Currency collectors are on hunt for ...")
        if not kicker or word_count(line) < 3 or line.endswith(".") or _signs(line) or not is_candidate(line) \
                or _continues(lines, j) or _norm(line) == _norm(lines[i]) or not (_stems(line) & story) \
                or word_count(line) > max(20, 2 * word_count(lines[i])):
            return None
        # The headline heads the article: its date, byline, dateline ("Berlin.") or standfirst
        # comes under it, not another heading (a table of contents: "Inhalt" / "Wie viel ...?" / ...)
        under = next((lines[k].strip() for k in range(j + 1, min(len(lines), j + 3))
                      if not _MARK_LINE.match(lines[k].strip())), "")
        heads = _signs(under, bare_cues=True) or bool(dates.find_dates(under)) or word_count(under) >= _STANDFIRST_WORDS \
            or bool(_DATELINE_WORD.match(under))
        return j if heads else None
    return None


_STANDFIRST_WORDS = 12
_DATELINE_WORD = re.compile(r"^[^\W\d_][\w'’-]*\.$")   # "Berlin.", "Essen."


def _kicker(line: str) -> bool:
    """Return True when `line` reads as a kicker: a few words of text, no date, byline, credit or end stop."""
    return word_count(line) <= _KICKER_WORDS and not line.endswith(".") and not _signs(line, bare_cues=True) \
        and not dates.find_dates(line) and _short_heading(line) and not re.search(r"[/©|]", line)


def dated_below(lines: list[str], rule: list[str | None], i: int, start: int) -> bool:
    """Return True when one of the two lines under line `i` (before `start`) is a date or byline."""
    return any(rule[k] is None and _signs(lines[k]) for k in range(i + 1, min(start, i + 3)))


SITE_WORDS = re.compile(
    r"\b(?:news|agency|times|wire|tv|radio|post|herald|gazette|daily|online|press|media|journal|tribune|review"
    r"|inform|today|channel|portal|service|wiki|blog|forum|magazine|magazin|zeitung|zeitschrift|revista|rivista"
    r"|diario|noticias|notizie|nachrichten|информ|новости|агентство|газета|портал|тв|радио|журнал|вики|блог|форум)\b"
    r"|\.(?:com|ru|kz|by|uz|kg|tj|am|az|ge|ua|org|net|info|de|uk)\b", re.I)


def strip_site_name(title: str, site: str | None = None, *, own_headline: bool = False) -> str:
    """Cut a site-name suffix or prefix (" - Eurasia Wire", "National News Agency | ") off a title.

    The site side is the one that names `site` when it is known; else an end part that reads as
    a name (capitalised words, no sentence) and is either shorter than the rest or carries an
    outlet word ("News", "Agency", ".kz"), since "Headline - Site" is far more common than
    "Site - Headline". A section left before the site ("Headline - Politics - Site") goes too.
    An article's `own_headline` (no page <title>) loses only a part that is plainly a site: a
    domain, an outlet word, a bar; "Choose hope over fear - Kennedy" names whom it quotes.
    """
    bracket = _BRACKET_SITE.search(title)
    if bracket and _reads_as_name(bracket.group(1)) and word_count(title[: bracket.start()]) >= 3:
        # "Headline [Archive of Our Own]": a bracketed name closing the title is the site's
        title = title[: bracket.start()].rstrip()
    cjk_bracket = _CJK_BRACKET_SITE.search(title)
    if cjk_bracket and CJK.search(title[: cjk_bracket.start()]) and word_count(title[: cjk_bracket.start()]) >= 2 \
            and not re.search(r"[，。？！?!]", cjk_bracket.group(1)):
        title = title[: cjk_bracket.start()].rstrip()
    colon = _CJK_COLON.search(title)
    # (the colon's end part holds no other separator: in "两会：出国前后_教育频道_中国青年网" the site is after "_")
    if colon and _colon_site(title[colon.end():]) and not _CJK_SEP.search(title[colon.end():]) \
            and not _SPACED_SEP.search(title[colon.end():]) and word_count(title[: colon.start()]) >= 3:
        title = title[: colon.start()]   # "見出し：朝日新聞デジタル"
        # ("見出し [宮崎県]：朝日新聞デジタル": the region's tag before the site's name goes with it)
        if (tag := _BRACKET_SITE.search(title)) and CJK.search(tag.group(1)) and _reads_as_name(tag.group(1)) \
                and word_count(title[: tag.start()]) >= 3:
            title = title[: tag.start()].rstrip()
    parts = _split_title(title)
    if len(parts) < 2:
        return title
    site_l = _norm(site or "")
    if site_l:
        keep = [p for p in parts if not (_norm(p) and (_norm(p) in site_l or site_l in _norm(p)))]
        if keep and len(keep) < len(parts):
            return " - ".join(keep) if len(keep) > 1 else keep[0]
    split = _SPACED_SEP.split if parts == _SPACED_SEP.split(title) else _CJK_SEP.split
    if split == _SPACED_SEP.split and len(parts) >= 3 and (cut := _cut_at_domain(title, parts)) != title:
        if len(split(cut)) < 2:
            return cut
        title = cut
    out = title
    for _ in range(2):
        parts = split(out)
        if len(parts) < 2:
            break
        last = parts[-1]
        head = out[: out.rfind(last)].rstrip(" |-–—·•:»«/_｜－：／")
        if _open_quote(out[: out.rfind(last)]):
            break    # the separator is inside a quotation: «Liebe kennt keine Pause – gegen Homophobie»
        sitey = bool(SITE_WORDS.search(last)) or _colon_site(last)
        if _DOMAIN.fullmatch(last.strip()) and _WORD.search(head):
            out = head       # "Headline - waldwissen.net", "Wurmkiste | selbst.de": a domain name is the site
            continue
        # After a bar ("Headline | Parco Nazionale d'Abruzzo") the end part is the site even when longer.
        barred = out[len(head):].lstrip().startswith("|") and word_count(head) >= 3
        if not (len(last) <= 50 and _reads_as_name(_READING.sub("", last)) and (len(last) < len(head) or sitey or barred)):
            break
        if own_headline and not (sitey or barred):
            break
        if not sitey and word_count(head) < 3:
            break
        if out != title and not sitey and word_count(head) < 4:
            break
        out = head
    if out != title:
        return out
    first = parts[0]
    if len(parts) == 2 and _reads_as_name(first) and SITE_WORDS.search(first) and len(first) < len(parts[1]) \
            and re.search(r"\s[|»·•]\s", title[: len(first) + 4]):
        return parts[1]
    return title


def _cut_at_domain(title: str, parts: list[str]) -> str:
    """Return `title` cut before a domain name among its middle parts: the site's name and tagline follow it.

    "makrophotos von insekten » gizmeo.eu | inside the machine": a domain is the site's own name
    wherever it stands, and what comes after it is the site's too, however little it reads as a
    name ("inside the machine"). A file name ("Node.js", "report.pdf") is no domain.
    """
    at = next((k for k in range(1, len(parts) - 1)
               if _DOMAIN.fullmatch(parts[k].strip()) and not _FILE_TYPE.search(parts[k].strip())), None)
    if at is None or not _WORD.search(" ".join(parts[:at])):
        return title
    return title[: list(_SPACED_SEP.finditer(title))[at - 1].start()].rstrip()


def _split_title(title: str) -> list[str]:
    """Return the parts of a <title>: spaced separators, else the unspaced ones of Chinese and Japanese."""
    parts = _SPACED_SEP.split(title)
    return parts if len(parts) > 1 or not CJK.search(title) else _CJK_SEP.split(title)


def _colon_site(part: str) -> bool:
    """Tell a Chinese or Japanese end part that names an outlet: an outlet word, no hiragana, no sentence."""
    part = part.strip()
    return 0 < len(part) <= 25 and bool(_CJK_SITE.search(part)) and not _HIRAGANA.search(part) \
        and not re.search(r"[，。？！?!、「」『』]", part)


def _open_quote(text: str) -> bool:
    """Return True when `text` leaves a quotation open (more opening than closing marks)."""
    return text.count("«") > text.count("»") or text.count("“") > text.count("”") or text.count('"') % 2 == 1


def _reads_as_name(part: str) -> bool:
    if CJK.search(part) and " " not in part.strip():
        # Chinese and Japanese have no capitals: a short run of characters with no sentence mark
        return len(part.strip()) <= 12 and not re.search(r"[，。？！?!、]", part)
    words = part.split()
    if not words or len(words) > 6:
        return False
    # short lower-case joining words ("e", "of", "und", "и") do not stop a name
    caps = sum(w[:1].isupper() or w[:1].isdigit() or not w[:1].isalpha() or (len(w) <= 3 and w.islower()) or "'" in w
               for w in words)
    return caps >= max(1, len(words) - 1) and not part.rstrip().endswith(("?", "!"))
