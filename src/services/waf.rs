//! AWS WAF web ACLs: a monthly charge per web ACL and per rule (or rule group), prorated by the
//! hour, plus a charge per million requests inspected.

use serde::Deserialize;

use super::{Context, Lever, Meter, Service, Twin, Usage, key};
use crate::vocabulary::fields::{FieldError, NonNegative};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, Region, ServiceCode, Unit};

/// A validated regional web ACL (on an ALB).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WebAcl {
    /// Rules and managed rule groups in the web ACL.
    pub rules: u32,
    /// Requests inspected per platform transaction.
    pub requests_per_transaction: f64,
}

/// `waf_web_acl` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    rules: u32,
    requests_per_transaction: NonNegative,
}

impl Service for WebAcl {
    const KIND: &'static str = "waf_web_acl";
    const ORIGINATES_TRAFFIC: bool = false;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] = &["WebACLV2", "RuleV2", "RequestV2-Tier1"];

    fn from_settings(s: Settings) -> Result<Self, FieldError> {
        Ok(WebAcl {
            rules: s.rules,
            requests_per_transaction: s.requests_per_transaction.0,
        })
    }

    fn usage_type_for_description(d: &str, region: Region) -> Option<String> {
        let base = if d.contains("per web acl") {
            "WebACLV2"
        } else if d.contains("per rule") && d.contains("web acl") {
            "RuleV2"
        } else {
            return None;
        };
        Some(region.usage_type(base, PrefixRule::Always))
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
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

    fn provisioned(&self, _lever: Lever, _tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        None
    }
}
