//! AWS Config: configuration items recorded and rule evaluations (tiered).

use super::{Context, Meter, Usage, key};
use crate::text::qty;
use crate::units::{PrefixRule, ServiceCode, Unit};

/// The Config recorder and rules of the account.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recorder {
    /// Configuration items recorded a month (continuous recording).
    pub configuration_items_per_month: f64,
    /// Rule evaluations a month (e.g. the required-tags rules).
    pub rule_evaluations_per_month: f64,
}

impl Recorder {
    pub(crate) fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let cfg = |base: &str| {
            key(
                ServiceCode::AwsConfig,
                ctx.region.usage_type(base, PrefixRule::Always),
                None,
            )
        };
        out.add(Usage::new(
            id,
            cfg("ConfigurationItemRecorded"),
            Unit::ConfigurationItems,
            self.configuration_items_per_month,
            format!(
                "{} configuration items recorded",
                qty(self.configuration_items_per_month)
            ),
        ));
        out.add(Usage::new(
            id,
            cfg("ConfigRuleEvaluations"),
            Unit::RuleEvaluations,
            self.rule_evaluations_per_month,
            format!("{} rule evaluations", qty(self.rule_evaluations_per_month)),
        ));
    }
}
