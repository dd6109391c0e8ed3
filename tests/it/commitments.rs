//! Savings Plans in a model (`commitments:`), applied hour by hour by `archcost estimate`.
//! Rates from the us-east-1 snapshot: Fargate x86 on demand 0.04048 per vCPU-hour and 0.004445
//! per GB-hour; under a 1-year no-upfront Compute Savings Plan 0.032384 and 0.003556 (20% off
//! both, so vCPU, metered first, is covered first); 3-year no-upfront 0.022264 and 0.00244475.

use crate::util::*;

/// Two x86 tasks of 1 vCPU / 2 GB all month (730 h): 1,460 vCPU-h and 2,920 GB-h.
const API: &str =
    "  - id: api\n    kind: fargate_service\n    vcpu: 1\n    memory_gb: 2\n    desired_count: 2\n";

fn with(commitments: &str) -> String {
    format!("{}commitments:\n{commitments}", model(FLAT, 100.0, API, ""))
}

fn lines_of<'a>(d: &'a serde_json::Value, component: &str) -> Vec<&'a serde_json::Value> {
    d["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["component"] == component)
        .collect()
}

#[test]
fn a_plan_below_the_usage_is_spent_every_hour_and_the_rest_is_on_demand() {
    // 0.05 USD an hour at 0.032384 covers 0.05 / 0.032384 = 1.543972332 vCPU-h of the 2 each
    // hour: 1,127.099802 vCPU-h over 730 h for 36.50; the other 332.900198 vCPU-h on demand
    // cost 13.475800; memory 2,920 × 0.004445 = 12.9794. Total 62.955200.
    // On demand the same would cost 1,460 × 0.04048 + 12.9794 = 72.0802: the plan saves 9.125.
    let s = Sandbox::new("sp-spent");
    s.write(
        "model.yaml",
        &with("  - { id: compute-sp, type: compute_savings_plan, usd_per_hour: 0.05, term_years: 1, payment: no_upfront }\n"),
    );
    let run = s.run(&["estimate", "model.yaml", "--format", "json"]);
    assert_machine_success(&run);
    let d = json(&run);
    let covered = 0.05 / 0.032384 * 730.0;
    let api = lines_of(&d, "api");
    assert_eq!(api.len(), 3, "{d:#}");
    assert_usd(api[0]["quantity"].as_f64().unwrap(), covered);
    assert_eq!(api[0]["usd_per_unit"], 0.032384);
    assert_eq!(api[0]["price_source"]["effective_date"], "2026-09-25");
    assert_usd(api[0]["usd_per_month"].as_f64().unwrap(), 36.5);
    assert_usd(api[1]["quantity"].as_f64().unwrap(), 1460.0 - covered);
    assert_eq!(api[1]["usd_per_unit"], 0.04048);
    assert_usd(api[2]["usd_per_month"].as_f64().unwrap(), 12.9794);
    // The plan's own line: nothing unused.
    let plan = lines_of(&d, "compute-sp");
    assert_eq!(plan[0]["usage_type"], "ComputeSP:1yrNoUpfront");
    assert_usd(plan[0]["usd_per_month"].as_f64().unwrap(), 0.0);
    assert_usd(total(&d), 36.5 + (1460.0 - covered) * 0.04048 + 12.9794);
    let p = &d["commitments"]["plans"][0];
    assert_usd(p["utilization_percent"].as_f64().unwrap(), 100.0);
    assert_usd(
        p["net_saving_usd"].as_f64().unwrap(),
        covered * 0.04048 - 36.5,
    );
    // Coverage: 1,127.099802 × 0.04048 = 45.625 of 72.0802 eligible on demand = 63.2975%.
    assert_usd(
        d["commitments"]["coverage_percent"].as_f64().unwrap(),
        100.0 * covered * 0.04048 / 72.0802,
    );
}

#[test]
fn a_plan_above_the_usage_covers_it_all_and_the_rest_is_unused() {
    // 3-year no upfront, 0.10 USD an hour. Each hour: 2 vCPU-h × 0.022264 = 0.044528, then
    // 4 GB-h × 0.00244475 = 0.009779, all covered: 0.054307 spent, 0.045693 unused.
    // Over 730 h: 39.64411 spent, 33.35589 unused, 73.00 committed, which is the total: the
    // same usage on demand costs 72.0802, so this plan loses 0.9198 a month.
    let s = Sandbox::new("sp-unused");
    s.write(
        "model.yaml",
        &with("  - { id: compute-sp, type: compute_savings_plan, usd_per_hour: 0.1, term_years: 3, payment: no_upfront }\n"),
    );
    let run = s.run(&["estimate", "model.yaml", "--format", "json"]);
    assert_machine_success(&run);
    let d = json(&run);
    let api = lines_of(&d, "api");
    assert_eq!(api.len(), 2, "all covered, no on-demand remainder: {d:#}");
    assert_usd(api[0]["usd_per_month"].as_f64().unwrap(), 1460.0 * 0.022264);
    assert_usd(
        api[1]["usd_per_month"].as_f64().unwrap(),
        2920.0 * 0.00244475,
    );
    let plan = lines_of(&d, "compute-sp");
    assert_usd(plan[0]["usd_per_month"].as_f64().unwrap(), 73.0 - 39.64411);
    assert_usd(total(&d), 73.0);
    let p = &d["commitments"]["plans"][0];
    assert_usd(p["unused_usd"].as_f64().unwrap(), 33.35589);
    assert_usd(p["net_saving_usd"].as_f64().unwrap(), 72.0802 - 73.0);
    assert_usd(
        d["commitments"]["coverage_percent"].as_f64().unwrap(),
        100.0,
    );
}

