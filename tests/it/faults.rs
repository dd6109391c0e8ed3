//! Faults from AWS, served by loopback servers speaking the real protocols through the SDK
//! clients users run: server errors and throttling (retried, then said), answers that are
//! malformed or cut short, an S3 object that ends early, refused credentials. Each is one
//! clear line, exit code 1, and no output file. And credentials never show in what archcost
//! writes, however it fails.

use std::path::Path;

use crate::util::*;

const MODEL: &str = "tests/fixtures/reconcile/model.yaml";

/// `reconcile --actuals ce:2026-10` against `url`, writing its CSV to `out` in `s`, with
/// `env` (and nothing else of this machine's environment).
fn reconcile_ce(s: &Sandbox, url: &str, out: &str, env: &[(&str, &str)], extra: &[&str]) -> Run {
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join(MODEL);
    let mut args = vec![
        "reconcile",
        "--model",
        model.to_str().unwrap(),
        "--actuals",
        "ce:2026-10",
        "--endpoint-url",
        url,
        "--format",
        "csv",
        "-o",
        out,
    ];
    args.extend_from_slice(extra);
    s.run_in_env(&args, env)
}

const KEYS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", "testing"),
    ("AWS_SECRET_ACCESS_KEY", "testing"),
];

/// A loopback Cost Explorer answering every request with `status` and `body`.
fn always(status: u16, body: &'static str) -> (String, std::sync::mpsc::Receiver<String>) {
    loopback(move |_| (status, body.to_string()))
}

