"""The copy chooser a run hands to ``sitrep.store.batch.add_articles``: an in-memory LSH.

An ingest's own process (``sitrep.ingest``) and a worker that saves its batches
(``sitrep.run.writing``) choose copy groups the same way: the grouped articles the store
shows are taken into the LSH, the article being placed is matched against it, and the
article is kept under its group (or under ``-article_id`` when it starts a group of its
batch, relabelled once the batch's groups have ids). They differ only in what ``seen``
means, so the difference is one hook (``_take_in``) and one flag.

Example:
    >>> from sitrep.analyse.dedup import signature, signature_bytes
    >>> chooser = LshChooser()
    >>> sig = signature_bytes(signature("Two soldiers were killed in Kharkiv on Monday."))
    >>> chooser.choose(1, sig, []) is None
    True
    >>> chooser.keep(1, -1); chooser.relabel({-1: 7})
    >>> chooser.choose(2, sig, [])
    7
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sitrep.analyse.dedup import CopyGrouper, signature_values
from sitrep.store.db import GroupedArticle


class LshChooser:
    """Chooses an article's copy group from the grouped articles taken in so far.

    ``ids_in_order``: ids grow in commit order (one writer), so ``seen`` is the highest id
    taken in; where workers save articles under ids reserved beforehand it is a floor,
    moved by the caller.
    """

    ids_in_order = True

    def __init__(self) -> None:
        self.lsh = CopyGrouper()
        self.seen = 0
        self._current: tuple[int, Any] | None = None  # the article being placed, its MinHash
        self._labelled: list[int] = []  # kept under a temporary label, until relabel

    def _take_in(self, news: list[GroupedArticle]) -> None:
        for aid, group, sig in news:
            if sig is not None:
                self.lsh.keep(aid, group, signature_values(sig))
            self.seen = max(self.seen, aid)

    def choose(
        self, article_id: int, minhash: bytes | None, news: list[GroupedArticle]
    ) -> int | None:
        """Take in ``news`` (grouped articles stored since ``seen``); the group the article
        joins, or None. Called by the store inside the article's transaction."""
        self._take_in(news)
        if minhash is None:
            self._current = None
            return None
        m = signature_values(minhash)
        self._current = (article_id, m)
        return self.lsh.match(m)

    def keep(self, article_id: int, label: int) -> None:
        """Keep the article just chosen for under ``label`` (``-article_id``: a group its
        batch starts), so that its batch's later articles can join it."""
        if self._current is not None and self._current[0] == article_id:
            self.lsh.keep(article_id, label, self._current[1])
            if label < 0:
                self._labelled.append(article_id)
        self._current = None
        if self.ids_in_order:
            self.seen = max(self.seen, article_id)

    def relabel(self, labels: Mapping[int, int]) -> None:
        """The batch's new groups got their ids: relabel the articles kept under ``-id``."""
        group_of = self.lsh.group_of
        for aid in self._labelled:
            label = group_of.get(aid)
            if label is not None and label in labels:
                group_of[aid] = labels[label]
        self._labelled = []
