//! The architecture as archcost sees it once a model file is validated: region, AZs, workload,
//! components and traffic flows. Pure data; `topology_file` builds it from YAML.

use std::collections::BTreeMap;
use std::fmt;

use crate::routing::{self, RoutePath};
use crate::services::aurora::AuroraCluster;
use crate::services::cloudfront::Distribution;
use crate::services::cloudtrail::Trail;
use crate::services::cloudwatch::Monitoring;
use crate::services::config::Recorder;
use crate::services::dynamodb::DynamoDbTable;
use crate::services::ec2::Instances;
use crate::services::elasticache::CacheCluster;
use crate::services::fargate::FargateService;
use crate::services::kms::Keys;
use crate::services::load_balancer::LoadBalancer;
use crate::services::nat_gateway::NatGateway;
use crate::services::rds::Database;
use crate::services::s3::Bucket;
use crate::services::secrets_manager::Secrets;
use crate::services::vpc_endpoint::{AwsService, VpcEndpoint};
use crate::services::waf::WebAcl;
use crate::services::xray::Tracing;
use crate::units::Region;
use crate::workload::Workload;

/// Where something was declared in a model file, for error messages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct SourceLocation {
    /// The model file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Where each field of a model file is, by field path (`components[2].vcpu`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    file: String,
    entries: BTreeMap<String, SourceEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct SourceEntry {
    line: usize,
    column: usize,
    scalar: Option<String>,
}

impl SourceMap {
    /// An empty map for `file`.
    pub fn new(file: &str) -> Self {
        SourceMap {
            file: file.to_string(),
            entries: BTreeMap::new(),
        }
    }

    /// Records where a field is, and its text when it is a scalar.
    pub fn insert(&mut self, path: String, line: usize, column: usize, scalar: Option<String>) {
        self.entries.insert(
            path,
            SourceEntry {
                line,
                column,
                scalar,
            },
        );
    }

    /// The file.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Where a field is; for a field that is absent, where its nearest enclosing field is.
    pub fn locate(&self, path: &str) -> Option<SourceLocation> {
        let mut p = path;
        loop {
            if let Some(e) = self.entries.get(p) {
                return Some(SourceLocation {
                    file: self.file.clone(),
                    line: e.line,
                    column: e.column,
                });
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => {
                    return self.entries.get("").map(|e| SourceLocation {
                        file: self.file.clone(),
                        line: e.line,
                        column: e.column,
                    });
                }
            }
        }
    }

