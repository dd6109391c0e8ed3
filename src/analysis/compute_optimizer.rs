//! AWS Compute Optimizer's recommendations, as archcost keeps them (for each resource what
//! Compute Optimizer found, the utilisation behind it, the configuration now and the one it
//! ranks first, and its own saving figures), priced by archcost: each resource's configuration now
//! and the one Compute Optimizer ranks first are written as a one-component model and
//! estimated with archcost's own services and price book over the period (730 hours, or the
//! actuals' month), so the saving beside Compute Optimizer's `estimatedMonthlySavings` comes from
//! the same prices as every other archcost figure. A difference above 10% is flagged, with its
//! reason when it is known. What archcost cannot price (an engine or class its price book lacks,
//! a region it does not know, ECS on EC2) is listed as unpriced with the reason, never $0.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::json;

use crate::engine::estimate::{EstimateError, estimate};
use crate::engine::price_book::PriceBook;
use crate::model::topology::{Component, SourceMap, Topology, TopologyParts};
use crate::model::workload::{WeeklyProfile, Workload};
use crate::services::{ComponentKind, SettingsDecoder};
use crate::vocabulary::calendar::BillingPeriod;
use crate::vocabulary::fields::FieldError;
use crate::vocabulary::units::Region;

/// The Compute Optimizer APIs archcost reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Api {
    /// `GetECSServiceRecommendations`.
    EcsServices,
    /// `GetEC2InstanceRecommendations`.
    Ec2Instances,
    /// `GetAutoScalingGroupRecommendations`.
    AutoScalingGroups,
    /// `GetRDSDatabaseRecommendations`.
    RdsDatabases,
    /// `GetIdleRecommendations`.
    Idle,
}

impl Api {
    /// Every API, in the order archcost calls them.
    pub const ALL: [Api; 5] = [
        Api::EcsServices,
        Api::Ec2Instances,
        Api::AutoScalingGroups,
        Api::RdsDatabases,
        Api::Idle,
    ];

    /// The operation's name.
    pub fn operation(self) -> &'static str {
        match self {
            Api::EcsServices => "GetECSServiceRecommendations",
            Api::Ec2Instances => "GetEC2InstanceRecommendations",
            Api::AutoScalingGroups => "GetAutoScalingGroupRecommendations",
            Api::RdsDatabases => "GetRDSDatabaseRecommendations",
            Api::Idle => "GetIdleRecommendations",
        }
    }

    /// The response's list of recommendations.
    pub fn list_field(self) -> &'static str {
        match self {
            Api::EcsServices => "ecsServiceRecommendations",
            Api::Ec2Instances => "instanceRecommendations",
            Api::AutoScalingGroups => "autoScalingGroupRecommendations",
            Api::RdsDatabases => "rdsDBRecommendations",
            Api::Idle => "idleRecommendations",
        }
    }
}

/// What Compute Optimizer found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Larger than the load needs.
    Overprovisioned,
    /// Smaller than the load needs.
    Underprovisioned,
    /// The right size.
    Optimized,
    /// Could do better (an Auto Scaling group or EC2 instance not optimized otherwise).
    NotOptimized,
    /// Doing next to nothing.
    Idle,
    /// A volume attached to nothing.
    Unattached,
    /// Not used.
    Unused,
    /// A finding this version of archcost does not know, as Compute Optimizer wrote it.
    Other(String),
}

impl Finding {
    /// From Compute Optimizer's word (`Overprovisioned`, `OVER_PROVISIONED`, …).
    pub fn parse(word: &str) -> Finding {
        match word.to_ascii_lowercase().replace(['_', '-'], "").as_str() {
            "overprovisioned" => Finding::Overprovisioned,
            "underprovisioned" => Finding::Underprovisioned,
            "optimized" => Finding::Optimized,
            "notoptimized" => Finding::NotOptimized,
            "idle" => Finding::Idle,
            "unattached" => Finding::Unattached,
            "unused" => Finding::Unused,
            _ => Finding::Other(word.to_string()),
        }
    }

