"""The ``Doc`` extensions sitrep's pipeline steps write, registered on request.

As textacy does, registering is an explicit call, not a side effect of importing a module:
every sitrep factory calls ``set_extensions`` when spaCy builds its step, and so does
``load_pipeline``; code that reads the attributes outside a pipeline calls it first.

Example:
    >>> import spacy
    >>> set_extensions()
    >>> spacy.blank("en")("Two died.")._.quantities is None
    True
"""

from __future__ import annotations

from spacy.tokens import Doc

#: Attribute under ``doc._`` -> what the step writes there.
EXTENSIONS: dict[str, str] = {
    "quantities": "numbers read as intervals with a kind (sitrep_quantities)",
    "actors": "parties named, with their country (sitrep_actors)",
    "places": "places geocoded offline (sitrep_places)",
    "times": "time expressions resolved against the publication date (sitrep_times)",
    "cue_logits": "per-token reporting-cue logits of the encoder (sitrep_cue_encoder)",
    "cue_states": "per-token final hidden states of the same pass (sitrep_cue_encoder)",
    "attributions": "reported statements: speaker, cue, content (sitrep_attribution)",
}


def set_extensions(force: bool = False) -> None:
    """Register every attribute of ``EXTENSIONS`` on ``Doc`` (default None); one already
    there is kept unless ``force``."""
    for name in EXTENSIONS:
        if force or not Doc.has_extension(name):
            Doc.set_extension(name, default=None, force=force)


def remove_extensions() -> None:
    """Unregister sitrep's ``Doc`` attributes (a host pipeline that wants its names back)."""
    for name in EXTENSIONS:
        if Doc.has_extension(name):
            Doc.remove_extension(name)
