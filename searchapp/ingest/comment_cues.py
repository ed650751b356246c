"""The words that open a page's comment section, shared by the line model and the listing splitter.

The line model marks a comment-section line as a feature (linemodel.py); the listing splitter
takes no date under the page's comment-section heading for an article's (split.py). They share
these words, so a cue learnt for one language reaches both. Each adds its own few: the model the
ones it was trained with, the splitter the section headings it was written on.
"""
from __future__ import annotations

# Alternatives of one regular expression group, case-insensitive.
COMMENT_SECTION = (r"comments?|leave a (?:reply|comment)|add (?:a )?comment|post a comment|join the discussion|responses?"
                   r"|комментари\w*|оставить комментарий|написать комментарий|kommentare|commentaires|comentarios|коментарі")
