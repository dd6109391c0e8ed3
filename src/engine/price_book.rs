//! Prices by usage type, with tiers and the source of every figure, and their dated history.
//!
//! Snapshots are embedded per region and date (`data/prices/<region>/<YYYY-MM-DD>.json`) and used
//! offline; files in the same format (what `archcost prices update` and `prices import` write)
//! replace them. A price is found by service code, usage type exactly as AWS bills it (or one
//! of the entry's aliases, when AWS spells it two ways) and operation where the usage type alone
//! is ambiguous (Aurora PostgreSQL instances share `InstanceUsage:*` with RDS). A missing price
//! is an error, never 0.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::vocabulary::calendar::check_date;
pub use crate::vocabulary::units::PriceKey;
use crate::vocabulary::units::{Region, ServiceCode, Unit};

/// Declares the embedded snapshots, each by its path under `data/prices/` without `.json`.
macro_rules! embedded {
    ($($path:literal),+ $(,)?) => {
        &[$(($path, include_str!(concat!("../../data/prices/", $path, ".json"))),)+]
    };
}

/// Price files this build embeds: `<region>/<snapshot date>` and the file's text. A test
/// checks that every file under `data/prices/` is listed here.
pub const EMBEDDED: &[(&str, &str)] = embedded![
    "ap-southeast-1/2026-10-08",
    "eu-central-1/2026-10-08",
    "eu-west-1/2026-10-08",
    "us-east-1/2026-10-08",
    "us-west-2/2026-10-08",
];

/// The price file format this build writes; it also reads version 1 (no aliases, publication
/// dates or missing list).
pub const SCHEMA_VERSION: u32 = 2;

/// One tier of a price: the rate for quantities in `[begin, end)` per month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tier {
    /// Start of the range.
    pub begin: f64,
    /// End of the range; `None` = unbounded.
    pub end: Option<f64>,
    /// USD per unit in this range.
    pub usd_per_unit: f64,
    /// An AWS Free Tier allowance (always free, once per account or organization): honoured
    /// only when the model opts in with `free_tier: true`.
    pub free_tier: bool,
}

/// How far a price can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PriceBasis {
    /// Read from an AWS Price List offer file or API answer.
    PriceList,
    /// Said by a public source to be read from the Price List on a date.
    PriceListComment,
    /// A published rate outside the Price List (Fargate Spot).
    PublishedRate,
    /// A secondary source only.
    Secondary,
    /// Calculated from another price (e.g. × 1.3) by a rule its source states.
    Derived,
    /// The model's own commitment (a Savings Plan's unused hourly commitment); never in a
    /// price file.
    Commitment,
}

impl PriceBasis {
    const ALL: [PriceBasis; 5] = [
        PriceBasis::PriceList,
        PriceBasis::PriceListComment,
        PriceBasis::PublishedRate,
        PriceBasis::Secondary,
        PriceBasis::Derived,
    ];

    /// The keyword in price files.
    pub fn key(self) -> &'static str {
        match self {
            PriceBasis::PriceList => "price_list",
            PriceBasis::PriceListComment => "price_list_comment",
            PriceBasis::PublishedRate => "published_rate",
            PriceBasis::Secondary => "secondary",
            PriceBasis::Derived => "derived",
            PriceBasis::Commitment => "commitment",
        }
    }
}

/// A price with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    /// What it prices.
    pub key: PriceKey,
    /// Other spellings of the usage type that AWS uses for the same thing (the Price List
    /// writes CloudWatch's `USE1-DataProcessing-Bytes` as `DataProcessing-Bytes`); lookups and
    /// bill joins accept them.
    pub aliases: Vec<String>,
    /// The unit quantities must be in.
    pub unit: Unit,
    /// Tiers, contiguous from 0, the last unbounded.
    pub tiers: Vec<Tier>,
    /// Date the price took effect (YYYY-MM-DD).
    pub effective_date: String,
    /// How it was obtained.
    pub basis: PriceBasis,
    /// Price List SKU, when known.
    pub sku: Option<String>,
    /// Offer file version, when known.
    pub offer_version: Option<String>,
    /// Date the Price List published the offer (YYYY-MM-DD), when known.
    pub publication_date: Option<String>,
    /// Where the figure comes from.
    pub reference: String,
    /// Caveats.
    pub note: Option<String>,
}

