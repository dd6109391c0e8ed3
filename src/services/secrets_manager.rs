//! AWS Secrets Manager: a monthly charge per secret and a charge per 10,000 API calls.

use super::{Context, Meter, Usage, key};
use crate::text::qty;
use crate::units::{PrefixRule, ServiceCode, Unit};

/// Secrets and the calls that read them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Secrets {
    /// Secrets stored.
    pub secrets: u32,
    /// API calls a month (tasks fetch their configuration at start and on rotation).
    pub api_calls_per_month: f64,
}

impl Secrets {
    pub(crate) fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
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
}
