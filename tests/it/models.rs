//! The shipped models: the reference model covers every component of the reference
//! architecture (the FinTech platform of the design document, each component checked below),
//! carries the required tags, and the provisioned baseline differs from it only by the
//! provisioning levers.

use archcost::services::aurora::{AuroraCapacity, ReaderCount};
use archcost::services::dynamodb::{CapacityMode, ProvisionedCapacity};
use archcost::services::fargate::TaskCount;
use archcost::services::s3::StorageClass;
use archcost::services::vpc_endpoint::EndpointType;
use archcost::topology::{Component, ComponentKind, ComponentSpec, Topology};
use archcost::vocabulary::network::AwsService;
use archcost::{BillingPeriod, PriceBook, estimate, model_file};

fn load(name: &str) -> Topology {
    model_file::load(format!("models/{name}.yaml").as_ref()).expect("model loads")
}

fn any(t: &Topology, pred: impl Fn(&Component) -> bool) -> bool {
    t.components().iter().any(pred)
}

fn kind(t: &Topology, k: ComponentKind) -> bool {
    any(t, |c| c.spec.kind() == k)
}

/// One check per row of the "Components and their cost drivers" table.
#[test]
fn the_reference_model_has_every_component_of_the_reference_architecture() {
    let t = load("fintech-global-platform");
    let rows: Vec<(&str, bool)> = vec![
        (
            "edge: CloudFront",
            kind(&t, ComponentKind::CloudFrontDistribution),
        ),
        ("edge: AWS WAF", kind(&t, ComponentKind::WafWebAcl)),
        (
            "public: Application Load Balancer",
            kind(&t, ComponentKind::ApplicationLoadBalancer),
        ),
        ("public: NAT Gateways", kind(&t, ComponentKind::NatGateway)),
        (
            "app: ECS Fargate API service with target tracking",
            any(
                &t,
                |c| matches!(&c.spec, ComponentSpec::FargateService(f) if matches!(f.count(), TaskCount::TargetTracking(tt) if tt.target_cpu_percent == 70.0)),
            ),
        ),
        (
            "app: X-Ray sidecar on the API tasks",
            any(
                &t,
                |c| matches!(&c.spec, ComponentSpec::FargateService(f) if f.has_sidecar("xray-daemon")),
            ),
        ),
        (
            "app: background workers on Fargate Spot",
            any(
                &t,
                |c| matches!(&c.spec, ComponentSpec::FargateService(f) if f.uses_spot()),
            ),
        ),
        (
            "data: Aurora PostgreSQL with auto-scaled readers",
            any(
                &t,
                |c| matches!(&c.spec, ComponentSpec::AuroraPostgresql(a) if matches!(a.capacity, AuroraCapacity::Provisioned { readers: ReaderCount::AutoScaling(r), .. } if r.max_readers == 5)),
            ),
        ),
        (
            "data: ElastiCache Redis multi-AZ",
            any(
                &t,
                |c| matches!(&c.spec, ComponentSpec::ElastiCacheCluster(e) if e.multi_az_failover),
            ),
        ),
        (
            "data: DynamoDB sessions, provisioned auto scaling 5–100",
            any(
                &t,
                |c| matches!(&c.spec, ComponentSpec::DynamoDbTable(d) if matches!(d.capacity_mode, CapacityMode::Provisioned { read: ProvisionedCapacity::AutoScaling { min_units, max_units, .. }, .. } if min_units == 5.0 && max_units == 100.0)),
            ),
        ),
        (
            "network: S3 gateway endpoint",
            any(
                &t,
                |c| matches!(&c.spec, ComponentSpec::VpcEndpoint(e) if e.service == AwsService::S3 && e.endpoint_type == EndpointType::Gateway),
            ),
        ),
        (
            "network: DynamoDB gateway endpoint",
            any(
                &t,
                |c| matches!(&c.spec, ComponentSpec::VpcEndpoint(e) if e.service == AwsService::DynamoDb && e.endpoint_type == EndpointType::Gateway),
            ),
        ),
        (
            "network: ECR interface endpoints",
            any(
                &t,
                |c| matches!(&c.spec, ComponentSpec::VpcEndpoint(e) if e.service == AwsService::EcrDkr && e.endpoint_type == EndpointType::Interface),
            ),
        ),
        ("ops: CloudWatch", kind(&t, ComponentKind::CloudWatch)),
        ("ops: X-Ray traces", kind(&t, ComponentKind::XRay)),
        (
            "ops: Secrets Manager",
            kind(&t, ComponentKind::SecretsManager),
        ),
        ("ops: KMS", kind(&t, ComponentKind::KmsKeys)),
        (
            "storage: S3 Intelligent-Tiering",
            any(
                &t,
                |c| matches!(&c.spec, ComponentSpec::S3Bucket(b) if b.storage_class == StorageClass::IntelligentTiering),
            ),
        ),
        (
            "governance: CloudTrail",
            kind(&t, ComponentKind::CloudTrail),
        ),
        ("governance: AWS Config", kind(&t, ComponentKind::AwsConfig)),
    ];
    let missing: Vec<&str> = rows
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(row, _)| *row)
        .collect();
    assert!(missing.is_empty(), "the reference model lacks: {missing:?}");
}

