//! `archcost rightsize`: the model's own recommendations, each priced by estimating the changed
//! model. Prices from the us-east-1 snapshot of 2026-10-08 (AWS Fargate pricing page):
//! x86 $0.04048 per vCPU-hour and $0.004445 per GB-hour; arm64 $0.03238 and $0.00356.

use archcost::ModelDocument;
use serde_json::Value;

use crate::util::*;

fn rightsize(s: &Sandbox, args: &[&str]) -> Value {
    let mut full = vec!["rightsize"];
    full.extend_from_slice(args);
    full.extend(["--format", "json"]);
    let run = s.run(&full);
    assert_machine_success(&run);
    json(&run)
}

/// The monthly total `archcost estimate` gives `model` with `variant` (a line `rightsize-1:
/// {…}` as rightsize printed it) pasted under `variants:`.
fn pasted_estimate(s: &Sandbox, model: &str, variant: &Value) -> f64 {
    let pasted = format!("{model}variants:\n  {}\n", variant.as_str().unwrap());
    s.write("pasted.yaml", &pasted);
    let run = s.run(&[
        "estimate",
        "pasted.yaml",
        "--variant",
        "rightsize-1",
        "--format",
        "json",
    ]);
    assert_success(&run);
    total(&json(&run))
}

#[test]
fn graviton_saves_the_difference_of_the_rates_over_the_task_hours() {
    // Two x86 tasks of 1 vCPU and 2 GB all month (730 h):
    //   x86   2 × 730 × (1 × 0.04048 + 2 × 0.004445) = 1460 × 0.04937 = 72.0802
    //   arm64 2 × 730 × (1 × 0.03238 + 2 × 0.00356)  = 1460 × 0.03950 = 57.6700
    //   saving 14.4102 a month, the one change the model can make.
    let s = Sandbox::new("rightsize-graviton");
    let components = "  - id: svc\n    kind: fargate_service\n    architecture: x86_64\n    vcpu: 1\n    memory_gb: 2\n    desired_count: 2\n";
    s.write("model.yaml", &model(FLAT, 100.0, components, ""));
    let d = rightsize(&s, &["model.yaml"]);
    let list = d["recommendations"].as_array().expect("a list");
    assert_eq!(list.len(), 1, "{d}");
    let r = &list[0];
    assert_eq!(r["component"], "svc");
    assert_eq!(r["change"], "graviton");
    assert_eq!(r["source"], "model");
    assert_usd(r["current_usd_per_month"].as_f64().unwrap(), 72.0802);
    assert_usd(r["saving_usd_per_month"].as_f64().unwrap(), 72.0802 - 57.67);
    assert_eq!(
        r["variant"],
        "rightsize-1: {patch: {svc: {architecture: arm64}}}"
    );
    // Below --min-saving it is not shown.
    let d = rightsize(&s, &["model.yaml", "--min-saving", "15"]);
    assert_eq!(d["recommendations"], serde_json::json!([]));
}

