//! Hand-computed monthly costs for the estimation core, from the us-east-1 snapshot's list
//! prices. Every expected figure has its arithmetic beside it.

use archcost::{Estimate, PriceBook, estimate, model_file};

use crate::util::{FLAT, TWO_LEVEL, assert_usd, model, run_estimate, with_free_tier};

fn run(yaml: &str) -> Estimate {
    run_estimate(yaml)
}

fn fargate(arch: &str, extra: &str) -> String {
    format!(
        "  - id: svc\n    kind: fargate_service\n    architecture: {arch}\n    vcpu: 1\n    memory_gb: 2\n{extra}"
    )
}

#[test]
fn fixed_two_tasks_on_x86() {
    let e = run(&model(
        FLAT,
        100.0,
        &fargate("x86_64", "    desired_count: 2\n"),
        "",
    ));
    // 2 tasks × 730 h = 1,460 task-hours.
    // vCPU: 1,460 × 1 × 0.04048 = 59.1008; memory: 1,460 × 2 GB × 0.004445 = 12.9794.
    assert_usd(e.total_usd(), 59.1008 + 12.9794); // 72.0802
    assert_eq!(e.lines.len(), 2);
    assert_eq!(e.lines[0].usage_type, "USE1-Fargate-vCPU-Hours:perCPU");
    assert_eq!(e.lines[0].quantity, 1460.0);
    assert_eq!(e.lines[1].usage_type, "USE1-Fargate-GB-Hours");
    assert_eq!(e.lines[1].quantity, 2920.0);
}

#[test]
fn fixed_two_tasks_on_arm() {
    let e = run(&model(
        FLAT,
        100.0,
        &fargate("arm64", "    desired_count: 2\n"),
        "",
    ));
    // ARM: 1,460 × 0.03238 = 47.2748; 2,920 × 0.00356 = 10.3952; total 57.67.
    assert_usd(e.total_usd(), 47.2748 + 10.3952);
    assert_eq!(e.lines[0].usage_type, "USE1-Fargate-ARM-vCPU-Hours:perCPU");
}

#[test]
fn spot_strategy_with_base_two_and_weights_one_to_three() {
    let strategy = "    desired_count: 10\n    capacity_provider_strategy:\n      - { provider: FARGATE, base: 2, weight: 1 }\n      - { provider: FARGATE_SPOT, weight: 3 }\n";
    let e = run(&model(FLAT, 100.0, &fargate("x86_64", strategy), ""));
    // 10 tasks: base 2 on FARGATE, the other 8 split 1:3 → 2 more on FARGATE, 6 on Spot.
    // On-demand: 4 × 730 = 2,920 task-h → 2,920 × 0.04048 = 118.2016 + 5,840 × 0.004445 = 25.9588.
    // Spot:      6 × 730 = 4,380 task-h → 4,380 × 0.01288871 = 56.4525498 + 8,760 × 0.00141527 = 12.3977652.
    let on_demand = 118.2016 + 25.9588;
    let spot = 56.4525498 + 12.3977652;
    assert_usd(e.total_usd(), on_demand + spot); // 213.010715
    let spot_lines: Vec<_> = e
        .lines
        .iter()
        .filter(|l| l.usage_type.contains("SpotUsage"))
        .collect();
    assert_eq!(spot_lines.len(), 2);
    assert_eq!(
        spot_lines[0].usage_type,
        "USE1-SpotUsage-Fargate-vCPU-Hours:perCPU"
    );
    assert_eq!(spot_lines[0].quantity, 4380.0);
}

#[test]
fn target_tracking_follows_a_two_level_profile() {
    let scaling = "    scaling: { min_tasks: 2, max_tasks: 30, target_cpu_percent: 50, tps_per_task_at_full_cpu: 100 }\n";
    let e = run(&model(TWO_LEVEL, 1000.0, &fargate("x86_64", scaling), ""));
    // One task serves 100 × 50% = 50 TPS at target.
    // Busy: 1,000 TPS / 50 = 20 tasks × 362 h = 7,240; trough: 250 / 50 = 5 tasks × 368 h = 1,840.
    // Scale-in lag: at each of the 30 falls (20:00, days 1–30) the 20 tasks run 20 of the hour's
    // 60 minutes before scaling in to 5: 15 × 20/60 = 5 more task-hours each → 150.
    // 9,230 task-hours × (0.04048 + 2 × 0.004445 = 0.04937) = 455.6851.
    assert_usd(e.total_usd(), 9230.0 * 0.04937);
    assert!(e.diagnostics.is_empty());
}

