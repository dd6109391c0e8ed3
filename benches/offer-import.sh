#!/usr/bin/env bash
# Throughput and peak memory of `archcost prices import` on a large offer file.
#
#   benches/offer-import.sh [MB]
#
# Generates a synthetic AmazonEC2 offer of about MB megabytes (default 1024) with
# benches/make_offer.py, builds the release binary, and reports wall time, MB/s and peak
# memory (/usr/bin/time -v) over three runs.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-1024}
offer=target/offer-ec2-${mb}m.json
[ -f "$offer" ] || python3 benches/make_offer.py --mb "$mb" --out "$offer"
cargo build --release --quiet
size=$(stat -c %s "$offer")
for run in 1 2 3; do
  /usr/bin/time -f "%e %M" -o target/offer-import.time \
    target/release/archcost prices import "$offer" --out target/offer-import.json --date 2026-12-03 -q
  read -r wall kib < target/offer-import.time
  awk -v s="$size" -v w="$wall" -v k="$kib" -v r="$run" \
    'BEGIN { printf "run %d: %.1f MB in %.2f s = %.0f MB/s, peak %.1f MB\n", r, s/1e6, w, s/1e6/w, k/1024 }'
done
