//! The best Compute Savings Plan commitment for a model, as tables, JSON, CSV or Markdown.

use serde::Serialize;

use super::Report;
use super::table::{Csv, Table};
use crate::analysis::commit::{CommitPlan, LOAD_DROP, Level};
use crate::vocabulary::text::usd;

/// The best commitment for a model, with what it was computed from.
pub struct CommitReport<'a> {
    /// The model (`models/x.yaml`, `… [variant]`).
    pub model: &'a str,
    /// The plan found.
    pub plan: &'a CommitPlan,
}

fn saving(p: &CommitPlan, l: &Level) -> f64 {
    p.on_demand_usd - l.cost_usd
}

impl Report for CommitReport<'_> {
    type Json<'b>
        = JsonCommit<'b>
    where
        Self: 'b;

    fn tables(&self) -> Vec<Table> {
        let p = self.plan;
        let best = &p.best;
        let lower_saving = p.on_demand_at_lower_load_usd - p.at_lower_load.cost_usd;
        vec![Table {
            title: format!(
                "Compute Savings Plan for {} ({} yr, {}): the commitment that costs least over {} hours",
                self.model,
                p.term.years(),
                p.payment.words(),
                p.hours
            ),
            head: [
                "USD/hour",
                "covered usage $/period",
                "saving $/period",
                "utilisation",
                "coverage",
                "",
            ]
            .map(String::from)
            .to_vec(),
            right: vec![true, true, true, true, true, false],
            rows: p
                .curve
                .iter()
                .map(|l| {
                    vec![
                        format!("{:.3}", l.usd_per_hour),
                        usd(l.cost_usd),
                        usd(saving(p, l)),
                        format!("{:.1}%", l.utilization_percent),
                        format!("{:.1}%", l.coverage_percent),
                        if l == best { "← best".into() } else { String::new() },
                    ]
                })
                .collect(),
            notes: vec![
                format!(
                    "Best: {:.3} USD an hour saves {} USD of the {} USD the usage it may cover costs on demand; the model's total goes from {} to {} USD.",
                    best.usd_per_hour,
                    usd(saving(p, best)),
                    usd(p.on_demand_usd),
                    usd(p.model_total_usd),
                    usd(p.model_total_with_best_usd())
                ),
                format!(
                    "Break-even utilisation {:.1}%: below it the plan costs more than on demand (it runs at {:.1}%).",
                    p.break_even_utilization_percent, best.utilization_percent
                ),
                format!(
                    "If the load fell by {:.0}%: {:.1}% used, {} {} USD against on demand.",
                    LOAD_DROP * 100.0,
                    p.at_lower_load.utilization_percent,
                    if lower_saving >= 0.0 { "saving" } else { "losing" },
                    usd(lower_saving.abs())
                ),
                "Covered usage: on-demand Fargate vCPU- and GB-hours (Spot is never covered); EC2 and the others need rates the snapshot lacks.".into(),
            ],
            ..Table::default()
        }]
    }

    fn csv(&self) -> Csv {
        let p = self.plan;
        Csv::new(
            &[
                "usd_per_hour",
                "covered_usage_usd",
                "saving_usd",
                "utilization_percent",
                "coverage_percent",
                "best",
            ],
            p.curve.iter().map(|l| {
                vec![
                    format!("{:.3}", l.usd_per_hour),
                    format!("{:.6}", l.cost_usd),
                    format!("{:.6}", saving(p, l)),
                    format!("{:.6}", l.utilization_percent),
                    format!("{:.6}", l.coverage_percent),
                    (l == &p.best).to_string(),
                ]
            }),
        )
    }

    fn json(&self) -> JsonCommit<'_> {
        let p = self.plan;
        let level = |l: &Level| JsonLevel {
            usd_per_hour: l.usd_per_hour,
            covered_usage_usd: l.cost_usd,
            saving_usd: saving(p, l),
            utilization_percent: l.utilization_percent,
            coverage_percent: l.coverage_percent,
        };
        JsonCommit {
            model: self.model,
            term_years: p.term.years(),
            payment: p.payment.words(),
            hours: p.hours,
            on_demand_usd: p.on_demand_usd,
            best: level(&p.best),
            model_total_usd: p.model_total_usd,
            model_total_with_best_usd: p.model_total_with_best_usd(),
            break_even_utilization_percent: p.break_even_utilization_percent,
            load_drop_percent: LOAD_DROP * 100.0,
            at_lower_load: level(&p.at_lower_load),
            on_demand_at_lower_load_usd: p.on_demand_at_lower_load_usd,
            curve: p.curve.iter().map(level).collect(),
        }
    }
}

/// The best commitment in JSON.
#[derive(Serialize)]
pub struct JsonCommit<'a> {
    model: &'a str,
    term_years: u32,
    payment: &'static str,
    hours: usize,
    on_demand_usd: f64,
    best: JsonLevel,
    model_total_usd: f64,
    model_total_with_best_usd: f64,
    break_even_utilization_percent: f64,
    load_drop_percent: f64,
    at_lower_load: JsonLevel,
    on_demand_at_lower_load_usd: f64,
    curve: Vec<JsonLevel>,
}

/// One commitment level in JSON.
#[derive(Serialize)]
pub struct JsonLevel {
    usd_per_hour: f64,
    covered_usage_usd: f64,
    saving_usd: f64,
    utilization_percent: f64,
    coverage_percent: f64,
}
