//! Bills read by Amazon Athena (`--engine athena`), through the SDK client users run: against a
//! loopback server answering Athena's JSON protocol (to see the SQL sent, report bytes scanned
//! and inject faults) and against the moto emulator (ignored by a plain `cargo test`;
//! `scripts/test` runs them). Neither runs SQL: each is given, as Athena's answer, the groups
//! archcost's local reader makes of the same fixture file, so the tests check that an answer
//! flows into the same output as the local engine gives; the SQL itself is kept in snapshots
//! and its sums are the local reader's (see `src/actuals/athena.rs`).

use std::path::Path;
use std::sync::{Arc, Mutex};

use archcost::actuals::athena::{self, AthenaTable, Layout};
use archcost::actuals::tagged::{CostBasis, Fields};
use archcost::actuals::{export, tagged};
use polars::prelude::{AnyValue, DataFrame};

use crate::util::*;

const FOCUS: &str = "tests/fixtures/review/focus.csv";
const CUR: &str = "tests/fixtures/reconcile/cur.csv";

/// A query result as Athena gives it: column names and rows of text.
#[derive(Clone)]
struct Result {
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
    bytes_scanned: u64,
}

/// What `information_schema.columns` lists for a Data Exports table over `file`: its columns
/// lower-cased (as Glue keeps them) with Athena types, and the `billing_period` partition.
fn columns_of(file: &str, bytes_scanned: u64) -> Result {
    let text = std::fs::read_to_string(file).unwrap();
    let header = csv_fields(text.lines().next().unwrap());
    let numbers = [
        "PricingQuantity",
        "BilledCost",
        "ListCost",
        "EffectiveCost",
        "ContractedCost",
        "line_item_usage_amount",
        "line_item_unblended_cost",
    ];
    let mut rows: Vec<Vec<String>> = header
        .iter()
        .map(|name| {
            let kind = if numbers.contains(&name.as_str()) {
                "double"
            } else if name.contains("BillingPeriodStart") || name.contains("billing_period_start") {
                "timestamp(3)"
            } else {
                "varchar"
            };
            vec![name.to_ascii_lowercase(), kind.to_string()]
        })
        .collect();
    rows.push(vec!["billing_period".into(), "varchar".into()]);
    Result {
        columns: vec!["column_name".into(), "data_type".into()],
        rows,
        bytes_scanned,
    }
}

/// A frame of groups as Athena would return it: every cell as text, numbers as Rust writes
/// them (they read back to the same f64), and only the rows of `month` when given.
fn answer_of(frame: &DataFrame, month_column: &str, month: Option<&str>, bytes: u64) -> Result {
    let columns: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut rows = Vec::new();
    for i in 0..frame.height() {
        let row: Vec<String> = frame
            .columns()
            .iter()
            .map(|c| match c.get(i).unwrap() {
                AnyValue::String(s) => s.to_string(),
                AnyValue::StringOwned(s) => s.to_string(),
                AnyValue::Float64(v) => format!("{v}"),
                AnyValue::Null => String::new(),
                other => panic!("unexpected cell {other:?}"),
            })
            .collect();
        let at = columns.iter().position(|c| c == month_column).unwrap();
        if month.is_none_or(|m| row[at] == m) {
            rows.push(row);
        }
    }
    Result {
        columns,
        rows,
        bytes_scanned: bytes,
    }
}

/// The groups the tag analysis of `file` makes, as Athena's answer.
fn tagged_answer(file: &str, basis: CostBasis, fields: Fields, month: Option<&str>) -> Result {
    let groups = tagged::line_groups(Path::new(file), basis, fields).unwrap();
    answer_of(&groups.frame, "month", month, 7_340_032)
}

/// The groups the reconciliation of `file` makes, as Athena's answer.
fn actuals_answer(file: &str, month: Option<&str>) -> Result {
    let groups = export::line_groups(Path::new(file), None).unwrap();
    answer_of(&groups.frame, "billing_period", month, 12_582_912)
}

