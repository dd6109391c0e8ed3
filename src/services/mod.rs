//! One module per AWS service, and the one list that registers them.
//!
//! A service module holds everything archcost knows about its service: the settings as written
//! in a model file (a serde struct, `deny_unknown_fields`) and their defaults and validation,
//! the metering of hourly load into usage types exactly as AWS bills them, the savings levers
//! it answers to, which model field calibration may scale for each usage type, and how a bill's
//! charge description names its usage types. [`Service`] is the contract; `services!`
//! (invoked once, below) turns the list of services into [`ComponentKind`], [`ComponentSpec`]
//! and every dispatch on them, so a forgotten step fails to compile or fails a unit test.
//!
//! Metering does not price: `engine::estimate` prices each usage type's account-wide total
//! through its tiers afterwards.

pub mod aurora;
pub mod cloudfront;
pub mod cloudtrail;
pub mod cloudwatch;
pub mod config;
pub mod data_transfer;
pub mod dynamodb;
pub mod ec2;
pub mod elasticache;
pub mod fargate;
pub mod kms;
pub mod load_balancer;
pub mod nat_gateway;
pub mod public_ipv4;
pub mod rds;
pub mod s3;
pub mod secrets_manager;
pub mod sqs;
pub mod vpc_endpoint;
pub mod waf;
pub mod xray;

use std::fmt;

use serde::de::DeserializeOwned;

use crate::vocabulary::calendar::BillingPeriod;
use crate::vocabulary::fields::FieldError;
use crate::vocabulary::network::{AwsService, RoutedTraffic};
use crate::vocabulary::units::{PriceKey, Region, ServiceCode, Unit};
use vpc_endpoint::EndpointType;

/// What services need to know besides their own configuration.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The region (decides usage-type prefixes).
    pub region: Region,
    /// Availability zones of the topology.
    pub availability_zones: u32,
    /// The billing period.
    pub period: &'a BillingPeriod,
    /// Platform transactions per second in each hour of the period.
    pub tps: &'a [f64],
    /// Routed traffic flows.
    pub traffic: &'a RoutedTraffic,
}

impl Context<'_> {
    /// Hours in the period, as a quantity.
    pub fn hours(&self) -> f64 {
        self.period.hours() as f64
    }

    /// Transactions over the whole period.
    pub fn transactions(&self) -> f64 {
        self.tps.iter().map(|t| t * 3600.0).sum()
    }
}

/// A metered quantity, before pricing.
#[derive(Debug, Clone, PartialEq)]
pub struct Usage {
    /// The component it belongs to.
    pub component: String,
    /// What AWS bills it under.
    pub key: PriceKey,
    /// The unit of `quantity`.
    pub unit: Unit,
    /// Quantity over the period.
    pub quantity: f64,
    /// What the quantity is, in words.
    pub description: String,
    /// Which model field the billed quantity calibrates.
    pub calibrates: Calibrates,
    /// The quantity in each hour of the period, for usage a Savings Plan may cover (on-demand
    /// compute); `None` for the rest.
    pub hourly: Option<Vec<f64>>,
}

impl Usage {
    /// A usage line for `component`.
    pub fn new(
        component: &str,
        key: PriceKey,
        unit: Unit,
        quantity: f64,
        description: impl Into<String>,
    ) -> Self {
        Usage {
            component: component.to_string(),
            key,
            unit,
            quantity,
            description: description.into(),
            calibrates: Calibrates::None,
            hourly: None,
        }
    }

    /// The same usage with its quantity hour by hour (they sum to its quantity): usage a
    /// Savings Plan may cover.
    pub fn hourly(self, hourly: Vec<f64>) -> Self {
        Usage {
            hourly: Some(hourly),
            ..self
        }
    }

    /// The same usage, saying which model field its billed quantity calibrates.
    pub fn calibrates(self, calibrates: Calibrates) -> Self {
        Usage { calibrates, ..self }
    }
}

/// Something the reader of an estimate should know that is not a priced line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The component it concerns.
    pub component: String,
    /// Warning or note.
    pub severity: Severity,
    /// The message.
    pub message: String,
}

/// How much a diagnostic matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The configuration cannot serve the workload as modeled (capacity short, throttling).
    Warning,
    /// Information, such as traffic carried free of charge.
    Note,
}

