//! End-to-end tests of the `archcost` binary: bad input and its error messages, the output
//! formats, calendar months, price files and the reference model.
//!
//! Every test runs the real binary in its own temporary directory. Model fixtures are `BASE`
//! (see `util`) with one edit, so the line and column numbers asserted below are those of
//! `BASE`'s lines (line 10 is `  - id: api`, anything appended starts on line 15).
//!
//! Prices used in the hand computations, from `data/prices/us-east-1/2026-10-08.json`:
//! Fargate x86 0.04048 USD per vCPU-hour and 0.004445 USD per GB-hour; NAT gateway 0.045 USD
//! per hour, and the public IPv4 address it holds 0.005 USD per hour. One 1 vCPU / 2 GB
//! task-hour costs 0.04048 + 2 × 0.004445 = 0.04937 USD.

use crate::util::{
    BASE, Sandbox, assert_close, assert_machine_success, assert_success, assert_user_error,
    csv_fields, edit, json, parse_usd, reference_model_path, snapshot_path, total,
};
use serde_json::Value;

/// `BASE` with a NAT gateway component (lines 15–16), no flows: one gateway per AZ, each with
/// its public IPv4 address. Its cost: 2 gateways × 730 h × 0.045 = 65.70 (AmazonEC2) plus
/// 2 addresses × 730 h × 0.005 = 7.30 (AmazonVPC) = 73.00; with `BASE`, 145.0802.
fn with_nat() -> String {
    format!("{BASE}  - id: nat\n    kind: nat_gateway\n")
}

/// The embedded snapshot as JSON, to copy and edit into a price file.
fn snapshot() -> Value {
    let text = std::fs::read_to_string(snapshot_path()).expect("read the price snapshot");
    serde_json::from_str(&text).expect("the price snapshot parses")
}

/// The single-tier rate of a usage type in a price file.
fn rate_mut<'a>(book: &'a mut Value, usage_type: &str) -> &'a mut Value {
    let prices = book["prices"].as_array_mut().expect("prices is a list");
    let entry = prices
        .iter_mut()
        .find(|p| p["usage_type"] == usage_type)
        .unwrap_or_else(|| panic!("no {usage_type} in the snapshot"));
    assert_eq!(entry["tiers"].as_array().map(Vec::len), Some(1));
    &mut entry["tiers"][0]["usd_per_unit"]
}

fn line<'a>(doc: &'a Value, usage_type: &str) -> &'a Value {
    doc["lines"]
        .as_array()
        .expect("lines is a list")
        .iter()
        .find(|l| l["usage_type"] == usage_type)
        .unwrap_or_else(|| panic!("no line {usage_type} in {doc:#}"))
}

fn sum_of_lines(doc: &Value) -> f64 {
    doc["lines"]
        .as_array()
        .expect("lines is a list")
        .iter()
        .map(|l| l["usd_per_month"].as_f64().expect("usd_per_month"))
        .sum()
}

// ---------------------------------------------------------------------------------------------
// Bad input: exit 1, nothing on stdout, one paragraph on stderr naming file:line:col and field.
// ---------------------------------------------------------------------------------------------

#[test]
fn yaml_syntax_error_names_the_line_and_column() {
    let s = Sandbox::new("yaml_syntax");
    // Line 12 becomes `    vcpu: 1: 2`; the second `:` is column 12.
    let run = s.estimate(&edit(BASE, "    vcpu: 1\n", "    vcpu: 1: 2\n"), &[]);
    assert_user_error(
        &run,
        "error: model.yaml:12:12: YAML syntax error: ",
        &["mapping values are not allowed"],
    );
}

#[test]
fn unknown_component_field_lists_the_kinds_fields() {
    let s = Sandbox::new("unknown_component_field");
    let run = s.estimate(&format!("{BASE}    cpu_credits: 5\n"), &[]);
    assert_user_error(
        &run,
        "error: model.yaml:15:5: field `components[0].cpu_credits`: unknown field `cpu_credits`; expected one of ",
        &[
            "architecture",
            "vcpu",
            "memory_gb",
            "desired_count",
            "scaling",
        ],
    );
}

#[test]
fn unknown_top_level_field_lists_the_top_level_fields() {
    let s = Sandbox::new("unknown_top_level_field");
    let run = s.estimate(&format!("{BASE}colour: blue\n"), &[]);
    assert_user_error(
        &run,
        "error: model.yaml:15:1: field `colour`: unknown field `colour`; expected one of ",
        &["schema_version", "name", "region", "workload", "flows"],
    );
}

#[test]
fn unknown_top_level_field_lists_components_among_the_valid_fields() {
    let s = Sandbox::new("unknown_top_level_components");
    let run = s.estimate(&format!("{BASE}colour: blue\n"), &[]);
    let (_, expected) = run
        .stderr
        .split_once("expected one of ")
        .expect("the message lists the valid fields");
    assert!(expected.contains("components"), "{}", run.stderr);
}

#[test]
fn vcpu_that_is_not_a_number_is_rejected() {
    let s = Sandbox::new("vcpu_not_number");
    let run = s.estimate(&edit(BASE, "    vcpu: 1\n", "    vcpu: one\n"), &[]);
    assert_user_error(
        &run,
        "error: model.yaml:12:11: field `components[0].vcpu`: `one` is not a number; expected a number",
        &[],
    );
}

#[test]
fn fractional_desired_count_is_rejected() {
    let s = Sandbox::new("desired_count_fraction");
    let run = s.estimate(
        &edit(BASE, "desired_count: 2\n", "desired_count: 2.5\n"),
        &[],
    );
    assert_user_error(
        &run,
        "error: model.yaml:14:20: field `components[0].desired_count`: `2.5` is not a whole number; expected a whole number",
        &[],
    );
}

#[test]
fn unknown_component_kind_lists_the_valid_kinds() {
    let s = Sandbox::new("unknown_kind");
    let run = s.estimate(
        &edit(BASE, "kind: fargate_service", "kind: lambda_function"),
        &[],
    );
    assert_user_error(
        &run,
        "error: model.yaml:11:11: field `components[0].kind`: unknown component kind `lambda_function`; expected one of ",
        &[
            "fargate_service",
            "aurora_postgresql",
            "nat_gateway",
            "vpc_endpoint",
            "dynamodb_table",
        ],
    );
}

