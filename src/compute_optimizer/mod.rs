//! Compute Optimizer's answers read: a saved response (what `aws compute-optimizer
//! get-…-recommendations` prints) or the pages `aws::compute_optimizer` fetched, turned into
//! the [`Recommendation`]s archcost prices. A response of another API is an error that names
//! what it found.

use crate::analysis::compute_optimizer::{
    Api, Configuration, Finding, Metric, Recommendation, Recommendations, ResourceError,
    StatedSaving,
};
use crate::aws::compute_optimizer::response::{
    self, Page, Savings, SavingsOpportunity, UtilizationMetric,
};

/// A saved response archcost cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}: {message}")]
pub struct SavedError {
    /// The file.
    pub source_name: String,
    /// What is wrong and what was expected.
    pub message: String,
}

const WRONG_APIS: &[(&str, &str)] = &[
    (
        "lambdaFunctionRecommendations",
        "Compute Optimizer GetLambdaFunctionRecommendations",
    ),
    (
        "volumeRecommendations",
        "Compute Optimizer GetEBSVolumeRecommendations",
    ),
    (
        "licenseRecommendations",
        "Compute Optimizer GetLicenseRecommendations",
    ),
    (
        "recommendationSummaries",
        "Compute Optimizer GetRecommendationSummaries",
    ),
    (
        "recommendedOptionProjectedMetrics",
        "Compute Optimizer GetEC2RecommendationProjectedMetrics",
    ),
    ("ResultsByTime", "Cost Explorer GetCostAndUsage"),
    (
        "SavingsPlansPurchaseRecommendation",
        "Cost Explorer GetSavingsPlansPurchaseRecommendation",
    ),
    (
        "RightsizingRecommendations",
        "Cost Explorer GetRightsizingRecommendation",
    ),
    ("PriceList", "the Price List GetProducts"),
];

/// Reads a saved response: one page as `aws compute-optimizer get-…-recommendations
/// --output json` writes it, or an array of pages. A response of another API is an error that
/// names what it found.
pub fn parse_saved(text: &str, source_name: &str) -> Result<Vec<Page>, SavedError> {
    let error = |message: String| SavedError {
        source_name: source_name.to_string(),
        message,
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        error(format!(
            "not JSON (line {}, column {}: {e}); expected a saved Compute Optimizer response",
            e.line(),
            e.column()
        ))
    })?;
    let objects = match value {
        serde_json::Value::Array(pages) => pages,
        other => vec![other],
    };
    let mut pages = Vec::with_capacity(objects.len());
    for (i, object) in objects.into_iter().enumerate() {
        let at = |m: String| {
            if i == 0 {
                m
            } else {
                format!("page {}: {m}", i + 1)
            }
        };
        let Some(map) = object.as_object() else {
            return Err(error(at(
                "expected a JSON object (a Compute Optimizer response)".into(),
            )));
        };
        let lists: Vec<&str> = Api::ALL
            .iter()
            .map(|a| a.list_field())
            .filter(|f| map.contains_key(*f))
            .collect();
        if lists.is_empty() {
            let found = WRONG_APIS
                .iter()
                .find(|(field, _)| map.contains_key(*field))
                .map(|(field, api)| format!("a {api} response (it has `{field}`)"))
                .unwrap_or_else(|| {
                    let keys: Vec<&str> = map.keys().map(String::as_str).take(6).collect();
                    format!(
                        "an object with {}",
                        if keys.is_empty() {
                            "no fields".to_string()
                        } else {
                            format!("`{}`", keys.join("`, `"))
                        }
                    )
                });
            return Err(error(at(format!(
                "this is {found}, not a recommendation list archcost reads; expected the output of {}",
                Api::ALL
                    .iter()
                    .map(|a| a.operation())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))));
        }
        let page: Page = serde_json::from_value(object).map_err(|e| {
            error(at(format!(
                "{e}; expected a {} response as the API gives it",
                lists.join(" / ")
            )))
        })?;
        pages.push(page);
    }
    Ok(pages)
}

