//! Hand-computed monthly costs of the platform services besides the estimation core (ALB,
//! CloudFront, WAF, ElastiCache, S3, CloudWatch, X-Ray, Secrets Manager, KMS, CloudTrail,
//! Config, EC2, RDS), their validation errors, and the models shipped in `models/`.
//!
//! Every figure is worked out by hand from the list prices of the us-east-1 snapshot
//! (`data/prices/us-east-1/2026-10-08.json`, 2026-10-08), with the arithmetic beside it. Unless a test says
//! otherwise the profile is FLAT: every one of the 730 hours at peak, so a month has
//! peak_tps × 3,600 × 730 = peak_tps × 2,628,000 transactions.
//!
//! Models are laid out line by line as `model` builds them (error tests assert the lines):
//!
//! ```text
//!  1 schema_version: 1
//!  2 name: t
//!  3 region: us-east-1
//!  4 availability_zones: 2
//!  5 workload:
//!  6   peak_tps: …
//!  7   profile:
//!  8     generator: …
//!  9 components:
//! 10   - id: …          (the loader places the component's mapping at column 7, as in
//!                        tests/cli.rs: the first key's `:`)
//! 11     kind: …
//! 12     first setting  (a value after `    field: ` starts at column 7 + the field's length)
//! ```

use std::path::Path;

use archcost::topology::ComponentKind;
use archcost::{BillingPeriod, Estimate, EstimateError, Line, PriceBook, estimate, model_file};

use crate::util::{FLAT, TWO_LEVEL, assert_usd, run_estimate, try_estimate, with_free_tier};

/// Builds a model around `components` with the given profile block.
fn model(profile: &str, peak_tps: f64, components: &str) -> String {
    crate::util::model(profile, peak_tps, components, "")
}

/// One component: `id`, `kind`, then each of `fields` (`name: value`) on its own line.
fn component(id: &str, kind: &str, fields: &[&str]) -> String {
    let mut s = format!("  - id: {id}\n    kind: {kind}\n");
    for f in fields {
        s.push_str("    ");
        s.push_str(f);
        s.push('\n');
    }
    s
}

/// A FLAT model of one component.
fn single(peak_tps: f64, kind: &str, fields: &[&str]) -> String {
    model(FLAT, peak_tps, &component("c", kind, fields))
}

fn try_run(yaml: &str) -> Result<Estimate, EstimateError> {
    try_estimate(yaml)
}

fn run(yaml: &str) -> Estimate {
    run_estimate(yaml)
}

/// The one line of a usage type.
fn line<'a>(e: &'a Estimate, usage_type: &str) -> &'a Line {
    let found: Vec<&Line> = e
        .lines
        .iter()
        .filter(|l| l.usage_type == usage_type)
        .collect();
    assert_eq!(found.len(), 1, "one {usage_type} line in {:#?}", e.lines);
    found[0]
}

fn has_line(e: &Estimate, usage_type: &str) -> bool {
    e.lines.iter().any(|l| l.usage_type == usage_type)
}

/// Asserts a line's quantity (to 1e-6) and cost.
fn assert_line(e: &Estimate, usage_type: &str, quantity: f64, usd: f64) {
    let l = line(e, usage_type);
    assert!(
        (l.quantity - quantity).abs() < 1e-6,
        "{usage_type}: quantity {} expected {quantity}",
        l.quantity
    );
    assert_usd(l.usd_per_month, usd);
}

/// Asserts that `yaml` is rejected with a message starting `prefix` and containing `words`.
fn assert_model_error(yaml: &str, prefix: &str, words: &[&str]) {
    let err = model_file::parse(yaml, "m.yaml")
        .expect_err("the model should be rejected")
        .to_string();
    assert!(
        err.starts_with(prefix),
        "the error should start with\n  {prefix}\nbut is\n  {err}"
    );
    for w in words {
        assert!(err.contains(w), "the error should contain `{w}`: {err}");
    }
}

// ---------------------------------------------------------------------------------------------
// Application Load Balancer: 0.0225 per ALB-hour, 0.008 per LCU-hour.
// ---------------------------------------------------------------------------------------------

fn alb(fields: &[&str]) -> Vec<String> {
    let mut v = vec!["requests_per_transaction: 1".to_string()];
    v.extend(fields.iter().map(|f| f.to_string()));
    v
}

fn alb_model(peak_tps: f64, fields: &[&str]) -> String {
    let f = alb(fields);
    let refs: Vec<&str> = f.iter().map(String::as_str).collect();
    single(peak_tps, "application_load_balancer", &refs)
}

#[test]
fn alb_processed_bytes_dominate() {
    let e = run(&alb_model(
        100.0,
        &[
            "processed_bytes_per_request: 100000",
            "new_connections_per_request: 0.01",
            "connection_duration_seconds: 10",
            "rules_evaluated: 5",
        ],
    ));
    // 100 req/s. Per hour:
    //   new connections 100 × 0.01 = 1/s / 25 = 0.04 LCU;
    //   active 1/s × 10 s = 10 / 3,000 = 0.0033 LCU;
    //   bytes 100 × 3,600 × 100,000 = 36,000,000,000 B / 2^30 = 33.527612686 GB → 33.5276 LCU;
    //   rules: 5 evaluated, all within the first 10 free → 0 LCU.
    // LCU-hours: 33.527612686 × 730 = 24,475.157260895 × 0.008 = 195.801258087.
    // Hours: 1 ALB × 730 × 0.0225 = 16.425.
    let lcu_hours = 36e9 / 1_073_741_824.0 * 730.0;
    assert_line(&e, "LCUUsage", lcu_hours, lcu_hours * 0.008);
    assert_line(&e, "LoadBalancerUsage", 730.0, 16.425);
    // Internet-facing in 2 AZs: 2 public IPv4 addresses × 730 h × 0.005 = 7.30.
    assert_line(&e, "USE1-PublicIPv4:InUseAddress", 1460.0, 7.30);
    assert_usd(e.total_usd(), 16.425 + 195.801258087158 + 7.30); // 219.526258087
}

#[test]
fn alb_rule_evaluations_dominate_and_the_first_ten_rules_are_free() {
    let e = run(&model(
        FLAT,
        500.0,
        &component(
            "c",
            "application_load_balancer",
            &[
                "count: 2",
                "requests_per_transaction: 2",
                "processed_bytes_per_request: 1000",
                "new_connections_per_request: 0.1",
                "connection_duration_seconds: 60",
                "rules_evaluated: 25",
            ],
        ),
    ));
    // 500 TPS × 2 = 1,000 req/s shared by 2 ALBs: 500 req/s each. Per ALB and hour:
    //   new connections 500 × 0.1 = 50/s / 25 = 2 LCU;
    //   active 50/s × 60 s = 3,000 / 3,000 = 1 LCU;
    //   bytes 500 × 3,600 × 1,000 = 1.8e9 B / 2^30 = 1.676 LCU;
    //   rules (25 − 10 free) × 500 req/s = 7,500 evaluations/s / 1,000 = 7.5 LCU ← largest.
    // LCU-hours: 7.5 × 2 ALBs × 730 = 10,950 × 0.008 = 87.60.
    // Hours: 2 × 730 = 1,460 × 0.0225 = 32.85.
    assert_line(&e, "LCUUsage", 10_950.0, 87.60);
    assert_line(&e, "LoadBalancerUsage", 1460.0, 32.85);
    // 2 ALBs × 2 AZs = 4 public IPv4 addresses × 730 h = 2,920 × 0.005 = 14.60.
    assert_line(&e, "USE1-PublicIPv4:InUseAddress", 2920.0, 14.60);
    assert_usd(e.total_usd(), 87.60 + 32.85 + 14.60); // 135.05

    // With exactly 10 rules every evaluation is free; bytes (1.676 LCU) are not the largest:
    // new connections are, at 2 LCU → 2 × 2 × 730 = 2,920 LCU-h × 0.008 = 23.36.
    let ten = run(&model(
        FLAT,
        500.0,
        &component(
            "c",
            "application_load_balancer",
            &[
                "count: 2",
                "requests_per_transaction: 2",
                "processed_bytes_per_request: 1000",
                "new_connections_per_request: 0.1",
                "connection_duration_seconds: 60",
                "rules_evaluated: 10",
            ],
        ),
    ));
    assert_line(&ten, "LCUUsage", 2920.0, 23.36);

    // An internal ALB holds no public address: `public_ipv4_addresses: 0`.
    let internal = run(&alb_model(
        100.0,
        &[
            "processed_bytes_per_request: 1000",
            "new_connections_per_request: 1",
            "connection_duration_seconds: 300",
            "rules_evaluated: 0",
            "public_ipv4_addresses: 0",
        ],
    ));
    assert!(
        internal
            .lines
            .iter()
            .all(|l| !l.usage_type.contains("PublicIPv4")),
        "{:?}",
        internal.lines
    );
}

