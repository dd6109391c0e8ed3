//! Prices by usage type, with tiers and the source of every figure.
//!
//! An embedded snapshot per region (`data/prices/<region>.json`) is used by default and
//! offline; a file in the same format overrides it. A price is found by service code, usage
//! type exactly as AWS bills it, and operation where the usage type alone is ambiguous (Aurora
//! PostgreSQL instances share `InstanceUsage:*` with RDS). A missing price is an error, never 0.

use std::collections::BTreeMap;

use serde::Deserialize;

pub use crate::vocabulary::units::PriceKey;
use crate::vocabulary::units::{Region, Unit};

/// Price files this build embeds, by region.
const EMBEDDED: &[(Region, &str)] = &[(
    Region::UsEast1,
    include_str!("../../data/prices/us-east-1.json"),
)];

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
    /// Calculated from another price (e.g. × 1.3); not verified.
    Derived,
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
        }
    }
}

/// A price with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    /// What it prices.
    pub key: PriceKey,
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
}

/// The prices of one region.
#[derive(Debug, Clone)]
pub struct PriceBook {
    region: Region,
    snapshot_date: String,
    origin: String,
    prices: BTreeMap<PriceKey, Price>,
}

/// Why a price book could not be had.
#[derive(Debug, thiserror::Error)]
pub enum PriceBookError {
    /// No snapshot is embedded for the region.
    #[error(
        "no embedded price snapshot for region {region}; snapshots exist for {available}. Pass --prices FILE with prices for {region}"
    )]
    NoSnapshot {
        /// The region asked for.
        region: Region,
        /// Regions that have one.
        available: String,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBook {
    schema_version: u32,
    region: String,
    currency: String,
    snapshot_date: String,
    #[allow(dead_code)]
    note: Option<String>,
    prices: Vec<FilePrice>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FilePrice {
    service_code: String,
    usage_type: String,
    operation: Option<String>,
    unit: String,
    tiers: Vec<FileTier>,
    effective_date: String,
    basis: String,
    source: FileSource,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTier {
    begin: f64,
    end: Option<f64>,
    usd_per_unit: f64,
    #[serde(default)]
    free_tier: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSource {
    sku: Option<String>,
    offer_version: Option<String>,
    reference: String,
}

impl PriceBook {
    /// The snapshot embedded for a region.
    pub fn embedded(region: Region) -> Result<Self, PriceBookError> {
        let text = EMBEDDED
            .iter()
            .find(|(r, _)| *r == region)
            .map(|(_, t)| *t)
            .ok_or_else(|| PriceBookError::NoSnapshot {
                region,
                available: EMBEDDED
                    .iter()
                    .map(|(r, _)| r.code())
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        PriceBook::from_json(text, &format!("embedded snapshot {region}"), region)
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
        let syntax = |message: String| PriceBookError::Syntax {
            origin: origin.to_string(),
            line: 1,
            column: 1,
            message,
        };
        if file.schema_version != 1 {
            return Err(syntax(format!(
                "schema_version {} is not supported; expected 1",
                file.schema_version
            )));
        }
        if file.currency != "USD" {
            return Err(syntax(format!(
                "currency {} is not supported; expected USD",
                file.currency
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
        for (index, p) in file.prices.into_iter().enumerate() {
            let invalid = |message: String| PriceBookError::Invalid {
                origin: origin.to_string(),
                index,
                usage_type: p.usage_type.clone(),
                message,
            };
            let key = PriceKey {
                service_code: p.service_code.parse().map_err(invalid)?,
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
            if !is_date(&p.effective_date) {
                return Err(invalid(format!(
                    "effective_date `{}` is not a date; expected YYYY-MM-DD",
                    p.effective_date
                )));
            }
            let price = Price {
                key: key.clone(),
                unit,
                tiers,
                effective_date: p.effective_date,
                basis,
                sku: p.source.sku,
                offer_version: p.source.offer_version,
                reference: p.source.reference,
                note: p.note,
            };
            if prices.insert(key, price).is_some() {
                return Err(invalid("this service code, usage type and operation are priced twice; expected one entry each".into()));
            }
        }
        Ok(PriceBook {
            region,
            snapshot_date: file.snapshot_date,
            origin: origin.to_string(),
            prices,
        })
    }

    /// The price for a key.
    pub fn get(&self, key: &PriceKey) -> Option<&Price> {
        self.prices.get(key)
    }

    /// The region priced.
    pub fn region(&self) -> Region {
        self.region
    }

    /// Date of the snapshot.
    pub fn snapshot_date(&self) -> &str {
        &self.snapshot_date
    }

    /// Where the prices came from (`embedded snapshot us-east-1` or a file name).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Every price, ordered by key.
    pub fn prices(&self) -> impl Iterator<Item = &Price> {
        self.prices.values()
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

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::units::ServiceCode;

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
        let err = PriceBook::embedded(Region::EuCentral1)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no embedded price snapshot for region eu-central-1"),
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
