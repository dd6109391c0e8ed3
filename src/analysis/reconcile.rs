//! Reconciles an estimate with a month of actual spend, component by component.
//!
//! Actual usage joins estimated lines on service code and usage type. Where several components
//! bill under the same usage type, the actual is split by each component's `match_tags` when
//! every one of them has some and the actual lines carry resource tags, else in proportion to
//! the estimate; each line says which was used.
//!
//! Each variance splits exactly into a **price effect**, actual quantity × (actual unit price −
//! model unit price), and a **usage effect**, (actual quantity − model quantity) × model unit
//! price. Credits, refunds, taxes, support and commitment fees stay out of usage variance, in
//! their own section. Pure: the actuals arrive already read and summed.

use std::collections::BTreeMap;

use crate::engine::estimate::{Estimate, Line};
use crate::engine::price_book::{PriceBasis, PriceBook, PriceKey};
use crate::model::topology::Topology;
use crate::services::Calibrates;

/// What kind of charge an actual line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChargeCategory {
    /// Metered usage (on-demand, or covered by a commitment at its on-demand cost).
    Usage,
    /// Credits.
    Credit,
    /// Refunds.
    Refund,
    /// Taxes.
    Tax,
    /// AWS Support.
    Support,
    /// Savings Plan and Reserved Instance fees, negations and discounts.
    Commitment,
    /// Commitment paid for and not used (FOCUS `CommitmentDiscountStatus = Unused`).
    UnusedCommitment,
    /// Negotiated discounts off list prices (private pricing, EDP, bundled discounts): usage
    /// is compared at list cost on every path, and this is the difference.
    NegotiatedDiscount,
    /// Anything else (adjustments, marketplace, …).
    Other,
}

impl ChargeCategory {
    /// Every category.
    pub const ALL: [ChargeCategory; 9] = [
        ChargeCategory::Usage,
        ChargeCategory::Credit,
        ChargeCategory::Refund,
        ChargeCategory::Tax,
        ChargeCategory::Support,
        ChargeCategory::Commitment,
        ChargeCategory::UnusedCommitment,
        ChargeCategory::NegotiatedDiscount,
        ChargeCategory::Other,
    ];

    /// Its name in reports and in the normalized schema.
    pub fn key(self) -> &'static str {
        match self {
            ChargeCategory::Usage => "usage",
            ChargeCategory::Credit => "credit",
            ChargeCategory::Refund => "refund",
            ChargeCategory::Tax => "tax",
            ChargeCategory::Support => "support",
            ChargeCategory::Commitment => "commitment",
            ChargeCategory::UnusedCommitment => "unused_commitment",
            ChargeCategory::NegotiatedDiscount => "negotiated_discount",
            ChargeCategory::Other => "other",
        }
    }

    /// Parses [`ChargeCategory::key`].
    pub fn from_key(s: &str) -> Option<Self> {
        ChargeCategory::ALL.into_iter().find(|c| c.key() == s)
    }
}

/// Actual spend of one service code and usage type (and tag set), summed over the month.
#[derive(Debug, Clone, PartialEq)]
pub struct ActualRow {
    /// AWS service code (`AmazonECS`), or the service name where no code is known.
    pub service_code: String,
    /// Usage type as billed.
    pub usage_type: String,
    /// Category of the charge.
    pub category: ChargeCategory,
    /// Quantity in the usage type's pricing unit.
    pub quantity: f64,
    /// Cost, USD.
    pub cost_usd: f64,
    /// Resource tags of the lines summed (empty when the source has none).
    pub tags: BTreeMap<String, String>,
}

/// How an actual amount was attributed to a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attribution {
    /// The component is alone on its usage type.
    Whole,
    /// Split by the components' `match_tags`.
    Tags,
    /// Split in proportion to the estimated cost.
    Proportional,
}

impl Attribution {
    /// A word for reports.
    pub fn key(self) -> &'static str {
        match self {
            Attribution::Whole => "whole",
            Attribution::Tags => "tags",
            Attribution::Proportional => "proportional",
        }
    }
}

/// Estimate and actual of one component's usage type.
#[derive(Debug, Clone, PartialEq)]
pub struct LineVariance {
    /// Component id.
    pub component: String,
    /// Service code.
    pub service_code: String,
    /// Usage type.
    pub usage_type: String,
    /// Estimated quantity.
    pub estimated_quantity: f64,
    /// Estimated cost, USD.
    pub estimated_usd: f64,
    /// Actual quantity.
    pub actual_quantity: f64,
    /// Actual cost, USD.
    pub actual_usd: f64,
    /// The date the model's price took effect (from the snapshot the estimate used): a price
    /// effect is measured against it.
    pub price_effective_date: String,
    /// How the actual was attributed.
    pub attribution: Attribution,
    /// Which model field the billed quantity calibrates.
    pub calibrates: Calibrates,
}

