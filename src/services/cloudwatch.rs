//! Amazon CloudWatch: log GB ingested (requests × bytes logged) and stored (retention, in
//! steady state), custom metrics, alarms and dashboards.

use serde::Deserialize;

use super::{Context, Lever, Meter, Service, Twin, Usage, key};
use crate::vocabulary::fields::{FieldError, NonNegative, percent};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{BYTES_PER_GB, PrefixRule, Region, ServiceCode, Unit};

/// Logs, metrics, alarms and dashboards of the platform.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Monitoring {
    /// Log bytes written per platform transaction.
    pub log_bytes_per_transaction: f64,
    /// Days logs are kept.
    pub log_retention_days: f64,
    /// Stored size as a percentage of the ingested size (CloudWatch stores logs compressed).
    pub stored_size_percent: f64,
    /// Custom metrics published.
    pub custom_metrics: u32,
    /// Standard-resolution alarms.
    pub alarms: u32,
    /// Dashboards.
    pub dashboards: u32,
}

impl Monitoring {
    /// GB of logs ingested over the period.
    pub fn log_gb_ingested(&self, ctx: &Context<'_>) -> f64 {
        ctx.transactions() * self.log_bytes_per_transaction / BYTES_PER_GB
    }
}

/// `cloudwatch` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    log_bytes_per_transaction: NonNegative,
    log_retention_days: NonNegative,
    #[serde(default)]
    stored_size_percent: Option<NonNegative>,
    custom_metrics: u32,
    alarms: u32,
    dashboards: u32,
}

impl Service for Monitoring {
    const KIND: &'static str = "cloudwatch";
    const ORIGINATES_TRAFFIC: bool = false;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] = &[
        "DataProcessing-Bytes",
        "TimedStorage-ByteHrs",
        "CW:MetricMonitorUsage",
        "CW:AlarmMonitorUsage",
        "DashboardsUsageHour",
    ];

    fn from_settings(s: Settings) -> Result<Self, FieldError> {
        if s.log_retention_days.0 < 1.0 {
            return Err(FieldError::new(
                "log_retention_days",
                "expected at least 1 day",
            ));
        }
        Ok(Monitoring {
            log_bytes_per_transaction: s.log_bytes_per_transaction.0,
            log_retention_days: s.log_retention_days.0,
            // Logs are stored at their ingested size unless said otherwise.
            stored_size_percent: percent(
                "stored_size_percent",
                s.stored_size_percent.map_or(100.0, |x| x.0),
            )?,
            custom_metrics: s.custom_metrics,
            alarms: s.alarms,
            dashboards: s.dashboards,
        })
    }

    fn usage_type_for_description(d: &str, region: Region) -> Option<String> {
        let (base, rule) = if d.contains("custom log data ingested") {
            ("DataProcessing-Bytes", PrefixRule::Always)
        } else if d.contains("vended logs ingested") {
            ("VendedLog-Bytes", PrefixRule::Always)
        } else if d.contains("of log storage") {
            ("TimedStorage-ByteHrs", PrefixRule::Always)
        } else if d.contains("getmetricdata") {
            ("CW:GMD-Metrics", PrefixRule::ExceptUsEast1)
        } else if d.contains("alarm metric month") {
            ("CW:AlarmMonitorUsage", PrefixRule::ExceptUsEast1)
        } else if d.contains("per metric-month") {
            ("CW:MetricMonitorUsage", PrefixRule::ExceptUsEast1)
        } else if d.contains("per dashboard") {
            ("DashboardsUsageHour", PrefixRule::Global)
        } else {
            return None;
        };
        Some(region.usage_type(base, rule))
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let cw = |base: &str, rule| {
            key(
                ServiceCode::AmazonCloudWatch,
                ctx.region.usage_type(base, rule),
                None,
            )
        };
        let ingested = self.log_gb_ingested(ctx);
        out.add(Usage::new(
            id,
            cw("DataProcessing-Bytes", PrefixRule::Always),
            Unit::Gb,
            ingested,
            format!(
                "{} transactions × {} bytes of logs",
                qty(ctx.transactions()),
                qty(self.log_bytes_per_transaction)
            ),
        ));
        // Steady state: each day's ingest is kept for retention_days, so the average stored
        // volume is retention_days days' worth of ingest.
        let days = ctx.hours() / 24.0;
        let stored = ingested / days * self.log_retention_days * self.stored_size_percent / 100.0;
        out.add(Usage::new(
            id,
            cw("TimedStorage-ByteHrs", PrefixRule::Always),
            Unit::GbMonths,
            stored,
            format!(
                "logs kept {} days at {}% of ingested size (steady state)",
                qty(self.log_retention_days),
                qty(self.stored_size_percent)
            ),
        ));
        out.add(Usage::new(
            id,
            cw("CW:MetricMonitorUsage", PrefixRule::ExceptUsEast1),
            Unit::Months,
            self.custom_metrics as f64,
            format!("{} custom metrics", self.custom_metrics),
        ));
        out.add(Usage::new(
            id,
            cw("CW:AlarmMonitorUsage", PrefixRule::ExceptUsEast1),
            Unit::Months,
            self.alarms as f64,
            format!("{} standard alarms", self.alarms),
        ));
        out.add(Usage::new(
            id,
            cw("DashboardsUsageHour", PrefixRule::Global),
            Unit::Months,
            self.dashboards as f64,
            format!("{} dashboards", self.dashboards),
        ));
    }

    fn provisioned(&self, _lever: Lever, _tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        None
    }
}
