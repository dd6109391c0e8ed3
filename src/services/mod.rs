//! One module per AWS service. Each turns a component's configuration and the hourly load into
//! metered usage: quantities of a usage type, in a unit, over the billing period. Pricing is
//! done afterwards, by `estimate`, so that tiers apply to the account-wide total.

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
pub mod rds;
pub mod s3;
pub mod secrets_manager;
pub mod vpc_endpoint;
pub mod waf;
pub mod xray;

use crate::calendar::BillingPeriod;
use crate::price_book::PriceKey;
use crate::routing::RoutedTraffic;

use crate::topology::{Component, ComponentSpec};
use crate::units::{Region, ServiceCode, Unit};

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
        }
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

/// Meters one component.
pub fn meter(component: &Component, ctx: &Context<'_>, out: &mut Meter) {
    let id = component.id.as_str();
    match &component.spec {
        ComponentSpec::FargateService(s) => s.meter(id, ctx, out),
        ComponentSpec::AuroraPostgresql(s) => s.meter(id, ctx, out),
        ComponentSpec::NatGateway(s) => s.meter(id, ctx, out),
        ComponentSpec::VpcEndpoint(s) => s.meter(id, ctx, out),
        ComponentSpec::DynamoDbTable(s) => s.meter(id, ctx, out),
        ComponentSpec::LoadBalancer(s) => s.meter(id, ctx, out),
        ComponentSpec::CloudFront(s) => s.meter(id, ctx, out),
        ComponentSpec::Waf(s) => s.meter(id, ctx, out),
        ComponentSpec::ElastiCache(s) => s.meter(id, ctx, out),
        ComponentSpec::S3Bucket(s) => s.meter(id, ctx, out),
        ComponentSpec::CloudWatch(s) => s.meter(id, ctx, out),
        ComponentSpec::XRay(s) => s.meter(id, ctx, out),
        ComponentSpec::SecretsManager(s) => s.meter(id, ctx, out),
        ComponentSpec::Kms(s) => s.meter(id, ctx, out),
        ComponentSpec::CloudTrail(s) => s.meter(id, ctx, out),
        ComponentSpec::Config(s) => s.meter(id, ctx, out),
        ComponentSpec::Ec2Instances(s) => s.meter(id, ctx, out),
        ComponentSpec::RdsPostgresql(s) => s.meter(id, ctx, out),
    }
}

/// A price key for a service, usage type and optional operation.
pub(crate) fn key(service: ServiceCode, usage_type: String, operation: Option<&str>) -> PriceKey {
    PriceKey {
        service_code: service,
        usage_type,
        operation: operation.map(str::to_string),
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
    pub fn validate(&self, block: &str, names: [&str; 3]) -> Result<(), (String, String)> {
        let [min, max, throughput] = names;
        let field = |f: &str| format!("{block}.{f}");
        if self.min > self.max {
            return Err((
                field(max),
                format!(
                    "{max} ({}) is below {min} ({}); expected {max} ≥ {min}",
                    self.max, self.min
                ),
            ));
        }
        if !(self.target_cpu_percent > 0.0 && self.target_cpu_percent <= 100.0) {
            return Err((
                field("target_cpu_percent"),
                format!(
                    "{} is not a utilization target; expected a percentage above 0 and at most 100",
                    self.target_cpu_percent
                ),
            ));
        }
        if !(self.tps_at_full_cpu.is_finite() && self.tps_at_full_cpu > 0.0) {
            return Err((
                field(throughput),
                format!(
                    "{} is not a throughput; expected a number above 0",
                    self.tps_at_full_cpu
                ),
            ));
        }
        if !(0.0..=1.0).contains(&self.load_share) {
            return Err((
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
    fn counts_clamp_and_report_shortfall() {
        assert_eq!(clamp_count(0.2, 1, 5), (1, false));
        assert_eq!(clamp_count(2.01, 1, 5), (3, false));
        assert_eq!(clamp_count(7.0, 1, 5), (5, true));
    }
}
