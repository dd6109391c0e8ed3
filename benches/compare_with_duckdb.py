#!/usr/bin/env python3
"""Checks archcost's answers against DuckDB's on the same export (benches/billing_vs_duckdb.sh).

    python3 compare_with_duckdb.py DUCKDB.json SPEND.json TAGS.json

DUCKDB.json is what benches/anchor_duckdb.py --json wrote; SPEND.json is
`archcost spend FILE --by service,usage-type --format json`; TAGS.json is
`archcost tags FILE --require CostCenter,Environment,Owner --include-untaggable --top 20 --format json`.

Q1: effective cost and quantity per usage type (summed over services on both sides, since
archcost files rows by service code and DuckDB by service name). Q2: overall coverage of each key
and of all three, and the coverage per service. Q3: the 20 costliest resources lacking a key, in
order, with their cost. Costs must agree to 1e-9 relative; exits 1 on the first difference.
"""
import json, sys
from collections import defaultdict

TOLERANCE = 1e-9
KEYS = ["CostCenter", "Environment", "Owner"]


def close(a, b):
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))


def fail(what):
    print(f"differs: {what}")
    sys.exit(1)


def main():
    duck = json.load(open(sys.argv[1]))["results"]
    spend = json.load(open(sys.argv[2]))
    tags = json.load(open(sys.argv[3]))

    # Q1
    want = defaultdict(lambda: [0.0, 0.0])
    for _service, usage_type, eff, _list, qty in duck["q1"]:
        want[usage_type][0] += eff
        want[usage_type][1] += qty
    got = defaultdict(lambda: [0.0, 0.0])
    for row in spend["rows"]:
        got[row["keys"][1]][0] += row["total_usd"]
        got[row["keys"][1]][1] += row["quantity"]
    if set(want) != set(got):
        fail(f"Q1 usage types {sorted(set(want) ^ set(got))}")
    for u in want:
        if not (close(want[u][0], got[u][0]) and close(want[u][1], got[u][1])):
            fail(f"Q1 {u}: DuckDB {want[u]}, archcost {got[u]}")

    # Q2
    overall = tags["overall"]
    shares = {k["key"]: k["percent"] / 100 for k in overall["by_key"]}
    shares["all"] = overall["all_keys_percent"] / 100
    for key, duck_share in zip(KEYS + ["all"], duck["q2_overall"][0]):
        if not close(shares[key], duck_share):
            fail(f"Q2 coverage of {key}: DuckDB {duck_share}, archcost {shares[key]}")
    # DuckDB groups by ServiceName, archcost by service code: compare the sets of shares.
    duck_by_service = sorted(tuple(round(x, 9) for x in row[1:]) for row in duck["q2_by_service"])
    ours = []
    for s in tags["by_service"]:
        per = {k["key"]: k["percent"] / 100 for k in s["by_key"]}
        ours.append(tuple(round(x, 9) for x in [per[k] for k in KEYS] + [s["all_keys_percent"] / 100]))
    if duck_by_service != sorted(ours):
        fail(f"Q2 by service: DuckDB {duck_by_service}, archcost {sorted(ours)}")

    # Q3
    top = tags["untagged"][:20]
    if len(top) != len(duck["q3"]):
        fail(f"Q3 has {len(top)} resources, DuckDB {len(duck['q3'])}")
    for (resource, eff), ours in zip(duck["q3"], top):
        if resource != ours["resource"] or not close(eff, ours["cost_usd"]):
            fail(f"Q3 {resource} {eff} against {ours['resource']} {ours['cost_usd']}")
    print(f"equal to DuckDB's answers ({len(want)} usage types, {len(duck['q2_by_service'])} services, "
          f"{len(top)} untagged resources; costs to {TOLERANCE} relative)")


if __name__ == "__main__":
    main()
