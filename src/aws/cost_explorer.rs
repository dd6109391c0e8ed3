//! Cost Explorer `GetCostAndUsage`, following `NextPageToken` to the end, and the response as
//! the API (or `aws ce get-cost-and-usage`) gives it. Two queries a range:
//! usage records grouped by SERVICE and USAGE_TYPE, and every record grouped by RECORD_TYPE for
//! the credits, refunds, taxes, support and commitment charges.

use aws_sdk_costexplorer::Client;
use aws_sdk_costexplorer::types::{
    DateInterval, Dimension, DimensionValues, Expression, Granularity,
    GroupDefinition as SdkGroupDefinition, GroupDefinitionType, TagValues,
};

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{AwsError, AwsOptions, Pages, block_on, sdk_error};

/// What to ask Cost Explorer for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// First month, `YYYY-MM`.
    pub from_month: String,
    /// Last month, `YYYY-MM`, inclusive.
    pub to_month: String,
    /// `DAILY` instead of `MONTHLY` results (summed into months all the same).
    pub daily: bool,
    /// Only spend with this tag (`Environment=prod`).
    pub tag: Option<(String, String)>,
    /// Only spend of this linked account.
    pub linked_account: Option<String>,
}

/// The month after `YYYY-MM`, or `None` when it is not a month.
pub fn next_month(month: &str) -> Option<String> {
    let (y, m) = month.split_once('-')?;
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    if !(1..=12).contains(&m) {
        return None;
    }
    Some(if m == 12 {
        format!("{:04}-01", y + 1)
    } else {
        format!("{y:04}-{:02}", m + 1)
    })
}

/// A GetCostAndUsage response.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Response {
    /// What each group key is.
    #[serde(default)]
    pub group_definitions: Vec<GroupDefinition>,
    /// One entry per time period.
    pub results_by_time: Vec<ResultByTime>,
    /// Set when more pages follow.
    #[serde(default)]
    pub next_page_token: Option<String>,
}

/// A group-by dimension.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct GroupDefinition {
    /// `DIMENSION`, `TAG` or `COST_CATEGORY`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// The dimension (`SERVICE`, `USAGE_TYPE`, `RECORD_TYPE`, …).
    pub key: String,
}

/// One time period.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct ResultByTime {
    /// Start (inclusive) and end (exclusive) dates.
    pub time_period: TimePeriod,
    /// The groups.
    #[serde(default)]
    pub groups: Vec<Group>,
    /// Ungrouped totals.
    #[serde(default)]
    pub total: BTreeMap<String, Metric>,
    /// Whether Cost Explorer still estimates the period.
    #[serde(default)]
    pub estimated: bool,
}

/// A time period.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct TimePeriod {
    /// YYYY-MM-DD.
    pub start: String,
    /// YYYY-MM-DD, exclusive.
    pub end: String,
}

/// One group's metrics.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Group {
    /// Values of the group-by dimensions, in order.
    pub keys: Vec<String>,
    /// Metric name → amount.
    pub metrics: BTreeMap<String, Metric>,
}

/// An amount, as a string, with its unit.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Metric {
    /// The amount.
    pub amount: String,
    /// `USD`, `Hrs`, `N/A`, …
    #[serde(default)]
    pub unit: String,
}

fn filter(q: &Query, record_types: Option<&[&str]>) -> Option<Expression> {
    let mut parts = Vec::new();
    if let Some(types) = record_types {
        parts.push(
            Expression::builder()
                .dimensions(
                    DimensionValues::builder()
                        .key(Dimension::RecordType)
                        .set_values(Some(types.iter().map(|t| t.to_string()).collect()))
                        .build(),
                )
                .build(),
        );
    }
    if let Some((k, v)) = &q.tag {
        parts.push(
            Expression::builder()
                .tags(TagValues::builder().key(k).values(v).build())
                .build(),
        );
    }
    if let Some(a) = &q.linked_account {
        parts.push(
            Expression::builder()
                .dimensions(
                    DimensionValues::builder()
                        .key(Dimension::LinkedAccount)
                        .values(a)
                        .build(),
                )
                .build(),
        );
    }
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(Expression::builder().set_and(Some(parts)).build()),
    }
}

