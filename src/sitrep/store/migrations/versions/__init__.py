"""Alembic revisions of the sitrep database, oldest first."""
