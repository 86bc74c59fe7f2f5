"""``sitrep bench``: the whole extraction beside bare spaCy, timed in one run.

Each side runs in a fresh process (so peak memory is its own): bare spaCy is
``nlp.pipe`` of the same model over the same paragraphs with the same number of processes;
sitrep is ``sitrep.run.Runner.extract`` (statements, claims, events, times), with
``focus="all"`` (every paragraph parsed) and, when asked, ``focus="claims"`` (the paragraphs
the first pass keeps).
Model loading is not timed. The result gives articles/s, words/s, the ratio sitrep / bare
spaCy and peak RSS.

Example:
    >>> texts = ["Shelling killed two civilians in Kherson, officials said."] * 3
    >>> figures = run_bench(texts, n_process=1)
    >>> {"articles", "bare_spacy", "sitrep", "ratio"} <= set(figures)
    True
"""

from __future__ import annotations

import json
import multiprocessing as mp
import resource
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from sitrep.errors import Errors

#: The corpora under ``shared/data`` that ``sitrep bench`` can take by name, and the number of
#: articles each gives by default. "news" (the default): full real articles of four outlet
#: groups, taken evenly through the pool so that each group is in; "reference": the PolNeAR
#: articles and UCDP headlines the earlier benches used, repeated in order.
CORPORA: dict[str, tuple[tuple[str, ...], int]] = {
    "news": (("news_dev_pool.jsonl",), 200),
    "reference": (("polnear_attribution_dev.jsonl", "ucdp_ukraine_dev.jsonl"), 2000),
}
DEFAULT_CORPUS = "news"
DEFAULT_SIZE = CORPORA[DEFAULT_CORPUS][1]


