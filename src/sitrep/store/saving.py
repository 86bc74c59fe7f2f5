"""Articles in: an article with its whole extraction saved (and placed in its copy group)
in one transaction, an extraction replaced, table rows stored as pseudo-articles.

Example:
    >>> from sitrep.store import Store
    >>> store = Store.open("sqlite://")
    >>> store.save_article(Article(id="a", text="Two killed."), {"claims": []})
    True
    >>> store.known_keys([Article(id="a", text="Two killed.").key]) != set()
    True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.exc import DataError, IntegrityError

from sitrep.errors import Errors
from sitrep.model import Article

from .base import StoreBase, _chunks
from .groups import CopyChooser, Placed, _lock_articles, _place
from .inserts import (
    _delete_extraction,
    _insert_article,
    _insert_claims_bulk,
    _insert_extraction,
    _insert_keyed,
)
from .rows import InvalidRecord, _date, _extraction_json, _list
from .schema import articles, copy_groups

#: A MinHash signature for ``Store.save_table_rows``: bytes, None, or a function giving them.
MinHashBytes = bytes | Callable[[], bytes | None] | None
_PG_TABLE_IMPORT_LOCK = 0x5174_2E71  # pg_advisory_xact_lock key: one import of table rows


class SaveMethods(StoreBase):
    """``Store``'s methods that store articles and their extractions."""

    def save_article(
        self,
        article: Article,
        record: Mapping[str, Any],
        run_id: int | None = None,
        minhash: bytes | None = None,
    ) -> bool:
        """Store an article and its extraction (the contract record) in one transaction.

        Returns False, storing nothing, when an article with the same key (hash of the
        normalised text) is already stored. Raises ``InvalidRecord`` (nothing stored) when a
        value of the record cannot be stored. The article is left in no copy group
        (``add_article`` places it in one).

        Example:
            >>> from sitrep.store import Store
            >>> store = Store.open("sqlite://")
            >>> art = Article(id="a1", text="Shelling killed two civilians.")
            >>> rec = {"schema": 1, "id": "a1", "claims": [{"id": "c1", "start": 0, "end": 30,
            ...        "quantity": {"text": "two", "kind": "killed", "low": 2, "best": 2,
            ...                     "high": 2}, "evidence": [{"start": 0, "end": 30}]}]}
            >>> store.save_article(art, rec)
            True
            >>> store.claims()[0]["best"]
            2.0
        """
        return self._save(article, record, run_id, minhash, None) is not None

    def add_article(
        self,
        article: Article,
        record: Mapping[str, Any],
        run_id: int | None,
        minhash: bytes,
        copies: CopyChooser,
    ) -> Placed | None:
        """``save_article`` and the article's copy group, in one transaction; None when the
        article is already stored.

        The transaction holds the article lock from its start, so article ids grow in
        commit order and ``copies.choose`` is shown every grouped article stored since it
        last looked (an indexed range of new ids): copy groups come out as one run alone
        would make them, whatever the number of concurrent ingests. A new group's
        representative is its first article (its lowest id).

        Example:
            >>> from sitrep.store import Store
            >>> from sitrep.analyse.dedup import signature, signature_bytes
            >>> class Alone:  # a chooser that never finds a copy
            ...     seen = 0
            ...     def choose(self, article_id, minhash, news):
            ...         return None
            >>> store = Store.open("sqlite://")
            >>> art = Article(id="a", text="Two killed.")
            >>> store.add_article(art, {}, None, signature_bytes(signature(art.text)), Alone())
            Placed(article_id=1, copy_group=1, joined=False)
        """
        return self._save(article, record, run_id, minhash, copies)

    def _save(
        self,
        article: Article,
        record: Mapping[str, Any],
        run_id: int | None,
        minhash: bytes | None,
        copies: CopyChooser | None,
    ) -> Placed | None:
        row = {
            "key": article.key,
            "ext_id": article.id,
            "title": article.title,
            "url": article.url,
            "outlet": article.outlet,
            "wire": article.wire,
            "published": _date(article.published, "published"),
            "text": article.text,
            "first_run": run_id,
            "extracted_run": run_id,
            "extraction": _extraction_json(record, article.id),
            "minhash": minhash,
        }
        try:
            with self._writing() as conn:
                _lock_articles(conn)
                article_id = _insert_article(conn, row)
                if article_id is None:
                    return None
                _insert_extraction(conn, article_id, article.text, record, article.id)
                if copies is None:
                    return Placed(article_id, 0, False)  # no group: save_article
                return _place(conn, article_id, minhash, copies)
        except (IntegrityError, DataError) as exc:
            raise InvalidRecord(Errors.E308.format(article=article.id, cause=exc.orig)) from exc

    def group_article(self, article_id: int, minhash: bytes, copies: CopyChooser) -> Placed:
        """Place a stored article that has no copy group yet (``add_article`` does it for a
        new one), recording ``minhash`` as its signature. An article already in a group
        stays there (another ingest placed it meanwhile).

        Example:
            >>> from sitrep.store import Store
            >>> from sitrep.analyse.dedup import signature, signature_bytes
            >>> class Alone:
            ...     seen = 0
            ...     def choose(self, article_id, minhash, news):
            ...         return None
            >>> store = Store.open("sqlite://")
            >>> _ = store.save_article(Article(id="a", text="Two killed."), {})
            >>> store.group_article(1, signature_bytes(signature("Two killed.")), Alone())
            Placed(article_id=1, copy_group=1, joined=False)
        """
        with self._writing() as conn:
            _lock_articles(conn)
            found = conn.execute(
                select(articles.c.copy_group).where(articles.c.id == article_id)
            ).first()
            if found is None:
                raise LookupError(Errors.E309.format(value=article_id))
            if found[0] is not None:
                group = int(found[0])
                rep = conn.execute(
                    select(copy_groups.c.representative).where(copy_groups.c.id == group)
                ).scalar()
                return Placed(article_id, group, rep != article_id)
            conn.execute(
                update(articles).where(articles.c.id == article_id).values(minhash=minhash)
            )
            return _place(conn, article_id, minhash, copies)

    def replace_extraction(
        self, article_id: int, record: Mapping[str, Any], run_id: int | None = None
    ) -> None:
        """Replace an article's statements, claims, evidence and events (``--reprocess``).

        One transaction: on any failure the old extraction stays. Raises ``LookupError`` for
        an unknown article and ``InvalidRecord`` for a record that cannot be stored.

        Example:
            >>> from sitrep.store import Store
            >>> store = Store.open("sqlite://")
            >>> _ = store.save_article(Article(id="a", text="Two killed."), {"claims": []})
            >>> store.replace_extraction(store.article_ids([Article(id="a",
            ...     text="Two killed.").key]).popitem()[1], {"schema": 1, "claims": []})
        """
        try:
            with self._writing() as conn:
                found = conn.execute(
                    select(articles.c.text, articles.c.ext_id).where(articles.c.id == article_id)
                ).first()
                if found is None:
                    raise LookupError(Errors.E309.format(value=article_id))
                body, ext_id = found
                _delete_extraction(conn, article_id)
                conn.execute(
                    update(articles)
                    .where(articles.c.id == article_id)
                    .values(extraction=_extraction_json(record, ext_id), extracted_run=run_id)
                )
                _insert_extraction(conn, article_id, body, record, ext_id)
        except (IntegrityError, DataError) as exc:
            raise InvalidRecord(Errors.E308.format(article=article_id, cause=exc.orig)) from exc

    def known_keys(self, keys: Iterable[str]) -> set[str]:
        """Those of ``keys`` (``Article.key``) already stored.

        Example:
            >>> from sitrep.store import Store
            >>> Store.open("sqlite://").known_keys(["ab12"])
            set()
        """
        return set(self.article_ids(keys))

    def article_ids(self, keys: Iterable[str]) -> dict[str, int]:
        """Article row ids by key, for the keys that are stored.

        Example:
            >>> from sitrep.store import Store
            >>> store = Store.open("sqlite://")
            >>> art = Article(id="a", text="Two killed.")
            >>> _ = store.save_article(art, {})
            >>> store.article_ids([art.key]) == {art.key: 1}
            True
        """
        out: dict[str, int] = {}
        wanted = list(dict.fromkeys(keys))
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted):
                query = select(articles.c.key, articles.c.id).where(articles.c.key.in_(chunk))
                out.update({k: int(i) for k, i in conn.execute(query)})
        return out

    # (revision 0002) Rows of a table of claims (sitrep.analyse.tabular) are stored as
    # pseudo-articles with ``origin = 'table'``; sitrep.analyse.track reads claims in bulk.

    def save_table_rows(
        self,
        rows: Iterable[tuple[str, Article, Mapping[str, Any], MinHashBytes]],
        run_id: int | None = None,
    ) -> dict[str, int]:
        """Store table rows as pseudo-articles (``origin = 'table'``), all in one transaction.

        Each row is ``(key, article, record, minhash)``: ``key`` (at most 64 characters, e.g.
        a SHA-256 of the row's identity in its table) replaces the hash of the text as the
        article's identity, so a re-import finds the row again; ``minhash`` is the signature's
        bytes, None, or a function giving them, called only for a row that is written.

        A new key is stored with its claims and a copy group of its own (a table row is an
        independent source); a known key whose text and record (less its claims) are unchanged
        is left alone, so a caller puts a digest of the whole record in it; a known key whose
        text or record changed (the table was corrected) has its article and claims replaced in
        place. Returns the counts ``stored``, ``updated``, ``unchanged`` and ``claims`` (claims
        written).

        Example:
            >>> from sitrep.store import Store
            >>> from datetime import date
            >>> store = Store.open("sqlite://")
            >>> art = Article(id="t:1", text="UK MoD: 900 casualties.", published=date(2025, 1, 2))
            >>> rec = {"schema": 1, "id": "t:1", "origin": "table", "claims": [{"id": "c1",
            ...        "start": 0, "end": 23, "quantity": {"text": "900", "kind": "casualties",
            ...        "low": 900, "best": 900, "high": 900}}]}
            >>> store.save_table_rows([("k" * 64, art, rec, None)])
            {'stored': 1, 'updated': 0, 'unchanged': 0, 'claims': 1}
            >>> store.save_table_rows([("k" * 64, art, rec, None)])["unchanged"]
            1
            >>> store.article(1)["origin"]
            'table'
        """
        items = list(rows)
        counts = {"stored": 0, "updated": 0, "unchanged": 0, "claims": 0}
        if not items:
            return counts
        try:
            with self._writing() as conn:
                if conn.dialect.name == "postgresql":  # one import at a time (SQLite: _writing)
                    lock = text("SELECT pg_advisory_xact_lock(:key)")
                    conn.execute(lock, {"key": _PG_TABLE_IMPORT_LOCK})
                _lock_articles(conn)  # its rows are copy candidates too (see add_article)
                known: dict[str, tuple[int, str, str]] = {}
                for chunk in _chunks(list(dict.fromkeys(k for k, *_ in items))):
                    query = select(
                        articles.c.key, articles.c.id, articles.c.text, articles.c.extraction
                    ).where(articles.c.key.in_(chunk))
                    known.update({k: (int(i), t, x) for k, i, t, x in conn.execute(query)})
                fresh: list[tuple[str, Article, Mapping[str, Any], MinHashBytes]] = []
                seen: set[str] = set()
                for key, art, record, minhash in items:
                    if key in seen:
                        raise InvalidRecord(Errors.E312.format(row=art.id, key=key))
                    seen.add(key)
                    values: dict[str, Any] = {
                        "ext_id": art.id,
                        "title": art.title,
                        "url": art.url,
                        "outlet": art.outlet,
                        "wire": art.wire,
                        "published": _date(art.published, f"table row {art.id!r}: published"),
                        "text": art.text,
                        "extracted_run": run_id,
                        "extraction": _extraction_json(record, art.id),
                        "origin": "table",
                    }
                    if key not in known:
                        fresh.append((key, art, record, minhash))
                        continue
                    article_id, old_text, old_extraction = known[key]
                    if old_text == art.text and old_extraction == values["extraction"]:
                        counts["unchanged"] += 1
                        continue
                    values["minhash"] = minhash() if callable(minhash) else minhash
                    conn.execute(update(articles).where(articles.c.id == article_id).values(values))
                    _delete_extraction(conn, article_id)
                    _insert_extraction(conn, article_id, art.text, record, art.id)
                    counts["updated"] += 1
                    counts["claims"] += len(_list(record, "claims", art.id))
                new_rows = [
                    {
                        "key": key,
                        "ext_id": art.id,
                        "title": art.title,
                        "url": art.url,
                        "outlet": art.outlet,
                        "wire": art.wire,
                        "published": _date(art.published, f"table row {art.id!r}: published"),
                        "text": art.text,
                        "first_run": run_id,
                        "extracted_run": run_id,
                        "extraction": _extraction_json(record, art.id),
                        "minhash": minhash() if callable(minhash) else minhash,
                        "origin": "table",
                    }
                    for key, art, record, minhash in fresh
                ]
                # Plain executemany, then the ids read back by unique key: a multi-row INSERT
                # ... RETURNING of thousands of rows is slow to build on psycopg.
                new_ids = _insert_keyed(conn, articles, new_rows, ("key",))
                bulk = [
                    (article_id, art.text, record, art.id)
                    for (_key, art, record, _m), article_id in zip(fresh, new_ids, strict=True)
                ]
                counts["claims"] += _insert_claims_bulk(conn, bulk)
                group_ids = _insert_keyed(
                    conn,
                    copy_groups,
                    [{"representative": a, "size": 1} for a in new_ids],
                    ("representative",),
                )
                if new_ids:
                    conn.execute(
                        update(articles)
                        .where(articles.c.id == bindparam("article_id"))
                        .values(copy_group=bindparam("group_id")),
                        [
                            {"article_id": a, "group_id": g}
                            for a, g in zip(new_ids, group_ids, strict=True)
                        ],
                    )
                counts["stored"] = len(new_ids)
        except (IntegrityError, DataError) as exc:
            raise InvalidRecord(Errors.E313.format(cause=exc.orig)) from exc
        return counts