#[test]
fn duplicate_component_id_names_the_first_use() {
    let s = Sandbox::new("duplicate_id");
    // Line 15: `  - id: api`; the id's value starts at column 9.
    let run = s.estimate(&format!("{BASE}  - id: api\n    kind: nat_gateway\n"), &[]);
    assert_user_error(
        &run,
        "error: model.yaml:15:9: field `components[1].id`: duplicate component id `api` (first used by components[0])",
        &["expected ids to be unique"],
    );
}

#[test]
fn duplicate_yaml_key_is_rejected_at_the_second_key() {
    let s = Sandbox::new("duplicate_key");
    let run = s.estimate(&format!("{BASE}    vcpu: 2\n"), &[]);
    assert_user_error(
        &run,
        "error: model.yaml:15:5: ",
        &["duplicate key `vcpu`", "expected each key once per mapping"],
    );
}

#[test]
fn duplicate_yaml_key_error_names_the_field_path() {
    let s = Sandbox::new("duplicate_key_path");
    let run = s.estimate(&format!("{BASE}    vcpu: 2\n"), &[]);
    assert_user_error(
        &run,
        "error: model.yaml:15:5: field `components[0].vcpu`: ",
        &["duplicate key `vcpu`"],
    );
}

#[test]
fn flow_to_an_unknown_component_is_rejected() {
    let s = Sandbox::new("flow_to_unknown");
    // Line 16: `  - {from: api, to: ledger, …}`; `ledger` starts at column 21.
    let run = s.estimate(
        &format!("{BASE}flows:\n  - {{from: api, to: ledger, gb_per_month: 1}}\n"),
        &[],
    );
    assert_user_error(
        &run,
        "error: model.yaml:16:21: field `flows[0].to`: unknown destination `ledger`; expected internet, cross_az, an AWS service (",
        &["s3, dynamodb", "or one of the component ids: api"],
    );
}

#[test]
fn flow_from_an_unknown_component_is_rejected() {
    let s = Sandbox::new("flow_from_unknown");
    // Line 16: `  - {from: ghost, …}`; `ghost` starts at column 12.
    let run = s.estimate(
        &format!("{BASE}flows:\n  - {{from: ghost, to: api, gb_per_month: 1}}\n"),
        &[],
    );
    assert_user_error(
        &run,
        "error: model.yaml:16:12: field `flows[0].from`: unknown component `ghost`; expected one of the component ids: api",
        &[],
    );
}

#[test]
fn invalid_fargate_vcpu_lists_the_valid_cpu_sizes() {
    let s = Sandbox::new("fargate_bad_vcpu");
    let run = s.estimate(&edit(BASE, "    vcpu: 1\n", "    vcpu: 3\n"), &[]);
    assert_user_error(
        &run,
        "error: model.yaml:12:11: field `components[0].vcpu`: 3 vCPU is not a Fargate task size; expected one of 0.25, 0.5, 1, 2, 4, 8, 16 vCPU",
        &[],
    );
}

#[test]
fn invalid_fargate_memory_lists_the_memory_sizes_of_that_vcpu() {
    let s = Sandbox::new("fargate_bad_memory_1");
    let run = s.estimate(&edit(BASE, "memory_gb: 2\n", "memory_gb: 1\n"), &[]);
    assert_user_error(
        &run,
        "error: model.yaml:13:16: field `components[0].memory_gb`: 1 GB is not a valid memory size for a 1 vCPU Fargate task; expected one of 2, 3, 4, 5, 6, 7, 8 GB",
        &[],
    );
}

#[test]
fn invalid_fargate_memory_for_a_quarter_vcpu_lists_its_sizes() {
    let s = Sandbox::new("fargate_bad_memory_quarter");
    let model = edit(
        &edit(BASE, "    vcpu: 1\n", "    vcpu: 0.25\n"),
        "memory_gb: 2\n",
        "memory_gb: 4\n",
    );
    let run = s.estimate(&model, &[]);
    assert_user_error(
        &run,
        "error: model.yaml:13:16: field `components[0].memory_gb`: 4 GB is not a valid memory size for a 0.25 vCPU Fargate task; expected one of 0.5, 1, 2 GB",
        &[],
    );
}

#[test]
fn negative_quantity_is_rejected() {
    let s = Sandbox::new("negative");
    // Line 15: `    ephemeral_storage_gb: -20`; the value starts at column 27.
    let run = s.estimate(&format!("{BASE}    ephemeral_storage_gb: -20\n"), &[]);
    assert_user_error(
        &run,
        "error: model.yaml:15:27: field `components[0].ephemeral_storage_gb`: -20 is not allowed; expected a finite number of at least 0",
        &[],
    );
}

#[test]
fn nan_is_rejected() {
    let s = Sandbox::new("nan");
    let run = s.estimate(&format!("{BASE}    ephemeral_storage_gb: NaN\n"), &[]);
    assert_user_error(
        &run,
        "error: model.yaml:15:27: field `components[0].ephemeral_storage_gb`: NaN is not allowed; expected a finite number of at least 0",
        &[],
    );
}

#[test]
fn yaml_dot_nan_is_rejected() {
    let s = Sandbox::new("dot_nan");
    let run = s.estimate(&format!("{BASE}    ephemeral_storage_gb: .nan\n"), &[]);
    assert_user_error(
        &run,
        "error: model.yaml:15:27: field `components[0].ephemeral_storage_gb`: `.nan` is not allowed; expected a finite number of at least 0",
        &[],
    );
}

#[test]
fn unknown_region_lists_the_known_regions() {
    let s = Sandbox::new("unknown_region");
    let run = s.estimate(
        &edit(BASE, "region: us-east-1", "region: mars-north-1"),
        &[],
    );
    assert_user_error(
        &run,
        "error: model.yaml:3:9: field `region`: unknown region `mars-north-1`; expected one of ",
        &["us-east-1", "eu-central-1", "sa-east-1"],
    );
}

