//! Side-by-side comparison of designs: totals, and the difference per component and per service
//! against the first design, largest absolute difference first.

use std::collections::BTreeMap;

use crate::engine::estimate::{Estimate, GroupBy};

/// Costs of one component or service in every design.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffRow {
    /// Component id or service code.
    pub key: String,
    /// USD per month in each design (0 where the design lacks it).
    pub usd: Vec<f64>,
}

impl DiffRow {
    /// Difference of design `i` from the first design.
    pub fn delta(&self, i: usize) -> f64 {
        self.usd[i] - self.usd[0]
    }

    /// The largest absolute difference from the first design.
    pub fn max_abs_delta(&self) -> f64 {
        (1..self.usd.len())
            .map(|i| self.delta(i).abs())
            .fold(0.0, f64::max)
    }
}

/// A comparison of two or more designs.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Design names, in the order given.
    pub labels: Vec<String>,
    /// Total USD per month of each design.
    pub totals: Vec<f64>,
    /// Per component, largest difference first.
    pub by_component: Vec<DiffRow>,
    /// Per service, largest difference first.
    pub by_service: Vec<DiffRow>,
    /// The price snapshots the estimates used (one when they agree).
    pub prices: Vec<String>,
}

/// Compares estimates; the first is the reference every difference is taken against.
pub fn compare(estimates: &[Estimate]) -> Comparison {
    let rows = |by: GroupBy| {
        let mut table: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for (i, e) in estimates.iter().enumerate() {
            for (key, usd) in e.grouped(by) {
                table
                    .entry(key)
                    .or_insert_with(|| vec![0.0; estimates.len()])[i] = usd;
            }
        }
        let mut rows: Vec<DiffRow> = table
            .into_iter()
            .map(|(key, usd)| DiffRow { key, usd })
            .collect();
        rows.sort_by(|a, b| {
            b.max_abs_delta()
                .total_cmp(&a.max_abs_delta())
                .then_with(|| a.key.cmp(&b.key))
        });
        rows
    };
    // Variants of the first design are labelled by their variant name alone.
    let first = estimates.first().map(|e| e.model.as_str()).unwrap_or("");
    let labels = estimates
        .iter()
        .map(|e| match e.model.strip_prefix(first).map(str::trim_start) {
            Some(rest) if rest.starts_with('[') => rest.to_string(),
            _ => e.model.clone(),
        })
        .collect();
    Comparison {
        labels,
        totals: estimates.iter().map(Estimate::total_usd).collect(),
        by_component: rows(GroupBy::Component),
        by_service: rows(GroupBy::Service),
        prices: {
            let mut p: Vec<String> = estimates.iter().map(|e| e.prices.clone()).collect();
            p.dedup();
            p
        },
    }
}
