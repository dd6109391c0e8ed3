//! AWS Config: configuration items recorded and rule evaluations (tiered).

use serde::Deserialize;

use super::{Context, Lever, Meter, Service, Twin, Usage, key};
use crate::vocabulary::fields::{FieldError, NonNegative};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, ServiceCode, Unit};

/// The Config recorder and rules of the account.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recorder {
    /// Configuration items recorded a month (continuous recording).
    pub configuration_items_per_month: f64,
    /// Rule evaluations a month (e.g. the required-tags rules).
    pub rule_evaluations_per_month: f64,
}

/// `aws_config` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    configuration_items_per_month: NonNegative,
    rule_evaluations_per_month: NonNegative,
}

impl Service for Recorder {
    const KIND: &'static str = "aws_config";
    const ORIGINATES_TRAFFIC: bool = false;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] =
        &["ConfigurationItemRecorded", "ConfigRuleEvaluations"];

    fn from_settings(s: Settings) -> Result<Self, FieldError> {
        Ok(Recorder {
            configuration_items_per_month: s.configuration_items_per_month.0,
            rule_evaluations_per_month: s.rule_evaluations_per_month.0,
        })
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
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

    fn provisioned(&self, _lever: Lever, _tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        None
    }
}
