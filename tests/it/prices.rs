//! Price snapshots: the shipped files (embedded, canonical, sourced), dated history with
//! `--prices-at`, the snapshot reconciliation takes for a billing month, and `prices list`.
//!
//! Hand computations use the embedded us-east-1 snapshot of 2026-10-08 (Fargate x86 0.04048 per
//! vCPU-hour and 0.004445 per GB-hour) and, in test-made history folders, a copy of it re-dated
//! with one price changed.

use std::path::Path;

use archcost::PriceBook;
use archcost::price_book::EMBEDDED;
use archcost::units::Region;

use crate::util::*;

/// Every file under `data/prices/`, as `<region>/<date>` paths.
fn shipped_files() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/prices");
    let mut files = Vec::new();
    for region in std::fs::read_dir(&root).unwrap() {
        let region = region.unwrap().path();
        assert!(
            region.is_dir(),
            "{}: expected a folder per region",
            region.display()
        );
        for file in std::fs::read_dir(&region).unwrap() {
            let file = file.unwrap().path();
            let rel = file
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            files.push(rel.strip_suffix(".json").expect("a .json file").to_string());
        }
    }
    files.sort();
    files
}

#[test]
fn every_shipped_snapshot_is_embedded_canonical_sourced_and_named_by_region_and_date() {
    let mut embedded: Vec<String> = EMBEDDED.iter().map(|(p, _)| p.to_string()).collect();
    embedded.sort();
    assert_eq!(
        embedded,
        shipped_files(),
        "EMBEDDED must list every file under data/prices"
    );
    for (path, text) in EMBEDDED {
        let (region, date) = path.split_once('/').unwrap();
        let region: Region = region.parse().unwrap();
        let book = PriceBook::from_json(text, path, region).unwrap();
        assert_eq!(
            book.snapshot_date(),
            date,
            "{path}: file name and snapshot_date differ"
        );
        // The format `prices update` writes, byte for byte.
        assert!(
            book.to_json() == *text,
            "{path} is not in the canonical format; rewrite it with PriceBook::to_json"
        );
        for p in book.prices() {
            assert!(
                !p.reference.trim().is_empty(),
                "{path}: {} has no source",
                p.key
            );
            assert!(
                p.effective_date.as_str() <= book.snapshot_date(),
                "{path}: {} takes effect after the snapshot",
                p.key
            );
        }
    }
}

