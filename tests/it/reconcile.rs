//! Reconciliation against actual spend: hand-computed variances, price and usage effects, and
//! the same month given as Cost Explorer JSON, CUR 2.0 and FOCUS (CSV, CSV.gz, Parquet) giving
//! the same reconciliation.
//!
//! The fixture (tests/fixtures/reconcile/) is a platform of two Fargate tasks (1 vCPU / 2 GB)
//! and two NAT gateways sending 1,000 GB a month to the internet, estimated for October 2026
//! (744 hours):
//!
//! | line | model | bill |
//! |---|---|---|
//! | Fargate vCPU-h | 1,488 × 0.04048 = 60.23424 | 1,600 h, 64.768 (1,200 on-demand + 400 covered by a Savings Plan) |
//! | Fargate GB-h | 2,976 × 0.004445 = 13.22832 | 2,976 h, 13.22832 |
//! | NAT hours | 1,488 × 0.045 = 66.96 | 1,488 h at 0.048 = 71.424 |
//! | NAT GB | 1,000 × 0.045 = 45 | 1,200 GB, 54 |
//! | internet egress (api) | 1,000 × 0.09 = 90 | 900 GB, 81 |
//! | S3 storage (unmodeled) | — | 100 GB-Mo, 2.30 |
//! | tax / credit / SP negation / SP fee | — | 10 / −5 / −16.192 / 11.66 |

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use archcost::actuals::{self, ActualsError};
use archcost::reconcile::{ChargeCategory, Reconciliation, Status, reconcile};
use archcost::{BillingPeriod, PriceBook, Topology, estimate, model_file};
use polars::prelude::*;

const DIR: &str = "tests/fixtures/reconcile";

