#!/usr/bin/env bash
# Snapshot `sitrep extract` output on every bundled example and on the first N articles of
# the shared dev pool, to prove a refactor changes nothing (issue 16: byte-identical outputs).
#
#   scripts/extract_snapshot.sh DIR            # write DIR/*.jsonl from this tree
#   scripts/extract_snapshot.sh DIR REF_DIR    # ... then cmp each file against REF_DIR
#
# Env: PYTHON (default .venv/bin/python, else python3), SHARED (default ../shared), N (60).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: $0 DIR [REF_DIR]}
ref=${2:-}
PY=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}
SHARED=${SHARED:-../shared}
N=${N:-60}
mkdir -p "$out"
run() { PYTHONPATH=src "$PY" -c 'from sitrep.cli import main; main()' extract "$@"; }

run examples/articles.jsonl > "$out/articles.jsonl"
run examples/feeds/frontline.rss > "$out/feeds.jsonl"
run examples/archives/cc-news-sample.warc.gz > "$out/archives.jsonl"
run examples/pages/zaporizhzhia-strike.html > "$out/pages.jsonl"
run --published 2024-01-01 examples/wire/pokrovsk-ap.txt examples/wire/pokrovsk-ap-copy.txt \
  > "$out/wire.jsonl"
if [ -f "$SHARED/data/news_dev_pool.jsonl" ]; then
  head -n "$N" "$SHARED/data/news_dev_pool.jsonl" > "$out/dev_pool_input.jsonl"
  run "$out/dev_pool_input.jsonl" > "$out/dev_pool.jsonl"
  rm "$out/dev_pool_input.jsonl"
fi

if [ -n "$ref" ]; then
  status=0
  for f in "$ref"/*.jsonl; do
    if cmp "$f" "$out/$(basename "$f")"; then echo "identical: $(basename "$f")"; else status=1; fi
  done
  exit $status
fi
