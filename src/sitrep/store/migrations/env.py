"""Alembic environment for sitrep's database.

``Store.open`` (``sitrep.store.db.upgrade``) builds the alembic ``Config`` in code and hands a
connection over in ``context.config.attributes["connection"]``; the migrations then run inside the
caller's transaction. Without one (e.g. ``alembic -c cfg.ini upgrade head`` by hand), the
``sqlalchemy.url`` option names the database. Offline mode (``--sql``) writes the SQL instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from sitrep.store.schema import metadata


def run_offline() -> None:
    """Write the migration SQL for ``sqlalchemy.url``'s dialect instead of running it."""
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run the migrations on the given connection, or on one to ``sqlalchemy.url``."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection and no sqlalchemy.url to migrate")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


try:
    context.config  # noqa: B018 - set only while alembic runs this file
except AttributeError:  # imported some other way (e.g. by a doctest collector): do nothing
    pass
else:
    if context.is_offline_mode():
        run_offline()
    else:
        run_online()
