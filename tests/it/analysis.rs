//! Compare, savings (Shapley contributions), sweeps with break-even points, and Monte Carlo
//! ranges: hand-computed figures from the us-east-1 snapshot, with the arithmetic beside them.

use archcost::compare::compare;
use archcost::model_file::ModelDocument;
use archcost::savings::{Lever, savings};
use archcost::sweep::{Candidate, SweepSpec, sweep};
use archcost::uncertainty::sample;
use archcost::{BillingPeriod, PriceBook, estimate};

use crate::util::{archcost, assert_usd};

fn prices() -> PriceBook {
    PriceBook::embedded(archcost::units::Region::UsEast1).unwrap()
}

fn month() -> BillingPeriod {
    BillingPeriod::standard_month()
}

/// A Fargate service of 1 vCPU / 2 GB tasks (x86) that scales between 1 and 20 tasks at a 50%
/// CPU target with 100 TPS per task, and splits its tasks FARGATE base 2 weight 1 : FARGATE_SPOT
/// weight 1. Two-level load: 1,000 TPS from 08:00 to 20:00, 250 TPS otherwise; over the 730-hour
/// month that is 362 busy hours and 368 quiet hours.
const TWO_LEVERS: &str = "schema_version: 1
name: toy
region: us-east-1
availability_zones: 2
claimed_savings_percent: 40
workload:
  peak_tps: 1000
  profile: { generator: { trough_ratio: 0.25, busy_start_hour: 8, busy_end_hour: 20, weekend_factor: 1.0 } }
components:
  - id: api
    kind: fargate_service
    vcpu: 1
    memory_gb: 2
    scaling: { min_tasks: 1, max_tasks: 20, target_cpu_percent: 50, tps_per_task_at_full_cpu: 100 }
    capacity_provider_strategy:
      - { provider: FARGATE, base: 2, weight: 1 }
      - { provider: FARGATE_SPOT, weight: 1 }
";

#[test]
fn shapley_contributions_of_two_interacting_levers() {
    let t = ModelDocument::parse(TWO_LEVERS, "toy.yaml")
        .unwrap()
        .topology(None, &[])
        .unwrap();
    let s = savings(&t, &prices(), &month()).unwrap();
    // Per task-hour: on-demand 0.04048 + 2 × 0.004445 = 0.04937; Spot 0.01288871 + 2 × 0.00141527
    // = 0.01571925. Busy hours need 1,000 / (100 × 50%) = 20 tasks, quiet hours 250 / 50 = 5.
    //
    // Baseline (pinned at the peak's 20 tasks, all on-demand): 20 × 730 = 14,600 task-h
    //   × 0.04937 = 720.802.
    // Auto scaling lags each of the 30 falls (20:00, days 1–30) by 20 minutes: the tasks
    //   scaled in run a third of that hour.
    // Auto scaling alone (on-demand): 20 × 362 + 5 × 368 = 9,080 task-h, + 15 / 3 × 30 = 150
    //   for the lag = 9,230 × 0.04937 = 455.6851.
    // Spot alone (20 tasks all month): base 2, the other 18 split 9 : 9 → 11 on-demand, 9 Spot:
    //   8,030 × 0.04937 = 396.4411 + 6,570 × 0.01571925 = 103.2754725 → 499.7165725.
    // Both: busy 11 / 9 as above for 362 h (3,982 / 3,258 task-h); quiet 5 tasks: base 2, the
    //   other 3 split 1.5 : 1.5 → 1 + 1, the remainder to FARGATE (listed first) → 4 on-demand,
    //   1 Spot for 368 h (1,472 / 368). Lag: on-demand (11 − 4) / 3 × 30 = 70, Spot
    //   (9 − 1) / 3 × 30 = 80. On-demand 5,524 × 0.04937 = 272.71988; Spot 3,706 ×
    //   0.01571925 = 58.2555405 → 330.9754205.
    let baseline = 720.802;
    let (scaling_alone, spot_alone, both) = (455.6851, 499.716_572_5, 330.975_420_5);
    assert_usd(s.baseline.total_usd(), baseline);
    assert_usd(s.design.total_usd(), both);
    assert_usd(s.saving_usd(), baseline - both); // 389.8265795
    let lever = |l: Lever| s.levers.iter().find(|x| x.lever == l).unwrap();
    // Shapley, two levers: φ = ½ (alone) + ½ (last in).
    // Auto scaling: ½ × 265.1169 + ½ × (389.8265795 − 221.0854275 = 168.741152) = 216.929026.
    // Spot: ½ × 221.0854275 + ½ × (389.8265795 − 265.1169 = 124.7096795) = 172.8975535.
    assert_usd(
        lever(Lever::AutoScaling).alone_usd,
        baseline - scaling_alone,
    ); // 265.1169
    assert_usd(lever(Lever::FargateSpot).alone_usd, baseline - spot_alone); // 221.0854275
    assert_usd(lever(Lever::AutoScaling).shapley_usd, 216.929_026);
    assert_usd(lever(Lever::FargateSpot).shapley_usd, 172.897_553_5);
    let sum: f64 = s.levers.iter().map(|l| l.shapley_usd).sum();
    assert_usd(sum, s.saving_usd());
    assert_eq!(
        s.unused,
        [
            Lever::VpcEndpoints,
            Lever::S3IntelligentTiering,
            Lever::DynamoDbCapacity
        ]
    );
    // 389.8265795 / 720.802 = 54.08%: above the 40% claimed.
    assert!(
        (s.saving_percent() - 54.082_3).abs() < 1e-3,
        "{}",
        s.saving_percent()
    );
}

