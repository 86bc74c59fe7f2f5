"""The ``sitrep`` command line. It parses arguments and prints; the stages do the work.

One Typer application (``app``), its commands in modules by what they do: ``reading``
(extract, ingest), ``tables`` (the stored tables, exports, the server), ``measure`` (eval,
bench, training). Each command imports what it runs only when it runs, so the CLI starts
fast.

Example:
    >>> [c.name or c.callback.__name__ for c in app.registered_commands][:3]
    ['version', 'extract', 'ingest']
"""

from sitrep.cli import measure, reading, tables
from sitrep.cli.app import app

# Importing a module registers its commands; --help lists them in the order a user meets
# them: version, reading, the tables, measuring.
_MODULES = ["sitrep.cli.app", reading.__name__, tables.__name__, measure.__name__]
app.registered_commands.sort(key=lambda c: _MODULES.index(getattr(c.callback, "__module__", "")))


def main() -> None:
    """Entry point of the ``sitrep`` console script."""
    app()


__all__ = ["app", "main"]