impl LineVariance {
    /// Actual minus estimate.
    pub fn variance_usd(&self) -> f64 {
        self.actual_usd - self.estimated_usd
    }

    /// The model's unit price.
    pub fn model_unit_price(&self) -> f64 {
        if self.estimated_quantity > 0.0 {
            self.estimated_usd / self.estimated_quantity
        } else {
            0.0
        }
    }

    /// (actual quantity − model quantity) × model unit price.
    pub fn usage_effect(&self) -> f64 {
        (self.actual_quantity - self.estimated_quantity) * self.model_unit_price()
    }

    /// actual quantity × (actual unit price − model unit price): the rest of the variance.
    pub fn price_effect(&self) -> f64 {
        self.variance_usd() - self.usage_effect()
    }
}

/// Whether a variance is within tolerance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Within the tolerance.
    Ok,
    /// Actual above the estimate by more than the tolerance.
    Over,
    /// Actual below the estimate by more than the tolerance.
    Under,
}

impl Status {
    /// A word for reports.
    pub fn key(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Over => "over",
            Status::Under => "under",
        }
    }
}

/// Estimate, actual and effects summed over a component or a service.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupVariance {
    /// Component id or service code.
    pub key: String,
    /// Estimated USD.
    pub estimated_usd: f64,
    /// Actual USD.
    pub actual_usd: f64,
    /// Price effect, USD.
    pub price_effect: f64,
    /// Usage effect, USD.
    pub usage_effect: f64,
    /// Against the tolerance.
    pub status: Status,
}

impl GroupVariance {
    /// Actual minus estimate.
    pub fn variance_usd(&self) -> f64 {
        self.actual_usd - self.estimated_usd
    }

    /// The variance as a percentage of the estimate (of the actual when nothing was estimated).
    pub fn variance_percent(&self) -> f64 {
        if self.estimated_usd != 0.0 {
            self.variance_usd() / self.estimated_usd * 100.0
        } else if self.actual_usd != 0.0 {
            100.0
        } else {
            0.0
        }
    }
}

/// Spend the model has no component for.
#[derive(Debug, Clone, PartialEq)]
pub struct Unmapped {
    /// Service code.
    pub service_code: String,
    /// Usage type.
    pub usage_type: String,
    /// Quantity.
    pub quantity: f64,
    /// Cost, USD.
    pub cost_usd: f64,
}

/// A month's reconciliation.
#[derive(Debug, Clone, PartialEq)]
pub struct Reconciliation {
    /// Model name.
    pub model: String,
    /// The price snapshot the estimate used.
    pub prices: String,
    /// Month reconciled (YYYY-MM).
    pub month: String,
    /// Where the actuals came from.
    pub source: String,
    /// Tolerance, percent.
    pub tolerance_percent: f64,
    /// Every modeled line with its actual (zero where nothing was billed).
    pub lines: Vec<LineVariance>,
    /// Per component.
    pub by_component: Vec<GroupVariance>,
    /// Per service code (modeled and unmapped spend together).
    pub by_service: Vec<GroupVariance>,
    /// Usage spend with no modeled line, largest first.
    pub unmapped: Vec<Unmapped>,
    /// Credits, refunds, taxes, support and commitment charges, by category.
    pub non_usage: BTreeMap<ChargeCategory, f64>,
    /// Things the reader must know (estimated months, how lines were attributed, …).
    pub warnings: Vec<String>,
}

impl Reconciliation {
    /// Total estimated USD.
    pub fn estimated_usd(&self) -> f64 {
        self.lines.iter().map(|l| l.estimated_usd).sum()
    }

    /// Total actual usage USD (modeled and unmapped).
    pub fn actual_usage_usd(&self) -> f64 {
        self.lines.iter().map(|l| l.actual_usd).sum::<f64>()
            + self.unmapped.iter().map(|u| u.cost_usd).sum::<f64>()
    }

    /// Modeled lines with no actual spend.
    pub fn unbilled(&self) -> impl Iterator<Item = &LineVariance> {
        self.lines
            .iter()
            .filter(|l| l.actual_quantity == 0.0 && l.actual_usd == 0.0)
    }
}

fn status(estimated: f64, actual: f64, tolerance_percent: f64) -> Status {
    let limit = estimated.abs() * tolerance_percent / 100.0;
    if actual - estimated > limit {
        Status::Over
    } else if estimated - actual > limit {
        Status::Under
    } else {
        Status::Ok
    }
}

