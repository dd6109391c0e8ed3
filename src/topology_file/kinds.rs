//! The settings of each component kind as written in a model file, and their conversion into
//! the services' validated types. Errors are `(field, message)` relative to the component.

use serde::Deserialize;

use super::NonNegative;
use crate::services::TargetTracking;
use crate::services::aurora::{
    AuroraCapacity, AuroraCluster, ReaderCount, ReaderScaling, StorageConfiguration,
    check_instance_class,
};
use crate::services::cloudfront::Distribution;
use crate::services::cloudtrail::Trail;
use crate::services::cloudwatch::Monitoring;
use crate::services::config::Recorder;
use crate::services::dynamodb::{
    CapacityMode, DynamoDbTable, ProvisionedCapacity, ReadConsistency, TableClass,
};
use crate::services::ec2::{InstanceCount, Instances, Volume, VolumeType};
use crate::services::elasticache::{CacheCluster, Engine};
use crate::services::fargate::{
    Architecture, CapacityProvider, FargateService, ProviderShare, Sidecar, TaskCount, TaskSize,
};
use crate::services::kms::Keys;
use crate::services::load_balancer::LoadBalancer;
use crate::services::nat_gateway::NatGateway;
use crate::services::rds::{Database, Deployment, StorageType};
use crate::services::s3::{Bucket, Lifecycle, StorageClass};
use crate::services::secrets_manager::Secrets;
use crate::services::vpc_endpoint::{AwsService, EndpointType, VpcEndpoint};
use crate::services::waf::WebAcl;
use crate::services::xray::Tracing;
use crate::topology::ComponentSpec;

/// An error about a field, relative to the component.
pub(super) type Rel = (String, String);

fn rel(field: impl Into<String>, message: impl Into<String>) -> Rel {
    (field.into(), message.into())
}

/// The settings of one component kind.
pub(super) trait KindSettings: serde::de::DeserializeOwned {
    /// Validates the settings into the component's spec.
    fn into_spec(self) -> Result<ComponentSpec, Rel>;
}

