"""The words that introduce an author, shared by every reader of bylines.

Four readers look for bylines, each for its own job: the extractor reads the author from a
header block (extract.py), the dump cleaner marks header lines around the article (dump_clean.py),
the headline picker refuses a byline as a headline (headline.py), and the dump's byline reader
finds a name between headline and article (page_bylines.py). They share these cue words, so a
cue learnt for one language reaches all four.
"""
from __future__ import annotations

import re

# A labelled byline opening a line: "By Jane Roe", "Written by", "Автор: Иван Петров", "Текст: ...".
LABELLED = r"by\b|written\s+by\b|posted\s+by\b|author:|автор:|автор\s|текст:"
# A verb of writing or publishing and its "by" ("Written by", "Posted by", "Geschrieben von",
# "Veröffentlicht von"): a byline cue in itself.
WRITTEN_BY = r"(?:written|posted|published|words|geschrieben|verfasst|veröffentlicht|publiziert)\s+(?:by|von)"
# The same cue in German, French, Spanish and Portuguese, Italian, Dutch, Swedish and Danish ("von Olga Berg").
FOREIGN = r"von|par|por|di|door|av|af"
# A byline cue and nothing else on its line ("By", "von", "Author:", "Текст:"): the page linked the
# name, so the dump put it on the next line (a lone ":" may stand between).
CUE_ALONE = re.compile(rf"^\W*(?:by|written\s+by|posted\s+by|{FOREIGN}|autor|auteur|author|автор(?:ы)?|"
                       rf"текст|text)\s*[:：]?\s*$", re.I)
# A person's name alone on a line: two to four capitalised Latin or Cyrillic words ("Rob Picheta").
PERSON = re.compile(r"^(?:[A-Z\u0410-\u042f\u0401][a-z\u0430-\u044f\u0451'’-]+\.?\s){1,3}"
                    r"[A-Z\u0410-\u042f\u0401][a-z\u0430-\u044f\u0451'’-]+$")

# The role a byline or an author field may name after the person ("Diplomatic editor", "AP Chief
# Medical Writer", "Staff Photographer"): a job, not a co-author's name.
ROLE = frozenset("""editor correspondent reporter writer columnist critic contributor producer presenter analyst
    photographer корреспондент обозреватель редактор""".split())
