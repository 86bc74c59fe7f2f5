"""Articles say where they came from: ``articles.origin`` ("text" or "table").

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-15

Claims imported from tables (``sitrep.analyse.tabular``: The Economist's casualty estimates,
the Ukrainian General Staff's daily losses) live in one pseudo-article per table row, marked
``origin = 'table'``; every article stored before this revision was read from text, which is
the column's server default, so existing rows need no rewrite (rows whose stored extraction
says ``"origin": "table"``, left by a downgrade and upgrade again, are marked back). Adding a
column with a constant default is an in-place ``ALTER TABLE ... ADD COLUMN`` on both SQLite and
PostgreSQL (no table copy, no rewrite on PostgreSQL 11+).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "articles",
        sa.Column("origin", sa.String(16), nullable=False, server_default="text"),
    )
    # A database taken down to 0001 and up again keeps its imported rows marked: their stored
    # extraction says ``"origin": "table"`` (sitrep.analyse.tabular writes it).
    articles = sa.table("articles", sa.column("origin"), sa.column("extraction"))
    op.execute(
        articles.update()
        .where(articles.c.extraction.like('%"origin": "table"%'))
        .values(origin="table")
    )


def downgrade() -> None:
    # SQLite 3.35+ and PostgreSQL both drop a plain column in place. (A batch "move and copy"
    # on SQLite would drop and recreate ``articles``, which with foreign keys on would cascade
    # into claims.) The imported pseudo-articles stay, as ordinary articles.
    op.drop_column("articles", "origin")
