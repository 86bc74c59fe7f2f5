"""Claims: numbers tied to who said them, about whom, where and when, across an article.

The per-paragraph steps (``components``) find quantities, actors, places, times and
attributions; this package works at article level, where the paragraphs meet:

* speakers are described (name, role, anonymous, country); a definite, pronoun, short-name
  or acronym speaker ("the official", "it", "Reznikov", "the IDF") points back to the
  article's earlier, fuller mention that agrees with it (``speakers``, over ``mentions``);
* a figure in a clause a cue governs, or in a quotation that continues a direct quote, keeps
  that statement's speaker (``statements``);
* each quantity becomes a claim carrying the statement whose content holds it (or the
  outlet's narration when none does), its subject and side, place, time, ``said_on`` and
  scope (``paragraph``);
* a claim stated twice by one speaker (paraphrase, then direct quote), or repeated without
  attribution in a headline, is one claim with several pieces of evidence (``assemble``);
* every field decided by a rule or a fallback carries a reason.

Modules import one way: ``spans``, ``mentions`` → ``speakers``; ``statements`` →
``paragraph`` → ``assemble``.
"""

from sitrep.extract.claims.assemble import ArticleResult, assemble
from sitrep.extract.claims.mentions import Mention, article_mentions
from sitrep.extract.claims.speakers import name_span_contains

__all__ = ["ArticleResult", "Mention", "article_mentions", "assemble", "name_span_contains"]
