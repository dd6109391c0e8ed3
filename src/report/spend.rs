//! A bill's spend by dimensions as tables, JSON, CSV or Markdown.

use serde::Serialize;

use super::Report;
use super::table::{Csv, Table};
use crate::analysis::spend::{COLUMNS, Dimension, Spend};
use crate::vocabulary::text::{qty, usd};

/// A spend summary with what it was read from.
pub struct SpendReport<'a> {
    /// The summary.
    pub spend: &'a Spend,
    /// The bill (`exports/ (FOCUS)`).
    pub source: &'a str,
    /// The cost measured.
    pub cost: &'a str,
}

impl SpendReport<'_> {
    /// Quantities add up only within one usage type.
    fn with_quantity(&self) -> bool {
        self.spend.dimensions.contains(&Dimension::UsageType)
    }

    fn head(&self) -> Vec<String> {
        let mut head: Vec<String> = self.spend.dimensions.iter().map(Dimension::name).collect();
        if self.with_quantity() {
            head.push("quantity".into());
        }
        head.extend(COLUMNS.iter().map(|c| c.to_string()));
        head.push("total".into());
        head
    }
}

impl Report for SpendReport<'_> {
    type Json<'b>
        = JsonSpend<'b>
    where
        Self: 'b;

    fn tables(&self) -> Vec<Table> {
        let s = self.spend;
        let head = self.head();
        let dims = s.dimensions.len();
        let n = head.len();
        let mut total = vec![String::new(); n];
        total[0] = "TOTAL".into();
        let first_usd = n - COLUMNS.len() - 1;
        for (i, v) in s.totals.iter().enumerate() {
            total[first_usd + i] = usd(*v);
        }
        total[n - 1] = usd(s.totals.iter().sum());
        vec![Table {
            title: format!(
                "Spend of {} by {}, {} cost, USD",
                self.source,
                s.dimensions
                    .iter()
                    .map(Dimension::name)
                    .collect::<Vec<_>>()
                    .join(", "),
                self.cost
            ),
            right: (0..n).map(|i| i >= dims).collect(),
            rows: s
                .rows
                .iter()
                .map(|r| {
                    let mut row = r.keys.clone();
                    if self.with_quantity() {
                        row.push(qty(r.quantity));
                    }
                    row.extend(r.usd.iter().map(|v| usd(*v)));
                    row.push(usd(r.total_usd()));
                    row
                })
                .collect(),
            head,
            total: Some(total),
            notes: vec![
                "usage: metered usage charges; commitment: Savings Plan and reservation fees, negations and unused commitment; credit: credits and refunds; other: support, negotiated discounts and anything else.".into(),
            ],
            shrink: Some(0),
            ..Table::default()
        }]
    }

    fn csv(&self) -> Csv {
        let head = self.head();
        let refs: Vec<&str> = head.iter().map(String::as_str).collect();
        Csv::new(
            &refs,
            self.spend.rows.iter().map(|r| {
                let mut row = r.keys.clone();
                if self.with_quantity() {
                    row.push(format!("{}", r.quantity));
                }
                row.extend(r.usd.iter().map(|v| format!("{v:.6}")));
                row.push(format!("{:.6}", r.total_usd()));
                row
            }),
        )
    }

    fn json(&self) -> JsonSpend<'_> {
        let s = self.spend;
        JsonSpend {
            source: self.source,
            cost: self.cost,
            dimensions: s.dimensions.iter().map(Dimension::name).collect(),
            rows: s
                .rows
                .iter()
                .map(|r| JsonRow {
                    keys: &r.keys,
                    quantity: r.quantity,
                    usage_usd: r.usd[0],
                    commitment_usd: r.usd[1],
                    credit_usd: r.usd[2],
                    tax_usd: r.usd[3],
                    other_usd: r.usd[4],
                    total_usd: r.total_usd(),
                })
                .collect(),
            total_usd: s.totals.iter().sum(),
        }
    }
}

/// The spend summary's JSON.
#[derive(Serialize)]
pub struct JsonSpend<'a> {
    source: &'a str,
    cost: &'a str,
    dimensions: Vec<String>,
    rows: Vec<JsonRow<'a>>,
    total_usd: f64,
}

/// One group.
#[derive(Serialize)]
pub struct JsonRow<'a> {
    keys: &'a [String],
    quantity: f64,
    usage_usd: f64,
    commitment_usd: f64,
    credit_usd: f64,
    tax_usd: f64,
    other_usd: f64,
    total_usd: f64,
}
