#!/usr/bin/env bash
# archcost against DuckDB on the same FOCUS export: the three questions of a monthly review.
#
#   benches/billing_vs_duckdb.sh [ROWS ...]        (default: 1000000 10000000 50000000)
#
# Makes its own Python environment (target/bench-venv: numpy, pyarrow, duckdb), generates each
# export with benches/make_focus.py (target/focus-ROWS.parquet, not committed), builds the release
# binary, then runs both tools alternately ROUNDS times (default 3) and prints the median wall
# times, the ratio archcost / DuckDB and peak memory:
#   Q1 spend by service and usage type  = archcost spend FILE --by service,usage-type
#   Q2 coverage of the three keys        = archcost tags FILE --require CostCenter,Environment,Owner --include-untaggable
#   Q3 the 20 costliest untagged         = (the same tags run, --top 20)
# DuckDB's times are its own per-query timings (benches/anchor_duckdb.py, 2 threads); archcost's
# are whole-process wall times from /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
venv=target/bench-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import numpy, pyarrow, duckdb" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check numpy pyarrow duckdb
fi
cargo build --release --quiet
bin=target/release/archcost
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
printf '| lines | Q1 DuckDB s | Q1 archcost s | ratio | Q2+Q3 DuckDB s | Q2+Q3 archcost s | ratio | archcost peak MB | DuckDB peak MB |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for rows in "${@:-1000000 10000000 50000000}"; do
  for r in $rows; do
    file=target/focus-$r.parquet
    [ -f "$file" ] || "$venv/bin/python" benches/make_focus.py --rows "$r" --out "$file" > /dev/null
    : > target/bench-q1d; : > target/bench-q23d; : > target/bench-q1a; : > target/bench-q23a
    dpeak=0; apeak=0
    for _ in $(seq "$rounds"); do
      /usr/bin/time -f "%M" -o target/bench-mem "$venv/bin/python" benches/anchor_duckdb.py "$file" --threads 2 --json target/bench-duckdb.json > /dev/null
      dpeak=$(( $(cat target/bench-mem) > dpeak ? $(cat target/bench-mem) : dpeak ))
      "$venv/bin/python" -c "import json; t=json.load(open('target/bench-duckdb.json'))['times']; print(t['q1']); print(t['q2']+t['q3'], file=open('target/bench-q23d','a'))" >> target/bench-q1d
      /usr/bin/time -f "%e %M" -o target/bench-time "$bin" spend "$file" --by service,usage-type --format csv > /dev/null
      read -r s m < target/bench-time; echo "$s" >> target/bench-q1a; apeak=$(( m > apeak ? m : apeak ))
      /usr/bin/time -f "%e %M" -o target/bench-time "$bin" tags "$file" --require CostCenter,Environment,Owner --include-untaggable --top 20 --format json > /dev/null
      read -r s m < target/bench-time; echo "$s" >> target/bench-q23a; apeak=$(( m > apeak ? m : apeak ))
    done
    q1d=$(median < target/bench-q1d); q1a=$(median < target/bench-q1a)
    q23d=$(median < target/bench-q23d); q23a=$(median < target/bench-q23a)
    awk -v r="$r" -v a="$q1d" -v b="$q1a" -v c="$q23d" -v d="$q23a" -v ap="$apeak" -v dp="$dpeak" \
      'BEGIN { printf "| %d | %.3f | %.3f | %.2f | %.3f | %.3f | %.2f | %.0f | %.0f |\n", r, a, b, b/a, c, d, d/c, ap/1024, dp/1024 }'
  done
done
