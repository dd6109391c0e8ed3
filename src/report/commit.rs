//! The best Compute Savings Plan commitment for a model, as tables, JSON, CSV or Markdown.

use serde::Serialize;

use super::Report;
use super::table::{Csv, Table};
use crate::analysis::commit::{CommitPlan, LOAD_DROP, Level, ReservationChoice};
use crate::vocabulary::text::usd;

/// The best commitments for a model, with what they were computed from.
pub struct CommitReport<'a> {
    /// The model (`models/x.yaml`, `… [variant]`).
    pub model: &'a str,
    /// The term, years, and the payment in words.
    pub term: (u32, &'static str),
    /// The Savings Plan found, or why it could not be priced.
    pub plan: Result<&'a CommitPlan, String>,
    /// The best reservation count for each class the model runs that a reservation covers.
    pub reservations: &'a [ReservationChoice],
}

impl CommitReport<'_> {
    fn reservations_table(&self) -> Option<Table> {
        if self.reservations.is_empty() {
            return None;
        }
        let (years, payment) = self.term;
        Some(Table {
            title: format!(
                "Reservations ({years} yr, {payment}): the count that costs each class's hourly load least"
            ),
            head: [
                "service",
                "class",
                "count",
                "on demand $/period",
                "with them $/period",
                "saving $/period",
                "utilisation",
                "upfront $",
            ]
            .map(String::from)
            .to_vec(),
            right: vec![false, false, true, true, true, true, true, true],
            rows: self
                .reservations
                .iter()
                .map(|r| match &r.unpriced {
                    Some(_) => vec![
                        r.service.to_string(),
                        r.instance_class.clone(),
                        "unpriced".into(),
                        usd(r.on_demand_usd),
                        "unpriced".into(),
                        "unpriced".into(),
                        String::new(),
                        String::new(),
                    ],
                    None => vec![
                        r.service.to_string(),
                        r.instance_class.clone(),
                        r.count.to_string(),
                        usd(r.on_demand_usd),
                        usd(r.cost_usd),
                        usd(r.on_demand_usd - r.cost_usd),
                        format!("{:.1}%", r.utilization_percent),
                        usd(r.upfront_usd),
                    ],
                })
                .collect(),
            notes: self
                .reservations
                .iter()
                .filter_map(|r| {
                    r.unpriced
                        .as_ref()
                        .map(|why| format!("{} {}: unpriced: {why}.", r.service, r.instance_class))
                })
                .chain([
                    "Each count from none to the most instances running at once is tried; a reservation covers one instance-hour every hour, used or not.".to_string(),
                ])
                .collect(),
            ..Table::default()
        })
    }
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
        let mut out = Vec::new();
        let mut reservations = self.reservations_table();
        match (&self.plan, reservations.as_mut()) {
            (Ok(p), _) => out.push(plan_table(self.model, p)),
            // Said under the reservations (a plan that cannot be priced fails the command when
            // there are none).
            (Err(why), Some(table)) => table.notes.insert(
                0,
                format!(
                    "Compute Savings Plan ({} yr, {}) for {}: unpriced: {why}",
                    self.term.0, self.term.1, self.model
                ),
            ),
            (Err(why), None) => out.push(Table {
                title: format!(
                    "Compute Savings Plan for {} ({} yr, {}): unpriced",
                    self.model, self.term.0, self.term.1
                ),
                notes: vec![format!("unpriced: {why}")],
                ..Table::default()
            }),
        }
        out.extend(reservations);
        out
    }

    fn csv(&self) -> Csv {
        let rows: Vec<Vec<String>> = match &self.plan {
            Ok(p) => p
                .curve
                .iter()
                .map(|l| {
                    vec![
                        format!("{:.3}", l.usd_per_hour),
                        format!("{:.6}", l.cost_usd),
                        format!("{:.6}", saving(p, l)),
                        format!("{:.6}", l.utilization_percent),
                        format!("{:.6}", l.coverage_percent),
                        (l == &p.best).to_string(),
                    ]
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        Csv::new(
            &[
                "usd_per_hour",
                "covered_usage_usd",
                "saving_usd",
                "utilization_percent",
                "coverage_percent",
                "best",
            ],
            rows,
        )
    }

    fn json(&self) -> JsonCommit<'_> {
        JsonCommit {
            model: self.model,
            term_years: self.term.0,
            payment: self.term.1,
            savings_plan: self.plan.as_ref().ok().map(|p| plan_json(p)),
            savings_plan_unpriced: self.plan.as_ref().err().cloned(),
            reservations: self
                .reservations
                .iter()
                .map(|r| JsonReservation {
                    service: r.service,
                    instance_class: &r.instance_class,
                    count: r.count,
                    on_demand_usd: r.on_demand_usd,
                    cost_usd: r.cost_usd,
                    saving_usd: r.on_demand_usd - r.cost_usd,
                    utilization_percent: r.utilization_percent,
                    upfront_usd: r.upfront_usd,
                    unpriced: r.unpriced.as_deref(),
                })
                .collect(),
        }
    }
}

fn plan_table(model: &str, p: &CommitPlan) -> Table {
    let best = &p.best;
    let lower_saving = p.on_demand_at_lower_load_usd - p.at_lower_load.cost_usd;
    Table {
        title: format!(
            "Compute Savings Plan for {} ({} yr, {}): the commitment that costs least over {} hours",
            model,
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
            "Covered usage: on-demand Fargate vCPU- and GB-hours (Spot is never covered); EC2 instance-hours would be too, but the snapshot has no plan rate for EC2.".into(),
        ],
        ..Table::default()
    }
}

fn plan_json(p: &CommitPlan) -> JsonPlan {
    let level = |l: &Level| JsonLevel {
        usd_per_hour: l.usd_per_hour,
        covered_usage_usd: l.cost_usd,
        saving_usd: saving(p, l),
        utilization_percent: l.utilization_percent,
        coverage_percent: l.coverage_percent,
    };
    JsonPlan {
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

/// The best commitments in JSON.
#[derive(Serialize)]
pub struct JsonCommit<'a> {
    model: &'a str,
    term_years: u32,
    payment: &'static str,
    #[serde(flatten)]
    savings_plan: Option<JsonPlan>,
    savings_plan_unpriced: Option<String>,
    reservations: Vec<JsonReservation<'a>>,
}

/// One class's best reservation count in JSON.
#[derive(Serialize)]
pub struct JsonReservation<'a> {
    service: &'static str,
    instance_class: &'a str,
    count: u32,
    on_demand_usd: f64,
    cost_usd: f64,
    saving_usd: f64,
    utilization_percent: f64,
    upfront_usd: f64,
    unpriced: Option<&'a str>,
}

/// The best Savings Plan in JSON.
#[derive(Serialize)]
pub struct JsonPlan {
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
