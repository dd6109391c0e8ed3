//! An estimate as a table, JSON, CSV or Markdown.

use serde::Serialize;

use super::Report;
use super::table::{Csv, Table};
use crate::engine::estimate::{Estimate, GroupBy, Line};
use crate::services::Severity;
use crate::vocabulary::text::{qty, unit_price, usd};

/// An estimate as a report. With `by`, the table, CSV and Markdown show one row per group;
/// JSON always carries every line and every grouping.
#[derive(Debug, Clone, Copy)]
pub struct EstimateReport<'e> {
    /// The estimate.
    pub estimate: &'e Estimate,
    /// The grouping of the table and CSV, or every line.
    pub by: Option<GroupBy>,
}

impl Report for EstimateReport<'_> {
    type Json<'a>
        = JsonEstimate<'a>
    where
        Self: 'a;

    fn tables(&self) -> Vec<Table> {
        vec![table(self.estimate, self.by)]
    }

    fn csv(&self) -> Csv {
        csv_text(self.estimate, self.by)
    }

    fn json(&self) -> JsonEstimate<'_> {
        json(self.estimate)
    }

    fn diagnostics(&self) -> Vec<String> {
        diagnostics(self.estimate)
    }
}

fn header(e: &Estimate) -> String {
    format!("{} — {} — {}", e.model, e.region, e.period.label())
}

fn group_rows(e: &Estimate, by: GroupBy) -> Vec<Vec<String>> {
    let total = e.total_usd();
    e.grouped(by)
        .into_iter()
        .map(|(k, v)| {
            let share = if total > 0.0 { v / total * 100.0 } else { 0.0 };
            vec![k, usd(v), format!("{share:.1}%")]
        })
        .collect()
}

fn line_row(l: &Line) -> Vec<String> {
    vec![
        l.component.clone(),
        l.service_code.code().to_string(),
        l.usage_type.clone(),
        qty(l.quantity),
        l.unit.label().to_string(),
        if l.price_source.tiered {
            format!("{}*", unit_price(l.usd_per_unit))
        } else {
            unit_price(l.usd_per_unit)
        },
        usd(l.usd_per_month),
        l.description.clone(),
    ]
}

const LINE_HEADER: [&str; 8] = [
    "component",
    "service",
    "usage type",
    "quantity",
    "unit",
    "USD/unit",
    "USD/month",
    "what",
];

fn diagnostics(e: &Estimate) -> Vec<String> {
    e.diagnostics
        .iter()
        .map(|d| {
            let tag = match d.severity {
                Severity::Warning => "warning",
                Severity::Note => "note",
            };
            format!("{tag}: {}: {}", d.component, d.message)
        })
        .collect()
}

/// Each Savings Plan's use, and the coverage of what they may cover.
fn commitment_notes(e: &Estimate) -> Vec<String> {
    let a = &e.commitments;
    let mut out: Vec<String> = a
        .uses
        .iter()
        .map(|u| {
            format!(
                "{} ({}): {} USD an hour, {} USD over the period (amortized{}); {:.1}% used, {} USD unused; saves {} USD against on-demand prices",
                u.id,
                u.description,
                usd(u.usd_per_hour),
                usd(u.committed_usd()),
                if u.upfront_usd > 0.0 {
                    format!(", of {} USD paid upfront for the term", usd(u.upfront_usd))
                } else {
                    String::new()
                },
                u.utilization_percent(),
                usd(u.unused_usd()),
                usd(u.net_saving_usd())
            )
        })
        .collect();
    if !a.uses.is_empty() {
        out.push(format!(
            "Savings Plans cover {:.1}% of the {} USD that the usage they may cover would cost on demand; covered lines are priced at the plan's rate",
            a.coverage_percent(),
            usd(a.eligible_on_demand_usd)
        ));
    }
    out
}