#[test]
fn alb_active_connections_dominate() {
    let e = run(&alb_model(
        100.0,
        &[
            "processed_bytes_per_request: 1000",
            "new_connections_per_request: 1",
            "connection_duration_seconds: 300",
            "rules_evaluated: 0",
        ],
    ));
    // 100 req/s, each on a new connection: 100/s / 25 = 4 LCU; active 100 × 300 s = 30,000
    // / 3,000 = 10 LCU ← largest; bytes 360,000,000 B / 2^30 = 0.335 LCU; rules 0.
    // 10 × 730 = 7,300 LCU-h × 0.008 = 58.40; + 16.425 for the hours; + 7.30 for the 2
    // addresses (one per AZ).
    assert_line(&e, "LCUUsage", 7300.0, 58.40);
    assert_usd(e.total_usd(), 58.40 + 16.425 + 7.30); // 82.125
}

// ---------------------------------------------------------------------------------------------
// CloudFront (US edge group): data out 1 TB free (Free Tier), 0.085 to 10 TB, 0.080 to 50 TB;
// HTTPS requests 10M free (Free Tier) then 0.01 per 10,000; data to origin 0.02/GB; origin
// fetch from an AWS origin 0.
// ---------------------------------------------------------------------------------------------

/// 1 TPS × 10 requests = 26,280,000 requests of 512 KiB out, 64 KiB up, 75% cache hits.
fn cloudfront() -> String {
    single(
        1.0,
        "cloudfront_distribution",
        &[
            "requests_per_transaction: 10",
            "bytes_per_request: 524288",
            "cache_hit_percent: 75",
            "upload_bytes_per_request: 65536",
        ],
    )
}

#[test]
fn cloudfront_without_the_free_tier() {
    let e = run(&cloudfront());
    // Requests: 1 × 2,628,000 × 10 = 26,280,000.
    // Out: 26,280,000 × 512 KiB = 26,280,000 / 2,048 GB = 12,832.03125 GB.
    //   Without the Free Tier the first 1,024 GB are charged at the first paid rate, 0.085:
    //   10,240 × 0.085 = 870.40; (12,832.03125 − 10,240) = 2,592.03125 × 0.08 = 207.3625.
    //   = 1,077.7625.
    assert_line(
        &e,
        "US-DataTransfer-Out-Bytes",
        12_832.031_25,
        870.40 + 207.3625,
    );
    // HTTPS requests: 26,280,000 × 0.000001 = 26.28.
    assert_line(&e, "US-Requests-Tier2-HTTPS", 26_280_000.0, 26.28);
    // To origin: 26,280,000 × 64 KiB = 26,280,000 / 16,384 GB = 1,604.00390625 GB × 0.02
    // = 32.080078125.
    assert_line(
        &e,
        "US-DataTransfer-Out-OBytes",
        1_604.003_906_25,
        32.080_078_125,
    );
    // Origin fetch: 25% misses × 12,832.03125 GB = 3,208.0078125 GB at 0.
    let fetch = line(&e, "USE1-CloudFront-Out-Bytes");
    assert_eq!(fetch.service_code.code(), "AWSDataTransfer");
    assert_line(&e, "USE1-CloudFront-Out-Bytes", 3_208.007_812_5, 0.0);
    assert_usd(e.total_usd(), 1_077.762_5 + 26.28 + 32.080_078_125); // 1,136.122578125
}

#[test]
fn cloudfront_with_the_free_tier() {
    let e = run(&with_free_tier(cloudfront()));
    // Out: first 1,024 GB free; (10,240 − 1,024) = 9,216 × 0.085 = 783.36; 2,592.03125 × 0.08
    // = 207.3625 → 990.7225.
    assert_line(
        &e,
        "US-DataTransfer-Out-Bytes",
        12_832.031_25,
        783.36 + 207.3625,
    );
    // Requests: first 10M free; 16,280,000 × 0.000001 = 16.28.
    assert_line(&e, "US-Requests-Tier2-HTTPS", 26_280_000.0, 16.28);
    // Upload to origin has no Free Tier: 32.080078125 as before.
    assert_usd(e.total_usd(), 990.7225 + 16.28 + 32.080_078_125); // 1,039.082578125
}

#[test]
fn cloudfront_within_the_free_tier_costs_nothing_but_uploads() {
    // 1 TPS × 1 request = 2,628,000 requests of 64 KiB = 2,628,000 / 16,384 = 160.400390625 GB.
    let yaml = single(
        1.0,
        "cloudfront_distribution",
        &[
            "requests_per_transaction: 1",
            "bytes_per_request: 65536",
            "cache_hit_percent: 0",
        ],
    );
    let free = run(&with_free_tier(yaml.clone()));
    // Both under their allowances (1,024 GB, 10M requests): 0. No upload bytes: no line.
    assert_usd(free.total_usd(), 0.0);
    assert!(!has_line(&free, "US-DataTransfer-Out-OBytes"));
    // All misses: origin fetch quantity equals the data out.
    assert_line(&free, "USE1-CloudFront-Out-Bytes", 160.400_390_625, 0.0);
    // Without the Free Tier: 160.400390625 × 0.085 = 13.634033203125; 2.628M × 1e-6 = 2.628.
    let paid = run(&yaml);
    assert_usd(paid.total_usd(), 13.634_033_203_125 + 2.628); // 16.262033203125
}

// ---------------------------------------------------------------------------------------------
// WAF: 5.00 per web ACL-month, 1.00 per rule-month, 0.60 per million requests.
// ---------------------------------------------------------------------------------------------

#[test]
fn waf_web_acl_rules_and_requests() {
    let e = run(&single(
        100.0,
        "waf_web_acl",
        &["rules: 4", "requests_per_transaction: 1"],
    ));
    // 5.00 + 4 × 1.00 + 262,800,000 requests × 0.0000006 = 157.68 → 166.68.
    assert_line(&e, "USE1-WebACLV2", 1.0, 5.0);
    assert_line(&e, "USE1-RuleV2", 4.0, 4.0);
    assert_line(&e, "USE1-RequestV2-Tier1", 262_800_000.0, 157.68);
    assert_usd(e.total_usd(), 166.68);
}

// ---------------------------------------------------------------------------------------------
// ElastiCache: node-hours; cache.r7g.large 0.219 (Redis OSS), 0.1752 (Valkey).
// ---------------------------------------------------------------------------------------------

fn cache(engine: &str, node_type: &str) -> String {
    single(
        100.0,
        "elasticache_cluster",
        &[
            &format!("engine: {engine}"),
            &format!("node_type: {node_type}"),
            "shards: 2",
            "replicas_per_shard: 1",
            "multi_az_failover: true",
        ],
    )
}

#[test]
fn elasticache_valkey_costs_four_fifths_of_redis() {
    let redis = run(&cache("redis", "cache.r7g.large"));
    let valkey = run(&cache("valkey", "cache.r7g.large"));
    // 2 shards × (1 primary + 1 replica) = 4 nodes × 730 h = 2,920 node-hours.
    // Redis OSS: 2,920 × 0.219 = 639.48. Valkey: 2,920 × 0.1752 = 511.584 (= 0.8 × 639.48).
    assert_line(&redis, "NodeUsage:cache.r7g.large", 2920.0, 639.48);
    assert_line(&valkey, "NodeUsage:cache.r7g.large", 2920.0, 511.584);
    assert_usd(redis.total_usd(), 639.48);
    assert_usd(valkey.total_usd(), 511.584);
    assert_usd(valkey.total_usd(), 0.8 * redis.total_usd());
    assert_eq!(
        redis.lines[0].operation.as_deref(),
        Some("CreateCacheCluster:0002")
    );
    assert_eq!(
        valkey.lines[0].operation.as_deref(),
        Some("CreateCacheCluster:Valkey")
    );
}

