//! Tag coverage of a bill (`archcost tags`), on small FOCUS and CUR 2.0 fixtures
//! (tests/fixtures/tags/) that bill the same October 2026 lines:
//!
//! | resource | service | account | effective USD | tags |
//! |---|---|---|---|---|
//! | task/api-1 | AmazonECS | 111 | 100 (list 120, billed 0: covered by a Savings Plan) | CostCenter=payments, Environment=prod, Owner=team-a |
//! | task/worker-1 | AmazonECS | 111 | 50 | CostCenter=payments, Environment=Prod, Owner="" |
//! | db:ledger | AmazonRDS | 222 | 200 | CostCenter=ledger, Environment=production, owner=team-b |
//! | nat-0abc | AmazonEC2 | 222 | 30 | none |
//! | my-bucket | AmazonS3 | 111 | 20 | CostCenter=payments, Environment=staging, Owner=team-a |
//! | (no resource) | AWSDataTransfer | 111 | 15 usage, 10 tax, −5 credit | none |
//!
//! Taggable cost (usage on a resource): 100 + 50 + 200 + 30 + 20 = 400.
//! CostCenter on api, worker, ledger, bucket: 370 / 400 = 92.5%; Environment likewise 92.5%;
//! Owner (non-empty, spelt so) on api and bucket: 120 / 400 = 30%; all three: 30%.

use serde_json::Value;

use crate::util::*;

const DIR: &str = "tests/fixtures/tags";

fn tags(args: &[&str]) -> Run {
    let s = Sandbox::new("tags");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
    let mut full: Vec<String> = vec!["tags".into()];
    full.extend(
        args.iter()
            .map(|a| a.replace("{DIR}", dir.to_str().unwrap())),
    );
    let refs: Vec<&str> = full.iter().map(String::as_str).collect();
    s.run(&refs)
}

fn doc(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    json(&tags(&a))
}

/// A slice's coverage of key `k` (or `all`) in percent.
fn pct(slice: &Value, k: &str) -> f64 {
    if k == "all" {
        return slice["all_keys_percent"].as_f64().unwrap();
    }
    slice["by_key"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == k)
        .unwrap()["percent"]
        .as_f64()
        .unwrap()
}

fn slice<'a>(d: &'a Value, group: &str, key: &str) -> &'a Value {
    d[group]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .unwrap_or_else(|| panic!("no {group} {key}"))
}

const REQUIRE: &str = "CostCenter,Environment,Owner";

#[test]
fn coverage_by_key_service_and_account_on_focus_and_cur_alike() {
    for file in ["{DIR}/focus.csv", "{DIR}/cur.csv"] {
        let d = doc(&[file, "--require", REQUIRE]);
        let all = &d["overall"];
        assert_usd(all["cost_usd"].as_f64().unwrap(), 400.0);
        assert_usd(pct(all, "CostCenter"), 92.5);
        assert_usd(pct(all, "Environment"), 92.5);
        assert_usd(pct(all, "Owner"), 30.0);
        assert_usd(pct(all, "all"), 30.0);
        // By service: ECS 150 with Owner on api (100) only: 66.67%; RDS 200 lacks Owner
        // (spelt `owner`): 0%.
        assert_usd(
            pct(slice(&d, "by_service", "AmazonECS"), "Owner"),
            100.0 / 150.0 * 100.0,
        );
        assert_usd(pct(slice(&d, "by_service", "AmazonRDS"), "Owner"), 0.0);
        assert_usd(
            pct(slice(&d, "by_service", "AmazonRDS"), "CostCenter"),
            100.0,
        );
        // By account: 222 = ledger 200 + nat 30 = 230, CostCenter on 200: 86.96%;
        // 111 = 100 + 50 + 20 = 170, all keys on api and bucket: 120 / 170 = 70.59%.
        assert_usd(
            pct(slice(&d, "by_account", "222222222222"), "CostCenter"),
            200.0 / 230.0 * 100.0,
        );
        assert_usd(
            pct(slice(&d, "by_account", "111111111111"), "all"),
            120.0 / 170.0 * 100.0,
        );
        // The costliest resources lacking a key: ledger 200 (Owner), worker 50 (Owner, empty),
        // nat 30 (all three).
        let untagged: Vec<(String, f64, String)> = d["untagged"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                (
                    u["resource"]
                        .as_str()
                        .unwrap()
                        .rsplit([':', '/'])
                        .next()
                        .unwrap()
                        .to_string(),
                    u["cost_usd"].as_f64().unwrap(),
                    u["missing"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|m| m.as_str().unwrap())
                        .collect::<Vec<_>>()
                        .join(","),
                )
            })
            .collect();
        assert_eq!(
            untagged,
            [
                ("ledger".to_string(), 200.0, "Owner".to_string()),
                ("worker-1".to_string(), 50.0, "Owner".to_string()),
                (
                    "nat-0abc".to_string(),
                    30.0,
                    "CostCenter,Environment,Owner".to_string()
                ),
            ],
            "{file}"
        );
        // Untaggable: 15 of usage without a resource, 10 of tax, −5 of credit.
        assert_usd(d["untaggable"]["usage"].as_f64().unwrap(), 15.0);
        assert_usd(d["untaggable"]["tax"].as_f64().unwrap(), 10.0);
        assert_usd(d["untaggable"]["credit"].as_f64().unwrap(), -5.0);
    }
}

