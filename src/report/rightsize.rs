//! Rightsizing recommendations as tables, JSON, CSV or Markdown.

use serde::Serialize;

use super::Report;
use super::table::{Csv, Table};
use crate::analysis::rightsize::{Recommendation, Rightsizing};
use crate::vocabulary::text::usd;

/// The ranked recommendations for a model, with what they were computed from.
pub struct RightsizeReport<'a> {
    /// The model (`models/x.yaml`, `… [variant]`).
    pub model: &'a str,
    /// The model's total and the recommendations, largest saving first.
    pub rightsizing: &'a Rightsizing,
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

impl Report for RightsizeReport<'_> {
    type Json<'b>
        = JsonRightsize<'b>
    where
        Self: 'b;

    fn tables(&self) -> Vec<Table> {
        let saving: f64 = self
            .rightsizing
            .recommendations
            .iter()
            .filter_map(Recommendation::saving_usd_per_month)
            .sum();
        vec![Table {
            title: format!(
                "Rightsizing {}: {} change(s) that save at least {} USD a month, each priced by estimating the changed model",
                self.model,
                self.rightsizing.recommendations.len(),
                usd(self.min_saving_usd)
            ),
            head: [
                "#",
                "component",
                "change",
                "source",
                "now $/mo",
                "saving $/mo",
                "risk",
                "variant",
            ]
            .map(String::from)
            .to_vec(),
            right: vec![true, false, false, false, true, true, false, false],
            rows: self
                .rightsizing
                .recommendations
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    vec![
                        (i + 1).to_string(),
                        r.component.clone(),
                        r.change.description().to_string(),
                        r.source.name().to_string(),
                        usd(r.current_usd_per_month),
                        r.saving_usd_per_month().map_or("unpriced".into(), usd),
                        r.risk.to_string(),
                        variant(&name(i + 1), r),
                    ]
                })
                .collect(),
            summary: Some(format!(
                "Model total {} USD a month; each saving is against it alone (savings of several changes may not add up).",
                usd(self.rightsizing.total_usd_per_month)
            )),
            notes: self
                .rightsizing
                .recommendations
                .iter()
                .enumerate()
                .filter_map(|(i, r)| r.evidence.as_ref().map(|e| format!("{}: {e}.", i + 1)))
                .chain([format!(
                    "Paste a variant under the model's `variants:` and run `archcost compare MODEL --variant rightsize-N` to see it line by line. Together the changes listed save up to {} USD a month.",
                    usd(saving)
                )])
                .collect(),
            shrink: Some(6),
            ..Table::default()
        }]
    }

    fn csv(&self) -> Csv {
        Csv::new(
            &[
                "rank",
                "component",
                "change",
                "source",
                "current_usd_per_month",
                "saving_usd_per_month",
                "risk",
                "evidence",
                "variant",
            ],
            self.rightsizing
                .recommendations
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    vec![
                        (i + 1).to_string(),
                        r.component.clone(),
                        r.change.name().to_string(),
                        r.source.name().to_string(),
                        format!("{:.6}", r.current_usd_per_month),
                        r.saving_usd_per_month()
                            .map_or(String::new(), |s| format!("{s:.6}")),
                        r.risk.to_string(),
                        r.evidence.clone().unwrap_or_default(),
                        variant(&name(i + 1), r),
                    ]
                }),
        )
    }

    fn json(&self) -> JsonRightsize<'_> {
        JsonRightsize {
            model: self.model,
            total_usd_per_month: self.rightsizing.total_usd_per_month,
            min_saving_usd: self.min_saving_usd,
            recommendations: self
                .rightsizing
                .recommendations
                .iter()
                .enumerate()
                .map(|(i, r)| JsonRecommendation {
                    rank: i + 1,
                    component: &r.component,
                    change: r.change.name(),
                    description: r.change.description(),
                    source: r.source.name(),
                    current_usd_per_month: r.current_usd_per_month,
                    saving_usd_per_month: r.saving_usd_per_month(),
                    unpriced: r.changed_total_usd_per_month.is_none(),
                    changed_total_usd_per_month: r.changed_total_usd_per_month,
                    risk: r.risk,
                    evidence: r.evidence.as_deref(),
                    variant: variant(&name(i + 1), r),
                })
                .collect(),
        }
    }
}

/// The recommendations' JSON.
#[derive(Serialize)]
pub struct JsonRightsize<'a> {
    model: &'a str,
    total_usd_per_month: f64,
    min_saving_usd: f64,
    recommendations: Vec<JsonRecommendation<'a>>,
}

/// One recommendation in JSON.
#[derive(Serialize)]
pub struct JsonRecommendation<'a> {
    rank: usize,
    component: &'a str,
    change: &'static str,
    description: &'static str,
    source: &'static str,
    current_usd_per_month: f64,
    saving_usd_per_month: Option<f64>,
    unpriced: bool,
    changed_total_usd_per_month: Option<f64>,
    risk: &'static str,
    evidence: Option<&'a str>,
    variant: String,
}