fn athena_json(result: &Result) -> serde_json::Value {
    let row = |cells: &[String]| serde_json::json!({"Data": cells.iter().map(|c| serde_json::json!({"VarCharValue": c})).collect::<Vec<_>>()});
    // Athena puts the column names first on the first page of a SELECT's result.
    let mut rows = vec![row(&result.columns)];
    rows.extend(result.rows.iter().map(|r| row(r)));
    serde_json::json!({
        "ResultSet": {
            "Rows": rows,
            "ResultSetMetadata": {"ColumnInfo": result.columns.iter().map(|c| serde_json::json!({"Name": c, "Label": c, "Type": "varchar"})).collect::<Vec<_>>()}
        },
        "UpdateCount": 0
    })
}

/// A loopback Athena answering each query in turn with the next result: StartQueryExecution
/// names it `qN`, GetQueryExecution says SUCCEEDED with its bytes scanned, GetQueryResults
/// gives its rows on one page. Returns the URL and every (operation, body) it saw.
fn loopback_athena(results: Vec<Result>) -> (String, std::sync::mpsc::Receiver<(String, String)>) {
    let started = Arc::new(Mutex::new(0usize));
    loopback_operations(move |operation, body| {
        let request: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
        let index = || -> usize {
            let id = request["QueryExecutionId"].as_str().unwrap_or("q0");
            id[1..].parse::<usize>().unwrap() - 1
        };
        let unexpected = |what: String| {
            (
                400,
                serde_json::json!({"__type": "InvalidRequestException", "Message": what})
                    .to_string(),
            )
        };
        match operation {
            "StartQueryExecution" => {
                let mut n = started.lock().unwrap();
                *n += 1;
                if *n > results.len() {
                    return unexpected(format!(
                        "query {n} of {}: {}",
                        results.len(),
                        request["QueryString"]
                    ));
                }
                (200, format!(r#"{{"QueryExecutionId":"q{n}"}}"#))
            }
            "GetQueryExecution" => {
                let i = index();
                (
                    200,
                    serde_json::json!({"QueryExecution": {
                        "QueryExecutionId": format!("q{}", i + 1),
                        "Status": {"State": "SUCCEEDED"},
                        "Statistics": {"DataScannedInBytes": results[i].bytes_scanned}
                    }})
                    .to_string(),
                )
            }
            "GetQueryResults" => (200, athena_json(&results[index()]).to_string()),
            other => unexpected(format!("unexpected {other}")),
        }
    })
}

/// The SQL of each query started, in order.
fn queries_sent(seen: &std::sync::mpsc::Receiver<(String, String)>) -> Vec<serde_json::Value> {
    seen.try_iter()
        .filter(|(op, _)| op == "StartQueryExecution")
        .map(|(_, body)| serde_json::from_str(&body).unwrap())
        .collect()
}

fn athena_args<'a>(url: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "--engine",
        "athena",
        "--database",
        "billing",
        "--table",
        "focus_export",
        "--endpoint-url",
        url,
        "--region",
        "us-east-1",
    ];
    args.extend_from_slice(extra);
    args
}

/// Runs `command` through the Athena at `url` (with the Athena-only flags `athena_extra`),
/// and again reading `bill` (appended to the command: `[PATH]` or `["--actuals", PATH]`)
/// itself; asserts both succeed with the same output, and returns it.
fn assert_athena_equals_local(
    url: &str,
    command: &[&str],
    athena_extra: &[&str],
    bill: &[&str],
) -> String {
    let mut remote_args = command.to_vec();
    remote_args.extend(athena_args(url, athena_extra));
    let (code, remote, err) = archcost(&remote_args);
    assert_eq!(code, 0, "{command:?} through Athena: {err}");
    let mut local_args = command.to_vec();
    local_args.extend_from_slice(bill);
    let (code, local, err) = archcost(&local_args);
    assert_eq!(code, 0, "{command:?} locally: {err}");
    assert_eq!(remote, local, "{command:?}");
    remote
}

