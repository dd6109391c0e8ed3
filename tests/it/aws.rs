//! Actual spend from AWS through the same SDK clients users run: Cost Explorer and S3 against
//! the moto emulator (`ARCHCOST_TEST_ENDPOINT`, started by `.ci/run`), and Cost Explorer
//! pagination, throttling and access denial against a loopback server replaying real response
//! shapes (moto cannot produce those). The emulator tests are ignored by a plain `cargo test`
//! (so they show as not run); `scripts/test` starts moto and runs them with `--include-ignored`.

use std::io::{Read, Write};

use archcost::actuals::{self, ActualsError};
use archcost::aws::AwsOptions;

use crate::util::archcost;

const DIR: &str = "tests/fixtures/reconcile";

/// moto queues Cost Explorer results per account and hands them out in order: tests that
/// seed results take turns.
static CE_QUEUE: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Why the emulator tests are ignored by a plain `cargo test`.
pub(crate) const NEEDS_EMULATOR: &str =
    "needs the moto emulator: scripts/test starts it and runs these";

/// The emulator's endpoint; a test that needs it fails when it is not running.
pub(crate) fn emulator() -> String {
    match std::env::var("ARCHCOST_TEST_ENDPOINT") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!("{NEEDS_EMULATOR} (set ARCHCOST_TEST_ENDPOINT to a moto server)"),
    }
}

/// Test credentials for the SDK's standard chain, set once before any test reads them.
fn credentials() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: set once, under a Once, to the same values, before the clients read them.
        unsafe {
            std::env::set_var("AWS_ACCESS_KEY_ID", "testing");
            std::env::set_var("AWS_SECRET_ACCESS_KEY", "testing");
            std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
        }
    });
}

/// Runs a future on a current-thread runtime (for seeding the emulator through the SDK).
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

