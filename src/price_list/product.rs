//! A Price List product and its on-demand terms, as GetProducts items and offer files give
//! them, and how one becomes a price-book entry.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::PriceListError;
use super::catalogue::Wanted;
use crate::engine::price_book::{Price, PriceBasis, Tier};
use crate::vocabulary::calendar::check_date;
use crate::vocabulary::units::Unit;

/// A product: its SKU, family and attributes (`usagetype`, `operation`, `regionCode`, …).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Product {
    /// The SKU.
    pub sku: String,
    /// The product family (`Compute`, `NAT Gateway`, …).
    #[serde(rename = "productFamily", default)]
    pub product_family: Option<String>,
    /// The attributes as the Price List names them.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

/// A product attribute by name, ignoring case, spaces and underscores (`regionCode` in JSON is
/// `Region Code` in CSV).
pub fn attribute<'a>(product: &'a Product, name: &str) -> Option<&'a str> {
    product
        .attributes
        .iter()
        .find(|(k, _)| normalize(k) == name)
        .map(|(_, v)| v.as_str())
}

/// A column or attribute name lower-cased without spaces or underscores.
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// An on-demand term: when it took effect and its price dimensions (one per tier).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Term {
    /// `2025-08-01T00:00:00Z` (offer files and GetProducts) or `2025-08-01` (CSV).
    pub effective_date: String,
    /// The dimensions by rate code.
    pub price_dimensions: BTreeMap<String, Dimension>,
}

/// One price dimension: a rate for a range of monthly quantity.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dimension {
    /// `$0.045 per NAT Gateway Hour`.
    #[serde(default)]
    pub description: String,
    /// Start of the range (`"0"`).
    pub begin_range: String,
    /// End of the range (`"Inf"` when unbounded).
    pub end_range: String,
    /// The Price List's unit (`Hrs`, `GB`, `hours`, …).
    pub unit: String,
    /// The price by currency code, as a decimal string.
    pub price_per_unit: BTreeMap<String, String>,
}

/// What an offer says of itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OfferInfo {
    /// The service code (`AmazonECS`).
    pub offer_code: String,
    /// The offer version (`20250828172723`).
    pub version: String,
    /// When it was published (`2025-08-28T17:27:23Z`).
    pub publication_date: String,
}

/// A product with its on-demand terms and its offer: one SKU ready to price.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The product.
    pub product: Product,
    /// Its OnDemand terms.
    pub on_demand: Vec<Term>,
    /// The offer it comes from.
    pub offer: OfferInfo,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    product: Product,
    service_code: String,
    #[serde(default)]
    terms: ItemTerms,
    version: String,
    publication_date: String,
}

#[derive(Deserialize, Default)]
struct ItemTerms {
    /// Keyed by `<sku>.<offer term code>`.
    #[serde(rename = "OnDemand", default)]
    on_demand: BTreeMap<String, Term>,
}

/// Parses one `PriceList` string of a GetProducts answer (format `aws_v1`).
pub fn parse_item(text: &str, origin: &str) -> Result<Candidate, PriceListError> {
    let item: Item = serde_json::from_str(text).map_err(|e| PriceListError::Malformed {
        origin: origin.to_string(),
        message: format!(
            "{e}; expected a Price List product document (product, serviceCode, terms, version, publicationDate)"
        ),
    })?;
    Ok(Candidate {
        product: item.product,
        on_demand: item.terms.on_demand.into_values().collect(),
        offer: OfferInfo {
            offer_code: item.service_code,
            version: item.version,
            publication_date: item.publication_date,
        },
    })
}

/// The Price List spellings of each engine unit, and the factor from the Price List's price to
/// the engine's (EBS throughput is listed per GiB/s-month and metered per MiB/s-month).
fn spellings(unit: Unit) -> &'static [(&'static str, f64)] {
    match unit {
        Unit::Hours => &[("hrs", 1.0), ("hours", 1.0), ("hour", 1.0)],
        Unit::VcpuHours => &[("hours", 1.0), ("hrs", 1.0), ("vcpu-hours", 1.0)],
        Unit::GbHours => &[
            ("hours", 1.0),
            ("hrs", 1.0),
            ("gb-hours", 1.0),
            ("gb-hrs", 1.0),
        ],
        Unit::Gb => &[("gb", 1.0)],
        Unit::GbMonths => &[("gb-mo", 1.0), ("gb-month", 1.0), ("gb-months", 1.0)],
        Unit::IoRequests => &[("ios", 1.0), ("io", 1.0), ("requests", 1.0)],
        Unit::AcuHours => &[("acu-hr", 1.0), ("acu-hrs", 1.0), ("acu-hours", 1.0)],
        Unit::ReadRequestUnits => &[("readrequestunits", 1.0), ("readrequestunit", 1.0)],
        Unit::WriteRequestUnits => &[("writerequestunits", 1.0), ("writerequestunit", 1.0)],
        Unit::RcuHours => &[("readcapacityunit-hrs", 1.0), ("rcu-hrs", 1.0)],
        Unit::WcuHours => &[("writecapacityunit-hrs", 1.0), ("wcu-hrs", 1.0)],
        Unit::LcuHours => &[("lcu-hrs", 1.0), ("lcu-hours", 1.0)],
        Unit::Months => &[
            ("mo", 1.0),
            ("month", 1.0),
            ("months", 1.0),
            ("keys", 1.0),
            ("secrets", 1.0),
            ("metrics", 1.0),
            ("alarms", 1.0),
            ("dashboards", 1.0),
            ("webacl", 1.0),
            ("rule", 1.0),
            ("rules", 1.0),
        ],
        Unit::Requests => &[("requests", 1.0), ("request", 1.0), ("api requests", 1.0)],
        Unit::Objects => &[("objects", 1.0), ("objects-mo", 1.0)],
        Unit::Traces => &[("traces", 1.0), ("trace", 1.0)],
        Unit::Events => &[("events", 1.0), ("event", 1.0)],
        Unit::ConfigurationItems => &[("configurationitemrecorded", 1.0), ("items", 1.0)],
        Unit::RuleEvaluations => &[("ruleevaluations", 1.0), ("evaluations", 1.0)],
        Unit::IopsMonths => &[("iops-mo", 1.0), ("iops-month", 1.0)],
        Unit::MibpsMonths => &[("mibps-mo", 1.0), ("gibps-mo", 1.0 / 1024.0)],
        Unit::Tb => &[("terabytes", 1.0), ("tb", 1.0)],
    }
}