def default_corpus(
    shared: Path, size: int | None = None, name: str = DEFAULT_CORPUS
) -> list[str]:
    """Real article texts from ``shared/data`` (see ``CORPORA``): ``size`` articles (default:
    the corpus's own), spread evenly through a larger file, repeated in order when the file is
    smaller; empty when the folder is absent.

    Example:
        >>> default_corpus(Path("/no/such/folder"))
        []
    """
    if name not in CORPORA:
        raise ValueError(Errors.E006.format(value=name, choices=", ".join(CORPORA)))
    files, default_size = CORPORA[name]
    size = size or default_size
    texts: list[str] = []
    for file in files:
        path = shared / "data" / file
        if path.is_file():
            with path.open(encoding="utf-8") as fh:
                texts.extend(json.loads(line)["text"] for line in fh if line.strip())
    if not texts:
        return []
    if len(texts) > size:
        return [texts[i * len(texts) // size] for i in range(size)]
    return [texts[i % len(texts)] for i in range(size)]


def read_corpus(path: Path, size: int | None = None) -> list[str]:
    """Texts of a JSON Lines corpus in the contract's input shape (``text`` field)."""
    texts = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                texts.append(json.loads(line)["text"])
    if size:
        texts = [texts[i % len(texts)] for i in range(size)]
    return texts


def _paragraphs(texts: list[str]) -> Iterator[str]:
    from sitrep.extract.pipeline import paragraphs

    for text in texts:
        for _off, para in paragraphs(text):
            yield para


def _peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _run_bare(texts: list[str], n_process: int) -> dict[str, float]:
    import spacy

    from sitrep.extract.pipeline import DEFAULT_MODEL

    nlp = spacy.load(DEFAULT_MODEL)
    paras = list(_paragraphs(texts))
    start = time.perf_counter()
    for _doc in nlp.pipe(paras, batch_size=256, n_process=n_process):
        pass
    return {"seconds": time.perf_counter() - start, "peak_rss_mib": _peak_mib()}


def _run_sitrep(texts: list[str], n_process: int, focus: str = "all") -> dict[str, float]:
    from sitrep.extract.pipeline import ExtractOptions
    from sitrep.model import Article
    from sitrep.run import Runner

    arts = [Article(id=str(i), text=t, published=date(2024, 1, 1)) for i, t in enumerate(texts)]
    with Runner(ExtractOptions(workers=n_process, focus=focus)) as runner:
        start = time.perf_counter()
        n = sum(1 for _ in runner.extract(arts))
        seconds = time.perf_counter() - start
    assert n == len(arts)
    return {"seconds": seconds, "peak_rss_mib": _peak_mib()}


def _in_fresh_process(func: Any, *args: Any) -> dict[str, float]:
    # A pool's workers are daemonic and may not start processes of their own, which spaCy's
    # n_process needs: one plain spawned process per side instead.
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        result: dict[str, float] = pool.submit(func, *args).result()
    return result


def run_bench(
    texts: list[str], n_process: int = 1, focuses: tuple[str, ...] = ("all",)
) -> dict[str, Any]:
    """Time sitrep and bare spaCy on ``texts``; return the figures (see module docstring).

    Each focus in ``focuses`` is one sitrep side: ``sitrep`` for ``"all"``, ``sitrep_claims``
    for ``"claims"``, each with its ``ratio`` / ``ratio_claims`` to bare spaCy.
    """
    words = sum(len(t.split()) for t in texts)
    out: dict[str, Any] = {"articles": len(texts), "words": words, "n_process": n_process}
    sides: list[tuple[str, Any, tuple[Any, ...]]] = [("bare_spacy", _run_bare, ())]
    sides += [(_side(f), _run_sitrep, (f,)) for f in focuses]
    for name, func, extra in sides:
        r = _in_fresh_process(func, texts, n_process, *extra)
        out[name] = {
            "seconds": round(r["seconds"], 2),
            "articles_per_s": round(len(texts) / r["seconds"], 1),
            "words_per_s": round(words / r["seconds"]),
            "peak_rss_mib": round(r["peak_rss_mib"], 1),
        }
    for f in focuses:
        ratio = out[_side(f)]["words_per_s"] / out["bare_spacy"]["words_per_s"]
        out["ratio" if f == "all" else f"ratio_{f}"] = round(ratio, 2)
    return out


def _side(focus: str) -> str:
    return "sitrep" if focus == "all" else f"sitrep_{focus}"


def _profile_steps(texts: list[str], focus: str) -> dict[str, float]:
    """Seconds per step of one extraction, each step run over all paragraphs in turn."""
    from sitrep.extract.pipeline import ExtractOptions, Extractor, extract_record
    from sitrep.model import Article

    extractor = Extractor(ExtractOptions(focus=focus))
    nlp = extractor.nlp
    arts = [Article(id=str(i), text=t, published=date(2024, 1, 1)) for i, t in enumerate(texts)]
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    keys, docs = extractor.prepare(arts)
    seconds["tokenizer" if focus == "all" else "tokenizer + first pass"] = (
        time.perf_counter() - start)
    for name, step in nlp.pipeline:
        start = time.perf_counter()
        if hasattr(step, "pipe"):
            docs = list(step.pipe(docs, batch_size=extractor.options.batch_size))
        else:
            docs = [step(doc) for doc in docs]
        seconds[name] = time.perf_counter() - start
    per_article: list[list[Any]] = [[] for _ in arts]
    for (ai, off), doc in zip(keys, docs, strict=True):
        per_article[ai].append((off, doc))
    start = time.perf_counter()
    for art, paras in zip(arts, per_article, strict=True):
        extract_record(art, paras)
    seconds["records (claims, events)"] = time.perf_counter() - start
    return seconds


def profile(texts: list[str], focus: str = "all") -> dict[str, dict[str, float]]:
    """Where an extraction's time goes: seconds and % of the total per step, one process.

    The steps are the tokenizer (and, with ``focus="claims"``, the first pass), each
    component of the pipeline (the model's and sitrep's) and the assembly of records. Each
    step runs over every paragraph before the next starts, so the sum is close to, not equal
    to, a streamed extraction's time.

    Example:
        >>> steps = profile(["Shelling killed two civilians in Kherson, officials said."])
        >>> round(sum(s["share"] for s in steps.values()))
        100
    """
    seconds = _in_fresh_process(_profile_steps, texts, focus)
    total = sum(seconds.values()) or 1.0
    return {name: {"seconds": round(sec, 2), "share": round(100 * sec / total, 1)}
            for name, sec in seconds.items()}
