//! Cost Explorer `GetCostAndUsage`, following `NextPageToken` to the end. Two queries a range:
//! usage records grouped by SERVICE and USAGE_TYPE, and every record grouped by RECORD_TYPE for
//! the credits, refunds, taxes, support and commitment charges.

use aws_sdk_costexplorer::Client;
use aws_sdk_costexplorer::types::{
    DateInterval, Dimension, DimensionValues, Expression, Granularity, GroupDefinition,
    GroupDefinitionType, TagValues,
};

use super::{AwsOptions, block_on, sdk_error};
use crate::actuals::cost_explorer::{self as ce, Response};
use crate::actuals::{ActualsError, MonthlyActuals};

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

fn next_month(month: &str) -> Result<String, ActualsError> {
    let bad = || ActualsError::Spec(format!("`{month}` is not a month; expected YYYY-MM"));
    let (y, m) = month.split_once('-').ok_or_else(bad)?;
    let (y, m): (i32, u32) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if !(1..=12).contains(&m) {
        return Err(bad());
    }
    Ok(if m == 12 {
        format!("{:04}-01", y + 1)
    } else {
        format!("{y:04}-{:02}", m + 1)
    })
}

/// Parses `ce:YYYY-MM` or `ce:YYYY-MM..YYYY-MM`.
pub fn parse_spec(spec: &str) -> Result<Query, ActualsError> {
    let body = spec.strip_prefix("ce:").unwrap_or(spec);
    let (from, to) = body.split_once("..").unwrap_or((body, body));
    next_month(from)?;
    next_month(to)?;
    if to < from {
        return Err(ActualsError::Spec(format!(
            "{spec}: the range ends before it starts"
        )));
    }
    Ok(Query {
        from_month: from.into(),
        to_month: to.into(),
        daily: false,
        tag: None,
        linked_account: None,
    })
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
    q: &Query,
    group_by: &[&str],
    metrics: &[&str],
    record_types: Option<&[&str]>,
) -> Result<Vec<Response>, ActualsError> {
    let interval = DateInterval::builder()
        .start(format!("{}-01", q.from_month))
        .end(format!("{}-01", next_month(&q.to_month)?))
        .build()
        .map_err(|e| ActualsError::Spec(e.to_string()))?;
    let mut pages = Vec::new();
    let mut token: Option<String> = None;
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
            request = request.group_by(
                GroupDefinition::builder()
                    .r#type(GroupDefinitionType::Dimension)
                    .key(*g)
                    .build(),
            );
        }
        let out = request
            .send()
            .await
            .map_err(|e| sdk_error("ce:GetCostAndUsage", &e))?;
        pages.push(Response {
            group_definitions: out
                .group_definitions()
                .iter()
                .map(|g| ce::GroupDefinition {
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
                .map(|r| ce::ResultByTime {
                    time_period: ce::TimePeriod {
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
                        .map(|g| ce::Group {
                            keys: g.keys().to_vec(),
                            metrics: g
                                .metrics()
                                .map(|m| {
                                    m.iter()
                                        .map(|(k, v)| {
                                            (
                                                k.clone(),
                                                ce::Metric {
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
        token = out
            .next_page_token()
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        if token.is_none() {
            return Ok(pages);
        }
    }
}

/// Actuals from the Cost Explorer API.
pub fn load(q: &Query, options: &AwsOptions, source: &str) -> Result<MonthlyActuals, ActualsError> {
    block_on(async {
        let client = Client::new(&options.config(Some("us-east-1")).await);
        let usage = fetch(
            &client,
            q,
            &["SERVICE", "USAGE_TYPE"],
            &["UnblendedCost", "AmortizedCost", "UsageQuantity"],
            Some(&["Usage", "DiscountedUsage", "SavingsPlanCoveredUsage"]),
        )
        .await?;
        let other = fetch(&client, q, &["RECORD_TYPE"], &["UnblendedCost"], None).await?;
        let mut all = usage;
        all.extend(other);
        let mut a = ce::to_actuals(&all, source)?;
        a.format = "Cost Explorer API".into();
        Ok(a)
    })?
}