#[test]
fn commitment_bad_inputs_are_named() {
    let s = Sandbox::new("sp-bad");
    // Line 17: the commitment; `term_years` is its 5th key.
    s.write(
        "term.yaml",
        &with("  - { id: sp, type: compute_savings_plan, usd_per_hour: 1, term_years: 2, payment: no_upfront }\n"),
    );
    let run = s.run(&["estimate", "term.yaml"]);
    assert_user_error(
        &run,
        "error: term.yaml:17:",
        &["field `commitments[0].term_years`: 2 years; Savings Plans run 1 or 3 years"],
    );
    s.write(
        "payment.yaml",
        &with("  - { id: sp, type: compute_savings_plan, usd_per_hour: 1, term_years: 1, payment: monthly }\n"),
    );
    let run = s.run(&["estimate", "payment.yaml"]);
    assert_user_error(
        &run,
        "error: payment.yaml:17:",
        &["commitments[0].payment", "no_upfront", "all_upfront"],
    );
    s.write(
        "clash.yaml",
        &with("  - { id: api, type: compute_savings_plan, usd_per_hour: 1, term_years: 1, payment: no_upfront }\n"),
    );
    let run = s.run(&["estimate", "clash.yaml"]);
    assert_user_error(
        &run,
        "error: clash.yaml:17:",
        &[
            "commitments[0].id",
            "`api` is already the id of a component",
        ],
    );
    // A variant's commitments replace the design's, and must be a list.
    s.write(
        "variant.yaml",
        &format!(
            "{}variants:\n  sp:\n    commitments: 3\n",
            model(FLAT, 100.0, API, "")
        ),
    );
    let run = s.run(&["estimate", "variant.yaml", "--variant", "sp"]);
    assert_user_error(
        &run,
        "error: variant.yaml:",
        &[
            "variants.sp.commitments",
            "expected a list of commitments (`[]` for none)",
        ],
    );
    // The snapshot has no 1-year all-upfront GB-hour rate: an error listing it, not a guess.
    s.write(
        "rate.yaml",
        &with("  - { id: sp, type: compute_savings_plan, usd_per_hour: 1, term_years: 1, payment: all_upfront }\n"),
    );
    let run = s.run(&["estimate", "rate.yaml"]);
    assert_user_error(
        &run,
        "error: estimating rate.yaml: no price in embedded snapshot us-east-1",
        &["ComputeSavingsPlans USE1-Fargate-GB-Hours (operation ComputeSP:1yrAllUpfront)"],
    );
}

