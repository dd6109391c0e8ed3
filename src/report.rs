//! Renders an estimate as a table, JSON, CSV or Markdown. Output is built whole in memory, so
//! a failure never leaves half a report behind.

use serde::Serialize;

use crate::estimate::{Estimate, GroupBy, Line};
use crate::services::Severity;
use crate::text::{qty, usd};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for a terminal.
    Table,
    /// Every line and summary, machine-readable.
    Json,
    /// One row per line (or per group with `--by`).
    Csv,
    /// A Markdown table.
    Markdown,
}

/// Renders an estimate. With `by`, table, CSV and Markdown show one row per group; JSON always
/// carries every line and every grouping.
pub fn render(e: &Estimate, format: Format, by: Option<GroupBy>) -> String {
    match format {
        Format::Json => json(e),
        Format::Table => table(e, by),
        Format::Csv => csv(e, by),
        Format::Markdown => markdown(e, by),
    }
}

/// A unit price with enough significant digits for per-request prices.
fn unit_price(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x >= 0.0001 {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        // Four significant digits: 9.6877e-5, 6.25e-7.
        let s = format!("{x:.3e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        format!("{mantissa}e{exp}")
    }
}

fn header(e: &Estimate) -> String {
    format!("{} — {} — {}\n", e.model, e.region, e.period.label())
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

fn rows_for(e: &Estimate, by: Option<GroupBy>) -> (Vec<String>, Vec<Vec<String>>) {
    match by {
        Some(g) => (
            vec![g.to_string(), "USD/month".into(), "share".into()],
            group_rows(e, g),
        ),
        None => (
            LINE_HEADER.iter().map(|s| s.to_string()).collect(),
            e.lines.iter().map(line_row).collect(),
        ),
    }
}

fn diagnostics_text(e: &Estimate, by: Option<GroupBy>) -> String {
    let mut out = String::new();
    if by.is_none() && e.lines.iter().any(|l| l.price_source.tiered) {
        out.push_str("* average over the price tiers (free allowances included) of the usage type's account-wide total\n");
    }
    for d in &e.diagnostics {
        let tag = match d.severity {
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        out.push_str(&format!("{tag}: {}: {}\n", d.component, d.message));
    }
    out
}

fn table(e: &Estimate, by: Option<GroupBy>) -> String {
    let (head, mut rows) = rows_for(e, by);
    let mut total = vec![String::new(); head.len()];
    total[0] = "TOTAL".into();
    let usd_col = if by.is_some() { 1 } else { 6 };
    total[usd_col] = usd(e.total_usd());
    rows.push(total);
    let widths: Vec<usize> = (0..head.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([head[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let numeric = |c: usize| match by {
        Some(_) => c > 0,
        None => c == 3 || c == 5 || c == 6,
    };
    let fmt_row = |r: &[String]| {
        r.iter()
            .enumerate()
            .map(|(c, cell)| {
                if numeric(c) {
                    format!("{cell:>w$}", w = widths[c])
                } else {
                    format!("{cell:<w$}", w = widths[c])
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let rule = widths
        .iter()
        .map(|w| "-".repeat(*w))
        .collect::<Vec<_>>()
        .join("  ")
        + "\n";
    let mut out = header(e);
    out.push('\n');
    out.push_str(&fmt_row(&head));
    out.push('\n');
    out.push_str(&rule);
    let n = rows.len();
    for (i, r) in rows.iter().enumerate() {
        if i == n - 1 {
            out.push_str(&rule);
        }
        out.push_str(&fmt_row(r));
        out.push('\n');
    }
    let diags = diagnostics_text(e, by);
    if !diags.is_empty() {
        out.push('\n');
        out.push_str(&diags);
    }
    out
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv(e: &Estimate, by: Option<GroupBy>) -> String {
    let mut out = String::new();
    let push = |out: &mut String, cells: Vec<String>| {
        out.push_str(
            &cells
                .iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    };
    match by {
        Some(g) => {
            push(
                &mut out,
                vec![g.to_string().replace(' ', "_"), "usd_per_month".into()],
            );
            for (k, v) in e.grouped(g) {
                push(&mut out, vec![k, format!("{v:.6}")]);
            }
        }
        None => {
            push(
                &mut out,
                [
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
                ]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            );
            for l in &e.lines {
                push(
                    &mut out,
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
                    ],
                );
            }
        }
    }
    out
}

fn markdown(e: &Estimate, by: Option<GroupBy>) -> String {
    let (head, rows) = rows_for(e, by);
    let mut out = format!("## {}\n\n", header(e).trim_end());
    let esc = |s: &str| s.replace('|', "\\|");
    out.push_str(&format!(
        "| {} |\n",
        head.iter().map(|h| esc(h)).collect::<Vec<_>>().join(" | ")
    ));
    let align: Vec<&str> = (0..head.len())
        .map(|c| {
            if (by.is_some() && c > 0) || (by.is_none() && (c == 3 || c == 5 || c == 6)) {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    out.push_str(&format!("| {} |\n", align.join(" | ")));
    for r in rows {
        out.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out.push_str(&format!("\n**Total: {} USD/month**\n", usd(e.total_usd())));
    let diags = diagnostics_text(e, by);
    if !diags.is_empty() {
        out.push('\n');
        for d in diags.lines() {
            out.push_str(&format!("- {}\n", esc(d)));
        }
    }
    out
}

#[derive(Serialize)]
struct JsonEstimate<'a> {
    model: &'a str,
    region: &'a str,
    period: JsonPeriod<'a>,
    currency: &'static str,
    total_usd_per_month: f64,
    lines: Vec<JsonLine<'a>>,
    by_component: Vec<JsonGroup>,
    by_service: Vec<JsonGroup>,
    by_usage_type: Vec<JsonGroup>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
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

fn json(e: &Estimate) -> String {
    let groups = |g| {
        e.grouped(g)
            .into_iter()
            .map(|(key, usd_per_month)| JsonGroup { key, usd_per_month })
            .collect()
    };
    let doc = JsonEstimate {
        model: &e.model,
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
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("report types serialize");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_prices_format() {
        assert_eq!(unit_price(0.04048), "0.04048");
        assert_eq!(unit_price(0.000111), "0.000111");
        assert_eq!(unit_price(0.000000625), "6.25e-7");
        assert_eq!(unit_price(9.687671232876711e-5), "9.688e-5");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
    }
}