/// Collects usage and diagnostics from the services.
#[derive(Debug, Default)]
pub struct Meter {
    /// Usage lines.
    pub usage: Vec<Usage>,
    /// Diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

impl Meter {
    /// Adds a usage line, dropping zero quantities.
    pub fn add(&mut self, usage: Usage) {
        if usage.quantity > 0.0 {
            self.usage.push(usage);
        }
    }

    /// Adds a diagnostic.
    pub fn diagnose(&mut self, component: &str, severity: Severity, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            component: component.to_string(),
            severity,
            message: message.into(),
        });
    }
}

/// A design decision that saves against provisioning for peak. Each service says which levers
/// it uses and what its provisioned replacement is ([`Service::provisioned`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lever {
    /// Capacity that follows load instead of being sized for the peak hour.
    AutoScaling,
    /// Fargate Spot instead of on-demand.
    FargateSpot,
    /// Gateway and interface endpoints instead of NAT processing.
    VpcEndpoints,
    /// S3 Intelligent-Tiering instead of S3 Standard.
    S3IntelligentTiering,
    /// DynamoDB on-demand or auto-scaled instead of provisioned for peak.
    DynamoDbCapacity,
}

impl Lever {
    /// Every lever.
    pub const ALL: [Lever; 5] = [
        Lever::AutoScaling,
        Lever::FargateSpot,
        Lever::VpcEndpoints,
        Lever::S3IntelligentTiering,
        Lever::DynamoDbCapacity,
    ];

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Lever::AutoScaling => "auto_scaling",
            Lever::FargateSpot => "fargate_spot",
            Lever::VpcEndpoints => "vpc_endpoints",
            Lever::S3IntelligentTiering => "s3_intelligent_tiering",
            Lever::DynamoDbCapacity => "dynamodb_capacity",
        }
    }
}

/// Utilization at which an on-demand DynamoDB table's provisioned twin serves its peak.
pub const TWIN_DYNAMODB_UTILIZATION_PERCENT: f64 = 70.0;

/// A component's provisioned replacement under a lever.
#[derive(Debug, Clone, PartialEq)]
pub enum Twin<S> {
    /// The component, provisioned instead.
    Replace(S),
    /// No component at all (its traffic takes the provisioned path).
    Remove,
}

impl<S> Twin<S> {
    /// Maps the replacement.
    pub fn map<T>(self, f: impl FnOnce(S) -> T) -> Twin<T> {
        match self {
            Twin::Replace(s) => Twin::Replace(f(s)),
            Twin::Remove => Twin::Remove,
        }
    }
}

/// A change to one component that may cost less, for `archcost rightsize`: the component as
/// changed, and the same change as the model file writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative<S> {
    /// What the change is.
    pub change: Change,
    /// The component with the change made.
    pub replacement: S,
    /// The change as a merge patch of the component's fields (`field`, YAML value; `null`
    /// removes the field): what a variant's `patch:` says.
    pub patch: Vec<(&'static str, String)>,
    /// What the change risks or needs beyond the price.
    pub risk: &'static str,
    /// The figures that call for it, when the load does (`read min 50 units; the quietest
    /// hour needs 3`).
    pub evidence: Option<String>,
}

/// The changes `archcost rightsize` tries, each priced by estimating the changed model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Graviton (arm64) instead of x86.
    Graviton,
    /// An instance class's Graviton twin (`m6i.large` → `m6g.large`).
    GravitonClass,
    /// Fargate Spot for the tasks of an interruptible service beyond one.
    FargateSpot,
    /// A Fargate application fitted, with its sidecars, into the task size it asks for alone.
    FitSidecars,
    /// A DynamoDB auto-scaling minimum lowered to what the quietest hour needs.
    DynamoDbMinCapacity,
    /// An Aurora reader auto-scaling minimum lowered to what the quietest hour needs.
    AuroraMinReaders,
    /// S3 Intelligent-Tiering for a Standard bucket whose data ages.
    IntelligentTiering,
    /// The task size Compute Optimizer recommends.
    TaskSize,
    /// DynamoDB on-demand instead of provisioned capacity.
    DynamoDbOnDemand,
    /// DynamoDB auto-scaled provisioned capacity instead of on-demand.
    DynamoDbProvisioned,
    /// Aurora I/O-Optimized instead of Standard storage.
    AuroraIoOptimized,
    /// Aurora Standard instead of I/O-Optimized storage.
    AuroraStandard,
    /// A gateway endpoint for S3 or DynamoDB traffic that crosses the NAT gateway.
    GatewayEndpoint,
    /// An interface endpoint for a service's traffic that crosses the NAT gateway.
    InterfaceEndpoint,
}