pub(crate) fn post_json(url: &str, body: &str) -> u16 {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap();
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(s, "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).unwrap();
    response.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
#[ignore = "needs the moto emulator: scripts/test starts it and runs these"]
fn cost_explorer_through_the_emulator_reconciles_like_the_saved_response() {
    let endpoint = emulator();
    let _turn = CE_QUEUE.lock().unwrap_or_else(|e| e.into_inner());
    // moto pops one queued result per distinct request body: the usage query, then the
    // RECORD_TYPE query — the order archcost sends them in.
    let saved = std::fs::read_to_string(format!("{DIR}/ce.json")).unwrap();
    let status = post_json(
        &format!("{endpoint}/moto-api/static/ce/cost-and-usage-results"),
        &format!("{{\"results\": {saved}, \"account_id\": \"123456789012\"}}"),
    );
    assert_eq!(status, 201);
    let model = format!("{DIR}/model.yaml");
    let (code, api, err) = archcost(&[
        "reconcile",
        "--model",
        &model,
        "--actuals",
        "ce:2026-10",
        "--endpoint-url",
        &endpoint,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let (_, file, _) = archcost(&[
        "reconcile",
        "--model",
        &model,
        "--actuals",
        &format!("{DIR}/ce.json"),
        "--format",
        "json",
    ]);
    let strip = |s: &str| {
        let mut v: serde_json::Value = serde_json::from_str(s).unwrap();
        v["source"] = serde_json::Value::Null;
        v
    };
    assert_eq!(strip(&api), strip(&file));
    let doc = strip(&api);
    // 275.42256 modeled, 286.72032 billed (tests/reconcile.rs has the arithmetic).
    assert!((doc["actual_usage_usd"].as_f64().unwrap() - 286.72032).abs() < 1e-9);
    assert!(
        doc["warnings"][0]
            .as_str()
            .unwrap()
            .contains("marks 2026-10 as estimated")
    );
}

/// The FOCUS fixture as Parquet bytes.
fn focus_parquet() -> Vec<u8> {
    use polars::prelude::*;
    let mut df = CsvReadOptions::default()
        .with_has_header(true)
        .map_parse_options(|o| {
            o.with_null_values(Some(NullValues::AllColumnsSingle("NULL".into())))
        })
        .try_into_reader_with_file_path(Some(format!("{DIR}/focus.csv").into()))
        .unwrap()
        .finish()
        .unwrap();
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes).finish(&mut df).unwrap();
    bytes
}

fn s3_client(endpoint: &str) -> aws_sdk_s3::Client {
    let config = aws_sdk_s3::config::Builder::new()
        .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
        .region(aws_sdk_s3::config::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .force_path_style(true)
        .credentials_provider(aws_sdk_s3::config::Credentials::new(
            "testing", "testing", None, None, "test",
        ))
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

#[test]
#[ignore = "needs the moto emulator: scripts/test starts it and runs these"]
fn exports_in_s3_are_listed_page_by_page_and_reconcile_like_local_files() {
    let endpoint = emulator();
    credentials();
    let bucket = format!("bills-{}", std::process::id());
    let text = std::fs::read_to_string(format!("{DIR}/cur.csv")).unwrap();
    let (header, rows) = text.split_once('\n').unwrap();
    let rows: Vec<&str> = rows.lines().collect();
    block_on(async {
        let s3 = s3_client(&endpoint);
        s3.create_bucket().bucket(&bucket).send().await.unwrap();
        for (i, chunk) in rows.chunks(4).enumerate() {
            let body = format!("{header}\n{}\n", chunk.join("\n"));
            s3.put_object()
                .bucket(&bucket)
                .key(format!("cur/BILLING_PERIOD=2026-10/part-{i}.csv"))
                .body(body.into_bytes().into())
                .send()
                .await
                .unwrap();
        }
        s3.put_object()
            .bucket(&bucket)
            .key("cur/manifest.json")
            .body(b"{}".to_vec().into())
            .send()
            .await
            .unwrap();
        s3.put_object()
            .bucket(&bucket)
            .key("focus/part-0.parquet")
            .body(focus_parquet().into())
            .send()
            .await
            .unwrap();
    });
    // Three parts listed one key a page: three list requests, three downloads, the manifest skipped.
    let scratch = std::env::temp_dir().join(format!("archcost-s3-test-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let options = AwsOptions {
        endpoint_url: Some(endpoint.clone()),
        region: Some("us-east-1".into()),
        ..Default::default()
    };
    let files = archcost::aws::s3::download(&bucket, "cur/", &options, &scratch, Some(1)).unwrap();
    assert_eq!(files.len(), 3);
    let _ = std::fs::remove_dir_all(&scratch);
    // On a terminal the download shows as one bar in bytes.
    let transcript = crate::util::archcost_on_terminal(&[
        "spend",
        &format!("s3://{bucket}/cur/"),
        "--endpoint-url",
        &endpoint,
        "--region",
        "us-east-1",
    ]);
    assert!(
        transcript.contains(&format!("downloading 3 file(s) from s3://{bucket}/cur/ [")),
        "{transcript:?}"
    );
    let model = format!("{DIR}/model.yaml");
    let url = format!("s3://{bucket}/cur/");
    let (code, remote, err) = archcost(&[
        "reconcile",
        "--model",
        &model,
        "--actuals",
        &url,
        "--endpoint-url",
        &endpoint,
        "--region",
        "us-east-1",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let (_, local, _) = archcost(&[
        "reconcile",
        "--model",
        &model,
        "--actuals",
        &format!("{DIR}/cur.csv"),
        "--format",
        "csv",
    ]);
    assert_eq!(remote, local);
    // A FOCUS Parquet export in S3 reconciles like the CUR parts.
    let (code, focus, err) = archcost(&[
        "reconcile",
        "--model",
        &model,
        "--actuals",
        &format!("s3://{bucket}/focus/"),
        "--endpoint-url",
        &endpoint,
        "--region",
        "us-east-1",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(focus, local);
    // An empty prefix and a missing bucket are clear errors.
    let (code, out, err) = archcost(&[
        "reconcile",
        "--model",
        &model,
        "--actuals",
        &format!("s3://{bucket}/nothing/"),
        "--endpoint-url",
        &endpoint,
        "--region",
        "us-east-1",
    ]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("no billing files found"), "{err}");
    let (code, _, err) = archcost(&[
        "reconcile",
        "--model",
        &model,
        "--actuals",
        "s3://no-such-bucket-archcost/x/",
        "--endpoint-url",
        &endpoint,
        "--region",
        "us-east-1",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("s3:ListBucket: no such bucket"), "{err}");
}

/// A loopback server answering each request with the next canned (status, body), in the JSON
/// 1.1 protocol Cost Explorer speaks; returns its URL and the request bodies it saw.
fn replay(responses: Vec<(u16, String)>) -> (String, std::sync::mpsc::Receiver<String>) {
    let mut responses = responses.into_iter();
    crate::util::loopback(move |_| {
        responses
            .next()
            .unwrap_or((500, r#"{"__type":"InternalErrorException"}"#.into()))
    })
}

fn page(month: &str, usage_type: &str, cost: &str, token: Option<&str>) -> String {
    format!(
        r#"{{"GroupDefinitions":[{{"Type":"DIMENSION","Key":"SERVICE"}},{{"Type":"DIMENSION","Key":"USAGE_TYPE"}}],
        "ResultsByTime":[{{"TimePeriod":{{"Start":"{month}-01","End":"2026-11-01"}},"Total":{{}},"Groups":[
        {{"Keys":["EC2 - Other","{usage_type}"],"Metrics":{{"UnblendedCost":{{"Amount":"{cost}","Unit":"USD"}},"UsageQuantity":{{"Amount":"1","Unit":"Hrs"}}}}}}],"Estimated":false}}]
        {}}}"#,
        token
            .map(|t| format!(r#","NextPageToken":"{t}""#))
            .unwrap_or_default()
    )
}

/// A month of usage in two pages (33.48 USD of NAT hours, then 45 USD of NAT bytes), then the
/// records-by-type query's empty answer.
fn two_pages() -> Vec<(u16, String)> {
    vec![
        (
            200,
            page("2026-10", "NatGateway-Hours", "33.48", Some("page-2")),
        ),
        (200, page("2026-10", "NatGateway-Bytes", "45", None)),
        (
            200,
            r#"{"GroupDefinitions":[{"Type":"DIMENSION","Key":"RECORD_TYPE"}],"ResultsByTime":[]}"#
                .to_string(),
        ),
    ]
}

#[test]
fn cost_explorer_pages_are_followed_to_the_end() {
    credentials();
    let (url, requests) = replay(two_pages());
    let options = AwsOptions {
        endpoint_url: Some(url),
        ..Default::default()
    };
    let a = actuals::load_from("ce:2026-10", None, &options, |q| {
        q.tag = Some(("Environment".into(), "prod".into()))
    })
    .unwrap();
    let rows = a.month("2026-10").unwrap();
    assert_eq!(rows.len(), 2, "both pages read: {rows:?}");
    let total: f64 = rows.iter().map(|r| r.cost_usd).sum();
    assert!((total - 78.48).abs() < 1e-9);
    let first: serde_json::Value = serde_json::from_str(&requests.recv().unwrap()).unwrap();
    let second: serde_json::Value = serde_json::from_str(&requests.recv().unwrap()).unwrap();
    assert_eq!(
        first["TimePeriod"],
        serde_json::json!({"Start": "2026-10-01", "End": "2026-11-01"})
    );
    assert_eq!(first["Granularity"], "MONTHLY");
    assert!(
        first["Filter"]["And"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["Tags"]["Key"] == "Environment")
    );
    assert_eq!(second["NextPageToken"], "page-2");
}

/// A service that hands back a page token it gave before would be asked for the same pages
/// forever; the pages stop there with an error instead.
#[test]
fn a_page_token_handed_back_again_is_caught() {
    credentials();
    // Pages a → b → a: the third answer repeats the first token.
    let (url, requests) = replay(vec![
        (200, page("2026-10", "NatGateway-Hours", "1", Some("a"))),
        (200, page("2026-10", "NatGateway-Hours", "1", Some("b"))),
        (200, page("2026-10", "NatGateway-Hours", "1", Some("a"))),
    ]);
    let options = AwsOptions {
        endpoint_url: Some(url),
        ..Default::default()
    };
    let err = actuals::load_from("ce:2026-10", None, &options, |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("ce:GetCostAndUsage")
            && err.contains("returned the page token `a` a second time"),
        "{err}"
    );
    assert_eq!(requests.try_iter().count(), 3, "no fourth request");
}

/// Cost Explorer's pages are counted on a terminal as they come.
#[test]
fn cost_explorer_pages_show_on_a_terminal() {
    let (url, _) = replay(two_pages());
    let transcript = crate::util::archcost_on_terminal(&[
        "reconcile",
        "--model",
        &format!("{DIR}/model.yaml"),
        "--actuals",
        "ce:2026-10",
        "--endpoint-url",
        &url,
        "--format",
        "csv",
    ]);
    assert!(
        transcript.contains("ce:GetCostAndUsage: ") && transcript.contains(" pages"),
        "{transcript:?}"
    );
    // Both pages' actuals (33.48 and 45 USD of NAT), written after the bar was wiped.
    let table = transcript.rsplit("\x1b[2K").next().unwrap();
    assert!(
        table.starts_with("section,component")
            && table.contains("NatGateway-Hours,1488,66.960000,1,33.480000")
            && table.contains("NatGateway-Bytes,1000,45.000000,1,45.000000"),
        "{table:?}"
    );
}

#[test]
fn access_denied_and_throttling_are_said_plainly() {
    credentials();
    let denied = r#"{"__type":"AccessDeniedException","message":"User is not authorized to perform ce:GetCostAndUsage"}"#;
    let (url, _) = replay(vec![(400, denied.to_string())]);
    let options = AwsOptions {
        endpoint_url: Some(url),
        ..Default::default()
    };
    let e = actuals::load_from("ce:2026-10", None, &options, |_| {}).unwrap_err();
    assert!(matches!(e, ActualsError::Aws(_)));
    assert!(
        e.to_string()
            .starts_with("ce:GetCostAndUsage: access denied (User is not authorized"),
        "{e}"
    );
    let throttled = r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#.to_string();
    let (url, requests) = replay(vec![
        (400, throttled.clone()),
        (400, throttled.clone()),
        (400, throttled),
    ]);
    let options = AwsOptions {
        endpoint_url: Some(url),
        ..Default::default()
    };
    let e = actuals::load_from("ce:2026-10", None, &options, |_| {}).unwrap_err();
    assert!(
        e.to_string()
            .contains("AWS throttled ce:GetCostAndUsage and the retries ran out"),
        "{e}"
    );
    assert_eq!(
        requests.try_iter().count(),
        3,
        "the standard retry policy tries three times"
    );
}

#[test]
fn bad_cost_explorer_specs_are_rejected() {
    for (spec, words) in [
        ("ce:2026-13", "is not a month"),
        ("ce:2026-10..2026-08", "ends before it starts"),
        ("ce:oct", "is not a month"),
    ] {
        let e = actuals::load(spec, None).unwrap_err().to_string();
        assert!(e.contains(words), "{spec}: {e}");
    }
}

/// AWS failures said in one line a person can act on (what failed, the likely cause, the flag
/// or variable that fixes it), with the SDK's own account only under `--verbose`. Regression:
/// these printed some 600 characters of SDK debug output, and a mistyped profile never said so.
#[test]
fn aws_failures_say_what_to_do() {
    let home = std::env::temp_dir().join(format!("archcost-aws-home-{}", std::process::id()));
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(
        home.join(".aws/config"),
        "[profile billing]\nregion = us-east-1\n",
    )
    .unwrap();
    let model = format!("{DIR}/model.yaml");
    let reconcile = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec!["reconcile", "--model", model.as_str()];
        args.extend_from_slice(extra);
        crate::util::archcost_in_env(&args, &home, env)
    };
    let keys = [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
    ];
    let one_line = |err: &str, start: &str, words: &[&str]| {
        assert!(err.starts_with(start), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(!err.contains("DispatchFailure"), "{err}");
        for w in words {
            assert!(err.contains(w), "`{w}` in {err}");
        }
    };
    let (code, _, err) = reconcile(&["--actuals", "ce:2026-10"], &[]);
    assert_eq!(code, 1);
    one_line(
        &err,
        "error: ce:GetCostAndUsage: no AWS credentials found",
        &["AWS_ACCESS_KEY_ID", "--profile NAME", "aws sso login"],
    );
    let (_, _, err) = reconcile(&["--actuals", "ce:2026-10", "--profile", "billing"], &[]);
    one_line(
        &err,
        "error: ce:GetCostAndUsage: no AWS credentials found",
        &["profile `billing`"],
    );
    let (code, _, err) = reconcile(&["--actuals", "ce:2026-10", "--profile", "biling"], &[]);
    assert_eq!(code, 1);
    one_line(
        &err,
        "error: ce:GetCostAndUsage: profile `biling` is not in ",
        &["known profiles: billing"],
    );
    let (_, _, err) = reconcile(&["--actuals", "s3://exports/cur/"], &keys);
    one_line(
        &err,
        "error: s3:ListBucket: no AWS region; pass --region",
        &["AWS_REGION"],
    );
    // Port 1 on loopback: nothing listens, the connection is refused.
    let unreachable = [
        "--actuals",
        "ce:2026-10",
        "--endpoint-url",
        "http://127.0.0.1:1",
    ];
    let (_, _, err) = reconcile(&unreachable, &keys);
    one_line(
        &err,
        "error: ce:GetCostAndUsage: cannot reach http://127.0.0.1:1; check --endpoint-url",
        &[],
    );
    let mut verbose = unreachable.to_vec();
    verbose.push("--verbose");
    let (_, _, err) = reconcile(&verbose, &keys);
    assert!(err.contains("[SDK: dispatch failure"), "{err}");
    let _ = std::fs::remove_dir_all(home);
}

#[test]
#[ignore = "needs the moto emulator: scripts/test starts it and runs these"]
fn an_offer_file_in_s3_imports_like_the_local_file() {
    let endpoint = emulator();
    credentials();
    let bucket = format!("offers-{}", std::process::id());
    let offer = "tests/fixtures/price-list/AmazonECS-us-east-1-20250828172723.json";
    block_on(async {
        let s3 = s3_client(&endpoint);
        s3.create_bucket().bucket(&bucket).send().await.unwrap();
        s3.put_object()
            .bucket(&bucket)
            .key("offers/AmazonECS/us-east-1/index.json")
            .body(std::fs::read(offer).unwrap().into())
            .send()
            .await
            .unwrap();
    });
    let dir = std::env::temp_dir().join(format!("archcost-s3-offer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let from_s3 = dir.join("s3.json");
    let local = dir.join("local.json");
    let url = format!("s3://{bucket}/offers/AmazonECS/us-east-1/index.json");
    let (code, out, err) = archcost(&[
        "prices",
        "import",
        &url,
        "--endpoint-url",
        &endpoint,
        "--out",
        from_s3.to_str().unwrap(),
        "--date",
        "2026-12-03",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("(5 of 12 read from AmazonECS offer 20250828172723)"),
        "{out}"
    );
    let (code, _, err) = archcost(&[
        "prices",
        "import",
        offer,
        "--out",
        local.to_str().unwrap(),
        "--date",
        "2026-12-03",
    ]);
    assert_eq!(code, 0, "{err}");
    let entries = |p: &std::path::Path| {
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        doc["prices"].clone()
    };
    assert_eq!(entries(&from_s3), entries(&local));
    // A key that is not there is said plainly.
    let (code, _, err) = archcost(&[
        "prices",
        "import",
        &format!("s3://{bucket}/offers/nothing.json"),
        "--endpoint-url",
        &endpoint,
        "--out",
        dir.join("x.json").to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("s3:GetObject"), "{err}");
    assert!(!dir.join("x.json").exists());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
#[ignore = "needs the moto emulator: scripts/test starts it and runs these"]
fn tag_coverage_through_cost_explorer_matches_the_saved_responses() {
    let endpoint = emulator();
    credentials();
    let _turn = CE_QUEUE.lock().unwrap_or_else(|e| e.into_inner());
    // One query a required key, in the order given: seed one response each, in that order.
    let saved = std::fs::read_to_string("tests/fixtures/tags/ce-tags.json").unwrap();
    let status = post_json(
        &format!("{endpoint}/moto-api/static/ce/cost-and-usage-results"),
        &format!("{{\"results\": {saved}, \"account_id\": \"123456789012\"}}"),
    );
    assert_eq!(status, 201);
    let args = |source: &str| {
        vec![
            "tags".to_string(),
            source.to_string(),
            "--require".into(),
            "CostCenter,Environment,Owner".into(),
            "--endpoint-url".into(),
            endpoint.clone(),
            "--format".into(),
            "json".into(),
        ]
    };
    let run = |a: Vec<String>| {
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        archcost(&refs)
    };
    let (code, api, err) = run(args("ce:2026-10"));
    assert_eq!(code, 0, "{err}");
    let (_, file, _) = run(args("tests/fixtures/tags/ce-tags.json"));
    let strip = |s: &str| {
        let mut v: serde_json::Value = serde_json::from_str(s).unwrap();
        v["source"] = serde_json::Value::Null;
        v
    };
    assert_eq!(strip(&api), strip(&file));
    // CostCenter on 370 of 415 (tests/it/tags.rs has the arithmetic).
    let overall = &strip(&api)["overall"];
    assert!(
        (overall["by_key"][0]["percent"].as_f64().unwrap() - 370.0 / 415.0 * 100.0).abs() < 1e-9
    );
}