#[test]
fn target_tracking_capped_at_max_warns() {
    let scaling = "    scaling: { min_tasks: 1, max_tasks: 4, target_cpu_percent: 50, tps_per_task_at_full_cpu: 100 }\n";
    let e = run(&model(TWO_LEVEL, 1000.0, &fargate("x86_64", scaling), ""));
    // Busy hours need 20 tasks but get 4; trough hours need 5 and get 4: all 730 h at 4 tasks.
    assert_usd(e.total_usd(), 4.0 * 730.0 * 0.04937);
    assert_eq!(e.diagnostics.len(), 1);
    assert!(
        e.diagnostics[0].message.contains("730 hours run short"),
        "{:?}",
        e.diagnostics
    );
}

fn aurora(config: &str, readers: &str, storage_gb: u32, io: u32) -> String {
    format!(
        "  - id: db\n    kind: aurora_postgresql\n    storage_configuration: {config}\n    writer: {{ instance_class: db.r6g.large }}\n    readers: {readers}\n    storage_gb: {storage_gb}\n    io_requests_per_transaction: {io}\n"
    )
}

#[test]
fn aurora_readers_scale_from_one_to_three() {
    let readers = "{ min: 1, max: 3, target_cpu_percent: 50, read_tps_per_reader_at_full_cpu: 1000, read_share: 1.0 }";
    let e = run(&model(
        TWO_LEVEL,
        1200.0,
        &aurora("standard", readers, 100, 0),
        "",
    ));
    // One reader serves 1,000 × 50% = 500 read TPS at target.
    // Busy: 1,200 / 500 = 2.4 → 3 readers × 362 h = 1,086; trough: 300 / 500 = 0.6 → 1 × 368 h = 368.
    // Scale-in lag: at each of the 30 falls the 3 readers run 20 minutes before going to 1:
    // 2 × 20/60 × 30 = 20 reader-hours more → 1,474.
    // Instance-hours: writer 730 + readers 1,474 = 2,204 × 0.26 = 573.04. Storage 100 GB × 0.10 = 10.
    assert_usd(e.total_usd(), 2204.0 * 0.26 + 10.0); // 583.04
    let readers = e
        .lines
        .iter()
        .find(|l| l.description.starts_with("readers"))
        .unwrap();
    assert_usd(readers.quantity, 1474.0);
    assert_eq!(readers.operation.as_deref(), Some("CreateDBInstance:0021"));
}

#[test]
fn aurora_standard_versus_io_optimized() {
    let standard = run(&model(
        FLAT,
        100.0,
        &aurora("standard", "{ count: 1 }", 1000, 10),
        "",
    ));
    // Standard: 2 instances × 730 h × 0.26 = 379.6; storage 1,000 GB × 0.10 = 100;
    // I/O: 100 TPS × 3,600 × 730 = 262,800,000 transactions × 10 = 2,628,000,000 × 0.0000002 = 525.6.
    assert_usd(standard.total_usd(), 379.6 + 100.0 + 525.6); // 1,005.2
    let optimized = run(&model(
        FLAT,
        100.0,
        &aurora("io_optimized", "{ count: 1 }", 1000, 10),
        "",
    ));
    // I/O-Optimized: 1,460 h × 0.338 = 493.48; storage 1,000 × 0.225 = 225; no I/O charge.
    assert_usd(optimized.total_usd(), 493.48 + 225.0); // 718.48
    assert!(
        optimized
            .lines
            .iter()
            .all(|l| l.usage_type != "Aurora:StorageIOUsage")
    );
    assert!(
        optimized
            .lines
            .iter()
            .any(|l| l.usage_type == "InstanceUsageIOOptimized:db.r6g.large")
    );
    assert!(
        optimized
            .lines
            .iter()
            .any(|l| l.usage_type == "Aurora:IO-OptimizedStorageUsage")
    );
}

