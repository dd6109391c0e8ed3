//! The AWS Price List into snapshots: `prices update` through the real SDK client against a
//! loopback server answering GetProducts in its wire shape (JSON 1.1, `PriceList` as JSON
//! strings, `NextToken` pages, throttling), and `prices import` of the real AmazonECS offer file
//! of us-east-1 (version 20250828172723), JSON and CSV. The same products must give the same
//! entries whichever way they come.
//!
//! The fixture's prices (AWS Price List): Fargate x86 0.04048 per vCPU-hour (SKU
//! 8CESGAFWKAJ98PME) and 0.004445 per GB-hour, ARM 0.03238 and 0.00356, ephemeral storage
//! 0.000111 per GB-hour, all effective 2025-08-01, published 2025-08-28.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::util::*;

const OFFER: &str = "tests/fixtures/price-list/AmazonECS-us-east-1-20250828172723.json";

fn offer() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(OFFER);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The offer's products as GetProducts items: `{product, serviceCode, terms: {OnDemand:
/// {"<sku>.<term>": term}}, version, publicationDate}`, each a JSON string as the API sends.
fn items(offer: &Value) -> Vec<Value> {
    offer["products"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(sku, product)| {
            json!({
                "product": product,
                "serviceCode": offer["offerCode"],
                "terms": { "OnDemand": offer["terms"]["OnDemand"][sku] },
                "version": offer["version"],
                "publicationDate": offer["publicationDate"],
            })
        })
        .collect()
}

/// A GetProducts server over `items`: answers the products matching every TERM_MATCH filter,
/// `page_size` a page with a `NextToken`, and throttles the first `throttle` requests.
fn price_list_server(
    items: Vec<Value>,
    page_size: usize,
    throttle: usize,
) -> (String, std::sync::mpsc::Receiver<String>) {
    let mut seen = 0;
    loopback(move |body| {
        seen += 1;
        if seen <= throttle {
            return (
                400,
                r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#.into(),
            );
        }
        let request: Value = serde_json::from_str(body).unwrap();
        let matching: Vec<&Value> = items
            .iter()
            .filter(|i| i["serviceCode"] == request["ServiceCode"])
            .filter(|i| {
                request["Filters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .all(|f| {
                        assert_eq!(f["Type"], "TERM_MATCH");
                        i["product"]["attributes"][f["Field"].as_str().unwrap()] == f["Value"]
                    })
            })
            .collect();
        let start: usize = request["NextToken"]
            .as_str()
            .map_or(0, |t| t.parse().unwrap());
        let page: Vec<String> = matching
            .iter()
            .skip(start)
            .take(page_size)
            .map(|i| i.to_string())
            .collect();
        let mut answer = json!({ "FormatVersion": "aws_v1", "PriceList": page });
        if start + page_size < matching.len() {
            answer["NextToken"] = Value::from((start + page_size).to_string());
        }
        (200, answer.to_string())
    })
}

/// Runs archcost in a sandbox with test credentials: (exit code, stdout, stderr).
fn run(s: &Sandbox, args: &[&str]) -> (i32, String, String) {
    let r = s.run_with_test_credentials(args);
    (r.code.unwrap_or(-1), r.stdout, r.stderr)
}

/// `archcost prices update --region us-east-1 --services AmazonECS` against `url`, written to
/// `out`.
fn update_ecs(s: &Sandbox, url: &str, out: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "prices",
        "update",
        "--region",
        "us-east-1",
        "--services",
        "AmazonECS",
        "--endpoint-url",
        url,
        "--out",
        out,
    ];
    args.extend_from_slice(extra);
    run(s, &args)
}

/// `archcost prices import` of the fixture offer (dated 2026-12-03) into `out`, which must
/// succeed; its stdout.
fn import_offer(s: &Sandbox, out: &str) -> String {
    let offer = offer_path();
    let (code, stdout, err) = run(
        s,
        &[
            "prices",
            "import",
            offer.to_str().unwrap(),
            "--out",
            out,
            "--date",
            "2026-12-03",
        ],
    );
    assert_eq!(code, 0, "{err}");
    stdout
}

fn offer_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(OFFER)
}

/// A written snapshot's entries.
fn entries(path: &Path) -> Vec<Value> {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["prices"].as_array().unwrap().clone()
}

