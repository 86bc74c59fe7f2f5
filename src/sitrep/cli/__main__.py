"""``python -m sitrep.cli``: the ``sitrep`` command."""

from sitrep.cli import main

main()
