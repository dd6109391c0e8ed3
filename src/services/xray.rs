//! AWS X-Ray: traces recorded (a sampled share of requests) and traces retrieved or scanned.

use super::{Context, Meter, Usage, key};
use crate::text::qty;
use crate::units::{PrefixRule, ServiceCode, Unit};

/// Tracing of the platform's transactions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tracing {
    /// Percentage of transactions recorded as traces.
    pub sampled_percent: f64,
    /// Traces retrieved or scanned, as a percentage of those recorded.
    pub scanned_percent_of_recorded: f64,
}

impl Tracing {
    pub(crate) fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let xray = |base: &str| {
            key(
                ServiceCode::AwsXray,
                ctx.region.usage_type(base, PrefixRule::Always),
                None,
            )
        };
        let recorded = ctx.transactions() * self.sampled_percent / 100.0;
        out.add(Usage::new(
            id,
            xray("XRay-TracesStored"),
            Unit::Traces,
            recorded,
            format!(
                "{}% of {} transactions sampled",
                qty(self.sampled_percent),
                qty(ctx.transactions())
            ),
        ));
        let scanned = recorded * self.scanned_percent_of_recorded / 100.0;
        out.add(Usage::new(
            id,
            xray("XRay-TracesAccessed"),
            Unit::Traces,
            scanned,
            format!(
                "{}% of recorded traces retrieved or scanned",
                qty(self.scanned_percent_of_recorded)
            ),
        ));
    }
}