/// Reconciles an estimate of `topology` for `month` with the actual rows of that month. A row
/// whose usage type is another spelling of a price-book entry's (an alias in `prices`) is
/// joined under the entry's.
pub fn reconcile(
    topology: &Topology,
    estimate: &Estimate,
    prices: &PriceBook,
    actuals: &[ActualRow],
    month: &str,
    source: &str,
    tolerance_percent: f64,
) -> Reconciliation {
    type Key = (String, String);
    let mut warnings = Vec::new();
    // Modeled quantities and costs per (component, key), in estimate order, with what the
    // billed quantity calibrates (from the first line that says).
    let mut modeled: Vec<(String, Key, f64, f64, Calibrates, String)> = Vec::new();
    // With Savings Plans in the model, covered usage is compared at its on-demand cost, as the
    // bill's usage lines show it, and the plans' own lines stay out of the usage comparison:
    // their effect is set beside the bill's commitment charges.
    // A line's cost at on-demand prices, with the date of the price it is compared at.
    let on_demand = |l: &Line| -> (f64, String) {
        let price = l.covered_by.as_ref().and_then(|_| {
            prices.get(&PriceKey {
                service_code: l.service_code,
                usage_type: l.usage_type.clone(),
                operation: l.operation.clone(),
            })
        });
        match price.and_then(|p| Some((p.flat_rate(estimate.free_tier)?, p))) {
            Some((rate, p)) => (l.quantity * rate, p.effective_date.clone()),
            None => (l.usd_per_month, l.price_source.effective_date.clone()),
        }
    };
    for l in estimate
        .lines
        .iter()
        .filter(|l| l.price_source.basis != PriceBasis::Commitment)
    {
        let key = (l.service_code.code().to_string(), l.usage_type.clone());
        let (usd, date) = on_demand(l);
        match modeled
            .iter_mut()
            .find(|(c, k, ..)| *c == l.component && *k == key)
        {
            Some(m) => {
                m.2 += l.quantity;
                m.3 += usd;
                if m.4 == Calibrates::None {
                    m.4 = l.calibrates;
                }
            }
            None => modeled.push((
                l.component.clone(),
                key,
                l.quantity,
                usd,
                l.calibrates,
                date,
            )),
        }
    }
    let mut non_usage: BTreeMap<ChargeCategory, f64> = BTreeMap::new();
    let mut usage: BTreeMap<Key, Vec<&ActualRow>> = BTreeMap::new();
    for r in actuals {
        if r.category == ChargeCategory::Usage {
            let usage_type = prices
                .canonical_usage_type(&r.service_code, &r.usage_type)
                .unwrap_or(&r.usage_type);
            usage
                .entry((r.service_code.clone(), usage_type.to_string()))
                .or_default()
                .push(r);
        } else {
            *non_usage.entry(r.category).or_insert(0.0) += r.cost_usd;
        }
    }
    let mut lines = Vec::new();
    let keys: Vec<Key> = {
        let mut seen: Vec<Key> = Vec::new();
        for (_, k, ..) in &modeled {
            if !seen.contains(k) {
                seen.push(k.clone());
            }
        }
        seen
    };
    for key in &keys {
        let sharing: Vec<&(String, Key, f64, f64, Calibrates, String)> =
            modeled.iter().filter(|m| &m.1 == key).collect();
        let rows = usage.remove(key).unwrap_or_default();
        // Folded from +0.0: a float `sum()` of no rows is -0.0, which an unbilled line
        // carried into its actual quantity and cost.
        let total_q = rows.iter().fold(0.0, |a, r| a + r.quantity);
        let total_c = rows.iter().fold(0.0, |a, r| a + r.cost_usd);
        let match_tags = |id: &str| {
            topology
                .component(id)
                .map(|c| c.match_tags.clone())
                .unwrap_or_default()
        };
        let by_tags = sharing.len() > 1
            && sharing.iter().all(|m| !match_tags(&m.0).is_empty())
            && rows.iter().any(|r| !r.tags.is_empty());
        let est_total: f64 = sharing.iter().map(|m| m.3).sum();
        // The estimate's share of each component: how proportional splits are made.
        let share = |i: usize| match sharing.len() {
            1 => 1.0,
            _ if est_total > 0.0 => sharing[i].3 / est_total,
            n => 1.0 / n as f64,
        };
        let (amounts, attribution): (Vec<(f64, f64)>, Attribution) = if by_tags {
            let mut attributed = vec![(0.0, 0.0); sharing.len()];
            let mut rest = (0.0, 0.0);
            for r in &rows {
                let owner = sharing.iter().position(|m| {
                    match_tags(&m.0)
                        .iter()
                        .all(|(k, v)| r.tags.get(k) == Some(v))
                });
                let slot = match owner {
                    Some(i) => &mut attributed[i],
                    None => &mut rest,
                };
                slot.0 += r.quantity;
                slot.1 += r.cost_usd;
            }
            if rest.1 != 0.0 || rest.0 != 0.0 {
                warnings.push(format!(
                    "{} {}: {:.2} USD matched no component's match_tags; shared in proportion to the estimate",
                    key.0, key.1, rest.1
                ));
            }
            let amounts = attributed
                .iter()
                .enumerate()
                .map(|(i, (q, c))| (q + rest.0 * share(i), c + rest.1 * share(i)))
                .collect();
            (amounts, Attribution::Tags)
        } else {
            if sharing.len() > 1 && total_c != 0.0 {
                warnings.push(format!(
                    "{} {}: shared by {} in proportion to the estimate (give them match_tags to split by resource tags)",
                    key.0,
                    key.1,
                    sharing.iter().map(|m| m.0.as_str()).collect::<Vec<_>>().join(", ")
                ));
            }
            let amounts = (0..sharing.len())
                .map(|i| (total_q * share(i), total_c * share(i)))
                .collect();
            (
                amounts,
                if sharing.len() == 1 {
                    Attribution::Whole
                } else {
                    Attribution::Proportional
                },
            )
        };
        for (m, (actual_quantity, actual_usd)) in sharing.iter().zip(amounts) {
            lines.push(LineVariance {
                component: m.0.clone(),
                service_code: key.0.clone(),
                usage_type: key.1.clone(),
                estimated_quantity: m.2,
                estimated_usd: m.3,
                actual_quantity,
                actual_usd,
                attribution,
                calibrates: m.4,
                price_effective_date: m.5.clone(),
            });
        }
    }
    let mut unmapped: Vec<Unmapped> = usage
        .into_iter()
        .map(|((service_code, usage_type), rows)| Unmapped {
            service_code,
            usage_type,
            quantity: rows.iter().map(|r| r.quantity).sum(),
            cost_usd: rows.iter().map(|r| r.cost_usd).sum(),
        })
        .collect();
    unmapped.sort_by(|a, b| {
        b.cost_usd
            .abs()
            .total_cmp(&a.cost_usd.abs())
            .then_with(|| a.usage_type.cmp(&b.usage_type))
    });
    let group = |key_of: &dyn Fn(&LineVariance) -> String, extra: &[(String, f64)]| {
        let mut g: BTreeMap<String, (f64, f64, f64, f64)> = BTreeMap::new();
        for l in &lines {
            let e = g.entry(key_of(l)).or_default();
            e.0 += l.estimated_usd;
            e.1 += l.actual_usd;
            e.2 += l.price_effect();
            e.3 += l.usage_effect();
        }
        for (k, usd) in extra {
            let e = g.entry(k.clone()).or_default();
            // Unmodeled spend is all usage effect: the model has none of it.
            e.1 += usd;
            e.3 += usd;
        }
        let mut v: Vec<GroupVariance> = g
            .into_iter()
            .map(|(key, (est, act, price, use_))| GroupVariance {
                status: status(est, act, tolerance_percent),
                key,
                estimated_usd: est,
                actual_usd: act,
                price_effect: price,
                usage_effect: use_,
            })
            .collect();
        v.sort_by(|a, b| {
            b.variance_usd()
                .abs()
                .total_cmp(&a.variance_usd().abs())
                .then_with(|| a.key.cmp(&b.key))
        });
        v
    };
    let by_component = group(&|l| l.component.clone(), &[]);
    let unmapped_by_service: Vec<(String, f64)> = unmapped
        .iter()
        .map(|u| (u.service_code.clone(), u.cost_usd))
        .collect();
    let by_service = group(&|l| l.service_code.clone(), &unmapped_by_service);
    let plans = &estimate.commitments.uses;
    if !plans.is_empty() {
        let committed: f64 = plans.iter().map(|u| u.committed_usd()).sum();
        let covered: f64 = plans.iter().map(|u| u.covered_on_demand_usd).sum();
        let billed = non_usage
            .get(&ChargeCategory::Commitment)
            .copied()
            .unwrap_or(0.0)
            + non_usage
                .get(&ChargeCategory::UnusedCommitment)
                .copied()
                .unwrap_or(0.0);
        warnings.push(format!(
            "The model has Savings Plans ({}): covered usage is compared at its on-demand cost on both sides, as the bill's usage lines show it, and the plans' effect stands apart: estimated {} USD ({} committed less {} of covered usage at on-demand prices) against the bill's commitment charges, {} USD",
            plans
                .iter()
                .map(|u| u.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            crate::vocabulary::text::usd(committed - covered),
            crate::vocabulary::text::usd(committed),
            crate::vocabulary::text::usd(covered),
            crate::vocabulary::text::usd(billed)
        ));
    }
    Reconciliation {
        model: topology.name.clone(),
        prices: estimate.prices.clone(),
        month: month.to_string(),
        source: source.to_string(),
        tolerance_percent,
        lines,
        by_component,
        by_service,
        unmapped,
        non_usage,
        warnings,
    }
}
