//! CloudFront distributions: GB out to viewers by price tier, HTTPS requests, bytes sent to the
//! origin, and origin fetch (free from an AWS origin such as an ALB). Rates are those of the
//! United States, Mexico and Canada edge group; the always-free 1 TB and 10M requests are Free
//! Tier allowances, applied only when the model opts in.

use serde::Deserialize;

use super::{Context, Lever, Meter, Service, Twin, Usage, key};
use crate::vocabulary::fields::{FieldError, NonNegative, percent};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{BYTES_PER_GB, PrefixRule, Region, ServiceCode, Unit};

/// A validated CloudFront distribution in front of an AWS origin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distribution {
    /// HTTPS requests per platform transaction (API calls and static assets).
    pub requests_per_transaction: f64,
    /// Response bytes per request sent to viewers.
    pub bytes_per_request: f64,
    /// Percentage of requests served from the edge cache; the rest are fetched from the origin.
    pub cache_hit_percent: f64,
    /// Request body bytes per request forwarded to the origin (POST/PUT).
    pub upload_bytes_per_request: f64,
}

/// `cloudfront_distribution` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    requests_per_transaction: NonNegative,
    bytes_per_request: NonNegative,
    cache_hit_percent: NonNegative,
    #[serde(default)]
    upload_bytes_per_request: Option<NonNegative>,
}

/// The usage type a CloudFront bill line's description names (lower case): data out and HTTPS
/// requests, in the edge-location group of the line's region (United States, Mexico and Canada
/// bill as `US-`, Europe as `EU-`; other groups are left out).
pub fn usage_type_for_description(d: &str, region: Region) -> Option<String> {
    let group = match region.code().split('-').next()? {
        "us" | "ca" | "mx" => "US",
        "eu" => "EU",
        _ => return None,
    };
    let base = if d.contains("data transfer out") {
        "DataTransfer-Out-Bytes"
    } else if d.contains("https requests") {
        "Requests-Tier2-HTTPS"
    } else if d.contains("http requests") {
        "Requests-Tier1"
    } else {
        return None;
    };
    Some(format!("{group}-{base}"))
}

impl Service for Distribution {
    const KIND: &'static str = "cloudfront_distribution";
    const ORIGINATES_TRAFFIC: bool = false;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] = &[
        "US-DataTransfer-Out-Bytes",
        "US-Requests-Tier2-HTTPS",
        "US-DataTransfer-Out-OBytes",
        "CloudFront-Out-Bytes",
    ];

    fn from_settings(s: Settings) -> Result<Self, FieldError> {
        Ok(Distribution {
            requests_per_transaction: s.requests_per_transaction.0,
            bytes_per_request: s.bytes_per_request.0,
            cache_hit_percent: percent("cache_hit_percent", s.cache_hit_percent.0)?,
            upload_bytes_per_request: s.upload_bytes_per_request.map_or(0.0, |x| x.0),
        })
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let requests = ctx.transactions() * self.requests_per_transaction;
        let gb = |bytes: f64| requests * bytes / BYTES_PER_GB;
        let cf = |base: &str| {
            key(
                ServiceCode::AmazonCloudFront,
                ctx.region.usage_type(base, PrefixRule::Global),
                None,
            )
        };
        out.add(Usage::new(
            id,
            cf("US-DataTransfer-Out-Bytes"),
            Unit::Gb,
            gb(self.bytes_per_request),
            format!(
                "{} requests × {} bytes to viewers",
                qty(requests),
                qty(self.bytes_per_request)
            ),
        ));
        out.add(Usage::new(
            id,
            cf("US-Requests-Tier2-HTTPS"),
            Unit::Requests,
            requests,
            format!("{} HTTPS requests", qty(requests)),
        ));
        out.add(Usage::new(
            id,
            cf("US-DataTransfer-Out-OBytes"),
            Unit::Gb,
            gb(self.upload_bytes_per_request),
            "request bodies forwarded to the origin",
        ));
        let miss = 1.0 - self.cache_hit_percent / 100.0;
        let origin_fetch = key(
            ServiceCode::AwsDataTransfer,
            ctx.region
                .usage_type("CloudFront-Out-Bytes", PrefixRule::Always),
            None,
        );
        out.add(Usage::new(
            id,
            origin_fetch,
            Unit::Gb,
            gb(self.bytes_per_request) * miss,
            format!(
                "origin fetch of the {}% cache misses from an AWS origin (no charge)",
                qty(miss * 100.0)
            ),
        ));
    }

    fn provisioned(&self, _lever: Lever, _tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        None
    }
}