/// One table: 1 write of 1 KB per transaction, no reads. On-demand costs 3,600 × 730 ×
/// 0.000000625 = 1.6425 USD per TPS a month; provisioned at 100 WCU (+ 1 RCU) costs
/// 100 × 730 × 0.00065 = 47.45 + 730 × 0.00013 = 0.0949 → 47.5449 whatever the load.
const DYNAMODB: &str = "schema_version: 1
name: ddb
region: us-east-1
availability_zones: 2
workload:
  peak_tps: 10
  profile: { generator: { trough_ratio: 1, busy_start_hour: 0, busy_end_hour: 24, weekend_factor: 1 } }
components:
  - id: t
    kind: dynamodb_table
    capacity_mode: on_demand
    item_size_kb: 1
    reads_per_transaction: 0
    writes_per_transaction: 1
    storage_gb: 0
variants:
  provisioned:
    patch:
      t: { capacity_mode: provisioned, read_capacity: { units: 1 }, write_capacity: { units: 100 } }
";

/// The DynamoDB model's base design (on-demand) and its `provisioned` variant.
fn on_demand_and_provisioned(doc: &ModelDocument) -> [Candidate<'_>; 2] {
    [
        Candidate {
            document: doc,
            variant: None,
        },
        Candidate {
            document: doc,
            variant: Some("provisioned"),
        },
    ]
}

#[test]
fn on_demand_versus_provisioned_break_even_solved_on_paper() {
    let doc = ModelDocument::parse(DYNAMODB, "ddb.yaml").unwrap();
    let candidates = on_demand_and_provisioned(&doc);
    let spec = SweepSpec::parse("workload.peak_tps=1..100", 12).unwrap();
    let s = sweep(&candidates, &spec, &prices(), &month()).unwrap();
    // 1.6425 × T = 47.5449 → T = 28.946666…
    assert_eq!(s.break_evens.len(), 1);
    assert!(
        (s.break_evens[0].value - 47.5449 / 1.6425).abs() < 1e-6,
        "{:?}",
        s.break_evens
    );
    assert_eq!(
        (
            s.break_evens[0].cheaper_below,
            s.break_evens[0].cheaper_above
        ),
        (0, 1)
    );
    // The points themselves: at T = 10, on-demand 16.425, provisioned 47.5449.
    assert_usd(s.points[1].totals[0], 16.425);
    assert_usd(s.points[1].totals[1], 47.5449);
    assert_eq!(s.labels, ["ddb", "ddb [provisioned]"]);
}

#[test]
fn comparing_a_model_with_itself_is_all_zeros() {
    let doc = ModelDocument::load("models/fintech-global-platform.yaml".as_ref()).unwrap();
    let t = doc.topology(None, &[]).unwrap();
    let e = estimate(&t, &prices(), &month()).unwrap();
    let c = compare(&[e.clone(), e]);
    assert_eq!(c.totals[0], c.totals[1]);
    assert!(
        c.by_component
            .iter()
            .chain(&c.by_service)
            .all(|r| r.delta(1) == 0.0)
    );
    assert_eq!(
        c.by_component.len(),
        t.components().len() - 2,
        "all but the two free gateway endpoints"
    );
}

