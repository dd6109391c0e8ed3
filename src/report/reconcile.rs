//! A reconciliation as tables, JSON, CSV or Markdown.

use serde::Serialize;

use super::Report;
use super::table::{Csv, Table};
use crate::analysis::reconcile::{GroupVariance, Reconciliation};
use crate::vocabulary::text::{qty, signed_usd, usd};

fn group_table(title: &str, first: &str, rows: &[GroupVariance]) -> Table {
    Table {
        title: title.into(),
        head: [
            first,
            "estimated",
            "actual",
            "variance",
            "%",
            "price effect",
            "usage effect",
            "status",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        right: vec![false, true, true, true, true, true, true, false],
        rows: rows
            .iter()
            .map(|g| {
                vec![
                    g.key.clone(),
                    usd(g.estimated_usd),
                    usd(g.actual_usd),
                    signed_usd(g.variance_usd()),
                    format!("{:+.1}%", g.variance_percent()),
                    signed_usd(g.price_effect),
                    signed_usd(g.usage_effect),
                    g.status.key().into(),
                ]
            })
            .collect(),
        ..Table::default()
    }
}

fn tables(r: &Reconciliation) -> Vec<Table> {
    let non_usage: f64 = r.non_usage.values().sum();
    let mut notes: Vec<String> = r.warnings.iter().map(|w| format!("warning: {w}")).collect();
    notes.push(format!("estimated with {}", r.prices));
    notes.push(format!("tolerance ±{}%; price effect = actual quantity × (actual − model unit price); usage effect = (actual − model quantity) × model unit price", r.tolerance_percent));
    let summary = Table {
        title: format!(
            "{} — reconciliation of {} against {}",
            r.model, r.month, r.source
        ),
        head: vec![String::new(), "USD".into()],
        right: vec![false, true],
        rows: vec![
            vec!["estimated usage".into(), usd(r.estimated_usd())],
            vec!["actual usage".into(), usd(r.actual_usage_usd())],
            vec![
                "variance".into(),
                signed_usd(r.actual_usage_usd() - r.estimated_usd()),
            ],
            vec![
                "  of which unmapped spend".into(),
                usd(r.unmapped.iter().map(|u| u.cost_usd).sum()),
            ],
            vec![
                "credits, refunds, taxes, support, commitments".into(),
                signed_usd(non_usage),
            ],
        ],
        notes,
        ..Table::default()
    };
    let mut out = vec![
        summary,
        group_table(
            "By component, largest variance first",
            "component",
            &r.by_component,
        ),
        group_table(
            "By service, largest variance first",
            "service",
            &r.by_service,
        ),
    ];
    if !r.unmapped.is_empty() {
        out.push(Table {
            title: "Unmapped spend: usage the model has no component for".into(),
            head: vec![
                "service".into(),
                "usage type".into(),
                "quantity".into(),
                "USD".into(),
            ],
            right: vec![false, false, true, true],
            rows: r
                .unmapped
                .iter()
                .map(|u| {
                    vec![
                        u.service_code.clone(),
                        u.usage_type.clone(),
                        qty(u.quantity),
                        usd(u.cost_usd),
                    ]
                })
                .collect(),
            ..Table::default()
        });
    }
    let unbilled: Vec<Vec<String>> = r
        .unbilled()
        .map(|l| {
            vec![
                l.component.clone(),
                l.service_code.clone(),
                l.usage_type.clone(),
                usd(l.estimated_usd),
            ]
        })
        .collect();
    if !unbilled.is_empty() {
        out.push(Table {
            title: "Modeled lines with no actual spend".into(),
            head: vec![
                "component".into(),
                "service".into(),
                "usage type".into(),
                "estimated USD".into(),
            ],
            right: vec![false, false, false, true],
            rows: unbilled,
            ..Table::default()
        });
    }
    if !r.non_usage.is_empty() {
        out.push(Table {
            title: "Credits, refunds, taxes, support and commitments (not in usage variance)"
                .into(),
            head: vec!["category".into(), "USD".into()],
            right: vec![false, true],
            rows: r
                .non_usage
                .iter()
                .map(|(c, v)| vec![c.key().to_string(), signed_usd(*v)])
                .collect(),
            ..Table::default()
        });
    }
    out
}

/// A reconciliation: the summary, variances by component and by service, unmapped spend,
/// unbilled lines and the non-usage charges.
impl Report for Reconciliation {
    type Json<'a> = JsonReconciliation<'a>;

    fn tables(&self) -> Vec<Table> {
        tables(self)
    }

    fn json(&self) -> JsonReconciliation<'_> {
        json(self)
    }

    fn diagnostics(&self) -> Vec<String> {
        self.warnings
            .iter()
            .map(|w| format!("warning: {w}"))
            .collect()
    }

    /// Every section of the table, told apart by the `section` column: `line` (a modeled
    /// usage type), `unmapped` (spend the model has no component for) and `non_usage`
    /// (credits, refunds, taxes, support, commitments: in `actual_usd` only).
    fn csv(&self) -> Csv {
        let r = self;
        let lines = r.lines.iter().map(|l| {
            vec![
                "line".into(),
                l.component.clone(),
                l.service_code.clone(),
                l.usage_type.clone(),
                format!("{}", l.estimated_quantity),
                format!("{:.6}", l.estimated_usd),
                format!("{}", l.actual_quantity),
                format!("{:.6}", l.actual_usd),
                format!("{:.6}", l.variance_usd()),
                format!("{:.6}", l.price_effect()),
                format!("{:.6}", l.usage_effect()),
                l.attribution.key().into(),
            ]
        });
        let unmapped = r.unmapped.iter().map(|u| {
            vec![
                "unmapped".into(),
                "(unmapped)".into(),
                u.service_code.clone(),
                u.usage_type.clone(),
                "0".into(),
                "0.000000".into(),
                format!("{}", u.quantity),
                format!("{:.6}", u.cost_usd),
                format!("{:.6}", u.cost_usd),
                "0.000000".into(),
                format!("{:.6}", u.cost_usd),
                "unmapped".into(),
            ]
        });
        let non_usage = r.non_usage.iter().map(|(category, usd)| {
            let mut row = vec![String::new(); 12];
            row[0] = "non_usage".into();
            row[3] = category.key().into();
            row[7] = format!("{usd:.6}");
            row
        });
        Csv::new(
            &[
                "section",
                "component",
                "service_code",
                "usage_type",
                "estimated_quantity",
                "estimated_usd",
                "actual_quantity",
                "actual_usd",
                "variance_usd",
                "price_effect_usd",
                "usage_effect_usd",
                "attribution",
            ],
            lines.chain(unmapped).chain(non_usage),
        )
    }
}

