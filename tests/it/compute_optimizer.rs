//! `archcost rightsize` with AWS Compute Optimizer: saved responses (`--from-file`) and the live
//! API (`--compute-optimizer`) through the real SDK client against a loopback server that speaks
//! the protocol the SDK uses for Compute Optimizer (Smithy RPC v2 CBOR), replaying the
//! recorded responses in `tests/fixtures/compute-optimizer/` with pagination and one
//! resource-level error.
//!
//! Every archcost figure is worked out by hand from the us-east-1 snapshot of 2026-10-08 over
//! the standard 730-hour month:
//! - Fargate x86: $0.04048 per vCPU-hour, $0.004445 per GB-hour;
//! - EC2 Linux On-Demand per hour: m6i.xlarge 0.192, m6g.large 0.077, m5.large 0.096,
//!   t3.medium 0.0416, t4g.medium 0.0336 (m8g.large is not in the snapshot);
//! - RDS for PostgreSQL Single-AZ: db.r6g.2xlarge 0.899, db.r6g.xlarge 0.45;
//!   Aurora PostgreSQL (Standard): db.r6g.xlarge 0.519, db.r6g.large 0.26.

use serde_json::Value;

use crate::cbor;
use crate::util::*;

fn fixture(name: &str) -> String {
    fixture_path(&format!("compute-optimizer/{name}"))
}

const FILES: [&str; 5] = ["ecs.json", "ec2.json", "asg.json", "rds.json", "idle.json"];

/// The ranked entry for a resource (matched on its ARN's end).
fn entry<'a>(d: &'a Value, resource_end: &str) -> &'a Value {
    d["recommendations"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|r| {
            r["resource"]
                .as_str()
                .is_some_and(|s| s.ends_with(resource_end))
        })
        .unwrap_or_else(|| panic!("no recommendation for {resource_end} in {d:#}"))
}

/// The ranked list's resources by the last part of their ARN.
fn ranked_names(d: &Value) -> Vec<&str> {
    d["recommendations"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|r| r["resource"].as_str()?.rsplit(['/', ':']).next())
        .collect()
}

fn saving(r: &Value) -> f64 {
    r["saving_usd_per_month"].as_f64().expect("priced")
}

fn from_files(s: &Sandbox, extra: &[&str]) -> Value {
    let paths: Vec<String> = FILES.iter().map(|f| fixture(f)).collect();
    let mut args = vec!["rightsize"];
    for p in &paths {
        args.extend(["--from-file", p.as_str()]);
    }
    args.extend(extra);
    args.extend(["--format", "json"]);
    let run = s.run(&args);
    assert_machine_success(&run);
    json(&run)
}

