//! Snapshots of every command's table and JSON output on the shipped models (insta; paths
//! redacted). A change in any figure or layout shows here as a diff to review: accept it with
//! `cargo insta review` (or `INSTA_UPDATE=always`) only when the change is intended.

use crate::util::archcost;

/// The shipped models, by file stem.
const MODELS: [&str; 5] = [
    "fintech-global-platform",
    "fintech-provisioned-baseline",
    "fintech-aurora-serverless-v2",
    "fintech-single-nat",
    "fintech-graviton",
];

/// Runs a command that must succeed; its stdout with the package path redacted.
fn output(args: &[&str]) -> String {
    let (code, out, err) = archcost(args);
    assert_eq!(code, 0, "archcost {args:?} failed: {err}");
    out.replace(env!("CARGO_MANIFEST_DIR"), "[package]")
}

fn snapshot(name: &str, args: &[&str]) {
    for format in ["table", "json"] {
        let mut with_format = args.to_vec();
        with_format.extend(["--format", format]);
        insta::assert_snapshot!(format!("{name}.{format}"), output(&with_format));
    }
}

#[test]
fn estimate_of_each_shipped_model() {
    for m in MODELS {
        snapshot(
            &format!("estimate-{m}"),
            &["estimate", &format!("models/{m}.yaml")],
        );
    }
}

#[test]
fn estimate_by_service_and_monte_carlo_of_the_reference_model() {
    let model = "models/fintech-global-platform.yaml";
    snapshot(
        "estimate-by-service",
        &["estimate", model, "--by", "service"],
    );
    snapshot(
        "estimate-samples",
        &["estimate", model, "--samples", "500", "--seed", "7"],
    );
}

#[test]
fn compare_of_each_shipped_model_with_its_variants() {
    for m in MODELS {
        let (code, _, err) = archcost(&["compare", &format!("models/{m}.yaml"), "--all-variants"]);
        if code != 0 {
            // A model without variants cannot be compared with itself alone.
            assert!(err.contains("at least two designs"), "{m}: {err}");
            continue;
        }
        snapshot(
            &format!("compare-{m}"),
            &["compare", &format!("models/{m}.yaml"), "--all-variants"],
        );
    }
}

#[test]
fn savings_of_each_shipped_model() {
    for m in MODELS {
        snapshot(
            &format!("savings-{m}"),
            &["savings", &format!("models/{m}.yaml")],
        );
    }
    snapshot(
        "savings-against-the-baseline-file",
        &[
            "savings",
            "models/fintech-global-platform.yaml",
            "--baseline",
            "models/fintech-provisioned-baseline.yaml",
        ],
    );
}

#[test]
fn sweep_of_the_reference_model() {
    snapshot(
        "sweep-io-optimized",
        &[
            "sweep",
            "models/fintech-global-platform.yaml",
            "--variant",
            "base",
            "--variant",
            "io-optimized",
            "--set",
            "components.ledger-db.io_requests_per_transaction=0.5..8",
            "--steps",
            "5",
        ],
    );
}

#[test]
fn reconcile_of_the_fixture_model_and_the_reference_model() {
    for source in ["ce.json", "cur.csv", "focus.csv"] {
        let actuals = format!("tests/fixtures/reconcile/{source}");
        for (name, model) in [
            ("fixture", "tests/fixtures/reconcile/model.yaml"),
            ("reference", "models/fintech-global-platform.yaml"),
        ] {
            snapshot(
                &format!("reconcile-{name}-{source}"),
                &["reconcile", "--model", model, "--actuals", &actuals],
            );
        }
    }
}