#[test]
fn an_interruptible_service_runs_its_tasks_beyond_one_on_spot() {
    // Four x86 tasks of 1 vCPU / 2 GB all month, marked interruptible (Spot: $0.01288871 per
    // vCPU-hour and $0.00141527 per GB-hour):
    //   on-demand 4 × 730 × (0.04048 + 2 × 0.004445) = 2,920 × 0.04937 = 144.1604
    //   one on-demand task 730 × 0.04937 = 36.0401, three on Spot 2,190 × (0.01288871 + 2 ×
    //   0.00141527) = 2,190 × 0.01571925 = 34.4251575: 70.4652575, saving 73.6951425;
    //   Graviton instead: 2,920 × (0.03238 + 2 × 0.00356) = 115.34, saving 28.8204.
    let s = Sandbox::new("rightsize-spot");
    let components = "  - id: workers\n    kind: fargate_service\n    vcpu: 1\n    memory_gb: 2\n    desired_count: 4\n    interruptible: true\n";
    s.write("model.yaml", &model(FLAT, 100.0, components, ""));
    let d = rightsize(&s, &["model.yaml"]);
    let list = d["recommendations"].as_array().expect("a list");
    assert_eq!(list.len(), 2, "{d}");
    assert_eq!(list[0]["change"], "fargate_spot");
    assert_usd(list[0]["current_usd_per_month"].as_f64().unwrap(), 144.1604);
    assert_usd(
        list[0]["saving_usd_per_month"].as_f64().unwrap(),
        73.6951425,
    );
    assert_eq!(
        list[0]["variant"],
        "rightsize-1: {patch: {workers: {capacity_provider_strategy: [{provider: FARGATE, base: 1, weight: 0}, {provider: FARGATE_SPOT, weight: 1}]}}}"
    );
    assert_eq!(list[1]["change"], "graviton");
    assert_usd(list[1]["saving_usd_per_month"].as_f64().unwrap(), 28.8204);
    // The variant, pasted, estimates to the same figure.
    assert_usd(
        pasted_estimate(&s, &model(FLAT, 100.0, components, ""), &list[0]["variant"]),
        70.4652575,
    );
}

#[test]
fn sidecars_that_round_the_task_up_are_fitted_into_the_applications_own_size() {
    // The reference API's shape: a 1 vCPU / 2 GB application plus the X-Ray daemon (32 CPU
    // units, 256 MiB) needs 1,056 units / 2,304 MiB, so each task is billed as 2 vCPU / 4 GB.
    // Three tasks all month:
    //   now    3 × 730 × (2 × 0.04048 + 4 × 0.004445) = 2,190 × 0.09874 = 216.2406
    //   fitted 2,190 × (1 × 0.04048 + 2 × 0.004445) = 2,190 × 0.04937 = 108.1203 (the
    //          application gets 1,024 − 32 = 992 units = 0.96875 vCPU and 2,048 − 256 = 1,792
    //          MiB = 1.75 GB), saving 108.1203;
    //   Graviton instead: 2,190 × (2 × 0.03238 + 4 × 0.00356) = 2,190 × 0.079 = 173.01,
    //          saving 43.2306.
    let s = Sandbox::new("rightsize-sidecars");
    let components = "  - id: api\n    kind: fargate_service\n    vcpu: 1\n    memory_gb: 2\n    sidecars:\n      - { name: xray-daemon, vcpu: 0.03125, memory_gb: 0.25 }\n    desired_count: 3\n";
    let yaml = model(FLAT, 100.0, components, "");
    s.write("model.yaml", &yaml);
    let d = rightsize(&s, &["model.yaml"]);
    let list = d["recommendations"].as_array().expect("a list");
    assert_eq!(list.len(), 2, "{d}");
    assert_eq!(list[0]["change"], "fit_sidecars");
    assert_usd(list[0]["current_usd_per_month"].as_f64().unwrap(), 216.2406);
    assert_usd(list[0]["saving_usd_per_month"].as_f64().unwrap(), 108.1203);
    assert_eq!(
        list[0]["variant"],
        "rightsize-1: {patch: {api: {vcpu: 0.96875, memory_gb: 1.75}}}"
    );
    assert_eq!(list[1]["change"], "graviton");
    assert_usd(list[1]["saving_usd_per_month"].as_f64().unwrap(), 43.2306);
    assert_usd(pasted_estimate(&s, &yaml, &list[0]["variant"]), 108.1203);
    // Beside sidecars the application's reservation need not be a task size, but it is whole
    // CPU units and MiB.
    s.write(
        "bad.yaml",
        &yaml.replace("    vcpu: 1\n", "    vcpu: 0.3\n"),
    );
    let run = s.run(&["estimate", "bad.yaml"]);
    assert_user_error(
        &run,
        "error: bad.yaml:12:11: field `components[0].vcpu`: 0.3 vCPU is not a container reservation; expected whole CPU units above 0",
        &[],
    );
}