    /// Its name in reports.
    pub fn name(&self) -> &str {
        match self {
            Finding::Overprovisioned => "over-provisioned",
            Finding::Underprovisioned => "under-provisioned",
            Finding::Optimized => "optimized",
            Finding::NotOptimized => "not optimized",
            Finding::Idle => "idle",
            Finding::Unattached => "unattached",
            Finding::Unused => "unused",
            Finding::Other(word) => word,
        }
    }
}

/// A resource's configuration, as far as its cost goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Configuration {
    /// An ECS service's task on Fargate.
    FargateTask {
        /// CPU units (1,024 a vCPU).
        cpu_units: u32,
        /// Memory, MiB.
        memory_mib: u32,
    },
    /// An ECS service's task on EC2 instances (the instances carry the cost).
    EcsOnEc2Task {
        /// CPU units.
        cpu_units: Option<u32>,
        /// Memory, MiB.
        memory_mib: Option<u32>,
    },
    /// One EC2 instance.
    Instance {
        /// `m6i.large`.
        instance_type: String,
    },
    /// An Auto Scaling group's instances.
    Group {
        /// `m6i.large`.
        instance_type: String,
        /// Instances running.
        desired_capacity: u32,
    },
    /// An RDS or Aurora DB instance.
    Database {
        /// `postgres`, `aurora-postgresql`, `mysql`, …
        engine: String,
        /// `db.r6g.large`.
        instance_class: String,
        /// `gp3`, `aurora`, `aurora-iopt1`, … when known.
        storage_type: Option<String>,
    },
    /// An idle resource as it runs (its size is not in the idle recommendation).
    Running,
    /// Stopped or deleted.
    Removed,
}

impl fmt::Display for Configuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Configuration::FargateTask {
                cpu_units,
                memory_mib,
            } => write!(
                f,
                "{} vCPU / {} GB",
                f64::from(*cpu_units) / 1024.0,
                f64::from(*memory_mib) / 1024.0
            ),
            Configuration::EcsOnEc2Task {
                cpu_units,
                memory_mib,
            } => write!(
                f,
                "{} CPU units / {} MiB on EC2",
                cpu_units.map_or("?".into(), |c| c.to_string()),
                memory_mib.map_or("?".into(), |m| m.to_string())
            ),
            Configuration::Instance { instance_type } => f.write_str(instance_type),
            Configuration::Group {
                instance_type,
                desired_capacity,
            } => write!(f, "{desired_capacity} × {instance_type}"),
            Configuration::Database { instance_class, .. } => f.write_str(instance_class),
            Configuration::Running => f.write_str("running"),
            Configuration::Removed => f.write_str("stopped or deleted"),
        }
    }
}

/// A utilisation figure (`Cpu Maximum 23.5`).
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    /// `Cpu`, `Memory`, …
    pub name: String,
    /// `Maximum`, `Average`, …
    pub statistic: String,
    /// The value.
    pub value: f64,
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.name,
            self.statistic.to_ascii_lowercase(),
            crate::vocabulary::text::qty(self.value)
        )
    }
}

/// A saving Compute Optimizer states.
#[derive(Debug, Clone, PartialEq)]
pub struct StatedSaving {
    /// The amount a month.
    pub amount_per_month: f64,
    /// Its currency (`USD`).
    pub currency: String,
    /// The share of the current cost, percent, when given.
    pub percent: Option<f64>,
}

/// One resource's recommendation.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    /// The API that gave it.
    pub api: Api,
    /// The resource's ARN (or id when there is no ARN).
    pub resource: String,
    /// The account.
    pub account_id: String,
    /// The region, from the ARN.
    pub region: Option<String>,
    /// What was found.
    pub finding: Finding,
    /// Why (`CPUOverprovisioned`, an idle resource's description, …).
    pub reasons: Vec<String>,
    /// The configuration now.
    pub current: Configuration,
    /// The configuration Compute Optimizer ranks first; `None` when it proposes none.
    pub recommended: Option<Configuration>,
    /// Compute Optimizer's saving at On-Demand prices.
    pub saving: Option<StatedSaving>,
    /// Compute Optimizer's saving after Savings Plans and reservations.
    pub saving_after_discounts: Option<StatedSaving>,
    /// Utilisation over the look-back period.
    pub utilization: Vec<Metric>,
    /// Days of metrics behind it.
    pub lookback_days: Option<f64>,
}