#[test]
fn the_cost_measured_is_the_one_asked_for_and_untaggable_lines_can_be_kept() {
    // Billed: the api task was covered by a Savings Plan and billed 0: 300 taggable, CostCenter
    // on 50 + 200 + 20 = 270: 90%.
    let d = doc(&["{DIR}/focus.csv", "--require", REQUIRE, "--cost", "billed"]);
    assert_usd(d["overall"]["cost_usd"].as_f64().unwrap(), 300.0);
    assert_usd(pct(&d["overall"], "CostCenter"), 90.0);
    assert_eq!(d["cost"], "billed (BilledCost)");
    // List: api at 120: 420, CostCenter on 390: 92.857%.
    let d = doc(&["{DIR}/cur.csv", "--require", REQUIRE, "--cost", "list"]);
    assert_usd(d["overall"]["cost_usd"].as_f64().unwrap(), 420.0);
    assert_usd(pct(&d["overall"], "CostCenter"), 390.0 / 420.0 * 100.0);
    // With the untaggable lines: 400 + 15 + 10 − 5 = 420; CostCenter 370 / 420 = 88.1%.
    let d = doc(&[
        "{DIR}/focus.csv",
        "--require",
        REQUIRE,
        "--include-untaggable",
    ]);
    assert_usd(d["overall"]["cost_usd"].as_f64().unwrap(), 420.0);
    assert_usd(pct(&d["overall"], "CostCenter"), 370.0 / 420.0 * 100.0);
}