#[test]
fn compare_sorts_by_the_largest_difference() {
    let doc = ModelDocument::parse(DYNAMODB, "ddb.yaml").unwrap();
    let run = |v| estimate(&doc.topology(v, &[]).unwrap(), &prices(), &month()).unwrap();
    let c = compare(&[run(None), run(Some("provisioned"))]);
    // 10 TPS: on-demand 16.425, provisioned 47.5449: +31.1199.
    assert_usd(c.by_component[0].delta(1), 47.5449 - 16.425);
    assert_eq!(c.by_component[0].key, "t");
}

#[test]
fn sampling_is_deterministic_for_a_seed_and_centred_on_the_median() {
    let doc = ModelDocument::parse(
        &DYNAMODB.replace("peak_tps: 10", "peak_tps: { p10: 5, p90: 50 }"),
        "ddb.yaml",
    )
    .unwrap();
    let run = |seed, threads| sample(&doc, None, 4000, seed, threads, &prices(), &month()).unwrap();
    let a = run(7, 1);
    assert_eq!(
        a,
        run(7, 2),
        "the result depends on the seed only, not on the threads"
    );
    assert_ne!(a.total, run(8, 1).total);
    // Cost is linear in TPS (1.6425 USD per TPS), so its percentiles are the load's:
    // P10 ≈ 5 × 1.6425 = 8.21, P50 ≈ √(5 × 50) × 1.6425 = 25.97, P90 ≈ 50 × 1.6425 = 82.13.
    assert!((a.total.p50 / 25.97 - 1.0).abs() < 0.06, "{:?}", a.total);
    assert!((a.total.p10 / 8.2125 - 1.0).abs() < 0.08, "{:?}", a.total);
    assert!((a.total.p90 / 82.125 - 1.0).abs() < 0.08, "{:?}", a.total);
    // A plain estimate uses the median load, √(5 × 50) = 15.81 TPS → 25.97.
    let point = estimate(&doc.topology(None, &[]).unwrap(), &prices(), &month()).unwrap();
    assert_usd(point.total_usd(), (250.0f64).sqrt() * 1.6425);
}

#[test]
fn sampled_topologies_match_fully_decoded_ones() {
    let doc = ModelDocument::load("models/fintech-global-platform.yaml".as_ref()).unwrap();
    let sampler = doc.sampler(None).unwrap();
    let values: Vec<f64> = doc.ranges().iter().map(|r| r.p90).collect();
    let overrides: Vec<(String, f64)> = doc
        .ranges()
        .iter()
        .map(|r| (r.path.clone(), r.p90))
        .collect();
    let fast = estimate(&sampler.topology(&values).unwrap(), &prices(), &month()).unwrap();
    let full = estimate(
        &doc.topology(None, &overrides).unwrap(),
        &prices(),
        &month(),
    )
    .unwrap();
    assert_eq!(fast.lines, full.lines);
}

#[test]
fn the_savings_report_ends_with_the_claim_line() {
    let (code, out, _) = archcost(&["savings", "models/fintech-global-platform.yaml"]);
    assert_eq!(code, 0);
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with("Claim: 40% saving over provisioned infrastructure; archcost finds "),
        "{last}"
    );
    assert!(
        last.ends_with("the claim does not hold under this model's assumptions."),
        "{last}"
    );
}

#[test]
fn analysis_commands_reject_bad_input_clearly() {
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "estimate",
                "models/fintech-global-platform.yaml",
                "--variant",
                "nope",
            ],
            "error: models/fintech-global-platform.yaml: field `variants`: unknown variant `nope`; expected one of: nat-only, graviton, valkey, io-optimized, dynamodb-on-demand",
        ),
        (
            &[
                "sweep",
                "models/fintech-global-platform.yaml",
                "--set",
                "workload.peak=1..2",
            ],
            "error: models/fintech-global-platform.yaml: field `workload.peak`: no field `peak` in workload",
        ),
        (
            &[
                "sweep",
                "models/fintech-global-platform.yaml",
                "--set",
                "components.api.kind=1..2",
            ],
            "error: models/fintech-global-platform.yaml: field `components.api.kind`: is not numeric",
        ),
        (
            &[
                "sweep",
                "models/fintech-global-platform.yaml",
                "--set",
                "workload.peak_tps=a..b",
            ],
            "error: `workload.peak_tps=a..b` is not a sweep; expected PATH=FROM..TO",
        ),
        (
            &["compare", "models/fintech-global-platform.yaml"],
            "error: compare needs at least two designs",
        ),
        (
            &[
                "estimate",
                "models/fintech-provisioned-baseline.yaml",
                "--samples",
                "10",
            ],
            "error: --samples: models/fintech-provisioned-baseline.yaml has no usage ranges",
        ),
    ];
    for (args, expected) in cases {
        let (code, out, err) = archcost(args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}");
        assert!(err.starts_with(expected), "{args:?}:\n{err}");
    }
}