#[test]
fn elasticache_unpriced_node_type_fails_naming_the_usage_type_and_component() {
    let err = try_run(&cache("redis", "cache.x9.huge")).expect_err("no price for cache.x9.huge");
    assert!(
        matches!(&err, EstimateError::MissingPrices { missing, .. } if missing.len() == 1),
        "{err:?}"
    );
    let msg = err.to_string();
    for w in [
        "NodeUsage:cache.x9.huge",
        "CreateCacheCluster:0002",
        "`c` at m.yaml:10:7",
        "no price in embedded snapshot us-east-1",
    ] {
        assert!(msg.contains(w), "`{w}` missing from: {msg}");
    }
}

// ---------------------------------------------------------------------------------------------
// S3: Standard 0.023 to 50 TB (51,200 GB), 0.022 to 500 TB; Standard-IA 0.0125;
// Intelligent-Tiering FA as Standard, IA 0.0125, AIA 0.004, monitoring 0.0025 per 1,000 objects;
// PUT 0.005 per 1,000 (IA 0.01), GET 0.0004 per 1,000; lifecycle transitions 0.01 per 1,000.
// ---------------------------------------------------------------------------------------------

fn bucket(class: &str, stored: &str, growth: &str, kb: &str, extra: &[&str]) -> String {
    let mut fields = vec![
        format!("storage_class: {class}"),
        format!("stored_gb: {stored}"),
        format!("growth_gb_per_month: {growth}"),
        format!("average_object_size_kb: {kb}"),
    ];
    fields.extend(extra.iter().map(|f| f.to_string()));
    let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
    component("b", "s3_bucket", &refs)
}

#[test]
fn s3_standard_with_growth_and_requests() {
    let e = run(&model(
        FLAT,
        100.0,
        &bucket(
            "standard",
            "1000",
            "200",
            "512",
            &[
                "put_requests_per_month: 1000000",
                "get_requests_per_month: 10000000",
            ],
        ),
    ));
    // GB-months: 1,000 stored + 200 grown evenly over the month / 2 = 1,100 × 0.023 = 25.30.
    // PUT 1,000,000 × 0.000005 = 5.00; GET 10,000,000 × 0.0000004 = 4.00.
    assert_line(&e, "TimedStorage-ByteHrs", 1100.0, 25.30);
    assert_line(&e, "Requests-Tier1", 1_000_000.0, 5.0);
    assert_line(&e, "Requests-Tier2", 10_000_000.0, 4.0);
    assert_usd(e.total_usd(), 34.30);
}

#[test]
fn s3_standard_crosses_the_50_tb_tier_account_wide() {
    let requests = &["put_requests_per_month: 0", "get_requests_per_month: 0"];
    let one = run(&model(
        FLAT,
        100.0,
        &bucket("standard", "60000", "0", "512", requests),
    ));
    // 51,200 × 0.023 = 1,177.60; (60,000 − 51,200) = 8,800 × 0.022 = 193.60 → 1,371.20.
    assert_line(&one, "TimedStorage-ByteHrs", 60_000.0, 1_371.20);
    // Two buckets of 30,000 GB: the tiers apply to the 60,000 GB total, shared by quantity.
    let two = run(&model(
        FLAT,
        100.0,
        &format!(
            "{}{}",
            bucket("standard", "30000", "0", "512", requests),
            bucket("standard", "30000", "0", "512", requests).replacen("id: b", "id: b2", 1)
        ),
    ));
    assert_usd(two.total_usd(), 1_371.20);
    assert_usd(two.component_usd("b"), 685.60);
    assert_usd(two.component_usd("b2"), 685.60);
}

#[test]
fn s3_intelligent_tiering_with_an_access_model() {
    let e = run(&model(
        FLAT,
        100.0,
        &bucket(
            "intelligent_tiering",
            "6000",
            "600",
            "256",
            &[
                "access_model: { data_age_months: 6, accessed_after_30_days_percent: 20 }",
                "put_requests_per_month: 100000",
                "get_requests_per_month: 0",
            ],
        ),
    ));
    // The 6,000 GB were written evenly over 6 × 30 = 180 days:
    //   under 30 days 30/180 = 1/6; 30–90 days 60/180 = 1/3; over 90 days 90/180 = 1/2.
    // 20% of the data over 30 days old is still read and stays in Frequent Access.
    //   FA:  6,000 × (1/6 + (1/3 + 1/2) × 0.2) = 6,000 × (1/6 + 1/6) = 2,000,
    //        + growth 600 / 2 = 300 → 2,300 GB-months × 0.023 = 52.90;
    //   IA:  6,000 × 1/3 × 0.8 = 1,600 × 0.0125 = 20.00;
    //   AIA: 6,000 × 1/2 × 0.8 = 2,400 × 0.004 = 9.60.
    // Monitoring: 6,300 GB × 1,024 × 1,024 / 256 KB = 25,804,800 objects × 0.0000025 = 64.512.
    // PUT (INT): 100,000 × 0.000005 = 0.50; no GETs, no GET line.
    assert_line(&e, "TimedStorage-INT-FA-ByteHrs", 2300.0, 52.90);
    assert_line(&e, "TimedStorage-INT-IA-ByteHrs", 1600.0, 20.0);
    assert_line(&e, "TimedStorage-INT-AIA-ByteHrs", 2400.0, 9.60);
    assert_line(&e, "Monitoring-Automation-INT", 25_804_800.0, 64.512);
    assert_line(&e, "Requests-INT-Tier1", 100_000.0, 0.50);
    assert!(!has_line(&e, "Requests-INT-Tier2"));
    assert!(!has_line(&e, "TimedStorage-ByteHrs"));
    assert_usd(e.total_usd(), 52.90 + 20.0 + 9.60 + 64.512 + 0.50); // 147.512
    assert!(e.diagnostics.is_empty(), "{:?}", e.diagnostics);
}

#[test]
fn s3_intelligent_tiering_small_objects_stay_in_frequent_access_unmonitored() {
    let e = run(&model(
        FLAT,
        100.0,
        &bucket(
            "intelligent_tiering",
            "6000",
            "600",
            "64",
            &[
                "access_model: { data_age_months: 6, accessed_after_30_days_percent: 20 }",
                "put_requests_per_month: 100000",
                "get_requests_per_month: 0",
            ],
        ),
    ));
    // 64 KB < 128 KB: never moved, never monitored. FA: 6,000 + 300 = 6,300 × 0.023 = 144.90;
    // PUT 0.50.
    assert_line(&e, "TimedStorage-INT-FA-ByteHrs", 6300.0, 144.90);
    assert!(!has_line(&e, "TimedStorage-INT-IA-ByteHrs"));
    assert!(!has_line(&e, "TimedStorage-INT-AIA-ByteHrs"));
    assert!(!has_line(&e, "Monitoring-Automation-INT"));
    assert_usd(e.total_usd(), 144.90 + 0.50); // 145.40
    assert_eq!(e.diagnostics.len(), 1);
    assert!(e.diagnostics[0].message.contains("128 KB minimum"));
}

#[test]
fn s3_lifecycle_to_standard_ia_charges_one_transition_per_object_written() {
    let e = run(&model(
        FLAT,
        100.0,
        &bucket(
            "standard",
            "12000",
            "1000",
            "512",
            &[
                "access_model: { data_age_months: 0 }",
                "put_requests_per_month: 0",
                "get_requests_per_month: 0",
                "lifecycle: { after_days: 30, to: standard_ia }",
            ],
        ),
    ));
    // With data_age_months: 0 all stored data is new, so none has reached 30 days yet.
    // Steady state: as many objects reach 30 days each month as are written:
    // 1,000 GB × 1,024 × 1,024 / 512 KB = 2,048,000 transitions × 0.00001 = 20.48.
    assert_line(&e, "Requests-Tier4", 2_048_000.0, 20.48);
    // This month's writes (1,000 / 2 = 500 GB-months) are under 30 days old: in Standard.
    assert!(line(&e, "TimedStorage-ByteHrs").quantity >= 500.0);
}