#[test]
fn region_without_a_snapshot_points_at_region_and_says_pass_prices() {
    let s = Sandbox::new("region_no_snapshot");
    let run = s.estimate(&edit(BASE, "region: us-east-1", "region: sa-east-1"), &[]);
    assert_user_error(
        &run,
        "error: model.yaml:3:9: field `region`: no embedded price snapshot for region sa-east-1",
        &[
            "snapshots exist for ap-southeast-1, eu-central-1, eu-west-1, us-east-1, us-west-2",
            "Pass --prices FILE with prices for sa-east-1",
            "archcost prices update --region sa-east-1",
        ],
    );
}

#[test]
fn missing_schema_version_is_rejected() {
    let s = Sandbox::new("schema_missing");
    // Without line 1 the file starts `name: cli-test`; the top-level mapping is placed at 1:5.
    let run = s.estimate(&edit(BASE, "schema_version: 1\n", ""), &[]);
    assert_user_error(
        &run,
        "error: model.yaml:1:5: field `schema_version`: missing; expected `schema_version: 1` at the top of the file",
        &[],
    );
}

#[test]
fn schema_version_2_is_not_supported() {
    let s = Sandbox::new("schema_2");
    let run = s.estimate(
        &edit(BASE, "schema_version: 1\n", "schema_version: 2\n"),
        &[],
    );
    assert_user_error(
        &run,
        "error: model.yaml:1:17: field `schema_version`: schema_version 2 is not supported; expected 1",
        &[],
    );
}

#[test]
fn missing_required_component_field_is_named() {
    let s = Sandbox::new("missing_memory");
    // The component's mapping is placed on line 10 (`  - id: api`), column 7.
    let run = s.estimate(&edit(BASE, "    memory_gb: 2\n", ""), &[]);
    assert_user_error(
        &run,
        "error: model.yaml:10:7: field `components[0].memory_gb`: missing field `memory_gb`",
        &[],
    );
}

#[test]
fn missing_required_top_level_field_is_named() {
    let s = Sandbox::new("missing_name");
    let run = s.estimate(&edit(BASE, "name: cli-test\n", ""), &[]);
    assert_user_error(&run, "error: model.yaml:1:15: ", &["missing field `name`"]);
}

#[test]
fn missing_required_top_level_field_error_names_the_field_path() {
    let s = Sandbox::new("missing_name_path");
    let run = s.estimate(&edit(BASE, "name: cli-test\n", ""), &[]);
    assert_user_error(&run, "error: model.yaml:", &["field `name`: "]);
}

#[test]
fn flow_to_internet_without_nat_gateway_has_no_route() {
    let s = Sandbox::new("no_route");
    let run = s.estimate(
        &format!("{BASE}flows:\n  - {{from: api, to: internet, gb_per_month: 10}}\n"),
        &[],
    );
    assert_user_error(
        &run,
        "error: model.yaml:16:21: field `flows[0].to`: traffic from `api` to the internet has no route; expected a nat_gateway component",
        &["has no route", "expected a nat_gateway component"],
    );
}

#[test]
fn gateway_endpoint_for_logs_is_rejected() {
    let s = Sandbox::new("gateway_logs");
    // Line 17: `    endpoint_type: gateway`; the value starts at column 20.
    let model = format!(
        "{BASE}  - id: logs-gw\n    kind: vpc_endpoint\n    endpoint_type: gateway\n    service: logs\n"
    );
    let run = s.estimate(&model, &[]);
    assert_user_error(
        &run,
        "error: model.yaml:17:20: field `components[1].endpoint_type`: logs has no gateway endpoint; expected `interface`",
        &["gateway endpoints exist for s3 and dynamodb only"],
    );
}

#[test]
fn weekly_profile_needs_168_values() {
    let s = Sandbox::new("weekly_len");
    let model = edit(
        BASE,
        "    generator: {trough_ratio: 0.2, busy_start_hour: 8, busy_end_hour: 20, weekend_factor: 0.5}\n",
        "    weekly: [0.5, 0.5, 1.0]\n",
    );
    let run = s.estimate(&model, &[]);
    assert_user_error(
        &run,
        "error: model.yaml:8:13: field `workload.profile.weekly`: a weekly profile needs exactly 168 hourly multipliers",
        &["got 3"],
    );
}

#[test]
fn aurora_writer_class_without_price_names_usage_type_and_component() {
    let s = Sandbox::new("aurora_no_price");
    // The cluster is declared on line 15 (`  - id: ledger-db`), placed at column 7.
    let model = format!(
        "{BASE}  - id: ledger-db\n    kind: aurora_postgresql\n    writer: {{instance_class: db.x9.huge}}\n    storage_gb: 100\n    io_requests_per_transaction: 5\n"
    );
    let run = s.estimate(&model, &[]);
    assert_user_error(
        &run,
        "error: estimating model.yaml: no price in embedded snapshot us-east-1 for 1 usage type(s)",
        &[
            "AmazonRDS InstanceUsage:db.x9.huge",
            "needed by `ledger-db` at model.yaml:15:7",
        ],
    );
}

#[test]
fn model_file_that_does_not_exist_is_a_user_error() {
    let s = Sandbox::new("missing_model");
    let run = s.run(&["estimate", "missing.yaml"]);
    assert_user_error(
        &run,
        "error: cannot read model file missing.yaml: ",
        &["No such file or directory"],
    );
}

