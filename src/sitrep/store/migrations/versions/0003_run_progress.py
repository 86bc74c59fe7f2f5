"""Runs say whether their process is alive: ``runs.heartbeat``, ``host``, ``pid``,
``interrupted``.

Revision ID: 0003
Revises: 0002
Create Date: 2025-02-03

An ingest records its counts and a heartbeat after each saved batch, and the process it runs
in (host and pid); the next run marks an unfinished run whose process is gone as
interrupted (``sitrep.store.db.Store.start_run``). Runs recorded before this revision have
no heartbeat: their start stands in for it. Four nullable columns: an in-place ``ALTER TABLE
... ADD COLUMN`` on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("heartbeat", sa.DateTime(timezone=True)),
    ("host", sa.Text()),
    ("pid", sa.Integer()),
    ("interrupted", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    for name, kind in _COLUMNS:
        op.add_column("runs", sa.Column(name, kind))


def downgrade() -> None:
    # SQLite 3.35+ and PostgreSQL drop a plain column in place (see revision 0002).
    for name, _kind in reversed(_COLUMNS):
        op.drop_column("runs", name)
