//! AWS KMS: a monthly charge per customer-managed key (AWS-managed keys are free) and a charge
//! per 10,000 requests.

use super::{Context, Meter, Usage, key};
use crate::text::qty;
use crate::units::{PrefixRule, ServiceCode, Unit};

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

impl Keys {
    pub(crate) fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
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
}
