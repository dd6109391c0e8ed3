//! AWS CloudTrail: the first copy of management events is free; additional copies and data
//! events (S3 object-level, DynamoDB item-level) are charged per 100,000 events.

use serde::Deserialize;

use super::{Context, Lever, Meter, Service, Twin, Usage, key};
use crate::vocabulary::fields::{FieldError, NonNegative};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, ServiceCode, Unit};

/// Trails of the account.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trail {
    /// Data events per platform transaction (object and item operations logged).
    pub data_events_per_transaction: f64,
    /// Management events a month.
    pub management_events_per_month: f64,
    /// Trails delivering management events beyond the free first copy.
    pub additional_management_copies: u32,
}

/// `cloudtrail` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    data_events_per_transaction: NonNegative,
    management_events_per_month: NonNegative,
    #[serde(default)]
    additional_management_copies: u32,
}

impl Service for Trail {
    const KIND: &'static str = "cloudtrail";
    const ORIGINATES_TRAFFIC: bool = false;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] = &["DataEventsRecorded", "PaidEventsRecorded"];

    fn from_settings(s: Settings) -> Result<Self, FieldError> {
        Ok(Trail {
            data_events_per_transaction: s.data_events_per_transaction.0,
            management_events_per_month: s.management_events_per_month.0,
            additional_management_copies: s.additional_management_copies,
        })
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let ct = |base: &str| {
            key(
                ServiceCode::AwsCloudTrail,
                ctx.region.usage_type(base, PrefixRule::Always),
                None,
            )
        };
        let data = ctx.transactions() * self.data_events_per_transaction;
        out.add(Usage::new(
            id,
            ct("DataEventsRecorded"),
            Unit::Events,
            data,
            format!("{} data events", qty(data)),
        ));
        let paid = self.management_events_per_month * self.additional_management_copies as f64;
        out.add(Usage::new(
            id,
            ct("PaidEventsRecorded"),
            Unit::Events,
            paid,
            format!(
                "{} management events × {} additional copies (the first copy is free)",
                qty(self.management_events_per_month),
                self.additional_management_copies
            ),
        ));
    }

    fn provisioned(&self, _lever: Lever, _tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        None
    }
}
