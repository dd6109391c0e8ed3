//! Rightsizing from the model: each component's services propose changes that may cost less
//! (Graviton, DynamoDB on-demand, Aurora I/O-Optimized or Standard), and each is priced by
//! estimating the model with that one change, never by a rule of thumb. Changes that save are
//! ranked, largest saving first, each with the variant patch that makes it.

use crate::engine::estimate::{EstimateError, estimate};
use crate::engine::price_book::PriceBook;
use crate::model::topology::{Topology, TopologyParts};
use crate::services::Change;
use crate::vocabulary::calendar::BillingPeriod;

/// Where a recommendation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The model alone.
    Model,
}

impl Source {
    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Source::Model => "model",
        }
    }
}

/// One change that saves, priced by estimating the changed model.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    /// The component changed.
    pub component: String,
    /// The change.
    pub change: Change,
    /// Where it comes from.
    pub source: Source,
    /// The component's monthly cost now, USD.
    pub current_usd_per_month: f64,
    /// The model's monthly total now, USD.
    pub total_usd_per_month: f64,
    /// The model's monthly total with the change, USD.
    pub changed_total_usd_per_month: f64,
    /// The change as a merge patch of the component's fields (field, YAML value).
    pub patch: Vec<(&'static str, &'static str)>,
    /// What it risks or needs.
    pub risk: &'static str,
}

impl Recommendation {
    /// Monthly saving, USD.
    pub fn saving_usd_per_month(&self) -> f64 {
        self.total_usd_per_month - self.changed_total_usd_per_month
    }
}

/// The model's changes that save at least `min_saving_usd` a month, largest saving first.
pub fn recommendations(
    t: &Topology,
    prices: &PriceBook,
    period: &BillingPeriod,
    min_saving_usd: f64,
) -> Result<Vec<Recommendation>, EstimateError> {
    let base = estimate(t, prices, period)?;
    let total = base.total_usd();
    let mut out = Vec::new();
    for (i, component) in t.components().iter().enumerate() {
        for alternative in component.spec.alternatives() {
            let mut parts: TopologyParts = t.clone().into_parts();
            parts.components[i].spec = alternative.replacement;
            let name = parts.name.clone();
            let changed = Topology::new(parts).map_err(|e| EstimateError::Routing {
                design: name,
                path: e.path,
                message: e.message,
            })?;
            let changed_total = estimate(&changed, prices, period)?.total_usd();
            let r = Recommendation {
                component: component.id.clone(),
                change: alternative.change,
                source: Source::Model,
                current_usd_per_month: base.component_usd(&component.id),
                total_usd_per_month: total,
                changed_total_usd_per_month: changed_total,
                patch: alternative.patch,
                risk: alternative.risk,
            };
            if r.saving_usd_per_month() > 0.0 && r.saving_usd_per_month() >= min_saving_usd {
                out.push(r);
            }
        }
    }
    out.sort_by(|a, b| {
        b.saving_usd_per_month()
            .total_cmp(&a.saving_usd_per_month())
            .then_with(|| a.component.cmp(&b.component))
    });
    Ok(out)
}