impl Change {
    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Change::Graviton => "graviton",
            Change::GravitonClass => "graviton_class",
            Change::FargateSpot => "fargate_spot",
            Change::FitSidecars => "fit_sidecars",
            Change::DynamoDbMinCapacity => "dynamodb_min_capacity",
            Change::AuroraMinReaders => "aurora_min_readers",
            Change::IntelligentTiering => "intelligent_tiering",
            Change::TaskSize => "task_size",
            Change::DynamoDbOnDemand => "dynamodb_on_demand",
            Change::DynamoDbProvisioned => "dynamodb_provisioned",
            Change::AuroraIoOptimized => "aurora_io_optimized",
            Change::AuroraStandard => "aurora_standard",
            Change::GatewayEndpoint => "gateway_endpoint",
            Change::InterfaceEndpoint => "interface_endpoint",
        }
    }

    /// What it is, in a sentence's words.
    pub fn description(self) -> &'static str {
        match self {
            Change::Graviton => "run on Graviton (arm64)",
            Change::GravitonClass => "move to the instance class's Graviton twin",
            Change::FargateSpot => "run the tasks beyond one on Fargate Spot",
            Change::FitSidecars => {
                "fit the application and its sidecars into the task size it asks for alone"
            }
            Change::TaskSize => "resize the tasks as Compute Optimizer recommends",
            Change::DynamoDbMinCapacity => {
                "lower the auto-scaling minimum to what the quietest hour needs"
            }
            Change::IntelligentTiering => {
                "store the bucket in S3 Intelligent-Tiering, which moves data no longer read to cheaper tiers"
            }
            Change::AuroraMinReaders => {
                "lower the reader auto-scaling minimum to what the quietest hour needs (one at least, for failover)"
            }
            Change::DynamoDbOnDemand => "switch the table to on-demand capacity",
            Change::DynamoDbProvisioned => {
                "switch the table to provisioned capacity, auto-scaled at 70% utilization"
            }
            Change::AuroraIoOptimized => "switch the cluster to I/O-Optimized storage",
            Change::AuroraStandard => "switch the cluster to Standard storage",
            Change::GatewayEndpoint => "add a gateway endpoint for its traffic through NAT",
            Change::InterfaceEndpoint => "add an interface endpoint for its traffic through NAT",
        }
    }
}

/// What a component is to the VPC's routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkRole {
    /// The NAT gateway(s) of the VPC.
    NatGateway,
    /// A VPC endpoint for a service.
    Endpoint {
        /// The service it reaches.
        service: AwsService,
        /// Gateway or interface.
        endpoint_type: EndpointType,
    },
}