#[test]
fn model_file_that_does_not_exist_reports_the_os_error_once() {
    let s = Sandbox::new("missing_model_once");
    let run = s.run(&["estimate", "missing.yaml"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr.matches("No such file or directory").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn month_13_is_out_of_range() {
    let s = Sandbox::new("month_13");
    let run = s.estimate(BASE, &["--month", "2026-13"]);
    assert_user_error(
        &run,
        "error: --month: month 13 is out of range; expected 01 to 12",
        &[],
    );
}

#[test]
fn month_not_in_yyyy_mm_form_is_rejected() {
    let s = Sandbox::new("month_form");
    let run = s.estimate(BASE, &["--month", "Oct-2026"]);
    assert_user_error(
        &run,
        "error: --month: `Oct-2026` is not a month; expected YYYY-MM",
        &[],
    );
}

#[test]
fn unknown_flag_exits_1() {
    let s = Sandbox::new("unknown_flag");
    let run = s.estimate(BASE, &["--frobnicate"]);
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .starts_with("error: unexpected argument '--frobnicate' found"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_format_exits_1_and_lists_the_formats() {
    let s = Sandbox::new("unknown_format");
    let run = s.estimate(BASE, &["--format", "xml"]);
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("invalid value 'xml' for '--format <FORMAT>'")
            && run.stderr.contains("table, json, csv, markdown"),
        "{}",
        run.stderr
    );
}

#[test]
fn help_exits_0_on_stdout() {
    let s = Sandbox::new("help");
    let run = s.run(&["--help"]);
    assert_success(&run);
    assert!(
        run.stdout.contains("Usage: archcost <COMMAND>"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("estimate"), "{}", run.stdout);
}

#[test]
fn estimate_help_lists_every_flag() {
    let s = Sandbox::new("estimate_help");
    let run = s.run(&["estimate", "--help"]);
    assert_success(&run);
    for flag in ["<MODEL>", "--format", "--by", "--prices", "--month"] {
        assert!(run.stdout.contains(flag), "no {flag} in\n{}", run.stdout);
    }
}

// ---------------------------------------------------------------------------------------------
// Output formats of BASE: 2 tasks × 730 h of 1 vCPU / 2 GB x86.
// vCPU:   2 × 730 × 1 = 1,460 vCPU-hours × 0.04048  = 59.1008
// memory: 2 × 730 × 2 = 2,920 GB-hours   × 0.004445 = 12.9794
// total:  2 × 730 × (0.04048 + 2 × 0.004445) = 1,460 × 0.04937 = 72.0802 USD
// ---------------------------------------------------------------------------------------------

const BASE_TOTAL: f64 = 72.0802;

#[test]
fn json_total_is_the_hand_computed_figure_and_the_sum_of_lines() {
    let s = Sandbox::new("json_total");
    let doc = json(&s.estimate(BASE, &["--format", "json"]));
    assert_close(total(&doc), BASE_TOTAL, "total_usd_per_month");
    assert_close(sum_of_lines(&doc), total(&doc), "sum of lines");
    assert_eq!(doc["model"], "cli-test");
    assert_eq!(doc["region"], "us-east-1");
    assert_eq!(doc["currency"], "USD");
    assert_eq!(doc["period"]["hours"], 730);
    assert_eq!(doc["period"]["label"], "standard month (730 h)");
}

#[test]
fn json_lines_carry_quantity_unit_price_and_source() {
    let s = Sandbox::new("json_lines");
    let doc = json(&s.estimate(BASE, &["--format", "json"]));
    let lines = doc["lines"].as_array().expect("lines is a list");
    assert_eq!(lines.len(), 2, "{doc:#}");
    for l in lines {
        let q = l["quantity"].as_f64().expect("quantity");
        let p = l["usd_per_unit"].as_f64().expect("usd_per_unit");
        let cost = l["usd_per_month"].as_f64().expect("usd_per_month");
        assert_close(q * p, cost, "quantity × usd_per_unit");
        assert!(l["unit"].as_str().is_some_and(|u| !u.is_empty()), "{l:#}");
        let src = &l["price_source"];
        assert_eq!(src["basis"], "price_list", "{l:#}");
        assert_eq!(src["effective_date"], "2026-09-11", "{l:#}");
        assert_eq!(
            src["book"], "embedded snapshot us-east-1 (2026-10-08)",
            "{l:#}"
        );
    }
    let cpu = line(&doc, "USE1-Fargate-vCPU-Hours:perCPU");
    assert_eq!(cpu["component"], "api");
    assert_eq!(cpu["service_code"], "AmazonECS");
    assert_eq!(cpu["unit"], "vcpu_hours");
    assert_close(cpu["quantity"].as_f64().unwrap(), 1460.0, "vCPU-hours");
    assert_close(cpu["usd_per_unit"].as_f64().unwrap(), 0.04048, "vCPU rate");
    assert_close(cpu["usd_per_month"].as_f64().unwrap(), 59.1008, "vCPU cost");
    assert_eq!(cpu["price_source"]["sku"], "8CESGAFWKAJ98PME");
    let mem = line(&doc, "USE1-Fargate-GB-Hours");
    assert_eq!(mem["unit"], "gb_hours");
    assert_close(mem["quantity"].as_f64().unwrap(), 2920.0, "GB-hours");
    assert_close(mem["usd_per_unit"].as_f64().unwrap(), 0.004445, "GB rate");
    assert_close(mem["usd_per_month"].as_f64().unwrap(), 12.9794, "GB cost");
}

#[test]
fn json_groupings_sum_to_the_total() {
    let s = Sandbox::new("json_groups");
    let doc = json(&s.estimate(&with_nat(), &["--format", "json"]));
    // 72.0802 (BASE) + NAT: 2 gateways (one per AZ) × 730 h × 0.045 = 65.70, and their 2
    // public IPv4 addresses × 730 h × 0.005 = 7.30 → 145.0802
    assert_close(total(&doc), BASE_TOTAL + 65.7 + 7.3, "total");
    let by_service = doc["by_service"].as_array().expect("by_service");
    assert_eq!(by_service.len(), 3);
    assert_eq!(by_service[0]["key"], "AmazonECS");
    assert_close(
        by_service[0]["usd_per_month"].as_f64().unwrap(),
        BASE_TOTAL,
        "ECS",
    );
    assert_eq!(by_service[1]["key"], "AmazonEC2");
    assert_close(
        by_service[1]["usd_per_month"].as_f64().unwrap(),
        65.7,
        "EC2",
    );
    assert_eq!(by_service[2]["key"], "AmazonVPC");
    assert_close(by_service[2]["usd_per_month"].as_f64().unwrap(), 7.3, "VPC");
    for group in ["by_component", "by_service", "by_usage_type"] {
        let sum: f64 = doc[group]
            .as_array()
            .expect("a group list")
            .iter()
            .map(|g| g["usd_per_month"].as_f64().unwrap())
            .sum();
        assert_close(sum, total(&doc), group);
    }
}

#[test]
fn csv_has_the_header_and_one_row_per_line() {
    let s = Sandbox::new("csv");
    let run = s.estimate(BASE, &["--format", "csv"]);
    assert_success(&run);
    let rows: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        rows[0],
        "component,service_code,usage_type,operation,description,quantity,unit,usd_per_unit,usd_per_month,price_basis,price_sku,price_effective_date,price_book"
    );
    assert_eq!(rows.len(), 3, "header + 2 lines:\n{}", run.stdout);
    let cpu = csv_fields(rows[1]);
    assert_eq!(cpu.len(), 13, "{cpu:?}");
    // The description holds a comma (`1,460 task-hours`) and must be quoted as one field.
    assert!(cpu[4].starts_with("1,460 task-hours"), "{cpu:?}");
    assert_eq!(
        [&cpu[..4], &cpu[5..]].concat(),
        [
            "api",
            "AmazonECS",
            "USE1-Fargate-vCPU-Hours:perCPU",
            "",
            "1460",
            "vcpu_hours",
            "0.04048",
            "59.100800",
            "price_list",
            "8CESGAFWKAJ98PME",
            "2026-09-11",
            "embedded snapshot us-east-1 (2026-10-08)",
        ]
    );
    let mem = csv_fields(rows[2]);
    assert_eq!(mem.len(), 13, "{mem:?}");
    assert_eq!(mem[2], "USE1-Fargate-GB-Hours");
    assert_eq!(mem[8], "12.979400");
    let sum: f64 = rows[1..]
        .iter()
        .map(|r| csv_fields(r)[8].parse::<f64>().unwrap())
        .sum();
    assert_close(sum, BASE_TOTAL, "sum of usd_per_month");
}

#[test]
fn markdown_has_a_table_and_the_total() {
    let s = Sandbox::new("markdown");
    let run = s.estimate(BASE, &["--format", "markdown"]);
    assert_success(&run);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "## cli-test — us-east-1 — standard month (730 h)");
    assert_eq!(
        lines[2],
        "| component | service | usage type | quantity | unit | USD/unit | USD/month | what |"
    );
    assert_eq!(
        lines[3],
        "| --- | --- | --- | ---: | --- | ---: | ---: | --- |"
    );
    assert!(
        lines[4].starts_with(
            "| api | AmazonECS | USE1-Fargate-vCPU-Hours:perCPU | 1,460 | vCPU-hours | 0.04048 | 59.10 | "
        ),
        "{}",
        lines[4]
    );
    assert!(
        lines[5].starts_with(
            "| api | AmazonECS | USE1-Fargate-GB-Hours | 2,920 | GB-hours | 0.004445 | 12.98 | "
        ),
        "{}",
        lines[5]
    );
    // The component's subtotal: 59.1008 + 12.9794 = 72.0802.
    assert_eq!(lines[6], "|  |  | subtotal api |  |  |  | 72.08 |  |");
    assert_eq!(lines[7], "");
    assert_eq!(lines[8], "**Total: 72.08 USD/month**");
    assert_eq!(lines[9], "");
    // Every report names the price snapshot it used.
    assert_eq!(
        lines[10],
        "- prices: embedded snapshot us-east-1 (2026-10-08)"
    );
    assert_eq!(lines.len(), 11, "{}", run.stdout);
}

#[test]
fn table_is_the_default_and_ends_with_the_total_and_the_prices_used() {
    let s = Sandbox::new("table");
    let run = s.estimate(BASE, &[]);
    assert_success(&run);
    assert!(
        run.stdout
            .starts_with("cli-test — us-east-1 — standard month (730 h)\n"),
        "{}",
        run.stdout
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[lines.len() - 3]
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["TOTAL", "72.08"]
    );
    assert_eq!(
        lines[lines.len() - 1],
        "prices: embedded snapshot us-east-1 (2026-10-08)"
    );
    // Two priced lines between the header and the total.
    assert_eq!(
        run.stdout.lines().filter(|l| l.starts_with("api ")).count(),
        2
    );
}

#[test]
fn by_service_groups_lines_in_csv_and_table() {
    let s = Sandbox::new("by_service");
    // ECS 72.0802 (BASE); EC2: 2 NAT gateways × 730 h × 0.045 = 65.70; VPC: their 2 public
    // IPv4 addresses × 730 h × 0.005 = 7.30. Largest first.
    let run = s.estimate(&with_nat(), &["--by", "service", "--format", "csv"]);
    assert_success(&run);
    assert_eq!(
        run.stdout,
        "service,usd_per_month\nAmazonECS,72.080200\nAmazonEC2,65.700000\nAmazonVPC,7.300000\n"
    );
    let run = s.estimate(&with_nat(), &["--by", "service"]);
    assert_success(&run);
    let rows: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    // Shares: 72.0802 / 145.0802 = 49.7 %, 65.70 / 145.0802 = 45.3 %, 7.30 / 145.0802 = 5.0 %.
    assert!(
        rows.contains(&vec!["AmazonECS", "72.08", "49.7%"]),
        "{}",
        run.stdout
    );
    assert!(
        rows.contains(&vec!["AmazonEC2", "65.70", "45.3%"]),
        "{}",
        run.stdout
    );
    assert!(
        rows.contains(&vec!["AmazonVPC", "7.30", "5.0%"]),
        "{}",
        run.stdout
    );
    assert!(rows.contains(&vec!["TOTAL", "145.08"]), "{}", run.stdout);
}

#[test]
fn by_component_and_by_usage_type_group_in_csv() {
    let s = Sandbox::new("by_component");
    let run = s.estimate(&with_nat(), &["--by", "component", "--format", "csv"]);
    assert_success(&run);
    assert_eq!(
        run.stdout,
        "component,usd_per_month\nnat,73.000000\napi,72.080200\n"
    );
    let run = s.estimate(&with_nat(), &["--by", "usage-type", "--format", "csv"]);
    assert_success(&run);
    // 65.70 NAT hours, 59.1008 vCPU-hours, 12.9794 GB-hours, 7.30 public IPv4 address-hours.
    assert_eq!(
        run.stdout,
        "usage_type,usd_per_month\nAmazonEC2 NatGateway-Hours,65.700000\nAmazonECS USE1-Fargate-vCPU-Hours:perCPU,59.100800\nAmazonECS USE1-Fargate-GB-Hours,12.979400\nAmazonVPC USE1-PublicIPv4:InUseAddress,7.300000\n"
    );
}

#[test]
fn json_total_of_a_model_with_no_priced_lines_is_zero_not_negative_zero() {
    let s = Sandbox::new("negative_zero");
    let model = edit(BASE, "desired_count: 2\n", "desired_count: 0\n");
    let doc = json(&s.estimate(&model, &["--format", "json"]));
    assert_eq!(doc["lines"].as_array().map(Vec::len), Some(0));
    assert!(
        total(&doc) == 0.0 && total(&doc).is_sign_positive(),
        "total_usd_per_month is {}",
        doc["total_usd_per_month"]
    );
}

// ---------------------------------------------------------------------------------------------
// Calendar months.
// ---------------------------------------------------------------------------------------------

#[test]
fn october_2026_has_744_hours() {
    let s = Sandbox::new("month_oct");
    let doc = json(&s.estimate(BASE, &["--month", "2026-10", "--format", "json"]));
    assert_eq!(doc["period"]["hours"], 744);
    assert_eq!(doc["period"]["label"], "2026-10 (744 h)");
    // 31 days × 24 = 744 h; 2 tasks × 744 h × 0.04937 = 73.46256 USD
    assert_close(total(&doc), 2.0 * 744.0 * 0.04937, "total");
    assert_close(total(&doc), 73.46256, "total");
    assert_close(
        line(&doc, "USE1-Fargate-vCPU-Hours:perCPU")["quantity"]
            .as_f64()
            .unwrap(),
        1488.0,
        "2 × 744 vCPU-hours",
    );
}

#[test]
fn february_2028_has_696_hours_and_february_2026_672() {
    let s = Sandbox::new("month_feb");
    let doc = json(&s.estimate(BASE, &["--month", "2028-02", "--format", "json"]));
    assert_eq!(doc["period"]["hours"], 696);
    assert_eq!(doc["period"]["label"], "2028-02 (696 h)");
    // Leap year: 29 days × 24 = 696 h; 2 × 696 × 0.04937 = 68.72304 USD
    assert_close(total(&doc), 68.72304, "February 2028");
    let doc = json(&s.estimate(BASE, &["--month", "2026-02", "--format", "json"]));
    assert_eq!(doc["period"]["hours"], 672);
    // 28 days × 24 = 672 h; 2 × 672 × 0.04937 = 66.35328 USD
    assert_close(total(&doc), 66.35328, "February 2026");
}

// ---------------------------------------------------------------------------------------------
// Price files.
// ---------------------------------------------------------------------------------------------

#[test]
fn price_file_changes_the_nat_hourly_price_by_the_hand_computed_amount() {
    let s = Sandbox::new("prices_nat");
    let mut book = snapshot();
    let rate = rate_mut(&mut book, "NatGateway-Hours");
    assert_eq!(
        rate.as_f64(),
        Some(0.045),
        "the snapshot's NAT hourly price"
    );
    *rate = Value::from(0.05);
    s.write("prices.json", &serde_json::to_string_pretty(&book).unwrap());

    let before = json(&s.estimate(&with_nat(), &["--format", "json"]));
    let after = json(&s.estimate(
        &with_nat(),
        &["--format", "json", "--prices", "prices.json"],
    ));
    // 2 gateways × 730 h × (0.05 − 0.045) = 7.30 USD more: 145.0802 → 152.3802
    assert_close(total(&before), 145.0802, "with the snapshot");
    assert_close(total(&after) - total(&before), 7.3, "difference");
    assert_close(total(&after), 152.3802, "with the price file");
    let nat = line(&after, "NatGateway-Hours");
    assert_close(nat["usd_per_unit"].as_f64().unwrap(), 0.05, "NAT rate");
    assert_eq!(nat["price_source"]["book"], "prices.json (2026-10-08)");
}

#[test]
fn price_file_for_another_region_is_rejected() {
    let s = Sandbox::new("prices_region");
    let mut book = snapshot();
    book["region"] = Value::from("eu-central-1");
    s.write("prices.json", &book.to_string());
    let run = s.estimate(BASE, &["--prices", "prices.json"]);
    assert_user_error(
        &run,
        "error: prices.json holds prices for eu-central-1, but the model runs in us-east-1; expected a price file for us-east-1",
        &[],
    );
}

#[test]
fn region_without_snapshot_accepts_prices_but_checks_their_region() {
    let s = Sandbox::new("prices_region_model");
    s.write("prices.json", &snapshot().to_string());
    let model = edit(BASE, "region: us-east-1", "region: sa-east-1");
    let run = s.estimate(&model, &["--prices", "prices.json"]);
    assert_user_error(
        &run,
        "error: prices.json holds prices for us-east-1, but the model runs in sa-east-1; expected a price file for sa-east-1",
        &[],
    );
}

#[test]
fn malformed_price_file_is_named_with_its_position() {
    let s = Sandbox::new("prices_malformed");
    s.write("prices.json", "{\"schema_version\": 1,,}");
    let run = s.estimate(BASE, &["--prices", "prices.json"]);
    assert_user_error(
        &run,
        "error: prices.json: line 1, column 22: ",
        &["key must be a string"],
    );
}

#[test]
fn malformed_price_file_position_is_printed_once() {
    let s = Sandbox::new("prices_malformed_once");
    s.write("prices.json", "{\"schema_version\": 1,,}");
    let run = s.estimate(BASE, &["--prices", "prices.json"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .starts_with("error: prices.json: line 1, column 22: ")
    );
    assert!(
        !run.stderr.contains("at line 1 column 22"),
        "{}",
        run.stderr
    );
}

#[test]
fn price_file_that_does_not_exist_is_a_user_error() {
    let s = Sandbox::new("prices_missing");
    let run = s.estimate(BASE, &["--prices", "missing.json"]);
    assert_user_error(
        &run,
        "error: cannot read missing.json: ",
        &["No such file or directory"],
    );
}

#[test]
fn price_file_that_does_not_exist_reports_the_os_error_once() {
    let s = Sandbox::new("prices_missing_once");
    let run = s.estimate(BASE, &["--prices", "missing.json"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr.matches("No such file or directory").count(),
        1,
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// The reference model.
// ---------------------------------------------------------------------------------------------

fn reference(s: &Sandbox, extra: &[&str]) -> crate::util::Run {
    let path = reference_model_path();
    let mut args = vec!["estimate", path.to_str().expect("a UTF-8 path")];
    args.extend_from_slice(extra);
    s.run(&args)
}

#[test]
fn reference_model_estimates_in_every_format_with_the_same_total() {
    let s = Sandbox::new("reference");
    let doc = json(&reference(&s, &["--format", "json"]));
    let expected = total(&doc);
    assert!(expected > 0.0);
    assert_close(sum_of_lines(&doc), expected, "JSON sum of lines");
    assert_eq!(doc["model"], "fintech-global-platform");
    let n_lines = doc["lines"].as_array().unwrap().len();

    let csv = reference(&s, &["--format", "csv"]);
    assert_machine_success(&csv);
    let rows: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(rows.len(), n_lines + 1, "CSV: header + one row per line");
    let csv_sum: f64 = rows[1..]
        .iter()
        .map(|r| csv_fields(r)[8].parse::<f64>().unwrap())
        .sum();
    // CSV amounts are printed to 6 decimals.
    assert!(
        (csv_sum - expected).abs() < 1e-4,
        "CSV sum {csv_sum} vs {expected}"
    );

    let md = reference(&s, &["--format", "markdown"]);
    assert_success(&md);
    let md_total = md
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("**Total: "))
        .and_then(|l| l.strip_suffix(" USD/month**"))
        .expect("a Markdown total line");
    assert!(
        (parse_usd(md_total) - expected).abs() <= 0.005,
        "{md_total}"
    );

    let table = reference(&s, &["--format", "table"]);
    assert_success(&table);
    let table_total = table
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("TOTAL"))
        .expect("a TOTAL row");
    assert!(
        (parse_usd(table_total) - expected).abs() <= 0.005,
        "{table_total}"
    );
}

#[test]
fn reference_model_estimates_with_every_grouping() {
    let s = Sandbox::new("reference_by");
    for by in ["component", "service", "usage-type"] {
        for format in ["table", "csv", "markdown"] {
            let run = reference(&s, &["--by", by, "--format", format]);
            if format == "csv" || format == "json" {
                assert_machine_success(&run);
            } else {
                assert_success(&run);
            }
        }
    }
}

/// Regression: a mistake in the second model given to `compare` exited 2 ("internal error");
/// every command now exits 1 for a user's mistake, with the file, line, column and field.
#[test]
fn a_bad_model_in_compare_is_a_user_error() {
    let s = Sandbox::new("compare_bad_model");
    s.write("good.yaml", BASE);
    s.write("bad.yaml", &edit(BASE, "    vcpu: 1\n", "    vcpu: 3\n"));
    let run = s.run(&["compare", "good.yaml", "bad.yaml"]);
    assert_user_error(
        &run,
        "error: bad.yaml:12:11: field `components[0].vcpu`: 3 vCPU is not a Fargate task size",
        &["0.25, 0.5, 1, 2, 4, 8, 16"],
    );
}

/// Regression: the tier footnote said "free allowances included" for models without the Free
/// Tier.
#[test]
fn the_tier_footnote_says_whether_free_tier_allowances_apply() {
    let s = Sandbox::new("tier_footnote");
    let egress = format!(
        "{BASE}  - id: nat\n    kind: nat_gateway\nflows:\n  - {{ from: api, to: internet, gb_per_month: 500 }}\n"
    );
    let without = s.estimate(&egress, &[]);
    assert_success(&without);
    assert!(
        without
            .stdout
            .contains("(no Free Tier allowances: the model has free_tier: false)"),
        "{}",
        without.stdout
    );
    let with = s.estimate(
        &edit(
            &egress,
            "availability_zones: 2\n",
            "availability_zones: 2\nfree_tier: true\n",
        ),
        &[],
    );
    assert_success(&with);
    assert!(
        with.stdout.contains("(Free Tier allowances included)"),
        "{}",
        with.stdout
    );
}

/// Regression: `--samples` with `--by component` silently showed the per-service percentiles.
#[test]
fn samples_refuse_a_grouping_they_cannot_show() {
    let s = Sandbox::new("samples_by_component");
    let model = reference_model_path();
    let model = model.to_str().unwrap();
    let run = s.run(&["estimate", model, "--samples", "10", "--by", "component"]);
    assert_user_error(
        &run,
        "error: --by component: with --samples the percentiles are by service",
        &["--by service"],
    );
    let by_service = s.run(&["estimate", model, "--samples", "10", "--by", "service"]);
    assert_success(&by_service);
}

/// Regression: with `--format csv` a capped service's warning was on neither stdout nor stderr.
/// CSV and JSON readers are programs: the warnings also go to stderr.
#[test]
fn warnings_reach_stderr_with_machine_formats() {
    let s = Sandbox::new("csv_warnings");
    let capped = edit(
        BASE,
        "    desired_count: 2\n",
        "    scaling: { min_tasks: 1, max_tasks: 1, target_cpu_percent: 50, tps_per_task_at_full_cpu: 10 }\n",
    );
    for format in ["csv", "json"] {
        let run = s.estimate(&capped, &["--format", format]);
        assert_eq!(run.code, Some(0), "{run:#?}");
        // 100 TPS / (10 × 50%) = 20 tasks needed, max_tasks 1.
        assert!(
            run.stderr.starts_with(
                "warning: api: load needs up to 20 tasks but max_tasks caps the service"
            ),
            "{format}: {}",
            run.stderr
        );
        assert!(!run.stdout.contains("warning:") || format == "json");
    }
    let table = s.estimate(&capped, &[]);
    assert_success(&table);
    assert!(
        table
            .stdout
            .contains("warning: api: load needs up to 20 tasks")
    );
}

/// Regression: the reconciliation CSV dropped the credits, taxes and commitments and every
/// warning. Each section of the table now has rows, told apart by `section`.
#[test]
fn the_reconciliation_csv_carries_every_section() {
    let s = Sandbox::new("reconcile_csv_sections");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reconcile");
    let model = dir.join("model.yaml");
    let actuals = dir.join("cur.csv");
    let run = s.run(&[
        "reconcile",
        "--model",
        model.to_str().unwrap(),
        "--actuals",
        actuals.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, Some(0), "{run:#?}");
    let rows: Vec<Vec<String>> = run.stdout.lines().map(csv_fields).collect();
    assert_eq!(rows[0][0], "section");
    let count = |section: &str| rows.iter().filter(|r| r[0] == section).count();
    // The fixture bills 5 modeled usage types, 1 unmodeled one (S3 storage) and a credit of
    // −5, a tax of 10 and commitment charges of −16.192 + 11.66 = −4.532.
    assert_eq!(
        (count("line"), count("unmapped"), count("non_usage")),
        (5, 1, 3)
    );
    let non_usage = |category: &str| {
        let row = rows
            .iter()
            .find(|r| r[0] == "non_usage" && r[3] == category)
            .unwrap_or_else(|| panic!("no {category} row"));
        parse_usd(&row[7])
    };
    assert_close(non_usage("credit"), -5.0, "credit");
    assert_close(non_usage("tax"), 10.0, "tax");
    assert_close(non_usage("commitment"), -16.192 + 11.66, "commitment");
}

/// `-o FILE` writes the whole output there and nothing to stdout; `-q` keeps warnings off
/// stderr (they stay in the JSON).
#[test]
fn output_files_and_quiet_runs() {
    let s = Sandbox::new("output_and_quiet");
    let capped = edit(
        BASE,
        "    desired_count: 2\n",
        "    scaling: { min_tasks: 1, max_tasks: 1, target_cpu_percent: 50, tps_per_task_at_full_cpu: 10 }\n",
    );
    let to_file = s.estimate(&capped, &["--format", "json", "-o", "out.json", "-q"]);
    assert_eq!(to_file.code, Some(0), "{to_file:#?}");
    assert_eq!((to_file.stdout.as_str(), to_file.stderr.as_str()), ("", ""));
    let written = std::fs::read_to_string(s.dir.join("out.json")).unwrap();
    let doc: Value = serde_json::from_str(&written).unwrap();
    // 1 task × 730 h × 0.04937 = 36.0401 USD.
    assert_close(total(&doc), 36.0401, "total");
    assert_eq!(doc["diagnostics"][0]["severity"], "warning");
    let same = s.estimate(&capped, &["--format", "json"]);
    assert_eq!(
        same.stdout, written,
        "the file holds exactly what stdout would"
    );
    // A file that cannot be written: exit 1, nothing on stdout.
    let bad = s.estimate(&capped, &["-o", "no-such-dir/out.txt"]);
    assert_user_error(&bad, "error: cannot write no-such-dir/out.txt: ", &[]);
}

/// Every command's help ends with examples; completions print a script.
#[test]
fn help_has_examples_and_completions_print() {
    let s = Sandbox::new("help_examples");
    for command in ["estimate", "compare", "savings", "sweep", "reconcile"] {
        let help = s.run(&[command, "--help"]);
        assert_success(&help);
        assert!(
            help.stdout
                .contains(&format!("Examples:\n  archcost {command} ")),
            "{command}: {}",
            help.stdout
        );
    }
    let bash = s.run(&["completions", "bash"]);
    assert_success(&bash);
    assert!(bash.stdout.contains("_archcost()"), "{}", bash.stdout);
}

/// Regression: a YAML file given as `--prices` said only "expected value".
#[test]
fn a_price_file_that_is_not_json_says_so() {
    let s = Sandbox::new("prices_not_json");
    s.write("prices.yaml", "region: us-east-1\nprices: []\n");
    let run = s.estimate(BASE, &["--prices", "prices.yaml"]);
    assert_user_error(
        &run,
        "error: prices.yaml: line 1, column 1: expected value: this is not a price book",
        &["expected a JSON price file"],
    );
}

/// Regression: estimate lines ran to 257 characters on a terminal. Tables fit the width they
/// are given: the description is cut short, or left out (with a note) when too little of it
/// would remain; a one-design sweep keeps its costliest services.
#[test]
fn tables_fit_a_terminal_width() {
    use archcost::report::{EstimateReport, Format, render, render_within};
    let text = std::fs::read_to_string(reference_model_path()).unwrap();
    let t = archcost::model_file::parse(&text, "m.yaml").unwrap();
    let prices = archcost::PriceBook::embedded(t.region).unwrap();
    let e = archcost::estimate(&t, &prices, &archcost::BillingPeriod::standard_month()).unwrap();
    let report = EstimateReport {
        estimate: &e,
        by: None,
    };
    let widest = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("warning") && !l.starts_with("note") && !l.starts_with('*'))
            .map(|l| l.chars().count())
            .max()
            .unwrap()
    };
    assert!(widest(&render(&report, Format::Table)) > 200);
    let fitted = render_within(&report, Format::Table, Some(160));
    assert!(widest(&fitted) <= 160, "{fitted}");
    assert!(fitted.contains('…'));
    let narrow = render_within(&report, Format::Table, Some(100));
    assert!(!narrow.contains("  what"), "{narrow}");
    assert!(narrow.contains("1 more column(s) left out to fit the terminal"));
    // Other formats are never cut.
    assert_eq!(
        render_within(&report, Format::Csv, Some(100)),
        render(&report, Format::Csv)
    );
}

/// `archcost kinds` lists every kind; `archcost kinds KIND` its fields and usage types.
#[test]
fn kinds_explain_their_fields_and_usage_types() {
    let s = Sandbox::new("kinds");
    let all = s.run(&["kinds"]);
    assert_success(&all);
    for kind in archcost::topology::ComponentKind::ALL {
        assert!(
            all.stdout.contains(&format!("  {} ", kind.keyword())),
            "{}",
            all.stdout
        );
    }
    let sqs = s.run(&["kinds", "sqs_queue"]);
    assert_success(&sqs);
    assert!(sqs.stdout.contains("* queue_type"), "{}", sqs.stdout);
    assert!(
        sqs.stdout.contains("one of standard, fifo"),
        "{}",
        sqs.stdout
    );
    assert!(sqs.stdout.contains("Requests-FIFO-Tier1"), "{}", sqs.stdout);
    let unknown = s.run(&["kinds", "sqs"]);
    assert_user_error(
        &unknown,
        "error: unknown component kind `sqs`; expected one of fargate_service",
        &["sqs_queue"],
    );
}
