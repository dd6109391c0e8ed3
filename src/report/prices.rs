//! Price snapshots as reports: the snapshots known (`prices list`) and one snapshot's entries
//! (`prices list --region R --entries`), and two snapshots compared (`prices diff`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::Report;
use super::table::{Csv, Table};
use crate::analysis::price_diff::{PriceChange, PriceDiff};
use crate::engine::price_book::{Price, PriceBasis, PriceBook};
use crate::vocabulary::text::{qty, signed_usd, unit_price, usd};

/// The snapshots known, one row each.
pub struct SnapshotsReport<'a> {
    /// The snapshots, in the order to show.
    pub books: Vec<&'a PriceBook>,
}

/// One snapshot's row.
#[derive(Serialize)]
pub struct JsonSnapshot<'a> {
    region: &'a str,
    snapshot_date: &'a str,
    origin: &'a str,
    prices: usize,
    by_basis: BTreeMap<&'static str, usize>,
    missing: usize,
    newest_effective_date: Option<&'a str>,
}

fn snapshot_json(b: &PriceBook) -> JsonSnapshot<'_> {
    let mut by_basis = BTreeMap::new();
    for p in b.prices() {
        *by_basis.entry(p.basis.key()).or_insert(0) += 1;
    }
    JsonSnapshot {
        region: b.region().code(),
        snapshot_date: b.snapshot_date(),
        origin: b.origin(),
        prices: b.prices().count(),
        by_basis,
        missing: b.missing().len(),
        newest_effective_date: b.prices().map(|p| p.effective_date.as_str()).max(),
    }
}

const SNAPSHOT_HEAD: [&str; 8] = [
    "region",
    "snapshot",
    "prices",
    "from Price List",
    "other sources",
    "missing",
    "newest price",
    "origin",
];

fn snapshot_row(b: &PriceBook) -> Vec<String> {
    let j = snapshot_json(b);
    let listed = j
        .by_basis
        .get(PriceBasis::PriceList.key())
        .copied()
        .unwrap_or(0);
    vec![
        j.region.to_string(),
        j.snapshot_date.to_string(),
        j.prices.to_string(),
        listed.to_string(),
        (j.prices - listed).to_string(),
        j.missing.to_string(),
        j.newest_effective_date.unwrap_or("").to_string(),
        j.origin.to_string(),
    ]
}

impl Report for SnapshotsReport<'_> {
    type Json<'b>
        = Vec<JsonSnapshot<'b>>
    where
        Self: 'b;

    fn tables(&self) -> Vec<Table> {
        vec![Table {
            title: "Price snapshots".into(),
            head: SNAPSHOT_HEAD.iter().map(|h| h.to_string()).collect(),
            right: vec![false, false, true, true, true, true, false, false],
            rows: self.books.iter().map(|b| snapshot_row(b)).collect(),
            notes: vec![
                "An estimate uses the newest snapshot of its region unless --prices-at DATE; reconcile uses the one in force at the end of the billing month.".into(),
            ],
            shrink: Some(7),
            ..Table::default()
        }]
    }

    fn csv(&self) -> Csv {
        Csv::new(&SNAPSHOT_HEAD, self.books.iter().map(|b| snapshot_row(b)))
    }

    fn json(&self) -> Vec<JsonSnapshot<'_>> {
        self.books.iter().map(|b| snapshot_json(b)).collect()
    }
}

/// One snapshot's entries with their sources, and what it lacks.
pub struct EntriesReport<'a> {
    /// The snapshot.
    pub book: &'a PriceBook,
}

/// One entry.
#[derive(Serialize)]
pub struct JsonEntry<'a> {
    service_code: &'static str,
    usage_type: &'a str,
    aliases: &'a [String],
    operation: Option<&'a str>,
    unit: &'static str,
    tiers: Vec<[Option<f64>; 3]>,
    effective_date: &'a str,
    basis: &'static str,
    sku: Option<&'a str>,
    offer_version: Option<&'a str>,
    publication_date: Option<&'a str>,
    reference: &'a str,
}

/// The entries and what is missing.
#[derive(Serialize)]
pub struct JsonEntries<'a> {
    region: &'a str,
    snapshot_date: &'a str,
    origin: &'a str,
    prices: Vec<JsonEntry<'a>>,
    missing: &'a [crate::engine::price_book::MissingPrice],
}

