//! AWS KMS: a monthly charge per customer-managed key (AWS-managed keys are free) and a charge
//! per 10,000 requests.

use serde::Deserialize;

use super::{Context, Lever, Meter, Service, Twin, Usage, key};
use crate::vocabulary::fields::{FieldError, NonNegative};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, Region, ServiceCode, Unit};

/// Customer-managed keys and the requests made with them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Keys {
    /// Customer-managed keys.
    pub customer_managed_keys: u32,
    /// Requests per platform transaction (envelope encryption; data-key caching lowers it).
    pub requests_per_transaction: f64,
    /// Requests a month besides those (services decrypting at start-up, rotation).
    pub requests_per_month: f64,
}

/// `kms_keys` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    customer_managed_keys: u32,
    #[serde(default)]
    requests_per_transaction: Option<NonNegative>,
    #[serde(default)]
    requests_per_month: Option<NonNegative>,
}

impl Service for Keys {
    const KIND: &'static str = "kms_keys";
    const ORIGINATES_TRAFFIC: bool = false;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] = &["KMS-Keys", "KMS-Requests"];

    fn from_settings(s: Settings) -> Result<Self, FieldError> {
        Ok(Keys {
            customer_managed_keys: s.customer_managed_keys,
            requests_per_transaction: s.requests_per_transaction.map_or(0.0, |x| x.0),
            requests_per_month: s.requests_per_month.map_or(0.0, |x| x.0),
        })
    }

    fn usage_type_for_description(d: &str, region: Region) -> Option<String> {
        let base = if d.contains("customer managed kms key") {
            "KMS-Keys"
        } else if d.contains("kms requests") {
            "KMS-Requests"
        } else {
            return None;
        };
        Some(region.usage_type(base, PrefixRule::RegionCode))
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let kms = |base: &str| {
            key(
                ServiceCode::AwsKms,
                ctx.region.usage_type(base, PrefixRule::RegionCode),
                None,
            )
        };
        out.add(Usage::new(
            id,
            kms("KMS-Keys"),
            Unit::Months,
            self.customer_managed_keys as f64,
            format!("{} customer-managed keys", self.customer_managed_keys),
        ));
        let requests = ctx.transactions() * self.requests_per_transaction + self.requests_per_month;
        out.add(Usage::new(
            id,
            kms("KMS-Requests"),
            Unit::Requests,
            requests,
            format!("{} symmetric requests", qty(requests)),
        ));
    }

    fn provisioned(&self, _lever: Lever, _tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        None
    }
}