async fn fetch(
    client: &Client,
    options: &AwsOptions,
    q: &Query,
    group_by: &[&str],
    metrics: &[&str],
    record_types: Option<&[&str]>,
) -> Result<Vec<Response>, AwsError> {
    let bad_query = |message: String| AwsError {
        operation: "ce:GetCostAndUsage".into(),
        message,
    };
    let end = next_month(&q.to_month)
        .ok_or_else(|| bad_query(format!("`{}` is not a month", q.to_month)))?;
    let interval = DateInterval::builder()
        .start(format!("{}-01", q.from_month))
        .end(format!("{end}-01"))
        .build()
        .map_err(|e| bad_query(e.to_string()))?;
    let mut pages = Vec::new();
    let mut token: Option<String> = None;
    let mut pager = Pages::new("ce:GetCostAndUsage");
    loop {
        let mut request = client
            .get_cost_and_usage()
            .time_period(interval.clone())
            .granularity(if q.daily {
                Granularity::Daily
            } else {
                Granularity::Monthly
            })
            .set_filter(filter(q, record_types))
            .set_next_page_token(token.clone());
        for m in metrics {
            request = request.metrics(*m);
        }
        for g in group_by {
            // `TAG:Key` groups by a tag's values; anything else is a dimension.
            let (kind, key) = match g.strip_prefix("TAG:") {
                Some(k) => (GroupDefinitionType::Tag, k),
                None => (GroupDefinitionType::Dimension, *g),
            };
            request = request.group_by(SdkGroupDefinition::builder().r#type(kind).key(key).build());
        }
        let out = request
            .send()
            .await
            .map_err(|e| sdk_error("ce:GetCostAndUsage", &e, options))?;
        pages.push(Response {
            group_definitions: out
                .group_definitions()
                .iter()
                .map(|g| GroupDefinition {
                    kind: g
                        .r#type()
                        .map(|t| t.as_str().to_string())
                        .unwrap_or_default(),
                    key: g.key().unwrap_or_default().to_string(),
                })
                .collect(),
            results_by_time: out
                .results_by_time()
                .iter()
                .map(|r| ResultByTime {
                    time_period: TimePeriod {
                        start: r
                            .time_period()
                            .map(|p| p.start().to_string())
                            .unwrap_or_default(),
                        end: r
                            .time_period()
                            .map(|p| p.end().to_string())
                            .unwrap_or_default(),
                    },
                    groups: r
                        .groups()
                        .iter()
                        .map(|g| Group {
                            keys: g.keys().to_vec(),
                            metrics: g
                                .metrics()
                                .map(|m| {
                                    m.iter()
                                        .map(|(k, v)| {
                                            (
                                                k.clone(),
                                                Metric {
                                                    amount: v.amount().unwrap_or("0").to_string(),
                                                    unit: v.unit().unwrap_or("").to_string(),
                                                },
                                            )
                                        })
                                        .collect()
                                })
                                .unwrap_or_default(),
                        })
                        .collect(),
                    total: Default::default(),
                    estimated: r.estimated(),
                })
                .collect(),
            next_page_token: out.next_page_token().map(str::to_string),
        });
        token = pager.next(out.next_page_token())?;
        if token.is_none() {
            return Ok(pages);
        }
    }
}

/// Usage cost by service and by the values of each tag key, one query a key (Cost Explorer
/// groups by two things at most): `metric` is `UnblendedCost` or `AmortizedCost`.
pub fn fetch_by_tag(
    q: &Query,
    keys: &[String],
    metric: &str,
    options: &AwsOptions,
) -> Result<Vec<Response>, AwsError> {
    options.check_profile("ce:GetCostAndUsage")?;
    block_on(async {
        let client = Client::new(&options.config(Some("us-east-1")).await);
        let mut pages = Vec::new();
        for k in keys {
            pages.extend(
                fetch(
                    &client,
                    options,
                    q,
                    &["SERVICE", &format!("TAG:{k}")],
                    &[metric],
                    Some(&["Usage", "DiscountedUsage", "SavingsPlanCoveredUsage"]),
                )
                .await?,
            );
        }
        Ok(pages)
    })?
}

/// Every page of both queries for a range: usage by service and usage type, then every record
/// by record type.
pub fn fetch_all(q: &Query, options: &AwsOptions) -> Result<Vec<Response>, AwsError> {
    options.check_profile("ce:GetCostAndUsage")?;
    block_on(async {
        let client = Client::new(&options.config(Some("us-east-1")).await);
        let mut pages = fetch(
            &client,
            options,
            q,
            &["SERVICE", "USAGE_TYPE"],
            &["UnblendedCost", "AmortizedCost", "UsageQuantity"],
            Some(&["Usage", "DiscountedUsage", "SavingsPlanCoveredUsage"]),
        )
        .await?;
        pages.extend(
            fetch(
                &client,
                options,
                q,
                &["RECORD_TYPE"],
                &["UnblendedCost"],
                None,
            )
            .await?,
        );
        Ok(pages)
    })?
}

/// One Savings Plan's month, from `GetSavingsPlansUtilizationDetails`.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanUtilization {
    /// The plan's ARN.
    pub arn: String,
    /// Commitment spent, USD.
    pub used_usd: f64,
    /// Commitment not spent, USD.
    pub unused_usd: f64,
    /// What the covered usage would have cost on demand, USD.
    pub on_demand_equivalent_usd: f64,
}

/// One reservation's month, from `GetReservationUtilization` grouped by `SUBSCRIPTION_ID`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReservationUtilization {
    /// The subscription id.
    pub subscription: String,
    /// Its amortized fee for the month, USD.
    pub total_amortized_usd: f64,
    /// The part of it paid for unused hours, USD.
    pub unused_usd: f64,
    /// What the hours it covered would have cost on demand, USD.
    pub on_demand_equivalent_usd: f64,
}

