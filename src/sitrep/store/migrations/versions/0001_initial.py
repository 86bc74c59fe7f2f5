"""Initial schema: runs, articles, copy groups, statements, claims, evidence, events, rejects.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

The tables are spelled out here rather than taken from ``sitrep.store.schema``: a revision is a
frozen record of what it did, while the schema module moves on with later revisions.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _num(name: str) -> sa.Column[float]:
    return sa.Column(name, sa.Float(precision=53))


def _estimate(name: str) -> list[sa.Column[float]]:
    return [_num(f"{name}_{part}") for part in ("low", "best", "high")]


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished", sa.DateTime(timezone=True)),
        sa.Column("extractor_version", sa.String(64)),
        sa.Column("command", sa.Text()),
        sa.Column("read", sa.Integer(), nullable=False),
        sa.Column("stored", sa.Integer(), nullable=False),
        sa.Column("known", sa.Integer(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("ext_id", sa.Text()),
        sa.Column("title", sa.Text()),
        sa.Column("url", sa.Text()),
        sa.Column("outlet", sa.Text()),
        sa.Column("wire", sa.Text()),
        sa.Column("published", sa.Date()),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("copy_group", sa.Integer()),
        sa.Column("first_run", sa.Integer()),
        sa.Column("extracted_run", sa.Integer()),
        sa.Column("extraction", sa.Text(), nullable=False),
        sa.Column("minhash", sa.LargeBinary()),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("key", name="uq_articles_key"),
        sa.ForeignKeyConstraint(
            ["first_run"], ["runs.id"], name="fk_articles_first_run_runs", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["extracted_run"],
            ["runs.id"],
            name="fk_articles_extracted_run_runs",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_outlet", "articles", ["outlet"])
    op.create_index("ix_articles_copy_group", "articles", ["copy_group"])
    op.create_table(
        "copy_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("representative", sa.Integer()),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_copy_groups"),
        sa.ForeignKeyConstraint(
            ["representative"],
            ["articles.id"],
            name="fk_copy_groups_representative_articles",
            ondelete="SET NULL",
        ),
    )
    # articles and copy_groups point at each other: the second reference is added afterwards
    # (a plain ALTER on PostgreSQL, a table copy on SQLite).
    with op.batch_alter_table("articles") as batch:
        batch.create_foreign_key(
            "fk_articles_copy_group_copy_groups",
            "copy_groups",
            ["copy_group"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("sid", sa.Text(), nullable=False),
        sa.Column("speaker_text", sa.Text()),
        sa.Column("speaker_name", sa.Text()),
        sa.Column("speaker_role", sa.Text()),
        sa.Column("speaker_antecedent", sa.Text()),
        sa.Column("speaker_anonymous", sa.Boolean()),
        sa.Column("speaker_country", sa.String(8)),
        sa.Column("speaker_side", sa.Text()),
        sa.Column("cue", sa.Text()),
        sa.Column("quote", sa.String(16)),
        sa.Column("content_start", sa.Integer()),
        sa.Column("content_end", sa.Integer()),
        sa.Column("content", sa.Text()),
        sa.Column("record", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_statements"),
        sa.UniqueConstraint("article_id", "sid", name="uq_statements_article_id_sid"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_statements_article_id_articles",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_statements_speaker_country", "statements", ["speaker_country"])
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("cid", sa.Text(), nullable=False),
        sa.Column("char_start", sa.Integer(), nullable=False),
        sa.Column("char_end", sa.Integer(), nullable=False),
        sa.Column("sentence", sa.Text()),
        sa.Column("kind", sa.String(32), nullable=False),
        _num("low"),
        _num("best"),
        _num("high"),
        sa.Column("approx", sa.String(16)),
        sa.Column("quantity", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text()),
        sa.Column("currency", sa.String(8)),
        sa.Column("rule", sa.Text()),
        sa.Column("speaker_text", sa.Text()),
        sa.Column("speaker_name", sa.Text()),
        sa.Column("speaker_role", sa.Text()),
        sa.Column("speaker_antecedent", sa.Text()),
        sa.Column("speaker_anonymous", sa.Boolean()),
        sa.Column("speaker_country", sa.String(8)),
        sa.Column("speaker_side", sa.Text()),
        sa.Column("cue", sa.Text()),
        sa.Column("quote", sa.String(16)),
        sa.Column("subject_text", sa.Text()),
        sa.Column("subject_actor", sa.Text()),
        sa.Column("subject_country", sa.String(8)),
        sa.Column("place_text", sa.Text()),
        sa.Column("place_name", sa.Text()),
        sa.Column("place_country", sa.String(8)),
        sa.Column("admin1", sa.Text()),
        sa.Column("iso3166_2", sa.String(16)),
        _num("lat"),
        _num("lon"),
        sa.Column("place_precision", sa.String(16)),
        sa.Column("time_text", sa.Text()),
        sa.Column("time_start", sa.Date()),
        sa.Column("time_end", sa.Date()),
        sa.Column("time_precision", sa.String(16)),
        sa.Column("said_on", sa.Date()),
        sa.Column("statement_sid", sa.Text()),
        sa.Column("statement_id", sa.Integer()),
        sa.Column("record", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
        sa.UniqueConstraint("article_id", "cid", name="uq_claims_article_id_cid"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_claims_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name="fk_claims_statement_id_statements",
            ondelete="SET NULL",
        ),
    )
    for column in (
        "statement_id",
        "kind",
        "subject_country",
        "speaker_country",
        "place_country",
        "said_on",
    ):
        op.create_index(f"ix_claims_{column}", "claims", [column])
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("char_start", sa.Integer(), nullable=False),
        sa.Column("char_end", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_evidence"),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name="fk_evidence_claim_id_claims", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_evidence_claim_id", "evidence", ["claim_id"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("eid", sa.Text(), nullable=False),
        sa.Column("type", sa.Text()),
        sa.Column("date_start", sa.Date()),
        sa.Column("date_end", sa.Date()),
        sa.Column("date_precision", sa.String(16)),
        sa.Column("country", sa.String(8)),
        sa.Column("admin1", sa.Text()),
        sa.Column("iso3166_2", sa.String(16)),
        sa.Column("location", sa.Text()),
        _num("lat"),
        _num("lon"),
        sa.Column("where_precision", sa.String(16)),
        sa.Column("side_a", sa.Text()),
        sa.Column("side_b", sa.Text()),
        *_estimate("killed"),
        *_estimate("wounded"),
        *_estimate("captured"),
        *_estimate("missing"),
        sa.Column("record", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.UniqueConstraint("article_id", "eid", name="uq_events_article_id_eid"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_events_article_id_articles",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_events_country", "events", ["country"])
    op.create_index("ix_events_date_start", "events", ["date_start"])
    op.create_table(
        "event_claims",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "claim_id", name="pk_event_claims"),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name="fk_event_claims_event_id_events", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name="fk_event_claims_claim_id_claims", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_event_claims_claim_id", "event_claims", ["claim_id"])
    op.create_table(
        "rejects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer()),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rejects"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name="fk_rejects_run_id_runs", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_rejects_run_id", "rejects", ["run_id"])


def downgrade() -> None:
    for table in (
        "rejects",
        "event_claims",
        "events",
        "evidence",
        "claims",
        "statements",
    ):
        op.drop_table(table)
    with op.batch_alter_table("articles") as batch:
        batch.drop_constraint("fk_articles_copy_group_copy_groups", type_="foreignkey")
    op.drop_table("copy_groups")
    op.drop_table("articles")
    op.drop_table("runs")
