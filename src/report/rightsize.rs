//! Rightsizing recommendations as tables, JSON, CSV or Markdown: the model's own changes and
//! Compute Optimizer's, in one list ranked by archcost's saving.

use serde::Serialize;

use super::Report;
use super::table::{Csv, Table};
use crate::analysis::compute_optimizer::{
    COMPUTE_OPTIMIZER_HOURS, Configuration, FLAG_PERCENT, Finding, PricedRecommendation,
    ResourceError, difference_percent,
};
use crate::analysis::rightsize::{Recommendation, Rightsizing, listed};
use crate::vocabulary::text::usd;

/// The ranked recommendations, with what they were computed from.
pub struct RightsizeReport<'a> {
    /// The model (`models/x.yaml`, `… [variant]`), when one was given.
    pub model: Option<&'a str>,
    /// The model's total and its recommendations, when a model was given.
    pub rightsizing: Option<&'a Rightsizing>,
    /// Compute Optimizer's recommendations, each priced by archcost.
    pub compute_optimizer: &'a [PricedRecommendation],
    /// Resources Compute Optimizer could not answer for.
    pub optimizer_errors: &'a [ResourceError],
    /// Where Compute Optimizer's answers came from (`Compute Optimizer API`, file names).
    pub optimizer_source: Option<&'a str>,
    /// The smallest saving shown, USD a month.
    pub min_saving_usd: f64,
}

/// A recommendation as a variant to paste under the model's `variants:`, on one line
/// (`rightsize-1: {patch: {api: {architecture: arm64}}}`).
pub fn variant(name: &str, r: &Recommendation) -> String {
    format!("{name}: {}", r.variant_body())
}

fn name(rank: usize) -> String {
    format!("rightsize-{rank}")
}

/// One entry of the ranked list.
enum Item<'a> {
    Model(&'a Recommendation),
    Optimizer(&'a PricedRecommendation),
}

impl Item<'_> {
    fn saving(&self) -> Option<f64> {
        match self {
            Item::Model(r) => r.saving_usd_per_month(),
            Item::Optimizer(p) => p.saving_usd_per_month(),
        }
    }

    /// The component, or the resource's short name (the JSON has its ARN).
    fn target(&self) -> String {
        match self {
            Item::Model(r) => r.component.clone(),
            Item::Optimizer(p) => p.recommendation.short_name(),
        }
    }

    fn change(&self) -> String {
        match self {
            Item::Model(r) => r.change.description().to_string(),
            Item::Optimizer(p) => {
                let r = &p.recommendation;
                let to = r
                    .recommended
                    .as_ref()
                    .map_or(String::new(), ToString::to_string);
                match (&r.current, r.finding.clone()) {
                    (Configuration::Running, f) => format!("{}: {to}", f.name()),
                    (now, f) => format!("{now} → {to} ({})", f.name()),
                }
            }
        }
    }

    fn change_name(&self) -> String {
        match self {
            Item::Model(r) => r.change.name().to_string(),
            Item::Optimizer(p) => match p.recommendation.finding {
                Finding::Idle | Finding::Unattached | Finding::Unused => "stop-idle".into(),
                _ => "resize".into(),
            },
        }
    }

    fn source(&self) -> &'static str {
        match self {
            Item::Model(r) => r.source.name(),
            Item::Optimizer(_) => "compute-optimizer",
        }
    }

    fn current(&self) -> Option<f64> {
        match self {
            Item::Model(r) => Some(r.current_usd_per_month),
            Item::Optimizer(p) => p.current_usd_per_month,
        }
    }

    fn stated(&self) -> Option<f64> {
        match self {
            Item::Model(r) => r.compute_optimizer_usd_per_month,
            Item::Optimizer(p) => p.stated_usd_per_month(),
        }
    }

    /// archcost's saving against Compute Optimizer's, percent of Compute Optimizer's.
    fn difference(&self) -> Option<f64> {
        match self {
            Item::Model(r) => difference_percent(
                r.saving_usd_per_month()?,
                r.compute_optimizer_usd_per_month?,
            ),
            Item::Optimizer(p) => p.difference_percent(),
        }
    }

    fn risk(&self) -> &'static str {
        match self {
            Item::Model(r) => r.risk,
            Item::Optimizer(p) => match p.recommendation.recommended {
                Some(Configuration::Removed) => {
                    "whatever still uses it stops working; check its owner first"
                }
                _ => match p.recommendation.finding {
                    Finding::Underprovisioned => "costs more, to remove a performance risk",
                    _ => "less headroom: watch the utilisation after the change, at peak",
                },
            },
        }
    }

    fn how(&self, rank: usize) -> String {
        match self {
            Item::Model(r) => variant(&name(rank), r),
            Item::Optimizer(p) => p.command(),
        }
    }

    fn evidence(&self) -> Option<String> {
        match self {
            Item::Model(r) => match self.difference().filter(|_| self.flagged()) {
                Some(d) => Some(format!(
                    "{}; archcost's saving differs from Compute Optimizer's by {d:+.0}%: archcost counts the model's tasks hour by hour, Compute Optimizer the tasks it observed",
                    r.evidence.clone().unwrap_or_default(),
                )),
                None => r.evidence.clone(),
            },
            Item::Optimizer(p) => {
                let r = &p.recommendation;
                let mut parts = Vec::new();
                if !r.utilization.is_empty() {
                    let metrics: Vec<String> =
                        r.utilization.iter().map(ToString::to_string).collect();
                    parts.push(format!(
                        "utilisation {}{}",
                        metrics.join(", "),
                        r.lookback_days
                            .map_or(String::new(), |d| format!(" over {d} days"))
                    ));
                }
                if let Some(why) = &p.unpriced {
                    parts.push(format!("unpriced: {why}"));
                }
                if let (Some(d), Some(reason)) = (p.difference_percent(), p.reason()) {
                    parts.push(format!(
                        "archcost's saving differs from Compute Optimizer's by {d:+.0}%: {reason}"
                    ));
                }
                (!parts.is_empty()).then(|| parts.join("; "))
            }
        }
    }

    fn flagged(&self) -> bool {
        self.difference().is_some_and(|d| d.abs() > FLAG_PERCENT)
    }
}