/// Which model field the billed quantity of a usage line calibrates: the service that builds a
/// usage type says so, so calibration never matches usage types by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calibrates {
    /// Nothing in the model scales this line alone.
    None,
    /// A field of the component (path relative to it), scaled by actual ÷ model.
    Field(&'static str),
    /// A count field of the component, scaled by actual ÷ model, rounded, at least 1.
    Count(&'static str),
    /// A throughput field of the component, scaled by model ÷ actual.
    Throughput(&'static str),
    /// The volumes of the flows this NAT gateway processes (not those to the internet, which
    /// follow the egress line).
    NatFlows,
    /// The volumes of the component's flows to the internet.
    InternetFlows,
}

/// Everything a service module provides. Implemented once per AWS service and registered in
/// `services!`; every dispatch on components goes through it.
pub trait Service: Clone + fmt::Debug + Sized {
    /// The `kind` keyword in model files (`fargate_service`).
    const KIND: &'static str;
    /// Whether components of this kind send traffic of their own (may start a flow).
    const ORIGINATES_TRAFFIC: bool;
    /// The usage types the service bills, without their region prefix (`*` ends a family:
    /// `BoxUsage:*`), for `archcost kinds`; a test checks metering builds no other.
    const USAGE_TYPES: &'static [&'static str];
    /// The settings as written in a model file, beside `id`, `kind`, `tags` and `match_tags`.
    type Settings: DeserializeOwned + SettingsSchema;

    /// Validates settings into the service, applying its defaults. Errors name the field
    /// relative to the component.
    fn from_settings(settings: Self::Settings) -> Result<Self, FieldError>;

    /// Meters the component's usage over the period into `out`.
    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter);

    /// The provisioned replacement under `lever`, or `None` when the component does not use
    /// that lever. `tps_by_hour` is the platform load in each hour of the period.
    fn provisioned(&self, lever: Lever, tps_by_hour: &[f64]) -> Option<Twin<Self>>;

    /// Changes that may cost less (`archcost rightsize` prices each by estimating the changed
    /// model and keeps those that save), given the platform load in each hour of the period.
    /// None by default.
    fn alternatives(&self, _tps_by_hour: &[f64]) -> Vec<Alternative<Self>> {
        Vec::new()
    }

    /// What the component is to the VPC's routing, if anything.
    fn network_role(&self) -> Option<NetworkRole> {
        None
    }

    /// The usage type a bill line of this service stands for, from its charge description
    /// (lower case), for FOCUS exports without `x_UsageType`.
    fn usage_type_for_description(_description: &str, _region: Region) -> Option<String> {
        None
    }
}

/// Settings that can describe themselves as a JSON Schema (with the `schema` feature).
#[cfg(feature = "schema")]
pub trait SettingsSchema: schemars::JsonSchema {}
#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema> SettingsSchema for T {}
/// Settings that can describe themselves as a JSON Schema (with the `schema` feature).
#[cfg(not(feature = "schema"))]
pub trait SettingsSchema {}
#[cfg(not(feature = "schema"))]
impl<T> SettingsSchema for T {}

/// Reads a component's settings from a model file, for [`ComponentKind::decode`].
pub trait SettingsDecoder {
    /// The decoder's error (positioned in the file).
    type Error;
    /// Deserializes the component's settings.
    fn settings<T: DeserializeOwned>(&self) -> Result<T, Self::Error>;
    /// Places a validation error about one of the settings.
    fn invalid(&self, error: FieldError) -> Self::Error;
}

