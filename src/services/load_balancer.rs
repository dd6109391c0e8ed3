//! Application Load Balancers: an hourly charge plus LCU-hours, where an hour's LCUs are the
//! largest of four dimensions: new connections (25/s per LCU), active connections (3,000 per
//! minute per LCU), processed bytes (1 GB per hour per LCU for instance, IP and container
//! targets) and rule evaluations (1,000/s per LCU, the first 10 rules free). An internet-facing
//! ALB also holds a public IPv4 address in each availability zone it spans.

use serde::Deserialize;

use super::{Context, Lever, Meter, Service, Twin, Usage, key, public_ipv4};
use crate::vocabulary::fields::{FieldError, NonNegative};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{BYTES_PER_GB, PrefixRule, Region, ServiceCode, Unit};

/// Rules evaluated per request that are free of LCU charge.
pub const FREE_RULES: f64 = 10.0;

/// A validated Application Load Balancer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadBalancer {
    /// Load balancers of this shape.
    pub count: u32,
    /// HTTP requests reaching the ALB per platform transaction.
    pub requests_per_transaction: f64,
    /// Request plus response bytes processed per request.
    pub processed_bytes_per_request: f64,
    /// New client connections per request (keep-alive makes this small).
    pub new_connections_per_request: f64,
    /// How long a connection stays open, seconds.
    pub connection_duration_seconds: f64,
    /// Listener rules evaluated per request.
    pub rules_evaluated: f64,
    /// Public IPv4 addresses held; one per AZ and load balancer when not set (0 for an
    /// internal ALB).
    pub public_ipv4_addresses: Option<u32>,
}

/// LCUs of one hour, by dimension.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LcuDimensions {
    /// From new connections per second.
    pub new_connections: f64,
    /// From active connections per minute.
    pub active_connections: f64,
    /// From GB processed in the hour.
    pub processed_bytes: f64,
    /// From rule evaluations per second.
    pub rule_evaluations: f64,
}

impl LcuDimensions {
    /// The billed LCUs: the largest dimension.
    pub fn billed(&self) -> f64 {
        self.new_connections
            .max(self.active_connections)
            .max(self.processed_bytes)
            .max(self.rule_evaluations)
    }
}

impl LoadBalancer {
    /// LCU dimensions at a platform load, per load balancer (requests are shared evenly).
    pub fn lcus_at(&self, tps: f64) -> LcuDimensions {
        let rps = tps * self.requests_per_transaction / self.count as f64;
        let new_per_s = rps * self.new_connections_per_request;
        LcuDimensions {
            new_connections: new_per_s / 25.0,
            active_connections: new_per_s * self.connection_duration_seconds / 3000.0,
            processed_bytes: rps * 3600.0 * self.processed_bytes_per_request / BYTES_PER_GB,
            rule_evaluations: rps * (self.rules_evaluated - FREE_RULES).max(0.0) / 1000.0,
        }
    }
}

/// `application_load_balancer` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    count: Option<u32>,
    requests_per_transaction: NonNegative,
    processed_bytes_per_request: NonNegative,
    new_connections_per_request: NonNegative,
    connection_duration_seconds: NonNegative,
    rules_evaluated: NonNegative,
    /// Public IPv4 addresses held (default: one per AZ and load balancer; 0 for an internal
    /// ALB).
    public_ipv4_addresses: Option<u32>,
}

impl Service for LoadBalancer {
    const KIND: &'static str = "application_load_balancer";
    const ORIGINATES_TRAFFIC: bool = false;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] =
        &["LoadBalancerUsage", "LCUUsage", public_ipv4::IN_USE];

    fn from_settings(s: Settings) -> Result<Self, FieldError> {
        if s.count == Some(0) {
            return Err(FieldError::new(
                "count",
                "0 load balancers; expected at least 1",
            ));
        }
        Ok(LoadBalancer {
            count: s.count.unwrap_or(1),
            requests_per_transaction: s.requests_per_transaction.0,
            processed_bytes_per_request: s.processed_bytes_per_request.0,
            new_connections_per_request: s.new_connections_per_request.0,
            connection_duration_seconds: s.connection_duration_seconds.0,
            rules_evaluated: s.rules_evaluated.0,
            public_ipv4_addresses: s.public_ipv4_addresses,
        })
    }

    fn usage_type_for_description(d: &str, region: Region) -> Option<String> {
        // Network and Classic load balancers bill the same usage types under other operations:
        // only an Application load balancer's descriptions are this service's.
        let base = if d.contains("application load balancer capacity unit") {
            "LCUUsage"
        } else if d.contains("application loadbalancer-hour")
            || d.contains("application load balancer-hour")
        {
            "LoadBalancerUsage"
        } else {
            return None;
        };
        Some(region.usage_type(base, PrefixRule::ExceptUsEast1))
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let elb = |base: &str| {
            key(
                ServiceCode::AwsElb,
                ctx.region.usage_type(base, PrefixRule::ExceptUsEast1),
                None,
            )
        };
        out.add(Usage::new(
            id,
            elb("LoadBalancerUsage"),
            Unit::Hours,
            self.count as f64 * ctx.hours(),
            format!("{} ALB × {} h", self.count, qty(ctx.hours())),
        ));
        let lcu_hours: f64 = ctx
            .tps
            .iter()
            .map(|t| self.lcus_at(*t).billed())
            .sum::<f64>()
            * self.count as f64;
        let peak = ctx.tps.iter().copied().fold(0.0, f64::max);
        let d = self.lcus_at(peak);
        out.add(Usage::new(
            id,
            elb("LCUUsage"),
            Unit::LcuHours,
            lcu_hours,
            format!(
                "LCU-hours, the largest dimension each hour (at peak: new conns {:.2}, active conns {:.2}, bytes {:.2}, rules {:.2} LCU)",
                d.new_connections, d.active_connections, d.processed_bytes, d.rule_evaluations
            ),
        ));
        let addresses = self
            .public_ipv4_addresses
            .unwrap_or(self.count * ctx.availability_zones);
        public_ipv4::meter(id, addresses, "one per AZ, internet-facing", ctx, out);
    }

    fn provisioned(&self, _lever: Lever, _tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lcus_are_the_largest_dimension() {
        let alb = LoadBalancer {
            count: 1,
            requests_per_transaction: 1.0,
            processed_bytes_per_request: 10_000.0,
            new_connections_per_request: 0.1,
            connection_duration_seconds: 60.0,
            rules_evaluated: 20.0,
            public_ipv4_addresses: None,
        };
        let d = alb.lcus_at(1000.0);
        // 1,000 req/s × 0.1 = 100 new conn/s / 25 = 4 LCU.
        assert!((d.new_connections - 4.0).abs() < 1e-12);
        // 100 conn/s × 60 s = 6,000 active / 3,000 = 2 LCU.
        assert!((d.active_connections - 2.0).abs() < 1e-12);
        // 1,000 × 3,600 × 10,000 B = 36,000,000,000 B / 2^30 = 33.528 GB/h → 33.528 LCU.
        assert!((d.processed_bytes - 36e9 / 1_073_741_824.0).abs() < 1e-9);
        // 1,000 req/s × (20 − 10) rules = 10,000 evals/s / 1,000 = 10 LCU.
        assert!((d.rule_evaluations - 10.0).abs() < 1e-12);
        assert_eq!(d.billed(), d.processed_bytes);
    }
}
