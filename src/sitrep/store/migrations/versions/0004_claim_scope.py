"""Claims say their scope: ``claims.scope`` ("incident", "period" or "total"), indexed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

``sitrep.extract.scope`` gives every claim a scope: one incident, a stated period, or a
running total (``annotations/GUIDE.md``, section 5); series never mix them
(``sitrep.analyse.track``). The column is nullable: claims stored before this revision have
none (the tracker then falls back on the time words and events, as before). A database taken
down to 0003 and up again gets the scopes back from each claim's stored JSON record. One
nullable column and an index: an in-place ``ALTER TABLE ... ADD COLUMN`` on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SCOPES = ("incident", "period", "total")


def upgrade() -> None:
    op.add_column("claims", sa.Column("scope", sa.String(16)))
    op.create_index("ix_claims_scope", "claims", ["scope"])
    # Rows written by a sitrep of this revision, taken down and up again: the scope is in the
    # record (json.dumps writes '"scope": "total"'; no other field of a claim is named so).
    claims = sa.table("claims", sa.column("scope"), sa.column("record"))
    for scope in _SCOPES:
        op.execute(
            claims.update()
            .where(claims.c.record.like(f'%"scope": "{scope}"%'))
            .values(scope=scope)
        )


def downgrade() -> None:
    # SQLite 3.35+ and PostgreSQL drop a plain column in place (see revision 0002); the index
    # goes first, as SQLite refuses to drop an indexed column.
    op.drop_index("ix_claims_scope", table_name="claims")
    op.drop_column("claims", "scope")