/// The figures every source of these responses must give, saved or live.
fn assert_priced_as_by_hand(d: &Value) {
    // RDS for PostgreSQL db.r6g.2xlarge → db.r6g.xlarge: (0.899 − 0.45) × 730 = 327.77.
    let replica = entry(d, "db:ledger-replica");
    assert_eq!(replica["rank"], 1, "{d:#}");
    assert_usd(saving(replica), 327.77);
    assert_usd(
        replica["current_usd_per_month"].as_f64().unwrap(),
        0.899 * 730.0,
    );
    assert_eq!(replica["compute_optimizer_saving_usd_per_month"], 327.77);
    assert_eq!(replica["flagged"], false);
    // Aurora PostgreSQL db.r6g.xlarge → db.r6g.large: (0.519 − 0.26) × 730 = 189.07.
    assert_usd(saving(entry(d, "db:ledger-writer-1")), 189.07);
    // Auto Scaling group 4 × m5.large → 3 × m6g.large: 4 × 0.096 × 730 − 3 × 0.077 × 730
    // = 280.32 − 168.63 = 111.69.
    assert_usd(saving(entry(d, "web-asg")), 111.69);
    // EC2 m6i.xlarge → m6g.large, Compute Optimizer's rank 1 (listed second):
    // (0.192 − 0.077) × 730 = 83.95.
    let host = entry(d, "i-0aaa0000000000001");
    assert_usd(saving(host), 83.95);
    assert!(
        host["command"]
            .as_str()
            .unwrap()
            .contains("Value=m6g.large"),
        "{host}"
    );
    // The idle instance is sized by its EC2 recommendation: m5.large 0.096 × 730 = 70.08.
    let idle = entry(d, "i-0aaa0000000000005");
    assert_eq!(idle["change"], "stop-idle");
    assert_usd(saving(idle), 70.08);
    // ECS on Fargate, one task, 2 vCPU / 4 GB → 1 vCPU / 2 GB:
    // 1 × 0.04048 × 730 + 2 × 0.004445 × 730 = 29.5504 + 6.4897 = 36.0401. Compute Optimizer
    // says 108.12 for the whole service (3 tasks): −66.7%, flagged, with that reason.
    let api = entry(d, "service/prod/api");
    assert_usd(saving(api), 36.0401);
    assert_eq!(api["compute_optimizer_saving_usd_per_month"], 108.12);
    assert_eq!(api["flagged"], true);
    assert!(
        api["evidence"]
            .as_str()
            .unwrap()
            .contains("3.0 tasks' worth"),
        "{api}"
    );
    // 1 vCPU / 2 GB → 0.5 vCPU / 1 GB: 0.5 × 0.04048 × 730 + 1 × 0.004445 × 730
    // = 14.7752 + 3.24485 = 18.02005; Compute Optimizer 18.02: within 10%, not flagged.
    let workers = entry(d, "service/prod/workers");
    assert_usd(saving(workers), 18.02005);
    assert_eq!(workers["flagged"], false);
    // t3.medium → t4g.medium: (0.0416 − 0.0336) × 730 = 5.84. Compute Optimizer gives only its
    // figure after discounts, 4.09: +42.8%, flagged, and that is the reason given.
    let bastion = entry(d, "i-0aaa0000000000002");
    assert_usd(saving(bastion), 5.84);
    assert_eq!(bastion["flagged"], true);
    assert!(
        bastion["evidence"]
            .as_str()
            .unwrap()
            .contains("only its saving after Savings Plans and reservation discounts"),
        "{bastion}"
    );
    // Ranked by archcost's saving: 327.77, 189.07, 111.69, 83.95, 70.08, 36.04, 18.02, 5.84,
    // then the unpriced ones.
    let order = ranked_names(d);
    assert_eq!(
        order,
        [
            "ledger-replica",
            "ledger-writer-1",
            "web-asg",
            "i-0aaa0000000000001",
            "i-0aaa0000000000005",
            "api",
            "workers",
            "i-0aaa0000000000002",
            "ledger-sync",
            "i-0aaa0000000000003",
            "reports",
            "vol-0bbb000000000001",
        ]
    );
    // m6i.large now: 0.096 × 730 = 70.08, shown though its recommended class is unpriced.
    assert_usd(
        entry(d, "i-0aaa0000000000003")["current_usd_per_month"]
            .as_f64()
            .unwrap(),
        70.08,
    );
    // What archcost cannot price is listed unpriced with the reason, never at $0.
    for (end, why) in [
        (
            "i-0aaa0000000000003",
            "has no price for m8g.large: AmazonEC2 BoxUsage:m8g.large",
        ),
        ("service/prod/ledger-sync", "ECS service on EC2"),
        ("db:reports", "engine `mysql`"),
        ("vol-0bbb000000000001", "does not give the resource's size"),
    ] {
        let r = entry(d, end);
        assert_eq!(r["saving_usd_per_month"], Value::Null, "{r}");
        assert_eq!(r["unpriced"], true, "{r}");
        assert!(r["evidence"].as_str().unwrap().contains(why), "{end}: {r}");
    }
    // Every finding is kept, with its utilisation; the optimized and under-provisioned ones are
    // not in the list.
    let findings = d["compute_optimizer"]["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 15, "{d:#}");
    let queue = findings
        .iter()
        .find(|f| {
            f["resource"]
                .as_str()
                .unwrap()
                .ends_with("i-0aaa0000000000004")
        })
        .unwrap();
    assert_eq!(queue["finding"], "under-provisioned");
    assert_eq!(queue["utilization"][0]["value"], 97.0);
    // c6i.large → m6i.large costs (0.096 − 0.085) × 730 = 8.03 more.
    assert_usd(queue["saving_usd_per_month"].as_f64().unwrap(), -8.03);
    // The resource-level error is reported; the rest went on.
    let errors = d["compute_optimizer"]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["code"], "InsufficientDataException");
    assert!(
        errors[0]["identifier"]
            .as_str()
            .unwrap()
            .ends_with("service/prod/batch")
    );
}

#[test]
fn saved_responses_are_priced_beside_compute_optimizers_own_figures() {
    let s = Sandbox::new("co-saved");
    assert_priced_as_by_hand(&from_files(&s, &[]));
}

#[test]
fn the_hours_of_the_actuals_month_are_priced_and_given_as_the_reason() {
    // October 2026 has 31 × 24 = 744 hours. m6i.xlarge → m6g.large: 0.115 × 744 = 85.56, 1.9%
    // above Compute Optimizer's 83.95: not flagged. workers: 0.5 × 0.04048 × 744 +
    // 1 × 0.004445 × 744 = 15.05856 + 3.30708 = 18.36564, 1.9% above 18.02.
    // t3.medium → t4g.medium: 0.008 × 744 = 5.952 against 4.09: flagged, both reasons.
    let s = Sandbox::new("co-hours");
    let ce = fixture_path("reconcile/ce.json");
    let d = from_files(&s, &["--actuals", &ce]);
    assert_usd(saving(entry(&d, "i-0aaa0000000000001")), 0.115 * 744.0);
    assert_usd(saving(entry(&d, "service/prod/workers")), 18.36564);
    let bastion = entry(&d, "i-0aaa0000000000002");
    assert_usd(saving(bastion), 5.952);
    assert!(
        bastion["evidence"]
            .as_str()
            .unwrap()
            .contains("archcost prices the 744 hours of the actuals' month, Compute Optimizer 730"),
        "{bastion}"
    );
    assert_eq!(d["compute_optimizer"]["findings"][0]["hours"], 744);
}

#[test]
fn min_saving_hides_the_small_ones_but_not_the_unpriced() {
    let s = Sandbox::new("co-min");
    let d = from_files(&s, &["--min-saving", "100"]);
    let kept = ranked_names(&d);
    assert_eq!(
        kept,
        [
            "ledger-replica",
            "ledger-writer-1",
            "web-asg",
            "ledger-sync",
            "i-0aaa0000000000003",
            "reports",
            "vol-0bbb000000000001",
        ]
    );
}

#[test]
fn a_saved_response_of_another_api_names_what_it_is() {
    let s = Sandbox::new("co-wrong");
    let ce = fixture_path("reconcile/ce.json");
    s.write("ce.json", &std::fs::read_to_string(ce).unwrap());
    let run = s.run(&["rightsize", "--from-file", "ce.json"]);
    assert_user_error(
        &run,
        "error: ce.json: this is a Cost Explorer GetCostAndUsage response (it has `ResultsByTime`), not a recommendation list archcost reads",
        &["expected the output of GetECSServiceRecommendations, GetEC2InstanceRecommendations"],
    );
    s.write(
        "lambda.json",
        r#"{"lambdaFunctionRecommendations": [], "errors": []}"#,
    );
    let run = s.run(&["rightsize", "--from-file", "lambda.json"]);
    assert_user_error(
        &run,
        "error: lambda.json: this is a Compute Optimizer GetLambdaFunctionRecommendations response (it has `lambdaFunctionRecommendations`)",
        &[],
    );
    s.write(
        "broken.json",
        "{\"instanceRecommendations\": [\n  {\"finding\": 3}\n]}",
    );
    let run = s.run(&["rightsize", "--from-file", "broken.json"]);
    assert_user_error(
        &run,
        "error: broken.json: invalid type: integer `3`, expected a string",
        &["expected a instanceRecommendations response as the API gives it"],
    );
    s.write("text.json", "instanceRecommendations: []\n");
    let run = s.run(&["rightsize", "--from-file", "text.json"]);
    assert_user_error(&run, "error: text.json: not JSON (line 1, column 1", &[]);
}

#[test]
fn a_region_archcost_does_not_know_is_unpriced_not_zero() {
    let s = Sandbox::new("co-region");
    let text = std::fs::read_to_string(fixture("ec2.json"))
        .unwrap()
        .replace("arn:aws:ec2:us-east-1:", "arn:aws:ec2:xx-moon-1:");
    s.write("moon.json", &text);
    let run = s.run(&["rightsize", "--from-file", "moon.json", "--format", "json"]);
    assert_machine_success(&run);
    let d = json(&run);
    let r = entry(&d, "i-0aaa0000000000001");
    assert_eq!(r["saving_usd_per_month"], Value::Null, "{r}");
    assert_eq!(r["current_usd_per_month"], Value::Null, "{r}");
    assert!(
        r["evidence"]
            .as_str()
            .unwrap()
            .contains("unknown region `xx-moon-1`"),
        "{r}"
    );
}

#[test]
fn nothing_to_rightsize_and_bad_accounts_are_usage_errors() {
    let s = Sandbox::new("co-usage");
    let run = s.run(&["rightsize"]);
    assert_user_error(
        &run,
        "error: nothing to rightsize: give a model file, --compute-optimizer, or --from-file FILE",
        &[],
    );
    let run = live(&s, "http://127.0.0.1:9", &["--account", "12345"]);
    assert_user_error(
        &run,
        "error: --account 12345: expected a 12-digit AWS account ID",
        &[],
    );
}

/// The operation a Smithy RPC v2 request path names
/// (`/service/ComputeOptimizerService/operation/GetECSServiceRecommendations`).
fn operation(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or("")
}

fn cbor_reply(status: u16, body: &Value) -> Reply {
    Reply {
        status,
        content_type: "application/cbor",
        headers: vec![("smithy-protocol", "rpc-v2-cbor".into())],
        body: cbor::encode(body),
    }
}

/// A loopback Compute Optimizer answering each operation with its recorded pages, the page a
/// request's `nextToken` names, or with `refuse` for every request when given.
fn compute_optimizer(
    refuse: Option<Value>,
) -> (String, std::sync::mpsc::Receiver<(String, Vec<u8>)>) {
    let pages = |name: &str| -> Vec<Value> {
        match serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap() {
            Value::Array(pages) => pages,
            page => vec![page],
        }
    };
    let by_operation: Vec<(&str, Vec<Value>)> = vec![
        ("GetECSServiceRecommendations", pages("ecs.json")),
        ("GetEC2InstanceRecommendations", pages("ec2.json")),
        ("GetAutoScalingGroupRecommendations", pages("asg.json")),
        ("GetRDSDatabaseRecommendations", pages("rds.json")),
        ("GetIdleRecommendations", pages("idle.json")),
    ];
    loopback_http(move |path, body| {
        if let Some(error) = &refuse {
            return cbor_reply(400, error);
        }
        let request = cbor::decode(body);
        let Some((_, pages)) = by_operation.iter().find(|(op, _)| *op == operation(path)) else {
            return cbor_reply(
                400,
                &serde_json::json!({"__type": "UnknownOperationException"}),
            );
        };
        // Page 1 unless the request names the token a page before it handed out.
        let at = match request["nextToken"].as_str() {
            None => 0,
            Some(token) => match pages.iter().position(|p| p["nextToken"] == token) {
                Some(i) => i + 1,
                None => {
                    return cbor_reply(
                        400,
                        &serde_json::json!({"__type": "InvalidParameterValueException", "message": "bad token"}),
                    );
                }
            },
        };
        cbor_reply(200, &pages[at])
    })
}

/// `archcost rightsize --compute-optimizer EXTRA…` against the loopback server at `url`.
fn live(s: &Sandbox, url: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "rightsize",
        "--compute-optimizer",
        "--endpoint-url",
        url,
        "--region",
        "us-east-1",
    ];
    args.extend(extra);
    s.run_with_test_credentials(&args)
}