#[test]
fn spend_through_athena_equals_the_local_reading_and_says_what_it_scanned() {
    let no_fields = Fields {
        account: false,
        region: false,
        resource: false,
        tags: false,
    };
    // spend --by service reads no account, region, resource or tags.
    let (url, seen) = loopback_athena(vec![
        columns_of(FOCUS, 0),
        tagged_answer(FOCUS, CostBasis::Effective, no_fields, Some("2026-10")),
    ]);
    assert_athena_equals_local(
        &url,
        &["spend", "--month", "2026-10", "--format", "csv"],
        &[
            "--workgroup",
            "finops",
            "--athena-output",
            "s3://athena-results/archcost/",
        ],
        &[FOCUS],
    );
    let sent = queries_sent(&seen);
    assert_eq!(sent.len(), 2);
    for q in &sent {
        assert_eq!(q["QueryExecutionContext"]["Database"], "billing");
        assert_eq!(q["WorkGroup"], "finops");
        assert_eq!(
            q["ResultConfiguration"]["OutputLocation"],
            "s3://athena-results/archcost/"
        );
    }
    let sql = |i: usize| sent[i]["QueryString"].as_str().unwrap().to_string();
    insta::assert_snapshot!("athena_spend_columns_sql", sql(0));
    insta::assert_snapshot!("athena_spend_groups_sql", sql(1));
    // Only the month's partition is read.
    assert!(sql(1).contains("WHERE \"billing_period\" IN ('2026-10')"));

    // As a table, the source says Athena answered, with its queries, the bytes scanned and
    // what they cost: 0 bytes for the columns (information_schema) and 7,340,032 (7 MiB) for
    // the groups, each billed at the 10 MiB least a query, 20 MiB in all;
    // 20 MiB / 1,048,576 MiB a TB × 5 USD per TB = 0.0000953674 USD.
    let (url, _) = loopback_athena(vec![
        columns_of(FOCUS, 0),
        tagged_answer(FOCUS, CostBasis::Effective, no_fields, Some("2026-10")),
    ]);
    let mut args = vec!["spend", "--month", "2026-10"];
    args.extend(athena_args(&url, &[]));
    let (code, table, err) = archcost(&args);
    assert_eq!(code, 0, "{err}");
    assert!(
        table.contains(
            "athena:billing.focus_export (FOCUS; answered by Amazon Athena: queries q1 (columns), q2 (groups); 7340032 bytes scanned, 20 MiB billed (10 MiB at least a query): 0.000095 USD at 5 USD per TB (USE1-DataScannedInTB, published_rate 2020-10-15, embedded snapshot us-east-1 (2026-10-08)))"
        ),
        "{table}"
    );
}

#[test]
fn reconcile_through_athena_equals_the_local_reading() {
    // Without --month the latest month is asked first, then only its partition is read.
    for (file, month) in [(FOCUS, "2026-10"), (CUR, "2026-10")] {
        let latest = Result {
            columns: vec!["month".into()],
            rows: vec![vec![month.into()]],
            bytes_scanned: 0,
        };
        let (url, seen) = loopback_athena(vec![
            columns_of(file, 0),
            latest,
            actuals_answer(file, Some(month)),
        ]);
        let model = reference_model_path();
        let command = [
            "reconcile",
            "--model",
            model.to_str().unwrap(),
            "--format",
            "csv",
        ];
        assert_athena_equals_local(&url, &command, &[], &["--actuals", file, "--month", month]);
        let sent = queries_sent(&seen);
        let sql: Vec<&str> = sent
            .iter()
            .map(|q| q["QueryString"].as_str().unwrap())
            .collect();
        assert_eq!(sql.len(), 3, "{sql:?}");
        let name = if file == FOCUS { "focus" } else { "cur" };
        insta::assert_snapshot!(format!("athena_reconcile_{name}_groups_sql"), sql[2]);
        assert!(
            sql[1].starts_with("SELECT max(\"billing_period\")"),
            "{}",
            sql[1]
        );
        assert!(
            sql[2].ends_with(&format!("WHERE \"billing_period\" IN ('{month}')\nGROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13")),
            "{}",
            sql[2]
        );
    }
}