#[test]
fn aurora_serverless_v2_follows_load() {
    let serverless = "  - id: db\n    kind: aurora_postgresql\n    serverless_v2: { min_acu: 0.5, max_acu: 16, instances: 2, tps_per_acu: 50 }\n    storage_gb: 10\n    io_requests_per_transaction: 0\n";
    let e = run(&model(TWO_LEVEL, 1000.0, serverless, ""));
    // Busy: 1,000 / 50 / 2 instances = 10 ACU each → 20 ACU × 362 h = 7,240 ACU-h.
    // Trough: 250 / 50 / 2 = 2.5 ACU each → 5 ACU × 368 h = 1,840 ACU-h.
    // 9,080 ACU-h × 0.12 = 1,089.6; storage 10 × 0.10 = 1.
    assert_usd(e.total_usd(), 9080.0 * 0.12 + 1.0);
}

const API: &str = "  - id: api\n    kind: fargate_service\n    vcpu: 0.25\n    memory_gb: 0.5\n    desired_count: 1\n";
/// One NAT gateway per AZ (2), each holding a public IPv4 address: 2 × 730 h × 0.045 = 65.70
/// for the gateways and 2 × 730 h × 0.005 = 7.30 for the addresses.
const NAT: &str = "  - id: nat\n    kind: nat_gateway\n";
const S3_GATEWAY: &str =
    "  - id: s3-gw\n    kind: vpc_endpoint\n    endpoint_type: gateway\n    service: s3\n";
const TEN_TB_TO_S3: &str = "flows:\n  - { from: api, to: s3, gb_per_month: 10240 }\n";

#[test]
fn ten_tb_to_s3_through_nat_gateways_in_two_azs() {
    let e = run(&model(FLAT, 100.0, &format!("{API}{NAT}"), TEN_TB_TO_S3));
    // 2 gateways (one per AZ) × 730 h × 0.045 = 65.70; 10,240 GB × 0.045 = 460.80; their 2
    // public IPv4 addresses × 730 h × 0.005 = 7.30.
    assert_usd(e.component_usd("nat"), 65.70 + 460.80 + 7.30); // 533.80
    // S3 in the same region: no data transfer charge.
    assert!(
        e.lines
            .iter()
            .all(|l| l.service_code.code() != "AWSDataTransfer")
    );
}

#[test]
fn a_gateway_endpoint_takes_the_s3_bytes_off_the_nat() {
    let with_nat = run(&model(FLAT, 100.0, &format!("{API}{NAT}"), TEN_TB_TO_S3));
    let with_endpoint = run(&model(
        FLAT,
        100.0,
        &format!("{API}{NAT}{S3_GATEWAY}"),
        TEN_TB_TO_S3,
    ));
    // Only the gateway-hours and addresses remain: 65.70 + 7.30; the endpoint itself is free.
    assert_usd(with_endpoint.component_usd("nat"), 65.70 + 7.30);
    assert_usd(with_endpoint.component_usd("s3-gw"), 0.0);
    // The saving is exactly the NAT processing of 10,240 GB × 0.045 = 460.80.
    assert_usd(with_nat.total_usd() - with_endpoint.total_usd(), 460.80);
    assert!(
        with_endpoint
            .diagnostics
            .iter()
            .any(|d| d.message.contains("10,240 GB at no charge"))
    );
}

#[test]
fn an_interface_endpoint_charges_hours_and_gb_instead() {
    let interface =
        "  - id: s3-if\n    kind: vpc_endpoint\n    endpoint_type: interface\n    service: s3\n";
    let e = run(&model(
        FLAT,
        100.0,
        &format!("{API}{NAT}{interface}"),
        TEN_TB_TO_S3,
    ));
    // Endpoint: 2 AZs × 730 h × 0.01 = 14.60; 10,240 GB × 0.01 = 102.40 (first tier, up to 1 PB).
    assert_usd(e.component_usd("s3-if"), 14.60 + 102.40);
    assert_usd(e.component_usd("nat"), 65.70 + 7.30);
}

