"""sitrep.store: the database (SQLAlchemy Core; SQLite in one file or PostgreSQL).

Example:
    >>> from sitrep.store import Store
    >>> with Store.open("sqlite://") as store:
    ...     store.known_keys(["0" * 64])
    set()
"""

from .db import (
    ARTICLE_SORTS,
    CLAIM_SORTS,
    DEFAULT_DB,
    ENV_VAR,
    EVENT_SORTS,
    RUN_COUNTS,
    STATEMENT_SORTS,
    InvalidRecord,
    NoSuchDatabase,
    Store,
    StoreError,
    alembic_config,
    create_store_engine,
    current_revision,
    display_url,
    downgrade,
    head_revision,
    resolve_url,
    upgrade,
)
from .schema import metadata

__all__ = [
    "ARTICLE_SORTS",
    "CLAIM_SORTS",
    "DEFAULT_DB",
    "ENV_VAR",
    "EVENT_SORTS",
    "RUN_COUNTS",
    "STATEMENT_SORTS",
    "InvalidRecord",
    "NoSuchDatabase",
    "Store",
    "StoreError",
    "alembic_config",
    "create_store_engine",
    "current_revision",
    "display_url",
    "downgrade",
    "head_revision",
    "metadata",
    "resolve_url",
    "upgrade",
]