#[test]
fn a_plan_that_covers_nothing_is_all_unused_and_said_so() {
    // A model of one NAT gateway and nothing a Compute Savings Plan covers: 0.02 × 730 = 14.60
    // of commitment, all unused, and a warning.
    let s = Sandbox::new("sp-nothing");
    let yaml = format!(
        "{}commitments:\n  - {{ id: sp, type: compute_savings_plan, usd_per_hour: 0.02, term_years: 1, payment: no_upfront }}\n",
        model(FLAT, 100.0, "  - id: nat\n    kind: nat_gateway\n", "")
    );
    s.write("model.yaml", &yaml);
    let run = s.run(&["estimate", "model.yaml", "--format", "json"]);
    assert_machine_success(&run);
    let d = json(&run);
    let plan = lines_of(&d, "sp");
    assert_usd(plan[0]["usd_per_month"].as_f64().unwrap(), 14.6);
    assert!(
        run.stderr
            .contains("covers none of the model's usage: all 14.60 USD of it is unused"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_best_commitment_covers_a_flat_load_to_the_nearest_tenth_of_a_cent() {
    // Two tasks all month need 2 × (0.032384 + 2 × 0.003556) = 0.078992 USD an hour at the
    // plan's rates. At 0.079 (0.001 steps) all of it is covered, 0.000008 an hour unused:
    // 0.079 × 730 = 57.67 against 72.0802 on demand, saving 14.4102. At 0.078, 0.000992 an hour
    // of plan-rate usage is left, 0.00124 on demand: 0.07924 × 730 = 57.8452, dearer.
    // Break-even: 0.078992 spent for 0.09874 of on-demand usage = 80%.
    let s = Sandbox::new("commit-flat");
    s.write("model.yaml", &model(FLAT, 100.0, API, ""));
    let run = s.run(&["commit", "model.yaml", "--format", "json"]);
    assert_machine_success(&run);
    let d = json(&run);
    assert_eq!(d["best"]["usd_per_hour"], 0.079, "{d:#}");
    assert_usd(d["best"]["covered_usage_usd"].as_f64().unwrap(), 57.67);
    assert_usd(d["on_demand_usd"].as_f64().unwrap(), 72.0802);
    assert_usd(d["best"]["saving_usd"].as_f64().unwrap(), 14.4102);
    assert_usd(
        d["best"]["utilization_percent"].as_f64().unwrap(),
        100.0 * 0.078992 / 0.079,
    );
    assert_usd(d["break_even_utilization_percent"].as_f64().unwrap(), 80.0);
    assert_usd(d["model_total_with_best_usd"].as_f64().unwrap(), 57.67);
    // One step below, through the library.
    use archcost::analysis::commit::Eligible;
    use archcost::model::commitment::{Payment, Term};
    let t = archcost::model_file::parse(&model(FLAT, 100.0, API, ""), "m.yaml").unwrap();
    let book = archcost::PriceBook::embedded(t.region).unwrap();
    let period = archcost::BillingPeriod::standard_month();
    let eligible = Eligible::of(&t, &book, &period, Term::OneYear, Payment::NoUpfront).unwrap();
    let below = eligible.level(&book, 0.078, Term::OneYear, Payment::NoUpfront);
    assert_usd(below.cost_usd, 57.8452);
}

#[test]
fn the_best_commitment_is_no_worse_than_any_on_a_fine_grid() {
    // The reference model's Fargate load varies hour by hour (target tracking, Spot for the
    // workers): every 0.001 USD an hour from 0 to 0.6 costs at least as much as the best.
    use archcost::analysis::commit::{Eligible, best_commitment};
    use archcost::model::commitment::{Payment, Term};
    let t = archcost::model_file::load(&reference_model_path()).unwrap();
    let book = archcost::PriceBook::embedded(t.region).unwrap();
    let period = archcost::BillingPeriod::standard_month();
    let best = best_commitment(&t, &book, &period, Term::OneYear, Payment::NoUpfront).unwrap();
    let eligible = Eligible::of(&t, &book, &period, Term::OneYear, Payment::NoUpfront).unwrap();
    let mut grid_best = f64::INFINITY;
    for step in 0..=600 {
        let c = f64::from(step) / 1000.0;
        let cost = eligible
            .level(&book, c, Term::OneYear, Payment::NoUpfront)
            .cost_usd;
        assert!(
            best.best.cost_usd <= cost + 1e-9,
            "{c}: {cost} < {}",
            best.best.cost_usd
        );
        grid_best = grid_best.min(cost);
    }
    assert!((best.best.cost_usd - grid_best).abs() < 1e-9);
    assert!(best.best.usd_per_hour > 0.0 && best.best.usd_per_hour < 0.6);
}

#[test]
fn commit_bad_inputs_are_named() {
    let s = Sandbox::new("commit-bad");
    s.write("model.yaml", &model(FLAT, 100.0, API, ""));
    let run = s.run(&["commit", "model.yaml", "--term", "5"]);
    assert_user_error(&run, "error: --term 5: Savings Plans run 1 or 3 years", &[]);
    let run = s.run(&["commit", "model.yaml", "--payment", "all-upfront"]);
    assert_user_error(
        &run,
        "error: the best commitment for model.yaml: no price in embedded snapshot us-east-1",
        &["ComputeSavingsPlans USE1-Fargate-GB-Hours (operation ComputeSP:1yrAllUpfront)"],
    );
}

#[test]
fn savings_say_how_the_baseline_is_priced_and_price_it_with_its_best_plan_too() {
    // Two fixed tasks use no lever: the baseline is the design, 72.0802 on demand. Bought with
    // its best plan (0.079 USD an hour, as above) the baseline costs 57.67, so against it the
    // design saves 57.67 − 72.0802 = −14.4102, −24.987%.
    let s = Sandbox::new("savings-committed");
    s.write("model.yaml", &model(FLAT, 100.0, API, ""));
    let run = s.run(&["savings", "model.yaml", "--format", "json"]);
    assert_machine_success(&run);
    let d = json(&run);
    assert_eq!(d["baseline_priced"], "on_demand");
    let c = &d["committed_baseline"];
    assert_eq!(c["usd_per_hour"], 0.079, "{d:#}");
    assert_usd(c["baseline_usd_per_month"].as_f64().unwrap(), 57.67);
    assert_usd(c["saving_usd_per_month"].as_f64().unwrap(), -14.4102);
    assert_usd(
        c["saving_percent"].as_f64().unwrap(),
        -14.4102 / 57.67 * 100.0,
    );
}

/// Runs `archcost commitments FIXTURE --format json` on a hand-written export.
fn on_the_bill(file: &str, extra: &[&str]) -> serde_json::Value {
    let s = Sandbox::new("bill-commitments");
    let path = fixture_path(&format!("commitments/{file}"));
    let mut args = vec!["commitments", path.as_str(), "--format", "json"];
    args.extend(extra);
    let run = s.run(&args);
    assert_machine_success(&run);
    json(&run)
}

/// October 2026 in `tests/fixtures/commitments/`:
/// - Savings Plan sp-1 covered 36.50 of Fargate (45.625 on demand) and 20.00 of EC2 (25.00):
///   used 56.50, unused 3.50, committed 60.00, utilisation 56.5 / 60 = 94.1667%, covered
///   70.625 on demand, net saving 70.625 − 60 = 10.625;
/// - reservation ledger-ri: used 120.00 (189.80 on demand), unused 10.00 (CUR: 4 upfront + 6
///   recurring), utilisation 120 / 130 = 92.3077%, net saving 189.80 − 130 = 59.80;
/// - on demand, what a plan may cover: Fargate 13.4758 + EC2 30.00 = 43.4758 (Spot and S3 are
///   not); coverage 70.625 / (70.625 + 43.4758) = 61.8970%.
fn assert_october(d: &serde_json::Value) {
    assert_eq!(d["month"], "2026-10", "{d:#}");
    let by = |end: &str| {
        d["commitments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"].as_str().unwrap().ends_with(end))
            .unwrap_or_else(|| panic!("{end} in {d:#}"))
            .clone()
    };
    let sp = by("savingsplan/sp-1");
    assert_eq!(sp["kind"], "Savings Plan");
    assert_usd(sp["used_usd"].as_f64().unwrap(), 56.5);
    assert_usd(sp["unused_usd"].as_f64().unwrap(), 3.5);
    assert_usd(
        sp["utilization_percent"].as_f64().unwrap(),
        56.5 / 60.0 * 100.0,
    );
    assert_usd(sp["covered_on_demand_usd"].as_f64().unwrap(), 70.625);
    assert_usd(sp["net_saving_usd"].as_f64().unwrap(), 10.625);
    let ri = by("ri:ledger-ri");
    assert_eq!(ri["kind"], "Reservation");
    assert_usd(ri["used_usd"].as_f64().unwrap(), 120.0);
    assert_usd(ri["unused_usd"].as_f64().unwrap(), 10.0);
    assert_usd(
        ri["utilization_percent"].as_f64().unwrap(),
        120.0 / 130.0 * 100.0,
    );
    assert_usd(ri["net_saving_usd"].as_f64().unwrap(), 59.8);
    assert_usd(d["eligible_on_demand_usd"].as_f64().unwrap(), 43.4758);
    assert_usd(
        d["coverage_percent"].as_f64().unwrap(),
        70.625 / (70.625 + 43.4758) * 100.0,
    );
}

#[test]
fn a_focus_export_gives_each_commitments_use_and_the_coverage() {
    let d = on_the_bill("focus.csv", &[]);
    assert_october(&d);
    // One on-demand line has no usage type (the fixture's 1.00 USD line): left out of the
    // coverage, and said.
    assert_usd(d["unknown_on_demand_usd"].as_f64().unwrap(), 1.0);
    // September: 30.00 used for 37.50 on demand, nothing unused.
    let d = on_the_bill("focus.csv", &["--month", "2026-09"]);
    assert_usd(d["commitments"][0]["net_saving_usd"].as_f64().unwrap(), 7.5);
}

#[test]
fn a_cur_export_gives_the_same_month() {
    let d = on_the_bill("cur.csv", &[]);
    assert_october(&d);
    assert_usd(d["unknown_on_demand_usd"].as_f64().unwrap(), 0.0);
}

#[test]
fn commitments_on_the_bill_bad_inputs_are_named() {
    let s = Sandbox::new("bill-commitments-bad");
    let path = fixture_path("commitments/focus.csv");
    let run = s.run(&["commitments", &path, "--month", "2026-11"]);
    assert_user_error(
        &run,
        &format!("error: {path}: no lines for 2026-11; the bill has 2026-09, 2026-10"),
        &[],
    );
    s.write("saved.json", "{}");
    let run = s.run(&["commitments", "saved.json"]);
    assert_user_error(
        &run,
        "error: saved.json: commitments on the bill are read from the Cost Explorer API (ce:YYYY-MM) or from CUR 2.0 or FOCUS exports",
        &["not from a saved response"],
    );
    let run = s.run(&["commitments", "ce:2026-09..2026-10"]);
    assert_user_error(
        &run,
        "error: ce:2026-09..2026-10: commitments are read one month at a time; expected ce:YYYY-MM",
        &[],
    );
}

#[test]
fn cost_explorer_gives_each_plan_and_reservation_through_the_sdk() {
    // Replayed in the order archcost asks: two pages of GetSavingsPlansUtilizationDetails,
    // GetSavingsPlansCoverage, GetReservationUtilization by subscription (the shapes of
    // ce_2017-10-25; amounts are text). sp-1 as in the exports; sp-2 spent 4 of 10 on usage
    // worth 5 on demand: net saving 5 − 10 = −5. The reservation's 130 amortized fee, 10 of it
    // for unused hours: used 120, net 189.80 − 130 = 59.80. Coverage: the plans covered 70.625
    // + 5 = 75.625 of on-demand-equivalent spend, 43.4758 ran on demand: 75.625 / 119.1008 =
    // 63.4966%.
    let period = r#""TimePeriod":{"Start":"2026-10-01","End":"2026-11-01"}"#;
    let detail = |arn: &str, total: &str, used: &str, unused: &str, od: &str, next: &str| {
        format!(
            r#"{{"SavingsPlansUtilizationDetails":[{{"SavingsPlanArn":"{arn}","Attributes":{{"SavingsPlansType":"ComputeSavingsPlans"}},"Utilization":{{"TotalCommitment":"{total}","UsedCommitment":"{used}","UnusedCommitment":"{unused}","UtilizationPercentage":"0"}},"Savings":{{"NetSavings":"0","OnDemandCostEquivalent":"{od}"}},"AmortizedCommitment":{{"TotalAmortizedCommitment":"{total}"}}}}],{period}{next}}}"#
        )
    };
    let responses = vec![
        detail(
            "arn:aws:savingsplans::111122223333:savingsplan/sp-1",
            "60",
            "56.5",
            "3.5",
            "70.625",
            r#","NextToken":"details-2""#,
        ),
        detail(
            "arn:aws:savingsplans::111122223333:savingsplan/sp-2",
            "10",
            "4",
            "6",
            "5",
            "",
        ),
        format!(
            r#"{{"SavingsPlansCoverages":[{{"Attributes":{{}},"Coverage":{{"SpendCoveredBySavingsPlans":"75.625","OnDemandCost":"43.4758","TotalCost":"119.1008","CoveragePercentage":"63.4966"}},{period}}}]}}"#
        ),
        format!(
            r#"{{"UtilizationsByTime":[{{{period},"Groups":[{{"Key":"SUBSCRIPTION_ID","Value":"ri-ledger","Attributes":{{}},"Utilization":{{"PurchasedHours":"744","TotalActualHours":"686.77","UnusedHours":"57.23","OnDemandCostOfRIHoursUsed":"189.8","NetRISavings":"59.8","TotalAmortizedFee":"130","RICostForUnusedHours":"10"}}}}]}}]}}"#
        ),
    ];
    let mut replies = responses.into_iter();
    let (url, seen) = loopback(move |_| {
        replies.next().map_or(
            (500, r#"{"__type":"InternalErrorException"}"#.into()),
            |r| (200, r),
        )
    });
    let s = Sandbox::new("bill-commitments-ce");
    let run = s.run_with_test_credentials(&[
        "commitments",
        "ce:2026-10",
        "--endpoint-url",
        &url,
        "--format",
        "json",
    ]);
    assert_machine_success(&run);
    let d = json(&run);
    let requests: Vec<serde_json::Value> = seen
        .try_iter()
        .map(|b| serde_json::from_str(&b).unwrap())
        .collect();
    assert_eq!(requests.len(), 4, "{requests:#?}");
    assert_eq!(requests[0]["TimePeriod"]["Start"], "2026-10-01");
    assert_eq!(requests[0]["TimePeriod"]["End"], "2026-11-01");
    assert_eq!(requests[1]["NextToken"], "details-2");
    assert_eq!(requests[3]["GroupBy"][0]["Key"], "SUBSCRIPTION_ID");
    let c = d["commitments"].as_array().unwrap();
    assert_eq!(c.len(), 3, "{d:#}");
    let by = |end: &str| {
        c.iter()
            .find(|x| x["id"].as_str().unwrap().ends_with(end))
            .unwrap_or_else(|| panic!("{end}: {d:#}"))
    };
    assert_usd(by("sp-1")["net_saving_usd"].as_f64().unwrap(), 10.625);
    assert_usd(by("sp-2")["net_saving_usd"].as_f64().unwrap(), -5.0);
    assert_usd(by("sp-2")["utilization_percent"].as_f64().unwrap(), 40.0);
    let ri = by("ri-ledger");
    assert_eq!(ri["kind"], "Reservation");
    assert_usd(ri["used_usd"].as_f64().unwrap(), 120.0);
    assert_usd(ri["net_saving_usd"].as_f64().unwrap(), 59.8);
    assert_usd(
        d["coverage_percent"].as_f64().unwrap(),
        75.625 / (75.625 + 43.4758) * 100.0,
    );
}

#[test]
fn the_real_focus_sample_defaults_to_its_month_with_commitments() {
    // The anonymised FOCUS 1.0 sample's four Savings Plan lines are in September 2024 (its
    // latest month, October, has none): plan 37985e61… covered 0.0112 + 0.085 + 0.0000790222
    // = 0.0962790222 USD at list, plan 493f5705… 0.0464. The sample's effective costs are 0.
    let s = Sandbox::new("bill-commitments-sample");
    let path = fixture_path("focus/focus-1.0-sample.csv");
    let run = s.run(&["commitments", &path, "--format", "json"]);
    assert_machine_success(&run);
    let d = json(&run);
    assert_eq!(d["month"], "2024-09");
    let covered: Vec<f64> = d["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["covered_on_demand_usd"].as_f64().unwrap())
        .collect();
    assert_eq!(covered.len(), 2, "{d:#}");
    assert_usd(covered[0], 0.0962790222);
    assert_usd(covered[1], 0.0464);
}

#[test]
fn the_shipped_models_committed_variants_cost_what_commit_found() {
    // Each shipped `committed` variant carries the commitment `archcost commit` finds for its
    // base design; estimated with it, the total is the one `commit` promises. The rates are
    // the optimiser's answers written into the model files (not hand-priced: the search over
    // 730 hours of 20-odd lines is checked against brute force in
    // `the_best_commitment_is_no_worse_than_any_on_a_fine_grid`); pinned here so that a model
    // file left behind by a change in the search fails.
    let s = Sandbox::new("committed-variants");
    for (m, usd_per_hour) in [
        ("fintech-global-platform", 0.257),
        ("fintech-provisioned-baseline", 1.303),
    ] {
        let path = format!("{}/models/{m}.yaml", env!("CARGO_MANIFEST_DIR"));
        let run = s.run(&["commit", &path, "--format", "json"]);
        assert_machine_success(&run);
        let plan = json(&run);
        assert_eq!(plan["best"]["usd_per_hour"], usd_per_hour, "{m}");
        let run = s.run(&[
            "estimate",
            &path,
            "--variant",
            "committed",
            "--format",
            "json",
        ]);
        assert_machine_success(&run);
        let e = json(&run);
        assert_usd(
            total(&e),
            plan["model_total_with_best_usd"].as_f64().unwrap(),
        );
        assert_eq!(e["commitments"]["plans"][0]["usd_per_hour"], usd_per_hour);
    }
}

#[test]
fn reconcile_compares_covered_usage_at_on_demand_and_the_plans_effect_apart() {
    // The reconcile fixture (two tasks of 1 vCPU / 2 GB, October 2026: 744 h) with a
    // 0.05 USD-an-hour plan. Usage lines are compared at on-demand cost as without the plan
    // (vCPU 2 × 744 × 0.04048 = 60.23424); the plan: 0.05 × 744 = 37.20 committed, covering
    // 0.05 / 0.032384 vCPU-h an hour, worth 0.05 × 0.04048 / 0.032384 = 0.0625 an hour on
    // demand: 46.50. Its effect, 37.20 − 46.50 = −9.30, stands beside the bill's commitment
    // charges.
    let s = Sandbox::new("reconcile-committed");
    let plain = std::fs::read_to_string(fixture_path("reconcile/model.yaml")).unwrap();
    s.write("plain.yaml", &plain);
    s.write(
        "committed.yaml",
        &format!(
            "{plain}commitments:\n  - {{ id: sp, type: compute_savings_plan, usd_per_hour: 0.05, term_years: 1, payment: no_upfront }}\n"
        ),
    );
    let focus = fixture_path("reconcile/focus.csv");
    let run_of = |m: &str| {
        let run = s.run(&[
            "reconcile",
            "--model",
            m,
            "--actuals",
            &focus,
            "--format",
            "json",
        ]);
        assert_machine_success(&run);
        json(&run)
    };
    let (plain, committed) = (run_of("plain.yaml"), run_of("committed.yaml"));
    assert_eq!(plain["lines"], committed["lines"]);
    assert_usd(
        committed["lines"][0]["estimated_usd"].as_f64().unwrap(),
        2.0 * 744.0 * 0.04048,
    );
    let said = committed["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w.as_str())
        .find(|w| w.starts_with("The model has Savings Plans (sp)"))
        .unwrap_or_else(|| panic!("{committed:#}"));
    assert!(
        said.contains(
            "estimated -9.30 USD (37.20 committed less 46.50 of covered usage at on-demand prices)"
        ),
        "{said}"
    );
}

/// An Aurora PostgreSQL cluster of two db.r6g.large (writer and one reader) all month.
const AURORA: &str = "  - id: db\n    kind: aurora_postgresql\n    writer: { instance_class: db.r6g.large }\n    readers: { instance_class: db.r6g.large, count: 1 }\n    storage_gb: 0\n    io_requests_per_transaction: 0\n";

/// The us-east-1 snapshot's 3-year all-upfront Aurora PostgreSQL db.r6g.large reservation:
/// 2,378.01 USD upfront (the source's annual 792.67 × 3) over 26,280 hours, as stored
/// (10 significant digits).
const RESERVED_R6G_LARGE: f64 = 0.09048744292;

fn reserved(count: u32) -> String {
    format!(
        "{}commitments:\n  - {{ id: ri, type: reservation, service: aurora_postgresql, instance_class: db.r6g.large, count: {count}, term_years: 3, payment: all_upfront }}\n",
        model(FLAT, 100.0, AURORA, "")
    )
}

#[test]
fn reservations_cover_their_count_of_instance_hours_every_hour() {
    let s = Sandbox::new("reserved");
    // Three reserved for two running: each hour two instance-hours covered, one unused.
    //   covered 2 × 730 × r, unused 730 × r, committed 3 × 730 × r = 198.16750 (r as above);
    //   on demand the two would cost 2 × 730 × 0.26 = 379.60. Upfront 3 × r × 26,280 =
    //   3 × 2,378.0099999 (2,378.01 to the stored rate's 10 digits) = 7,134.03.
    s.write("three.yaml", &reserved(3));
    let run = s.run(&["estimate", "three.yaml", "--format", "json"]);
    assert_machine_success(&run);
    let d = json(&run);
    let r = RESERVED_R6G_LARGE;
    assert_usd(total(&d), 3.0 * 730.0 * r);
    let plan = &d["commitments"]["plans"][0];
    assert_usd(plan["used_usd"].as_f64().unwrap(), 2.0 * 730.0 * r);
    assert_usd(plan["unused_usd"].as_f64().unwrap(), 730.0 * r);
    assert_usd(plan["utilization_percent"].as_f64().unwrap(), 200.0 / 3.0);
    assert_usd(plan["covered_on_demand_usd"].as_f64().unwrap(), 379.6);
    assert_usd(plan["upfront_usd"].as_f64().unwrap(), 3.0 * r * 26280.0);
    let unused = lines_of(&d, "ri");
    assert_eq!(unused[0]["usage_type"], "HeavyUsage:db.r6g.large");
    // One reserved for two running: the writer's hours covered (its line comes first), the
    // reader's on demand: 730 × r + 730 × 0.26 = 66.05583 + 189.80.
    s.write("one.yaml", &reserved(1));
    let run = s.run(&["estimate", "one.yaml", "--format", "json"]);
    assert_machine_success(&run);
    let d = json(&run);
    assert_usd(total(&d), 730.0 * r + 730.0 * 0.26);
    let db = lines_of(&d, "db");
    assert!(
        db[0]["description"].as_str().unwrap().contains(
            "covered by ri (Aurora PostgreSQL reservation, 1 × db.r6g.large, 3 yr, all upfront)"
        ),
        "{d:#}"
    );
    assert_eq!(d["commitments"]["plans"][0]["unused_usd"], 0.0);
}

#[test]
fn reservation_bad_inputs_are_named() {
    let s = Sandbox::new("reserved-bad");
    let with_ri = |fields: &str| {
        format!(
            "{}commitments:\n  - {{ id: ri, type: reservation, {fields} }}\n",
            model(FLAT, 100.0, AURORA, "")
        )
    };
    // A term the snapshot has no rate for: an error naming the rate.
    s.write(
        "term.yaml",
        &with_ri("service: aurora_postgresql, instance_class: db.r6g.large, count: 1, term_years: 1, payment: no_upfront"),
    );
    let run = s.run(&["estimate", "term.yaml"]);
    assert_user_error(
        &run,
        "error: estimating term.yaml: no price in embedded snapshot us-east-1",
        &[
            "AmazonRDS InstanceUsage:db.r6g.large (operation CreateDBInstance:0021:Reserved:1yrNoUpfront)",
        ],
    );
    s.write(
        "hourly.yaml",
        &with_ri("service: aurora_postgresql, instance_class: db.r6g.large, count: 1, usd_per_hour: 1, term_years: 3, payment: all_upfront"),
    );
    let run = s.run(&["estimate", "hourly.yaml"]);
    assert_user_error(
        &run,
        "error: hourly.yaml:",
        &[
            "commitments[0].usd_per_hour",
            "a reservation's hourly cost is its rate in the price book",
        ],
    );
    s.write(
        "class.yaml",
        &with_ri("service: aurora_postgresql, count: 1, term_years: 3, payment: all_upfront"),
    );
    let run = s.run(&["estimate", "class.yaml"]);
    assert_user_error(
        &run,
        "error: class.yaml:",
        &[
            "commitments[0].type",
            "a reservation needs service, instance_class and count",
        ],
    );
    // A reservation for a class the model does not run: all of it unused, and said.
    s.write(
        "idle.yaml",
        &with_ri("service: aurora_postgresql, instance_class: db.r6g.xlarge, count: 1, term_years: 3, payment: all_upfront"),
    );
    let run = s.run(&["estimate", "idle.yaml", "--format", "json"]);
    assert_machine_success(&run);
    assert!(
        run.stderr.contains("covers none of the model's usage"),
        "{}",
        run.stderr
    );
}

#[test]
fn ec2_reservations_and_the_missing_ec2_plan_rate() {
    // Two m6i.large all month (730 h) with one 3-year all-upfront reservation: 996.00 USD
    // upfront (the source's annual 332.0 × 3) over 26,280 h = 0.03789954338 an hour (as
    // stored). One instance covered: 730 × 0.03789954338 = 27.66667; the other on demand:
    // 730 × 0.096 = 70.08.
    let s = Sandbox::new("reserved-ec2");
    let app = "  - id: app\n    kind: ec2_instances\n    instance_type: m6i.large\n    count: 2\n";
    let ri = "  - { id: ri, type: reservation, service: ec2, instance_class: m6i.large, count: 1, term_years: 3, payment: all_upfront }\n";
    s.write(
        "model.yaml",
        &format!("{}commitments:\n{ri}", model(FLAT, 100.0, app, "")),
    );
    let run = s.run(&["estimate", "model.yaml", "--format", "json"]);
    assert_machine_success(&run);
    let d = json(&run);
    assert_usd(total(&d), 730.0 * 0.03789954338 + 730.0 * 0.096);
    assert_usd(
        d["commitments"]["plans"][0]["utilization_percent"]
            .as_f64()
            .unwrap(),
        100.0,
    );
    // A Compute Savings Plan beside it would cover the rest, but the snapshot has no plan rate
    // for EC2: an error naming it, not a guess.
    s.write(
        "both.yaml",
        &format!(
            "{}commitments:\n{ri}  - {{ id: sp, type: compute_savings_plan, usd_per_hour: 0.05, term_years: 1, payment: no_upfront }}\n",
            model(FLAT, 100.0, app, "")
        ),
    );
    let run = s.run(&["estimate", "both.yaml"]);
    assert_user_error(
        &run,
        "error: estimating both.yaml: no price in embedded snapshot us-east-1",
        &["ComputeSavingsPlans BoxUsage:m6i.large (operation ComputeSP:1yrNoUpfront)"],
    );
}

#[test]
fn commit_finds_the_reservation_count_for_each_class() {
    // Two db.r6g.large run every hour. At 3 years all upfront a reservation costs
    // r = 0.09048744292 an hour against 0.26 on demand, so both are reserved:
    //   2 × 730 × r = 132.11167, against 2 × 730 × 0.26 = 379.60 on demand; fully used;
    //   upfront 2 × r × 26,280 = 2 × 2,378.0099999 = 4,756.02.
    // Nothing here is what a Compute Savings Plan covers: its best is none. At 1 year no
    // upfront the snapshot has no reservation rate: that class is listed unpriced.
    let s = Sandbox::new("commit-reservations");
    s.write("model.yaml", &model(FLAT, 100.0, AURORA, ""));
    let run = s.run(&[
        "commit",
        "model.yaml",
        "--term",
        "3",
        "--payment",
        "all-upfront",
        "--format",
        "json",
    ]);
    assert_machine_success(&run);
    let d = json(&run);
    assert_eq!(d["best"]["usd_per_hour"], 0.0, "{d:#}");
    let r = &d["reservations"][0];
    assert_eq!(r["instance_class"], "db.r6g.large", "{d:#}");
    assert_eq!(r["count"], 2);
    assert_usd(
        r["cost_usd"].as_f64().unwrap(),
        2.0 * 730.0 * RESERVED_R6G_LARGE,
    );
    assert_usd(r["on_demand_usd"].as_f64().unwrap(), 379.6);
    assert_usd(r["utilization_percent"].as_f64().unwrap(), 100.0);
    assert_usd(
        r["upfront_usd"].as_f64().unwrap(),
        2.0 * RESERVED_R6G_LARGE * 26280.0,
    );
    let run = s.run(&["commit", "model.yaml", "--format", "json"]);
    assert_machine_success(&run);
    let d = json(&run);
    assert!(
        d["reservations"][0]["unpriced"]
            .as_str()
            .unwrap()
            .contains("no rate AmazonRDS InstanceUsage:db.r6g.large (operation CreateDBInstance:0021:Reserved:1yrNoUpfront)"),
        "{d:#}"
    );
}

#[test]
fn a_plan_without_rates_stands_unpriced_beside_the_reservations() {
    // The reference model at 3 years all upfront: the snapshot has no Fargate GB-hour plan
    // rate for it, but has the Aurora reservation rate: the command goes on, the plan unpriced
    // and named, the db.r6g.large reservations priced.
    let s = Sandbox::new("commit-unpriced-plan");
    let reference = reference_model_path().display().to_string();
    let args = [
        "commit",
        reference.as_str(),
        "--term",
        "3",
        "--payment",
        "all-upfront",
    ];
    let run = s.run(&args);
    assert_success(&run);
    assert!(
        run.stdout
            .contains("Compute Savings Plan (3 yr, all upfront) for"),
        "{}",
        run.stdout
    );
    let mut with_json = args.to_vec();
    with_json.extend(["--format", "json"]);
    let run = s.run(&with_json);
    assert_machine_success(&run);
    let d = json(&run);
    assert!(
        d["savings_plan_unpriced"].as_str().unwrap().contains(
            "ComputeSavingsPlans USE1-Fargate-GB-Hours (operation ComputeSP:3yrAllUpfront)"
        ),
        "{d:#}"
    );
    assert_eq!(d.get("best"), None);
    assert_eq!(d["reservations"][0]["instance_class"], "db.r6g.large");
    assert_eq!(d["reservations"][0]["unpriced"], serde_json::Value::Null);
}

#[test]
fn a_plan_covers_the_deepest_discount_first_across_services() {
    // 1-year no-upfront rates: Graviton (arm64) GB-hour 0.0028 of 0.00356 (21.35% off), vCPU-hour
    // 0.0255 of 0.03238 (21.25% off); x86 vCPU-hour 0.032384 of 0.04048 and GB-hour 0.003556 of
    // 0.004445 (20% off both, vCPU metered first). A plan of 0.08 USD an hour, each hour:
    //   arm GB 2 × 0.0028 = 0.0056, arm vCPU 1 × 0.0255 = 0.0255 (all of the Graviton task),
    //   then x86 vCPU with the 0.0489 left: 0.0489 / 0.032384 = 1.5100049 of its 2 vCPU-h,
    //   and none of the x86 memory.
    // Over 730 h: 58.40 committed, all used; x86 vCPU 730 × (2 − 1.5100049) × 0.04048 = 14.479550
    // and x86 memory 2,920 × 0.004445 = 12.9794 on demand. Total 85.858950.
    let arm = "  - id: arm\n    kind: fargate_service\n    architecture: arm64\n    vcpu: 1\n    memory_gb: 2\n    desired_count: 1\n";
    let s = Sandbox::new("sp-order");
    s.write(
        "model.yaml",
        &format!(
            "{}commitments:\n  - {{ id: compute-sp, type: compute_savings_plan, usd_per_hour: 0.08, term_years: 1, payment: no_upfront }}\n",
            model(FLAT, 100.0, &format!("{API}{arm}"), "")
        ),
    );
    let run = s.run(&["estimate", "model.yaml", "--format", "json"]);
    assert_machine_success(&run);
    let d = json(&run);
    let arm_lines = lines_of(&d, "arm");
    assert_eq!(arm_lines.len(), 2, "the Graviton task all covered: {d:#}");
    assert_usd(
        arm_lines[0]["usd_per_month"].as_f64().unwrap(),
        730.0 * 0.0255,
    );
    assert_usd(
        arm_lines[1]["usd_per_month"].as_f64().unwrap(),
        1460.0 * 0.0028,
    );
    let covered_x86 = (0.08 - 0.0056 - 0.0255) / 0.032384;
    let api = lines_of(&d, "api");
    assert_eq!(api.len(), 3, "{d:#}");
    assert_usd(api[0]["quantity"].as_f64().unwrap(), 730.0 * covered_x86);
    assert_eq!(api[0]["usd_per_unit"], 0.032384);
    assert_usd(
        api[1]["quantity"].as_f64().unwrap(),
        730.0 * (2.0 - covered_x86),
    );
    assert_eq!(api[1]["usd_per_unit"], 0.04048);
    assert_eq!(
        api[2]["usd_per_unit"], 0.004445,
        "x86 memory left on demand"
    );
    assert_usd(api[2]["usd_per_month"].as_f64().unwrap(), 12.9794);
    assert_usd(
        lines_of(&d, "compute-sp")[0]["usd_per_month"]
            .as_f64()
            .unwrap(),
        0.0,
    );
    assert_usd(total(&d), 85.85895);
}