impl Recommendation {
    /// The resource's short name: the last part of its ARN (`api` of
    /// `…:service/prod/api`, `i-0abc` of `…:instance/i-0abc`).
    pub fn name(&self) -> &str {
        self.resource
            .rsplit(['/', ':'])
            .next()
            .unwrap_or(&self.resource)
    }
}

impl Recommendation {
    /// The resource as a table shows it: an ECS service as `CLUSTER/NAME`, anything else by
    /// its short name.
    pub fn short_name(&self) -> String {
        match self.api {
            Api::EcsServices => self
                .resource
                .split_once(":service/")
                .map_or_else(|| self.name().to_string(), |(_, s)| s.to_string()),
            _ => self.name().to_string(),
        }
    }
}

/// A resource Compute Optimizer could not answer for: reported, the rest go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceError {
    /// The API that said it.
    pub api: Api,
    /// The resource.
    pub identifier: String,
    /// The error code.
    pub code: String,
    /// Compute Optimizer's words.
    pub message: String,
}

impl fmt::Display for ResourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {} ({})",
            self.api.operation(),
            self.identifier,
            self.message,
            self.code
        )
    }
}

/// Everything Compute Optimizer answered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recommendations {
    /// One per resource, in the order given.
    pub recommendations: Vec<Recommendation>,
    /// Resources it could not answer for.
    pub errors: Vec<ResourceError>,
}

/// archcost's saving against Compute Optimizer's, percent of Compute Optimizer's; infinite
/// when Compute Optimizer states none and archcost finds some.
pub fn difference_percent(ours: f64, theirs: f64) -> Option<f64> {
    if theirs == 0.0 {
        return (ours != 0.0).then_some(f64::INFINITY);
    }
    Some((ours - theirs) / theirs.abs() * 100.0)
}

/// The difference between the two savings, percent of Compute Optimizer's, above which a
/// recommendation is flagged.
pub const FLAG_PERCENT: f64 = 10.0;

/// The hours Compute Optimizer's monthly figures assume.
pub const COMPUTE_OPTIMIZER_HOURS: usize = 730;

/// A Compute Optimizer recommendation with archcost's prices beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct PricedRecommendation {
    /// What Compute Optimizer said.
    pub recommendation: Recommendation,
    /// The hours priced.
    pub hours: usize,
    /// The configuration now, USD a month by archcost's prices; `None` when unpriced.
    pub current_usd_per_month: Option<f64>,
    /// The recommended configuration, USD a month; `None` when unpriced.
    pub recommended_usd_per_month: Option<f64>,
    /// Why archcost could not price it.
    pub unpriced: Option<String>,
    /// The prices used (`embedded snapshot us-east-1 2026-10-08`).
    pub price_source: Option<String>,
    /// The model component this recommendation was made on (`rightsize MODEL`), when the
    /// model describes the resource: the ranked list then holds it as the model's change.
    pub realised_on: Option<String>,
}

impl PricedRecommendation {
    /// archcost's monthly saving; `None` when unpriced.
    pub fn saving_usd_per_month(&self) -> Option<f64> {
        Some(self.current_usd_per_month? - self.recommended_usd_per_month?)
    }

    /// Compute Optimizer's monthly saving in USD: its On-Demand figure, else its figure after
    /// discounts; `None` when it states none in USD.
    pub fn stated_usd_per_month(&self) -> Option<f64> {
        let r = &self.recommendation;
        r.saving
            .as_ref()
            .or(r.saving_after_discounts.as_ref())
            .filter(|s| s.currency == "USD")
            .map(|s| s.amount_per_month)
    }