/// A month of commitments as Cost Explorer reports them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Commitments {
    /// Each Savings Plan.
    pub plans: Vec<PlanUtilization>,
    /// Each reservation.
    pub reservations: Vec<ReservationUtilization>,
    /// Spend Savings Plans could have covered but ran on demand (`GetSavingsPlansCoverage`),
    /// USD; what they covered is the plans' own on-demand equivalent.
    pub on_demand_usd: f64,
}

/// An amount Cost Explorer gives as text; an error naming the field when it is not a number.
fn amount(operation: &str, field: &str, value: Option<&str>) -> Result<f64, AwsError> {
    let text = value.unwrap_or("0");
    text.parse().map_err(|_| AwsError {
        operation: operation.into(),
        message: format!("{field} is `{text}`, not an amount"),
    })
}

/// A month's Savings Plan utilisation (per plan) and coverage, and reservation utilisation
/// (per subscription), every page of each.
pub fn fetch_commitments(month: &str, options: &AwsOptions) -> Result<Commitments, AwsError> {
    options.check_profile("ce:GetSavingsPlansUtilizationDetails")?;
    let end = next_month(month).ok_or_else(|| AwsError {
        operation: "ce:GetSavingsPlansUtilizationDetails".into(),
        message: format!("`{month}` is not a month"),
    })?;
    block_on(async {
        let client = Client::new(&options.config(Some("us-east-1")).await);
        let interval = DateInterval::builder()
            .start(format!("{month}-01"))
            .end(format!("{end}-01"))
            .build()
            .map_err(|e| AwsError {
                operation: "ce:GetSavingsPlansUtilizationDetails".into(),
                message: e.to_string(),
            })?;
        let mut out = Commitments::default();
        let op = "ce:GetSavingsPlansUtilizationDetails";
        let mut token: Option<String> = None;
        let mut pager = Pages::new(op);
        loop {
            let page = client
                .get_savings_plans_utilization_details()
                .time_period(interval.clone())
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| sdk_error(op, &e, options))?;
            for d in page.savings_plans_utilization_details() {
                let u = d.utilization();
                out.plans.push(PlanUtilization {
                    arn: d.savings_plan_arn().unwrap_or_default().to_string(),
                    used_usd: amount(op, "UsedCommitment", u.and_then(|u| u.used_commitment()))?,
                    unused_usd: amount(
                        op,
                        "UnusedCommitment",
                        u.and_then(|u| u.unused_commitment()),
                    )?,
                    on_demand_equivalent_usd: amount(
                        op,
                        "OnDemandCostEquivalent",
                        d.savings().and_then(|s| s.on_demand_cost_equivalent()),
                    )?,
                });
            }
            token = pager.next(page.next_token())?;
            if token.is_none() {
                break;
            }
        }
        let op = "ce:GetSavingsPlansCoverage";
        let mut pager = Pages::new(op);
        loop {
            let page = client
                .get_savings_plans_coverage()
                .time_period(interval.clone())
                .granularity(Granularity::Monthly)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| sdk_error(op, &e, options))?;
            for c in page.savings_plans_coverages() {
                let data = c.coverage();
                out.on_demand_usd +=
                    amount(op, "OnDemandCost", data.and_then(|d| d.on_demand_cost()))?;
            }
            token = pager.next(page.next_token())?;
            if token.is_none() {
                break;
            }
        }
        let op = "ce:GetReservationUtilization";
        let mut pager = Pages::new(op);
        loop {
            let page = client
                .get_reservation_utilization()
                .time_period(interval.clone())
                .group_by(
                    SdkGroupDefinition::builder()
                        .r#type(GroupDefinitionType::Dimension)
                        .key("SUBSCRIPTION_ID")
                        .build(),
                )
                .set_next_page_token(token.clone())
                .send()
                .await
                .map_err(|e| sdk_error(op, &e, options))?;
            for period in page.utilizations_by_time() {
                for g in period.groups() {
                    let u = g.utilization();
                    out.reservations.push(ReservationUtilization {
                        subscription: g.value().unwrap_or_default().to_string(),
                        total_amortized_usd: amount(
                            op,
                            "TotalAmortizedFee",
                            u.and_then(|u| u.total_amortized_fee()),
                        )?,
                        unused_usd: amount(
                            op,
                            "RICostForUnusedHours",
                            u.and_then(|u| u.ri_cost_for_unused_hours()),
                        )?,
                        on_demand_equivalent_usd: amount(
                            op,
                            "OnDemandCostOfRIHoursUsed",
                            u.and_then(|u| u.on_demand_cost_of_ri_hours_used()),
                        )?,
                    });
                }
            }
            token = pager.next(page.next_page_token())?;
            if token.is_none() {
                break;
            }
        }
        Ok(out)
    })?
}
