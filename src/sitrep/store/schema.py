"""The database schema of sitrep, as SQLAlchemy Core tables.

This module describes the schema at the *head* revision. The database itself is created and
upgraded only by the alembic revisions in ``sitrep/store/migrations/versions``; a test checks
that migrating an empty database gives exactly these tables.

Offsets are character offsets into ``articles.text``. Every extraction row keeps the contract's
JSON for that record in its ``record`` column (JSON text), so nothing of the record is lost by
flattening; the flat columns are there to be queried.

Example:
    >>> sorted(metadata.tables)[:3]
    ['articles', 'claims', 'copy_groups']
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

#: Constraint names are fixed by convention so later migrations can name them (SQLite's batch
#: mode needs names to drop or alter a constraint).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

#: Double precision on PostgreSQL, REAL on SQLite: money amounts reach 1e10 and beyond.
Number = Float(precision=53)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started", DateTime(timezone=True), nullable=False),
    Column("finished", DateTime(timezone=True)),
    Column("extractor_version", String(64)),
    Column("command", Text),
    Column("read", Integer, nullable=False, default=0),
    Column("stored", Integer, nullable=False, default=0),
    Column("known", Integer, nullable=False, default=0),
    Column("copies", Integer, nullable=False, default=0),
    Column("rejected", Integer, nullable=False, default=0),
    # (revision 0003) Liveness: the last saved batch (``heartbeat``), the process (``host``:
    # the host name and a tag of its boot and PID namespace, ``pid``), and when a later run
    # found that process gone before the run finished (``interrupted``).
    Column("heartbeat", DateTime(timezone=True)),
    Column("host", Text),
    Column("pid", Integer),
    Column("interrupted", DateTime(timezone=True)),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(64), nullable=False, unique=True),  # Article.key
    Column("ext_id", Text),  # Article.id, as the source named it
    Column("title", Text),
    Column("url", Text),
    Column("outlet", Text),
    Column("wire", Text),
    Column("published", Date),
    Column("text", Text, nullable=False),
    Column(
        "copy_group",
        Integer,
        ForeignKey("copy_groups.id", ondelete="SET NULL", use_alter=True),
    ),
    Column("first_run", Integer, ForeignKey("runs.id", ondelete="SET NULL")),
    Column("extracted_run", Integer, ForeignKey("runs.id", ondelete="SET NULL")),
    # The contract record less statements, claims and events: schema, id, published, times,
    # places and any field a later schema adds.
    Column("extraction", Text, nullable=False),
    # MinHash signature of the text (sitrep.analyse.dedup), so copy groups survive restarts.
    Column("minhash", LargeBinary),
    # Where the row came from (revision 0002): "text", an article read and extracted (the
    # default), or "table", one row of a table of claims brought in by
    # sitrep.analyse.tabular.import_claims: its ``text`` is the row written out, its ``key`` a
    # hash of the row's identity in its table, its claims are the row's figures.
    Column("origin", String(16), nullable=False, server_default="text"),
    Index(None, "published"),
    Index(None, "outlet"),
    Index(None, "copy_group"),
)

copy_groups = Table(
    "copy_groups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("representative", Integer, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("size", Integer, nullable=False, default=0),
)

statements = Table(
    "statements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("sid", Text, nullable=False),  # the statement's id within its article
    Column("speaker_text", Text),
    Column("speaker_name", Text),
    Column("speaker_role", Text),
    Column("speaker_antecedent", Text),
    Column("speaker_anonymous", Boolean),
    Column("speaker_country", String(8)),
    Column("speaker_side", Text),
    Column("cue", Text),
    Column("quote", String(16)),
    Column("content_start", Integer),
    Column("content_end", Integer),
    Column("content", Text),  # the article text between content_start and content_end
    Column("record", Text, nullable=False),
    UniqueConstraint("article_id", "sid"),
    Index(None, "speaker_country"),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("cid", Text, nullable=False),  # the claim's id within its article
    Column("char_start", Integer, nullable=False),  # the sentence that states it
    Column("char_end", Integer, nullable=False),
    Column("sentence", Text),
    Column("kind", String(32), nullable=False),
    Column("low", Number),
    Column("best", Number),
    Column("high", Number),
    Column("approx", String(16)),
    Column("quantity", Text, nullable=False),  # the quantity's text
    Column("unit", Text),
    Column("currency", String(8)),
    Column("rule", Text),
    Column("speaker_text", Text),
    Column("speaker_name", Text),
    Column("speaker_role", Text),
    Column("speaker_antecedent", Text),
    Column("speaker_anonymous", Boolean),
    Column("speaker_country", String(8)),
    Column("speaker_side", Text),
    Column("cue", Text),
    Column("quote", String(16)),
    Column("subject_text", Text),
    Column("subject_actor", Text),
    Column("subject_country", String(8)),
    Column("place_text", Text),
    Column("place_name", Text),
    Column("place_country", String(8)),
    Column("admin1", Text),
    Column("iso3166_2", String(16)),
    Column("lat", Number),
    Column("lon", Number),
    Column("place_precision", String(16)),
    Column("time_text", Text),
    Column("time_start", Date),
    Column("time_end", Date),
    Column("time_precision", String(16)),
    Column("said_on", Date),
    Column("statement_sid", Text),
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="SET NULL")),
    Column("record", Text, nullable=False),
    # (revision 0004) "incident", "period" or "total" (sitrep.extract.scope); None for claims
    # stored before it.
    Column("scope", String(16)),
    UniqueConstraint("article_id", "cid"),
    Index(None, "statement_id"),
    Index(None, "kind"),
    Index(None, "subject_country"),
    Index(None, "speaker_country"),
    Index(None, "place_country"),
    Index(None, "said_on"),
    Index(None, "scope"),
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("char_start", Integer, nullable=False),
    Column("char_end", Integer, nullable=False),
    Index(None, "claim_id"),
)


def _estimate(name: str) -> list[Column[float]]:
    return [Column(f"{name}_{part}", Number) for part in ("low", "best", "high")]


events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("eid", Text, nullable=False),  # the event's id within its article
    Column("type", Text),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("date_precision", String(16)),
    Column("country", String(8)),
    Column("admin1", Text),
    Column("iso3166_2", String(16)),
    Column("location", Text),
    Column("lat", Number),
    Column("lon", Number),
    Column("where_precision", String(16)),
    Column("side_a", Text),
    Column("side_b", Text),
    *_estimate("killed"),
    *_estimate("wounded"),
    *_estimate("captured"),
    *_estimate("missing"),
    Column("record", Text, nullable=False),
    UniqueConstraint("article_id", "eid"),
    Index(None, "country"),
    Index(None, "date_start"),
)

event_claims = Table(
    "event_claims",
    metadata,
    Column(
        "event_id",
        Integer,
        ForeignKey("events.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "claim_id",
        Integer,
        ForeignKey("claims.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Index(None, "claim_id"),
)

rejects = Table(
    "rejects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE")),
    Column("location", Text, nullable=False),  # where: "FILE:LINE", a URL, an article id
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index(None, "run_id"),
)