#[test]
fn internet_egress_goes_through_the_nat_and_is_tiered() {
    let flows = "flows:\n  - { from: api, to: internet, gb_per_month: 20480 }\n";
    let e = run(&with_free_tier(model(
        FLAT,
        100.0,
        &format!("{API}{NAT}"),
        flows,
    )));
    // NAT: 65.70 + 20,480 × 0.045 = 921.60, and the addresses' 7.30.
    assert_usd(e.component_usd("nat"), 65.70 + 921.60 + 7.30);
    // Egress: first 100 GB free, 10,140 × 0.09 = 912.6, next 10,240 × 0.085 = 870.4 → 1,783.0.
    let egress: f64 = e
        .lines
        .iter()
        .filter(|l| l.usage_type == "DataTransfer-Out-Bytes")
        .map(|l| l.usd_per_month)
        .sum();
    assert_usd(egress, 1783.0);
}

fn table(mode: &str) -> String {
    format!(
        "  - id: t\n    kind: dynamodb_table\n    item_size_kb: 1\n    reads_per_transaction: 1\n    writes_per_transaction: 1\n    read_consistency: eventual\n    storage_gb: 0\n{mode}"
    )
}

const ON_DEMAND: &str = "    capacity_mode: on_demand\n";
const AUTO_SCALED: &str = "    capacity_mode: provisioned\n    read_capacity: { min: 5, max: 2000, target_utilization_percent: 70 }\n    write_capacity: { min: 5, max: 2000, target_utilization_percent: 70 }\n";

/// One peak hour a day at 1,000 TPS, 20 TPS otherwise. Over 730 hours from Monday 00:00:
/// 28 days + Mon + Tue = 30 peak hours (Wednesday's 12:00 falls after hour 729); 700 quiet hours.
const SPIKY: &str = "    generator: { trough_ratio: 0.02, busy_start_hour: 12, busy_end_hour: 13, weekend_factor: 1.0 }";

#[test]
fn dynamodb_on_demand_versus_provisioned_on_a_flat_profile() {
    let on_demand = run(&model(FLAT, 100.0, &table(ON_DEMAND), ""));
    // 100 TPS × 3,600 × 730 = 262,800,000 transactions; 1 KB items.
    // Reads: 262.8M × 0.5 RRU (eventual) = 131.4M × 0.000000125 = 16.425.
    // Writes: 262.8M × 1 WRU = 262.8M × 0.000000625 = 164.25.
    assert_usd(on_demand.total_usd(), 16.425 + 164.25); // 180.675
    let provisioned = run(&with_free_tier(model(FLAT, 100.0, &table(AUTO_SCALED), "")));
    // Reads consume 50 RCU/s → 50 / 0.7 = 71.4 → 72 RCU × 730 = 52,560 RCU-h; 18,600 free →
    // 33,960 × 0.00013 = 4.4148. Writes 100 WCU/s → 142.9 → 143 × 730 = 104,390 WCU-h →
    // 85,790 × 0.00065 = 55.7635.
    assert_usd(provisioned.total_usd(), 4.4148 + 55.7635); // 60.1783
    // Without the Free Tier: 52,560 × 0.00013 = 6.8328 + 104,390 × 0.00065 = 67.8535.
    let no_free_tier = run(&model(FLAT, 100.0, &table(AUTO_SCALED), ""));
    assert_usd(no_free_tier.total_usd(), 6.8328 + 67.8535); // 74.6863
}