#[test]
fn every_shipped_component_carries_the_required_cost_allocation_tags() {
    for name in [
        "fintech-global-platform",
        "fintech-provisioned-baseline",
        "fintech-aurora-serverless-v2",
        "fintech-single-nat",
        "fintech-graviton",
    ] {
        for c in load(name).components() {
            for tag in ["CostCenter", "Environment", "Owner"] {
                assert!(
                    c.tags.contains_key(tag),
                    "{name}: `{}` lacks tag {tag}",
                    c.id
                );
            }
        }
    }
}

#[test]
fn the_baseline_is_provisioned_for_peak() {
    let t = load("fintech-provisioned-baseline");
    assert!(
        !kind(&t, ComponentKind::VpcEndpoint),
        "no endpoints: everything through NAT"
    );
    assert!(!any(
        &t,
        |c| matches!(&c.spec, ComponentSpec::FargateService(f) if f.uses_spot())
    ));
    assert!(!any(
        &t,
        |c| matches!(&c.spec, ComponentSpec::FargateService(f) if matches!(f.count(), TaskCount::TargetTracking(_)))
    ));
    assert!(!any(
        &t,
        |c| matches!(&c.spec, ComponentSpec::S3Bucket(b) if b.storage_class != StorageClass::Standard)
    ));
    let prices = PriceBook::embedded(t.region).unwrap();
    let period = BillingPeriod::standard_month();
    let baseline = estimate(&t, &prices, &period).unwrap();
    let reference = estimate(&load("fintech-global-platform"), &prices, &period).unwrap();
    // The levers only ever remove cost: the baseline costs more in total and for the levered
    // components, and the same for the components no lever touches.
    assert!(baseline.total_usd() > reference.total_usd());
    for id in [
        "api",
        "workers",
        "ledger-db",
        "sessions",
        "nat",
        "compliance-bucket",
    ] {
        assert!(
            baseline.component_usd(id) > reference.component_usd(id),
            "{id}"
        );
    }
    for id in ["cdn", "waf", "alb", "cache", "monitoring", "tracing"] {
        assert_eq!(
            baseline.component_usd(id),
            reference.component_usd(id),
            "{id}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The model file's JSON Schema (`archcost schema`, kept in schema/model.schema.json).
// ---------------------------------------------------------------------------------------------

/// A YAML tree as JSON, scalars typed as YAML 1.2's core schema types them.
fn yaml_to_json(node: &marked_yaml::Node) -> serde_json::Value {
    use serde_json::Value;
    match node {
        marked_yaml::Node::Mapping(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.as_str().to_string(), yaml_to_json(v)))
                .collect(),
        ),
        marked_yaml::Node::Sequence(s) => Value::Array(s.iter().map(yaml_to_json).collect()),
        marked_yaml::Node::Scalar(s) => {
            let t = s.as_str();
            if let Ok(i) = t.parse::<i64>() {
                Value::from(i)
            } else if let Ok(f) = t.parse::<f64>() {
                Value::from(f)
            } else {
                match t {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" | "~" => Value::Null,
                    _ => Value::from(t),
                }
            }
        }
    }
}

/// Checks `v` against the subset of JSON Schema the generated schema uses; the problems, with
/// their paths.
fn violations(schema: &serde_json::Value, v: &serde_json::Value, path: &str) -> Vec<String> {
    use serde_json::Value;
    let mut out = Vec::new();
    if let Some(c) = schema.get("const")
        && c != v
    {
        out.push(format!("{path}: expected {c}, found {v}"));
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        out.push(format!("{path}: {v} is not one of {e:?}"));
    }
    let type_ok = |t: &str| match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        _ => false,
    };
    match schema.get("type") {
        Some(Value::String(t)) if !type_ok(t) => out.push(format!("{path}: {v} is not {t}")),
        Some(Value::Array(ts)) if !ts.iter().filter_map(Value::as_str).any(type_ok) => {
            out.push(format!("{path}: {v} is none of {ts:?}"))
        }
        _ => {}
    }
    if let (Some(min), Some(x)) = (schema.get("minimum").and_then(Value::as_f64), v.as_f64())
        && x < min
    {
        out.push(format!("{path}: {x} is below {min}"));
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let fitting = options
                .iter()
                .filter(|o| violations(o, v, path).is_empty())
                .count();
            if fitting == 0 || (key == "oneOf" && fitting > 1) {
                out.push(format!("{path}: {fitting} of the {key} branches fit {v}"));
            }
        }
    }
    if let Some(obj) = v.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !obj.contains_key(r) {
                out.push(format!("{path}: missing `{r}`"));
            }
        }
        for (k, val) in obj {
            match (
                properties.and_then(|p| p.get(k)),
                schema.get("additionalProperties"),
            ) {
                (Some(s), _) => out.extend(violations(s, val, &format!("{path}.{k}"))),
                (None, Some(Value::Bool(false)))
                    if properties.is_some()
                        || schema.get("type") == Some(&Value::from("object")) =>
                {
                    out.push(format!("{path}: unknown field `{k}`"))
                }
                (None, Some(s @ Value::Object(_))) => {
                    out.extend(violations(s, val, &format!("{path}.{k}")))
                }
                _ => {}
            }
        }
    }
    if let (Some(items), Some(a)) = (schema.get("items"), v.as_array()) {
        for (i, x) in a.iter().enumerate() {
            out.extend(violations(items, x, &format!("{path}[{i}]")));
        }
    }
    out
}