/// A history folder in the sandbox: the embedded snapshot, and a copy dated `date` with the
/// Fargate x86 vCPU-hour at `vcpu_usd`.
fn history(s: &Sandbox, date: &str, vcpu_usd: &str) {
    let current = std::fs::read_to_string(snapshot_path()).unwrap();
    let other = edit(
        &edit(
            &current,
            r#""snapshot_date": "2026-10-08""#,
            &format!(r#""snapshot_date": "{date}""#),
        ),
        r#""usd_per_unit": 0.04048"#,
        &format!(r#""usd_per_unit": {vcpu_usd}"#),
    );
    // The older copy's prices must not take effect after it.
    let other = other
        .replace(r#""effective_date": "2026-"#, r#""effective_date": "2024-"#)
        .replace(r#""effective_date": "2025-"#, r#""effective_date": "2024-"#);
    std::fs::create_dir_all(s.dir.join("snap/us-east-1")).unwrap();
    s.write("snap/us-east-1/2026-10-08.json", &current);
    s.write(&format!("snap/us-east-1/{date}.json"), &other);
}

#[test]
fn prices_at_picks_the_snapshot_in_force_from_a_folder() {
    let s = Sandbox::new("prices_at");
    history(&s, "2024-10-01", "0.05");
    s.write("model.yaml", BASE);
    let total_with = |extra: &[&str]| {
        let mut args = vec![
            "estimate",
            "model.yaml",
            "--prices",
            "snap",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        total(&json(&s.run(&args)))
    };
    // Newest (2026-10-08): 2 tasks × 730 h × (1 × 0.04048 + 2 × 0.004445) = 1,460 × 0.04937
    // = 72.0802.
    assert_usd(total_with(&[]), 72.0802);
    // In force on 2025-06-30 is the 2024-10-01 copy: 1,460 × (0.05 + 0.00889) = 85.9794.
    assert_usd(total_with(&["--prices-at", "2025-06-30"]), 85.9794);
    assert_usd(total_with(&["--prices-at", "2026-10-08"]), 72.0802);
    let run = s.run(&[
        "estimate",
        "model.yaml",
        "--prices",
        "snap",
        "--prices-at",
        "2024-09-30",
    ]);
    assert_user_error(
        &run,
        "error: no price snapshot of us-east-1 was in force on 2024-09-30: the oldest is dated 2024-10-01",
        &["--prices-at 2024-10-01 or later"],
    );
    let run = s.run(&["estimate", "model.yaml", "--prices-at", "2026-10-08"]);
    assert_success(&run);
    let run = s.run(&["estimate", "model.yaml", "--prices-at", "2026-13-01"]);
    assert_user_error(
        &run,
        "error: --prices-at: `2026-13-01` is not a date; expected YYYY-MM-DD",
        &[],
    );
    let run = s.run(&["estimate", "model.yaml", "--prices-at", "2026-10-07"]);
    assert_user_error(
        &run,
        "error: no price snapshot of us-east-1 was in force on 2026-10-07: the oldest is dated 2026-10-08",
        &[],
    );
}

#[test]
fn a_folder_without_the_region_or_with_a_broken_file_is_refused() {
    let s = Sandbox::new("prices_folder");
    s.write("model.yaml", BASE);
    std::fs::create_dir_all(s.dir.join("empty")).unwrap();
    let run = s.run(&["estimate", "model.yaml", "--prices", "empty"]);
    assert_user_error(
        &run,
        "error: --prices empty: no price snapshot for us-east-1 in 0 JSON file(s)",
        &[],
    );
    std::fs::create_dir_all(s.dir.join("broken")).unwrap();
    s.write(
        "broken/x.json",
        "{\"schema_version\": 2, \"region\": \"us-east-1\",",
    );
    let run = s.run(&["estimate", "model.yaml", "--prices", "broken"]);
    assert_user_error(
        &run,
        "error: broken/x.json: line 1, column 44: EOF while parsing a value",
        &[],
    );
}

#[test]
fn reconcile_prices_the_month_with_the_snapshot_then_in_force() {
    let s = Sandbox::new("reconcile_history");
    // A later snapshot (2026-11-01) raises Fargate vCPU to 0.05; October 2026 was billed at the
    // snapshot of 2026-10-08.
    history(&s, "2026-11-01", "0.05");
    let vcpu = |extra: &[&str]| {
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(extra);
        let doc = json(&reconcile_october(&s, &args));
        doc["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["usage_type"] == "USE1-Fargate-vCPU-Hours:perCPU")
            .unwrap()["estimated_usd"]
            .as_f64()
            .unwrap()
    };
    // 2 tasks × 744 h = 1,488 vCPU-hours × 0.04048 = 60.23424 (the 2026-10-08 snapshot).
    assert_usd(vcpu(&[]), 60.23424);
    // The report names the snapshot, and each line the date its model price took effect.
    let doc = json(&reconcile_october(&s, &["--format", "json"]));
    assert_eq!(doc["prices"], "snap/us-east-1/2026-10-08.json (2026-10-08)");
    assert_eq!(doc["lines"][0]["price_effective_date"], "2026-09-11");
    // Forced to the later snapshot: 1,488 × 0.05 = 74.4.
    assert_usd(vcpu(&["--prices-at", "2026-11-30"]), 74.4);
}

#[test]
fn prices_list_shows_the_snapshots_and_one_snapshots_entries() {
    let s = Sandbox::new("prices_list");
    let run = s.run(&["prices", "list", "--format", "csv"]);
    assert_machine_success(&run);
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("us-east-1,2026-10-08,156,")),
        "{}",
        run.stdout
    );
    history(&s, "2024-10-01", "0.05");
    let run = s.run(&["prices", "list", "--prices", "snap", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let dates: Vec<&str> = doc
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["snapshot_date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2024-10-01", "2026-10-08"]);
    let run = s.run(&[
        "prices",
        "list",
        "--region",
        "us-east-1",
        "--entries",
        "--prices",
        "snap",
        "--prices-at",
        "2025-01-01",
        "--format",
        "csv",
    ]);
    assert_machine_success(&run);
    let vcpu = run
        .stdout
        .lines()
        .find(|l| l.starts_with("AmazonECS,USE1-Fargate-vCPU-Hours:perCPU,"))
        .unwrap();
    assert!(vcpu.contains(",0.05,price_list,"), "{vcpu}");
    let run = s.run(&["prices", "list", "--region", "mars-1"]);
    assert_user_error(
        &run,
        "error: --region: unknown region `mars-1`; expected one of us-east-1,",
        &[],
    );
}

/// The us-east-1 snapshot re-spelled for `region` by the catalogue: every entry it holds, under
/// the region's usage types.
fn rebased(region: Region) -> PriceBook {
    let reference = PriceBook::embedded(Region::UsEast1).unwrap();
    let wanted = archcost::price_list::catalogue(&reference, region);
    let prices = reference
        .prices()
        .zip(&wanted)
        .map(|(p, w)| archcost::price_book::Price {
            key: w.key.clone(),
            aliases: w.aliases.clone(),
            ..p.clone()
        })
        .collect();
    PriceBook::new(region, "2026-10-08", None, prices, Vec::new(), "rebased").unwrap()
}

#[test]
fn the_catalogue_names_every_usage_type_every_kind_bills_in_every_region() {
    // Every registered kind (the reference model plus the services tests' extra kinds),
    // estimated in each commercial region against the catalogue's spelling of the us-east-1
    // prices: a usage type spelled otherwise in that region would be missing and fail.
    let reference = std::fs::read_to_string(reference_model_path()).unwrap();
    let yaml = edit(
        &reference,
        "\ncomponents:\n",
        &format!("\ncomponents:\n{}", crate::services::EXTRA_KINDS),
    );
    for &region in Region::ALL {
        let text = edit(&yaml, "region: us-east-1", &format!("region: {region}"));
        let t = archcost::model_file::parse(&text, "every-kind.yaml").unwrap();
        let e = archcost::estimate(
            &t,
            &rebased(region),
            &archcost::BillingPeriod::standard_month(),
        )
        .unwrap_or_else(|e| panic!("{region}: {e}"));
        assert!(e.total_usd() > 0.0);
    }
}

#[test]
fn regional_snapshots_price_what_they_have_and_list_what_they_lack() {
    let s = Sandbox::new("regional");
    let in_region = |r: &str| edit(BASE, "region: us-east-1", &format!("region: {r}"));
    // eu-west-1 (EU-Fargate-*, Price List rows of 2026-09-11): the us-east-1 rates,
    // 1,460 task-hours × (0.04048 + 2 × 0.004445) = 72.0802.
    assert_usd(
        total(&json(
            &s.estimate(&in_region("eu-west-1"), &["--format", "json"]),
        )),
        72.0802,
    );
    // ap-southeast-1 (APS1-Fargate-*: 0.05056 per vCPU-hour, 0.00553 per GB-hour):
    // 1,460 × (0.05056 + 2 × 0.00553) = 1,460 × 0.06162 = 89.9652.
    assert_usd(
        total(&json(&s.estimate(
            &in_region("ap-southeast-1"),
            &["--format", "json"],
        ))),
        89.9652,
    );
    // eu-central-1 NAT gateways (EUC1-NatGateway-Hours 0.052), one per AZ:
    // 2 × 730 h × 0.052 = 75.92.
    let nat = format!(
        "{}  - id: nat\n    kind: nat_gateway\n",
        in_region("eu-central-1")
    );
    let doc = json(&s.estimate(&nat, &["--format", "json"]));
    let hours = doc["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["usage_type"] == "EUC1-NatGateway-Hours")
        .unwrap_or_else(|| panic!("{doc:#}"));
    assert_usd(hours["usd_per_month"].as_f64().unwrap(), 75.92);
    assert_eq!(
        hours["price_source"]["book"],
        "embedded snapshot eu-central-1 (2026-10-08)"
    );
    // What a regional snapshot lacks is an error naming it, never a zero: us-west-2 has no
    // Fargate ephemeral-storage price.
    let model = edit(
        &in_region("us-west-2"),
        "    desired_count: 2\n",
        "    desired_count: 2\n    ephemeral_storage_gb: 50\n",
    );
    let run = s.estimate(&model, &[]);
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert!(
        run.stderr
            .contains("no price in embedded snapshot us-west-2 for 1 usage type(s)")
            && run
                .stderr
                .contains("AmazonECS USW2-Fargate-EphemeralStorage-GB-Hours"),
        "{}",
        run.stderr
    );
}

#[test]
fn prices_diff_shows_the_dynamodb_cut_and_its_effect_on_a_model() {
    let s = Sandbox::new("prices_diff");
    // Before 2024-11-01 DynamoDB on-demand cost twice today's: 1.25 per million writes and
    // 0.25 per million reads (AWS cut them by half on 2024-11-01).
    let current = std::fs::read_to_string(snapshot_path()).unwrap();
    let old = edit(
        &edit(
            &current,
            r#""usd_per_unit": 6.25e-7"#,
            r#""usd_per_unit": 1.25e-6"#,
        ),
        r#""usd_per_unit": 1.25e-7"#,
        r#""usd_per_unit": 2.5e-7"#,
    );
    s.write("old.json", &old);
    // 100 TPS all month, one 1 KB write and one eventually consistent 1 KB read a transaction:
    // 100 × 3,600 × 730 = 262.8 M writes = 262.8 M WRU, and 262.8 M reads × 0.5 = 131.4 M RRU.
    // Old: 262.8 × 1.25 + 131.4 × 0.25 = 328.5 + 32.85 = 361.35.
    // New: 262.8 × 0.625 + 131.4 × 0.125 = 164.25 + 16.425 = 180.675.
    s.write(
        "model.yaml",
        &model(FLAT, 100.0, "  - id: t\n    kind: dynamodb_table\n    capacity_mode: on_demand\n    item_size_kb: 1\n    reads_per_transaction: 1\n    writes_per_transaction: 1\n    read_consistency: eventual\n    storage_gb: 0\n", ""),
    );
    let run = s.run(&[
        "prices",
        "diff",
        "old.json",
        "us-east-1@2026-10-08",
        "--model",
        "model.yaml",
        "--format",
        "json",
    ]);
    assert_machine_success(&run);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let changes = doc["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{doc:#}");
    assert_eq!(changes[0]["usage_type"], "ReadRequestUnits");
    assert_eq!(changes[0]["percent"], -50.0);
    // 156 entries (9 Compute Savings Plan rates, 6 Aurora and 6 EC2 reserved-instance rates,
    // Athena's rate per TB scanned), 2 changed.
    assert_eq!(doc["unchanged"], 154);
    assert_usd(doc["effect"]["old_total_usd"].as_f64().unwrap(), 361.35);
    assert_usd(doc["effect"]["new_total_usd"].as_f64().unwrap(), 180.675);
    let rows = doc["effect"]["by_usage_type"].as_array().unwrap();
    assert_eq!(rows[0]["usage_type"], "AmazonDynamoDB WriteRequestUnits");
    assert_usd(rows[0]["old_usd"].as_f64().unwrap(), 328.5);

    let run = s.run(&["prices", "diff", "old.json", "eu-west-1"]);
    assert_user_error(
        &run,
        "error: old.json prices us-east-1 and eu-west-1 prices eu-west-1; expected two snapshots of one region",
        &[],
    );
    let run = s.run(&["prices", "diff", "nothing.json", "us-east-1"]);
    assert_user_error(
        &run,
        "error: `nothing.json` is neither a price file nor REGION[@DATE]",
        &[],
    );
    let run = s.run(&["prices", "diff", "us-east-1@2020-01-01", "us-east-1"]);
    assert_user_error(
        &run,
        "error: no price snapshot of us-east-1 was in force on 2020-01-01",
        &[],
    );
}

/// `archcost reconcile` of the reconcile fixture's October 2026 FOCUS bill, with the history
/// folder `snap` of the sandbox.
fn reconcile_october(s: &Sandbox, extra: &[&str]) -> Run {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reconcile");
    let (model, focus) = (dir.join("model.yaml"), dir.join("focus.csv"));
    let mut args = vec![
        "reconcile",
        "--model",
        model.to_str().unwrap(),
        "--actuals",
        focus.to_str().unwrap(),
        "--month",
        "2026-10",
        "--prices",
        "snap",
    ];
    args.extend_from_slice(extra);
    s.run(&args)
}

#[test]
fn reconciling_a_month_older_than_every_snapshot_uses_the_oldest_and_says_so() {
    let s = Sandbox::new("reconcile_before_history");
    // The fixture's bill is October 2026; asked for it with a folder whose only snapshot is
    // dated 2026-11-01, the month predates every snapshot.
    history(&s, "2026-11-01", "0.05");
    std::fs::remove_file(s.dir.join("snap/us-east-1/2026-10-08.json")).unwrap();
    let run = reconcile_october(&s, &["--format", "json"]);
    assert_machine_success(&run);
    assert!(
        run.stderr.contains("warning: no price snapshot of us-east-1 was in force in 2026-10 (744 h): priced with the oldest"),
        "{}",
        run.stderr
    );
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    // 1,488 vCPU-hours × 0.05 (the 2026-11-01 copy) = 74.4.
    assert_usd(doc["lines"][0]["estimated_usd"].as_f64().unwrap(), 74.4);
    // An explicit --prices-at before every snapshot stays an error.
    let run = reconcile_october(&s, &["--prices-at", "2026-10-31"]);
    assert_eq!(run.code, Some(1), "{run:#?}");
}
