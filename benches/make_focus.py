#!/usr/bin/env python3
"""Write a synthetic FOCUS 1.0 (AWS flavour) billing export of N line items, for benchmarks.

Shape follows the columns AWS Data Exports writes for FOCUS_1_0_AWS: hourly usage lines per resource over one month, a realistic service mix, list prices
from the us-east-1 snapshot facts, and tags on roughly 70% of resources (some with case or spelling
drift, as real tag data has). Deterministic for a given --seed.

    python3 make_focus.py --rows 10000000 --out focus-10m.parquet
    python3 make_focus.py --rows 100000 --out focus-100k.csv       # CSV: Tags as a JSON string

Needs: numpy, pyarrow.
"""
import argparse, json
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pyarrow.csv as pacsv

# (ServiceName, x_ServiceCode, ServiceCategory, x_UsageType, PricingUnit, ListUnitPrice, typical hourly qty, weight)
USAGE = [
    ("Amazon Elastic Container Service", "AmazonECS", "Compute", "USE1-Fargate-vCPU-Hours:perCPU", "hours", 0.04048, 2.0, 14),
    ("Amazon Elastic Container Service", "AmazonECS", "Compute", "USE1-Fargate-GB-Hours", "hours", 0.004445, 4.0, 14),
    ("Amazon Elastic Container Service", "AmazonECS", "Compute", "USE1-SpotUsage-Fargate-vCPU-Hours:perCPU", "hours", 0.01288871, 2.0, 5),
    ("Amazon Elastic Container Service", "AmazonECS", "Compute", "USE1-SpotUsage-Fargate-GB-Hours", "hours", 0.00141527, 4.0, 5),
    ("Amazon Relational Database Service", "AmazonRDS", "Databases", "InstanceUsage:db.r7g.large", "Hrs", 0.276, 1.0, 6),
    ("Amazon Relational Database Service", "AmazonRDS", "Databases", "Aurora:StorageUsage", "GB-Mo", 0.10, 0.7, 3),
    ("Amazon Relational Database Service", "AmazonRDS", "Databases", "Aurora:StorageIOUsage", "IOs", 0.0000002, 400000.0, 3),
    ("Amazon Elastic Compute Cloud", "AmazonEC2", "Networking", "NatGateway-Hours", "Hrs", 0.045, 1.0, 4),
    ("Amazon Elastic Compute Cloud", "AmazonEC2", "Networking", "NatGateway-Bytes", "GB", 0.045, 8.0, 4),
    ("Amazon Virtual Private Cloud", "AmazonVPC", "Networking", "USE1-VpcEndpoint-Hours", "Hrs", 0.01, 1.0, 3),
    ("Amazon Virtual Private Cloud", "AmazonVPC", "Networking", "USE1-VpcEndpoint-Bytes", "GB", 0.01, 3.0, 3),
    ("Amazon Virtual Private Cloud", "AmazonVPC", "Networking", "USE1-PublicIPv4:InUseAddress", "Hrs", 0.005, 1.0, 4),
    ("Amazon DynamoDB", "AmazonDynamoDB", "Databases", "ReadRequestUnits", "ReadRequestUnits", 0.000000125, 2000000.0, 3),
    ("Amazon DynamoDB", "AmazonDynamoDB", "Databases", "WriteRequestUnits", "WriteRequestUnits", 0.000000625, 500000.0, 3),
    ("Amazon DynamoDB", "AmazonDynamoDB", "Databases", "WriteCapacityUnit-Hrs", "WriteCapacityUnit-Hrs", 0.00065, 50.0, 2),
    ("Amazon DynamoDB", "AmazonDynamoDB", "Databases", "TimedStorage-ByteHrs", "GB-Mo", 0.25, 0.05, 2),
    ("Amazon ElastiCache", "AmazonElastiCache", "Databases", "NodeUsage:cache.r7g.large", "NodeUsage", 0.219, 1.0, 3),
    ("Elastic Load Balancing", "AWSELB", "Networking", "LoadBalancerUsage", "Hrs", 0.0225, 1.0, 3),
    ("Elastic Load Balancing", "AWSELB", "Networking", "LCUUsage", "LCU-Hrs", 0.008, 6.0, 3),
    ("Amazon CloudFront", "AmazonCloudFront", "Networking", "US-DataTransfer-Out-Bytes", "GB", 0.085, 20.0, 2),
    ("Amazon Simple Storage Service", "AmazonS3", "Storage", "TimedStorage-ByteHrs", "GB-Mo", 0.023, 2.0, 4),
    ("Amazon Simple Storage Service", "AmazonS3", "Storage", "TimedStorage-INT-IA-ByteHrs", "GB-Mo", 0.0125, 3.0, 2),
    ("Amazon Simple Storage Service", "AmazonS3", "Storage", "Requests-Tier1", "Requests", 0.000005, 3000.0, 2),
    ("AmazonCloudWatch", "AmazonCloudWatch", "Management and Governance", "DataProcessing-Bytes", "GB", 0.50, 0.4, 3),
    ("AWS Key Management Service", "awskms", "Security", "us-east-1-KMS-Requests", "Requests", 0.000003, 5000.0, 1),
    ("AWS Secrets Manager", "AWSSecretsManager", "Security", "USE1-AWSSecretsManager-Secrets", "Secrets", 0.40 / 730, 1.0, 1),
]
TAG_VALUES = {
    "CostCenter": ["CC-1001", "CC-1002", "CC-2040", "cc-2040", "CC-3100"],
    "Environment": ["prod", "staging", "dev", "Prod", "production"],
    "Owner": ["payments-team", "ledger-team", "platform", "sre", "Payments-Team"],
    "application": ["core-banking", "sessions", "reporting"],
}

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", required=True, help=".parquet or .csv")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--month", default="2026-10")
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    n = a.rows
    # one resource emits ~one line per hour of a 31-day month
    n_res = max(1, n // 744)
    res_usage = rng.choice(len(USAGE), size=n_res, p=np.array([u[7] for u in USAGE], float) / sum(u[7] for u in USAGE))
    res_account = rng.integers(0, 12, size=n_res)
    res_of_row = rng.integers(0, n_res, size=n)
    hour = rng.integers(0, 744, size=n)
    u = res_usage[res_of_row]
    price = np.array([x[5] for x in USAGE])[u]
    base_qty = np.array([x[6] for x in USAGE])[u]
    qty = base_qty * rng.gamma(4.0, 0.25, size=n)
    list_cost = qty * price
    committed = rng.random(n) < 0.08  # Savings Plan covered lines
    eff = np.where(committed, list_cost * 0.72, list_cost)

    # tags per resource: ~70% carry the three required keys, some partially, some none
    r = rng.random(n_res)
    tag_json = []
    for i in range(n_res):
        t = {}
        if r[i] < 0.70:
            keys = ["CostCenter", "Environment", "Owner"]
        elif r[i] < 0.85:
            keys = ["Environment"]
        else:
            keys = []
        for k in keys + (["application"] if r[i] < 0.5 else []):
            vals = TAG_VALUES[k]
            t[k] = vals[int(rng.integers(0, len(vals)))]
        tag_json.append(t)

    names = [x[0] for x in USAGE]; codes = [x[1] for x in USAGE]; cats = [x[2] for x in USAGE]
    uts = [x[3] for x in USAGE]; units = [x[4] for x in USAGE]
    start = np.datetime64(a.month + "-01T00:00:00", "ms")
    cps = start + hour.astype("timedelta64[h]")
    cpe = cps + np.timedelta64(1, "h")
    y, m = map(int, a.month.split("-"))
    bpe = np.datetime64(f"{y + (m == 12):04d}-{(m % 12) + 1:02d}-01T00:00:00", "ms")
    res_ids = np.array([f"arn:aws:{codes[res_usage[i]].lower()}:us-east-1:{100000000000 + res_account[i]}:resource/r-{i:08x}" for i in range(n_res)])
    cols = {
        "BilledCost": pa.array(np.where(committed, 0.0, list_cost)),
        "BillingAccountId": pa.array(np.full(n, "999999999999")),
        "BillingCurrency": pa.array(np.full(n, "USD")),
        "BillingPeriodStart": pa.array(np.full(n, start)),
        "BillingPeriodEnd": pa.array(np.full(n, bpe)),
        "ChargeCategory": pa.array(np.full(n, "Usage")),
        "ChargeDescription": pa.DictionaryArray.from_arrays(pa.array(u.astype(np.int32)), pa.array([f"{x[3]} in US East (N. Virginia)" for x in USAGE])),
        "ChargePeriodStart": pa.array(cps),
        "ChargePeriodEnd": pa.array(cpe),
        "CommitmentDiscountCategory": pa.array(np.where(committed, "Spend", None)),
        "EffectiveCost": pa.array(eff),
        "ListCost": pa.array(list_cost),
        "ListUnitPrice": pa.array(price),
        "PricingCategory": pa.array(np.where(committed, "Committed", "Standard")),
        "PricingQuantity": pa.array(qty),
        "PricingUnit": pa.DictionaryArray.from_arrays(pa.array(u.astype(np.int32)), pa.array(units)),
        "ProviderName": pa.array(np.full(n, "AWS")),
        "RegionId": pa.array(np.full(n, "us-east-1")),
        "ResourceId": pa.array(res_ids[res_of_row]),
        "ServiceCategory": pa.DictionaryArray.from_arrays(pa.array(u.astype(np.int32)), pa.array(cats)),
        "ServiceName": pa.DictionaryArray.from_arrays(pa.array(u.astype(np.int32)), pa.array(names)),
        "SubAccountId": pa.array((100000000000 + res_account[res_of_row]).astype(str)),
        "x_ServiceCode": pa.DictionaryArray.from_arrays(pa.array(u.astype(np.int32)), pa.array(codes)),
        "x_UsageType": pa.DictionaryArray.from_arrays(pa.array(u.astype(np.int32)), pa.array(uts)),
    }
    if a.out.endswith(".parquet"):
        tag_arr = pa.array([list(t.items()) for t in tag_json], type=pa.map_(pa.string(), pa.string()))
        cols["Tags"] = tag_arr.take(pa.array(res_of_row))
        pq.write_table(pa.table(cols), a.out, compression="zstd", row_group_size=1_000_000)
    elif a.out.endswith(".csv"):
        tag_arr = pa.array([json.dumps(t) if t else None for t in tag_json])
        cols["Tags"] = tag_arr.take(pa.array(res_of_row))
        cols = {k: (v.dictionary_decode() if isinstance(v, pa.DictionaryArray) else v) for k, v in cols.items()}
        pacsv.write_csv(pa.table(cols), a.out)
    else:
        raise SystemExit("--out must end in .parquet or .csv")

if __name__ == "__main__":
    main()