impl RightsizeReport<'_> {
    /// The model's changes and Compute Optimizer's proposed changes saving at least the minimum
    /// (and the unpriced ones), largest saving first, unpriced last.
    fn items(&self) -> Vec<Item<'_>> {
        let mut items: Vec<Item> = self
            .rightsizing
            .map(|r| r.recommendations.iter().map(Item::Model).collect())
            .unwrap_or_default();
        items.extend(
            self.compute_optimizer
                .iter()
                .filter(|p| p.proposes_change() && p.realised_on.is_none())
                .filter(|p| listed(p.saving_usd_per_month(), self.min_saving_usd))
                .map(Item::Optimizer),
        );
        items.sort_by(|a, b| match (a.saving(), b.saving()) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        items
    }

    /// What Compute Optimizer found that is not in the list (optimized, under-provisioned),
    /// counted by finding.
    fn unlisted(&self) -> Vec<(String, usize)> {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for p in self.compute_optimizer {
            let listed = p.realised_on.is_some()
                || p.proposes_change() && listed(p.saving_usd_per_month(), self.min_saving_usd);
            if listed {
                continue;
            }
            let f = p.recommendation.finding.name().to_string();
            match counts.iter_mut().find(|(k, _)| *k == f) {
                Some((_, n)) => *n += 1,
                None => counts.push((f, 1)),
            }
        }
        counts
    }

    fn title(&self, listed: usize) -> String {
        let what = match (self.model, self.optimizer_source) {
            (Some(m), Some(o)) => format!("{m} and {o}"),
            (Some(m), None) => m.to_string(),
            (None, Some(o)) => o.to_string(),
            (None, None) => "nothing".to_string(),
        };
        format!(
            "Rightsizing {what}: {} change(s) that save at least {} USD a month, each priced by archcost",
            listed,
            usd(self.min_saving_usd)
        )
    }
}