const ENTRY_HEAD: [&str; 8] = [
    "service",
    "usage type",
    "unit",
    "USD per unit",
    "basis",
    "effective",
    "sku",
    "source",
];

/// The rate, or its tiers as `rate (from N)` pieces.
fn rates(p: &Price) -> String {
    match p.tiers.as_slice() {
        [t] => unit_price(t.usd_per_unit),
        tiers => tiers
            .iter()
            .map(|t| format!("{} from {}", unit_price(t.usd_per_unit), qty(t.begin)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// The rate, or for tiered prices the first and last rates and the number of tiers (tables).
fn rates_short(p: &Price) -> String {
    match p.tiers.as_slice() {
        [t] => unit_price(t.usd_per_unit),
        [first, .., last] => format!(
            "{} … {} ({} tiers)",
            unit_price(first.usd_per_unit),
            unit_price(last.usd_per_unit),
            p.tiers.len()
        ),
        [] => String::new(),
    }
}

fn entry_row(p: &Price) -> Vec<String> {
    let usage = match &p.key.operation {
        Some(op) => format!("{} ({op})", p.key.usage_type),
        None => p.key.usage_type.clone(),
    };
    vec![
        p.key.service_code.code().to_string(),
        usage,
        p.unit.key().to_string(),
        rates(p),
        p.basis.key().to_string(),
        p.effective_date.clone(),
        p.sku.clone().unwrap_or_default(),
        p.reference.clone(),
    ]
}

impl Report for EntriesReport<'_> {
    type Json<'b>
        = JsonEntries<'b>
    where
        Self: 'b;

    fn tables(&self) -> Vec<Table> {
        let b = self.book;
        let mut tables = vec![Table {
            title: format!(
                "Prices of {} on {} ({})",
                b.region(),
                b.snapshot_date(),
                b.origin()
            ),
            head: ENTRY_HEAD.iter().map(|h| h.to_string()).collect(),
            right: vec![false, false, false, true, false, false, false, false],
            rows: b
                .prices()
                .map(|p| {
                    let mut row = entry_row(p);
                    row[3] = rates_short(p);
                    row
                })
                .collect(),
            notes: b.note().map(str::to_string).into_iter().collect(),
            shrink: Some(7),
            optional_from: Some(6),
            ..Table::default()
        }];
        if !b.missing().is_empty() {
            tables.push(Table {
                title: format!(
                    "Not in this snapshot ({}): never guessed",
                    b.missing().len()
                ),
                head: vec!["service".into(), "usage type".into(), "why".into()],
                right: vec![false; 3],
                rows: b
                    .missing()
                    .iter()
                    .map(|m| {
                        let usage = match &m.operation {
                            Some(op) => format!("{} ({op})", m.usage_type),
                            None => m.usage_type.clone(),
                        };
                        vec![m.service_code.clone(), usage, m.reason.clone()]
                    })
                    .collect(),
                shrink: Some(2),
                ..Table::default()
            });
        }
        tables
    }

    fn csv(&self) -> Csv {
        Csv::new(&ENTRY_HEAD, self.book.prices().map(entry_row))
    }

    fn json(&self) -> JsonEntries<'_> {
        let b = self.book;
        JsonEntries {
            region: b.region().code(),
            snapshot_date: b.snapshot_date(),
            origin: b.origin(),
            prices: b
                .prices()
                .map(|p| JsonEntry {
                    service_code: p.key.service_code.code(),
                    usage_type: &p.key.usage_type,
                    aliases: &p.aliases,
                    operation: p.key.operation.as_deref(),
                    unit: p.unit.key(),
                    tiers: p
                        .tiers
                        .iter()
                        .map(|t| [Some(t.begin), t.end, Some(t.usd_per_unit)])
                        .collect(),
                    effective_date: &p.effective_date,
                    basis: p.basis.key(),
                    sku: p.sku.as_deref(),
                    offer_version: p.offer_version.as_deref(),
                    publication_date: p.publication_date.as_deref(),
                    reference: &p.reference,
                })
                .collect(),
            missing: b.missing(),
        }
    }
}

/// Two snapshots compared, and the effect on a model.
impl Report for PriceDiff {
    type Json<'b> = JsonDiff<'b>;

    fn tables(&self) -> Vec<Table> {
        let mut tables = vec![Table {
            title: format!(
                "Price changes from {} to {}",
                self.old_label, self.new_label
            ),
            head: DIFF_HEAD.iter().map(|h| h.to_string()).collect(),
            right: vec![false, false, false, true, true, true],
            rows: self.changes.iter().map(diff_row).collect(),
            notes: vec![format!(
                "{} changed, {} unchanged (sources and notes are not compared).",
                self.changes.len(),
                self.unchanged
            )],
            shrink: Some(1),
            ..Table::default()
        }];
        if let Some(e) = &self.effect {
            tables.push(Table {
                title: format!("Effect on {} (USD per month)", e.model),
                head: vec![
                    "usage type".into(),
                    "old".into(),
                    "new".into(),
                    "change".into(),
                ],
                right: vec![false, true, true, true],
                rows: e
                    .by_usage_type
                    .iter()
                    .map(|(k, a, b)| vec![k.clone(), usd(*a), usd(*b), signed_usd(b - a)])
                    .collect(),
                total: Some(vec![
                    "total".into(),
                    usd(e.old_total_usd),
                    usd(e.new_total_usd),
                    signed_usd(e.new_total_usd - e.old_total_usd),
                ]),
                notes: if e.by_usage_type.is_empty() {
                    vec!["No line of the model uses a changed price.".into()]
                } else {
                    Vec::new()
                },
                shrink: Some(0),
                ..Table::default()
            });
        }
        tables
    }

    fn csv(&self) -> Csv {
        Csv::new(
            &["change", "service", "usage type", "old", "new", "change %"],
            self.changes.iter().map(|c| {
                let mut r = diff_row(c);
                r[5] = c.percent().map_or(String::new(), |p| format!("{p:.4}"));
                r
            }),
        )
    }

    fn json(&self) -> JsonDiff<'_> {
        JsonDiff {
            old: &self.old_label,
            new: &self.new_label,
            unchanged: self.unchanged,
            changes: self
                .changes
                .iter()
                .map(|c| JsonChange {
                    change: c.kind.word(),
                    service_code: c.key.service_code.code(),
                    usage_type: &c.key.usage_type,
                    operation: c.key.operation.as_deref(),
                    old: c.old.as_ref().map(rates),
                    new: c.new.as_ref().map(rates),
                    percent: c.percent(),
                })
                .collect(),
            effect: self.effect.as_ref().map(|e| JsonEffect {
                model: &e.model,
                old_total_usd: e.old_total_usd,
                new_total_usd: e.new_total_usd,
                by_usage_type: e
                    .by_usage_type
                    .iter()
                    .map(|(k, a, b)| JsonEffectRow {
                        usage_type: k,
                        old_usd: *a,
                        new_usd: *b,
                    })
                    .collect(),
            }),
        }
    }
}

const DIFF_HEAD: [&str; 6] = ["change", "service", "usage type", "old", "new", "change"];

fn diff_row(c: &PriceChange) -> Vec<String> {
    let usage = match &c.key.operation {
        Some(op) => format!("{} ({op})", c.key.usage_type),
        None => c.key.usage_type.clone(),
    };
    vec![
        c.kind.word().to_string(),
        c.key.service_code.code().to_string(),
        usage,
        c.old.as_ref().map(rates).unwrap_or_default(),
        c.new.as_ref().map(rates).unwrap_or_default(),
        c.percent().map_or(String::new(), |p| format!("{p:+.1}%")),
    ]
}

/// A price diff.
#[derive(Serialize)]
pub struct JsonDiff<'a> {
    old: &'a str,
    new: &'a str,
    unchanged: usize,
    changes: Vec<JsonChange<'a>>,
    effect: Option<JsonEffect<'a>>,
}

/// One changed entry.
#[derive(Serialize)]
pub struct JsonChange<'a> {
    change: &'static str,
    service_code: &'static str,
    usage_type: &'a str,
    operation: Option<&'a str>,
    old: Option<String>,
    new: Option<String>,
    percent: Option<f64>,
}

/// The effect on a model.
#[derive(Serialize)]
pub struct JsonEffect<'a> {
    model: &'a str,
    old_total_usd: f64,
    new_total_usd: f64,
    by_usage_type: Vec<JsonEffectRow<'a>>,
}

/// One usage type's cost under each snapshot.
#[derive(Serialize)]
pub struct JsonEffectRow<'a> {
    usage_type: &'a str,
    old_usd: f64,
    new_usd: f64,
}