/// Regression: a variant that sets a ranged field used to have its value overwritten by draws.
#[test]
fn a_variant_value_is_not_redrawn_from_the_base_range() {
    let model = DYNAMODB.replace("peak_tps: 10", "peak_tps: { p10: 5, p90: 50 }")
        + "  busy:\n    set: { workload.peak_tps: 100 }\n";
    let doc = ModelDocument::parse(&model, "ddb.yaml").unwrap();
    let d = sample(&doc, Some("busy"), 50, 7, 1, &prices(), &month()).unwrap();
    // The variant's 100 TPS stands in every draw: 100 × 1.6425 = 164.25.
    assert_usd(d.total.p10, 164.25);
    assert_usd(d.total.p90, 164.25);
    assert!(d.ranges.is_empty());
    // The base design still draws the range.
    assert_eq!(
        sample(&doc, None, 50, 7, 1, &prices(), &month())
            .unwrap()
            .ranges,
        ["workload.peak_tps"]
    );
}

/// Regression: a sweep written from high to low used to name the cheaper design the wrong way.
#[test]
fn a_descending_sweep_reports_the_same_break_even() {
    let doc = ModelDocument::parse(DYNAMODB, "ddb.yaml").unwrap();
    let candidates = on_demand_and_provisioned(&doc);
    let down = sweep(
        &candidates,
        &SweepSpec::parse("workload.peak_tps=100..1", 12).unwrap(),
        &prices(),
        &month(),
    )
    .unwrap();
    assert!((down.break_evens[0].value - 47.5449 / 1.6425).abs() < 1e-6);
    assert_eq!(
        (
            down.break_evens[0].cheaper_below,
            down.break_evens[0].cheaper_above
        ),
        (0, 1)
    );
}

/// Regression: an invalid swept value was blamed on the model file's line, and a value that
/// broke a component did not say which sweep point set it.
#[test]
fn sweep_errors_name_the_override_and_the_point() {
    let model = "models/fintech-global-platform.yaml";
    let (code, out, err) = archcost(&[
        "sweep",
        model,
        "--set",
        "workload.peak_tps=-100..100",
        "--steps",
        "3",
    ]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(
        err,
        "error: --set workload.peak_tps=-100: sweep point 1 of 3: -100 is not allowed; expected a finite number of at least 0\n"
    );
    // 0.5, 1, 1.5, 2 vCPU for `workers` (no sidecars, so its size is the task's): the second
    // point (1 vCPU) does not fit the service's 1 GB. (`api` has a sidecar: its reservation
    // need not be a task size.)
    let (code, _, err) = archcost(&[
        "sweep",
        model,
        "--set",
        "components.workers.vcpu=0.5..2",
        "--steps",
        "4",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with(
            "error: --set components.workers.vcpu=1: sweep point 2 of 4: field `components["
        ) && err.contains("memory_gb`: 1 GB is not a valid memory size for a 1 vCPU Fargate task"),
        "{err}"
    );
}

/// Regression: `100...5000` swept from 100 to 0.5 and exited 0.
#[test]
fn a_sweep_range_is_from_dot_dot_to_and_nothing_else() {
    let (code, out, err) = archcost(&[
        "sweep",
        "models/fintech-global-platform.yaml",
        "--set",
        "workload.peak_tps=100...5000",
    ]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.contains("is not a sweep; expected PATH=FROM..TO"),
        "{err}"
    );
}

/// Monte Carlo runs report their progress (the command line shows it on a terminal) without
/// changing the result.
#[test]
fn sampling_reports_progress_and_the_same_result() {
    let doc = ModelDocument::load("models/fintech-global-platform.yaml".as_ref()).unwrap();
    let reported = std::sync::Mutex::new(Vec::new());
    let with =
        archcost::uncertainty::sample_reporting(&doc, None, 301, 7, 2, &prices(), &month(), &|n| {
            reported.lock().unwrap().push(n)
        })
        .unwrap();
    let without = sample(&doc, None, 301, 7, 2, &prices(), &month()).unwrap();
    assert_eq!(with, without);
    let mut reported = reported.into_inner().unwrap();
    reported.sort_unstable();
    // Every 3rd draw (1% of 301, rounded down) reports 3 more; the 301st, the last, reports the
    // 1 left over: a hundred 3s and a 1, adding up to the 301 draws.
    let mut expected = vec![3; 100];
    expected.insert(0, 1);
    assert_eq!(reported, expected);
}
