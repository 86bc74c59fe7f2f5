"""Alembic migrations of the sitrep database (run by ``Store.open``; no alembic.ini needed)."""
