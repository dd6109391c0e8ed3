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