fn assert_one_clear_line(run: &Run, s: &Sandbox, out: &str, start: &str, words: &[&str]) {
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert_eq!(run.stdout, "");
    assert!(run.stderr.starts_with(start), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    for w in words {
        assert!(run.stderr.contains(w), "`{w}` in {}", run.stderr);
    }
    assert!(!s.dir.join(out).exists(), "{out} was written");
    let left: Vec<_> = std::fs::read_dir(&s.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n != "home")
        .collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
}

#[test]
fn server_errors_are_retried_then_said() {
    let s = Sandbox::new("faults-5xx");
    let (url, seen) = always(
        500,
        r#"{"__type":"InternalErrorException","message":"oops"}"#,
    );
    let run = reconcile_ce(&s, &url, "out.csv", &KEYS, &[]);
    assert_one_clear_line(
        &run,
        &s,
        "out.csv",
        "error: ce:GetCostAndUsage: AWS failed on its side (InternalErrorException",
        &["on every try", "try again later"],
    );
    assert_eq!(
        seen.try_iter().count(),
        3,
        "the standard retry policy tries three times"
    );
    // A 503 without a body is said the same way.
    let (url, _) = always(503, "");
    let run = reconcile_ce(&s, &url, "out.csv", &KEYS, &[]);
    assert_one_clear_line(
        &run,
        &s,
        "out.csv",
        "error: ce:GetCostAndUsage: AWS failed on its side (HTTP 503",
        &["try again later"],
    );
}

#[test]
fn throttling_is_retried_then_said() {
    let s = Sandbox::new("faults-throttled");
    let (url, seen) = always(
        400,
        r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
    );
    let run = reconcile_ce(&s, &url, "out.csv", &KEYS, &[]);
    assert_one_clear_line(
        &run,
        &s,
        "out.csv",
        "error: ce:GetCostAndUsage: AWS throttled ce:GetCostAndUsage and the retries ran out",
        &[],
    );
    assert_eq!(seen.try_iter().count(), 3);
}

#[test]
fn malformed_and_truncated_answers_are_said() {
    let s = Sandbox::new("faults-malformed");
    for body in [
        // Cut short mid-object.
        r#"{"GroupDefinitions":[{"Type":"DIMENSION","Key":"SERVICE"}],"ResultsByTime":[{"TimePeriod":{"Start":"2026-10"#,
        // Not JSON at all.
        "<html>Bad gateway</html>",
        // JSON of the wrong shape.
        r#"{"ResultsByTime":"yes"}"#,
    ] {
        let (url, _) = loopback(move |_| (200, body.to_string()));
        let run = reconcile_ce(&s, &url, "out.csv", &KEYS, &[]);
        assert_one_clear_line(
            &run,
            &s,
            "out.csv",
            "error: ce:GetCostAndUsage: the answer could not be read (malformed or cut short)",
            &[],
        );
    }
}

#[test]
fn refused_and_expired_credentials_are_said() {
    let s = Sandbox::new("faults-expired");
    let (url, _) = always(
        400,
        r#"{"__type":"ExpiredTokenException","message":"The security token included in the request is expired"}"#,
    );
    let run = reconcile_ce(&s, &url, "out.csv", &KEYS, &[]);
    assert_one_clear_line(
        &run,
        &s,
        "out.csv",
        "error: ce:GetCostAndUsage: the credentials were refused (The security token included in the request is expired)",
        &["aws sso login"],
    );
}

#[test]
fn an_s3_object_that_ends_early_is_said_and_leaves_nothing() {
    let s = Sandbox::new("faults-s3-short");
    let (url, _) = loopback_http(|path, _| {
        if path.contains("list-type=2") {
            Reply {
                status: 200,
                content_type: "application/xml",
                headers: Vec::new(),
                body: br#"<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bills</Name><Prefix>cur/</Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>cur/part-0.csv</Key><Size>100000</Size></Contents></ListBucketResult>"#.to_vec(),
            }
        } else {
            // Says 100,000 bytes, sends 64, then closes the connection.
            Reply {
                status: 200,
                content_type: "text/csv",
                headers: vec![("Content-Length", "100000".to_string())],
                body: b"bill_billing_period_start_date,line_item_line_item_type,product_se"
                    .to_vec(),
            }
        }
    });
    let tmp = s.dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join(MODEL);
    let mut env = KEYS.to_vec();
    let tmp_text = tmp.to_str().unwrap().to_string();
    env.push(("TMPDIR", &tmp_text));
    let run = s.run_in_env(
        &[
            "reconcile",
            "--model",
            model.to_str().unwrap(),
            "--actuals",
            "s3://bills/cur/",
            "--endpoint-url",
            &url,
            "--region",
            "us-east-1",
            "-o",
            "out.csv",
        ],
        &env,
    );
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert!(
        run.stderr
            .starts_with("error: s3:GetObject: reading s3://bills/cur/part-0.csv: "),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(!s.dir.join("out.csv").exists());
    // The scratch download is gone too.
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Fake credentials that must never be written anywhere: not in errors, not with --verbose,
/// not in reports.
const SECRETS: [(&str, &str); 3] = [
    ("AWS_ACCESS_KEY_ID", "AKIAARCHCOSTFAKEKEY7"),
    (
        "AWS_SECRET_ACCESS_KEY",
        "archcostFakeSecret/K7MDENG+bPxRfiCYEXAMPLEKEY",
    ),
    (
        "AWS_SESSION_TOKEN",
        "archcostFakeSessionToken0123456789abcdefFAKE",
    ),
];

#[test]
fn credentials_never_show_in_what_archcost_writes() {
    let s = Sandbox::new("faults-secrets");
    let mut written = String::new();
    let record = |written: &mut String, run: &Run| {
        written.push_str(&run.stdout);
        written.push_str(&run.stderr);
    };
    // Failures of every kind, with --verbose (the SDK's own account of each).
    let failures: [(u16, &'static str); 4] = [
        (
            400,
            r#"{"__type":"ExpiredTokenException","message":"The security token included in the request is expired"}"#,
        ),
        (
            400,
            r#"{"__type":"AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/x is not authorized"}"#,
        ),
        (500, r#"{"__type":"InternalErrorException"}"#),
        (200, r#"{"ResultsByTime":[{"#),
    ];
    for (status, body) in failures {
        let (url, _) = always(status, body);
        let run = reconcile_ce(&s, &url, "out.csv", &SECRETS, &["--verbose"]);
        assert_eq!(run.code, Some(1), "{run:#?}");
        record(&mut written, &run);
    }
    // Nothing listening.
    let run = reconcile_ce(
        &s,
        "http://127.0.0.1:1",
        "out.csv",
        &SECRETS,
        &["--verbose"],
    );
    record(&mut written, &run);
    // A success, and a review with its files.
    let saved = r#"{"GroupDefinitions":[{"Type":"DIMENSION","Key":"SERVICE"},{"Type":"DIMENSION","Key":"USAGE_TYPE"}],
        "ResultsByTime":[{"TimePeriod":{"Start":"2026-10-01","End":"2026-11-01"},"Total":{},"Groups":[
        {"Keys":["EC2 - Other","NatGateway-Hours"],"Metrics":{"UnblendedCost":{"Amount":"33.48","Unit":"USD"},"AmortizedCost":{"Amount":"33.48","Unit":"USD"},"UsageQuantity":{"Amount":"744","Unit":"Hrs"}}}],"Estimated":false}]}"#;
    // Each run asks two queries: usage by service and usage type, then records by type.
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let (url, _) = loopback(move |_| {
        if calls
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            .is_multiple_of(2)
        {
            (200, saved.to_string())
        } else {
            (
                200,
                r#"{"GroupDefinitions":[{"Type":"DIMENSION","Key":"RECORD_TYPE"}],"ResultsByTime":[]}"#.into(),
            )
        }
    });
    let run = reconcile_ce(&s, &url, "out.csv", &SECRETS, &["--verbose"]);
    assert_eq!(run.code, Some(0), "{run:#?}");
    record(&mut written, &run);
    written.push_str(&std::fs::read_to_string(s.dir.join("out.csv")).unwrap());
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join(MODEL);
    let run = s.run_in_env(
        &[
            "report",
            "--model",
            model.to_str().unwrap(),
            "--actuals",
            "ce:2026-10",
            "--endpoint-url",
            &url,
            "--out",
            "review",
            "--verbose",
        ],
        &SECRETS,
    );
    assert_eq!(run.code, Some(0), "{run:#?}");
    record(&mut written, &run);
    let mut stack = vec![s.dir.join("review")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                written.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
            }
        }
    }
    assert!(written.len() > 10_000, "the runs wrote: {}", written.len());
    for (name, secret) in SECRETS {
        assert!(!written.contains(secret), "{name} was written");
        // Nor a telling part of it.
        assert!(
            !written.contains(&secret[..12]),
            "part of {name} was written"
        );
    }
}
