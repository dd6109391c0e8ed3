//! AWS WAF web ACLs: a monthly charge per web ACL and per rule (or rule group), prorated by the
//! hour, plus a charge per million requests inspected.

use super::{Context, Meter, Usage, key};
use crate::text::qty;
use crate::units::{PrefixRule, ServiceCode, Unit};

/// A validated regional web ACL (on an ALB).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WebAcl {
    /// Rules and managed rule groups in the web ACL.
    pub rules: u32,
    /// Requests inspected per platform transaction.
    pub requests_per_transaction: f64,
}

impl WebAcl {
    pub(crate) fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let waf = |base: &str| {
            key(
                ServiceCode::AwsWaf,
                ctx.region.usage_type(base, PrefixRule::Always),
                None,
            )
        };
        // Present all period: one resource-month each, whatever the month's length.
        out.add(Usage::new(
            id,
            waf("WebACLV2"),
            Unit::Months,
            1.0,
            "1 web ACL",
        ));
        out.add(Usage::new(
            id,
            waf("RuleV2"),
            Unit::Months,
            self.rules as f64,
            format!("{} rules and rule groups", self.rules),
        ));
        let requests = ctx.transactions() * self.requests_per_transaction;
        out.add(Usage::new(
            id,
            waf("RequestV2-Tier1"),
            Unit::Requests,
            requests,
            format!("{} requests inspected", qty(requests)),
        ));
    }
}