    /// archcost's saving against Compute Optimizer's, percent of Compute Optimizer's.
    pub fn difference_percent(&self) -> Option<f64> {
        difference_percent(self.saving_usd_per_month()?, self.stated_usd_per_month()?)
    }

    /// Whether the two savings differ by more than [`FLAG_PERCENT`].
    pub fn flagged(&self) -> bool {
        self.difference_percent()
            .is_some_and(|d| d.abs() > FLAG_PERCENT)
    }

    /// Why the two savings differ, when it is known; for a flagged recommendation only.
    pub fn reason(&self) -> Option<String> {
        if !self.flagged() {
            return None;
        }
        let r = &self.recommendation;
        let mut reasons = Vec::new();
        if r.saving.is_none() && r.saving_after_discounts.is_some() {
            reasons.push(
                "Compute Optimizer states only its saving after Savings Plans and reservation discounts; archcost prices On-Demand list rates"
                    .to_string(),
            );
        }
        if self.hours != COMPUTE_OPTIMIZER_HOURS {
            reasons.push(format!(
                "archcost prices the {} hours of the actuals' month, Compute Optimizer {COMPUTE_OPTIMIZER_HOURS}",
                self.hours
            ));
        }
        if matches!(r.current, Configuration::FargateTask { .. }) {
            let tasks = match (self.stated_usd_per_month(), self.saving_usd_per_month()) {
                (Some(theirs), Some(ours)) if ours > 0.0 => {
                    format!(
                        " (its figure is {:.1} tasks' worth at archcost's prices)",
                        theirs / ours
                    )
                }
                _ => String::new(),
            };
            reasons.push(format!(
                "Compute Optimizer's figure is for all the service's tasks; archcost priced one task running all month{tasks}; give the model (`archcost rightsize MODEL --from-file …`) to price its own task count hour by hour"
            ));
        }
        if reasons.is_empty() {
            reasons.push(format!(
                "not known: archcost's figure is from {} list prices; Compute Optimizer does not give the rates behind its own",
                self.price_source.as_deref().unwrap_or("its")
            ));
        }
        Some(reasons.join("; "))
    }

    /// Whether it proposes a change worth listing: it has a recommended configuration and is
    /// not already the right size.
    pub fn proposes_change(&self) -> bool {
        self.recommendation.recommended.is_some()
            && !matches!(self.recommendation.finding, Finding::Optimized)
    }

    /// The command (or the steps) that makes the change.
    pub fn command(&self) -> String {
        let r = &self.recommendation;
        let name = r.name();
        match (&r.recommended, r.api) {
            (
                Some(Configuration::FargateTask {
                    cpu_units,
                    memory_mib,
                }),
                _,
            ) => {
                let cluster = r.resource.rsplit('/').nth(1).unwrap_or("CLUSTER");
                format!(
                    "register a task definition revision with cpu {cpu_units} and memory {memory_mib}, then `aws ecs update-service --cluster {cluster} --service {name} --task-definition FAMILY:REVISION`"
                )
            }
            (Some(Configuration::Instance { instance_type }), _) => format!(
                "`aws ec2 stop-instances --instance-ids {name}`, `aws ec2 modify-instance-attribute --instance-id {name} --instance-type Value={instance_type}`, then `aws ec2 start-instances --instance-ids {name}`"
            ),
            (
                Some(Configuration::Group {
                    instance_type,
                    desired_capacity,
                }),
                _,
            ) => format!(
                "a launch template version with instance type {instance_type}, then `aws autoscaling update-auto-scaling-group --auto-scaling-group-name {name} --launch-template LaunchTemplateId=ID,Version=N --desired-capacity {desired_capacity}`"
            ),
            (Some(Configuration::Database { instance_class, .. }), _) => format!(
                "`aws rds modify-db-instance --db-instance-identifier {name} --db-instance-class {instance_class} --apply-immediately` (or at the next maintenance window)"
            ),
            (Some(Configuration::Removed), _) => {
                let kind = r.reasons.first().map(String::as_str).unwrap_or("");
                match kind {
                    "EC2Instance" => {
                        format!("`aws ec2 stop-instances --instance-ids {name}` (or terminate it)")
                    }
                    "EBSVolume" => format!(
                        "`aws ec2 create-snapshot --volume-id {name}`, then `aws ec2 delete-volume --volume-id {name}`"
                    ),
                    "RDSDBInstance" => format!(
                        "`aws rds stop-db-instance --db-instance-identifier {name}` (or snapshot and delete it)"
                    ),
                    "ECSService" => format!(
                        "`aws ecs update-service --service {name} --desired-count 0` (or delete the service)"
                    ),
                    "AutoScalingGroup" => format!(
                        "`aws autoscaling update-auto-scaling-group --auto-scaling-group-name {name} --min-size 0 --desired-capacity 0`"
                    ),
                    "NatGateway" => format!("`aws ec2 delete-nat-gateway --nat-gateway-id {name}`"),
                    _ => format!("stop or delete {name}"),
                }
            }
            _ => String::new(),
        }
    }
}

