//! AWS X-Ray: traces recorded (a sampled share of requests) and traces retrieved or scanned.

use serde::Deserialize;

use super::{Context, Lever, Meter, Service, Twin, Usage, key};
use crate::vocabulary::fields::{FieldError, NonNegative, percent};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, ServiceCode, Unit};

/// Tracing of the platform's transactions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tracing {
    /// Percentage of transactions recorded as traces.
    pub sampled_percent: f64,
    /// Traces retrieved or scanned, as a percentage of those recorded.
    pub scanned_percent_of_recorded: f64,
}

/// `xray` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    sampled_percent: NonNegative,
    scanned_percent_of_recorded: NonNegative,
}

impl Service for Tracing {
    const KIND: &'static str = "xray";
    const ORIGINATES_TRAFFIC: bool = false;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] = &["XRay-TracesStored", "XRay-TracesAccessed"];

    fn from_settings(s: Settings) -> Result<Self, FieldError> {
        Ok(Tracing {
            sampled_percent: percent("sampled_percent", s.sampled_percent.0)?,
            scanned_percent_of_recorded: percent(
                "scanned_percent_of_recorded",
                s.scanned_percent_of_recorded.0,
            )?,
        })
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
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

    fn provisioned(&self, _lever: Lever, _tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        None
    }
}
