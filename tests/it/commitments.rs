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
    // Coverage: 1,127.099802 × 0.04048 = 45.625 of 72.0802 eligible on demand = 63.2976%.
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