#[test]
fn the_live_api_is_read_page_by_page_through_the_sdk() {
    let s = Sandbox::new("co-live");
    let (url, requests) = compute_optimizer(None);
    let run = live(&s, &url, &["--format", "json"]);
    assert_machine_success(&run);
    let d = json(&run);
    assert_priced_as_by_hand(&d);
    let seen: Vec<(String, Value)> = requests
        .try_iter()
        .map(|(path, body)| (operation(&path).to_string(), cbor::decode(&body)))
        .collect();
    let operations: Vec<&str> = seen.iter().map(|(op, _)| op.as_str()).collect();
    // Two pages of ECS services, the second asked for with the first's token.
    assert_eq!(
        operations,
        [
            "GetECSServiceRecommendations",
            "GetECSServiceRecommendations",
            "GetEC2InstanceRecommendations",
            "GetAutoScalingGroupRecommendations",
            "GetRDSDatabaseRecommendations",
            "GetIdleRecommendations",
        ]
    );
    assert_eq!(seen[1].1["nextToken"], "ecs-page-2");
    assert_eq!(seen[0].1.get("accountIds"), None);
}

#[test]
fn each_member_account_is_asked_for_in_turn() {
    let s = Sandbox::new("co-accounts");
    let (url, requests) = compute_optimizer(None);
    let run = live(
        &s,
        &url,
        &[
            "--account",
            "111122223333",
            "--account",
            "444455556666",
            "--format",
            "json",
        ],
    );
    assert_machine_success(&run);
    let accounts: Vec<Value> = requests
        .try_iter()
        .map(|(_, body)| cbor::decode(&body)["accountIds"].clone())
        .collect();
    // Six requests an account (ECS has two pages), one account each.
    assert_eq!(accounts.len(), 12);
    assert!(
        accounts[..6]
            .iter()
            .all(|a| *a == serde_json::json!(["111122223333"]))
    );
    assert!(
        accounts[6..]
            .iter()
            .all(|a| *a == serde_json::json!(["444455556666"]))
    );
}

#[test]
fn an_account_that_has_not_opted_in_is_told_how_to() {
    let s = Sandbox::new("co-opt-in");
    let (url, _) = compute_optimizer(Some(serde_json::json!({
        "__type": "OptInRequiredException",
        "message": "The account is not opted in to AWS Compute Optimizer."
    })));
    let run = live(&s, &url, &[]);
    assert_user_error(
        &run,
        "error: compute-optimizer:GetECSServiceRecommendations: this account has not opted in to Compute Optimizer (The account is not opted in to AWS Compute Optimizer.); opt in with `aws compute-optimizer update-enrollment-status --status Active`",
        &["--include-member-accounts", "up to 24 hours"],
    );
}