#[test]
fn the_kept_schema_is_the_one_archcost_prints() {
    let kept = std::fs::read_to_string("schema/model.schema.json").unwrap();
    let printed =
        serde_json::to_string_pretty(&archcost::model_file::schema::model_schema()).unwrap() + "\n";
    assert!(
        kept == printed,
        "schema/model.schema.json is stale: run `archcost schema > schema/model.schema.json`"
    );
}

#[test]
fn every_shipped_model_validates_against_the_schema_and_names_it() {
    let schema = archcost::model_file::schema::model_schema();
    for entry in std::fs::read_dir("models").unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schema/model.schema.json\n"),
            "{}: the first line names the schema for editors",
            path.display()
        );
        let node = marked_yaml::parse_yaml(0, &text).unwrap();
        let problems = violations(&schema, &yaml_to_json(&node), "");
        assert!(problems.is_empty(), "{}: {problems:#?}", path.display());
    }
    // And the schema rejects what the parser rejects.
    let bad = serde_json::json!({
        "schema_version": 1, "name": "x", "region": "us-east-1", "availability_zones": 2,
        "workload": { "peak_tps": 1, "profile": { "weekly": [1] } },
        "components": [ { "id": "q", "kind": "sqs_queue", "queue_type": "priority",
                          "messages_per_transaction": 1, "message_size_kb": 1 } ]
    });
    let problems = violations(&schema, &bad, "");
    assert!(!problems.is_empty());
}