/// The region of an ARN (`arn:aws:ecs:eu-west-1:…` → `eu-west-1`).
pub fn arn_region(arn: &str) -> Option<String> {
    let mut parts = arn.split(':');
    (parts.next()? == "arn").then_some(())?;
    let region = parts.nth(2)?;
    (!region.is_empty()).then(|| region.to_string())
}

fn stated(s: &Option<SavingsOpportunity>) -> Option<StatedSaving> {
    let s = s.as_ref()?;
    let money = s.estimated_monthly_savings.as_ref()?;
    Some(StatedSaving {
        amount_per_month: money.value?,
        currency: money.currency.clone().unwrap_or_else(|| "USD".into()),
        percent: s.savings_opportunity_percentage,
    })
}

fn metrics(m: &[UtilizationMetric]) -> Vec<Metric> {
    m.iter()
        .filter_map(|m| {
            Some(Metric {
                name: m.name.clone()?,
                statistic: m.statistic.clone().unwrap_or_default(),
                value: m.value?,
            })
        })
        .collect()
}

/// The option ranked first (rank 1, or the first given when none is ranked).
fn first<T>(options: &[T], rank: impl Fn(&T) -> Option<u32>) -> Option<&T> {
    options.iter().min_by_key(|o| rank(o).unwrap_or(u32::MAX))
}

/// What every recommendation has, whichever API gave it.
struct Found<'a> {
    api: Api,
    resource: String,
    account_id: Option<String>,
    finding: Finding,
    reasons: Vec<String>,
    utilization: &'a [UtilizationMetric],
    lookback_days: Option<f64>,
}

impl Found<'_> {
    /// The recommendation, with the configuration now, the one ranked first and its savings.
    fn with(
        self,
        current: Configuration,
        recommended: Option<Configuration>,
        savings: Option<&Savings>,
    ) -> Recommendation {
        Recommendation {
            api: self.api,
            region: arn_region(&self.resource),
            resource: self.resource,
            account_id: self.account_id.unwrap_or_default(),
            finding: self.finding,
            reasons: self.reasons,
            current,
            recommended,
            saving: savings.and_then(|s| stated(&s.savings_opportunity)),
            saving_after_discounts: savings
                .and_then(|s| stated(&s.savings_opportunity_after_discounts)),
            utilization: metrics(self.utilization),
            lookback_days: self.lookback_days,
        }
    }
}

fn finding(word: &Option<String>) -> Finding {
    Finding::parse(word.as_deref().unwrap_or(""))
}