#[test]
fn compute_optimizers_task_size_is_made_on_the_model_that_describes_the_service() {
    let co = fixture_path("compute-optimizer/ecs.json");
    // The model's `api` is Compute Optimizer's `prod/api` (2 vCPU / 4 GB → 1 vCPU / 2 GB; it
    // states 108.12 a month). Two tasks of 2 vCPU / 4 GB without sidecars, all month:
    //   now 2 × 730 × 0.09874 = 144.1604; resized 1,460 × 0.04937 = 72.0802, saving 72.0802,
    //   33% below Compute Optimizer's figure (it saw three tasks): flagged.
    let s = Sandbox::new("rightsize-co-model");
    let components = "  - id: api\n    kind: fargate_service\n    vcpu: 2\n    memory_gb: 4\n    desired_count: 2\n";
    let yaml = model(FLAT, 100.0, components, "");
    s.write("model.yaml", &yaml);
    let d = rightsize(&s, &["model.yaml", "--from-file", &co]);
    let api = d["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["change"] == "task_size")
        .unwrap_or_else(|| panic!("{d:#}"));
    assert_eq!(api["source"], "both");
    assert_eq!(api["component"], "api");
    assert_usd(api["saving_usd_per_month"].as_f64().unwrap(), 72.0802);
    assert_eq!(api["compute_optimizer_saving_usd_per_month"], 108.12);
    assert_eq!(api["flagged"], true);
    assert!(
        api["evidence"]
            .as_str()
            .unwrap()
            .contains("the model's tasks hour by hour"),
        "{api}"
    );
    let variant = api["variant"].as_str().unwrap().to_string();
    assert!(
        variant.ends_with("{patch: {api: {vcpu: 1, memory_gb: 2}}}"),
        "{variant}"
    );
    assert_usd(
        pasted_estimate(
            &s,
            &yaml,
            &Value::from(variant.replacen(
                &variant[..variant.find(':').unwrap()],
                "rightsize-1",
                1,
            )),
        ),
        72.0802,
    );
    // Compute Optimizer's item for that service is not listed twice; it names the component.
    assert!(
        !d["recommendations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["resource"]
                .as_str()
                .is_some_and(|x| x.ends_with("service/prod/api"))),
        "{d:#}"
    );
    let finding = d["compute_optimizer"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["resource"]
                .as_str()
                .unwrap()
                .ends_with("service/prod/api")
        })
        .unwrap();
    assert_eq!(finding["component"], "api");
    // With the X-Ray sidecar and three tasks, Compute Optimizer's size is the model's own
    // sidecar fit: one item from both sources, 2,190 × 0.04937 = 108.1203 against its 108.12.
    let components = "  - id: api\n    kind: fargate_service\n    vcpu: 1\n    memory_gb: 2\n    sidecars:\n      - { name: xray-daemon, vcpu: 0.03125, memory_gb: 0.25 }\n    desired_count: 3\n";
    s.write("sidecar.yaml", &model(FLAT, 100.0, components, ""));
    let d = rightsize(&s, &["sidecar.yaml", "--from-file", &co]);
    let first = &d["recommendations"][0];
    assert_eq!(first["change"], "fit_sidecars", "{d:#}");
    assert_eq!(first["source"], "both");
    assert_usd(first["saving_usd_per_month"].as_f64().unwrap(), 108.1203);
    assert_eq!(first["flagged"], false);
    assert_eq!(
        d["recommendations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["component"] == "api" && r["change"] != "graviton")
            .count(),
        1,
        "{d:#}"
    );
}

#[test]
fn ec2_instances_move_to_their_graviton_twin_or_are_listed_unpriced() {
    // Two m6i.large all month at 0.096 an hour: 2 × 730 × 0.096 = 140.16; as m6g.large at
    // 0.077: 2 × 730 × 0.077 = 112.42; saving 27.74.
    let s = Sandbox::new("rightsize-ec2");
    let app = |class: &str| {
        format!("  - id: app\n    kind: ec2_instances\n    instance_type: {class}\n    count: 2\n")
    };
    s.write("model.yaml", &model(FLAT, 100.0, &app("m6i.large"), ""));
    let d = rightsize(&s, &["model.yaml"]);
    let r = &d["recommendations"][0];
    assert_eq!(r["change"], "graviton_class", "{d}");
    assert_usd(r["current_usd_per_month"].as_f64().unwrap(), 140.16);
    assert_usd(r["saving_usd_per_month"].as_f64().unwrap(), 140.16 - 112.42);
    assert_eq!(
        r["variant"],
        "rightsize-1: {patch: {app: {instance_type: m6g.large}}}"
    );
    // The snapshot has no m6g.xlarge: the twin of m6i.xlarge is listed unpriced (its saving
    // null, never 0), with what is missing, and still shown under --min-saving.
    s.write("xlarge.yaml", &model(FLAT, 100.0, &app("m6i.xlarge"), ""));
    let d = rightsize(&s, &["xlarge.yaml", "--min-saving", "10"]);
    let r = &d["recommendations"][0];
    assert_eq!(r["change"], "graviton_class", "{d}");
    assert_eq!(r["unpriced"], true);
    assert!(r["saving_usd_per_month"].is_null(), "{d}");
    assert!(
        r["evidence"].as_str().unwrap().contains("m6g.xlarge"),
        "{d}"
    );
    let run = s.run(&["rightsize", "xlarge.yaml"]);
    assert_success(&run);
    assert!(run.stdout.contains("unpriced"), "{}", run.stdout);
}

#[test]
fn dynamodb_capacity_mode_past_its_break_even_either_way() {
    // 100 RCU and 100 WCU provisioned all month for 1 TPS of one eventual read and one write
    // of 1 KB (prices of 2026-10-08, no Free Tier):
    //   provisioned 100 × 730 × 0.00013 + 100 × 730 × 0.00065 = 9.49 + 47.45 = 56.94
    //   on-demand   1 × 3,600 × 730 = 2,628,000 transactions: 1,314,000 RRU × 0.000000125
    //               + 2,628,000 WRU × 0.000000625 = 0.16425 + 1.6425 = 1.80675
    //   saving 55.13325 a month.
    let s = Sandbox::new("rightsize-dynamodb");
    let table = |mode: &str| {
        format!(
            "  - id: sessions\n    kind: dynamodb_table\n    item_size_kb: 1\n    reads_per_transaction: 1\n    writes_per_transaction: 1\n    read_consistency: eventual\n    storage_gb: 0\n{mode}"
        )
    };
    let provisioned = table(
        "    capacity_mode: provisioned\n    read_capacity: { units: 100 }\n    write_capacity: { units: 100 }\n",
    );
    s.write("model.yaml", &model(FLAT, 1.0, &provisioned, ""));
    let d = rightsize(&s, &["model.yaml"]);
    let r = &d["recommendations"][0];
    assert_eq!(r["change"], "dynamodb_on_demand", "{d}");
    assert_usd(r["current_usd_per_month"].as_f64().unwrap(), 56.94);
    assert_usd(r["saving_usd_per_month"].as_f64().unwrap(), 56.94 - 1.80675);
    assert_eq!(
        r["variant"],
        "rightsize-1: {patch: {sessions: {capacity_mode: on_demand, read_capacity: null, write_capacity: null}}}"
    );
    // At 100 TPS the same table is cheaper provisioned: on-demand would cost 180.675 (16.425
    // for reads, 164.25 for writes) against 56.94, and nothing is recommended.
    s.write("busy.yaml", &model(FLAT, 100.0, &provisioned, ""));
    let d = rightsize(&s, &["busy.yaml"]);
    assert_eq!(d["recommendations"], serde_json::json!([]), "{d}");
    // And an on-demand table at 100 TPS goes provisioned, auto-scaled at 70%: reads consume
    // 50 RCU/s → 50 / 0.7 = 71.4 → 72 RCU × 730 h = 52,560 × 0.00013 = 6.8328; writes 100 WCU/s
    // → 142.9 → 143 × 730 = 104,390 × 0.00065 = 67.8535; 74.6863 against 180.675 on demand.
    s.write(
        "on-demand.yaml",
        &model(FLAT, 100.0, &table("    capacity_mode: on_demand\n"), ""),
    );
    let d = rightsize(&s, &["on-demand.yaml"]);
    let r = &d["recommendations"][0];
    assert_eq!(r["change"], "dynamodb_provisioned", "{d}");
    assert_usd(r["current_usd_per_month"].as_f64().unwrap(), 180.675);
    assert_usd(
        r["saving_usd_per_month"].as_f64().unwrap(),
        180.675 - 74.6863,
    );
    assert_eq!(
        r["variant"],
        "rightsize-1: {patch: {sessions: {capacity_mode: provisioned, read_capacity: {min: 1, max: 40000, target_utilization_percent: 70}, write_capacity: {min: 1, max: 40000, target_utilization_percent: 70}}}}"
    );
    // The variant, pasted, estimates to the same saving.
    let on_demand = model(FLAT, 100.0, &table("    capacity_mode: on_demand\n"), "");
    assert_usd(pasted_estimate(&s, &on_demand, &r["variant"]), 74.6863);
}

#[test]
fn auto_scaling_minimums_far_above_the_load_are_lowered_to_the_quietest_hour() {
    // DynamoDB at a flat 10 TPS of one eventual 1 KB read (0.5 unit) and no write: 5 read
    // units a second need ⌈5 / 0.7⌉ = 8 units at the 70% target, writes need none (1 unit, the
    // least a table takes). Minimums 100 (reads) and 5 (writes) are at least twice that:
    //   now     100 × 730 × 0.00013 + 5 × 730 × 0.00065 = 9.49 + 2.3725 = 11.8625
    //   lowered   8 × 730 × 0.00013 + 1 × 730 × 0.00065 = 0.7592 + 0.4745 = 1.2337
    //   saving 10.6288; on-demand instead: 10 × 3,600 × 730 × 0.5 RRU × 0.000000125 = 1.6425,
    //   saving 10.22, second.
    let s = Sandbox::new("rightsize-minimums");
    let table = "  - id: sessions\n    kind: dynamodb_table\n    item_size_kb: 1\n    reads_per_transaction: 1\n    writes_per_transaction: 0\n    read_consistency: eventual\n    storage_gb: 0\n    capacity_mode: provisioned\n    read_capacity: { min: 100, max: 200, target_utilization_percent: 70 }\n    write_capacity: { min: 5, max: 10, target_utilization_percent: 70 }\n";
    let yaml = model(FLAT, 10.0, table, "");
    s.write("model.yaml", &yaml);
    let d = rightsize(&s, &["model.yaml"]);
    let list = d["recommendations"].as_array().unwrap();
    assert_eq!(list[0]["change"], "dynamodb_min_capacity", "{d:#}");
    assert_usd(list[0]["current_usd_per_month"].as_f64().unwrap(), 11.8625);
    assert_usd(list[0]["saving_usd_per_month"].as_f64().unwrap(), 10.6288);
    assert_eq!(
        list[0]["variant"],
        "rightsize-1: {patch: {sessions: {read_capacity: {min: 8}, write_capacity: {min: 1}}}}"
    );
    assert_eq!(
        list[0]["evidence"],
        "read min 100 units; the quietest hour needs 8 and the busiest 8 at 70%; write min 5 units; the quietest hour needs 1 and the busiest 0 at 70%"
    );
    assert_usd(pasted_estimate(&s, &yaml, &list[0]["variant"]), 1.2337);
    assert_eq!(list[1]["change"], "dynamodb_on_demand");
    assert_usd(list[1]["saving_usd_per_month"].as_f64().unwrap(), 10.22);

    // Aurora at a flat 1,000 TPS, all reads on the readers, 1,000 read TPS per reader at full
    // CPU and a 50% target: ⌈1,000 / 500⌉ = 2 readers every hour, against a minimum of 3. One
    // reader fewer all month: 730 × 0.26 (db.r6g.large, Aurora Standard) = 189.80.
    let readers = "{ instance_class: db.r6g.large, min: 3, max: 5, target_cpu_percent: 50, read_tps_per_reader_at_full_cpu: 1000, read_share: 1.0 }";
    let cluster = format!(
        "  - id: db\n    kind: aurora_postgresql\n    writer: {{ instance_class: db.r6g.large }}\n    readers: {readers}\n    storage_gb: 0\n    io_requests_per_transaction: 0\n"
    );
    let yaml = model(FLAT, 1000.0, &cluster, "");
    s.write("aurora.yaml", &yaml);
    let d = rightsize(&s, &["aurora.yaml"]);
    let r = &d["recommendations"][0];
    assert_eq!(r["change"], "aurora_min_readers", "{d:#}");
    assert_usd(r["saving_usd_per_month"].as_f64().unwrap(), 189.8);
    assert_eq!(
        r["variant"],
        "rightsize-1: {patch: {db: {readers: {min: 2}}}}"
    );
    assert_eq!(
        r["evidence"],
        "min 3 readers; the quietest hour needs 2 and the busiest 2 at 50% reader CPU (1,000 read TPS each at full CPU)"
    );
    let total = d["total_usd_per_month"].as_f64().unwrap();
    assert_usd(pasted_estimate(&s, &yaml, &r["variant"]), total - 189.8);
}

#[test]
fn a_standard_bucket_whose_data_ages_moves_to_intelligent_tiering() {
    // 12,000 GB in S3 Standard, written evenly over 12 months (360 days), 10% of the data older
    // than 30 days still read, 1 MB objects, no growth or requests:
    //   now: 12,000 × 0.023 = 276.00
    //   Intelligent-Tiering: 1/12 of the data is under 30 days, 1/6 is 30–90 days, 3/4 older;
    //     Frequent Access 12,000 × (1/12 + (1/6 + 3/4) × 0.1) = 2,100 × 0.023 = 48.30
    //     Infrequent      12,000 × 1/6 × 0.9 = 1,800 × 0.0125 = 22.50
    //     Archive Instant 12,000 × 3/4 × 0.9 = 8,100 × 0.004 = 32.40
    //     monitoring 12,000 × 1,024 = 12,288,000 objects × 0.0000025 = 30.72
    //   = 133.92, saving 142.08.
    let s = Sandbox::new("rightsize-s3-int");
    let bucket = |access: &str| {
        format!(
            "  - id: archive\n    kind: s3_bucket\n    storage_class: standard\n    stored_gb: 12000\n    growth_gb_per_month: 0\n    average_object_size_kb: 1024\n{access}    put_requests_per_month: 0\n    get_requests_per_month: 0\n"
        )
    };
    let yaml = model(
        FLAT,
        100.0,
        &bucket("    access_model: { data_age_months: 12, accessed_after_30_days_percent: 10 }\n"),
        "",
    );
    s.write("model.yaml", &yaml);
    let d = rightsize(&s, &["model.yaml"]);
    let r = &d["recommendations"][0];
    assert_eq!(r["change"], "intelligent_tiering", "{d:#}");
    assert_usd(r["current_usd_per_month"].as_f64().unwrap(), 276.0);
    assert_usd(r["saving_usd_per_month"].as_f64().unwrap(), 142.08);
    assert_eq!(
        r["variant"],
        "rightsize-1: {patch: {archive: {storage_class: intelligent_tiering}}}"
    );
    assert_eq!(
        r["evidence"],
        "12,000 GB stored, written over 12 months; 10% of the data older than 30 days is still read"
    );
    assert_usd(pasted_estimate(&s, &yaml, &r["variant"]), 133.92);
    // Without an access model the model says nothing of how the data ages: nothing to weigh.
    s.write("plain.yaml", &model(FLAT, 100.0, &bucket(""), ""));
    let d = rightsize(&s, &["plain.yaml"]);
    assert_eq!(d["recommendations"], serde_json::json!([]), "{d:#}");
}

#[test]
fn s3_bytes_through_the_nat_gateway_get_a_gateway_endpoint() {
    // One 0.25 vCPU / 0.5 GB x86 task sends 10,240 GB a month to S3 through the NAT gateways:
    //   the endpoint (free) saves their processing, 10,240 × 0.045 = 460.80;
    //   Graviton for the task saves 730 × (0.25 × (0.04048 − 0.03238) + 0.5 × (0.004445 −
    //   0.00356)) = 730 × 0.0024675 = 1.801275.
    let s = Sandbox::new("rightsize-endpoint");
    let components = "  - id: api\n    kind: fargate_service\n    vcpu: 0.25\n    memory_gb: 0.5\n    desired_count: 1\n  - id: nat\n    kind: nat_gateway\n";
    let flows = "flows:\n  - { from: api, to: s3, gb_per_month: 10240 }\n";
    s.write("model.yaml", &model(FLAT, 100.0, components, flows));
    let d = rightsize(&s, &["model.yaml"]);
    let list = d["recommendations"].as_array().expect("a list");
    assert_eq!(list.len(), 2, "{d}");
    assert_eq!(list[0]["change"], "gateway_endpoint");
    assert_usd(list[0]["saving_usd_per_month"].as_f64().unwrap(), 460.80);
    assert_eq!(
        list[0]["variant"],
        "rightsize-1: {add: [{id: s3-endpoint, kind: vpc_endpoint, endpoint_type: gateway, service: s3}]}"
    );
    assert_eq!(
        list[0]["evidence"],
        "10,240 GB a month of s3 through the NAT gateway at 0.045 per GB; a gateway endpoint is free"
    );
    assert_eq!(list[1]["change"], "graviton");
    assert_usd(list[1]["saving_usd_per_month"].as_f64().unwrap(), 1.801275);
}

#[test]
fn an_interface_endpoint_is_recommended_past_its_break_even_only() {
    // CloudWatch Logs traffic through the NAT gateways (two AZs). An interface endpoint costs
    // 2 AZs × 730 h × 0.01 = 14.60 a month plus 0.01 per GB, against the NAT's 0.045 per GB:
    // it pays above 14.60 ÷ (0.045 − 0.01) = 417.14 GB. At 1,000 GB it saves
    // 1,000 × 0.045 − (14.60 + 1,000 × 0.01) = 45 − 24.60 = 20.40; at 300 GB it would lose
    // 14.60 − 300 × 0.035 = 4.10 and is not listed.
    let s = Sandbox::new("rightsize-interface");
    let components = "  - id: api\n    kind: fargate_service\n    architecture: arm64\n    vcpu: 0.25\n    memory_gb: 0.5\n    desired_count: 1\n  - id: nat\n    kind: nat_gateway\n";
    let flows = |gb: u32| format!("flows:\n  - {{ from: api, to: logs, gb_per_month: {gb} }}\n");
    s.write("model.yaml", &model(FLAT, 100.0, components, &flows(1000)));
    let d = rightsize(&s, &["model.yaml"]);
    let list = d["recommendations"].as_array().expect("a list");
    assert_eq!(list.len(), 1, "{d}");
    assert_eq!(list[0]["change"], "interface_endpoint");
    assert_usd(list[0]["saving_usd_per_month"].as_f64().unwrap(), 20.40);
    assert_eq!(
        list[0]["evidence"],
        "1,000 GB a month of logs through the NAT gateway; an interface endpoint pays above 417.14 GB = 1,460 endpoint-hours × 0.01 ÷ (0.045 − 0.01 per GB)"
    );
    s.write("small.yaml", &model(FLAT, 100.0, components, &flows(300)));
    let d = rightsize(&s, &["small.yaml"]);
    assert_eq!(d["recommendations"], serde_json::json!([]), "{d}");
}

#[test]
fn each_saving_equals_the_estimate_of_its_pasted_variant() {
    // The reference model: each recommendation's variant, pasted under `variants:`, estimates
    // to the model's total minus the saving; the list is largest saving first.
    let s = Sandbox::new("rightsize-reference");
    let path = reference_model_path();
    let d = rightsize(&s, &[path.to_str().unwrap()]);
    let list = d["recommendations"].as_array().expect("a list");
    assert!(list.len() >= 3, "{d}");
    let text = std::fs::read_to_string(&path).expect("the reference model");
    let mut pasted = text.clone();
    let lines: Vec<String> = list
        .iter()
        .map(|r| format!("  {}\n", r["variant"].as_str().unwrap()))
        .collect();
    pasted = pasted.replacen("variants:\n", &format!("variants:\n{}", lines.concat()), 1);
    let doc = ModelDocument::parse(&pasted, "pasted.yaml").expect("the pasted variants parse");
    let prices = archcost::PriceBook::embedded(archcost::units::Region::UsEast1).expect("prices");
    let period = archcost::BillingPeriod::standard_month();
    let base = archcost::estimate(&doc.topology(None, &[]).unwrap(), &prices, &period)
        .unwrap()
        .total_usd();
    assert_usd(d["total_usd_per_month"].as_f64().unwrap(), base);
    let mut previous = f64::INFINITY;
    for (i, r) in list.iter().enumerate() {
        let name = format!("rightsize-{}", i + 1);
        let changed =
            archcost::estimate(&doc.topology(Some(&name), &[]).unwrap(), &prices, &period)
                .unwrap()
                .total_usd();
        let saving = r["saving_usd_per_month"].as_f64().unwrap();
        assert_usd(base - changed, saving);
        assert!(saving > 0.0 && saving <= previous, "{d}");
        previous = saving;
    }
    let changes: Vec<&str> = list.iter().map(|r| r["change"].as_str().unwrap()).collect();
    assert!(
        changes.contains(&"graviton") && changes.contains(&"aurora_io_optimized"),
        "{changes:?}"
    );
}

#[test]
fn with_actuals_the_month_is_theirs_and_the_bills_nat_bytes_are_evidence() {
    // The reconcile fixture is a Cost Explorer response for October 2026 (31 × 24 = 744 hours)
    // with 1,200 GB of NatGateway-Bytes. The reference model's CloudWatch Logs endpoint then
    // runs 2 AZs × 744 = 1,488 endpoint-hours, and the bill's bytes stand beside the model's.
    let s = Sandbox::new("rightsize-actuals");
    let ce = fixture_path("reconcile/ce.json");
    let reference = reference_model_path().display().to_string();
    let d = rightsize(&s, &[&reference, "--actuals", &ce]);
    let endpoint = d["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["change"] == "interface_endpoint")
        .unwrap_or_else(|| panic!("{d:#}"));
    let evidence = endpoint["evidence"].as_str().unwrap();
    assert!(
        evidence.contains("= 1,488 endpoint-hours × 0.01"),
        "{evidence}"
    );
    assert!(
        evidence.contains("the bill's NatGateway-Bytes for 2026-10: 1,200 GB (the model: "),
        "{evidence}"
    );
}

#[test]
fn a_negative_minimum_saving_is_refused() {
    let s = Sandbox::new("rightsize-bad");
    let path = reference_model_path();
    let run = s.run(&["rightsize", path.to_str().unwrap(), "--min-saving=-5"]);
    assert_user_error(&run, "error: --min-saving: `-5` is not an amount", &["USD"]);
}
