//! Cost Explorer `GetCostAndUsage` responses (as `aws ce get-cost-and-usage` prints them, or as
//! the SDK returns them) into actual rows.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::names::{cost_explorer_category, service_code, service_for_usage_type};
use super::{ActualsError, MonthlyActuals};
use crate::analysis::reconcile::{ActualRow, ChargeCategory};
use crate::analysis::tags::KeyCost;
pub use crate::aws::cost_explorer::{
    Group, GroupDefinition, Metric, Response, ResultByTime, TimePeriod,
};

/// The cost metric read from a response, in order of preference.
const COST_METRICS: [&str; 2] = ["UnblendedCost", "AmortizedCost"];

/// Rows of one or more pages of responses, with their months.
pub fn to_actuals(pages: &[Response], source: &str) -> Result<MonthlyActuals, ActualsError> {
    let mut out = MonthlyActuals::new(source);
    for page in pages {
        let position = |dim: &str| {
            page.group_definitions
                .iter()
                .position(|g| g.kind == "DIMENSION" && g.key == dim)
        };
        let (service_at, usage_at, record_at) = (
            position("SERVICE"),
            position("USAGE_TYPE"),
            position("RECORD_TYPE"),
        );
        // A response grouped by RECORD_TYPE alone carries the non-usage charges; usage comes
        // from a response grouped by SERVICE and USAGE_TYPE.
        let non_usage_only = usage_at.is_none() && record_at.is_some();
        if !page.results_by_time.iter().all(|r| r.groups.is_empty())
            && usage_at.is_none()
            && !non_usage_only
        {
            return Err(bad(
                source,
                "the response is grouped by neither USAGE_TYPE nor RECORD_TYPE; expected GroupBy SERVICE and USAGE_TYPE (and optionally a second response grouped by RECORD_TYPE)",
            ));
        }
        for r in &page.results_by_time {
            let month = month_of(r);
            if r.estimated {
                out.estimated_months.insert(month.clone());
            }
            for g in &r.groups {
                let key =
                    |i: Option<usize>| i.and_then(|i| g.keys.get(i)).cloned().unwrap_or_default();
                let service_name = key(service_at);
                let usage_type = key(usage_at);
                let category = match record_at {
                    Some(_) => cost_explorer_category(&key(record_at)),
                    None => match cost_explorer_category(&service_name) {
                        ChargeCategory::Other => ChargeCategory::Usage,
                        c => c,
                    },
                };
                let metric = COST_METRICS
                    .iter()
                    .find_map(|m| g.metrics.get(*m))
                    .ok_or_else(|| {
                        bad(
                            source,
                            format!(
                                "group {:?} has no UnblendedCost or AmortizedCost metric",
                                g.keys
                            ),
                        )
                    })?;
                let number = |m: &Metric, what: &str| {
                    m.amount.parse::<f64>().map_err(|_| {
                        bad(
                            source,
                            format!(
                                "{what} `{}` of group {:?} is not a number",
                                m.amount, g.keys
                            ),
                        )
                    })
                };
                let cost_usd = number(metric, "cost")?;
                out.currencies.insert(metric.unit.clone());
                let quantity = match g.metrics.get("UsageQuantity") {
                    Some(q) => number(q, "UsageQuantity")?,
                    None => 0.0,
                };
                if non_usage_only && category == ChargeCategory::Usage {
                    continue;
                }
                let code = service_for_usage_type(service_code(&service_name), &usage_type);
                out.push(
                    &month,
                    ActualRow {
                        service_code: code,
                        usage_type,
                        category,
                        quantity,
                        cost_usd,
                        tags: BTreeMap::new(),
                    },
                );
            }
        }
    }
    Ok(out)
}

/// The month (`YYYY-MM`) a result covers.
fn month_of(result: &ResultByTime) -> String {
    let start = &result.time_period.start;
    start.get(..7).unwrap_or(start).to_string()
}

/// A response that is not what was expected.
fn bad(source: &str, message: impl Into<String>) -> ActualsError {
    ActualsError::Format {
        origin: source.into(),
        format: "Cost Explorer JSON".into(),
        message: message.into(),
    }
}

/// One response, or several (pages, or a usage query beside a RECORD_TYPE query).
#[derive(Deserialize)]
#[serde(untagged)]
enum Saved {
    One(Response),
    Many(Vec<Response>),
}

/// Parses the JSON `aws ce get-cost-and-usage` prints: one response, or a JSON array of them.
pub fn parse_saved(text: &str, source: &str) -> Result<MonthlyActuals, ActualsError> {
    to_actuals(&saved_pages(text, source)?, source)
}

/// The responses of a saved file: one response, or a JSON array of them.
pub fn saved_pages(text: &str, source: &str) -> Result<Vec<Response>, ActualsError> {
    // An untagged enum's error says only "did not match"; the single-response parse says where.
    let saved: Saved = serde_json::from_str(text)
        .map_err(|_| {
            serde_json::from_str::<Response>(text)
                .err()
                .unwrap_or_else(|| {
                    serde::de::Error::custom("not a response or a list of responses")
                })
        })
        .map_err(|e| {
            bad(
                source,
                format!(
                    "line {}, column {}: {}",
                    e.line(),
                    e.column(),
                    e.to_string().split(" at line ").next().unwrap_or("")
                ),
            )
        })?;
    Ok(match saved {
        Saved::One(r) => vec![r],
        Saved::Many(rs) => rs,
    })
}

/// Usage cost by service and tag value from responses grouped by SERVICE and one TAG each
/// (`Key$value`, `Key$` when untagged), at `metric`.
pub fn key_costs(
    pages: &[Response],
    metric: &str,
    source: &str,
) -> Result<Vec<KeyCost>, ActualsError> {
    let mut out = Vec::new();
    for page in pages {
        let tag_at = page.group_definitions.iter().position(|g| g.kind == "TAG");
        let service_at = page
            .group_definitions
            .iter()
            .position(|g| g.kind == "DIMENSION" && g.key == "SERVICE");
        let (Some(tag_at), Some(service_at)) = (tag_at, service_at) else {
            return Err(bad(
                source,
                "a response is not grouped by SERVICE and a TAG; expected one response per tag key, grouped by DIMENSION SERVICE and TAG KEY",
            ));
        };
        let key = page.group_definitions[tag_at].key.clone();
        for r in &page.results_by_time {
            let month = month_of(r);
            for g in &r.groups {
                let raw = g.keys.get(tag_at).cloned().unwrap_or_default();
                let value = raw
                    .split_once('$')
                    .map_or(raw.as_str(), |(_, v)| v)
                    .to_string();
                let cost = g
                    .metrics
                    .get(metric)
                    .ok_or_else(|| {
                        bad(
                            source,
                            format!("a group has no {metric}; expected the metric asked for"),
                        )
                    })?
                    .amount
                    .parse::<f64>()
                    .map_err(|e| bad(source, format!("{metric} is not a number: {e}")))?;
                out.push(KeyCost {
                    key: key.clone(),
                    month: month.clone(),
                    service: service_code(g.keys.get(service_at).map_or("", String::as_str)),
                    value,
                    cost_usd: cost,
                });
            }
        }
    }
    Ok(out)
}