#[test]
fn tags_through_athena_equal_the_local_reading() {
    // Tag coverage reads every field but the region.
    let fields = Fields {
        region: false,
        ..Fields::ALL
    };
    let (url, seen) = loopback_athena(vec![
        columns_of(FOCUS, 0),
        tagged_answer(FOCUS, CostBasis::Effective, fields, Some("2026-10")),
    ]);
    let tags = [
        "tags",
        "--month",
        "2026-10",
        "--require",
        "CostCenter,Environment,Owner",
        "--format",
        "csv",
    ];
    assert_athena_equals_local(&url, &tags, &[], &[FOCUS]);
    let sent = queries_sent(&seen);
    insta::assert_snapshot!(
        "athena_tags_groups_sql",
        sent[1]["QueryString"].as_str().unwrap()
    );
}

/// The answers a review of October asks for, in order: the month and the previous month in
/// one query (two partitions), then the tags of the month.
fn review_answers() -> Vec<Result> {
    let fields = Fields {
        region: false,
        ..Fields::ALL
    };
    vec![
        columns_of(FOCUS, 0),
        actuals_answer(FOCUS, None),
        columns_of(FOCUS, 0),
        tagged_answer(FOCUS, CostBasis::Effective, fields, Some("2026-10")),
    ]
}