/// Registers the services: generates [`ComponentKind`] (with `ALL` and its keywords) and
/// [`ComponentSpec`], and dispatches decoding, metering, levers and routing roles to each
/// service's [`Service`] implementation.
macro_rules! services {
    ($($(#[$doc:meta])* $kind:ident($service:ty),)+) => {
        /// The closed list of component kinds (one per registered service).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub enum ComponentKind {
            $($(#[$doc])* $kind,)+
        }

        /// A component's validated configuration: one variant per registered service.
        #[derive(Debug, Clone)]
        pub enum ComponentSpec {
            $($(#[$doc])* $kind($service),)+
        }

        impl ComponentKind {
            /// Every kind, in registration order.
            pub const ALL: &'static [ComponentKind] = &[$(ComponentKind::$kind,)+];

            /// The keyword in model files.
            pub fn keyword(self) -> &'static str {
                match self {
                    $(ComponentKind::$kind => <$service as Service>::KIND,)+
                }
            }

            /// The kind with a keyword.
            pub fn from_keyword(keyword: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.keyword() == keyword)
            }

            /// The usage types the kind bills, without their region prefix (`*` ends a family).
            pub fn usage_types(self) -> &'static [&'static str] {
                match self {
                    $(ComponentKind::$kind => <$service as Service>::USAGE_TYPES,)+
                }
            }

            /// Whether components of this kind send traffic of their own (may start a flow).
            pub fn originates_traffic(self) -> bool {
                match self {
                    $(ComponentKind::$kind => <$service as Service>::ORIGINATES_TRAFFIC,)+
                }
            }

            /// Decodes and validates a component's settings into its spec.
            pub fn decode<D: SettingsDecoder>(self, decoder: &D) -> Result<ComponentSpec, D::Error> {
                match self {
                    $(ComponentKind::$kind => {
                        let settings = decoder.settings::<<$service as Service>::Settings>()?;
                        <$service as Service>::from_settings(settings)
                            .map(ComponentSpec::$kind)
                            .map_err(|e| decoder.invalid(e))
                    })+
                }
            }

            /// The usage type a bill's charge description stands for, asking each service.
            pub fn usage_type_for_description(description: &str, region: Region) -> Option<String> {
                let description = description.to_ascii_lowercase();
                None$(.or_else(|| <$service as Service>::usage_type_for_description(&description, region)))+
            }

            /// The JSON Schema of the kind's settings.
            #[cfg(feature = "schema")]
            pub fn settings_schema(self, generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                match self {
                    $(ComponentKind::$kind => generator.root_schema_for::<<$service as Service>::Settings>(),)+
                }
            }

            /// The Rust type behind the kind, for the registration test.
            #[cfg(test)]
            fn type_name(self) -> &'static str {
                match self {
                    $(ComponentKind::$kind => std::any::type_name::<$service>(),)+
                }
            }
        }

        impl ComponentSpec {
            /// Its kind.
            pub fn kind(&self) -> ComponentKind {
                match self {
                    $(ComponentSpec::$kind(_) => ComponentKind::$kind,)+
                }
            }

            /// Meters the component.
            pub fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
                match self {
                    $(ComponentSpec::$kind(s) => s.meter(id, ctx, out),)+
                }
            }

            /// The provisioned replacement under a lever, or `None` when the component does not
            /// use it.
            pub fn provisioned(&self, lever: Lever, tps_by_hour: &[f64]) -> Option<Twin<ComponentSpec>> {
                match self {
                    $(ComponentSpec::$kind(s) => s
                        .provisioned(lever, tps_by_hour)
                        .map(|t| t.map(ComponentSpec::$kind)),)+
                }
            }

            /// Changes that may cost less, given the platform load in each hour.
            pub fn alternatives(&self, tps_by_hour: &[f64]) -> Vec<Alternative<ComponentSpec>> {
                match self {
                    $(ComponentSpec::$kind(s) => s
                        .alternatives(tps_by_hour)
                        .into_iter()
                        .map(|a| Alternative {
                            change: a.change,
                            replacement: ComponentSpec::$kind(a.replacement),
                            patch: a.patch,
                            risk: a.risk,
                            evidence: a.evidence,
                        })
                        .collect(),)+
                }
            }

            /// What the component is to the VPC's routing.
            pub fn network_role(&self) -> Option<NetworkRole> {
                match self {
                    $(ComponentSpec::$kind(s) => s.network_role(),)+
                }
            }
        }
    };
}

services! {
    /// `fargate_service`: an ECS service on Fargate / Fargate Spot.
    FargateService(fargate::FargateService),
    /// `aurora_postgresql`: an Aurora PostgreSQL cluster.
    AuroraPostgresql(aurora::AuroraCluster),
    /// `nat_gateway`: NAT gateways (one per AZ unless set).
    NatGateway(nat_gateway::NatGateway),
    /// `vpc_endpoint`: a gateway or interface VPC endpoint.
    VpcEndpoint(vpc_endpoint::VpcEndpoint),
    /// `dynamodb_table`: a DynamoDB table.
    DynamoDbTable(dynamodb::DynamoDbTable),
    /// `application_load_balancer`: an Application Load Balancer.
    ApplicationLoadBalancer(load_balancer::LoadBalancer),
    /// `cloudfront_distribution`: a CloudFront distribution.
    CloudFrontDistribution(cloudfront::Distribution),
    /// `waf_web_acl`: an AWS WAF web ACL.
    WafWebAcl(waf::WebAcl),
    /// `elasticache_cluster`: an ElastiCache (Redis OSS / Valkey) cluster.
    ElastiCacheCluster(elasticache::CacheCluster),
    /// `s3_bucket`: an S3 bucket.
    S3Bucket(s3::Bucket),
    /// `cloudwatch`: CloudWatch logs, metrics, alarms and dashboards.
    CloudWatch(cloudwatch::Monitoring),
    /// `xray`: X-Ray tracing.
    XRay(xray::Tracing),
    /// `secrets_manager`: Secrets Manager secrets.
    SecretsManager(secrets_manager::Secrets),
    /// `kms_keys`: KMS customer-managed keys.
    KmsKeys(kms::Keys),
    /// `cloudtrail`: CloudTrail trails.
    CloudTrail(cloudtrail::Trail),
    /// `aws_config`: the AWS Config recorder and rules.
    AwsConfig(config::Recorder),
    /// `ec2_instances`: EC2 instances with EBS volumes.
    Ec2Instances(ec2::Instances),
    /// `rds_postgresql`: RDS for PostgreSQL.
    RdsPostgresql(rds::Database),
    /// `sqs_queue`: an SQS standard or FIFO queue.
    SqsQueue(sqs::Queue),
}

