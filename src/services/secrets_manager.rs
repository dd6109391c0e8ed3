//! AWS Secrets Manager: a monthly charge per secret and a charge per 10,000 API calls.

use serde::Deserialize;

use super::{Context, Lever, Meter, Service, Twin, Usage, key};
use crate::vocabulary::fields::{FieldError, NonNegative};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, ServiceCode, Unit};

/// Secrets and the calls that read them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Secrets {
    /// Secrets stored.
    pub secrets: u32,
    /// API calls a month (tasks fetch their configuration at start and on rotation).
    pub api_calls_per_month: f64,
}

/// `secrets_manager` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    secrets: u32,
    api_calls_per_month: NonNegative,
}

impl Service for Secrets {
    const KIND: &'static str = "secrets_manager";
    const ORIGINATES_TRAFFIC: bool = false;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] =
        &["AWSSecretsManager-Secrets", "AWSSecretsManagerAPIRequest"];

    fn from_settings(s: Settings) -> Result<Self, FieldError> {
        Ok(Secrets {
            secrets: s.secrets,
            api_calls_per_month: s.api_calls_per_month.0,
        })
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let sm = |base: &str| {
            key(
                ServiceCode::AwsSecretsManager,
                ctx.region.usage_type(base, PrefixRule::Always),
                None,
            )
        };
        out.add(Usage::new(
            id,
            sm("AWSSecretsManager-Secrets"),
            Unit::Months,
            self.secrets as f64,
            format!("{} secrets", self.secrets),
        ));
        out.add(Usage::new(
            id,
            sm("AWSSecretsManagerAPIRequest"),
            Unit::Requests,
            self.api_calls_per_month,
            format!("{} API calls", qty(self.api_calls_per_month)),
        ));
    }

    fn provisioned(&self, _lever: Lever, _tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        None
    }
}