impl Price {
    /// Cost of a monthly quantity across the tiers. Without `free_tier`, a Free Tier allowance
    /// is charged at the rate of the first paid tier after it.
    pub fn cost(&self, quantity: f64, free_tier: bool) -> f64 {
        self.tiers
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let top = t.end.unwrap_or(f64::INFINITY).min(quantity);
                (top - t.begin).max(0.0) * self.rate(i, free_tier)
            })
            .fold(0.0, |a, b| a + b)
    }

    /// The rate of tier `i`, given whether Free Tier allowances apply.
    fn rate(&self, i: usize, free_tier: bool) -> f64 {
        let tier = &self.tiers[i];
        if free_tier || !tier.free_tier {
            return tier.usd_per_unit;
        }
        self.tiers[i..]
            .iter()
            .find(|t| !t.free_tier)
            .map_or(tier.usd_per_unit, |t| t.usd_per_unit)
    }

    /// The single rate of an untiered price (Free Tier allowances aside), if it has one.
    pub fn flat_rate(&self, free_tier: bool) -> Option<f64> {
        let first = self.rate(0, free_tier);
        (1..self.tiers.len())
            .all(|i| self.rate(i, free_tier) == first)
            .then_some(first)
    }

    /// Whether `usage_type` names this price: its own spelling or one of its aliases.
    pub fn answers_to(&self, usage_type: &str) -> bool {
        self.key.usage_type == usage_type || self.aliases.iter().any(|a| a == usage_type)
    }
}

/// A price a snapshot lacks, and why: listed rather than guessed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingPrice {
    /// The AWS service code.
    pub service_code: String,
    /// The usage type as billed in the snapshot's region.
    pub usage_type: String,
    /// The billing operation, where it matters.
    pub operation: Option<String>,
    /// Why it is missing (what was searched).
    pub reason: String,
}

/// The prices of one region on one date.
#[derive(Debug, Clone)]
pub struct PriceBook {
    region: Region,
    snapshot_date: String,
    note: Option<String>,
    origin: String,
    prices: BTreeMap<PriceKey, Price>,
    /// Each alias's key: (service code, alias, operation) → the entry's key.
    aliases: BTreeMap<PriceKey, PriceKey>,
    missing: Vec<MissingPrice>,
}