fn table(e: &Estimate, by: Option<GroupBy>) -> Table {
    let mut notes = Vec::new();
    let (head, right, rows, total) = match by {
        Some(g) => (
            vec![g.to_string(), "USD/month".into(), "share".into()],
            vec![false, true, true],
            group_rows(e, g),
            vec!["TOTAL".into(), usd(e.total_usd()), String::new()],
        ),
        None => {
            if e.lines.iter().any(|l| l.price_source.tiered) {
                // Regression: the note said "free allowances included" without the Free Tier.
                notes.push(if e.free_tier {
                    "* average over the price tiers (Free Tier allowances included) of the usage type's account-wide total".to_string()
                } else {
                    "* average over the price tiers of the usage type's account-wide total (no Free Tier allowances: the model has free_tier: false)".to_string()
                });
            }
            let mut total = vec![String::new(); LINE_HEADER.len()];
            total[0] = "TOTAL".into();
            total[6] = usd(e.total_usd());
            (
                LINE_HEADER.iter().map(|s| s.to_string()).collect(),
                vec![false, false, false, true, false, true, true, false],
                rows_by_component(e),
                total,
            )
        }
    };
    notes.extend(diagnostics(e));
    notes.extend(commitment_notes(e));
    notes.push(format!("prices: {}", e.prices));
    Table {
        title: header(e),
        head,
        right,
        rows,
        total: Some(total),
        summary: Some(format!("Total: {} USD/month", usd(e.total_usd()))),
        notes,
        // The description gives way first when the table must fit a terminal.
        shrink: by.is_none().then_some(LINE_HEADER.len() - 1),
        optional_from: by.is_none().then_some(LINE_HEADER.len() - 1),
    }
}

/// The lines grouped by component, in the order components first appear (data transfer,
/// metered last, joins its sender's lines), each component with more than one line followed
/// by its subtotal.
fn rows_by_component(e: &Estimate) -> Vec<Vec<String>> {
    let mut order: Vec<&str> = Vec::new();
    for l in &e.lines {
        if !order.contains(&l.component.as_str()) {
            order.push(&l.component);
        }
    }
    let mut rows = Vec::new();
    for component in order {
        let lines: Vec<&Line> = e
            .lines
            .iter()
            .filter(|l| l.component == component)
            .collect();
        rows.extend(lines.iter().map(|l| line_row(l)));
        if lines.len() > 1 {
            let mut subtotal = vec![String::new(); LINE_HEADER.len()];
            subtotal[2] = format!("subtotal {component}");
            subtotal[6] = usd(lines.iter().map(|l| l.usd_per_month).sum());
            rows.push(subtotal);
        }
    }
    rows
}

fn csv_text(e: &Estimate, by: Option<GroupBy>) -> Csv {
    match by {
        Some(g) => {
            let key = g.to_string().replace(' ', "_");
            Csv::new(
                &[key.as_str(), "usd_per_month"],
                e.grouped(g)
                    .into_iter()
                    .map(|(k, v)| vec![k, format!("{v:.6}")]),
            )
        }
        None => Csv::new(
            &[
                "component",
                "service_code",
                "usage_type",
                "operation",
                "description",
                "quantity",
                "unit",
                "usd_per_unit",
                "usd_per_month",
                "price_basis",
                "price_sku",
                "price_effective_date",
                "price_book",
            ],
            e.lines.iter().map(|l| {
                vec![
                    l.component.clone(),
                    l.service_code.code().into(),
                    l.usage_type.clone(),
                    l.operation.clone().unwrap_or_default(),
                    l.description.clone(),
                    format!("{}", l.quantity),
                    l.unit.key().into(),
                    format!("{}", l.usd_per_unit),
                    format!("{:.6}", l.usd_per_month),
                    l.price_source.basis.key().into(),
                    l.price_source.sku.clone().unwrap_or_default(),
                    l.price_source.effective_date.clone(),
                    l.price_source.book.clone(),
                ]
            }),
        ),
    }
}

#[derive(Serialize)]
pub struct JsonEstimate<'a> {
    model: &'a str,
    prices: &'a str,
    region: &'a str,
    period: JsonPeriod<'a>,
    currency: &'static str,
    total_usd_per_month: f64,
    lines: Vec<JsonLine<'a>>,
    by_component: Vec<JsonGroup>,
    by_service: Vec<JsonGroup>,
    by_usage_type: Vec<JsonGroup>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commitments: Option<JsonCommitments<'a>>,
}