/// A price key for a service, usage type and optional operation.
pub(crate) fn key(service: ServiceCode, usage_type: String, operation: Option<&str>) -> PriceKey {
    PriceKey {
        service_code: service,
        usage_type,
        operation: operation.map(str::to_string),
    }
}

/// How target tracking trails a fall in load: it scales in only once its low alarm has held
/// (and a cooldown has passed), so the previous hour's capacity keeps running, and is billed,
/// for part of the hour in which load falls. Modelled hour by hour: in an hour whose settled
/// capacity is below the previous hour's, the previous level runs for `lag_minutes` and the new
/// one for the rest. Scale-out lag (a few minutes of too little capacity) is left out: it would
/// only lower the estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScaleIn {
    /// Minutes the previous level keeps running after load falls.
    pub lag_minutes: f64,
}

impl ScaleIn {
    /// ECS service auto scaling and Aurora Replica auto scaling (Application Auto Scaling target
    /// tracking): the scale-in alarm target tracking creates needs 15 one-minute data points
    /// below target ("15 datapoints within 15 minutes"), then the scale-in cooldown runs, 300
    /// seconds by default for ECS services and Aurora DB clusters (Application Auto Scaling API
    /// reference, `TargetTrackingScalingPolicyConfiguration.ScaleInCooldown`): 20 minutes.
    pub const APPLICATION_AUTO_SCALING: ScaleIn = ScaleIn { lag_minutes: 20.0 };

    /// EC2 Auto Scaling target tracking: the same 15-minute scale-in alarm, no scale-in
    /// cooldown.
    pub const EC2_AUTO_SCALING: ScaleIn = ScaleIn { lag_minutes: 15.0 };

    /// DynamoDB auto scaling: scales in after 15 consecutive minutes below target (the DynamoDB
    /// developer guide: "a scale down event can occur when 15 consecutive data points are lower
    /// than the target utilization"; the AWS Knowledge Center: 20 points below it), and keeps
    /// its capacity while consumption stays within 20 points of the target (see
    /// [`ScaleIn::DYNAMODB_HYSTERESIS_POINTS`]). Its quota of 27 decreases a day (4 in the first
    /// hour, then 1 an hour) never binds at one change an hour.
    pub const DYNAMODB: ScaleIn = ScaleIn { lag_minutes: 15.0 };

    /// Percentage points below the target utilization DynamoDB consumption must fall before
    /// auto scaling scales in (target 70% → below 50%).
    pub const DYNAMODB_HYSTERESIS_POINTS: f64 = 20.0;

    /// The capacity billed each hour from the capacity target tracking settles at each hour.
    /// The first hour has no previous hour and is billed as settled.
    pub fn billed(&self, settled: &[f64]) -> Vec<f64> {
        let f = (self.lag_minutes / 60.0).clamp(0.0, 1.0);
        settled
            .iter()
            .enumerate()
            .map(|(h, &now)| match h.checked_sub(1).map(|p| settled[p]) {
                Some(prev) if now < prev => f * prev + (1.0 - f) * now,
                _ => now,
            })
            .collect()
    }
}

/// Target tracking on average CPU utilization: ECS service auto scaling, EC2 Auto Scaling.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetTracking {
    /// Fewest tasks or instances.
    pub min: u32,
    /// Most tasks or instances.
    pub max: u32,
    /// Target average CPU utilization, percent (e.g. 70).
    pub target_cpu_percent: f64,
    /// Transactions per second one task or instance serves at 100% CPU.
    pub tps_at_full_cpu: f64,
    /// Fraction of the platform's transactions that reach this component.
    pub load_share: f64,
}

impl TargetTracking {
    /// Units needed at a platform load, before the min/max bounds.
    pub fn needed_at(&self, tps: f64) -> f64 {
        (tps * self.load_share / (self.tps_at_full_cpu * self.target_cpu_percent / 100.0)).ceil()
    }

