"""Attribution: who said what, read off the dependency parse of one paragraph.

A statement is a reporting cue (a verb such as "said", a noun such as "claim", "according
to", the ":" of a quote line), its source (the speaker phrase) and its content (the clause
or quote reported).

Two layers work together:

* **Rules** follow the shapes news prose uses: ``X said (that) ...``, ``"...," X said``,
  ``X said: "..."``, ``according to X, ...``, and a cue with no subject of its own borrowing
  its head's ("..., adding that ..."). Which lemmas count as cues is data
  (``attribution.json``).
* **A learned model** (``attribution_model.json``, trained on PolNeAR by
  ``sitrep.train.attribution``) decides which tokens are cues, which noun phrase is
  the source and which token heads the content, then rescores each whole statement
  (cue confidence, how clearly its content and source beat the runners-up, kind of
  speaker, shape of the content, nesting in another statement). Cue, source and content
  are linear scorers over sparse string features of the parse neighbourhood; the rules'
  decisions are among their features, so the model keeps what they get right and adds
  the broader cues PolNeAR marks ("called", "wants", "attacked", "support", "report",
  ...). The cue scorer also reads one dense feature: the logit of a small transformer
  fine-tuned to spot cue heads (``encoder.py``), which sees the words around a cue the
  parse features miss ("relies principally on", "went right back to"). The statement
  rescorer is a small boosted tree ensemble (``tree_score``), since those signals count
  in combination. Scoring is dict look-ups, sums and numpy: no machine-learning library
  is needed at run time, and the model is read once per process.

Speaker spans are the source's noun phrase without a trailing relative clause; a content
touching a quote next to the cue is the whole quote (``quote="direct"``). Quote marks are
data too (``quote_marks``: straight, curly, guillemets and the doubled apostrophe ``''``).
When the model file is absent the rules alone run.
"""

from __future__ import annotations

from sitrep.extract.attribution.decode import content_tokens, decode, speaker_tokens
from sitrep.extract.attribution.features import (
    content_candidates,
    content_features,
    cue_features,
    is_cue_candidate,
    source_candidates,
    source_features,
)
from sitrep.extract.attribution.find import find_attributions
from sitrep.extract.attribution.line_rules import (
    LEAD_IN,
    lead_in_attributions,
    line_credit_attributions,
)
from sitrep.extract.attribution.parse import (
    CUE_POS,
    CUE_PUNCT,
    FRAME_DEPS,
    SOURCE_DEPS,
    SOURCE_POS,
    Parse,
)
from sitrep.extract.attribution.quotes import quote_regions
from sitrep.extract.attribution.results import Attribution
from sitrep.extract.attribution.rules import (
    CONTENT_DEPS,
    SUBJECT_DEPS,
    rule_attributions,
    toll_attributions,
)
from sitrep.extract.attribution.scoring import (
    MODEL_FILE,
    SIGNALS,
    linear_score,
    statement_features,
    statement_signals,
    tree_score,
)

__all__ = [
    "CONTENT_DEPS",
    "CUE_POS",
    "CUE_PUNCT",
    "FRAME_DEPS",
    "LEAD_IN",
    "MODEL_FILE",
    "SIGNALS",
    "SOURCE_DEPS",
    "SOURCE_POS",
    "SUBJECT_DEPS",
    "Attribution",
    "Parse",
    "content_candidates",
    "content_features",
    "content_tokens",
    "cue_features",
    "decode",
    "find_attributions",
    "is_cue_candidate",
    "lead_in_attributions",
    "line_credit_attributions",
    "linear_score",
    "quote_regions",
    "rule_attributions",
    "source_candidates",
    "source_features",
    "speaker_tokens",
    "statement_features",
    "statement_signals",
    "toll_attributions",
    "tree_score",
]