impl Report for RightsizeReport<'_> {
    type Json<'b>
        = JsonRightsize<'b>
    where
        Self: 'b;

    fn tables(&self) -> Vec<Table> {
        let items = self.items();
        let saving: f64 = items.iter().filter_map(Item::saving).sum();
        let with_optimizer = self.optimizer_source.is_some();
        let mut head = vec![
            "#",
            "resource",
            "change",
            "source",
            "now $/mo",
            "saving $/mo",
        ];
        let mut right = vec![true, false, false, false, true, true];
        if with_optimizer {
            head.push("CO saving $/mo");
            right.push(true);
        }
        head.extend(["risk", "how"]);
        right.extend([false, false]);
        let rows = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let mut row = vec![
                    (i + 1).to_string(),
                    item.target(),
                    item.change(),
                    item.source().to_string(),
                    item.current().map_or("unpriced".into(), usd),
                    item.saving().map_or("unpriced".into(), usd),
                ];
                if with_optimizer {
                    row.push(match item.stated() {
                        Some(s) if item.flagged() => format!("{} ⚑", usd(s)),
                        Some(s) => usd(s),
                        None => "—".into(),
                    });
                }
                row.push(item.risk().to_string());
                row.push(item.how(i + 1));
                row
            })
            .collect();
        let mut summary = Vec::new();
        if let Some(r) = self.rightsizing {
            summary.push(format!(
                "Model total {} USD a month; each saving is against it alone (savings of several changes may not add up).",
                usd(r.base.total_usd())
            ));
        }
        if with_optimizer {
            let hours = self
                .compute_optimizer
                .first()
                .map_or(COMPUTE_OPTIMIZER_HOURS, |p| p.hours);
            summary.push(format!(
                "Compute Optimizer's recommendations are priced by archcost over {hours} hours (one task for an ECS service); ⚑ marks a saving more than {FLAG_PERCENT}% from Compute Optimizer's own."
            ));
        }
        let mut notes: Vec<String> = items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| item.evidence().map(|e| format!("{}: {e}.", i + 1)))
            .collect();
        let unlisted = self.unlisted();
        if !unlisted.is_empty() {
            notes.push(format!(
                "Compute Optimizer also found {} resource(s) not listed (no change that saves at least the minimum): {} (all in --format json).",
                unlisted.iter().map(|(_, n)| n).sum::<usize>(),
                unlisted
                    .iter()
                    .map(|(f, n)| format!("{n} {f}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        notes.extend(
            self.optimizer_errors
                .iter()
                .map(|e| format!("Compute Optimizer could not answer for a resource: {e}.")),
        );
        if self.rightsizing.is_some() {
            notes.push(
                "Paste a variant under the model's `variants:` and run `archcost compare MODEL --variant rightsize-N` to see it line by line."
                    .to_string(),
            );
        }
        notes.push(format!(
            "Together the changes listed save up to {} USD a month.",
            usd(saving)
        ));
        vec![Table {
            title: self.title(items.len()),
            head: head.into_iter().map(String::from).collect(),
            right,
            rows,
            summary: (!summary.is_empty()).then(|| summary.join(" ")),
            notes,
            shrink: Some(if with_optimizer { 7 } else { 6 }),
            ..Table::default()
        }]
    }

    fn csv(&self) -> Csv {
        Csv::new(
            &[
                "rank",
                "resource",
                "change",
                "source",
                "current_usd_per_month",
                "saving_usd_per_month",
                "compute_optimizer_saving_usd_per_month",
                "flagged",
                "risk",
                "evidence",
                "how",
            ],
            self.items().iter().enumerate().map(|(i, item)| {
                let money = |v: Option<f64>| v.map_or(String::new(), |s| format!("{s:.6}"));
                vec![
                    (i + 1).to_string(),
                    match item {
                        Item::Optimizer(p) => p.recommendation.resource.clone(),
                        Item::Model(_) => item.target(),
                    },
                    item.change_name(),
                    item.source().to_string(),
                    money(item.current()),
                    money(item.saving()),
                    money(item.stated()),
                    item.flagged().to_string(),
                    item.risk().to_string(),
                    item.evidence().unwrap_or_default(),
                    item.how(i + 1),
                ]
            }),
        )
    }

    fn json(&self) -> JsonRightsize<'_> {
        JsonRightsize {
            model: self.model,
            total_usd_per_month: self.rightsizing.map(|r| r.base.total_usd()),
            min_saving_usd: self.min_saving_usd,
            recommendations: self
                .items()
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let (component, resource, unpriced, changed_total, variant_text, command) =
                        match item {
                            Item::Model(r) => (
                                Some(r.component.clone()),
                                None,
                                r.changed_total_usd_per_month.is_none(),
                                r.changed_total_usd_per_month,
                                Some(variant(&name(i + 1), r)),
                                None,
                            ),
                            Item::Optimizer(p) => (
                                None,
                                Some(p.recommendation.resource.clone()),
                                p.unpriced.is_some(),
                                None,
                                None,
                                Some(p.command()).filter(|c| !c.is_empty()),
                            ),
                        };
                    JsonRecommendation {
                        rank: i + 1,
                        component,
                        resource,
                        change: item.change_name(),
                        description: item.change(),
                        source: item.source(),
                        current_usd_per_month: item.current(),
                        saving_usd_per_month: item.saving(),
                        compute_optimizer_saving_usd_per_month: item.stated(),
                        flagged: item.flagged(),
                        unpriced,
                        changed_total_usd_per_month: changed_total,
                        risk: item.risk(),
                        evidence: item.evidence(),
                        variant: variant_text,
                        command,
                    }
                })
                .collect(),
            compute_optimizer: self.optimizer_source.map(|source| JsonOptimizer {
                source,
                findings: self
                    .compute_optimizer
                    .iter()
                    .map(|p| {
                        let r = &p.recommendation;
                        JsonFinding {
                            api: r.api.operation(),
                            resource: &r.resource,
                            account_id: &r.account_id,
                            region: r.region.as_deref(),
                            finding: r.finding.name(),
                            reasons: &r.reasons,
                            current: r.current.to_string(),
                            recommended: r.recommended.as_ref().map(ToString::to_string),
                            utilization: r
                                .utilization
                                .iter()
                                .map(|m| JsonMetric {
                                    name: &m.name,
                                    statistic: &m.statistic,
                                    value: m.value,
                                })
                                .collect(),
                            lookback_days: r.lookback_days,
                            hours: p.hours,
                            current_usd_per_month: p.current_usd_per_month,
                            recommended_usd_per_month: p.recommended_usd_per_month,
                            saving_usd_per_month: p.saving_usd_per_month(),
                            compute_optimizer_saving: r.saving.as_ref().map(|s| JsonSaving {
                                amount_per_month: s.amount_per_month,
                                currency: &s.currency,
                                percent: s.percent,
                            }),
                            compute_optimizer_saving_after_discounts: r
                                .saving_after_discounts
                                .as_ref()
                                .map(|s| JsonSaving {
                                    amount_per_month: s.amount_per_month,
                                    currency: &s.currency,
                                    percent: s.percent,
                                }),
                            difference_percent: p.difference_percent().filter(|d| d.is_finite()),
                            flagged: p.flagged(),
                            reason: p.reason(),
                            unpriced: p.unpriced.as_deref(),
                            price_source: p.price_source.as_deref(),
                            component: p.realised_on.as_deref(),
                        }
                    })
                    .collect(),
                errors: self
                    .optimizer_errors
                    .iter()
                    .map(|e| JsonError {
                        api: e.api.operation(),
                        identifier: &e.identifier,
                        code: &e.code,
                        message: &e.message,
                    })
                    .collect(),
            }),
        }
    }
}