/// Regression: a lifecycle rule once moved nothing, because a Standard bucket could not be given
/// the data's age (`access_model` was refused unless Intelligent-Tiering was involved).
#[test]
fn s3_lifecycle_to_standard_ia_moves_old_data() {
    let e = run(&model(
        FLAT,
        100.0,
        &bucket(
            "standard",
            "12000",
            "1000",
            "512",
            &[
                "access_model: { data_age_months: 12 }",
                "put_requests_per_month: 0",
                "get_requests_per_month: 0",
                "lifecycle: { after_days: 30, to: standard_ia }",
            ],
        ),
    ));
    // Written evenly over 360 days: 30/360 is under 30 days old.
    // Standard: 12,000 × 30/360 = 1,000 + 500 (growth / 2) = 1,500 × 0.023 = 34.50.
    // Standard-IA: 12,000 × 330/360 = 11,000 × 0.0125 = 137.50.
    // Transitions: 2,048,000 × 0.00001 = 20.48.
    assert_line(&e, "TimedStorage-ByteHrs", 1500.0, 34.50);
    assert_line(&e, "TimedStorage-SIA-ByteHrs", 11_000.0, 137.50);
    assert_line(&e, "Requests-Tier4", 2_048_000.0, 20.48);
    assert_usd(e.total_usd(), 34.50 + 137.50 + 20.48); // 192.48
}

#[test]
fn s3_standard_ia_bucket_uses_the_ia_rates() {
    let e = run(&model(
        FLAT,
        100.0,
        &bucket(
            "standard_ia",
            "1000",
            "0",
            "512",
            &[
                "put_requests_per_month: 100000",
                "get_requests_per_month: 1000000",
            ],
        ),
    ));
    // 1,000 × 0.0125 = 12.50; PUT 100,000 × 0.00001 = 1.00; GET 1,000,000 × 0.000001 = 1.00.
    assert_line(&e, "TimedStorage-SIA-ByteHrs", 1000.0, 12.50);
    assert_line(&e, "Requests-SIA-Tier1", 100_000.0, 1.0);
    assert_line(&e, "Requests-SIA-Tier2", 1_000_000.0, 1.0);
    assert_usd(e.total_usd(), 14.50);
}

// ---------------------------------------------------------------------------------------------
// CloudWatch: logs 0.50/GB ingested, 0.03 per GB-month stored; custom metrics 0.30 (first 10
// Free Tier) to 10,000 then 0.10; alarms 0.10 (first 10 free); dashboards 3.00 (first 3 free).
// ---------------------------------------------------------------------------------------------

fn cloudwatch(metrics: u32, alarms: u32, dashboards: u32, extra: &[&str]) -> String {
    let mut fields = vec![
        "log_bytes_per_transaction: 1024".to_string(),
        "log_retention_days: 90".to_string(),
        format!("custom_metrics: {metrics}"),
        format!("alarms: {alarms}"),
        format!("dashboards: {dashboards}"),
    ];
    fields.extend(extra.iter().map(|f| f.to_string()));
    let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
    single(128.0, "cloudwatch", &refs)
}

/// 128 TPS × 2,628,000 = 336,384,000 transactions × 1,024 B / 2^30 = 320.80078125 GB.
const LOG_GB: f64 = 320.800_781_25;

#[test]
fn cloudwatch_logs_metrics_alarms_and_dashboards_without_the_free_tier() {
    let e = run(&cloudwatch(30, 20, 5, &[]));
    // Ingested: 320.80078125 GB × 0.50 = 160.400390625.
    assert_line(&e, "USE1-DataProcessing-Bytes", LOG_GB, 160.400_390_625);
    // Stored in steady state for 90 days: a day's ingest is 320.80078125 / (730 / 24) GB, kept
    // 90 days: 320.80078125 × 90 × 24 / 730 = 949.21875 GB-months × 0.03 = 28.4765625.
    assert_line(&e, "USE1-TimedStorage-ByteHrs", 949.218_75, 28.476_562_5);
    // 30 metrics × 0.30 = 9.00; 20 alarms × 0.10 = 2.00; 5 dashboards × 3.00 = 15.00.
    assert_line(&e, "CW:MetricMonitorUsage", 30.0, 9.0);
    assert_line(&e, "CW:AlarmMonitorUsage", 20.0, 2.0);
    assert_line(&e, "DashboardsUsageHour", 5.0, 15.0);
    assert_usd(e.total_usd(), 160.400_390_625 + 28.476_562_5 + 26.0); // 214.876953125
}

#[test]
fn cloudwatch_with_the_free_tier() {
    let e = run(&with_free_tier(cloudwatch(30, 20, 5, &[])));
    // Logs have no Free Tier in the snapshot: 160.400390625 + 28.4765625 as before.
    // (30 − 10) × 0.30 = 6.00; (20 − 10) × 0.10 = 1.00; (5 − 3) × 3.00 = 6.00.
    assert_line(&e, "CW:MetricMonitorUsage", 30.0, 6.0);
    assert_line(&e, "CW:AlarmMonitorUsage", 20.0, 1.0);
    assert_line(&e, "DashboardsUsageHour", 5.0, 6.0);
    assert_usd(e.total_usd(), 160.400_390_625 + 28.476_562_5 + 13.0); // 201.876953125
    // Within the allowances: nothing for metrics, alarms or dashboards.
    let within = run(&with_free_tier(cloudwatch(10, 10, 3, &[])));
    assert_usd(within.total_usd(), 160.400_390_625 + 28.476_562_5);
}

#[test]
fn cloudwatch_metrics_cross_the_10000_tier_and_stored_size_shrinks_storage() {
    let e = run(&cloudwatch(12_000, 0, 0, &["stored_size_percent: 50"]));
    // 10,000 × 0.30 = 3,000 + 2,000 × 0.10 = 200 → 3,200.
    assert_line(&e, "CW:MetricMonitorUsage", 12_000.0, 3_200.0);
    // Stored at 50%: 949.21875 / 2 = 474.609375 GB-months × 0.03 = 14.23828125.
    assert_line(&e, "USE1-TimedStorage-ByteHrs", 474.609_375, 14.238_281_25);
    assert!(!has_line(&e, "CW:AlarmMonitorUsage"));
    let free = run(&with_free_tier(cloudwatch(
        12_000,
        0,
        0,
        &["stored_size_percent: 50"],
    )));
    // With the Free Tier: (10,000 − 10) × 0.30 = 2,997 + 200 → 3,197.
    assert_line(&free, "CW:MetricMonitorUsage", 12_000.0, 3_197.0);
}

// ---------------------------------------------------------------------------------------------
// X-Ray: 5.00 per million traces recorded (first 100,000 Free Tier), 0.50 per million scanned
// (first 1,000,000 Free Tier).
// ---------------------------------------------------------------------------------------------

fn xray() -> String {
    single(
        100.0,
        "xray",
        &["sampled_percent: 5", "scanned_percent_of_recorded: 10"],
    )
}

#[test]
fn xray_without_the_free_tier() {
    let e = run(&xray());
    // Recorded: 262,800,000 × 5% = 13,140,000 × 0.000005 = 65.70.
    // Scanned: 13,140,000 × 10% = 1,314,000 × 0.0000005 = 0.657.
    assert_line(&e, "USE1-XRay-TracesStored", 13_140_000.0, 65.70);
    assert_line(&e, "USE1-XRay-TracesAccessed", 1_314_000.0, 0.657);
    assert_usd(e.total_usd(), 66.357);
}

#[test]
fn xray_with_the_free_tier() {
    let e = run(&with_free_tier(xray()));
    // (13,140,000 − 100,000) × 0.000005 = 65.20; (1,314,000 − 1,000,000) × 0.0000005 = 0.157.
    assert_line(&e, "USE1-XRay-TracesStored", 13_140_000.0, 65.20);
    assert_line(&e, "USE1-XRay-TracesAccessed", 1_314_000.0, 0.157);
    assert_usd(e.total_usd(), 65.357);
}

// ---------------------------------------------------------------------------------------------
// Secrets Manager 0.40 per secret-month, 0.05 per 10,000 API calls; KMS 1.00 per key-month,
// 0.03 per 10,000 requests (first 20,000 Free Tier); CloudTrail 0.10 per 100,000 data events,
// 2.00 per 100,000 paid management events; Config 0.003 per configuration item, rule
// evaluations 0.001 to 100,000, 0.0008 to 500,000, 0.0005 beyond.
// ---------------------------------------------------------------------------------------------