/// The recommendations and errors of the pages, in order.
pub fn from_pages(pages: Vec<Page>) -> Recommendations {
    let mut out = Recommendations::default();
    for page in pages {
        let errors_api = if page.ecs_service_recommendations.is_some() {
            Api::EcsServices
        } else if page.instance_recommendations.is_some() {
            Api::Ec2Instances
        } else if page.auto_scaling_group_recommendations.is_some() {
            Api::AutoScalingGroups
        } else if page.rds_db_recommendations.is_some() {
            Api::RdsDatabases
        } else {
            Api::Idle
        };
        for e in page.errors {
            out.errors.push(ResourceError {
                api: errors_api,
                identifier: e.identifier.unwrap_or_else(|| "(no identifier)".into()),
                code: e.code.unwrap_or_default(),
                message: e.message.unwrap_or_default(),
            });
        }
        for r in page.ecs_service_recommendations.unwrap_or_default() {
            let current = r.current_service_configuration.clone().unwrap_or_default();
            let fargate = r.launch_type.as_deref() != Some("EC2");
            let size = |cpu: Option<u32>, memory: Option<u32>| match (fargate, cpu, memory) {
                (true, Some(cpu_units), Some(memory_mib)) => Configuration::FargateTask {
                    cpu_units,
                    memory_mib,
                },
                _ => Configuration::EcsOnEc2Task {
                    cpu_units: cpu,
                    memory_mib: memory,
                },
            };
            // ECS options are not ranked: the first is the one Compute Optimizer puts first.
            let best = r.service_recommendation_options.first();
            out.recommendations.push(
                Found {
                    api: Api::EcsServices,
                    resource: r.service_arn.clone().unwrap_or_default(),
                    account_id: r.account_id.clone(),
                    finding: finding(&r.finding),
                    reasons: r.finding_reason_codes.clone(),
                    utilization: &r.utilization_metrics,
                    lookback_days: r.lookback_period_in_days,
                }
                .with(
                    size(current.cpu, current.memory),
                    best.map(|o| size(o.cpu, o.memory)),
                    best.map(|o| &o.savings),
                ),
            );
        }
        for r in page.instance_recommendations.unwrap_or_default() {
            let best = first(&r.recommendation_options, |o| o.rank);
            let instance = |t: &Option<String>| {
                Some(Configuration::Instance {
                    instance_type: t.clone()?,
                })
            };
            out.recommendations.push(
                Found {
                    api: Api::Ec2Instances,
                    resource: r.instance_arn.clone().unwrap_or_default(),
                    account_id: r.account_id.clone(),
                    finding: finding(&r.finding),
                    reasons: r.finding_reason_codes.clone(),
                    utilization: &r.utilization_metrics,
                    lookback_days: r.look_back_period_in_days,
                }
                .with(
                    Configuration::Instance {
                        instance_type: r.current_instance_type.clone().unwrap_or_default(),
                    },
                    best.and_then(|o| instance(&o.instance_type)),
                    best.map(|o| &o.savings),
                ),
            );
        }
        for r in page.auto_scaling_group_recommendations.unwrap_or_default() {
            let group = |c: &response::GroupConfiguration| Configuration::Group {
                instance_type: c.instance_type.clone().unwrap_or_default(),
                desired_capacity: c.desired_capacity.unwrap_or(0),
            };
            let best = first(&r.recommendation_options, |o| o.rank);
            out.recommendations.push(
                Found {
                    api: Api::AutoScalingGroups,
                    resource: r
                        .auto_scaling_group_arn
                        .clone()
                        .or(r.auto_scaling_group_name.clone())
                        .unwrap_or_default(),
                    account_id: r.account_id.clone(),
                    finding: finding(&r.finding),
                    reasons: Vec::new(),
                    utilization: &r.utilization_metrics,
                    lookback_days: r.look_back_period_in_days,
                }
                .with(
                    group(&r.current_configuration.clone().unwrap_or_default()),
                    best.and_then(|o| o.configuration.as_ref()).map(group),
                    best.map(|o| &o.savings),
                ),
            );
        }
        for r in page.rds_db_recommendations.unwrap_or_default() {
            let storage = r.current_storage_configuration.clone().unwrap_or_default();
            let database = |class: String| Configuration::Database {
                engine: r.engine.clone().unwrap_or_default(),
                instance_class: class,
                storage_type: storage.storage_type.clone(),
            };
            let best = first(&r.instance_recommendation_options, |o| o.rank);
            out.recommendations.push(
                Found {
                    api: Api::RdsDatabases,
                    resource: r.resource_arn.clone().unwrap_or_default(),
                    account_id: r.account_id.clone(),
                    finding: if r.idle.as_deref() == Some("True") {
                        Finding::Idle
                    } else {
                        finding(&r.instance_finding)
                    },
                    reasons: r.instance_finding_reason_codes.clone(),
                    utilization: &r.utilization_metrics,
                    lookback_days: r.lookback_period_in_days,
                }
                .with(
                    database(r.current_db_instance_class.clone().unwrap_or_default()),
                    best.and_then(|o| o.db_instance_class.clone()).map(database),
                    best.map(|o| &o.savings),
                ),
            );
        }
        for r in page.idle_recommendations.unwrap_or_default() {
            out.recommendations.push(
                Found {
                    api: Api::Idle,
                    resource: r
                        .resource_arn
                        .clone()
                        .or(r.resource_id.clone())
                        .unwrap_or_default(),
                    account_id: r.account_id.clone(),
                    finding: finding(&r.finding),
                    reasons: r
                        .resource_type
                        .iter()
                        .chain(&r.finding_description)
                        .cloned()
                        .collect(),
                    utilization: &r.utilization_metrics,
                    lookback_days: r.look_back_period_in_days,
                }
                .with(
                    Configuration::Running,
                    Some(Configuration::Removed),
                    Some(&r.savings),
                ),
            );
        }
    }
    out
}
