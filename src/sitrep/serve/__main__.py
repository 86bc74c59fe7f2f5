"""``python -m sitrep.serve --db sitrep.db --host 127.0.0.1 --port 8000``: serve the dashboard.

The same as ``sitrep serve``; writes need ``$SITREP_TOKEN``.
"""

from __future__ import annotations

import argparse

from sitrep.serve import run_server


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m sitrep.serve", description=__doc__)
    parser.add_argument("--db", default=None, help="SQLite file or PostgreSQL URL "
                        "(default: $SITREP_DB or sitrep.db)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args(argv)
    run_server(args.db, host=args.host, port=args.port, log_level=args.log_level,
               workers=args.workers)


if __name__ == "__main__":
    main()