#[test]
fn secrets_manager_secrets_and_api_calls() {
    let e = run(&single(
        100.0,
        "secrets_manager",
        &["secrets: 12", "api_calls_per_month: 300000"],
    ));
    // 12 × 0.40 = 4.80; 300,000 × 0.000005 = 1.50.
    assert_line(&e, "USE1-AWSSecretsManager-Secrets", 12.0, 4.80);
    assert_line(&e, "USE1-AWSSecretsManagerAPIRequest", 300_000.0, 1.50);
    assert_usd(e.total_usd(), 6.30);
}

#[test]
fn kms_keys_and_requests_with_and_without_the_free_tier() {
    let yaml = single(
        10.0,
        "kms_keys",
        &[
            "customer_managed_keys: 4",
            "requests_per_transaction: 0.5",
            "requests_per_month: 60000",
        ],
    );
    let e = run(&yaml);
    // Requests: 10 TPS × 2,628,000 = 26,280,000 × 0.5 = 13,140,000 + 60,000 = 13,200,000.
    // Without the Free Tier: 13,200,000 × 0.000003 = 39.60; keys 4 × 1.00 = 4.00.
    assert_line(&e, "us-east-1-KMS-Requests", 13_200_000.0, 39.60);
    assert_line(&e, "us-east-1-KMS-Keys", 4.0, 4.0);
    assert_usd(e.total_usd(), 43.60);
    // With it: (13,200,000 − 20,000) × 0.000003 = 39.54 → 43.54.
    let free = run(&with_free_tier(yaml));
    assert_line(&free, "us-east-1-KMS-Requests", 13_200_000.0, 39.54);
    assert_usd(free.total_usd(), 43.54);
}

#[test]
fn cloudtrail_data_events_and_additional_management_copies() {
    let e = run(&single(
        10.0,
        "cloudtrail",
        &[
            "data_events_per_transaction: 2",
            "management_events_per_month: 2000000",
            "additional_management_copies: 2",
        ],
    ));
    // Data: 26,280,000 transactions × 2 = 52,560,000 × 0.000001 = 52.56.
    // Paid management: 2,000,000 × 2 copies = 4,000,000 × 0.00002 = 80.00.
    assert_line(&e, "USE1-DataEventsRecorded", 52_560_000.0, 52.56);
    assert_line(&e, "USE1-PaidEventsRecorded", 4_000_000.0, 80.0);
    assert_usd(e.total_usd(), 132.56);
    // The first copy is free: no paid-events line without additional copies.
    let first_copy = run(&single(
        10.0,
        "cloudtrail",
        &[
            "data_events_per_transaction: 2",
            "management_events_per_month: 2000000",
        ],
    ));
    assert!(!has_line(&first_copy, "USE1-PaidEventsRecorded"));
    assert_usd(first_copy.total_usd(), 52.56);
}

fn config(items: u32, evaluations: u32) -> String {
    single(
        100.0,
        "aws_config",
        &[
            &format!("configuration_items_per_month: {items}"),
            &format!("rule_evaluations_per_month: {evaluations}"),
        ],
    )
}

#[test]
fn aws_config_rule_evaluations_across_the_tier_edges() {
    let e = run(&config(30_000, 600_000));
    // Items: 30,000 × 0.003 = 90.00.
    // Evaluations: 100,000 × 0.001 = 100 + 400,000 × 0.0008 = 320 + 100,000 × 0.0005 = 50 → 470.
    assert_line(&e, "USE1-ConfigurationItemRecorded", 30_000.0, 90.0);
    assert_line(&e, "USE1-ConfigRuleEvaluations", 600_000.0, 470.0);
    assert_usd(e.total_usd(), 560.0);
    // Exactly at the first edge: 100,000 × 0.001 = 100.
    assert_line(
        &run(&config(0, 100_000)),
        "USE1-ConfigRuleEvaluations",
        100_000.0,
        100.0,
    );
    // Between the edges: 100 + 150,000 × 0.0008 = 120 → 220.
    assert_line(
        &run(&config(0, 250_000)),
        "USE1-ConfigRuleEvaluations",
        250_000.0,
        220.0,
    );
    // Exactly at the second edge: 100 + 400,000 × 0.0008 = 420.
    assert_line(
        &run(&config(0, 500_000)),
        "USE1-ConfigRuleEvaluations",
        500_000.0,
        420.0,
    );
    // Config has no Free Tier: the same with free_tier: true.
    assert_usd(
        run(&with_free_tier(config(30_000, 600_000))).total_usd(),
        560.0,
    );
}

// ---------------------------------------------------------------------------------------------
// EC2 (Linux on-demand): m6i.large 0.096, m6g.large 0.077, t3.medium 0.0416 per hour.
// EBS: gp3 0.08 per GB-month, 0.005 per IOPS-month above 3,000, 0.04 per MiB/s-month above 125;
// gp2 0.10 per GB-month.
// ---------------------------------------------------------------------------------------------

#[test]
fn ec2_fixed_count_with_gp3_extra_iops_and_throughput() {
    let e = run(&single(
        100.0,
        "ec2_instances",
        &[
            "instance_type: m6i.large",
            "count: 3",
            "ebs: { volume_type: gp3, size_gb: 100, iops: 6000, throughput_mibps: 250 }",
        ],
    ));
    // 3 × 730 = 2,190 instance-hours × 0.096 = 210.24; 3 volume-months.
    // Storage 3 × 100 = 300 GB-months × 0.08 = 24.00.
    // IOPS (6,000 − 3,000) × 3 = 9,000 × 0.005 = 45.00.
    // Throughput (250 − 125) × 3 = 375 × 0.04 = 15.00.
    assert_line(&e, "BoxUsage:m6i.large", 2190.0, 210.24);
    assert_eq!(
        line(&e, "BoxUsage:m6i.large").operation.as_deref(),
        Some("RunInstances")
    );
    assert_line(&e, "EBS:VolumeUsage.gp3", 300.0, 24.0);
    assert_line(&e, "EBS:VolumeP-IOPS.gp3", 9000.0, 45.0);
    assert_line(&e, "EBS:VolumeP-Throughput.gp3", 375.0, 15.0);
    assert_usd(e.total_usd(), 294.24);
}

#[test]
fn ec2_auto_scaling_group_over_a_two_level_profile() {
    let e = run(&model(
        TWO_LEVEL,
        1000.0,
        &component(
            "c",
            "ec2_instances",
            &[
                "instance_type: m6g.large",
                "auto_scaling: { min_instances: 2, max_instances: 20, target_cpu_percent: 50, tps_per_instance_at_full_cpu: 100 }",
                "ebs: { volume_type: gp3, size_gb: 20 }",
            ],
        ),
    ));
    // One instance serves 100 × 50% = 50 TPS at target.
    // Busy: 1,000 / 50 = 20 instances × 362 h = 7,240; trough: 250 / 50 = 5 × 368 h = 1,840.
    // Scale-in lag: at each of the 30 falls the 15 instances to go run 15 more minutes:
    // 15 × 15/60 × 30 = 112.5 instance-hours more → 9,192.5 × 0.077 = 707.8225.
    // gp3 at the included 3,000 IOPS / 125 MiB/s: only GB-months, prorated by instance-hours:
    // 20 GB × 9,192.5 / 730 = 251.849315068 GB-months × 0.08 = 20.147945205.
    assert_line(&e, "BoxUsage:m6g.large", 9192.5, 707.8225);
    assert_line(
        &e,
        "EBS:VolumeUsage.gp3",
        20.0 * 9192.5 / 730.0,
        20.0 * 9192.5 / 730.0 * 0.08,
    );
    assert!(!has_line(&e, "EBS:VolumeP-IOPS.gp3"));
    assert!(!has_line(&e, "EBS:VolumeP-Throughput.gp3"));
    assert_usd(e.total_usd(), 707.8225 + 20.147_945_205_479_5); // 727.970445205
    assert!(e.diagnostics.is_empty(), "{:?}", e.diagnostics);
}