fn assert_usd(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "expected {expected}, got {actual}"
    );
}

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("archcost-reconcile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Reconciles a model with a source for October 2026 at a 10% tolerance.
fn october(model: &Topology, source: &str) -> Reconciliation {
    let a = actuals::load(source, None).unwrap();
    let prices = PriceBook::embedded(model.region).unwrap();
    let e = estimate(model, &prices, &"2026-10".parse::<BillingPeriod>().unwrap()).unwrap();
    reconcile(
        model,
        &e,
        &prices,
        a.month("2026-10").unwrap(),
        "2026-10",
        source,
        10.0,
    )
}

fn run(source: &str) -> Reconciliation {
    october(
        &model_file::load(format!("{DIR}/model.yaml").as_ref()).unwrap(),
        source,
    )
}

#[test]
fn variances_split_into_price_and_usage_effects() {
    let r = run(&format!("{DIR}/cur.csv"));
    let component = |id: &str| r.by_component.iter().find(|g| g.key == id).unwrap();
    // nat: model 66.96 + 45 = 111.96; bill 71.424 + 54 = 125.424; variance +13.464 (+12.03%).
    // Price effect: 1,488 h × (0.048 − 0.045) = 4.464; usage effect: (1,200 − 1,000) GB × 0.045 = 9.0.
    let nat = component("nat");
    assert_usd(nat.estimated_usd, 111.96);
    assert_usd(nat.actual_usd, 125.424);
    assert_usd(nat.price_effect, 4.464);
    assert_usd(nat.usage_effect, 9.0);
    assert_eq!(
        nat.status,
        Status::Over,
        "12.03% is beyond the 10% tolerance"
    );
    // api: model 60.23424 + 13.22832 + 90 = 163.46256; bill 64.768 + 13.22832 + 81 = 158.99632.
    // Usage effect: (1,600 − 1,488) × 0.04048 = 4.53376 and (900 − 1,000) × 0.09 = −9.0 → −4.46624;
    // no price effect (the bill's unit prices are the model's).
    let api = component("api");
    assert_usd(api.estimated_usd, 163.46256);
    assert_usd(api.actual_usd, 158.99632);
    assert_usd(api.usage_effect, -4.46624);
    assert_usd(api.price_effect, 0.0);
    assert_eq!(api.status, Status::Ok);
    // Unmapped: 2.30 of S3 storage; totals: 275.42256 modeled, 286.72032 billed for usage.
    assert_eq!(r.unmapped.len(), 1);
    assert_usd(r.unmapped[0].cost_usd, 2.30);
    assert_usd(r.estimated_usd(), 275.42256);
    assert_usd(r.actual_usage_usd(), 286.72032);
    // Outside usage: tax 10, credit −5, commitments −16.192 + 11.66 = −4.532.
    assert_usd(r.non_usage[&ChargeCategory::Tax], 10.0);
    assert_usd(r.non_usage[&ChargeCategory::Credit], -5.0);
    assert_usd(r.non_usage[&ChargeCategory::Commitment], -4.532);
    // Every line's effects add up to its variance.
    for l in &r.lines {
        assert_usd(l.price_effect() + l.usage_effect(), l.variance_usd());
    }
}

fn same(a: &Reconciliation, b: &Reconciliation, what: &str) {
    assert_eq!(a.lines.len(), b.lines.len(), "{what}");
    for (x, y) in a.lines.iter().zip(&b.lines) {
        assert_eq!(
            (&x.component, &x.usage_type),
            (&y.component, &y.usage_type),
            "{what}"
        );
        assert_usd(x.actual_quantity, y.actual_quantity);
        assert_usd(x.actual_usd, y.actual_usd);
    }
    for (x, y) in a.by_service.iter().zip(&b.by_service) {
        assert_eq!(x.key, y.key, "{what}");
        assert_usd(x.price_effect, y.price_effect);
        assert_usd(x.usage_effect, y.usage_effect);
    }
    assert_eq!(a.unmapped.len(), b.unmapped.len(), "{what}");
    assert_eq!(
        a.non_usage.keys().collect::<Vec<_>>(),
        b.non_usage.keys().collect::<Vec<_>>(),
        "{what}"
    );
    for (k, v) in &a.non_usage {
        assert_usd(*v, b.non_usage[k]);
    }
}

fn to_parquet(csv: &str, out: &Path) {
    let mut df = CsvReadOptions::default()
        .with_has_header(true)
        .map_parse_options(|o| {
            o.with_null_values(Some(NullValues::AllColumnsSingle("NULL".into())))
        })
        .try_into_reader_with_file_path(Some(csv.into()))
        .unwrap()
        .finish()
        .unwrap();
    ParquetWriter::new(std::fs::File::create(out).unwrap())
        .finish(&mut df)
        .unwrap();
}

fn to_gzip(csv: &str, out: &Path) {
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(out).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(&std::fs::read(csv).unwrap()).unwrap();
    gz.finish().unwrap();
}

#[test]
fn the_same_month_in_every_format_reconciles_the_same() {
    let dir = scratch("formats");
    let cur = run(&format!("{DIR}/cur.csv"));
    same(&cur, &run(&format!("{DIR}/ce.json")), "Cost Explorer JSON");
    same(&cur, &run(&format!("{DIR}/focus.csv")), "FOCUS CSV");
    to_parquet(&format!("{DIR}/cur.csv"), &dir.join("cur.parquet"));
    same(
        &cur,
        &run(dir.join("cur.parquet").to_str().unwrap()),
        "CUR Parquet",
    );
    to_parquet(&format!("{DIR}/focus.csv"), &dir.join("focus.parquet"));
    same(
        &cur,
        &run(dir.join("focus.parquet").to_str().unwrap()),
        "FOCUS Parquet",
    );
    to_gzip(&format!("{DIR}/cur.csv"), &dir.join("cur.csv.gz"));
    same(
        &cur,
        &run(dir.join("cur.csv.gz").to_str().unwrap()),
        "CUR CSV.gz",
    );
    // A directory of export parts and a glob over them read as one export.
    let parts = dir.join("parts");
    std::fs::create_dir_all(parts.join("BILLING_PERIOD=2026-10")).unwrap();
    let text = std::fs::read_to_string(format!("{DIR}/cur.csv")).unwrap();
    let (header, rows) = text.split_once('\n').unwrap();
    let rows: Vec<&str> = rows.lines().collect();
    for (i, chunk) in rows.chunks(5).enumerate() {
        std::fs::write(
            parts.join(format!("BILLING_PERIOD=2026-10/part-{i}.csv")),
            format!("{header}\n{}\n", chunk.join("\n")),
        )
        .unwrap();
    }
    same(&cur, &run(parts.to_str().unwrap()), "CUR directory");
    same(
        &cur,
        &run(parts
            .join("BILLING_PERIOD=2026-10/part-*.csv")
            .to_str()
            .unwrap()),
        "CUR glob",
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn cost_explorer_marks_estimated_months() {
    let a = actuals::load(&format!("{DIR}/ce.json"), None).unwrap();
    assert!(a.estimated_months.contains("2026-10"));
}

#[test]
fn components_sharing_a_usage_type_split_by_match_tags() {
    let dir = scratch("tags");
    let model = dir.join("model.yaml");
    std::fs::write(
        &model,
        "schema_version: 1\nname: two\nregion: us-east-1\navailability_zones: 2\nworkload:\n  peak_tps: 1\n  profile: { generator: { trough_ratio: 1, busy_start_hour: 0, busy_end_hour: 24, weekend_factor: 1 } }\ncomponents:\n  - { id: api, kind: fargate_service, vcpu: 1, memory_gb: 2, desired_count: 3, match_tags: { 'aws:ecs:serviceName': api } }\n  - { id: jobs, kind: fargate_service, vcpu: 1, memory_gb: 2, desired_count: 1, match_tags: { 'aws:ecs:serviceName': jobs } }\n",
    )
    .unwrap();
    let bill = dir.join("cur.csv");
    std::fs::write(
        &bill,
        "bill_billing_period_start_date,line_item_line_item_type,product_servicecode,line_item_usage_type,line_item_usage_amount,line_item_unblended_cost,line_item_currency_code,resource_tags\n\
         2026-10-01,Usage,AmazonECS,USE1-Fargate-vCPU-Hours:perCPU,1000,40.48,USD,\"{\"\"aws:ecs:serviceName\"\": \"\"api\"\"}\"\n\
         2026-10-01,Usage,AmazonECS,USE1-Fargate-vCPU-Hours:perCPU,1500,60.72,USD,\"{\"\"aws:ecs:serviceName\"\": \"\"jobs\"\"}\"\n",
    )
    .unwrap();
    let r = october(&model_file::load(&model).unwrap(), bill.to_str().unwrap());
    let line = |id: &str| {
        r.lines
            .iter()
            .find(|l| l.component == id && l.usage_type.contains("vCPU"))
            .unwrap()
    };
    // By tags: api gets its 1,000 h (40.48), jobs its 1,500 h (60.72) — not the model's 3 : 1.
    assert_usd(line("api").actual_usd, 40.48);
    assert_usd(line("jobs").actual_usd, 60.72);
    assert_eq!(line("api").attribution.key(), "tags");
    // Proportionally instead (no match_tags): the model's 3 : 1 split of 101.20 → 75.90 / 25.30.
    let untagged = model_file::parse(
        &std::fs::read_to_string(&model)
            .unwrap()
            .replace("match_tags", "tags"),
        "m.yaml",
    )
    .unwrap();
    let r = october(&untagged, bill.to_str().unwrap());
    let api = r
        .lines
        .iter()
        .find(|l| l.component == "api" && l.usage_type.contains("vCPU"))
        .unwrap();
    assert_usd(api.actual_usd, 75.90);
    assert_eq!(api.attribution.key(), "proportional");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("in proportion to the estimate"))
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_actuals_are_clear_errors() {
    let dir = scratch("bad");
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let err = |src: &str| {
        actuals::load(src, None)
            .and_then(|a| a.month("2026-10").map(|_| ()))
            .unwrap_err()
            .to_string()
    };
    // A CUR export missing a column names it and the detected format.
    let missing = write(
        "m.csv",
        "bill_billing_period_start_date,line_item_line_item_type,line_item_usage_amount,line_item_unblended_cost\n2026-10-01,Usage,1,1\n",
    );
    assert!(
        err(&missing).contains("(CUR 2.0): missing column(s) line_item_usage_type"),
        "{}",
        err(&missing)
    );
    // A mistyped column: text where a cost belongs is an error, never a silent zero.
    let mistyped = write(
        "t.csv",
        "bill_billing_period_start_date,line_item_line_item_type,line_item_usage_type,line_item_usage_amount,line_item_unblended_cost\n2026-10-01,Usage,NatGateway-Hours,10,abc\n",
    );
    assert!(
        err(&mistyped).contains(
            "(CUR 2.0): conversion from `str` to `f64` failed in column 'line_item_unblended_cost'"
        ),
        "{}",
        err(&mistyped)
    );
    let no_period = write(
        "p.csv",
        "bill_billing_period_start_date,line_item_line_item_type,line_item_usage_type,line_item_usage_amount,line_item_unblended_cost\n2026-10-01,Usage,NatGateway-Hours,10,0.45\n,Usage,NatGateway-Bytes,5000,225\n",
    );
    assert!(
        err(&no_period).contains("lines without a billing period (225 USD"),
        "{}",
        err(&no_period)
    );
    let neither = write("n.csv", "a,b\n1,2\n");
    assert!(
        err(&neither).contains("neither CUR 2.0"),
        "{}",
        err(&neither)
    );
    let euros = write(
        "e.csv",
        &std::fs::read_to_string(format!("{DIR}/cur.csv"))
            .unwrap()
            .replacen(",USD,", ",EUR,", 1),
    );
    assert!(
        err(&euros).contains("billed in EUR, USD"),
        "{}",
        err(&euros)
    );
    let september = actuals::load(&format!("{DIR}/cur.csv"), None)
        .unwrap()
        .month("2026-09")
        .unwrap_err();
    assert!(matches!(september, ActualsError::EmptyMonth { .. }));
    assert!(
        september
            .to_string()
            .contains("no spend for 2026-09; the source has spend for: 2026-10")
    );
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    assert!(err(dir.join("empty").to_str().unwrap()).contains("no billing files found"));
    let broken = write("ce.json", "{\"ResultsByTime\": [");
    assert!(
        err(&broken).contains("(Cost Explorer JSON): line 1"),
        "{}",
        err(&broken)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_reconcile_command_prints_the_report_and_flags_bad_input() {
    let out = Command::new(env!("CARGO_BIN_EXE_archcost"))
        .args([
            "reconcile",
            "--model",
            &format!("{DIR}/model.yaml"),
            "--actuals",
            &format!("{DIR}/focus.csv"),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["month"], "2026-10");
    assert!((doc["actual_usage_usd"].as_f64().unwrap() - 286.72032).abs() < 1e-9);
    let bad = Command::new(env!("CARGO_BIN_EXE_archcost"))
        .args([
            "reconcile",
            "--model",
            &format!("{DIR}/model.yaml"),
            "--actuals",
            &format!("{DIR}/cur.csv"),
            "--tolerance",
            "ten",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(bad.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&bad.stderr)
            .contains("--tolerance ten: expected a percentage such as 10%")
    );
}

#[test]
fn a_calibrated_model_reproduces_the_actual_quantities() {
    let dir = scratch("calibrate");
    let out = dir.join("calibrated.yaml");
    let run = |model: &str, extra: &[&str]| {
        let mut args = vec![
            "reconcile",
            "--model",
            model,
            "--actuals",
            "tests/fixtures/reconcile/cur.csv",
        ];
        args.extend_from_slice(extra);
        Command::new(env!("CARGO_BIN_EXE_archcost"))
            .args(&args)
            .output()
            .unwrap()
    };
    let first = run(
        &format!("{DIR}/model.yaml"),
        &["--write-calibrated", out.to_str().unwrap()],
    );
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let report = String::from_utf8_lossy(&first.stdout);
    // Egress: 900 GB billed / 1,000 GB modeled → the internet flow becomes 900 GB a month.
    assert!(
        report.contains("flows[0].gb_per_month: 1000 -> 900"),
        "{report}"
    );
    // Fargate: 1,600 / 1,488 task-hours × 2 tasks = 2.15 → still 2 tasks: said, not changed.
    assert!(
        report.contains("components[0].desired_count: stays 2"),
        "{report}"
    );
    // NAT GB: the only flow through the NAT goes to the internet, which follows egress.
    assert!(
        report.contains("no flow through nat other than to the internet"),
        "{report}"
    );
    let calibrated = std::fs::read_to_string(&out).unwrap();
    let original = std::fs::read_to_string(format!("{DIR}/model.yaml")).unwrap();
    assert_eq!(
        calibrated,
        original.replace("gb_per_month: 1000 }", "gb_per_month: 900 }"),
        "only that number changes; comments stay"
    );
    // Reconciled again, the egress line has no usage effect left.
    let r = october(
        &model_file::load(&out).unwrap(),
        "tests/fixtures/reconcile/cur.csv",
    );
    let egress = r
        .lines
        .iter()
        .find(|l| l.usage_type == "DataTransfer-Out-Bytes")
        .unwrap();
    assert_usd(egress.usage_effect(), 0.0);
    let _ = std::fs::remove_dir_all(dir);
}

/// Regression: writing the calibrated model to a directory said "cannot read".
#[test]
fn a_calibrated_model_that_cannot_be_written_says_write() {
    let dir = scratch("calibrate_into_a_directory");
    let (code, out, err) = crate::util::archcost(&[
        "reconcile",
        "--model",
        &format!("{DIR}/model.yaml"),
        "--actuals",
        "tests/fixtures/reconcile/cur.csv",
        "--write-calibrated",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out, "");
    assert!(
        err.starts_with(&format!("error: cannot write {}: ", dir.display())),
        "{err}"
    );
    // The temporary file is written beside the target, then removed when the rename fails.
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let leftovers: Vec<_> = std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!("{name}.tmp"))
        })
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    let _ = std::fs::remove_dir_all(dir);
}

/// Regression: `--filter-tag` and `--daily` were silently ignored with billing exports. A tag
/// filter now applies to the exports' resource tags (CUR's `user:` prefix or FOCUS's plain
/// key); the Cost Explorer query options are refused.
#[test]
fn tag_filters_apply_to_exports_and_query_options_are_refused() {
    let model = format!("{DIR}/model.yaml");
    for source in ["cur.csv", "focus.csv"] {
        let actuals = format!("{DIR}/{source}");
        let run = |extra: &[&str]| {
            let mut args = vec![
                "reconcile",
                "--model",
                &model,
                "--actuals",
                &actuals,
                "--format",
                "json",
            ];
            args.extend_from_slice(extra);
            crate::util::archcost(&args)
        };
        // Only the 1,200 on-demand vCPU-hours carry Team=payments: 1,200 × 0.04048 = 48.576.
        let (code, out, err) = run(&["--filter-tag", "Team=payments"]);
        assert_eq!(code, 0, "{source}: {err}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_usd(doc["actual_usage_usd"].as_f64().unwrap(), 48.576);
        // Regression: the lines left without spend showed an actual of -0.0.
        assert!(!out.contains("-0.0"), "{source}: {out}");
        assert_eq!(doc["non_usage"], serde_json::json!({}), "{source}");
        assert!(
            doc["warnings"].as_array().unwrap().iter().any(|w| w
                .as_str()
                .unwrap()
                .starts_with("only lines tagged Team=payments")),
            "{source}: {doc}"
        );
        let (code, _, err) = run(&["--filter-tag", "Team=nope"]);
        assert_eq!(code, 1, "{source}");
        assert!(
            err.contains("(lines tagged Team=nope): no spend for any month"),
            "{source}: {err}"
        );
        let (code, _, err) = run(&["--daily"]);
        assert_eq!(code, 1);
        assert!(
            err.contains("--daily applies to Cost Explorer sources"),
            "{err}"
        );
        let (code, _, err) = run(&["--linked-account", "123456789012"]);
        assert_eq!(code, 1);
        assert!(
            err.contains("--linked-account applies to Cost Explorer sources"),
            "{err}"
        );
    }
}

/// A model (YAML, us-east-1), the embedded prices and its estimate for October 2026.
fn october_estimate(yaml: &str) -> (Topology, PriceBook, archcost::Estimate) {
    let model = model_file::parse(yaml, "m.yaml").unwrap();
    let prices = PriceBook::embedded(model.region).unwrap();
    let e = estimate(
        &model,
        &prices,
        &"2026-10".parse::<BillingPeriod>().unwrap(),
    )
    .unwrap();
    (model, prices, e)
}

#[test]
fn a_usage_type_spelled_the_other_way_joins_its_price_book_entry() {
    // CloudWatch Logs ingestion: the model meters USE1-DataProcessing-Bytes; the Price List (and
    // a bill exported from it) writes DataProcessing-Bytes, an alias of the same entry.
    // 10 TPS all month × 1,000 B a transaction = 10 × 3,600 × 744 × 1,000 = 26,784,000,000 B
    // = 26,784,000,000 / 2^30 = 24.9443 GB, at 0.50 per GB = 12.4721.
    let yaml = "schema_version: 1\nname: logs\nregion: us-east-1\navailability_zones: 2\nworkload:\n  peak_tps: 10\n  profile: { generator: { trough_ratio: 1, busy_start_hour: 0, busy_end_hour: 24, weekend_factor: 1 } }\ncomponents:\n  - id: monitoring\n    kind: cloudwatch\n    log_bytes_per_transaction: 1000\n    log_retention_days: 30\n    stored_size_percent: 100\n    custom_metrics: 0\n    alarms: 0\n    dashboards: 0\n";
    let (model, prices, e) = october_estimate(yaml);
    let ingest = e
        .lines
        .iter()
        .find(|l| l.usage_type == "USE1-DataProcessing-Bytes")
        .unwrap();
    let gb = 10.0 * 3600.0 * 744.0 * 1000.0 / 1_073_741_824.0;
    assert_usd(ingest.quantity, gb);
    let row = |usage_type: &str| archcost::reconcile::ActualRow {
        service_code: "AmazonCloudWatch".into(),
        usage_type: usage_type.into(),
        category: ChargeCategory::Usage,
        quantity: gb,
        cost_usd: gb * 0.5,
        tags: Default::default(),
    };
    for spelling in ["USE1-DataProcessing-Bytes", "DataProcessing-Bytes"] {
        let r = reconcile(&model, &e, &prices, &[row(spelling)], "2026-10", "t", 10.0);
        assert!(r.unmapped.is_empty(), "{spelling}: {:?}", r.unmapped);
        let line = r
            .lines
            .iter()
            .find(|l| l.usage_type == "USE1-DataProcessing-Bytes")
            .unwrap();
        assert_usd(line.actual_usd, gb * 0.5);
        assert_usd(line.variance_usd(), 0.0);
    }
}

/// The public FOCUS sample (tests/fixtures/focus/, FinOps Foundation, CC BY 4.0): its AWS lines
/// have no `x_UsageType`.
const FOCUS_SAMPLE: &str = "tests/fixtures/focus/focus-1.0-sample.csv";

#[test]
fn focus_without_usage_types_derives_them_from_skus_and_descriptions() {
    let a = actuals::load(FOCUS_SAMPLE, None).unwrap();
    let notes = a.notes.join("\n");
    // 942 AWS lines of September 2024 bill 20.76 USD of usage (the sum of BilledCost, or of
    // ListCost for committed lines, over ChargeCategory = Usage). Measured on this file: before
    // SKUs and the wider descriptions, 2.88 USD of it (202 line groups) had no usage type,
    // 86.1% mapped; now 1.20 USD does not, 94.2% maps. What stays unmapped is what archcost
    // does not model (RDS Extended Support, Marketplace, EKS, Lambda) and load balancers other
    // than Application ones.
    assert!(
        notes.contains("usage types derived from SkuId (the price book's SKUs) for 38 line group(s) and from ChargeDescription and RegionId for 406; 19.56 of 20.76 USD of usage (94.2%) maps to a usage type"),
        "{notes}"
    );
    // Microsoft and Oracle lines are not AWS spend.
    assert!(
        notes.contains("lines of other providers left out (archcost reconciles AWS): Microsoft (35 line group(s), 1.98 USD), Oracle (7 line group(s), 0.54 USD)"),
        "{notes}"
    );
    let rows = a.month("2024-09").unwrap();
    let has = |service: &str, usage_type: &str| {
        rows.iter()
            .any(|r| r.service_code == service && r.usage_type == usage_type)
    };
    // "$0.005 per In-use public IPv4 address per hour" in us-east-1.
    assert!(has("AmazonVPC", "USE1-PublicIPv4:InUseAddress"));
    // "$0.085 per GB - next 40 TB / month data transfer out" billed by EC2 in us-west-2: the
    // internet egress usage type, filed under AWSDataTransfer as the model meters it.
    assert!(has("AWSDataTransfer", "USW2-DataTransfer-Out-Bytes"));
    // "$0.08 per GB-month of General Purpose (gp3) provisioned storage - US East (N. Virginia)".
    assert!(has("AmazonEC2", "EBS:VolumeUsage.gp3"));
    // "USD0.0595 per GB-Mo for EBS:SnapshotUsage in Africa (Cape Town)": the description names
    // its usage type; the region's prefix is added.
    assert!(has("AmazonEC2", "AFS1-EBS:SnapshotUsage"));
    // "$0.63 per GB of vended logs ingested … - EU (Frankfurt)".
    assert!(has("AmazonCloudWatch", "EUC1-VendedLog-Bytes"));
    // Regression: a Network Load Balancer's LCUs ("$0.006 per used Network load balancer
    // capacity unit-hour") were joined to the ALB's LCUUsage.
    assert!(rows.iter().any(|r| r.usage_type
        == "(unmapped) $0.006 per used Network load balancer capacity unit-hour (or partial hour)"));
    // An Application load balancer's LCUs are the ALB's.
    assert!(has("AWSELB", "USW2-LCUUsage"));
}

#[test]
fn calibrating_nat_bytes_scales_both_directions_of_a_flow() {
    let yaml = "schema_version: 1\nname: nat\nregion: us-east-1\navailability_zones: 2\nworkload:\n  peak_tps: 10\n  profile: { generator: { trough_ratio: 1, busy_start_hour: 0, busy_end_hour: 24, weekend_factor: 1 } }\ncomponents:\n  - id: api\n    kind: fargate_service\n    vcpu: 1\n    memory_gb: 2\n    desired_count: 1\n  - id: nat\n    kind: nat_gateway\nflows:\n  - { from: api, to: s3, gb_per_month: 1000, inbound_gb_per_month: 1000 }\n";
    let (model, prices, e) = october_estimate(yaml);
    // The NAT processes 1,000 GB out + 1,000 GB in = 2,000 GB; the bill says 4,000 GB
    // (4,000 × 0.045 = 180): both directions double.
    let row = archcost::reconcile::ActualRow {
        service_code: "AmazonEC2".into(),
        usage_type: "NatGateway-Bytes".into(),
        category: ChargeCategory::Usage,
        quantity: 4000.0,
        cost_usd: 180.0,
        tags: Default::default(),
    };
    let r = reconcile(&model, &e, &prices, &[row], "2026-10", "t", 10.0);
    let c = archcost::calibrate::calibrate(&model, &r);
    let changed: Vec<(&str, f64)> = c.changes.iter().map(|c| (c.path.as_str(), c.new)).collect();
    assert!(
        changed.contains(&("flows[0].gb_per_month", 2000.0)),
        "{changed:?}"
    );
    assert!(
        changed.contains(&("flows[0].inbound_gb_per_month", 2000.0)),
        "{changed:?}"
    );
}

#[test]
fn a_negotiated_discount_is_its_own_effect_on_both_paths_and_unused_commitment_is_not_usage() {
    // The fixture platform's October bill at a 10% private-pricing discount, written as CUR
    // (unblended at the negotiated rate, public on-demand cost beside it) and as FOCUS
    // (BilledCost and ContractedCost at the negotiated rate, ListCost at list), plus 5 USD of
    // a Savings Plan left unused.
    let dir = scratch("negotiated");
    std::fs::write(
        dir.join("cur.csv"),
        "bill_billing_period_start_date,line_item_line_item_type,product_servicecode,line_item_product_code,line_item_usage_type,line_item_usage_amount,line_item_unblended_cost,pricing_public_on_demand_cost,line_item_currency_code\n\
         2026-10-01T00:00:00Z,Usage,AmazonECS,AmazonECS,USE1-Fargate-vCPU-Hours:perCPU,1488,54.2108160,60.234240,USD\n\
         2026-10-01T00:00:00Z,Usage,AmazonEC2,AmazonEC2,NatGateway-Hours,1488,60.264,66.96,USD\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("focus.csv"),
        "BillingPeriodStart,ServiceName,x_ServiceCode,x_UsageType,ChargeCategory,CommitmentDiscountCategory,CommitmentDiscountStatus,PricingQuantity,BilledCost,ContractedCost,ListCost,BillingCurrency\n\
         2026-10-01 00:00:00,Amazon Elastic Container Service,AmazonECS,USE1-Fargate-vCPU-Hours:perCPU,Usage,NULL,NULL,1488,54.2108160,54.2108160,60.234240,USD\n\
         2026-10-01 00:00:00,Amazon Elastic Compute Cloud,AmazonEC2,NatGateway-Hours,Usage,NULL,NULL,1488,60.264,60.264,66.96,USD\n\
         2026-10-01 00:00:00,Savings Plans for AWS Compute usage,ComputeSavingsPlans,ComputeSP:1yrNoUpfront,Usage,Spend,Unused,0,5,5,5,USD\n",
    )
    .unwrap();
    let model = model_file::load(format!("{DIR}/model.yaml").as_ref()).unwrap();
    let cur = october(&model, dir.join("cur.csv").to_str().unwrap());
    let focus = october(&model, dir.join("focus.csv").to_str().unwrap());
    for (name, r) in [("CUR", &cur), ("FOCUS", &focus)] {
        let line = |usage_type: &str| r.lines.iter().find(|l| l.usage_type == usage_type).unwrap();
        // At list cost both lines match the model exactly: Fargate 1,488 vCPU-h × 0.04048 =
        // 60.23424; NAT 1,488 h × 0.045 = 66.96. No price effect on either path.
        assert_usd(line("USE1-Fargate-vCPU-Hours:perCPU").actual_usd, 60.23424);
        assert_usd(line("NatGateway-Hours").actual_usd, 66.96);
        // The discount, on its own: 10% of (60.23424 + 66.96) = 12.719424.
        assert_usd(r.non_usage[&ChargeCategory::NegotiatedDiscount], -12.719424);
        assert!(
            r.unmapped
                .iter()
                .all(|u| !u.usage_type.contains("ComputeSP")),
            "{name}: {:?}",
            r.unmapped
        );
    }
    // The unused Savings Plan is unused commitment, not unmapped usage.
    assert_usd(focus.non_usage[&ChargeCategory::UnusedCommitment], 5.0);
    let _ = std::fs::remove_dir_all(dir);
}