#[test]
fn dynamodb_on_demand_versus_provisioned_on_a_spiky_profile() {
    let on_demand = run(&model(SPIKY, 1000.0, &table(ON_DEMAND), ""));
    // Transactions: 30 h × 1,000 × 3,600 = 108,000,000 + 700 h × 20 × 3,600 = 50,400,000 = 158,400,000.
    // Reads 79.2M RRU × 0.000000125 = 9.9; writes 158.4M WRU × 0.000000625 = 99.0.
    assert_usd(on_demand.total_usd(), 9.9 + 99.0); // 108.9
    let auto = run(&with_free_tier(model(
        SPIKY,
        1000.0,
        &table(AUTO_SCALED),
        "",
    )));
    // Peak hours: reads 500/s → 714.3 → 715 RCU; writes 1,000/s → 1,428.6 → 1,429 WCU.
    // Quiet hours: reads 10/s → 14.3 → 15 RCU; writes 20/s → 28.6 → 29 WCU.
    // Settled: RCU-h = 30 × 715 + 700 × 15 = 31,950; WCU-h = 30 × 1,429 + 700 × 29 = 63,170.
    // Scale-in lag: after each of the 30 peak hours consumption (10/s) is far below 50% of 715,
    // so capacity scales in, 15 minutes late: that hour bills 0.25 × 715 + 0.75 × 15 = 190 RCU
    // (175 more) and 0.25 × 1,429 + 0.75 × 29 = 379 WCU (350 more).
    // RCU-h 31,950 + 30 × 175 = 37,200 → 18,600 billable × 0.00013 = 2.418.
    // WCU-h 63,170 + 30 × 350 = 73,670 → 55,070 billable × 0.00065 = 35.7955.
    assert_usd(auto.total_usd(), 2.418 + 35.7955); // 38.2135
    let fixed = "    capacity_mode: provisioned\n    read_capacity: { units: 715 }\n    write_capacity: { units: 1429 }\n";
    let at_peak = run(&with_free_tier(model(SPIKY, 1000.0, &table(fixed), "")));
    // Provisioned for the peak all month: 715 × 730 = 521,950 RCU-h → 503,350 × 0.00013 = 65.4355;
    // 1,429 × 730 = 1,043,170 WCU-h → 1,024,570 × 0.00065 = 665.9705. On-demand wins by far.
    assert_usd(at_peak.total_usd(), 65.4355 + 665.9705); // 731.406
    assert!(on_demand.total_usd() < at_peak.total_usd());
}

#[test]
fn provisioned_capacity_below_consumption_warns_of_throttling() {
    let low = "    capacity_mode: provisioned\n    read_capacity: { units: 10 }\n    write_capacity: { units: 10 }\n";
    let e = run(&model(FLAT, 100.0, &table(low), ""));
    assert_eq!(e.diagnostics.len(), 2);
    assert!(e.diagnostics[0].message.contains("throttled"));
}

#[test]
fn a_calendar_month_has_its_real_hours() {
    let t = model_file::parse(
        &model(
            FLAT,
            100.0,
            &fargate("x86_64", "    desired_count: 2\n"),
            "",
        ),
        "t.yaml",
    )
    .unwrap();
    let prices = PriceBook::embedded(t.region).unwrap();
    let october = estimate(&t, &prices, &"2026-10".parse().unwrap()).unwrap();
    // October has 744 hours: 2 × 744 × 0.04937 = 73.46256.
    assert_usd(october.total_usd(), 2.0 * 744.0 * 0.04937);
}

#[test]
fn every_line_carries_its_price_source() {
    let e = run(&model(FLAT, 100.0, &format!("{API}{NAT}"), TEN_TB_TO_S3));
    for l in &e.lines {
        assert!(l.quantity > 0.0 && l.usd_per_unit > 0.0, "{l:?}");
        assert_eq!(
            l.price_source.book,
            "embedded snapshot us-east-1 (2026-10-08)"
        );
        assert!(!l.price_source.effective_date.is_empty());
    }
    let nat_hours = e
        .lines
        .iter()
        .find(|l| l.usage_type == "NatGateway-Hours")
        .unwrap();
    assert_eq!(
        nat_hours.price_source.sku.as_deref(),
        Some("M2YSHUBETB3JX4M4")
    );
}