#[test]
fn ec2_with_a_gp2_volume() {
    let e = run(&single(
        100.0,
        "ec2_instances",
        &[
            "instance_type: t3.medium",
            "count: 1",
            "ebs: { volume_type: gp2, size_gb: 50 }",
        ],
    ));
    // 730 × 0.0416 = 30.368; 50 GB × 0.10 = 5.00. gp2 has no IOPS or throughput charge.
    assert_line(&e, "BoxUsage:t3.medium", 730.0, 30.368);
    assert_line(&e, "EBS:VolumeUsage.gp2", 50.0, 5.0);
    assert_eq!(e.lines.len(), 2);
    assert_usd(e.total_usd(), 35.368);
}

// ---------------------------------------------------------------------------------------------
// RDS for PostgreSQL (operation CreateDBInstance:0014): db.r6g.large Multi-AZ 0.45, Single-AZ
// 0.225 per hour; gp3 storage Multi-AZ 0.23, Single-AZ 0.115; backup 0.095 per GB-month.
// ---------------------------------------------------------------------------------------------

#[test]
fn rds_multi_az_primary_with_a_read_replica() {
    let e = run(&single(
        100.0,
        "rds_postgresql",
        &[
            "instance_class: db.r6g.large",
            "deployment: multi_az",
            "read_replicas: 1",
            "storage_type: gp3",
            "storage_gb: 200",
            "billable_backup_gb: 50",
        ],
    ));
    // Primary (Multi-AZ): 730 × 0.45 = 328.50. Replica: 730 × 0.225 = 164.25.
    // Storage: 200 × 0.23 = 46.00 (Multi-AZ) + 200 × 0.115 = 23.00 (replica).
    // Backup: 50 × 0.095 = 4.75.
    assert_line(&e, "Multi-AZUsage:db.r6g.large", 730.0, 328.50);
    assert_line(&e, "InstanceUsage:db.r6g.large", 730.0, 164.25);
    assert_line(&e, "RDS:Multi-AZ-GP3-Storage", 200.0, 46.0);
    assert_line(&e, "RDS:GP3-Storage", 200.0, 23.0);
    assert_line(&e, "RDS:ChargedBackupUsage", 50.0, 4.75);
    assert_usd(e.total_usd(), 566.50);
    for usage_type in ["Multi-AZUsage:db.r6g.large", "InstanceUsage:db.r6g.large"] {
        assert_eq!(
            line(&e, usage_type).operation.as_deref(),
            Some("CreateDBInstance:0014"),
            "{usage_type} is priced as RDS for PostgreSQL, not Aurora (0021)"
        );
    }
}

#[test]
fn rds_single_az_without_replicas() {
    let e = run(&single(
        100.0,
        "rds_postgresql",
        &[
            "instance_class: db.r6g.large",
            "deployment: single_az",
            "storage_type: gp2",
            "storage_gb: 100",
        ],
    ));
    // 730 × 0.225 = 164.25 (not Aurora's 0.26); 100 GB gp2 × 0.115 = 11.50.
    assert_line(&e, "InstanceUsage:db.r6g.large", 730.0, 164.25);
    assert_line(&e, "RDS:GP2-Storage", 100.0, 11.50);
    assert_eq!(e.lines.len(), 2);
    assert_usd(e.total_usd(), 175.75);
}

// ---------------------------------------------------------------------------------------------
// Bad input: `m.yaml:LINE:COL: field `PATH`: MESSAGE`. Line 10 is `  - id: c`, settings start
// on line 12 (see the module doc).
// ---------------------------------------------------------------------------------------------

#[test]
fn elasticache_node_type_must_have_the_cache_form() {
    // Line 13 `    node_type: redis.large`: the value starts at column 16.
    assert_model_error(
        &cache("redis", "redis.large"),
        "m.yaml:13:16: field `components[0].node_type`: `redis.large` is not a node type",
        &["cache.<family>.<size>", "cache.r7g.large"],
    );
}

#[test]
fn elasticache_failover_needs_a_replica_and_allows_at_most_five() {
    let cluster = |replicas: u32| {
        single(
            100.0,
            "elasticache_cluster",
            &[
                "engine: redis",
                "node_type: cache.r7g.large",
                &format!("replicas_per_shard: {replicas}"),
                "multi_az_failover: true",
            ],
        )
    };
    // Line 14 `    replicas_per_shard: N`: the value starts at column 25.
    assert_model_error(
        &cluster(0),
        "m.yaml:14:25: field `components[0].replicas_per_shard`: 0 replicas cannot fail over",
        &["multi_az_failover", "at least 1 replica"],
    );
    assert_model_error(
        &cluster(6),
        "m.yaml:14:25: field `components[0].replicas_per_shard`: 6 replicas per shard",
        &["0 to 5"],
    );
}

fn cloudwatch_with_retention(days: &str) -> String {
    single(
        100.0,
        "cloudwatch",
        &[
            "log_bytes_per_transaction: 100",
            &format!("log_retention_days: {days}"),
            "custom_metrics: 0",
            "alarms: 0",
            "dashboards: 0",
        ],
    )
}

#[test]
fn cloudwatch_retention_must_be_at_least_a_day() {
    // Line 13 `    log_retention_days: N`: the value starts at column 25.
    assert_model_error(
        &cloudwatch_with_retention("-1"),
        "m.yaml:13:25: field `components[0].log_retention_days`: -1 is not allowed",
        &["at least 0"],
    );
    assert_model_error(
        &cloudwatch_with_retention("0"),
        "m.yaml:13:25: field `components[0].log_retention_days`: expected at least 1 day",
        &[],
    );
}

#[test]
fn s3_access_model_only_and_always_with_intelligent_tiering() {
    let requests = ["put_requests_per_month: 0", "get_requests_per_month: 0"];
    // No access_model: reported at the component's mapping (line 10, column 7).
    assert_model_error(
        &model(
            FLAT,
            100.0,
            &bucket("intelligent_tiering", "100", "0", "512", &requests),
        ),
        "m.yaml:10:7: field `components[0].access_model`: missing",
        &["data_age_months", "accessed_after_30_days_percent"],
    );
    // An access_model on a Standard-IA bucket: line 16 `    access_model: {…}`, column 19.
    // (On a Standard bucket it says how the data ages, for `rightsize`.)
    assert_model_error(
        &model(
            FLAT,
            100.0,
            &bucket(
                "standard_ia",
                "100",
                "0",
                "512",
                &[
                    "access_model: { data_age_months: 6, accessed_after_30_days_percent: 20 }",
                    requests[0],
                    requests[1],
                ],
            ),
        ),
        "m.yaml:16:19: field `components[0].access_model`: only used with Intelligent-Tiering, a lifecycle rule, or on a Standard bucket",
        &[],
    );
    // A lifecycle on an Intelligent-Tiering bucket: line 19 `    lifecycle: {…}`, column 16.
    assert_model_error(
        &model(
            FLAT,
            100.0,
            &bucket(
                "intelligent_tiering",
                "100",
                "0",
                "512",
                &[
                    "access_model: { data_age_months: 6, accessed_after_30_days_percent: 20 }",
                    requests[0],
                    requests[1],
                    "lifecycle: { after_days: 30, to: standard_ia }",
                ],
            ),
        ),
        "m.yaml:19:16: field `components[0].lifecycle`: lifecycle transitions are modeled from storage_class: standard only",
        &[],
    );
}

#[test]
fn percentages_above_100_are_rejected() {
    // Line 14 `    cache_hit_percent: 120`: column 24.
    assert_model_error(
        &single(
            100.0,
            "cloudfront_distribution",
            &[
                "requests_per_transaction: 1",
                "bytes_per_request: 1000",
                "cache_hit_percent: 120",
            ],
        ),
        "m.yaml:14:24: field `components[0].cache_hit_percent`: 120 is not a percentage",
        &["0 to 100"],
    );
    // Line 12 `    sampled_percent: 150`: column 22.
    assert_model_error(
        &single(
            100.0,
            "xray",
            &["sampled_percent: 150", "scanned_percent_of_recorded: 10"],
        ),
        "m.yaml:12:22: field `components[0].sampled_percent`: 150 is not a percentage",
        &["0 to 100"],
    );
}