    /// Units running at a platform load, and whether demand exceeded `max`.
    pub fn running_at(&self, tps: f64) -> (u32, bool) {
        clamp_count(self.needed_at(tps), self.min, self.max)
    }

    /// Checks the settings. `names` are the model's names for (min, max, throughput) fields;
    /// errors name the field relative to `block`.
    pub fn validate(&self, block: &str, names: [&str; 3]) -> Result<(), FieldError> {
        let [min, max, throughput] = names;
        let field = |f: &str| format!("{block}.{f}");
        if self.min > self.max {
            return Err(FieldError::new(
                field(max),
                format!(
                    "{max} ({}) is below {min} ({}); expected {max} ≥ {min}",
                    self.max, self.min
                ),
            ));
        }
        if !(self.target_cpu_percent > 0.0 && self.target_cpu_percent <= 100.0) {
            return Err(FieldError::new(
                field("target_cpu_percent"),
                format!(
                    "{} is not a utilization target; expected a percentage above 0 and at most 100",
                    self.target_cpu_percent
                ),
            ));
        }
        if !(self.tps_at_full_cpu.is_finite() && self.tps_at_full_cpu > 0.0) {
            return Err(FieldError::new(
                field(throughput),
                format!(
                    "{} is not a throughput; expected a number above 0",
                    self.tps_at_full_cpu
                ),
            ));
        }
        if !(0.0..=1.0).contains(&self.load_share) {
            return Err(FieldError::new(
                field("load_share"),
                format!(
                    "{} is not a fraction of the platform's load; expected 0 to 1",
                    self.load_share
                ),
            ));
        }
        Ok(())
    }
}

/// `min(max(x, lo), hi)` for counts, reporting whether demand was above `hi`.
pub(crate) fn clamp_count(needed: f64, lo: u32, hi: u32) -> (u32, bool) {
    let needed = needed.max(0.0).ceil();
    if needed > hi as f64 {
        (hi, true)
    } else {
        ((needed as u32).max(lo), false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_in_keeps_the_old_level_for_the_lag() {
        // 10 → 4 with a 20-minute lag: the falling hour bills 10 × 20/60 + 4 × 40/60 = 6; rises
        // and steady hours bill as settled, and the first hour has nothing before it.
        let lag = ScaleIn { lag_minutes: 20.0 };
        assert_eq!(
            lag.billed(&[10.0, 4.0, 4.0, 8.0]),
            vec![10.0, 6.0, 4.0, 8.0]
        );
        assert_eq!(
            ScaleIn { lag_minutes: 0.0 }.billed(&[3.0, 1.0]),
            vec![3.0, 1.0]
        );
    }

    /// Modules under `services/` that are not a service of their own.
    const SHARED_MODULES: [&str; 3] = ["mod", "data_transfer", "public_ipv4"];

    #[test]
    fn every_service_module_is_registered_once_with_its_own_keyword() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/services");
        let mut modules: Vec<String> = std::fs::read_dir(dir)
            .expect("the services folder")
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .filter(|m| !SHARED_MODULES.contains(&m.as_str()))
            .collect();
        modules.sort();
        assert_eq!(modules.len(), ComponentKind::ALL.len(), "{modules:?}");
        for m in &modules {
            let registered: Vec<ComponentKind> = ComponentKind::ALL
                .iter()
                .copied()
                .filter(|k| k.type_name().contains(&format!("::services::{m}::")))
                .collect();
            assert_eq!(
                registered.len(),
                1,
                "services/{m}.rs must be registered exactly once in services!"
            );
        }
        for (i, k) in ComponentKind::ALL.iter().enumerate() {
            assert_eq!(ComponentKind::from_keyword(k.keyword()), Some(*k));
            assert!(
                !ComponentKind::ALL[..i]
                    .iter()
                    .any(|o| o.keyword() == k.keyword()),
                "{} is registered twice",
                k.keyword()
            );
        }
    }

    #[test]
    fn counts_clamp_and_report_shortfall() {
        assert_eq!(clamp_count(0.2, 1, 5), (1, false));
        assert_eq!(clamp_count(2.01, 1, 5), (3, false));
        assert_eq!(clamp_count(7.0, 1, 5), (5, true));
    }
}