    /// The field paths whose value starts on a line.
    pub fn paths_on_line(&self, line: usize) -> Vec<String> {
        self.entries
            .iter()
            .filter(|(_, e)| e.line == line)
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// The text of a scalar field, as written.
    pub fn scalar(&self, path: &str) -> Option<&str> {
        self.entries.get(path).and_then(|e| e.scalar.as_deref())
    }
}

/// A validated architecture.
#[derive(Debug, Clone)]
pub struct Topology {
    /// Model name.
    pub name: String,
    /// The region everything runs in.
    pub region: Region,
    /// Number of availability zones used.
    pub availability_zones: u32,
    /// Platform load.
    pub workload: Workload,
    /// Whether AWS Free Tier allowances (always-free, once per account or organization) apply.
    pub free_tier: bool,
    /// The saving over provisioned infrastructure the design's documentation claims, percent.
    pub claimed_savings_percent: Option<f64>,
    /// Components, in file order; ids are unique.
    pub components: Vec<Component>,
    /// Traffic flows, in file order; every `from` and component `to` names a component.
    pub flows: Vec<Flow>,
    /// Where each field was written (empty for topologies built in code).
    pub source: SourceMap,
}

/// One priced component.
#[derive(Debug, Clone)]
pub struct Component {
    /// Unique id within the model.
    pub id: String,
    /// Cost-allocation tags.
    pub tags: BTreeMap<String, String>,
    /// Resource tags that pick this component's lines out of a bill shared with other
    /// components of the same usage type (e.g. `aws:ecs:serviceName: api`).
    pub match_tags: BTreeMap<String, String>,
    /// What it is and how it is configured.
    pub spec: ComponentSpec,
    /// Where it was declared.
    pub origin: Option<SourceLocation>,
}

/// The kinds of component archcost prices.
#[derive(Debug, Clone)]
pub enum ComponentSpec {
    /// An ECS service on Fargate / Fargate Spot.
    FargateService(FargateService),
    /// An Aurora PostgreSQL cluster.
    AuroraPostgresql(AuroraCluster),
    /// NAT gateways (one per AZ unless set).
    NatGateway(NatGateway),
    /// A gateway or interface VPC endpoint.
    VpcEndpoint(VpcEndpoint),
    /// A DynamoDB table.
    DynamoDbTable(DynamoDbTable),
    /// An Application Load Balancer.
    LoadBalancer(LoadBalancer),
    /// A CloudFront distribution.
    CloudFront(Distribution),
    /// An AWS WAF web ACL.
    Waf(WebAcl),
    /// An ElastiCache (Redis OSS / Valkey) cluster.
    ElastiCache(CacheCluster),
    /// An S3 bucket.
    S3Bucket(Bucket),
    /// CloudWatch logs, metrics, alarms and dashboards.
    CloudWatch(Monitoring),
    /// X-Ray tracing.
    XRay(Tracing),
    /// Secrets Manager secrets.
    SecretsManager(Secrets),
    /// KMS customer-managed keys.
    Kms(Keys),
    /// CloudTrail trails.
    CloudTrail(Trail),
    /// The AWS Config recorder and rules.
    Config(Recorder),
    /// EC2 instances with EBS volumes.
    Ec2Instances(Instances),
    /// RDS for PostgreSQL.
    RdsPostgresql(Database),
}

impl ComponentSpec {
    /// The `kind` keyword used in model files.
    pub fn kind(&self) -> ComponentKind {
        match self {
            ComponentSpec::FargateService(_) => ComponentKind::FargateService,
            ComponentSpec::AuroraPostgresql(_) => ComponentKind::AuroraPostgresql,
            ComponentSpec::NatGateway(_) => ComponentKind::NatGateway,
            ComponentSpec::VpcEndpoint(_) => ComponentKind::VpcEndpoint,
            ComponentSpec::DynamoDbTable(_) => ComponentKind::DynamoDbTable,
            ComponentSpec::LoadBalancer(_) => ComponentKind::ApplicationLoadBalancer,
            ComponentSpec::CloudFront(_) => ComponentKind::CloudFrontDistribution,
            ComponentSpec::Waf(_) => ComponentKind::WafWebAcl,
            ComponentSpec::ElastiCache(_) => ComponentKind::ElastiCacheCluster,
            ComponentSpec::S3Bucket(_) => ComponentKind::S3Bucket,
            ComponentSpec::CloudWatch(_) => ComponentKind::CloudWatch,
            ComponentSpec::XRay(_) => ComponentKind::XRay,
            ComponentSpec::SecretsManager(_) => ComponentKind::SecretsManager,
            ComponentSpec::Kms(_) => ComponentKind::KmsKeys,
            ComponentSpec::CloudTrail(_) => ComponentKind::CloudTrail,
            ComponentSpec::Config(_) => ComponentKind::AwsConfig,
            ComponentSpec::Ec2Instances(_) => ComponentKind::Ec2Instances,
            ComponentSpec::RdsPostgresql(_) => ComponentKind::RdsPostgresql,
        }
    }
}

/// The closed list of component kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ComponentKind {
    /// `fargate_service`
    FargateService,
    /// `aurora_postgresql`
    AuroraPostgresql,
    /// `nat_gateway`
    NatGateway,
    /// `vpc_endpoint`
    VpcEndpoint,
    /// `dynamodb_table`
    DynamoDbTable,
    /// `application_load_balancer`
    ApplicationLoadBalancer,
    /// `cloudfront_distribution`
    CloudFrontDistribution,
    /// `waf_web_acl`
    WafWebAcl,
    /// `elasticache_cluster`
    ElastiCacheCluster,
    /// `s3_bucket`
    S3Bucket,
    /// `cloudwatch`
    CloudWatch,
    /// `xray`
    XRay,
    /// `secrets_manager`
    SecretsManager,
    /// `kms_keys`
    KmsKeys,
    /// `cloudtrail`
    CloudTrail,
    /// `aws_config`
    AwsConfig,
    /// `ec2_instances`
    Ec2Instances,
    /// `rds_postgresql`
    RdsPostgresql,
}

impl ComponentKind {
    /// Every kind.
    pub const ALL: [ComponentKind; 18] = [
        ComponentKind::FargateService,
        ComponentKind::AuroraPostgresql,
        ComponentKind::NatGateway,
        ComponentKind::VpcEndpoint,
        ComponentKind::DynamoDbTable,
        ComponentKind::ApplicationLoadBalancer,
        ComponentKind::CloudFrontDistribution,
        ComponentKind::WafWebAcl,
        ComponentKind::ElastiCacheCluster,
        ComponentKind::S3Bucket,
        ComponentKind::CloudWatch,
        ComponentKind::XRay,
        ComponentKind::SecretsManager,
        ComponentKind::KmsKeys,
        ComponentKind::CloudTrail,
        ComponentKind::AwsConfig,
        ComponentKind::Ec2Instances,
        ComponentKind::RdsPostgresql,
    ];

