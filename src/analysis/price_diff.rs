//! What changed between two price snapshots of a region, entry by entry, and what the change
//! does to a model's estimate.

use std::collections::BTreeMap;

use crate::engine::estimate::{Estimate, GroupBy};
use crate::engine::price_book::{Price, PriceBook};
use crate::vocabulary::units::PriceKey;

/// How an entry changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// The rate (or a tier's rate, or the tiers) changed.
    Changed,
    /// Only in the new snapshot.
    Added,
    /// Only in the old snapshot.
    Removed,
}

impl ChangeKind {
    /// The word in reports.
    pub fn word(self) -> &'static str {
        match self {
            ChangeKind::Changed => "changed",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
        }
    }
}

/// One entry that differs.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceChange {
    /// What it prices.
    pub key: PriceKey,
    /// How it changed.
    pub kind: ChangeKind,
    /// The old entry.
    pub old: Option<Price>,
    /// The new entry.
    pub new: Option<Price>,
}

impl PriceChange {
    /// The change of the rate in % (the first paid tier's, for tiered prices with the same
    /// tier bounds); `None` when added, removed, re-tiered or from a zero rate.
    pub fn percent(&self) -> Option<f64> {
        let (old, new) = (self.old.as_ref()?, self.new.as_ref()?);
        let same_bounds = old.tiers.len() == new.tiers.len()
            && old
                .tiers
                .iter()
                .zip(&new.tiers)
                .all(|(a, b)| a.begin == b.begin && a.end == b.end);
        if !same_bounds {
            return None;
        }
        // The first tier whose rate changed, else the first paid one.
        let i = (0..old.tiers.len())
            .find(|&i| old.tiers[i].usd_per_unit != new.tiers[i].usd_per_unit)
            .unwrap_or(0);
        let (a, b) = (old.tiers[i].usd_per_unit, new.tiers[i].usd_per_unit);
        (a > 0.0).then(|| (b - a) / a * 100.0)
    }
}

/// Two snapshots compared.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceDiff {
    /// The old snapshot's label (`origin (date)`).
    pub old_label: String,
    /// The new snapshot's label.
    pub new_label: String,
    /// Entries that differ, by key.
    pub changes: Vec<PriceChange>,
    /// Entries the same in both.
    pub unchanged: usize,
    /// The effect on a model's estimate, when one was given.
    pub effect: Option<ModelEffect>,
}

/// A model estimated with each snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelEffect {
    /// The model's name.
    pub model: String,
    /// USD per month with the old prices.
    pub old_total_usd: f64,
    /// USD per month with the new prices.
    pub new_total_usd: f64,
    /// Usage types whose cost changed: (usage type, old USD, new USD), largest change first.
    pub by_usage_type: Vec<(String, f64, f64)>,
}

fn label(b: &PriceBook) -> String {
    format!("{} ({})", b.origin(), b.snapshot_date())
}

/// The entries of `new` that differ from `old` (rates, tiers or presence). Sources and notes
/// are not compared: a price confirmed by a newer offer is unchanged.
pub fn diff(old: &PriceBook, new: &PriceBook) -> PriceDiff {
    let mut keys: BTreeMap<&PriceKey, (Option<&Price>, Option<&Price>)> = BTreeMap::new();
    for p in old.prices() {
        keys.entry(&p.key).or_default().0 = Some(p);
    }
    for p in new.prices() {
        keys.entry(&p.key).or_default().1 = Some(p);
    }
    let mut changes = Vec::new();
    let mut unchanged = 0;
    for (key, (a, b)) in keys {
        let kind = match (a, b) {
            (Some(a), Some(b)) if a.tiers == b.tiers && a.unit == b.unit => {
                unchanged += 1;
                continue;
            }
            (Some(_), Some(_)) => ChangeKind::Changed,
            (None, Some(_)) => ChangeKind::Added,
            (Some(_), None) => ChangeKind::Removed,
            (None, None) => unreachable!("a key comes from one of the books"),
        };
        changes.push(PriceChange {
            key: key.clone(),
            kind,
            old: a.cloned(),
            new: b.cloned(),
        });
    }
    changes.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.key.cmp(&b.key)));
    PriceDiff {
        old_label: label(old),
        new_label: label(new),
        changes,
        unchanged,
        effect: None,
    }
}

/// The effect of the change on a model: its estimate with each snapshot, usage type by usage
/// type.
pub fn effect(model: &str, old: &Estimate, new: &Estimate) -> ModelEffect {
    let mut rows: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for (k, usd) in old.grouped(GroupBy::UsageType) {
        rows.entry(k).or_default().0 = usd;
    }
    for (k, usd) in new.grouped(GroupBy::UsageType) {
        rows.entry(k).or_default().1 = usd;
    }
    let mut by_usage_type: Vec<(String, f64, f64)> = rows
        .into_iter()
        .filter(|(_, (a, b))| a != b)
        .map(|(k, (a, b))| (k, a, b))
        .collect();
    by_usage_type.sort_by(|x, y| {
        (y.2 - y.1)
            .abs()
            .total_cmp(&(x.2 - x.1).abs())
            .then_with(|| x.0.cmp(&y.0))
    });
    ModelEffect {
        model: model.to_string(),
        old_total_usd: old.total_usd(),
        new_total_usd: new.total_usd(),
        by_usage_type,
    }
}
