//! A bill summarised: cost and quantity by the dimensions asked for (service, usage type,
//! account, region, month, a tag's value), split into usage, commitment, credit, tax and other
//! charges as reconciliation splits them. What a monthly review starts from.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::analysis::reconcile::ChargeCategory;
use crate::analysis::tags::TaggedCost;

/// A dimension to group the bill by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dimension {
    /// Service code.
    Service,
    /// Usage type.
    UsageType,
    /// Usage account.
    Account,
    /// Region code.
    Region,
    /// Billing month.
    Month,
    /// A tag's value (`(untagged)` when the line has none).
    Tag(String),
}

impl Dimension {
    /// The column name in reports.
    pub fn name(&self) -> String {
        match self {
            Dimension::Service => "service".into(),
            Dimension::UsageType => "usage type".into(),
            Dimension::Account => "account".into(),
            Dimension::Region => "region".into(),
            Dimension::Month => "month".into(),
            Dimension::Tag(k) => format!("tag:{k}"),
        }
    }

    fn of(&self, line: &TaggedCost) -> String {
        let or = |s: &str, blank: &str| {
            if s.trim().is_empty() {
                blank.to_string()
            } else {
                s.to_string()
            }
        };
        match self {
            Dimension::Service => or(&line.service, "(none)"),
            Dimension::UsageType => or(&line.usage_type, "(none)"),
            Dimension::Account => or(&line.account, "(none)"),
            Dimension::Region => or(&line.region, "(global)"),
            Dimension::Month => line.month.clone(),
            Dimension::Tag(k) => or(line.tags.get(k).map_or("", String::as_str), "(untagged)"),
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl FromStr for Dimension {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "service" => Ok(Dimension::Service),
            "usage-type" => Ok(Dimension::UsageType),
            "account" => Ok(Dimension::Account),
            "region" => Ok(Dimension::Region),
            "month" => Ok(Dimension::Month),
            _ => match s.strip_prefix("tag:") {
                Some(k) if !k.is_empty() => Ok(Dimension::Tag(k.to_string())),
                _ => Err(format!(
                    "`{s}` is not a dimension; expected service, usage-type, account, region, month or tag:KEY"
                )),
            },
        }
    }
}

/// The columns charges are split into.
pub const COLUMNS: [&str; 5] = ["usage", "commitment", "credit", "tax", "other"];

/// The column of a charge category.
fn column(c: ChargeCategory) -> usize {
    match c {
        ChargeCategory::Usage => 0,
        ChargeCategory::Commitment | ChargeCategory::UnusedCommitment => 1,
        ChargeCategory::Credit | ChargeCategory::Refund => 2,
        ChargeCategory::Tax => 3,
        ChargeCategory::Support | ChargeCategory::NegotiatedDiscount | ChargeCategory::Other => 4,
    }
}

/// One group's spend.
#[derive(Debug, Clone, PartialEq)]
pub struct SpendRow {
    /// The group's value of each dimension.
    pub keys: Vec<String>,
    /// Usage quantity (meaningful within one usage type).
    pub quantity: f64,
    /// USD by column ([`COLUMNS`]).
    pub usd: [f64; 5],
}

impl SpendRow {
    /// All charges.
    pub fn total_usd(&self) -> f64 {
        self.usd.iter().sum()
    }
}

/// The bill by the dimensions asked for, costliest first, and its totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Spend {
    /// The dimensions.
    pub dimensions: Vec<Dimension>,
    /// One row per group.
    pub rows: Vec<SpendRow>,
    /// Totals by column.
    pub totals: [f64; 5],
}

/// Sums the bill's lines by the dimensions.
pub fn summarise(lines: &[TaggedCost], dimensions: &[Dimension]) -> Spend {
    let mut groups: BTreeMap<Vec<String>, (f64, [f64; 5])> = BTreeMap::new();
    let mut totals = [0.0; 5];
    for line in lines {
        let keys: Vec<String> = dimensions.iter().map(|d| d.of(line)).collect();
        let g = groups.entry(keys).or_insert((0.0, [0.0; 5]));
        let c = column(line.category);
        if c == 0 {
            g.0 += line.quantity;
        }
        g.1[c] += line.cost_usd;
        totals[c] += line.cost_usd;
    }
    let mut rows: Vec<SpendRow> = groups
        .into_iter()
        .map(|(keys, (quantity, usd))| SpendRow {
            keys,
            quantity,
            usd,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.total_usd()
            .total_cmp(&a.total_usd())
            .then_with(|| a.keys.cmp(&b.keys))
    });
    Spend {
        dimensions: dimensions.to_vec(),
        rows,
        totals,
    }
}