    /// The keyword in model files.
    pub fn keyword(self) -> &'static str {
        match self {
            ComponentKind::FargateService => "fargate_service",
            ComponentKind::AuroraPostgresql => "aurora_postgresql",
            ComponentKind::NatGateway => "nat_gateway",
            ComponentKind::VpcEndpoint => "vpc_endpoint",
            ComponentKind::DynamoDbTable => "dynamodb_table",
            ComponentKind::ApplicationLoadBalancer => "application_load_balancer",
            ComponentKind::CloudFrontDistribution => "cloudfront_distribution",
            ComponentKind::WafWebAcl => "waf_web_acl",
            ComponentKind::ElastiCacheCluster => "elasticache_cluster",
            ComponentKind::S3Bucket => "s3_bucket",
            ComponentKind::CloudWatch => "cloudwatch",
            ComponentKind::XRay => "xray",
            ComponentKind::SecretsManager => "secrets_manager",
            ComponentKind::KmsKeys => "kms_keys",
            ComponentKind::CloudTrail => "cloudtrail",
            ComponentKind::AwsConfig => "aws_config",
            ComponentKind::Ec2Instances => "ec2_instances",
            ComponentKind::RdsPostgresql => "rds_postgresql",
        }
    }

    /// Whether components of this kind send traffic of their own (and so may start a flow).
    pub fn originates_traffic(self) -> bool {
        match self {
            ComponentKind::FargateService
            | ComponentKind::AuroraPostgresql
            | ComponentKind::DynamoDbTable
            | ComponentKind::ElastiCacheCluster
            | ComponentKind::S3Bucket
            | ComponentKind::Ec2Instances
            | ComponentKind::RdsPostgresql => true,
            ComponentKind::NatGateway
            | ComponentKind::VpcEndpoint
            | ComponentKind::ApplicationLoadBalancer
            | ComponentKind::CloudFrontDistribution
            | ComponentKind::WafWebAcl
            | ComponentKind::CloudWatch
            | ComponentKind::XRay
            | ComponentKind::SecretsManager
            | ComponentKind::KmsKeys
            | ComponentKind::CloudTrail
            | ComponentKind::AwsConfig => false,
        }
    }
}

/// Traffic from a component to a destination.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// Id of the sending component.
    pub from: String,
    /// Where the bytes go.
    pub to: Destination,
    /// How much.
    pub volume: FlowVolume,
}

/// Where a flow goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// An AWS service reached over its regional endpoint (S3, DynamoDB, CloudWatch Logs, …).
    Service(AwsService),
    /// ECR image pulls: the layers are served from S3, so they route like S3 traffic.
    EcrImageLayers,
    /// The public internet.
    Internet,
    /// Another availability zone of the same region.
    CrossAz,
    /// Another component of the model (same AZ, no charge).
    Component(String),
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Destination::Service(s) => f.write_str(s.keyword()),
            Destination::EcrImageLayers => f.write_str("ecr"),
            Destination::Internet => f.write_str("internet"),
            Destination::CrossAz => f.write_str("cross_az"),
            Destination::Component(id) => f.write_str(id),
        }
    }
}

/// How much data a flow carries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FlowVolume {
    /// A fixed amount per month (spread evenly over the hours).
    GbPerMonth(f64),
    /// An amount per platform transaction (follows load).
    BytesPerRequest(f64),
}

/// A problem with one field of a topology, before it is placed in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// Path of the field, e.g. `flows[2].to`.
    pub path: String,
    /// What is wrong and what is expected.
    pub message: String,
}

impl Topology {
    /// Checks the rules that span several components: unique ids, flows naming components that
    /// exist and may send traffic, and every flow having a route.
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, c) in self.components.iter().enumerate() {
            if !c
                .id
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || "-_.:".contains(ch))
            {
                return Err(FieldError {
                    path: format!("components[{i}].id"),
                    message: format!(
                        "`{}` is not an id; expected letters, digits, '-', '_', '.' or ':'",
                        c.id.escape_default()
                    ),
                });
            }
            if let Some(first) = seen.insert(&c.id, i) {
                return Err(FieldError {
                    path: format!("components[{i}].id"),
                    message: format!(
                        "duplicate component id `{}` (first used by components[{first}]); expected ids to be unique",
                        c.id
                    ),
                });
            }
        }
        for (i, flow) in self.flows.iter().enumerate() {
            match self.component(&flow.from) {
                None => {
                    return Err(FieldError {
                        path: format!("flows[{i}].from"),
                        message: format!(
                            "unknown component `{}`; expected one of the component ids: {}",
                            flow.from,
                            self.component_ids()
                        ),
                    });
                }
                Some(c) if !c.spec.kind().originates_traffic() => {
                    return Err(FieldError {
                        path: format!("flows[{i}].from"),
                        message: format!(
                            "`{}` is a {} and does not originate traffic; expected the component that sends the bytes",
                            flow.from,
                            c.spec.kind().keyword()
                        ),
                    });
                }
                Some(_) => {}
            }
            if let Destination::Component(to) = &flow.to
                && self.component(to).is_none()
            {
                return Err(FieldError {
                    path: format!("flows[{i}].to"),
                    message: format!(
                        "unknown destination `{to}`; expected internet, cross_az, an AWS service ({}) or one of the component ids: {}",
                        AwsService::keywords(),
                        self.component_ids()
                    ),
                });
            }
        }
        self.routes().map(|_| ())
    }

    /// The route each flow takes, in flow order.
    pub fn routes(&self) -> Result<Vec<RoutePath>, FieldError> {
        routing::route_all(self)
    }

    /// The component with this id.
    pub fn component(&self, id: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.id == id)
    }

    fn component_ids(&self) -> String {
        self.components
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