/// A Price List decimal (`"0.0404800000"`, `"Inf"` only where `inf_ok`).
fn number(s: &str, what: &str, sku: &str) -> Result<Option<f64>, PriceListError> {
    if s == "Inf" {
        return Ok(None);
    }
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(Some(x)),
        _ => Err(PriceListError::Malformed {
            origin: format!("SKU {sku}"),
            message: format!("{what} `{s}` is not a number ≥ 0"),
        }),
    }
}

/// The entry a matching candidate makes.
pub fn to_price(w: &Wanted, c: &Candidate) -> Result<Price, PriceListError> {
    let sku = c.product.sku.clone();
    let usage_type = attribute(&c.product, "usagetype").unwrap_or("").to_string();
    let term = c
        .on_demand
        .iter()
        .max_by(|a, b| a.effective_date.cmp(&b.effective_date))
        .ok_or_else(|| PriceListError::NoOnDemand {
            sku: sku.clone(),
            usage_type: usage_type.clone(),
        })?;
    let mut dims: Vec<&Dimension> = term.price_dimensions.values().collect();
    if dims.is_empty() {
        return Err(PriceListError::NoOnDemand { sku, usage_type });
    }
    let mut begins = Vec::with_capacity(dims.len());
    for d in &dims {
        begins.push(number(&d.begin_range, "beginRange", &sku)?.unwrap_or(f64::INFINITY));
    }
    let mut order: Vec<usize> = (0..dims.len()).collect();
    order.sort_by(|a, b| begins[*a].total_cmp(&begins[*b]));
    dims = order.iter().map(|i| dims[*i]).collect();
    let accepted = spellings(w.unit);
    let mut tiers = Vec::with_capacity(dims.len());
    let mut notes: Vec<&str> = Vec::new();
    for d in &dims {
        let factor = accepted
            .iter()
            .find(|(s, _)| *s == d.unit.to_ascii_lowercase())
            .map(|(_, f)| *f)
            .ok_or_else(|| PriceListError::Unit {
                sku: sku.clone(),
                usage_type: usage_type.clone(),
                found: d.unit.clone(),
                expected: w.unit.key().to_string(),
                accepted: accepted
                    .iter()
                    .map(|(s, _)| *s)
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        let usd = d
            .price_per_unit
            .get("USD")
            .ok_or_else(|| PriceListError::Currency {
                sku: sku.clone(),
                usage_type: usage_type.clone(),
                found: d
                    .price_per_unit
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        let usd =
            number(usd, "pricePerUnit.USD", &sku)?.ok_or_else(|| PriceListError::Malformed {
                origin: format!("SKU {sku}"),
                message: "pricePerUnit.USD is `Inf`; expected a price".into(),
            })?;
        tiers.push(Tier {
            begin: number(&d.begin_range, "beginRange", &sku)?.unwrap_or(0.0),
            end: number(&d.end_range, "endRange", &sku)?,
            usd_per_unit: usd * factor,
            free_tier: false,
        });
        if !d.description.is_empty() && !notes.contains(&d.description.as_str()) {
            notes.push(&d.description);
        }
    }
    // A price-free first tier before paid ones is an AWS Free Tier allowance.
    if tiers.len() > 1 && tiers[0].usd_per_unit == 0.0 {
        tiers[0].free_tier = true;
    }
    let day = |stamp: &str, what: &str| -> Result<String, PriceListError> {
        let d = stamp.get(..10).unwrap_or(stamp).to_string();
        check_date(&d).map_err(|e| PriceListError::Malformed {
            origin: format!("SKU {sku}"),
            message: format!("{what}: {e}"),
        })?;
        Ok(d)
    };
    let publication = if c.offer.publication_date.is_empty() {
        None
    } else {
        Some(day(&c.offer.publication_date, "publicationDate")?)
    };
    Ok(Price {
        key: w.key.clone(),
        aliases: w.aliases.clone(),
        unit: w.unit,
        tiers,
        effective_date: day(&term.effective_date, "effectiveDate")?,
        basis: PriceBasis::PriceList,
        sku: Some(sku),
        offer_version: (!c.offer.version.is_empty()).then(|| c.offer.version.clone()),
        publication_date: publication,
        reference: format!("AWS Price List, {} offer", w.key.service_code.code()),
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}
