#!/usr/bin/env bash
# Ingest examples/ into a fresh SQLite file and dump claims, events, series and articles as CSV
# (and JSON) into a folder, so two trees' outputs can be compared with `diff -r`.
# Usage: [SRC=other/src] scripts/store_equality.sh OUT_DIR   (from the repository root)
set -euo pipefail
out=${1:?usage: scripts/store_equality.sh OUT_DIR}
mkdir -p "$out"
db="$out/store.db"
rm -f "$db" "$db-wal" "$db-shm"
export PYTHONPATH=${SRC:-src}
sitrep=${SITREP:-/work/main/.venv/bin/sitrep}
"$sitrep" ingest examples/ --db "$db" >"$out/ingest.log" 2>&1
for what in claims events series; do
  "$sitrep" "$what" --db "$db" --format csv >"$out/$what.csv"
  "$sitrep" "$what" --db "$db" --format json >"$out/$what.json"
done
# Every stored row, less the runs and rejects tables (their start/finish times and process ids
# differ by nature between two ingests).
/work/main/.venv/bin/python - "$db" >"$out/tables.txt" <<'PY'
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
for table in ("articles", "statements", "claims", "evidence", "events", "event_claims",
              "copy_groups"):
    for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
        print(table, repr(row))
PY