/// The Savings Plans as applied, in JSON.
#[derive(Serialize)]
struct JsonCommitments<'a> {
    coverage_percent: f64,
    eligible_on_demand_usd: f64,
    plans: Vec<JsonPlan<'a>>,
}

/// One Savings Plan's use, in JSON.
#[derive(Serialize)]
struct JsonPlan<'a> {
    id: &'a str,
    description: &'a str,
    usd_per_hour: f64,
    hours: usize,
    committed_usd: f64,
    used_usd: f64,
    unused_usd: f64,
    utilization_percent: f64,
    covered_on_demand_usd: f64,
    net_saving_usd: f64,
    upfront_usd: f64,
}

#[derive(Serialize)]
struct JsonPeriod<'a> {
    label: &'a str,
    hours: usize,
}

#[derive(Serialize)]
struct JsonLine<'a> {
    component: &'a str,
    service_code: &'static str,
    usage_type: &'a str,
    operation: Option<&'a str>,
    description: &'a str,
    quantity: f64,
    unit: &'static str,
    usd_per_unit: f64,
    usd_per_month: f64,
    price_source: JsonSource<'a>,
}

#[derive(Serialize)]
struct JsonSource<'a> {
    basis: &'static str,
    sku: Option<&'a str>,
    effective_date: &'a str,
    book: &'a str,
    tiered: bool,
}

#[derive(Serialize)]
struct JsonGroup {
    key: String,
    usd_per_month: f64,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    component: &'a str,
    message: &'a str,
}

fn json(e: &Estimate) -> JsonEstimate<'_> {
    let groups = |g| {
        e.grouped(g)
            .into_iter()
            .map(|(key, usd_per_month)| JsonGroup { key, usd_per_month })
            .collect()
    };
    JsonEstimate {
        model: &e.model,
        prices: &e.prices,
        region: e.region.code(),
        period: JsonPeriod {
            label: e.period.label(),
            hours: e.period.hours(),
        },
        currency: "USD",
        total_usd_per_month: e.total_usd(),
        lines: e
            .lines
            .iter()
            .map(|l| JsonLine {
                component: &l.component,
                service_code: l.service_code.code(),
                usage_type: &l.usage_type,
                operation: l.operation.as_deref(),
                description: &l.description,
                quantity: l.quantity,
                unit: l.unit.key(),
                usd_per_unit: l.usd_per_unit,
                usd_per_month: l.usd_per_month,
                price_source: JsonSource {
                    basis: l.price_source.basis.key(),
                    sku: l.price_source.sku.as_deref(),
                    effective_date: &l.price_source.effective_date,
                    book: &l.price_source.book,
                    tiered: l.price_source.tiered,
                },
            })
            .collect(),
        by_component: groups(GroupBy::Component),
        by_service: groups(GroupBy::Service),
        by_usage_type: groups(GroupBy::UsageType),
        diagnostics: e
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                severity: match d.severity {
                    Severity::Warning => "warning",
                    Severity::Note => "note",
                },
                component: &d.component,
                message: &d.message,
            })
            .collect(),
        commitments: (!e.commitments.uses.is_empty()).then(|| JsonCommitments {
            coverage_percent: e.commitments.coverage_percent(),
            eligible_on_demand_usd: e.commitments.eligible_on_demand_usd,
            plans: e
                .commitments
                .uses
                .iter()
                .map(|u| JsonPlan {
                    id: &u.id,
                    description: &u.description,
                    usd_per_hour: u.usd_per_hour,
                    hours: u.hours,
                    committed_usd: u.committed_usd(),
                    used_usd: u.used_usd,
                    unused_usd: u.unused_usd(),
                    utilization_percent: u.utilization_percent(),
                    covered_on_demand_usd: u.covered_on_demand_usd,
                    net_saving_usd: u.net_saving_usd(),
                    upfront_usd: u.upfront_usd,
                })
                .collect(),
        }),
    }
}