#[test]
fn hygiene_finds_values_and_keys_spelt_several_ways_and_values_outside_the_policy() {
    let d = doc(&["{DIR}/focus.csv", "--policy", "{DIR}/policy.yaml"]);
    assert_eq!(
        d["required"],
        serde_json::json!(["CostCenter", "Environment", "Owner"])
    );
    // `prod` (100), `Prod` (50) and `production` (200) all mean production.
    let env = &d["value_variants"][0];
    assert_eq!(env["key"], "Environment");
    assert_eq!(env["means"], "production");
    let spellings: Vec<(&str, f64)> = env["spellings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["spelling"].as_str().unwrap(),
                s["cost_usd"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        spellings,
        [("production", 200.0), ("prod", 100.0), ("Prod", 50.0)]
    );
    // `owner` (ledger, 200) against `Owner` (api, worker, bucket: 170).
    let keys = &d["key_variants"][0];
    assert_eq!(keys["means"], "owner");
    assert_eq!(keys["spellings"][0]["spelling"], "owner");
    assert_usd(keys["spellings"][1]["cost_usd"].as_f64().unwrap(), 170.0);
    // The policy allows prod, staging and dev: `Prod` (50) and `production` (200) are outside.
    let outside: Vec<(&str, f64)> = d["disallowed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["value"].as_str().unwrap(),
                x["cost_usd"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(outside, [("Prod", 50.0), ("production", 200.0)]);
}

#[test]
fn bad_input_is_said_plainly() {
    let s = Sandbox::new("tags_bad");
    // A required key no line carries: a warning, and 0%.
    let run = s.run(&[
        "tags",
        &format!("{}/{DIR}/focus.csv", env!("CARGO_MANIFEST_DIR")),
        "--require",
        "Team",
        "--format",
        "json",
    ]);
    assert_machine_success(&run);
    assert!(
        run.stderr
            .contains("warning: no line carries the required key `Team`: its coverage is 0%"),
        "{}",
        run.stderr
    );
    // Malformed tags JSON names the line's service and resource.
    let text =
        std::fs::read_to_string(format!("{}/{DIR}/focus.csv", env!("CARGO_MANIFEST_DIR"))).unwrap();
    s.write(
        "bad.csv",
        &text.replace(
            r#""{""CostCenter"": ""ledger"""#,
            r#""{""CostCenter"" ""ledger"""#,
        ),
    );
    let run = s.run(&["tags", "bad.csv", "--require", "Owner"]);
    assert_user_error(
        &run,
        "error: bad.csv: row 3 (FOCUS): the tags of a line of AmazonRDS, resource arn:aws:rds:us-east-1:222222222222:db:ledger are not a JSON object: expected `:`",
        &[],
    );
    // A tags column of numbers.
    s.write("numbers.csv", "BillingPeriodStart,ServiceName,ChargeCategory,PricingQuantity,BilledCost,ResourceId,Tags\n2026-10-01,Amazon S3,Usage,1,1,b,7\n");
    let run = s.run(&["tags", "numbers.csv", "--require", "Owner"]);
    assert_user_error(
        &run,
        "error: numbers.csv (FOCUS): the tags column `Tags` holds i64",
        &["expected a JSON object per line"],
    );
    // A policy with an unknown field.
    s.write("policy.yaml", "required: [Owner]\nallow: { Owner: [a] }\n");
    let run = s.run(&[
        "tags",
        &format!("{}/{DIR}/focus.csv", env!("CARGO_MANIFEST_DIR")),
        "--policy",
        "policy.yaml",
    ]);
    assert_user_error(
        &run,
        "error: policy.yaml:2:1: allow: Unknown field `allow`, expected `required` or `allowed`",
        &[],
    );
    // A month the bill does not have.
    let run = s.run(&[
        "tags",
        &format!("{}/{DIR}/focus.csv", env!("CARGO_MANIFEST_DIR")),
        "--require",
        "Owner",
        "--month",
        "2026-09",
    ]);
    assert_user_error(&run, "error: ", &["2026-09", "2026-10"]);
    // No required key at all.
    let run = s.run(&[
        "tags",
        &format!("{}/{DIR}/focus.csv", env!("CARGO_MANIFEST_DIR")),
    ]);
    assert_user_error(
        &run,
        "error: no required keys: pass --require KEY[,KEY…] or a --policy file with `required`",
        &[],
    );
}

#[test]
fn a_models_components_are_checked_against_the_policy_before_any_money_is_spent() {
    let s = Sandbox::new("tags_model");
    s.write(
        "model.yaml",
        "schema_version: 1\nname: tagged\nregion: us-east-1\navailability_zones: 2\nworkload:\n  peak_tps: 10\n  profile: { generator: { trough_ratio: 1, busy_start_hour: 0, busy_end_hour: 24, weekend_factor: 1 } }\ncomponents:\n  - id: api\n    kind: fargate_service\n    tags: { CostCenter: payments, Environment: prod, Owner: team-a }\n    vcpu: 1\n    memory_gb: 2\n    desired_count: 2\n  - id: nat\n    kind: nat_gateway\n    tags: { CostCenter: network, Environment: Prod }\n",
    );
    let policy = format!("{}/{DIR}/policy.yaml", env!("CARGO_MANIFEST_DIR"));
    let bill = format!("{}/{DIR}/focus.csv", env!("CARGO_MANIFEST_DIR"));
    let run = s.run(&[
        "tags",
        &bill,
        "--policy",
        &policy,
        "--model",
        "model.yaml",
        "--format",
        "json",
    ]);
    let d = json(&run);
    let gaps = d["model"]["components"].as_array().unwrap();
    // Only the NAT gateway: it lacks Owner and its Environment `Prod` is not an allowed value.
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert_eq!(gaps[0]["component"], "nat");
    assert_eq!(gaps[0]["missing"], serde_json::json!(["Owner"]));
    assert_eq!(
        gaps[0]["disallowed"],
        serde_json::json!(["Environment=Prod"])
    );
    assert!(
        gaps[0]["declared_at"]
            .as_str()
            .unwrap()
            .starts_with("model.yaml:15:")
    );
    // Its monthly cost: 2 gateways × 730 h × 0.045 = 65.70 and 2 addresses × 730 h × 0.005 =
    // 7.30 → 73.00.
    assert_usd(gaps[0]["usd_per_month"].as_f64().unwrap(), 73.0);
}

/// The rows of a JSON spend summary: keys joined by `|`, and (usage, commitment, credit, tax,
/// total).
fn spend_rows(d: &Value) -> Vec<(String, [f64; 5])> {
    d["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let keys: Vec<&str> = r["keys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k.as_str().unwrap())
                .collect();
            let f = |k: &str| r[k].as_f64().unwrap();
            (
                keys.join("|"),
                [
                    f("usage_usd"),
                    f("commitment_usd"),
                    f("credit_usd"),
                    f("tax_usd"),
                    f("total_usd"),
                ],
            )
        })
        .collect()
}

#[test]
fn spend_summarises_the_bill_by_the_dimensions_asked_for() {
    let s = Sandbox::new("spend");
    let dir = format!("{}/{DIR}", env!("CARGO_MANIFEST_DIR"));
    // FOCUS, effective cost, by service: EC2 is the NAT's 30 of usage, 10 of tax and −5 of
    // credit (those lines name EC2) = 35; data transfer's 15 is filed under AWSDataTransfer.
    // Total 400 + 15 + 10 − 5 = 420.
    let d = json(&s.run(&[
        "spend",
        &format!("{dir}/focus.csv"),
        "--by",
        "service",
        "--format",
        "json",
    ]));
    assert_eq!(
        spend_rows(&d),
        [
            ("AmazonRDS".to_string(), [200.0, 0.0, 0.0, 0.0, 200.0]),
            ("AmazonECS".to_string(), [150.0, 0.0, 0.0, 0.0, 150.0]),
            ("AmazonEC2".to_string(), [30.0, 0.0, -5.0, 10.0, 35.0]),
            ("AmazonS3".to_string(), [20.0, 0.0, 0.0, 0.0, 20.0]),
            ("AWSDataTransfer".to_string(), [15.0, 0.0, 0.0, 0.0, 15.0]),
        ]
    );
    assert_usd(d["total_usd"].as_f64().unwrap(), 420.0);
    // CUR at billed cost by account and CostCenter: account 111's payments lines are the api
    // task billed 120 on demand and negated by its Savings Plan (−120 of commitment), the
    // worker 50 and the bucket 20 → usage 190, total 70. Total billed: 320.
    let d = json(&s.run(&[
        "spend",
        &format!("{dir}/cur.csv"),
        "--by",
        "account,tag:CostCenter",
        "--cost",
        "billed",
        "--format",
        "json",
    ]));
    let rows = spend_rows(&d);
    assert_eq!(
        rows[1],
        (
            "111111111111|payments".to_string(),
            [190.0, -120.0, 0.0, 0.0, 70.0]
        )
    );
    assert_eq!(
        rows[3],
        (
            "111111111111|(untagged)".to_string(),
            [15.0, 0.0, -5.0, 10.0, 20.0]
        )
    );
    assert_usd(d["total_usd"].as_f64().unwrap(), 320.0);
    // With the usage type, quantities add up: the NAT's 744 hours.
    let d = json(&s.run(&[
        "spend",
        &format!("{dir}/cur.csv"),
        "--by",
        "usage-type",
        "--format",
        "json",
    ]));
    let nat = d["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["keys"][0] == "NatGateway-Hours")
        .unwrap();
    assert_usd(nat["quantity"].as_f64().unwrap(), 744.0);
    let run = s.run(&["spend", &format!("{dir}/cur.csv"), "--by", "colour"]);
    assert_user_error(
        &run,
        "error: --by: `colour` is not a dimension; expected service, usage-type, account, region, month or tag:KEY",
        &[],
    );
}

#[test]
fn parquet_tags_as_a_map_read_like_json_tags() {
    // focus-map.parquet (written with pyarrow, Tags as map<string, string> as AWS writes FOCUS
    // Parquet): api 100 with all three keys, ledger 200 without Owner, nat 30 with none.
    // Taggable 330; CostCenter and Environment on 300: 90.909%; Owner and all keys on 100:
    // 30.303%.
    let d = doc(&["{DIR}/focus-map.parquet", "--require", REQUIRE]);
    let all = &d["overall"];
    assert_usd(all["cost_usd"].as_f64().unwrap(), 330.0);
    assert_usd(pct(all, "CostCenter"), 300.0 / 330.0 * 100.0);
    assert_usd(pct(all, "Owner"), 100.0 / 330.0 * 100.0);
    assert_usd(pct(all, "all"), 100.0 / 330.0 * 100.0);
    assert_eq!(d["untagged"][0]["missing"], serde_json::json!(["Owner"]));
}

#[test]
fn cost_explorer_responses_give_coverage_one_key_at_a_time() {
    // ce-tags.json: October 2026 usage grouped by SERVICE and one TAG per response, as
    // `aws ce get-cost-and-usage --group-by Type=DIMENSION,Key=SERVICE Type=TAG,Key=K` gives it
    // (`K$` is untagged): ECS 150, RDS 200, EC2 - Other 45, S3 20 = 415.
    // CostCenter on ECS, RDS and S3: 370 / 415 = 89.157%; Owner on ECS's team-a (100) and S3
    // (20): 120 / 415 = 28.916%; all keys together cannot be had one key at a time.
    let d = doc(&["{DIR}/ce-tags.json", "--require", REQUIRE]);
    let all = &d["overall"];
    assert_usd(all["cost_usd"].as_f64().unwrap(), 415.0);
    assert_usd(pct(all, "CostCenter"), 370.0 / 415.0 * 100.0);
    assert_usd(pct(all, "Owner"), 120.0 / 415.0 * 100.0);
    assert!(all["all_keys_percent"].is_null(), "{all}");
    assert_usd(
        pct(slice(&d, "by_service", "AmazonECS"), "Owner"),
        100.0 / 150.0 * 100.0,
    );
    assert_eq!(d["cost"], "effective (AmortizedCost)");
    assert_eq!(d["value_variants"][0]["means"], "production");
    // Cost Explorer has no list cost, and a month the responses lack is an error.
    let run = tags(&["{DIR}/ce-tags.json", "--require", REQUIRE, "--cost", "list"]);
    assert_user_error(
        &run,
        "error: ",
        &["Cost Explorer has no list cost; expected --cost billed or effective"],
    );
    let run = tags(&[
        "{DIR}/ce-tags.json",
        "--require",
        REQUIRE,
        "--month",
        "2026-09",
    ]);
    assert_user_error(&run, "error: ", &["2026-09", "2026-10"]);
}

#[test]
fn every_spelling_of_aws_as_provider_counts_and_other_clouds_do_not() {
    // The FOCUS fixture with a ProviderName column: its lines under the three names AWS
    // exports use, and one Microsoft line of 999 that must be left out. Coverage is that of
    // the fixture: 400 taggable, CostCenter on 370 = 92.5%.
    let fixture =
        std::fs::read_to_string(format!("{}/{DIR}/focus.csv", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let names = ["AWS", "Amazon Web Services", "Amazon Web Services, Inc."];
    let mut lines = fixture.lines();
    let mut csv = format!("{},ProviderName\n", lines.next().unwrap());
    for (i, line) in lines.enumerate() {
        csv.push_str(&format!("{line},\"{}\"\n", names[i % names.len()]));
    }
    csv.push_str(
        "2026-10-01 00:00:00,Virtual Machines,,111111111111,vm-1,Usage,NULL,1,999,999,999,USD,{},Microsoft\n",
    );
    let s = Sandbox::new("tags-provider");
    let file = s.write("focus.csv", &csv);
    let mut args = vec!["tags", file.to_str().unwrap(), "--require", REQUIRE];
    args.extend(["--format", "json"]);
    let d = json(&s.run(&args));
    assert_usd(d["overall"]["cost_usd"].as_f64().unwrap(), 400.0);
    assert_usd(pct(&d["overall"], "CostCenter"), 92.5);
}