/// The regions the recommendations need prices for (those archcost knows).
pub fn regions(recommendations: &[Recommendation]) -> Vec<Region> {
    let mut out: Vec<Region> = recommendations
        .iter()
        .filter_map(|r| r.region.as_deref()?.parse().ok())
        .collect();
    out.sort_by_key(|r: &Region| r.code());
    out.dedup();
    out
}

/// Prices every recommendation with the price books given (one per region) over `period`.
/// An idle resource is priced from another recommendation of the same resource when there is
/// one (its size is not in the idle recommendation).
pub fn price(
    recommendations: &[Recommendation],
    books: &BTreeMap<Region, PriceBook>,
    period: &BillingPeriod,
) -> Vec<PricedRecommendation> {
    recommendations
        .iter()
        .map(|r| {
            let sized;
            let current = match &r.current {
                Configuration::Running => {
                    sized = recommendations
                        .iter()
                        .find(|o| o.api != Api::Idle && o.resource == r.resource)
                        .map(|o| o.current.clone());
                    sized.as_ref().unwrap_or(&r.current)
                }
                c => c,
            };
            price_one(r, current, books, period)
        })
        .collect()
}

fn price_one(
    r: &Recommendation,
    current: &Configuration,
    books: &BTreeMap<Region, PriceBook>,
    period: &BillingPeriod,
) -> PricedRecommendation {
    let mut out = PricedRecommendation {
        recommendation: r.clone(),
        hours: period.hours(),
        current_usd_per_month: None,
        recommended_usd_per_month: None,
        unpriced: None,
        price_source: None,
        realised_on: None,
    };
    let region: Region = match r.region.as_deref().map(str::parse) {
        Some(Ok(region)) => region,
        Some(Err(e)) => {
            out.unpriced = Some(e);
            return out;
        }
        None => {
            out.unpriced = Some(format!("no region in `{}`", r.resource));
            return out;
        }
    };
    let Some(book) = books.get(&region) else {
        out.unpriced = Some(format!("no price book for {region}"));
        return out;
    };
    out.price_source = Some(book.label());
    let Some(recommended) = &r.recommended else {
        out.unpriced = Some("Compute Optimizer proposes no configuration".into());
        return out;
    };
    // Each side priced on its own: the cost now is shown even when the recommended
    // configuration cannot be priced.
    let mut why = Vec::new();
    match monthly_usd(current, region, book, period) {
        Ok(now) => out.current_usd_per_month = Some(now),
        Err(e) => why.push(e),
    }
    match monthly_usd(recommended, region, book, period) {
        Ok(then) => out.recommended_usd_per_month = Some(then),
        Err(e) if !why.contains(&e) => why.push(e),
        Err(_) => {}
    }
    out.unpriced = (!why.is_empty()).then(|| why.join("; "));
    out
}

/// A component's settings given as JSON, decoded by its service as a model file's would be.
struct JsonSettings(serde_json::Value);