#[test]
fn a_standard_ia_table_on_demand_is_priced() {
    // Regression: an on-demand Standard-IA table failed for want of IA-ReadRequestUnits and
    // IA-WriteRequestUnits prices.
    let ia = format!("{}    table_class: standard_ia\n", table(ON_DEMAND));
    let e = run(&model(FLAT, 100.0, &ia, ""));
    // 100 TPS × 3,600 × 730 = 262.8 M writes of 1 KB = 262.8 M WRU × 0.78 per million
    // = 204.984; 262.8 M eventually consistent reads = 131.4 M RRU × 0.155 per million
    // = 20.367; no storage.
    assert_usd(e.total_usd(), 204.984 + 20.367);
    assert!(
        e.lines
            .iter()
            .any(|l| l.usage_type == "IA-WriteRequestUnits")
    );
}

#[test]
fn one_nat_gateway_for_two_azs_charges_the_other_azs_crossing() {
    let flows = "flows:\n  - { from: api, to: internet, gb_per_month: 1000 }\n";
    let single = "  - id: nat\n    kind: nat_gateway\n    count: 1\n";
    let e = run(&model(FLAT, 100.0, &format!("{API}{single}"), flows));
    // 2 AZs, 1 gateway: the half of the api's 1,000 NAT-bound GB sent from the AZ without a
    // gateway crosses to the other AZ, charged out and in: 2 × 500 GB = 1,000 GB × 0.01 = 10.00,
    // on the sender's own line.
    let crossing: Vec<_> = e
        .lines
        .iter()
        .filter(|l| l.usage_type == "DataTransfer-Regional-Bytes")
        .collect();
    assert_eq!(crossing.len(), 1, "{:?}", e.lines);
    assert_eq!(crossing[0].component, "api");
    assert_usd(crossing[0].quantity, 1000.0);
    assert_usd(crossing[0].usd_per_month, 10.0);
    // The gateway itself: 1 × 730 h × 0.045 = 32.85, 1,000 GB × 0.045 = 45, its address
    // 730 h × 0.005 = 3.65.
    assert_usd(e.component_usd("nat"), 32.85 + 45.0 + 3.65);
    // One gateway per AZ: nothing crosses.
    let e = run(&model(FLAT, 100.0, &format!("{API}{NAT}"), flows));
    assert!(
        e.lines
            .iter()
            .all(|l| l.usage_type != "DataTransfer-Regional-Bytes")
    );
}

#[test]
fn a_flow_gives_its_inbound_bytes_and_only_the_sent_ones_leave_as_egress() {
    // The api sends 1,000 GB to the internet and downloads 4,000 GB back; 100 GB to another AZ
    // with 50 GB of answers.
    let flows = "flows:\n  - { from: api, to: internet, gb_per_month: 1000, inbound_gb_per_month: 4000 }\n  - { from: api, to: cross_az, gb_per_month: 100, inbound_gb_per_month: 50 }\n";
    let e = run(&model(FLAT, 100.0, &format!("{API}{NAT}"), flows));
    let usd = |usage_type: &str| -> f64 {
        e.lines
            .iter()
            .filter(|l| l.usage_type == usage_type)
            .map(|l| l.usd_per_month)
            .sum()
    };
    // The NAT processes both directions: (1,000 + 4,000) GB × 0.045 = 225.
    assert_usd(usd("NatGateway-Bytes"), 225.0);
    // Egress is what is sent: 1,000 GB × 0.09 = 90 (no free tier).
    assert_usd(usd("DataTransfer-Out-Bytes"), 90.0);
    // Across AZs both directions, each charged out and in: 2 × (100 + 50) = 300 GB × 0.01 = 3.
    assert_usd(usd("DataTransfer-Regional-Bytes"), 3.0);
    let both = "flows:\n  - { from: api, to: internet, gb_per_month: 1, inbound_gb_per_month: 1, inbound_bytes_per_request: 5 }\n";
    let err = model_file::parse(&model(FLAT, 100.0, &format!("{API}{NAT}"), both), "m.yaml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "expected at most one of `inbound_gb_per_month` or `inbound_bytes_per_request`"
        ),
        "{err}"
    );
}