fn entry<'a>(entries: &'a [Value], usage_type: &str) -> &'a Value {
    entries
        .iter()
        .find(|e| e["usage_type"] == usage_type)
        .unwrap_or_else(|| panic!("no entry {usage_type}"))
}

#[test]
fn get_products_through_the_sdk_and_the_offer_file_give_identical_entries() {
    let s = Sandbox::new("price_list_round_trip");
    // The first request is throttled: the SDK's standard retry must carry it.
    let (url, seen) = price_list_server(items(&offer()), 1, 1);
    let (code, out, err) = update_ecs(&s, &url, "update.json", &["--date", "2026-12-03"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("Wrote update.json: 156 prices of us-east-1 on 2026-12-03"),
        "{out}"
    );
    let requests: Vec<String> = seen.try_iter().collect();
    // 5 ECS entries in the Price List (the 4 Spot rates are published rates, not queried), one
    // query each, plus the throttled first attempt retried with the same body.
    assert_eq!(requests.len(), 6, "{requests:#?}");
    assert_eq!(
        requests[0], requests[1],
        "the throttled request is retried as it was"
    );
    let first: Value = serde_json::from_str(&requests[0]).unwrap();
    assert_eq!(first["FormatVersion"], "aws_v1");
    assert_eq!(first["Filters"][0]["Field"], "usagetype");

    let out = import_offer(&s, "import.json");
    assert!(
        out.contains("(5 of 12 read from AmazonECS offer 20250828172723)"),
        "{out}"
    );

    let (a, b) = (
        entries(&s.dir.join("update.json")),
        entries(&s.dir.join("import.json")),
    );
    assert_eq!(
        a, b,
        "GetProducts and the offer file must give the same entries"
    );
    let vcpu = entry(&a, "USE1-Fargate-vCPU-Hours:perCPU");
    assert_eq!(
        vcpu["tiers"],
        json!([{ "begin": 0.0, "end": null, "usd_per_unit": 0.04048 }])
    );
    assert_eq!(vcpu["basis"], "price_list");
    assert_eq!(vcpu["effective_date"], "2025-08-01");
    assert_eq!(vcpu["source"]["sku"], "8CESGAFWKAJ98PME");
    assert_eq!(vcpu["source"]["offer_version"], "20250828172723");
    assert_eq!(vcpu["source"]["publication_date"], "2025-08-28");
    assert_eq!(
        entry(&a, "USE1-Fargate-EphemeralStorage-GB-Hours")["tiers"][0]["usd_per_unit"],
        0.000111
    );
    // Spot stays the published rate carried from the embedded snapshot.
    assert_eq!(
        entry(&a, "USE1-SpotUsage-Fargate-vCPU-Hours:perCPU")["basis"],
        "published_rate"
    );

    // The written snapshot estimates: 2 tasks × 730 h × (0.04048 + 2 × 0.004445) = 72.0802.
    s.write("model.yaml", BASE);
    let doc = json(&s.run(&[
        "estimate",
        "model.yaml",
        "--prices",
        "update.json",
        "--format",
        "json",
    ]));
    assert_usd(total(&doc), 72.0802);
}

#[test]
fn get_products_pages_are_followed_to_the_last() {
    let (url, seen) = price_list_server(items(&offer()), 5, 0);
    // SAFETY: the same test values every test sets; read by the SDK's credential chain.
    unsafe {
        std::env::set_var("AWS_ACCESS_KEY_ID", "testing");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "testing");
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    }
    let options = archcost::aws::AwsOptions {
        endpoint_url: Some(url),
        ..Default::default()
    };
    let query = archcost::aws::pricing::ProductQuery {
        service_code: "AmazonECS".into(),
        filters: vec![("regionCode".into(), "us-east-1".into())],
    };
    let answers =
        archcost::aws::pricing::get_products(&[query], "us-east-1", &options, Some(5)).unwrap();
    // 12 products, 5 a page: pages of 5, 5 and 2, the second and third asked with NextToken.
    assert_eq!(answers[0].len(), 12);
    let tokens: Vec<Value> = seen
        .try_iter()
        .map(|b| serde_json::from_str::<Value>(&b).unwrap()["NextToken"].clone())
        .collect();
    assert_eq!(tokens, [Value::Null, json!("5"), json!("10")]);
    let skus: std::collections::BTreeSet<String> = answers[0]
        .iter()
        .map(|d| {
            serde_json::from_str::<Value>(d).unwrap()["product"]["sku"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(skus.len(), 12);
}

#[test]
fn a_failed_update_leaves_the_old_snapshot_untouched_and_says_what_is_missing() {
    let s = Sandbox::new("price_list_missing");
    s.write("old.json", "the old snapshot");
    let mut products = items(&offer());
    products.retain(|i| {
        i["product"]["attributes"]["usagetype"] != "USE1-Fargate-EphemeralStorage-GB-Hours"
    });
    let (url, _) = price_list_server(products, 10, 0);
    let (code, out, err) = update_ecs(&s, &url, "old.json", &[]);
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    assert!(
        err.contains("the Price List has no product for 1 price(s) of us-east-1; nothing was written:\n  - AmazonECS USE1-Fargate-EphemeralStorage-GB-Hours"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(s.dir.join("old.json")).unwrap(),
        "the old snapshot"
    );

    // A price in another currency is refused, naming the SKU.
    let mut products = items(&offer());
    for i in &mut products {
        let sku = i["product"]["sku"].as_str().unwrap().to_string();
        if sku == "8CESGAFWKAJ98PME" {
            let term = i["terms"]["OnDemand"]
                .as_object_mut()
                .unwrap()
                .values_mut()
                .next()
                .unwrap();
            let dim = term["priceDimensions"]
                .as_object_mut()
                .unwrap()
                .values_mut()
                .next()
                .unwrap();
            dim["pricePerUnit"] = json!({ "CNY": "0.29" });
        }
    }
    let (url, _) = price_list_server(products, 10, 0);
    let (code, _, err) = update_ecs(&s, &url, "old.json", &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(
            "SKU 8CESGAFWKAJ98PME (USE1-Fargate-vCPU-Hours:perCPU) is priced in CNY; expected USD"
        ),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(s.dir.join("old.json")).unwrap(),
        "the old snapshot"
    );

    // Bad flags.
    let (code, _, err) = run(&s, &["prices", "update", "--region", "mars-1"]);
    assert_eq!(code, 1);
    assert!(err.contains("--region: unknown region `mars-1`"), "{err}");
    let (code, _, err) = run(
        &s,
        &[
            "prices",
            "update",
            "--region",
            "us-east-1",
            "--services",
            "AmazonFoo",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("--services: unknown service code `AmazonFoo`"),
        "{err}"
    );
    let (code, _, err) = run(
        &s,
        &[
            "prices",
            "update",
            "--region",
            "us-east-1",
            "--api-region",
            "us-west-2",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("the Price List API is not served from us-west-2; expected one of us-east-1, eu-central-1, ap-south-1"), "{err}");
}

/// The offer file in the AWS CSV layout: five metadata lines, the header, a row per price
/// dimension.
fn csv_offer(offer: &Value) -> String {
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::new();
    for (k, v) in [
        ("FormatVersion", "v1.0"),
        ("Disclaimer", offer["disclaimer"].as_str().unwrap()),
        (
            "Publication Date",
            offer["publicationDate"].as_str().unwrap(),
        ),
        ("Version", offer["version"].as_str().unwrap()),
        ("OfferCode", offer["offerCode"].as_str().unwrap()),
    ] {
        out.push_str(&format!("{},{}\n", q(k), q(v)));
    }
    let attrs = [
        ("serviceCode", "servicecode"),
        ("Location", "location"),
        ("Location Type", "locationType"),
        ("usageType", "usagetype"),
        ("operation", "operation"),
        ("Region Code", "regionCode"),
        ("serviceName", "servicename"),
    ];
    let mut head = vec![
        "SKU",
        "OfferTermCode",
        "RateCode",
        "TermType",
        "PriceDescription",
        "EffectiveDate",
        "StartingRange",
        "EndingRange",
        "Unit",
        "PricePerUnit",
        "Currency",
        "Product Family",
    ];
    head.extend(attrs.iter().map(|(h, _)| *h));
    out.push_str(&head.iter().map(|h| q(h)).collect::<Vec<_>>().join(","));
    out.push('\n');
    for (sku, product) in offer["products"].as_object().unwrap() {
        for term in offer["terms"]["OnDemand"][sku]
            .as_object()
            .unwrap()
            .values()
        {
            for (rate, d) in term["priceDimensions"].as_object().unwrap() {
                let mut row: Vec<String> = vec![
                    sku.clone(),
                    term["offerTermCode"].as_str().unwrap().into(),
                    rate.clone(),
                    "OnDemand".into(),
                    d["description"].as_str().unwrap().into(),
                    term["effectiveDate"].as_str().unwrap()[..10].into(),
                    d["beginRange"].as_str().unwrap().into(),
                    d["endRange"].as_str().unwrap().into(),
                    d["unit"].as_str().unwrap().into(),
                    d["pricePerUnit"]["USD"].as_str().unwrap().into(),
                    "USD".into(),
                    product["productFamily"].as_str().unwrap().into(),
                ];
                row.extend(
                    attrs
                        .iter()
                        .map(|(_, a)| product["attributes"][a].as_str().unwrap_or("").to_string()),
                );
                out.push_str(&row.iter().map(|c| q(c)).collect::<Vec<_>>().join(","));
                out.push('\n');
            }
        }
    }
    out
}

#[test]
fn a_csv_offer_gives_the_entries_of_its_json_twin() {
    let s = Sandbox::new("price_list_csv");
    s.write("offer.csv", &csv_offer(&offer()));
    let (code, out, err) = run(
        &s,
        &[
            "prices",
            "import",
            "offer.csv",
            "--out",
            "csv.json",
            "--date",
            "2026-12-03",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("(5 of 12 read from AmazonECS offer 20250828172723)"),
        "{out}"
    );
    let _ = import_offer(&s, "json.json");
    assert_eq!(
        entries(&s.dir.join("csv.json")),
        entries(&s.dir.join("json.json"))
    );
}

#[test]
fn broken_offer_files_are_refused_and_nothing_is_written() {
    let s = Sandbox::new("price_list_bad_offers");
    let text = std::fs::read_to_string(offer_path()).unwrap();
    let import = |file: &str, extra: &[&str]| {
        let mut args = vec!["prices", "import", file, "--out", "out.json"];
        args.extend_from_slice(extra);
        let (code, out, err) = run(&s, &args);
        assert_eq!((code, out.as_str()), (1, ""), "{err}");
        assert!(
            !s.dir.join("out.json").exists(),
            "nothing is written on failure"
        );
        err
    };
    s.write("truncated.json", &text[..text.len() * 2 / 3]);
    let err = import("truncated.json", &[]);
    assert!(
        err.contains("truncated.json: line ")
            && err.contains("the file ends early (truncated download?)"),
        "{err}"
    );

    s.write(
        "book.json",
        &std::fs::read_to_string(snapshot_path()).unwrap(),
    );
    let err = import("book.json", &[]);
    assert!(err.contains("book.json: not an AWS Price List offer file: expected an object with offerCode, version, products and terms"), "{err}");

    // The vCPU SKU without its OnDemand term.
    let mut doc = offer();
    doc["terms"]["OnDemand"]
        .as_object_mut()
        .unwrap()
        .remove("8CESGAFWKAJ98PME");
    s.write("no-term.json", &doc.to_string());
    let err = import("no-term.json", &[]);
    assert!(
        err.contains("SKU 8CESGAFWKAJ98PME (USE1-Fargate-vCPU-Hours:perCPU) has no OnDemand term"),
        "{err}"
    );

    let csv = csv_offer(&offer());
    s.write("truncated.csv", &csv[..csv.len() - 40]);
    let err = import("truncated.csv", &[]);
    assert!(err.contains("truncated.csv: line "), "{err}");

    let err = import(offer_path().to_str().unwrap(), &["--region", "eu-west-9"]);
    assert!(
        err.contains("--region: unknown region `eu-west-9`"),
        "{err}"
    );
    // Asked for another region than the offer's, nothing matches and every ECS price is missing.
    let err = import(offer_path().to_str().unwrap(), &["--region", "eu-west-1"]);
    assert!(
        err.contains("the Price List has no product for 5 price(s) of eu-west-1"),
        "{err}"
    );
    let err = import("no-such-offer.json", &[]);
    assert!(err.contains("no-such-offer.json"), "{err}");
}