#[derive(Serialize)]
pub struct JsonReconciliation<'a> {
    model: &'a str,
    prices: &'a str,
    month: &'a str,
    source: &'a str,
    tolerance_percent: f64,
    estimated_usage_usd: f64,
    actual_usage_usd: f64,
    lines: Vec<JsonLine<'a>>,
    by_component: Vec<JsonGroup<'a>>,
    by_service: Vec<JsonGroup<'a>>,
    unmapped: Vec<JsonUnmapped<'a>>,
    non_usage: std::collections::BTreeMap<&'static str, f64>,
    warnings: &'a [String],
}

#[derive(Serialize)]
pub struct JsonLine<'a> {
    component: &'a str,
    service_code: &'a str,
    usage_type: &'a str,
    estimated_quantity: f64,
    estimated_usd: f64,
    actual_quantity: f64,
    actual_usd: f64,
    variance_usd: f64,
    price_effect_usd: f64,
    price_effective_date: &'a str,
    usage_effect_usd: f64,
    attribution: &'static str,
}

#[derive(Serialize)]
pub struct JsonGroup<'a> {
    key: &'a str,
    estimated_usd: f64,
    actual_usd: f64,
    variance_usd: f64,
    variance_percent: f64,
    price_effect_usd: f64,
    usage_effect_usd: f64,
    status: &'static str,
}

#[derive(Serialize)]
pub struct JsonUnmapped<'a> {
    service_code: &'a str,
    usage_type: &'a str,
    quantity: f64,
    cost_usd: f64,
}

fn groups(g: &[GroupVariance]) -> Vec<JsonGroup<'_>> {
    g.iter()
        .map(|g| JsonGroup {
            key: &g.key,
            estimated_usd: g.estimated_usd,
            actual_usd: g.actual_usd,
            variance_usd: g.variance_usd(),
            variance_percent: g.variance_percent(),
            price_effect_usd: g.price_effect,
            usage_effect_usd: g.usage_effect,
            status: g.status.key(),
        })
        .collect()
}

fn json(r: &Reconciliation) -> JsonReconciliation<'_> {
    JsonReconciliation {
        model: &r.model,
        prices: &r.prices,
        month: &r.month,
        source: &r.source,
        tolerance_percent: r.tolerance_percent,
        estimated_usage_usd: r.estimated_usd(),
        actual_usage_usd: r.actual_usage_usd(),
        lines: r
            .lines
            .iter()
            .map(|l| JsonLine {
                component: &l.component,
                service_code: &l.service_code,
                usage_type: &l.usage_type,
                estimated_quantity: l.estimated_quantity,
                estimated_usd: l.estimated_usd,
                actual_quantity: l.actual_quantity,
                actual_usd: l.actual_usd,
                variance_usd: l.variance_usd(),
                price_effect_usd: l.price_effect(),
                price_effective_date: &l.price_effective_date,
                usage_effect_usd: l.usage_effect(),
                attribution: l.attribution.key(),
            })
            .collect(),
        by_component: groups(&r.by_component),
        by_service: groups(&r.by_service),
        unmapped: r
            .unmapped
            .iter()
            .map(|u| JsonUnmapped {
                service_code: &u.service_code,
                usage_type: &u.usage_type,
                quantity: u.quantity,
                cost_usd: u.cost_usd,
            })
            .collect(),
        non_usage: r.non_usage.iter().map(|(c, v)| (c.key(), *v)).collect(),
        warnings: &r.warnings,
    }
}

/// The list of changes a calibration made to the model written at `path`, and what it left alone.
pub fn render_calibration(c: &crate::analysis::calibrate::Calibration, path: &str) -> String {
    let mut log = format!("\nCalibrated model written to {path}:\n");
    for change in &c.changes {
        log.push_str(&format!(
            "  {}: {} -> {}   ({})\n",
            change.path, change.old, change.new, change.reason
        ));
    }
    for s in &c.skipped {
        log.push_str(&format!("  not calibrated: {s}\n"));
    }
    if c.changes.is_empty() {
        log.push_str("  no field changed: every calibratable quantity matched\n");
    }
    log
}
