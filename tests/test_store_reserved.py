"""Workers that save their own batches (PostgreSQL, ``sitrep.store.reserved``): batches
committed out of input order leave what one process saving them in order leaves, and a batch
saved again (its worker died after the commit) adds nothing and counts nothing twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sitrep.ingest import _Grouper
from sitrep.run.writing import _ReservedGrouper
from sitrep.store import Store
from sitrep.store.batch import add_articles
from sitrep.store.reserved import add_reserved, reserve_article_ids
from test_store_batch import _items


def _by_key(store: Store) -> dict[str, Any]:
    """Articles in id order, copy groups by their representative, claims: by article key
    (the groups' own ids are given at commit)."""
    arts = store.articles(limit=None)
    key_of = {a["id"]: a["key"] for a in arts}
    groups: dict[str, list[str]] = {}
    reps = {g["id"]: key_of[g["representative"]] for g in store.copy_groups(limit=None)}
    sizes = {reps[g["id"]]: g["size"] for g in store.copy_groups(limit=None)}
    for a in arts:
        groups.setdefault(reps[a["copy_group"]], []).append(a["key"])
    claims = sorted((key_of[c["article_id"]], c["best"]) for c in store.claims(limit=None))
    return {"order": [a["key"] for a in arts], "groups": groups, "sizes": sizes,
            "claims": claims}


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_batches_committed_out_of_order_equal_one_process_in_order(
    db_url: str, tmp_path: Path
) -> None:
    # Less the last, a repeat of an earlier article: the ingesting process keeps a repeat of
    # an article still out off the workers (it counts it known).
    items = _items()[:-1]
    with Store.open(f"sqlite:///{tmp_path / 'one.db'}") as one:
        add_articles(one, items, None, _Grouper(one))
        expected = _by_key(one)
    with Store.open(db_url) as store:
        run = store.start_run("test")
        ids = reserve_article_ids(store, len(items))
        assert ids == sorted(ids) and len(set(ids)) == len(items)
        first, second = slice(0, 4), slice(4, None)
        # The second batch commits first (two workers), each worker with its own grouper;
        # both were sent while the first was out: the floor is the first batch's first id.
        late = add_reserved(store, items[second], ids[second], run,
                            _ReservedGrouper(store, ids[0]))
        early = add_reserved(store, items[first], ids[first], run,
                             _ReservedGrouper(store, ids[0]))
        placed = early + late
        # The reprint (4) came first and started the group; the earlier copy (2) joined it
        # and represents it now, as in the one-process run.
        assert placed[4] is not None and not placed[4].joined
        assert placed[2] is not None and placed[2].joined
        assert _by_key(store) == expected
        counts = store.run(run)
        assert (counts["stored"], counts["known"], counts["copies"]) == (8, 0, 1)

        # The first batch again (its worker died after the commit; the scheduler reran it):
        # nothing added, its articles reported stored, the run's counts unchanged.
        again = add_reserved(store, items[first], ids[first], run,
                             _ReservedGrouper(store, ids[0]))
        assert [p and (p.article_id, p.copy_group) for p in again] == [
            p and (p.article_id, p.copy_group) for p in early]
        assert _by_key(store) == expected
        assert store.run(run)["stored"] == 8 and store.run(run)["known"] == 0


def test_reserving_ids_needs_postgresql(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'x.db'}") as store, pytest.raises(
        ValueError, match=r"^\[E336\]"
    ):
        reserve_article_ids(store, 3)
