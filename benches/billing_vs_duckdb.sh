#!/usr/bin/env bash
# archcost against DuckDB on the same FOCUS export: the three questions of a monthly review.
#
#   benches/billing_vs_duckdb.sh [ROWS ...]        (default: 1000000 10000000 50000000)
#
# Makes its own Python environment (target/bench-venv: numpy, pyarrow, duckdb), generates each
# export with benches/make_focus.py (target/focus-ROWS.parquet; above 10M lines, a folder of
# 10M-line parts with different seeds, target/focus-ROWS/part-N.parquet, read as a glob by both
# tools, since the generator holds a whole export in memory; not committed), builds the release
# binary, then runs both tools alternately ROUNDS times (default 3) and prints the median wall
# times, the ratio archcost / DuckDB and peak memory:
#   Q1 spend by service and usage type  = archcost spend FILE --by service,usage-type
#   Q2 coverage of the three keys        = archcost tags FILE --require CostCenter,Environment,Owner --include-untaggable
#   Q3 the 20 costliest untagged         = (the same tags run, --top 20)
#   reconcile                            = archcost reconcile --model models/fintech-global-platform.yaml --actuals FILE,
#                                          against DuckDB's Q1 + Q2 + Q3 (it reads the same columns and more)
# DuckDB's times are its own per-query timings (benches/anchor_duckdb.py, 2 threads); archcost's
# are whole-process wall times from /usr/bin/time. Peak memory is the largest resident set of
# any archcost run (spend, tags or reconcile) and of the DuckDB process. After the table, each
# size's answers are checked against DuckDB's (benches/compare_with_duckdb.py: costs to 1e-9
# relative); the script fails if they differ.
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
model=models/fintech-global-platform.yaml
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# The export of R lines: one file up to 10M lines, else parts of 10M.
export_of() {
  local r=$1
  if [ "$r" -le 10000000 ]; then
    local file=target/focus-$r.parquet
    [ -f "$file" ] || "$venv/bin/python" benches/make_focus.py --rows "$r" --out "$file" > /dev/null
    echo "$file"
  else
    local dir=target/focus-$r parts=$(( (r + 9999999) / 10000000 ))
    mkdir -p "$dir"
    for i in $(seq "$parts"); do
      [ -f "$dir/part-$i.parquet" ] || "$venv/bin/python" benches/make_focus.py \
        --rows $(( r / parts )) --seed "$i" --out "$dir/part-$i.parquet" > /dev/null
    done
    echo "$dir/*.parquet"
  fi
}
: > target/bench-checks
printf '| lines | Q1 DuckDB s | Q1 archcost s | ratio | Q2+Q3 DuckDB s | Q2+Q3 archcost s | ratio | Q1–Q3 DuckDB s | reconcile s | ratio | archcost peak MB | DuckDB peak MB |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|---|\n'
for r in ${@:-1000000 10000000 50000000}; do
  src=$(export_of "$r")
  for f in q1d q23d alld q1a q23a reca; do : > "target/bench-$f"; done
  dpeak=0; apeak=0
  for _ in $(seq "$rounds"); do
    /usr/bin/time -f "%M" -o target/bench-mem "$venv/bin/python" benches/anchor_duckdb.py "$src" --threads 2 --json target/bench-duckdb.json > /dev/null
    dpeak=$(( $(cat target/bench-mem) > dpeak ? $(cat target/bench-mem) : dpeak ))
    "$venv/bin/python" -c "
import json
t = json.load(open('target/bench-duckdb.json'))['times']
print(t['q1'], file=open('target/bench-q1d', 'a'))
print(t['q2'] + t['q3'], file=open('target/bench-q23d', 'a'))
print(t['q1'] + t['q2'] + t['q3'], file=open('target/bench-alld', 'a'))"
    run() {
      local out=$1; shift
      /usr/bin/time -f "%e %M" -o target/bench-time "$@" > /dev/null
      read -r s m < target/bench-time; echo "$s" >> "$out"; apeak=$(( m > apeak ? m : apeak ))
    }
    run target/bench-q1a "$bin" spend "$src" --by service,usage-type --format json --output target/bench-spend.json
    run target/bench-q23a "$bin" tags "$src" --require CostCenter,Environment,Owner --include-untaggable --top 20 \
      --format json --output target/bench-tags.json
    run target/bench-reca "$bin" reconcile --model "$model" --actuals "$src" --format json --quiet
  done
  q1d=$(median < target/bench-q1d); q1a=$(median < target/bench-q1a)
  q23d=$(median < target/bench-q23d); q23a=$(median < target/bench-q23a)
  alld=$(median < target/bench-alld); reca=$(median < target/bench-reca)
  awk -v r="$r" -v a="$q1d" -v b="$q1a" -v c="$q23d" -v d="$q23a" -v e="$alld" -v f="$reca" -v ap="$apeak" -v dp="$dpeak" \
    'BEGIN { printf "| %d | %.3f | %.3f | %.2f | %.3f | %.3f | %.2f | %.3f | %.3f | %.2f | %.0f | %.0f |\n", r, a, b, b/a, c, d, d/c, e, f, f/e, ap/1024, dp/1024 }'
  echo "$r lines: $("$venv/bin/python" benches/compare_with_duckdb.py target/bench-duckdb.json target/bench-spend.json target/bench-tags.json)" >> target/bench-checks
done
echo
cat target/bench-checks
! grep -q differs target/bench-checks