#[test]
fn ec2_instance_type_count_and_gp3_are_checked() {
    // Line 12 `    instance_type: large`: column 20.
    assert_model_error(
        &single(
            100.0,
            "ec2_instances",
            &["instance_type: large", "count: 1"],
        ),
        "m.yaml:12:20: field `components[0].instance_type`: `large` is not an instance type",
        &["<family>.<size>", "m6i.large"],
    );
    // Both count and auto_scaling: reported at `count` (line 13, column 12).
    assert_model_error(
        &single(
            100.0,
            "ec2_instances",
            &[
                "instance_type: m6i.large",
                "count: 2",
                "auto_scaling: { min_instances: 1, max_instances: 4, target_cpu_percent: 50, tps_per_instance_at_full_cpu: 100 }",
            ],
        ),
        "m.yaml:13:12: field `components[0].count`: expected exactly one of `count`",
        &["auto_scaling"],
    );
    // gp3 with 1,000 IOPS: reported at `ebs` (line 14, column 10).
    assert_model_error(
        &single(
            100.0,
            "ec2_instances",
            &[
                "instance_type: m6i.large",
                "count: 2",
                "ebs: { volume_type: gp3, size_gb: 100, iops: 1000 }",
            ],
        ),
        "m.yaml:14:10: field `components[0].ebs`: gp3 volumes have at least 3000 IOPS",
        &["iops ≥ 3000"],
    );
}

#[test]
fn rds_storage_and_replica_limits() {
    let rds = |replicas: u32, storage: u32| {
        single(
            100.0,
            "rds_postgresql",
            &[
                "instance_class: db.r6g.large",
                "deployment: multi_az",
                &format!("read_replicas: {replicas}"),
                "storage_type: gp3",
                &format!("storage_gb: {storage}"),
            ],
        )
    };
    // Line 16 `    storage_gb: 10`: column 17.
    assert_model_error(
        &rds(1, 10),
        "m.yaml:16:17: field `components[0].storage_gb`: 10 GB; RDS for PostgreSQL gp2/gp3 storage is 20 to 65,536 GB",
        &[],
    );
    // Line 14 `    read_replicas: 16`: column 20.
    assert_model_error(
        &rds(16, 100),
        "m.yaml:14:20: field `components[0].read_replicas`: 16 read replicas",
        &["up to 15"],
    );
    // 15 is the limit and is accepted.
    assert!(model_file::parse(&rds(15, 20), "m.yaml").is_ok());
}

