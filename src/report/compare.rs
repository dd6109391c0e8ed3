//! A comparison of designs as a table, JSON, CSV or Markdown.

use serde::Serialize;

use super::Report;
use super::table::{Csv, Table};
use crate::analysis::compare::{Comparison, DiffRow};
use crate::vocabulary::text::{signed_usd, usd};

/// A comparison: totals, then per component and per service, with the difference of each
/// design from the first.
impl Report for Comparison {
    type Json<'a> = JsonComparison<'a>;

    fn tables(&self) -> Vec<Table> {
        tables(self)
    }

    fn csv(&self) -> Csv {
        csv_text(self)
    }

    fn json(&self) -> JsonComparison<'_> {
        json(self)
    }
}

fn head(c: &Comparison, first: &str) -> (Vec<String>, Vec<bool>) {
    let mut head = vec![first.to_string()];
    head.extend(c.labels.iter().cloned());
    head.extend(c.labels.iter().skip(1).map(|l| format!("Δ {l}")));
    let right = (0..head.len()).map(|i| i > 0).collect();
    (head, right)
}

fn row(key: &str, usd_by_design: &[f64]) -> Vec<String> {
    let mut r = vec![key.to_string()];
    r.extend(usd_by_design.iter().map(|v| usd(*v)));
    r.extend(
        usd_by_design
            .iter()
            .skip(1)
            .map(|v| signed_usd(v - usd_by_design[0])),
    );
    r
}

fn tables(c: &Comparison) -> Vec<Table> {
    let section = |title: &str, first: &str, rows: &[DiffRow]| {
        let (head, right) = head(c, first);
        Table {
            title: title.to_string(),
            head,
            right,
            rows: rows.iter().map(|r| row(&r.key, &r.usd)).collect(),
            total: Some(row("TOTAL", &c.totals)),
            ..Table::default()
        }
    };
    let mut totals = section("Totals, USD/month", "design", &[]);
    totals.total = None;
    totals.rows = vec![row("total", &c.totals)];
    if c.totals[0] != 0.0 {
        totals.notes = c
            .labels
            .iter()
            .zip(&c.totals)
            .skip(1)
            .map(|(l, t)| {
                format!(
                    "{l}: {} ({:+.1}%) against {}",
                    signed_usd(t - c.totals[0]),
                    (t / c.totals[0] - 1.0) * 100.0,
                    c.labels[0]
                )
            })
            .collect();
    }
    totals
        .notes
        .push(format!("prices: {}", c.prices.join("; ")));
    vec![
        totals,
        section(
            "By component, largest difference first",
            "component",
            &c.by_component,
        ),
        section(
            "By service, largest difference first",
            "service",
            &c.by_service,
        ),
    ]
}

fn csv_text(c: &Comparison) -> Csv {
    let mut head = vec!["group".to_string(), "key".to_string()];
    head.extend(c.labels.iter().map(|l| format!("usd_per_month:{l}")));
    head.extend(c.labels.iter().skip(1).map(|l| format!("delta_usd:{l}")));
    let head_refs: Vec<&str> = head.iter().map(String::as_str).collect();
    let line = |group: &str, key: &str, v: &[f64]| {
        let mut r = vec![group.to_string(), key.to_string()];
        r.extend(v.iter().map(|x| format!("{x:.6}")));
        r.extend(v.iter().skip(1).map(|x| format!("{:.6}", x - v[0])));
        r
    };
    let rows = std::iter::once(line("total", "total", &c.totals))
        .chain(
            c.by_component
                .iter()
                .map(|r| line("component", &r.key, &r.usd)),
        )
        .chain(c.by_service.iter().map(|r| line("service", &r.key, &r.usd)));
    Csv::new(&head_refs, rows)
}

#[derive(Serialize)]
pub struct JsonComparison<'a> {
    prices: &'a [String],
    designs: Vec<JsonDesign<'a>>,
    by_component: Vec<JsonRow<'a>>,
    by_service: Vec<JsonRow<'a>>,
}

#[derive(Serialize)]
struct JsonDesign<'a> {
    name: &'a str,
    total_usd_per_month: f64,
    delta_usd_per_month: f64,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    key: &'a str,
    usd_per_month: &'a [f64],
    delta_usd_per_month: Vec<f64>,
}

fn json_rows(rows: &[DiffRow]) -> Vec<JsonRow<'_>> {
    rows.iter()
        .map(|r| JsonRow {
            key: &r.key,
            usd_per_month: &r.usd,
            delta_usd_per_month: (0..r.usd.len()).map(|i| r.delta(i)).collect(),
        })
        .collect()
}

fn json(c: &Comparison) -> JsonComparison<'_> {
    let rows = json_rows;
    JsonComparison {
        prices: &c.prices,
        designs: c
            .labels
            .iter()
            .zip(&c.totals)
            .map(|(name, t)| JsonDesign {
                name,
                total_usd_per_month: *t,
                delta_usd_per_month: t - c.totals[0],
            })
            .collect(),
        by_component: rows(&c.by_component),
        by_service: rows(&c.by_service),
    }
}