impl SettingsDecoder for JsonSettings {
    type Error = String;

    fn settings<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        serde_json::from_value(self.0.clone()).map_err(|e| e.to_string())
    }

    fn invalid(&self, error: FieldError) -> String {
        error.to_string()
    }
}

/// A configuration's cost over the period by archcost's services: one component with its
/// settings, alone in a flat-load topology, estimated. Databases count their instance hours
/// only (as Compute Optimizer's instance recommendations do).
fn monthly_usd(
    c: &Configuration,
    region: Region,
    book: &PriceBook,
    period: &BillingPeriod,
) -> Result<f64, String> {
    let (kind, settings) = match c {
        Configuration::Removed => return Ok(0.0),
        Configuration::Running => {
            return Err(
                "Compute Optimizer's idle recommendation does not give the resource's size, and no other recommendation of it does"
                    .into(),
            );
        }
        Configuration::EcsOnEc2Task { .. } => {
            return Err(
                "an ECS service on EC2 costs what its container instances cost; rightsize those"
                    .into(),
            );
        }
        Configuration::FargateTask {
            cpu_units,
            memory_mib,
        } => (
            ComponentKind::FargateService,
            json!({
                "vcpu": f64::from(*cpu_units) / 1024.0,
                "memory_gb": f64::from(*memory_mib) / 1024.0,
                "desired_count": 1,
            }),
        ),
        Configuration::Instance { instance_type } => (
            ComponentKind::Ec2Instances,
            json!({"instance_type": instance_type, "count": 1}),
        ),
        Configuration::Group {
            instance_type,
            desired_capacity,
        } => (
            ComponentKind::Ec2Instances,
            json!({"instance_type": instance_type, "count": desired_capacity}),
        ),
        Configuration::Database {
            engine,
            instance_class,
            storage_type,
            ..
        } => match engine.as_str() {
            "postgres" => (
                ComponentKind::RdsPostgresql,
                json!({
                    "instance_class": instance_class,
                    "deployment": "single_az",
                    "storage_type": "gp3",
                    "storage_gb": 20,
                }),
            ),
            "aurora-postgresql" => (
                ComponentKind::AuroraPostgresql,
                json!({
                    "storage_configuration": if storage_type.as_deref() == Some("aurora-iopt1") {
                        "io_optimized"
                    } else {
                        "standard"
                    },
                    "writer": {"instance_class": instance_class},
                    "storage_gb": 0,
                    "io_requests_per_transaction": 0,
                }),
            ),
            other => {
                return Err(format!(
                    "engine `{other}`: archcost prices RDS for PostgreSQL (`postgres`) and Aurora PostgreSQL (`aurora-postgresql`) only"
                ));
            }
        },
    };
    let spec = kind
        .decode(&JsonSettings(settings))
        .map_err(|e| format!("{c}: {e}"))?;
    let topology = Topology::new(TopologyParts {
        name: c.to_string(),
        region,
        availability_zones: 1,
        workload: Workload {
            peak_tps: 1.0,
            profile: WeeklyProfile::flat(),
        },
        free_tier: false,
        claimed_savings_percent: None,
        commitments: Vec::new(),
        components: vec![Component {
            id: "resource".into(),
            tags: Default::default(),
            match_tags: Default::default(),
            spec,
            origin: None,
        }],
        flows: Vec::new(),
        source: SourceMap::new(""),
    })
    .map_err(|e| format!("{c}: {e}"))?;
    let e = estimate(&topology, book, period).map_err(|e| match e {
        EstimateError::MissingPrices { missing, .. } => format!(
            "{} has no price for {c}: {}",
            book.label(),
            missing
                .iter()
                .map(|m| m.key.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    })?;
    Ok(match c {
        Configuration::Database { .. } => e
            .lines
            .iter()
            .filter(|l| {
                l.usage_type.contains("InstanceUsage") || l.usage_type.contains("Multi-AZUsage")
            })
            .map(|l| l.usd_per_month)
            .sum(),
        _ => e.total_usd(),
    })
}
