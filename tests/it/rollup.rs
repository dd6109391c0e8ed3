//! Parquet exports read through the rollup (`src/actuals/parquet_rollup.rs`) and through polars
//! give the same bill. tests/fixtures/rollup/ has the same nine FOCUS lines (make.py) PLAIN
//! with data pages v1, dictionary-encoded with data pages v2, in a page per line (a column
//! whose first pages are alike and later ones not), and with a DELTA_BYTE_ARRAY column that
//! only polars reads:
//!
//! | line | service | charge | effective USD | quantity | tags |
//! |---|---|---|---|---|---|
//! | r1, r2 | ECS | usage | 10 + 5.5 | 1 + 2 | CostCenter=x, Environment=prod |
//! | r3 | ECS | credit | −3 | 0 | the same |
//! | r8 | ECS | usage | 1 | 1 | the same, in the other order |
//! | r4 | RDS | usage | 0 | 4 | Environment with a null value |
//! | r6 | RDS | usage | 2 | 1 | an empty map |
//! | r7 | RDS | usage | null | 3 | a null map |
//! | r5 | S3 (no ServiceName, no resource) | tax | 7.25 | null | a null map |
//! | r9 | AWS Support (Business) (no resource) | purchase | 100 | 1 | a null map |
//!
//! A purchase is support when its ServiceName says so: the rollup must read the name in the
//! row group that holds r9 even though every line has an x_ServiceCode.
//!
//! Taggable (usage on a resource): 10 + 5.5 + 1 + 0 + 2 + 0 = 18.5; CostCenter and Environment
//! (non-empty) on r1, r2, r8: 16.5 / 18.5 = 89.189%.

use serde_json::Value;

use crate::util::*;

const LAYOUTS: [&str; 4] = [
    "plain-v1.parquet",
    "dict-v2.parquet",
    "pages.parquet",
    "delta.parquet",
];

fn fixture(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rollup")
        .join(name)
        .display()
        .to_string()
}

/// The JSON a command prints for a layout, with the file name taken out of `source`.
fn report(args: &[&str], layout: &str) -> Value {
    let s = Sandbox::new("rollup");
    let path = fixture(layout);
    let mut full: Vec<&str> = vec![args[0], &path];
    full.extend_from_slice(&args[1..]);
    full.extend(["--format", "json"]);
    let run = s.run(&full);
    assert_success(&run);
    let mut doc = json(&run);
    doc["source"] = Value::Null;
    doc
}

#[test]
fn spend_is_the_same_from_every_parquet_layout() {
    let args = ["spend", "--by", "service,tag:CostCenter"];
    let first = report(&args, LAYOUTS[0]);
    for layout in &LAYOUTS[1..] {
        assert_eq!(report(&args, layout), first, "{layout}");
    }
    // ECS: usage 10 + 5.5 + 1 = 16.5 and the −3 credit; S3: the 7.25 tax; RDS: usage
    // 0 + 2 + 0 (a null cost) = 2.
    let text = first.to_string();
    let rows = first["rows"].as_array().expect("rows");
    let row = |service: &str| {
        rows.iter()
            .find(|r| r["keys"][0] == service)
            .unwrap_or_else(|| panic!("{service} in {text}"))
    };
    assert_usd(row("AmazonECS")["usage_usd"].as_f64().unwrap(), 16.5);
    assert_usd(row("AmazonECS")["credit_usd"].as_f64().unwrap(), -3.0);
    assert_usd(row("AmazonS3")["tax_usd"].as_f64().unwrap(), 7.25);
    assert_usd(row("AmazonRDS")["usage_usd"].as_f64().unwrap(), 2.0);
    // Support, not a commitment purchase: the name was read.
    assert_usd(
        row("AWSSupportBusiness")["other_usd"].as_f64().unwrap(),
        100.0,
    );
    assert_usd(
        row("AWSSupportBusiness")["commitment_usd"]
            .as_f64()
            .unwrap(),
        0.0,
    );
}

#[test]
fn tag_coverage_is_the_same_from_every_parquet_layout() {
    let args = ["tags", "--require", "CostCenter,Environment", "--top", "5"];
    let first = report(&args, LAYOUTS[0]);
    for layout in &LAYOUTS[1..] {
        assert_eq!(report(&args, layout), first, "{layout}");
    }
    let all = &first["overall"];
    assert_usd(all["cost_usd"].as_f64().unwrap(), 18.5);
    assert_usd(
        all["all_keys_percent"].as_f64().unwrap(),
        16.5 / 18.5 * 100.0,
    );
}

#[test]
fn reconcile_reads_the_same_actuals_from_every_parquet_layout() {
    // Usage at list cost (ListCost where it is above 0 or BilledCost is 0, else BilledCost):
    // ECS 10 + 5.5 + 1 = 16.5, RDS 4 (r4: billed 0, list 4) + 2 + 1.5 = 7.5; the credit −3 and
    // the tax 7.25 as billed.
    let totals = |layout: &str| {
        let actuals = archcost::actuals::export::read(
            &[std::path::PathBuf::from(fixture(layout))],
            None,
            "fixture",
        )
        .expect("read");
        let mut by: std::collections::BTreeMap<String, f64> = Default::default();
        for row in actuals.month("2026-10").expect("October") {
            *by.entry(format!("{} {:?}", row.service_code, row.category))
                .or_default() += row.cost_usd;
        }
        by
    };
    let first = totals(LAYOUTS[0]);
    for layout in &LAYOUTS[1..] {
        let other = totals(layout);
        assert_eq!(
            other.keys().collect::<Vec<_>>(),
            first.keys().collect::<Vec<_>>()
        );
        for (k, v) in &first {
            assert_usd(other[k], *v);
        }
    }
    assert_usd(first["AmazonECS Usage"], 16.5);
    assert_usd(first["AmazonRDS Usage"], 7.5);
    assert_usd(first["AmazonECS Credit"], -3.0);
    assert_usd(first["AmazonS3 Tax"], 7.25);
    assert_usd(first["AWSSupportBusiness Support"], 100.0);
}

#[test]
fn a_damaged_parquet_export_is_a_clear_error_not_a_panic() {
    // dict-v2.parquet cut in half, and with every 37th byte from 200 to 2000 flipped (inside
    // its column chunks: a snappy page no longer decompresses, a tag map runs short). Polars'
    // own reader panics on the second; the rollup finds it first and says so.
    let s = Sandbox::new("rollup-damaged");
    let bytes = std::fs::read(fixture("dict-v2.parquet")).expect("fixture");
    std::fs::write(s.dir.join("cut.parquet"), &bytes[..bytes.len() / 2]).expect("write");
    let mut flipped = bytes.clone();
    for i in (200..2000).step_by(37) {
        flipped[i] ^= 0x5a;
    }
    std::fs::write(s.dir.join("flipped.parquet"), &flipped).expect("write");
    for (file, said) in [
        ("cut.parquet", "The file must end with PAR1"),
        ("flipped.parquet", "not valid Parquet"),
    ] {
        for args in [
            vec!["spend", file, "--by", "service"],
            vec!["tags", file, "--require", "CostCenter"],
        ] {
            let run = s.run(&args);
            assert_user_error(&run, &format!("error: {file}"), &[said]);
        }
    }
}