#[test]
fn unknown_fields_of_the_new_kinds_list_the_valid_ones() {
    // Line 12 `    rule: 4` in a WAF web ACL: reported at the key, column 5.
    assert_model_error(
        &single(
            100.0,
            "waf_web_acl",
            &["rule: 4", "requests_per_transaction: 1"],
        ),
        "m.yaml:12:5: field `components[0].rule`: unknown field `rule`; expected one of ",
        &["rules", "requests_per_transaction"],
    );
    // Line 13 `    storage_gb: 100` in an S3 bucket (the field is `stored_gb`).
    assert_model_error(
        &single(
            100.0,
            "s3_bucket",
            &[
                "storage_class: standard",
                "storage_gb: 100",
                "growth_gb_per_month: 0",
            ],
        ),
        "m.yaml:13:5: field `components[0].storage_gb`: unknown field `storage_gb`; expected one of ",
        &[
            "stored_gb",
            "growth_gb_per_month",
            "access_model",
            "lifecycle",
        ],
    );
    // Line 14 `    memory_gb: 8` in an ElastiCache cluster.
    assert_model_error(
        &single(
            100.0,
            "elasticache_cluster",
            &[
                "engine: valkey",
                "node_type: cache.r7g.large",
                "memory_gb: 8",
            ],
        ),
        "m.yaml:14:5: field `components[0].memory_gb`: unknown field `memory_gb`; expected one of ",
        &[
            "node_type",
            "shards",
            "replicas_per_shard",
            "multi_az_failover",
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Every shipped model estimates.
// ---------------------------------------------------------------------------------------------

#[test]
fn every_model_in_the_models_directory_estimates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("read models/") {
        let path = entry.expect("a directory entry").path();
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            continue;
        }
        let name = path.display().to_string();
        let t = model_file::load(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let prices = PriceBook::embedded(t.region).unwrap_or_else(|e| panic!("{name}: {e}"));
        let e = estimate(&t, &prices, &BillingPeriod::standard_month())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(e.total_usd() > 0.0, "{name}: total {}", e.total_usd());
        for l in &e.lines {
            assert!(l.quantity > 0.0, "{name}: {l:?}");
            assert!(
                l.usd_per_unit.is_finite() && l.usd_per_unit >= 0.0,
                "{name}: {l:?}"
            );
            assert!(l.usd_per_month.is_finite(), "{name}: {l:?}");
            assert!(!l.price_source.book.is_empty(), "{name}: {l:?}");
            assert!(!l.price_source.effective_date.is_empty(), "{name}: {l:?}");
        }
        checked.push(name);
    }
    assert!(!checked.is_empty(), "no model files in {}", dir.display());
}

// ---------------------------------------------------------------------------------------------
// Limits found in review: each is a clear error, not a silent price.
// ---------------------------------------------------------------------------------------------

#[test]
fn ec2_volume_and_count_limits_are_enforced() {
    let ec2 = |fields: &[&str]| single(100.0, "ec2_instances", fields);
    // Line 10 is `  - id: c`, line 11 `    kind: ec2_instances`; the fields start on line 12.
    assert_model_error(
        &ec2(&["instance_type: m6i.large", "count: 0"]),
        "m.yaml:13:12: field `components[0].count`: 0 instances; expected at least 1",
        &[],
    );
    assert_model_error(
        &ec2(&[
            "instance_type: m6i.large",
            "count: 1",
            "ebs: { volume_type: gp2, size_gb: 100, iops: 5000 }",
        ]),
        "m.yaml:14:50: field `components[0].ebs.iops`",
        &["gp2 performance follows the volume size"],
    );
    assert_model_error(
        &ec2(&[
            "instance_type: m6i.large",
            "count: 1",
            "ebs: { volume_type: gp3, size_gb: 100, iops: 90000 }",
        ]),
        "m.yaml:14:50: field `components[0].ebs.iops`",
        &["90000 IOPS; gp3 allows at most 80,000"],
    );
}

#[test]
fn rds_storage_above_64_tib_is_rejected() {
    let rds = single(
        100.0,
        "rds_postgresql",
        &[
            "instance_class: db.r6g.large",
            "deployment: multi_az",
            "storage_type: gp3",
            "storage_gb: 100000",
        ],
    );
    assert_model_error(
        &rds,
        "m.yaml:15:17: field `components[0].storage_gb`",
        &["20 to 65,536 GB"],
    );
}

#[test]
fn lifecycle_rules_skip_objects_under_128_kb() {
    let e = run(&model(
        FLAT,
        100.0,
        &bucket(
            "standard",
            "12000",
            "1000",
            "64",
            &[
                "access_model: { data_age_months: 12 }",
                "put_requests_per_month: 0",
                "get_requests_per_month: 0",
                "lifecycle: { after_days: 30, to: standard_ia }",
            ],
        ),
    ));
    // Nothing transitions: 12,000 + 1,000 / 2 = 12,500 GB-months of Standard × 0.023 = 287.50.
    assert_line(&e, "TimedStorage-ByteHrs", 12_500.0, 287.50);
    assert!(!has_line(&e, "Requests-Tier4") && !has_line(&e, "TimedStorage-SIA-ByteHrs"));
    assert!(e.diagnostics[0].message.contains("under the 128 KB"));
}

/// Regression: Serverless v2 capped at max_acu used to be silent.
#[test]
fn serverless_capped_at_max_acu_warns() {
    let e = run(&single(
        10_000.0,
        "aurora_postgresql",
        &[
            "serverless_v2: { min_acu: 0.5, max_acu: 1, instances: 1, tps_per_acu: 10 }",
            "storage_gb: 10",
            "io_requests_per_transaction: 0",
        ],
    ));
    // Capped at 1 ACU × 730 h × 0.12 = 87.60 (+ storage 10 × 0.10 = 1.00), with a warning.
    assert_usd(e.total_usd(), 87.60 + 1.0);
    assert!(
        e.diagnostics
            .iter()
            .any(|d| d.message.contains("more than max_acu (1)")),
        "{:?}",
        e.diagnostics
    );
    assert_model_error(
        &single(
            100.0,
            "aurora_postgresql",
            &[
                "serverless_v2: { min_acu: 0, max_acu: 0, instances: 1, tps_per_acu: 10 }",
                "storage_gb: 10",
                "io_requests_per_transaction: 0",
            ],
        ),
        "m.yaml:12:43: field `components[0].serverless_v2.max_acu`",
        &["at least 1 ACU"],
    );
}

/// Regression: too-large inputs used to print a total of 0.00.
#[test]
fn numbers_too_large_to_price_are_an_error() {
    let huge = model(
        FLAT,
        1e308,
        &component(
            "c",
            "dynamodb_table",
            &[
                "capacity_mode: on_demand",
                "item_size_kb: 1",
                "reads_per_transaction: 1",
                "writes_per_transaction: 1",
                "storage_gb: 1",
            ],
        ),
    );
    let e = try_run(&huge).unwrap_err().to_string();
    assert!(e.contains("too large to price"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// SQS: standard 0.40 per million requests (0.30 past 100 billion a month, 0.24 past 200
// billion), FIFO 0.50 per million; every 64 KB chunk of a payload is one request; the first
// million requests a month are free only with `free_tier: true`.
// ---------------------------------------------------------------------------------------------

/// A queue's component, one message per transaction unless `fields` say otherwise.
fn queue(peak_tps: f64, fields: &[&str]) -> String {
    single(peak_tps, "sqs_queue", fields)
}

#[test]
fn a_standard_queue_bills_send_receive_and_delete() {
    let e = run(&queue(
        100.0,
        &[
            "queue_type: standard",
            "messages_per_transaction: 1",
            "message_size_kb: 10",
        ],
    ));
    // 100 TPS × 3,600 × 730 = 262,800,000 messages; 10 KB is one chunk, so send 1 + receive 1
    // + delete 1 = 3 requests each: 788,400,000 × 0.0000004 = 315.36.
    assert_line(&e, "Requests-Tier1", 788_400_000.0, 315.36);
    assert_eq!(e.lines[0].service_code.code(), "AWSQueueService");
    assert_eq!(e.lines.len(), 1);
}

#[test]
fn a_fifo_queue_bills_each_64_kb_chunk_and_the_empty_receives() {
    let e = run(&queue(
        10.0,
        &[
            "queue_type: fifo",
            "messages_per_transaction: 0.5",
            "message_size_kb: 256",
            "empty_receives_per_month: 1000000",
        ],
    ));
    // 10 × 3,600 × 730 = 26,280,000 transactions × 0.5 = 13,140,000 messages.
    // 256 KB = 4 chunks: send 4 + receive 4 + delete 1 = 9 requests → 118,260,000 requests;
    // with 1,000,000 empty receives, 119,260,000 × 0.0000005 = 59.63.
    let requests: f64 = e.lines.iter().map(|l| l.quantity).sum();
    assert_usd(requests, 119_260_000.0);
    assert_usd(e.total_usd(), 59.63);
    assert!(
        e.lines
            .iter()
            .all(|l| l.usage_type == "Requests-FIFO-Tier1")
    );
}

#[test]
fn batches_share_their_chunks_and_the_free_million_is_opt_in() {
    let batched = queue(
        100.0,
        &[
            "queue_type: standard",
            "messages_per_transaction: 1",
            "message_size_kb: 10",
            "batch_size: 10",
        ],
    );
    // 262,800,000 messages in batches of 10 = 26,280,000 calls; a batch is 100 KB = 2 chunks:
    // send 2 + receive 2 + delete 1 = 5 requests → 131,400,000 × 0.0000004 = 52.56.
    assert_line(&run(&batched), "Requests-Tier1", 131_400_000.0, 52.56);
    // With the Free Tier: (131,400,000 − 1,000,000) × 0.0000004 = 52.16.
    assert_usd(run(&with_free_tier(batched)).total_usd(), 52.16);
}

#[test]
fn request_tiers_apply_to_the_monthly_total() {
    let e = run(&queue(
        40_000.0,
        &[
            "queue_type: standard",
            "messages_per_transaction: 1",
            "message_size_kb: 1",
        ],
    ));
    // 40,000 × 3,600 × 730 = 105,120,000,000 messages × 3 = 315,360,000,000 requests:
    // 100e9 × 0.0000004 = 40,000 + 100e9 × 0.0000003 = 30,000
    // + 115.36e9 × 0.00000024 = 27,686.4 → 97,686.40.
    assert_usd(e.total_usd(), 97_686.4);
}

#[test]
fn queue_settings_outside_sqs_limits_are_rejected() {
    let base = ["queue_type: standard", "messages_per_transaction: 1"];
    let with = |extra: &[&str]| {
        let mut fields = base.to_vec();
        fields.extend_from_slice(extra);
        queue(10.0, &fields)
    };
    assert_model_error(
        &with(&["message_size_kb: 10", "batch_size: 11"]),
        "m.yaml:15:17: field `components[0].batch_size`",
        &["11 messages per call", "1 to 10"],
    );
    assert_model_error(
        &with(&["message_size_kb: 2048"]),
        "m.yaml:14:22: field `components[0].message_size_kb`",
        &["at most 1024 KB"],
    );
    assert_model_error(
        &with(&["message_size_kb: 200", "batch_size: 10"]),
        "m.yaml:15:17: field `components[0].batch_size`",
        &["2,000 KB call", "at most 1024 KB"],
    );
    assert_model_error(
        &queue(
            10.0,
            &[
                "queue_type: priority",
                "messages_per_transaction: 1",
                "message_size_kb: 1",
            ],
        ),
        "m.yaml:12:",
        &["queue_type", "standard", "fifo"],
    );
}

/// Components of the kinds the reference model lacks, so that every registered kind is
/// estimated below. A new kind fails that test until it has an example here.
pub const EXTRA_KINDS: &str = "  - id: legacy-batch
    kind: ec2_instances
    instance_type: m6i.large
    count: 2
  - id: reporting-db
    kind: rds_postgresql
    instance_class: db.r6g.large
    deployment: single_az
    storage_type: gp3
    storage_gb: 100
  - id: payment-events
    kind: sqs_queue
    queue_type: fifo
    messages_per_transaction: 1
    message_size_kb: 8
";

#[test]
fn every_registered_kind_is_priced_by_the_embedded_snapshot() {
    let reference = std::fs::read_to_string(crate::util::reference_model_path()).unwrap();
    let yaml = crate::util::edit(
        &reference,
        "\ncomponents:\n",
        &format!("\ncomponents:\n{EXTRA_KINDS}"),
    );
    let t = model_file::parse(&yaml, "every-kind.yaml").expect("valid model");
    let kinds: std::collections::BTreeSet<ComponentKind> =
        t.components().iter().map(|c| c.spec.kind()).collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ComponentKind::ALL.to_vec(),
        "every registered kind needs an example (add new kinds to EXTRA_KINDS)"
    );
    // A usage type without a price fails the estimate, listing it.
    let prices = PriceBook::embedded(t.region).unwrap();
    let e = estimate(&t, &prices, &BillingPeriod::standard_month()).expect("every usage priced");
    for kind in ComponentKind::ALL {
        assert!(
            t.components()
                .iter()
                .filter(|c| c.spec.kind() == *kind)
                .any(|c| e.component_usd(&c.id) > 0.0),
            "no priced line for any {} component",
            kind.keyword()
        );
    }
    // Every usage type metered is one its kind declares (or data transfer's), so that
    // `archcost kinds KIND` tells the truth.
    let declared = |patterns: &[&str], usage_type: &str| {
        let bare = usage_type
            .strip_prefix("USE1-")
            .or_else(|| usage_type.strip_prefix("us-east-1-"))
            .unwrap_or(usage_type);
        patterns.iter().any(|p| match p.strip_suffix('*') {
            Some(family) => bare.starts_with(family),
            None => bare == *p,
        })
    };
    for l in &e.lines {
        let kind = t.component(&l.component).unwrap().spec.kind();
        assert!(
            declared(kind.usage_types(), &l.usage_type)
                || declared(
                    archcost::services::data_transfer::USAGE_TYPES,
                    &l.usage_type
                ),
            "{} meters {}, which {}'s USAGE_TYPES does not list",
            l.component,
            l.usage_type,
            kind.keyword()
        );
    }
}
