#!/usr/bin/env bash
# Time to reconcile the reference model with a 1,000,000-line FOCUS export.
#
#   benches/reconcile-1m.sh [ROWS] [FILE.parquet|FILE.csv]
#
# Generates the export with benches/make_focus.py (needs numpy and pyarrow), builds
# the release binary, and reports whole-process time and peak memory with /usr/bin/time -v.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
out=${2:-target/focus-${rows}.parquet}
[ -f "$out" ] || python3 benches/make_focus.py --rows "$rows" --out "$out"
cargo build --release --quiet
for run in 1 2 3; do
  /usr/bin/time -f "run $run: %e s wall, %M KiB peak" \
    target/release/archcost reconcile --model models/fintech-global-platform.yaml --actuals "$out" > /dev/null
done