/// Why a price book could not be had.
#[derive(Debug, thiserror::Error)]
pub enum PriceBookError {
    /// No snapshot is embedded for the region.
    #[error(
        "no embedded price snapshot for region {region}; snapshots exist for {available}. Pass --prices FILE with prices for {region} (archcost prices update --region {region} writes one)"
    )]
    NoSnapshot {
        /// The region asked for.
        region: Region,
        /// Regions that have one.
        available: String,
    },
    /// The date asked for is before every snapshot of the region.
    #[error(
        "no price snapshot of {region} was in force on {date}: the oldest is dated {oldest}; expected --prices-at {oldest} or later, or --prices with an older snapshot"
    )]
    BeforeHistory {
        /// The region.
        region: Region,
        /// The date asked for.
        date: String,
        /// The oldest snapshot's date.
        oldest: String,
    },
    /// The file is not valid JSON of the expected shape.
    #[error("{origin}: line {line}, column {column}: {message}")]
    Syntax {
        /// File name or `embedded <region>`.
        origin: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A price entry breaks a rule.
    #[error("{origin}: prices[{index}] ({usage_type}): {message}")]
    Invalid {
        /// File name.
        origin: String,
        /// Entry index.
        index: usize,
        /// Its usage type.
        usage_type: String,
        /// What is wrong and what is expected.
        message: String,
    },
    /// The file prices another region than the model's.
    #[error(
        "{origin} holds prices for {found}, but the model runs in {expected}; expected a price file for {expected}"
    )]
    RegionMismatch {
        /// File name.
        origin: String,
        /// The model's region.
        expected: Region,
        /// The file's region.
        found: String,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBook {
    schema_version: u32,
    region: String,
    currency: String,
    snapshot_date: String,
    note: Option<String>,
    prices: Vec<FilePrice>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    missing: Vec<MissingPrice>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilePrice {
    service_code: String,
    usage_type: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
    operation: Option<String>,
    unit: String,
    tiers: Vec<FileTier>,
    effective_date: String,
    basis: String,
    source: FileSource,
    note: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTier {
    begin: f64,
    end: Option<f64>,
    usd_per_unit: f64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    free_tier: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSource {
    sku: Option<String>,
    offer_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    publication_date: Option<String>,
    reference: String,
}

impl PriceBook {
    /// The newest snapshot embedded for a region.
    pub fn embedded(region: Region) -> Result<Self, PriceBookError> {
        Ok(PriceHistory::embedded(region)?.newest().clone())
    }

    /// A book from prices already validated elsewhere (a Price List answer or offer file):
    /// checked by the same rules as a file.
    pub fn new(
        region: Region,
        snapshot_date: &str,
        note: Option<String>,
        prices: Vec<Price>,
        missing: Vec<MissingPrice>,
        origin: &str,
    ) -> Result<Self, PriceBookError> {
        let file = FileBook {
            schema_version: SCHEMA_VERSION,
            region: region.code().to_string(),
            currency: "USD".into(),
            snapshot_date: snapshot_date.to_string(),
            note,
            prices: prices.iter().map(FilePrice::from).collect(),
            missing,
        };
        PriceBook::from_file(file, origin, region)
    }

    /// Parses and validates a price file for `region`; `origin` names it in errors.
    pub fn from_json(text: &str, origin: &str, region: Region) -> Result<Self, PriceBookError> {
        let file: FileBook = serde_json::from_str(text).map_err(|e| {
            // serde_json appends " at line L column C"; the error carries them already.
            let full = e.to_string();
            let message = full.split(" at line ").next().unwrap_or(&full).to_string();
            // Regression: a YAML or other non-JSON file said only "expected value".
            let message = if e.is_syntax() && !text.trim_start().starts_with('{') {
                format!(
                    "{message}: this is not a price book; expected a JSON price file (schema_version, region, currency, prices), as in data/prices/"
                )
            } else {
                message
            };
            PriceBookError::Syntax {
                origin: origin.to_string(),
                line: e.line(),
                column: e.column().max(1),
                message,
            }
        })?;
        PriceBook::from_file(file, origin, region)
    }

    /// Parses and validates a price file of whatever region it names.
    pub fn from_json_any(text: &str, origin: &str) -> Result<Self, PriceBookError> {
        #[derive(Deserialize)]
        struct Head {
            region: String,
        }
        let region = match serde_json::from_str::<Head>(text) {
            Ok(head) => head
                .region
                .parse::<Region>()
                .map_err(|e| PriceBookError::Syntax {
                    origin: origin.to_string(),
                    line: 1,
                    column: 1,
                    message: format!("region: {e}"),
                })?,
            // Let the full parse give the precise error.
            Err(_) => Region::UsEast1,
        };
        PriceBook::from_json(text, origin, region)
    }

    fn from_file(file: FileBook, origin: &str, region: Region) -> Result<Self, PriceBookError> {
        let syntax = |message: String| PriceBookError::Syntax {
            origin: origin.to_string(),
            line: 1,
            column: 1,
            message,
        };
        if !(1..=SCHEMA_VERSION).contains(&file.schema_version) {
            return Err(syntax(format!(
                "schema_version {} is not supported; expected 1 or {SCHEMA_VERSION}",
                file.schema_version
            )));
        }
        if file.currency != "USD" {
            return Err(syntax(format!(
                "currency {} is not supported; expected USD",
                file.currency
            )));
        }
        if check_date(&file.snapshot_date).is_err() {
            return Err(syntax(format!(
                "snapshot_date `{}` is not a date; expected YYYY-MM-DD",
                file.snapshot_date
            )));
        }
        if file.region != region.code() {
            return Err(PriceBookError::RegionMismatch {
                origin: origin.to_string(),
                expected: region,
                found: file.region,
            });
        }
        let mut prices = BTreeMap::new();
        let mut aliases = BTreeMap::new();
        for (index, p) in file.prices.into_iter().enumerate() {
            let invalid = |message: String| PriceBookError::Invalid {
                origin: origin.to_string(),
                index,
                usage_type: p.usage_type.clone(),
                message,
            };
            let service_code: ServiceCode = p.service_code.parse().map_err(invalid)?;
            let key = PriceKey {
                service_code,
                usage_type: p.usage_type.clone(),
                operation: p.operation.clone(),
            };
            let unit: Unit = p.unit.parse().map_err(invalid)?;
            let basis = PriceBasis::ALL
                .into_iter()
                .find(|b| b.key() == p.basis)
                .ok_or_else(|| invalid(format!("unknown basis `{}`; expected one of price_list, price_list_comment, published_rate, secondary, derived", p.basis)))?;
            let tiers: Vec<Tier> = p
                .tiers
                .iter()
                .map(|t| Tier {
                    begin: t.begin,
                    end: t.end,
                    usd_per_unit: t.usd_per_unit,
                    free_tier: t.free_tier,
                })
                .collect();
            check_tiers(&tiers).map_err(invalid)?;
            for (field, date) in [
                ("effective_date", Some(&p.effective_date)),
                (
                    "source.publication_date",
                    p.source.publication_date.as_ref(),
                ),
            ] {
                if let Some(d) = date.filter(|d| check_date(d).is_err()) {
                    return Err(invalid(format!(
                        "{field} `{d}` is not a date; expected YYYY-MM-DD"
                    )));
                }
            }
            if p.source.reference.trim().is_empty() {
                return Err(invalid(
                    "source.reference is empty; expected where the figure comes from".into(),
                ));
            }
            for alias in &p.aliases {
                let alias_key = PriceKey {
                    usage_type: alias.clone(),
                    ..key.clone()
                };
                if aliases.insert(alias_key, key.clone()).is_some() {
                    return Err(invalid(format!(
                        "alias `{alias}` is given twice; expected each spelling once"
                    )));
                }
            }
            let price = Price {
                key: key.clone(),
                aliases: p.aliases,
                unit,
                tiers,
                effective_date: p.effective_date,
                basis,
                sku: p.source.sku,
                offer_version: p.source.offer_version,
                publication_date: p.source.publication_date,
                reference: p.source.reference,
                note: p.note,
            };
            if prices.insert(key, price).is_some() {
                return Err(invalid("this service code, usage type and operation are priced twice; expected one entry each".into()));
            }
        }
        if let Some((alias, _)) = aliases.iter().find(|(a, _)| prices.contains_key(*a)) {
            return Err(syntax(format!(
                "`{}` is both an entry and another entry's alias; expected one or the other",
                alias.usage_type
            )));
        }
        Ok(PriceBook {
            region,
            snapshot_date: file.snapshot_date,
            note: file.note,
            origin: origin.to_string(),
            prices,
            aliases,
            missing: file.missing,
        })
    }

    /// The file text of this book, in the current format: what `prices update` writes.
    pub fn to_json(&self) -> String {
        let file = FileBook {
            schema_version: SCHEMA_VERSION,
            region: self.region.code().to_string(),
            currency: "USD".into(),
            snapshot_date: self.snapshot_date.clone(),
            note: self.note.clone(),
            prices: self.prices.values().map(FilePrice::from).collect(),
            missing: self.missing.clone(),
        };
        let mut text = serde_json::to_string_pretty(&file).expect("a price book serializes");
        text.push('\n');
        text
    }

    /// The price for a key, by its usage type or one of its aliases.
    pub fn get(&self, key: &PriceKey) -> Option<&Price> {
        self.prices
            .get(key)
            .or_else(|| self.aliases.get(key).and_then(|k| self.prices.get(k)))
    }

    /// The usage type an entry of `service_code` is kept under, when `usage_type` is one of its
    /// aliases (`DataProcessing-Bytes` → `USE1-DataProcessing-Bytes`); `None` otherwise.
    pub fn canonical_usage_type(&self, service_code: &str, usage_type: &str) -> Option<&str> {
        self.aliases
            .iter()
            .find(|(alias, _)| {
                alias.service_code.code() == service_code && alias.usage_type == usage_type
            })
            .map(|(_, key)| key.usage_type.as_str())
    }

    /// How reports name the snapshot: `embedded snapshot us-east-1 (2026-10-08)`.
    pub fn label(&self) -> String {
        format!("{} ({})", self.origin, self.snapshot_date)
    }

    /// The region priced.
    pub fn region(&self) -> Region {
        self.region
    }

    /// Date of the snapshot.
    pub fn snapshot_date(&self) -> &str {
        &self.snapshot_date
    }

    /// The snapshot's note.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// Where the prices came from (`embedded snapshot us-east-1` or a file name).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Every price, ordered by key.
    pub fn prices(&self) -> impl Iterator<Item = &Price> {
        self.prices.values()
    }

    /// The prices the snapshot lacks, each with why.
    pub fn missing(&self) -> &[MissingPrice] {
        &self.missing
    }
}

impl From<&Price> for FilePrice {
    fn from(p: &Price) -> Self {
        FilePrice {
            service_code: p.key.service_code.code().to_string(),
            usage_type: p.key.usage_type.clone(),
            aliases: p.aliases.clone(),
            operation: p.key.operation.clone(),
            unit: p.unit.key().to_string(),
            tiers: p
                .tiers
                .iter()
                .map(|t| FileTier {
                    begin: t.begin,
                    end: t.end,
                    usd_per_unit: t.usd_per_unit,
                    free_tier: t.free_tier,
                })
                .collect(),
            effective_date: p.effective_date.clone(),
            basis: p.basis.key().to_string(),
            source: FileSource {
                sku: p.sku.clone(),
                offer_version: p.offer_version.clone(),
                publication_date: p.publication_date.clone(),
                reference: p.reference.clone(),
            },
            note: p.note.clone(),
        }
    }
}

/// Every SKU the embedded snapshots name, with the key it prices: for bills that give a SKU
/// (FOCUS `SkuId`) but no usage type.
pub fn embedded_skus() -> BTreeMap<String, PriceKey> {
    let mut skus = BTreeMap::new();
    for (path, text) in EMBEDDED {
        let Ok(book) = PriceBook::from_json_any(text, path) else {
            continue;
        };
        for p in book.prices() {
            if let Some(sku) = &p.sku {
                skus.insert(sku.clone(), p.key.clone());
            }
        }
    }
    skus
}

/// The dated snapshots of one region, oldest first.
#[derive(Debug, Clone)]
pub struct PriceHistory {
    region: Region,
    books: Vec<PriceBook>,
}

impl PriceHistory {
    /// The snapshots embedded for a region.
    pub fn embedded(region: Region) -> Result<Self, PriceBookError> {
        let books = EMBEDDED
            .iter()
            .filter(|(path, _)| path.split('/').next() == Some(region.code()))
            .map(|(_, text)| {
                PriceBook::from_json(text, &format!("embedded snapshot {region}"), region)
            })
            .collect::<Result<Vec<_>, _>>()?;
        PriceHistory::new(region, books)
    }

    /// Regions with an embedded snapshot.
    pub fn embedded_regions() -> Vec<&'static str> {
        let mut regions: Vec<&str> = EMBEDDED
            .iter()
            .filter_map(|(path, _)| path.split('/').next())
            .collect();
        regions.sort_unstable();
        regions.dedup();
        regions
    }

    /// A history from snapshots of `region` (any order); two of the same date are an error.
    pub fn new(region: Region, mut books: Vec<PriceBook>) -> Result<Self, PriceBookError> {
        if books.is_empty() {
            return Err(PriceBookError::NoSnapshot {
                region,
                available: PriceHistory::embedded_regions().join(", "),
            });
        }
        books.sort_by(|a, b| a.snapshot_date.cmp(&b.snapshot_date));
        if let Some(w) = books
            .windows(2)
            .find(|w| w[0].snapshot_date == w[1].snapshot_date)
        {
            return Err(PriceBookError::Syntax {
                origin: w[1].origin.clone(),
                line: 1,
                column: 1,
                message: format!(
                    "snapshot_date {} is also the date of {}; expected one snapshot per date",
                    w[1].snapshot_date, w[0].origin
                ),
            });
        }
        Ok(PriceHistory { region, books })
    }

    /// The newest snapshot.
    pub fn newest(&self) -> &PriceBook {
        self.books.last().expect("a history is never empty")
    }

    /// The snapshot in force on `date` (YYYY-MM-DD): the newest dated on or before it.
    pub fn at(&self, date: &str) -> Result<&PriceBook, PriceBookError> {
        self.books
            .iter()
            .rev()
            .find(|b| b.snapshot_date.as_str() <= date)
            .ok_or_else(|| PriceBookError::BeforeHistory {
                region: self.region,
                date: date.to_string(),
                oldest: self.books[0].snapshot_date.clone(),
            })
    }

    /// Every snapshot, oldest first.
    pub fn books(&self) -> &[PriceBook] {
        &self.books
    }
}

fn check_tiers(tiers: &[Tier]) -> Result<(), String> {
    if tiers.is_empty() {
        return Err("no tiers; expected at least one".into());
    }
    if let Some(i) = tiers
        .iter()
        .position(|t| t.free_tier && t.usd_per_unit != 0.0)
    {
        return Err(format!(
            "tiers[{i}] is marked free_tier but costs {}; expected 0",
            tiers[i].usd_per_unit
        ));
    }
    let mut expected_begin = 0.0;
    for (i, t) in tiers.iter().enumerate() {
        if !(t.usd_per_unit.is_finite() && t.usd_per_unit >= 0.0) {
            return Err(format!(
                "tiers[{i}].usd_per_unit is {}; expected a price of at least 0",
                t.usd_per_unit
            ));
        }
        if t.begin != expected_begin {
            return Err(format!(
                "tiers[{i}].begin is {}; expected {expected_begin} (tiers must be contiguous from 0)",
                t.begin
            ));
        }
        match t.end {
            Some(end) if end <= t.begin => {
                return Err(format!(
                    "tiers[{i}].end ({end}) is not after its begin ({})",
                    t.begin
                ));
            }
            Some(end) => expected_begin = end,
            None if i + 1 != tiers.len() => {
                return Err(format!("tiers[{i}] is unbounded but is not the last tier"));
            }
            None => {}
        }
    }
    if tiers.last().is_some_and(|t| t.end.is_some()) {
        return Err("the last tier has an end; expected it to be unbounded (end: null)".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::units::ServiceCode;

    /// A one-price file of us-east-1 on `date`, NAT hours at `usd`.
    fn nat_book(date: &str, usd: f64, extra: &str) -> Result<PriceBook, PriceBookError> {
        let text = format!(
            r#"{{"schema_version":2,"region":"us-east-1","currency":"USD","snapshot_date":"{date}","note":null,
            "prices":[{{"service_code":"AmazonEC2","usage_type":"NatGateway-Hours",{extra}"operation":null,"unit":"hours",
            "tiers":[{{"begin":0,"end":null,"usd_per_unit":{usd}}}],"effective_date":"{date}","basis":"price_list",
            "source":{{"sku":"M2YSHUBETB3JX4M4","offer_version":null,"reference":"t"}},"note":null}}]}}"#
        );
        PriceBook::from_json(&text, &format!("{date}.json"), Region::UsEast1)
    }

    fn nat_key(usage_type: &str) -> PriceKey {
        PriceKey {
            service_code: ServiceCode::AmazonEc2,
            usage_type: usage_type.into(),
            operation: None,
        }
    }

    #[test]
    fn an_alias_finds_the_same_price_and_round_trips() {
        let book = nat_book(
            "2026-10-08",
            0.045,
            r#""aliases":["USE1-NatGateway-Hours"],"#,
        )
        .unwrap();
        let by_alias = book.get(&nat_key("USE1-NatGateway-Hours")).unwrap();
        assert_eq!(by_alias.key.usage_type, "NatGateway-Hours");
        assert!(by_alias.answers_to("USE1-NatGateway-Hours"));
        assert!(book.get(&nat_key("USW2-NatGateway-Hours")).is_none());
        let again = PriceBook::from_json(&book.to_json(), "again", Region::UsEast1).unwrap();
        assert_eq!(again.to_json(), book.to_json());
        assert!(again.get(&nat_key("USE1-NatGateway-Hours")).is_some());
    }

    #[test]
    fn history_gives_the_snapshot_in_force_on_a_date() {
        let history = PriceHistory::new(
            Region::UsEast1,
            vec![
                nat_book("2026-10-08", 0.045, "").unwrap(),
                nat_book("2024-10-01", 0.040, "").unwrap(),
            ],
        )
        .unwrap();
        assert_eq!(history.newest().snapshot_date(), "2026-10-08");
        let rate = |d: &str| {
            history
                .at(d)
                .unwrap()
                .get(&nat_key("NatGateway-Hours"))
                .unwrap()
                .tiers[0]
                .usd_per_unit
        };
        assert_eq!(rate("2024-10-01"), 0.040);
        assert_eq!(rate("2026-10-07"), 0.040);
        assert_eq!(rate("2026-10-08"), 0.045);
        assert_eq!(rate("2030-01-01"), 0.045);
        let before = history.at("2024-09-30").unwrap_err().to_string();
        assert!(
            before.contains("no price snapshot of us-east-1 was in force on 2024-09-30: the oldest is dated 2024-10-01"),
            "{before}"
        );
        let twice = PriceHistory::new(
            Region::UsEast1,
            vec![
                nat_book("2026-10-08", 0.045, "").unwrap(),
                nat_book("2026-10-08", 0.05, "").unwrap(),
            ],
        )
        .unwrap_err()
        .to_string();
        assert!(twice.contains("expected one snapshot per date"), "{twice}");
    }

    #[test]
    fn other_currencies_and_bad_dates_are_refused() {
        let euro = nat_book("2026-10-08", 0.045, "")
            .unwrap()
            .to_json()
            .replace(r#""currency": "USD""#, r#""currency": "CNY""#);
        let err = PriceBook::from_json(&euro, "cn.json", Region::UsEast1)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("currency CNY is not supported; expected USD"),
            "{err}"
        );
        let err = nat_book("2026-02-30", 0.045, "").unwrap_err().to_string();
        assert!(err.contains("`2026-02-30` is not a date"), "{err}");
        let err = PriceBook::from_json_any(&euro.replace("us-east-1", "mars-1"), "m.json")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown region `mars-1`"), "{err}");
    }

    #[test]
    fn embedded_snapshot_loads_and_prices_fargate() {
        let book = PriceBook::embedded(Region::UsEast1).unwrap();
        let p = book
            .get(&PriceKey {
                service_code: ServiceCode::AmazonEcs,
                usage_type: "USE1-Fargate-vCPU-Hours:perCPU".into(),
                operation: None,
            })
            .unwrap();
        assert_eq!(p.unit, Unit::VcpuHours);
        assert_eq!(p.cost(730.0, false), 730.0 * 0.04048);
    }

    #[test]
    fn tiers_apply_in_order() {
        let book = PriceBook::embedded(Region::UsEast1).unwrap();
        let egress = book
            .get(&PriceKey {
                service_code: ServiceCode::AwsDataTransfer,
                usage_type: "DataTransfer-Out-Bytes".into(),
                operation: None,
            })
            .unwrap();
        // 20,480 GB with the Free Tier: first 100 free, 100–10,240 at 0.09, 10,240–20,480 at 0.085
        // = 10,140 × 0.09 + 10,240 × 0.085 = 912.6 + 870.4 = 1,783.0
        assert!((egress.cost(20_480.0, true) - 1783.0).abs() < 1e-6);
        // Without it the first 100 GB cost 0.09 too: 1,783.0 + 100 × 0.09 = 1,792.0
        assert!((egress.cost(20_480.0, false) - 1792.0).abs() < 1e-6);
        assert_eq!(egress.flat_rate(false), None);
    }

    #[test]
    fn regions_without_a_snapshot_are_an_error() {
        let err = PriceBook::embedded(Region::SaEast1)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no embedded price snapshot for region sa-east-1"),
            "{err}"
        );
        assert!(err.contains("us-east-1"), "{err}");
    }

    #[test]
    fn bad_price_files_are_rejected() {
        let file = |tiers: &str| {
            format!(
                r#"{{"schema_version":1,"region":"us-east-1","currency":"USD","snapshot_date":"2026-10-08","note":null,
                "prices":[{{"service_code":"AmazonEC2","usage_type":"NatGateway-Hours","operation":null,"unit":"hours",
                "tiers":{tiers},"effective_date":"2026-10-07","basis":"price_list","source":{{"sku":null,"offer_version":null,"reference":"t"}},"note":null}}]}}"#
            )
        };
        assert!(
            PriceBook::from_json(
                &file(r#"[{"begin":0,"end":null,"usd_per_unit":0.045}]"#),
                "t.json",
                Region::UsEast1
            )
            .is_ok()
        );
        let gap = PriceBook::from_json(
            &file(r#"[{"begin":0,"end":10,"usd_per_unit":1},{"begin":11,"end":null,"usd_per_unit":1}]"#),
            "t.json",
            Region::UsEast1,
        )
        .unwrap_err()
        .to_string();
        assert!(gap.contains("tiers[1].begin is 11; expected 10"), "{gap}");
        let negative = PriceBook::from_json(
            &file(r#"[{"begin":0,"end":null,"usd_per_unit":-1}]"#),
            "t.json",
            Region::UsEast1,
        )
        .unwrap_err()
        .to_string();
        assert!(
            negative.contains("expected a price of at least 0"),
            "{negative}"
        );
        let region = PriceBook::from_json(
            &file(r#"[{"begin":0,"end":null,"usd_per_unit":1}]"#),
            "t.json",
            Region::UsWest2,
        )
        .unwrap_err()
        .to_string();
        assert!(
            region.contains("holds prices for us-east-1, but the model runs in us-west-2"),
            "{region}"
        );
    }
}
