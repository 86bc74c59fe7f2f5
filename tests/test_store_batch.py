"""Saving a batch in one transaction (``sitrep.store.batch``) leaves what saving its articles
one by one (``Store.add_article``) leaves: same rows, ids, extractions and copy groups."""

from __future__ import annotations

from typing import Any

import pytest

from sitrep.analyse.dedup import signature, signature_bytes
from sitrep.ingest import _Grouper
from sitrep.model import Article
from sitrep.store import InvalidRecord, Store
from sitrep.store.batch import add_articles

STORY = " ".join(f"word{i}" for i in range(300))


def _record(art: Article, n: int) -> dict[str, Any]:
    """A record with statements, claims (one tied to a statement), evidence and an event."""
    return {
        "schema": 1, "id": art.id,
        "statements": [{"id": "s1", "content": {"start": 0, "end": 10}, "quote": "direct"}],
        "claims": [
            {"id": f"c{j}", "start": 0, "end": 10, "statement": "s1" if j == 0 else None,
             "quantity": {"text": str(n + j), "kind": "killed", "low": n + j, "best": n + j,
                          "high": n + j},
             "evidence": [{"start": 0, "end": 10}, {"start": 2, "end": 8}]}
            for j in range(2)
        ],
        "events": [{"id": "e1", "type": "battle", "claims": ["c0", "c1"],
                    "killed": {"low": n, "best": n, "high": n}}],
    }


def _items() -> list[tuple[Article, dict[str, Any], bytes]]:
    texts = [f"Report {i}: " + " ".join(f"w{i}x{j}" for j in range(60)) for i in range(6)]
    texts.insert(2, "Reprinted. " + STORY)
    texts.insert(4, STORY + " Copyright.")  # joins the group the batch started just before
    texts.append(texts[1])  # a repeat within the batch: stored once
    arts = [Article(id=f"a{i}", text=t) for i, t in enumerate(texts)]
    return [(a, _record(a, i), signature_bytes(signature(a.text))) for i, a in enumerate(arts)]


def _snapshot(store: Store) -> dict[str, Any]:
    arts = store.articles(limit=None)
    return {
        "articles": [(a["id"], a["key"], a["copy_group"]) for a in arts],
        "records": [store.record(a["id"]) for a in arts],
        "groups": [(g["id"], g["representative"], g["size"])
                   for g in store.copy_groups(limit=None)],
        "claims": [(c["id"], c["article_id"], c["best"]) for c in store.claims(limit=None)],
    }


def test_a_batch_equals_articles_saved_one_by_one(db_url: str, tmp_path: Any) -> None:
    items = _items()
    one = Store.open(f"sqlite:///{tmp_path / 'one.db'}")
    grouper = _Grouper(one)
    singly = []
    for a, r, s in items:  # as an ingest saved articles before sitrep.store.batch
        singly.append(one.add_article(a, r, None, s, grouper))
        if singly[-1] is not None:
            grouper._kept(singly[-1])
    with Store.open(db_url) as store:
        placed = add_articles(store, items, None, _Grouper(store))
        assert [p and (p.copy_group, p.joined) for p in placed] == [
            p and (p.copy_group, p.joined) for p in singly]
        assert placed[-1] is None and placed[4] is not None and placed[4].joined
        assert _snapshot(store) == _snapshot(one)
        # Again: everything is known, nothing is added.
        assert add_articles(store, items, None, _Grouper(store)) == [None] * len(items)
    one.close()


def test_a_refused_batch_names_its_article_and_keeps_the_ones_before(store: Store) -> None:
    items = _items()[:4]
    art, record, sig = items[2]
    bad = {**record, "claims": record["claims"] + [record["claims"][0]]}  # claim id twice
    items[2] = (art, bad, sig)
    with pytest.raises(InvalidRecord, match="a2"):
        add_articles(store, items, None, _Grouper(store))
    assert [a["ext_id"] for a in store.articles(limit=None)] == ["a0", "a1"]


def _tables(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an article's save writes, by primary key."""
    from sqlalchemy import select

    from sitrep.store.schema import (
        articles,
        copy_groups,
        event_claims,
        events,
        evidence,
        statements,
    )
    from sitrep.store.schema import claims as claims_table

    tables = (articles, statements, claims_table, evidence, events, event_claims, copy_groups)
    with store.engine.connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key))]
                for t in tables}


def test_rows_prepared_by_the_worker_store_what_the_records_store(
    db_url: str, tmp_path: Any
) -> None:
    """Rows built where the article was extracted (``sitrep.store.prepared``) fill every
    table as rows built from the records here do, ids, links and JSON included."""
    from sitrep.store.prepared import prepare_or_none

    items = _items()
    with Store.open(f"sqlite:///{tmp_path / 'here.db'}") as here:
        add_articles(here, items, None, _Grouper(here))
        expected = _tables(here)
    shipped = [(a, r, s, prepare_or_none(r, a.text, a.id)) for a, r, s in items]
    assert all(item[3] is not None for item in shipped)
    with Store.open(db_url) as store:
        add_articles(store, shipped, None, _Grouper(store))
        got = _tables(store)
    assert got == expected
    assert len(got["event_claims"]) == 2 * 8 and got["statements"]


def test_a_record_the_worker_could_not_prepare_is_refused_naming_it(store: Store) -> None:
    from sitrep.store.prepared import prepare_or_none

    items = _items()[:4]
    art, record, sig = items[2]
    bad = {**record, "claims": [{**record["claims"][0], "start": "0"}]}
    shipped = [(a, r, s, prepare_or_none(r, a.text, a.id)) for a, r, s in items]
    shipped[2] = (art, bad, sig, prepare_or_none(bad, art.text, art.id))
    assert shipped[2][3] is None
    with pytest.raises(InvalidRecord, match=r"a2.*claims\[0\]\.start"):
        add_articles(store, shipped, None, _Grouper(store))
    assert store.articles(limit=None) == []  # the batch is one transaction