/// Checks that a percentage lies in 0–100.
fn percent(field: &str, v: f64) -> Result<f64, Rel> {
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(rel(
            field,
            format!("{v} is not a percentage; expected 0 to 100"),
        ))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawArchitecture {
    X86_64,
    Arm64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFargate {
    #[serde(default)]
    architecture: Option<RawArchitecture>,
    vcpu: NonNegative,
    memory_gb: NonNegative,
    ephemeral_storage_gb: Option<NonNegative>,
    #[serde(default)]
    sidecars: Vec<RawSidecar>,
    desired_count: Option<u32>,
    scaling: Option<RawTaskScaling>,
    #[serde(default)]
    capacity_provider_strategy: Vec<RawProviderShare>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSidecar {
    name: String,
    vcpu: NonNegative,
    memory_gb: NonNegative,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaskScaling {
    min_tasks: u32,
    max_tasks: u32,
    target_cpu_percent: NonNegative,
    tps_per_task_at_full_cpu: NonNegative,
    load_share: Option<NonNegative>,
}

#[derive(Deserialize)]
enum RawProvider {
    #[serde(rename = "FARGATE")]
    Fargate,
    #[serde(rename = "FARGATE_SPOT")]
    FargateSpot,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProviderShare {
    provider: RawProvider,
    #[serde(default)]
    base: u32,
    weight: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawStorageConfiguration {
    Standard,
    IoOptimized,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAurora {
    storage_configuration: Option<RawStorageConfiguration>,
    writer: Option<RawWriter>,
    readers: Option<RawReaders>,
    serverless_v2: Option<RawServerless>,
    storage_gb: NonNegative,
    io_requests_per_transaction: NonNegative,
    billable_backup_gb: Option<NonNegative>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWriter {
    instance_class: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReaders {
    instance_class: Option<String>,
    count: Option<u32>,
    min: Option<u32>,
    max: Option<u32>,
    target_cpu_percent: Option<NonNegative>,
    read_tps_per_reader_at_full_cpu: Option<NonNegative>,
    read_share: Option<NonNegative>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServerless {
    min_acu: NonNegative,
    max_acu: NonNegative,
    instances: u32,
    tps_per_acu: NonNegative,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNat {
    count: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawEndpointType {
    Gateway,
    Interface,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEndpoint {
    endpoint_type: RawEndpointType,
    service: String,
    availability_zones: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawTableClass {
    Standard,
    StandardIa,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawCapacityMode {
    OnDemand,
    Provisioned,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawConsistency {
    Eventual,
    Strong,
    Transactional,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDynamo {
    table_class: Option<RawTableClass>,
    capacity_mode: RawCapacityMode,
    item_size_kb: NonNegative,
    reads_per_transaction: NonNegative,
    writes_per_transaction: NonNegative,
    read_consistency: Option<RawConsistency>,
    #[serde(default)]
    transactional_writes: bool,
    read_capacity: Option<RawProvisioned>,
    write_capacity: Option<RawProvisioned>,
    storage_gb: NonNegative,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvisioned {
    units: Option<NonNegative>,
    min: Option<NonNegative>,
    max: Option<NonNegative>,
    target_utilization_percent: Option<NonNegative>,
}

impl KindSettings for RawFargate {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        fargate(self).map(ComponentSpec::FargateService)
    }
}

impl KindSettings for RawAurora {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        aurora(self).map(ComponentSpec::AuroraPostgresql)
    }
}

impl KindSettings for RawNat {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        if self.count == Some(0) {
            return Err(rel("count", "0 gateways; expected at least 1"));
        }
        Ok(ComponentSpec::NatGateway(NatGateway { count: self.count }))
    }
}

impl KindSettings for RawEndpoint {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        endpoint(self).map(ComponentSpec::VpcEndpoint)
    }
}

impl KindSettings for RawDynamo {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        dynamodb(self).map(ComponentSpec::DynamoDbTable)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAlb {
    count: Option<u32>,
    requests_per_transaction: NonNegative,
    processed_bytes_per_request: NonNegative,
    new_connections_per_request: NonNegative,
    connection_duration_seconds: NonNegative,
    rules_evaluated: NonNegative,
}

impl KindSettings for RawAlb {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        if self.count == Some(0) {
            return Err(rel("count", "0 load balancers; expected at least 1"));
        }
        Ok(ComponentSpec::LoadBalancer(LoadBalancer {
            count: self.count.unwrap_or(1),
            requests_per_transaction: self.requests_per_transaction.0,
            processed_bytes_per_request: self.processed_bytes_per_request.0,
            new_connections_per_request: self.new_connections_per_request.0,
            connection_duration_seconds: self.connection_duration_seconds.0,
            rules_evaluated: self.rules_evaluated.0,
        }))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCloudFront {
    requests_per_transaction: NonNegative,
    bytes_per_request: NonNegative,
    cache_hit_percent: NonNegative,
    #[serde(default)]
    upload_bytes_per_request: Option<NonNegative>,
}

impl KindSettings for RawCloudFront {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        Ok(ComponentSpec::CloudFront(Distribution {
            requests_per_transaction: self.requests_per_transaction.0,
            bytes_per_request: self.bytes_per_request.0,
            cache_hit_percent: percent("cache_hit_percent", self.cache_hit_percent.0)?,
            upload_bytes_per_request: self.upload_bytes_per_request.map_or(0.0, |x| x.0),
        }))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWaf {
    rules: u32,
    requests_per_transaction: NonNegative,
}

impl KindSettings for RawWaf {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        Ok(ComponentSpec::Waf(WebAcl {
            rules: self.rules,
            requests_per_transaction: self.requests_per_transaction.0,
        }))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawEngine {
    Redis,
    Valkey,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawElastiCache {
    engine: RawEngine,
    node_type: String,
    #[serde(default)]
    shards: Option<u32>,
    replicas_per_shard: u32,
    multi_az_failover: bool,
}

impl KindSettings for RawElastiCache {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        let cluster = CacheCluster {
            engine: match self.engine {
                RawEngine::Redis => Engine::Redis,
                RawEngine::Valkey => Engine::Valkey,
            },
            node_type: self.node_type,
            shards: self.shards.unwrap_or(1),
            replicas_per_shard: self.replicas_per_shard,
            multi_az_failover: self.multi_az_failover,
        };
        cluster.validate()?;
        Ok(ComponentSpec::ElastiCache(cluster))
    }
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum RawStorageClass {
    Standard,
    StandardIa,
    IntelligentTiering,
}

impl From<RawStorageClass> for StorageClass {
    fn from(c: RawStorageClass) -> Self {
        match c {
            RawStorageClass::Standard => StorageClass::Standard,
            RawStorageClass::StandardIa => StorageClass::StandardIa,
            RawStorageClass::IntelligentTiering => StorageClass::IntelligentTiering,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccessModel {
    data_age_months: NonNegative,
    accessed_after_30_days_percent: Option<NonNegative>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLifecycle {
    after_days: NonNegative,
    to: RawStorageClass,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawS3 {
    storage_class: RawStorageClass,
    stored_gb: NonNegative,
    growth_gb_per_month: NonNegative,
    average_object_size_kb: NonNegative,
    access_model: Option<RawAccessModel>,
    put_requests_per_month: NonNegative,
    get_requests_per_month: NonNegative,
    lifecycle: Option<RawLifecycle>,
}

impl KindSettings for RawS3 {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        if self.average_object_size_kb.0 <= 0.0 {
            return Err(rel(
                "average_object_size_kb",
                "0 KB; expected an object size above 0",
            ));
        }
        let class: StorageClass = self.storage_class.into();
        let lifecycle = match (self.lifecycle, class) {
            (None, _) => None,
            (Some(l), StorageClass::Standard) => {
                let to: StorageClass = l.to.into();
                if to == StorageClass::Standard {
                    return Err(rel(
                        "lifecycle.to",
                        "objects are already in standard; expected standard_ia or intelligent_tiering",
                    ));
                }
                Some(Lifecycle {
                    after_days: l.after_days.0,
                    to,
                })
            }
            (Some(_), _) => {
                return Err(rel(
                    "lifecycle",
                    "lifecycle transitions are modeled from storage_class: standard only",
                ));
            }
        };
        let tiers_into_int = class == StorageClass::IntelligentTiering
            || lifecycle.is_some_and(|l| l.to == StorageClass::IntelligentTiering);
        let ages_matter = tiers_into_int || lifecycle.is_some();
        let (data_age_months, accessed_percent) = match (self.access_model, ages_matter) {
            (Some(a), true) => {
                let accessed = match (a.accessed_after_30_days_percent, tiers_into_int) {
                    (Some(p), true) => percent("access_model.accessed_after_30_days_percent", p.0)?,
                    (None, true) => {
                        return Err(rel(
                            "access_model.accessed_after_30_days_percent",
                            "missing; Intelligent-Tiering needs the share of older data still read",
                        ));
                    }
                    (Some(_), false) => {
                        return Err(rel(
                            "access_model.accessed_after_30_days_percent",
                            "only used with Intelligent-Tiering",
                        ));
                    }
                    (None, false) => 0.0,
                };
                (a.data_age_months.0, accessed)
            }
            (None, true) => {
                return Err(rel(
                    "access_model",
                    "missing; Intelligent-Tiering and lifecycle rules need data_age_months (and accessed_after_30_days_percent for Intelligent-Tiering)",
                ));
            }
            (Some(_), false) => {
                return Err(rel(
                    "access_model",
                    "only used with Intelligent-Tiering or a lifecycle rule",
                ));
            }
            (None, false) => (0.0, 0.0),
        };
        Ok(ComponentSpec::S3Bucket(Bucket {
            storage_class: class,
            stored_gb: self.stored_gb.0,
            growth_gb_per_month: self.growth_gb_per_month.0,
            average_object_size_kb: self.average_object_size_kb.0,
            data_age_months,
            accessed_after_30_days_percent: accessed_percent,
            put_requests_per_month: self.put_requests_per_month.0,
            get_requests_per_month: self.get_requests_per_month.0,
            lifecycle,
        }))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCloudWatch {
    log_bytes_per_transaction: NonNegative,
    log_retention_days: NonNegative,
    #[serde(default)]
    stored_size_percent: Option<NonNegative>,
    custom_metrics: u32,
    alarms: u32,
    dashboards: u32,
}

impl KindSettings for RawCloudWatch {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        if self.log_retention_days.0 < 1.0 {
            return Err(rel("log_retention_days", "expected at least 1 day"));
        }
        Ok(ComponentSpec::CloudWatch(Monitoring {
            log_bytes_per_transaction: self.log_bytes_per_transaction.0,
            log_retention_days: self.log_retention_days.0,
            stored_size_percent: percent(
                "stored_size_percent",
                self.stored_size_percent.map_or(100.0, |x| x.0),
            )?,
            custom_metrics: self.custom_metrics,
            alarms: self.alarms,
            dashboards: self.dashboards,
        }))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawXray {
    sampled_percent: NonNegative,
    scanned_percent_of_recorded: NonNegative,
}

impl KindSettings for RawXray {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        Ok(ComponentSpec::XRay(Tracing {
            sampled_percent: percent("sampled_percent", self.sampled_percent.0)?,
            scanned_percent_of_recorded: percent(
                "scanned_percent_of_recorded",
                self.scanned_percent_of_recorded.0,
            )?,
        }))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSecrets {
    secrets: u32,
    api_calls_per_month: NonNegative,
}

impl KindSettings for RawSecrets {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        Ok(ComponentSpec::SecretsManager(Secrets {
            secrets: self.secrets,
            api_calls_per_month: self.api_calls_per_month.0,
        }))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKms {
    customer_managed_keys: u32,
    #[serde(default)]
    requests_per_transaction: Option<NonNegative>,
    #[serde(default)]
    requests_per_month: Option<NonNegative>,
}

impl KindSettings for RawKms {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        Ok(ComponentSpec::Kms(Keys {
            customer_managed_keys: self.customer_managed_keys,
            requests_per_transaction: self.requests_per_transaction.map_or(0.0, |x| x.0),
            requests_per_month: self.requests_per_month.map_or(0.0, |x| x.0),
        }))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCloudTrail {
    data_events_per_transaction: NonNegative,
    management_events_per_month: NonNegative,
    #[serde(default)]
    additional_management_copies: u32,
}

impl KindSettings for RawCloudTrail {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        Ok(ComponentSpec::CloudTrail(Trail {
            data_events_per_transaction: self.data_events_per_transaction.0,
            management_events_per_month: self.management_events_per_month.0,
            additional_management_copies: self.additional_management_copies,
        }))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    configuration_items_per_month: NonNegative,
    rule_evaluations_per_month: NonNegative,
}

impl KindSettings for RawConfig {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        Ok(ComponentSpec::Config(Recorder {
            configuration_items_per_month: self.configuration_items_per_month.0,
            rule_evaluations_per_month: self.rule_evaluations_per_month.0,
        }))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAutoScaling {
    min_instances: u32,
    max_instances: u32,
    target_cpu_percent: NonNegative,
    tps_per_instance_at_full_cpu: NonNegative,
    load_share: Option<NonNegative>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawVolumeType {
    Gp3,
    Gp2,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVolume {
    volume_type: RawVolumeType,
    size_gb: NonNegative,
    iops: Option<NonNegative>,
    throughput_mibps: Option<NonNegative>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEc2 {
    instance_type: String,
    count: Option<u32>,
    auto_scaling: Option<RawAutoScaling>,
    ebs: Option<RawVolume>,
}

impl KindSettings for RawEc2 {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        let count = match (self.count, self.auto_scaling) {
            (Some(n), None) => InstanceCount::Fixed(n),
            (None, Some(a)) => InstanceCount::AutoScaling(TargetTracking {
                min: a.min_instances,
                max: a.max_instances,
                target_cpu_percent: a.target_cpu_percent.0,
                tps_at_full_cpu: a.tps_per_instance_at_full_cpu.0,
                load_share: a.load_share.map_or(1.0, |x| x.0),
            }),
            _ => {
                return Err(rel(
                    "count",
                    "expected exactly one of `count` (fixed instances) or `auto_scaling` (target tracking)",
                ));
            }
        };
        let volume = self.ebs.map(|v| {
            let volume_type = match v.volume_type {
                RawVolumeType::Gp3 => VolumeType::Gp3,
                RawVolumeType::Gp2 => VolumeType::Gp2,
            };
            Volume {
                volume_type,
                size_gb: v.size_gb.0,
                iops: v.iops.map_or(3000.0, |x| x.0),
                throughput_mibps: v.throughput_mibps.map_or(125.0, |x| x.0),
            }
        });
        let instances = Instances {
            instance_type: self.instance_type,
            count,
            volume,
        };
        instances.validate()?;
        Ok(ComponentSpec::Ec2Instances(instances))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawDeployment {
    MultiAz,
    SingleAz,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRds {
    instance_class: String,
    deployment: RawDeployment,
    #[serde(default)]
    read_replicas: u32,
    storage_type: RawVolumeType,
    storage_gb: NonNegative,
    #[serde(default)]
    billable_backup_gb: Option<NonNegative>,
}

impl KindSettings for RawRds {
    fn into_spec(self) -> Result<ComponentSpec, Rel> {
        check_instance_class(&self.instance_class).map_err(|m| rel("instance_class", m))?;
        if self.read_replicas > 15 {
            return Err(rel(
                "read_replicas",
                format!(
                    "{} read replicas; RDS for PostgreSQL allows up to 15",
                    self.read_replicas
                ),
            ));
        }
        if !(20.0..=65_536.0).contains(&self.storage_gb.0) {
            return Err(rel(
                "storage_gb",
                format!(
                    "{} GB; RDS for PostgreSQL gp2/gp3 storage is 20 to 65,536 GB",
                    self.storage_gb.0
                ),
            ));
        }
        Ok(ComponentSpec::RdsPostgresql(Database {
            instance_class: self.instance_class,
            deployment: match self.deployment {
                RawDeployment::MultiAz => Deployment::MultiAz,
                RawDeployment::SingleAz => Deployment::SingleAz,
            },
            read_replicas: self.read_replicas,
            storage_type: match self.storage_type {
                RawVolumeType::Gp3 => StorageType::Gp3,
                RawVolumeType::Gp2 => StorageType::Gp2,
            },
            storage_gb: self.storage_gb.0,
            billable_backup_gb: self.billable_backup_gb.map_or(0.0, |x| x.0),
        }))
    }
}

fn fargate(r: RawFargate) -> Result<FargateService, Rel> {
    let size = TaskSize::new(r.vcpu.0, r.memory_gb.0).map_err(|(f, m)| rel(f, m))?;
    let count = match (r.desired_count, r.scaling) {
        (Some(n), None) => TaskCount::Fixed(n),
        (None, Some(s)) => TaskCount::TargetTracking(TargetTracking {
            min: s.min_tasks,
            max: s.max_tasks,
            target_cpu_percent: s.target_cpu_percent.0,
            tps_at_full_cpu: s.tps_per_task_at_full_cpu.0,
            load_share: s.load_share.map_or(1.0, |x| x.0),
        }),
        _ => {
            return Err(rel(
                "desired_count",
                "expected exactly one of `desired_count` (a fixed task count) or `scaling` (target tracking)",
            ));
        }
    };
    let strategy = r
        .capacity_provider_strategy
        .into_iter()
        .map(|s| ProviderShare {
            provider: match s.provider {
                RawProvider::Fargate => CapacityProvider::Fargate,
                RawProvider::FargateSpot => CapacityProvider::FargateSpot,
            },
            base: s.base,
            weight: s.weight,
        })
        .collect();
    let sidecars = r
        .sidecars
        .into_iter()
        .map(|s| Sidecar {
            name: s.name,
            vcpu: s.vcpu.0,
            memory_gb: s.memory_gb.0,
        })
        .collect();
    let architecture = match r.architecture {
        None | Some(RawArchitecture::X86_64) => Architecture::X86_64,
        Some(RawArchitecture::Arm64) => Architecture::Arm64,
    };
    FargateService::new(
        architecture,
        size,
        sidecars,
        r.ephemeral_storage_gb.map_or(20.0, |x| x.0),
        count,
        strategy,
    )
}

fn aurora(r: RawAurora) -> Result<AuroraCluster, Rel> {
    let capacity = match (r.writer, r.serverless_v2) {
        (Some(w), None) => {
            check_instance_class(&w.instance_class).map_err(|m| rel("writer.instance_class", m))?;
            let readers = r.readers.unwrap_or(RawReaders {
                instance_class: None,
                count: Some(0),
                min: None,
                max: None,
                target_cpu_percent: None,
                read_tps_per_reader_at_full_cpu: None,
                read_share: None,
            });
            let reader_class = readers
                .instance_class
                .clone()
                .unwrap_or_else(|| w.instance_class.clone());
            check_instance_class(&reader_class).map_err(|m| rel("readers.instance_class", m))?;
            let count = match readers {
                RawReaders {
                    count: Some(n),
                    min: None,
                    max: None,
                    target_cpu_percent: None,
                    read_tps_per_reader_at_full_cpu: None,
                    read_share: None,
                    ..
                } => ReaderCount::Fixed(n),
                RawReaders {
                    count: None,
                    min: Some(min),
                    max: Some(max),
                    target_cpu_percent: Some(t),
                    read_tps_per_reader_at_full_cpu: Some(cap),
                    read_share: Some(share),
                    ..
                } => ReaderCount::AutoScaling(ReaderScaling {
                    min_readers: min,
                    max_readers: max,
                    target_cpu_percent: t.0,
                    read_tps_per_reader_at_full_cpu: cap.0,
                    read_share: share.0,
                }),
                _ => {
                    return Err(rel(
                        "readers",
                        "expected either `count` (fixed readers) or all of min, max, target_cpu_percent, read_tps_per_reader_at_full_cpu and read_share (auto scaling)",
                    ));
                }
            };
            AuroraCapacity::Provisioned {
                writer_class: w.instance_class,
                reader_class,
                readers: count,
            }
        }
        (None, Some(s)) => {
            if r.readers.is_some() {
                return Err(rel(
                    "readers",
                    "not used with serverless_v2; set serverless_v2.instances instead",
                ));
            }
            AuroraCapacity::ServerlessV2 {
                min_acu: s.min_acu.0,
                max_acu: s.max_acu.0,
                instances: s.instances,
                tps_per_acu: s.tps_per_acu.0,
            }
        }
        _ => {
            return Err(rel(
                "writer",
                "expected exactly one of `writer` (provisioned instances) or `serverless_v2`",
            ));
        }
    };
    let cluster = AuroraCluster {
        storage_configuration: match r.storage_configuration {
            None | Some(RawStorageConfiguration::Standard) => StorageConfiguration::Standard,
            Some(RawStorageConfiguration::IoOptimized) => StorageConfiguration::IoOptimized,
        },
        capacity,
        storage_gb: r.storage_gb.0,
        io_requests_per_transaction: r.io_requests_per_transaction.0,
        billable_backup_gb: r.billable_backup_gb.map_or(0.0, |x| x.0),
    };
    cluster.validate()?;
    Ok(cluster)
}

fn endpoint(r: RawEndpoint) -> Result<VpcEndpoint, Rel> {
    let service = AwsService::from_keyword(&r.service).ok_or_else(|| {
        rel(
            "service",
            format!(
                "unknown endpoint service `{}`; expected one of {}",
                r.service,
                AwsService::keywords()
            ),
        )
    })?;
    let endpoint_type = match r.endpoint_type {
        RawEndpointType::Gateway if !service.has_gateway_endpoint() => {
            return Err(rel(
                "endpoint_type",
                format!(
                    "{} has no gateway endpoint; expected `interface` (gateway endpoints exist for s3 and dynamodb only)",
                    service.keyword()
                ),
            ));
        }
        RawEndpointType::Gateway => EndpointType::Gateway,
        RawEndpointType::Interface => EndpointType::Interface,
    };
    if r.availability_zones == Some(0) {
        return Err(rel("availability_zones", "0 AZs; expected at least 1"));
    }
    Ok(VpcEndpoint {
        endpoint_type,
        service,
        availability_zones: r.availability_zones,
    })
}

fn dynamodb(r: RawDynamo) -> Result<DynamoDbTable, Rel> {
    let provisioned = |block: &str,
                       c: Option<RawProvisioned>|
     -> Result<ProvisionedCapacity, Rel> {
        let c = c.ok_or_else(|| {
            rel(
                block,
                "missing; provisioned mode needs `units` or min/max/target_utilization_percent",
            )
        })?;
        let cap = match c {
            RawProvisioned {
                units: Some(u),
                min: None,
                max: None,
                target_utilization_percent: None,
            } => ProvisionedCapacity::Fixed(u.0),
            RawProvisioned {
                units: None,
                min: Some(lo),
                max: Some(hi),
                target_utilization_percent: Some(t),
            } => ProvisionedCapacity::AutoScaling {
                min_units: lo.0,
                max_units: hi.0,
                target_utilization_percent: t.0,
            },
            _ => {
                return Err(rel(
                    block,
                    "expected either `units` (fixed) or all of min, max and target_utilization_percent (auto scaling)",
                ));
            }
        };
        cap.validate()
            .map_err(|(f, m)| rel(format!("{block}.{f}"), m))?;
        Ok(cap)
    };
    let capacity_mode = match r.capacity_mode {
        RawCapacityMode::OnDemand => {
            if r.read_capacity.is_some() || r.write_capacity.is_some() {
                return Err(rel(
                    "read_capacity",
                    "not used in on_demand mode; remove it or set capacity_mode: provisioned",
                ));
            }
            CapacityMode::OnDemand
        }
        RawCapacityMode::Provisioned => CapacityMode::Provisioned {
            read: provisioned("read_capacity", r.read_capacity)?,
            write: provisioned("write_capacity", r.write_capacity)?,
        },
    };
    if r.item_size_kb.0 > 400.0 {
        return Err(rel(
            "item_size_kb",
            format!(
                "{} KB is above DynamoDB's 400 KB item limit",
                r.item_size_kb.0
            ),
        ));
    }
    Ok(DynamoDbTable {
        table_class: match r.table_class {
            None | Some(RawTableClass::Standard) => TableClass::Standard,
            Some(RawTableClass::StandardIa) => TableClass::StandardIa,
        },
        capacity_mode,
        item_size_kb: r.item_size_kb.0,
        reads_per_transaction: r.reads_per_transaction.0,
        writes_per_transaction: r.writes_per_transaction.0,
        read_consistency: match r.read_consistency {
            None | Some(RawConsistency::Eventual) => ReadConsistency::Eventual,
            Some(RawConsistency::Strong) => ReadConsistency::Strong,
            Some(RawConsistency::Transactional) => ReadConsistency::Transactional,
        },
        transactional_writes: r.transactional_writes,
        storage_gb: r.storage_gb.0,
    })
}