/// Runs the review of October through the Athena at `endpoint` and from the file, and checks
/// that every data table is the same but for how the source is named. Returns the Athena
/// run's summary table.
fn assert_the_review_is_the_local_one(endpoint: &str, test: &str) -> String {
    let s = Sandbox::new(test);
    let model = reference_model_path();
    let common = [
        "report",
        "--model",
        model.to_str().unwrap(),
        "--month",
        "2026-10",
        "--previous-month",
        "2026-09",
        "--require-tags",
        "CostCenter,Environment,Owner",
        "-q",
    ];
    let mut args = common.to_vec();
    args.extend(["--out", "remote"]);
    args.extend(athena_args(endpoint, &[]));
    let run = s.run_with_test_credentials(&args);
    assert_eq!((run.code, run.stderr.as_str()), (Some(0), ""), "{run:#?}");
    let focus = Path::new(env!("CARGO_MANIFEST_DIR")).join(FOCUS);
    let mut args = common.to_vec();
    args.extend(["--out", "local", "--actuals", focus.to_str().unwrap()]);
    assert_success(&s.run(&args));
    let data = |dir: &str| {
        let mut files: Vec<_> = std::fs::read_dir(s.dir.join(dir).join("data"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "csv"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().to_string(),
                    std::fs::read_to_string(p).unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let (remote, local) = (data("remote"), data("local"));
    assert!(remote.len() >= 10, "{remote:?}");
    assert_eq!(remote.len(), local.len());
    // The source named with what Athena did (a quoted CSV cell), or as the table alone.
    let unsourced = |text: &str| {
        let marker = "\"athena:billing.focus_export (FOCUS; answered by Amazon Athena";
        let mut text = text.to_string();
        while let Some(start) = text.find(marker) {
            let end = start + 1 + text[start + 1..].find('"').unwrap();
            text.replace_range(start..=end, "SOURCE");
        }
        text.replace("athena:billing.focus_export", "SOURCE")
    };
    let file = focus.to_str().unwrap();
    for ((name, r), (_, l)) in remote.iter().zip(&local) {
        let l = l
            .replace(&format!("{file} (FOCUS)"), "SOURCE")
            .replace(file, "SOURCE");
        assert_eq!(unsourced(r), l, "{name}");
    }
    remote
        .into_iter()
        .find(|(name, _)| name == "summary.csv")
        .unwrap()
        .1
}

#[test]
fn the_review_through_athena_holds_the_local_numbers() {
    let (url, seen) = loopback_athena(review_answers());
    let summary = assert_the_review_is_the_local_one(&url, "athena-review");
    // The month and the previous month are one query over their two partitions.
    let sent = queries_sent(&seen);
    assert_eq!(sent.len(), 4);
    let groups = sent[1]["QueryString"].as_str().unwrap();
    assert!(
        groups.contains("WHERE \"billing_period\" IN ('2026-10', '2026-09')"),
        "{groups}"
    );
    // The actuals took two queries: the columns, scanning nothing, billed at the 10 MiB least;
    // both months' groups, 12 MiB scanned, billed as scanned:
    // 22 MiB / 1,048,576 MiB a TB × 5 USD per TB = 0.000104904 USD.
    let athena = "\"athena:billing.focus_export (FOCUS; answered by Amazon Athena: queries q1 (columns), q2 (groups); 12582912 bytes scanned, 22 MiB billed (10 MiB at least a query): 0.000105 USD at 5 USD per TB (USE1-DataScannedInTB, published_rate 2020-10-15, embedded snapshot us-east-1 (2026-10-08)))\"";
    assert!(summary.contains(athena), "{summary}");
}

fn table() -> AthenaTable {
    AthenaTable {
        catalog: None,
        database: "billing".into(),
        table: "cur2".into(),
    }
}

fn pairs(columns: &[(&str, &str)]) -> Vec<(String, String)> {
    columns
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect()
}

/// The SQL for both formats, as a Data Exports table has them: names lower-cased, tags a map,
/// the `billing_period` partition.
#[test]
fn the_sql_for_each_format() {
    let cur = Layout::new(
        &table(),
        &pairs(&[
            ("bill_billing_period_start_date", "timestamp(3)"),
            ("line_item_line_item_type", "varchar"),
            ("product_servicecode", "varchar"),
            ("line_item_product_code", "varchar"),
            ("line_item_usage_type", "varchar"),
            ("line_item_usage_amount", "double"),
            ("line_item_unblended_cost", "double"),
            ("pricing_public_on_demand_cost", "double"),
            ("line_item_currency_code", "varchar"),
            ("line_item_usage_account_id", "varchar"),
            ("line_item_resource_id", "varchar"),
            ("product_region_code", "varchar"),
            ("savings_plan_savings_plan_effective_cost", "double"),
            ("reservation_effective_cost", "double"),
            ("resource_tags", "map(varchar, varchar)"),
            ("billing_period", "varchar"),
        ]),
    )
    .unwrap();
    let focus = Layout::new(
        &table(),
        &pairs(&[
            ("billingperiodstart", "timestamp(3)"),
            ("servicename", "varchar"),
            ("x_servicecode", "varchar"),
            ("x_usagetype", "varchar"),
            ("chargecategory", "varchar"),
            ("chargedescription", "varchar"),
            ("commitmentdiscountcategory", "varchar"),
            ("commitmentdiscountstatus", "varchar"),
            ("pricingquantity", "double"),
            ("pricingunit", "varchar"),
            ("billedcost", "double"),
            ("listcost", "double"),
            ("effectivecost", "double"),
            ("contractedcost", "double"),
            ("billingcurrency", "varchar"),
            ("regionid", "varchar"),
            ("providername", "varchar"),
            ("skuid", "varchar"),
            ("subaccountid", "varchar"),
            ("resourceid", "varchar"),
            ("tags", "map(varchar, varchar)"),
            ("billing_period", "varchar"),
        ]),
    )
    .unwrap();
    let month = ["2026-10".to_string()];
    insta::assert_snapshot!("athena_columns_sql", athena::columns_sql(&table()));
    insta::assert_snapshot!(
        "athena_cur_latest_month_sql",
        athena::latest_month_sql(&cur)
    );
    insta::assert_snapshot!("athena_cur_actuals_sql", athena::actuals_sql(&cur, &month));
    insta::assert_snapshot!(
        "athena_cur_tagged_sql",
        athena::tagged_sql(&cur, CostBasis::Effective, Fields::ALL, &month)
    );
    insta::assert_snapshot!(
        "athena_focus_actuals_sql",
        athena::actuals_sql(&focus, &month)
    );
    insta::assert_snapshot!(
        "athena_focus_tagged_sql",
        athena::tagged_sql(&focus, CostBasis::List, Fields::ALL, &[])
    );
}

/// A name or month from the user cannot end its quotes: identifiers double `"`, literals
/// double `'`.
#[test]
fn names_and_values_cannot_end_their_quotes() {
    let hostile = AthenaTable {
        catalog: Some("cat\"alog".into()),
        database: "bill\"ing".into(),
        table: "cur2\"; DROP TABLE x; --".into(),
    };
    assert_eq!(
        hostile.sql_name(),
        r#""cat""alog"."bill""ing"."cur2""; DROP TABLE x; --""#
    );
    assert_eq!(
        athena::columns_sql(&hostile),
        "SELECT column_name, data_type\nFROM \"cat\"\"alog\".information_schema.columns\nWHERE table_schema = 'bill\"ing' AND table_name = 'cur2\"; drop table x; --'\nORDER BY ordinal_position"
    );
    assert_eq!(
        athena::literal("2026-10' OR '1'='1"),
        "'2026-10'' OR ''1''=''1'"
    );
    let layout = Layout::new(
        &hostile,
        &pairs(&[
            ("billingperiodstart", "timestamp(3)"),
            ("servicename", "varchar"),
            ("chargecategory", "varchar"),
            ("pricingquantity", "double"),
            ("billedcost", "double"),
            ("billing_period", "varchar"),
        ]),
    )
    .unwrap();
    let sql = athena::actuals_sql(&layout, &["2026-10') OR (1=1".to_string()]);
    assert!(
        sql.contains(r#"FROM "cat""alog"."bill""ing"."cur2""; DROP TABLE x; --""#)
            && sql.contains("WHERE \"billing_period\" IN ('2026-10'') OR (1=1')"),
        "{sql}"
    );
}

#[test]
fn a_table_that_is_not_an_export_is_refused_naming_what_it_lacks() {
    // FOCUS without BilledCost: the error a file gets.
    let e = Layout::new(
        &table(),
        &pairs(&[
            ("billingperiodstart", "timestamp(3)"),
            ("servicename", "varchar"),
            ("chargecategory", "varchar"),
            ("pricingquantity", "double"),
            ("listcost", "double"),
            ("effectivecost", "double"),
        ]),
    );
    // Without BilledCost it is not recognised as FOCUS at all.
    let e = e.unwrap_err().to_string();
    assert!(
        e.contains("athena:billing.cur2") && e.contains("neither CUR 2.0"),
        "{e}"
    );
    let e = Layout::new(
        &table(),
        &pairs(&[
            ("billingperiodstart", "timestamp(3)"),
            ("chargecategory", "varchar"),
            ("billedcost", "double"),
        ]),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "athena:billing.cur2 (FOCUS): missing column(s) ServiceName, PricingQuantity"
    );
    // No columns: the table does not exist.
    let e = Layout::new(&table(), &[]).unwrap_err().to_string();
    assert!(e.contains("no such table"), "{e}");
}

#[test]
fn athena_faults_are_said_plainly() {
    // A query that FAILED: Athena's reason (here an output location it cannot write).
    let reason = "Access denied when writing output to url: s3://locked-bucket/results/q1.csv . Please ensure you are allowed to access the S3 bucket.";
    let (url, _) = loopback_operations(move |operation, _| {
        match operation {
        "StartQueryExecution" => (200, r#"{"QueryExecutionId":"q1"}"#.into()),
        _ => (
            200,
            serde_json::json!({"QueryExecution": {"QueryExecutionId": "q1", "Status": {"State": "FAILED", "StateChangeReason": reason}}}).to_string(),
        ),
    }
    });
    let mut args = vec!["spend", "--month", "2026-10"];
    args.extend(athena_args(
        &url,
        &["--athena-output", "s3://locked-bucket/results/"],
    ));
    let (code, out, err) = archcost(&args);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.contains("athena:GetQueryExecution: query q1 FAILED: Access denied when writing output to url: s3://locked-bucket/results/q1.csv"),
        "{err}"
    );

    // A query still RUNNING at --timeout is stopped.
    let (url, seen) = loopback_operations(move |operation, _| match operation {
        "StartQueryExecution" => (200, r#"{"QueryExecutionId":"q1"}"#.into()),
        "StopQueryExecution" => (200, "{}".into()),
        _ => (
            200,
            r#"{"QueryExecution":{"QueryExecutionId":"q1","Status":{"State":"RUNNING"}}}"#.into(),
        ),
    });
    let mut args = vec!["spend", "--month", "2026-10"];
    args.extend(athena_args(&url, &["--timeout", "1"]));
    let (code, _, err) = archcost(&args);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(
            "query q1 still RUNNING after 1 s (--timeout); stopped it (StopQueryExecution)"
        ),
        "{err}"
    );
    let operations: Vec<String> = seen.try_iter().map(|(op, _)| op).collect();
    assert_eq!(
        operations.last().map(String::as_str),
        Some("StopQueryExecution")
    );
    // Backoff: a second of polling is a handful of status checks, not hundreds.
    let polls = operations
        .iter()
        .filter(|o| *o == "GetQueryExecution")
        .count();
    assert!((3..=12).contains(&polls), "{polls} polls: {operations:?}");

    // Result pages whose token repeats stop with an error, not a loop.
    let columns = columns_of(FOCUS, 0);
    let (url, _) = loopback_operations(move |operation, _| match operation {
        "StartQueryExecution" => (200, r#"{"QueryExecutionId":"q1"}"#.into()),
        "GetQueryExecution" => (
            200,
            r#"{"QueryExecution":{"QueryExecutionId":"q1","Status":{"State":"SUCCEEDED"}}}"#.into(),
        ),
        _ => {
            let mut page = athena_json(&columns);
            page["NextToken"] = "page-2".into();
            (200, page.to_string())
        }
    });
    let mut args = vec!["spend", "--month", "2026-10"];
    args.extend(athena_args(&url, &[]));
    let (code, _, err) = archcost(&args);
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "athena:GetQueryResults: the service returned the page token `page-2` a second time"
        ),
        "{err}"
    );
}

#[test]
fn engine_flags_are_checked() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["spend", FOCUS, "--database", "billing"],
            "--database applies to --engine athena",
        ),
        (
            &[
                "spend",
                FOCUS,
                "--engine",
                "athena",
                "--database",
                "b",
                "--table",
                "t",
            ],
            "with --engine athena the bill is the table",
        ),
        (
            &["spend", "--engine", "athena", "--table", "t"],
            "--engine athena needs --database and --table",
        ),
        (
            &[
                "spend",
                "--engine",
                "athena",
                "--database",
                "b",
                "--table",
                "t",
                "--athena-output",
                "/tmp/x",
            ],
            "expected an s3://BUCKET/PREFIX/ location",
        ),
        (&["spend"], "no bill"),
    ];
    for (args, said) in cases {
        let (code, out, err) = archcost(args);
        assert_eq!((code, out.as_str()), (1, ""), "{args:?}");
        assert!(err.contains(said), "{args:?}: {err}");
    }
    let (code, _, err) = archcost(&[
        "reconcile",
        "--model",
        "models/fintech-global-platform.yaml",
        "--actuals",
        "athena:nodot",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("expected athena:DATABASE.TABLE"), "{err}");
}

/// moto hands out seeded Athena results in the order queries start, to every client: tests
/// that seed results take turns.
static ATHENA_QUEUE: Mutex<()> = Mutex::new(());

/// Queues `results` in moto as the answers of the next queries started.
fn seed(endpoint: &str, results: &[Result]) {
    let body = serde_json::json!({
        "region": "us-east-1",
        "results": results.iter().map(|r| {
            let page = athena_json(r);
            serde_json::json!({
                "rows": page["ResultSet"]["Rows"],
                "column_info": page["ResultSet"]["ResultSetMetadata"]["ColumnInfo"],
            })
        }).collect::<Vec<_>>(),
    });
    let status = crate::aws::post_json(
        &format!("{endpoint}/moto-api/static/athena/query-results"),
        &body.to_string(),
    );
    assert_eq!(status, 201);
}

#[test]
#[ignore = "needs the moto emulator: scripts/test starts it and runs these"]
fn through_the_emulator_every_command_equals_the_local_reading() {
    let endpoint = crate::aws::emulator();
    let _turn = ATHENA_QUEUE.lock().unwrap_or_else(|e| e.into_inner());
    // spend by service and account.
    let fields = Fields {
        account: true,
        region: false,
        resource: false,
        tags: false,
    };
    seed(
        &endpoint,
        &[
            columns_of(FOCUS, 0),
            tagged_answer(FOCUS, CostBasis::Billed, fields, Some("2026-10")),
        ],
    );
    let spend = [
        "spend",
        "--month",
        "2026-10",
        "--by",
        "service,account",
        "--cost",
        "billed",
        "--format",
        "csv",
    ];
    assert_athena_equals_local(&endpoint, &spend, &[], &[FOCUS]);
    // Tag coverage, a key with a quote in it among the required ones: keys are never SQL.
    let fields = Fields {
        region: false,
        ..Fields::ALL
    };
    seed(
        &endpoint,
        &[
            columns_of(FOCUS, 0),
            tagged_answer(FOCUS, CostBasis::Effective, fields, Some("2026-10")),
        ],
    );
    let tags = [
        "tags",
        "--month",
        "2026-10",
        "--require",
        "CostCenter,Owner's,Environment",
        "--format",
        "csv",
    ];
    let remote = assert_athena_equals_local(&endpoint, &tags, &[], &[FOCUS]);
    assert!(remote.contains("Owner's_usd"), "{remote}");
    // Reconcile a CUR table for a month.
    seed(
        &endpoint,
        &[columns_of(CUR, 0), actuals_answer(CUR, Some("2026-10"))],
    );
    let model = format!(
        "{}/tests/fixtures/reconcile/model.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let reconcile = [
        "reconcile",
        "--model",
        &model,
        "--month",
        "2026-10",
        "--format",
        "csv",
    ];
    assert_athena_equals_local(&endpoint, &reconcile, &[], &["--actuals", CUR]);
    // The review: four queries, seeded in the order it asks them.
    seed(&endpoint, &review_answers());
    assert_the_review_is_the_local_one(&endpoint, "athena-review-emulator");
}

#[test]
#[ignore = "needs the moto emulator: scripts/test starts it and runs these"]
fn through_the_emulator_a_missing_workgroup_or_table_is_named() {
    let endpoint = crate::aws::emulator();
    let _turn = ATHENA_QUEUE.lock().unwrap_or_else(|e| e.into_inner());
    let mut args = vec!["spend", "--month", "2026-10"];
    args.extend(athena_args(
        &endpoint,
        &["--workgroup", "no-such-workgroup"],
    ));
    let (code, _, err) = archcost(&args);
    assert_eq!(code, 1);
    assert!(
        err.contains("athena:StartQueryExecution") && err.contains("WorkGroup does not exist"),
        "{err}"
    );
    // A table information_schema does not list: no columns.
    seed(
        &endpoint,
        &[Result {
            columns: vec!["column_name".into(), "data_type".into()],
            rows: Vec::new(),
            bytes_scanned: 0,
        }],
    );
    let mut args = vec!["spend", "--month", "2026-10"];
    args.extend(athena_args(&endpoint, &[]));
    let (code, _, err) = archcost(&args);
    assert_eq!(code, 1);
    assert!(
        err.contains("athena:billing.focus_export: no such table"),
        "{err}"
    );
}
