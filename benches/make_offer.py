#!/usr/bin/env python3
"""Writes a synthetic AWS Price List offer file (AmazonEC2, us-east-1) of about --mb megabytes,
in the real layout: header, `products` (SKU -> product with EC2-like attributes), then `terms`
(OnDemand and Reserved, keyed SKU -> term id -> term). Filler products are EC2 instance SKUs
archcost does not price; the AmazonEC2 entries archcost does price (NAT gateway, instances, EBS)
are written with the prices of data/prices/us-east-1/2026-10-08.json, so an import succeeds.

    python3 benches/make_offer.py --mb 1024 --out target/offer-ec2-1g.json
"""
import argparse
import json
import os

UNITS = {"hours": "Hrs", "gb": "GB", "gb_months": "GB-Mo", "iops_months": "IOPS-Mo", "mibps_months": "GiBps-mo"}


def product(sku, usage_type, operation, family, filler):
    attrs = {
        "servicecode": "AmazonEC2", "location": "US East (N. Virginia)", "locationType": "AWS Region",
        "usagetype": usage_type, "operation": operation, "regionCode": "us-east-1",
        "servicename": "Amazon Elastic Compute Cloud", "marketoption": "OnDemand",
    }
    if filler:
        attrs.update({
            "instanceType": filler, "currentGeneration": "Yes", "instanceFamily": "General purpose",
            "vcpu": "8", "physicalProcessor": "Intel Xeon Platinum 8375C (Ice Lake)", "clockSpeed": "3.5 GHz",
            "memory": "32 GiB", "storage": "EBS only", "networkPerformance": "Up to 12500 Megabit",
            "processorArchitecture": "64-bit", "tenancy": "Shared", "operatingSystem": "Linux",
            "licenseModel": "No License required", "capacitystatus": "Used", "preInstalledSw": "NA",
            "dedicatedEbsThroughput": "Up to 10000 Mbps", "ecu": "NA", "enhancedNetworkingSupported": "Yes",
            "intelAvxAvailable": "Yes", "intelAvx2Available": "Yes", "intelTurboAvailable": "Yes",
            "normalizationSizeFactor": "16", "processorFeatures": "Intel AVX; Intel AVX2; Intel AVX512; Intel Turbo",
            "classicnetworkingsupport": "false", "gpuMemory": "NA", "vpcnetworkingsupport": "true",
        })
    return {"sku": sku, "productFamily": family, "attributes": attrs}


def dim(sku, term, rate, unit, usd, begin="0", end="Inf", desc="price"):
    return {"rateCode": f"{sku}.{term}.{rate}", "description": desc, "beginRange": begin, "endRange": end,
            "unit": unit, "pricePerUnit": {"USD": usd}, "appliesTo": []}


def on_demand(sku, dims):
    term = "JRTCKXETXF"
    return {f"{sku}.{term}": {"offerTermCode": term, "sku": sku, "effectiveDate": "2026-10-01T00:00:00Z",
                              "priceDimensions": {d["rateCode"]: d for d in dims}, "termAttributes": {}}}


def reserved(sku):
    out = {}
    for i, (length, option) in enumerate([("1yr", "No Upfront"), ("1yr", "Partial Upfront"), ("1yr", "All Upfront"),
                                          ("3yr", "No Upfront"), ("3yr", "Partial Upfront"), ("3yr", "All Upfront")]):
        term = f"R{i}TERMCODE"
        out[f"{sku}.{term}"] = {
            "offerTermCode": term, "sku": sku, "effectiveDate": "2026-10-01T00:00:00Z",
            "priceDimensions": {
                f"{sku}.{term}.2TG2D8R56U": dim(sku, term, "2TG2D8R56U", "Quantity", "1234.0000000000", desc="Upfront Fee"),
                f"{sku}.{term}.6YS6EN2CT7": dim(sku, term, "6YS6EN2CT7", "Hrs", "0.1000000000", desc="Linux/UNIX reserved"),
            },
            "termAttributes": {"LeaseContractLength": length, "OfferingClass": "standard", "PurchaseOption": option},
        }
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=1024)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    book = json.load(open(os.path.join(here, "..", "data/prices/us-east-1/2026-10-08.json")))
    priced = [p for p in book["prices"] if p["service_code"] == "AmazonEC2"]
    target = a.mb * 1024 * 1024
    with open(a.out, "w") as f:
        f.write('{\n  "formatVersion" : "v1.0",\n  "disclaimer" : "synthetic",\n  "offerCode" : "AmazonEC2",\n'
                '  "version" : "20261001000000",\n  "publicationDate" : "2026-10-01T00:00:00Z",\n  "products" : {\n')
        skus = []
        for i, p in enumerate(priced):
            sku = f"PRICED{i:010d}"
            skus.append((sku, p))
            family = "NAT Gateway" if "NatGateway" in p["usage_type"] else "Compute Instance"
            f.write(f'    "{sku}" : {json.dumps(product(sku, p["usage_type"], p["operation"] or "", family, None))},\n')
        # Filler until about half the target (products), the rest is terms.
        n = 0
        written = f.tell()
        per = None
        while True:
            sku = f"FILLER{n:010d}"
            line = f'    "{sku}" : {json.dumps(product(sku, f"BoxUsage:x{n % 997}.large", "RunInstances", "Compute Instance", f"x{n % 997}.large"))},\n'
            f.write(line)
            n += 1
            per = per or (len(line) + 5200)
            if n * per + written >= target:
                break
        f.write('    "END" : {"sku": "END", "productFamily": "none", "attributes": {}}\n  },\n  "terms" : {\n    "OnDemand" : {\n')
        for sku, p in skus:
            dims = [dim(sku, "JRTCKXETXF", f"R{j}", UNITS[p["unit"]],
                        f'{t["usd_per_unit"] * (1024 if p["unit"] == "mibps_months" else 1):.10f}',
                        f'{t["begin"]:g}', "Inf" if t["end"] is None else f'{t["end"]:g}')
                    for j, t in enumerate(p["tiers"])]
            f.write(f'      "{sku}" : {json.dumps(on_demand(sku, dims))},\n')
        for i in range(n):
            sku = f"FILLER{i:010d}"
            f.write(f'      "{sku}" : {json.dumps(on_demand(sku, [dim(sku, "JRTCKXETXF", "6YS6EN2CT7", "Hrs", "0.1920000000")]))},\n')
        f.write('      "END" : {}\n    },\n    "Reserved" : {\n')
        for i in range(n):
            sku = f"FILLER{i:010d}"
            f.write(f'      "{sku}" : {json.dumps(reserved(sku))}{"," if i + 1 < n else ""}\n')
        f.write('    }\n  },\n  "attributesList" : { }\n}\n')
    print(f"{a.out}: {os.path.getsize(a.out) / 1e6:.0f} MB, {n + len(skus)} products")


if __name__ == "__main__":
    main()
