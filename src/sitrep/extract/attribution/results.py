"""The record of one reported statement (``Attribution``).

Part of ``sitrep.extract.attribution`` (see its docstring).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Attribution:
    """One reported speech act in a paragraph; offsets are into ``doc.text``."""

    cue: tuple[int, int]
    cue_text: str
    content: tuple[int, int]
    quote: str  # "direct" or "indirect"
    speaker: tuple[int, int] | None = None
    speaker_text: str | None = None
    speaker_root: int | None = None  # token index of the speaker's head noun
    cue_token: int = 0
    rule: str = ""
    hedges: list[str] = field(default_factory=list)
    score: float = 1.0  # the model's confidence in the statement (1.0 for rules alone)
    speaker_score: float = 1.0  # the model's probability that the speaker is the source
    # What the decoder saw (cue logit, margins over the runner-up content and source heads):
    # the statement model's inputs, not part of the record.
    signals: dict[str, float] = field(default_factory=dict, repr=False)