/// The recommendations' JSON.
#[derive(Serialize)]
pub struct JsonRightsize<'a> {
    model: Option<&'a str>,
    total_usd_per_month: Option<f64>,
    min_saving_usd: f64,
    recommendations: Vec<JsonRecommendation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    compute_optimizer: Option<JsonOptimizer<'a>>,
}

/// One recommendation of the ranked list in JSON.
#[derive(Serialize)]
pub struct JsonRecommendation {
    rank: usize,
    component: Option<String>,
    resource: Option<String>,
    change: String,
    description: String,
    source: &'static str,
    current_usd_per_month: Option<f64>,
    saving_usd_per_month: Option<f64>,
    compute_optimizer_saving_usd_per_month: Option<f64>,
    flagged: bool,
    unpriced: bool,
    changed_total_usd_per_month: Option<f64>,
    risk: &'static str,
    evidence: Option<String>,
    variant: Option<String>,
    command: Option<String>,
}

/// Everything Compute Optimizer answered, in JSON.
#[derive(Serialize)]
pub struct JsonOptimizer<'a> {
    source: &'a str,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError<'a>>,
}

/// One Compute Optimizer recommendation with archcost's prices.
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    api: &'static str,
    resource: &'a str,
    account_id: &'a str,
    region: Option<&'a str>,
    finding: &'a str,
    reasons: &'a [String],
    current: String,
    recommended: Option<String>,
    utilization: Vec<JsonMetric<'a>>,
    lookback_days: Option<f64>,
    hours: usize,
    current_usd_per_month: Option<f64>,
    recommended_usd_per_month: Option<f64>,
    saving_usd_per_month: Option<f64>,
    compute_optimizer_saving: Option<JsonSaving<'a>>,
    compute_optimizer_saving_after_discounts: Option<JsonSaving<'a>>,
    difference_percent: Option<f64>,
    flagged: bool,
    reason: Option<String>,
    unpriced: Option<&'a str>,
    price_source: Option<&'a str>,
    component: Option<&'a str>,
}

/// A utilisation metric in JSON.
#[derive(Serialize)]
pub struct JsonMetric<'a> {
    name: &'a str,
    statistic: &'a str,
    value: f64,
}

/// A saving Compute Optimizer states, in JSON.
#[derive(Serialize)]
pub struct JsonSaving<'a> {
    amount_per_month: f64,
    currency: &'a str,
    percent: Option<f64>,
}

/// A resource Compute Optimizer could not answer for, in JSON.
#[derive(Serialize)]
pub struct JsonError<'a> {
    api: &'static str,
    identifier: &'a str,
    code: &'a str,
    message: &'a str,
}
