//! The AWS Price List, read into price-book entries: a GetProducts answer (`prices update`)
//! and a bulk offer file (`prices import`, JSON or CSV, streamed) give the same products, and
//! the same products give the same entries.
//!
//! What to look for comes from the [`catalogue()`]: every price the newest us-east-1 snapshot
//! holds, re-spelled for the region. A product matches an entry by service code, usage type (or
//! an alias), operation where the entry names one, region and on-demand market; its OnDemand
//! term becomes the entry's tiers, with the SKU, effective date, offer version and publication
//! date kept. Nothing here does I/O: offer files are read from any `Read`.

pub mod catalogue;
pub mod offer_file;
mod product;

pub use catalogue::{Matcher, Origin, Wanted, catalogue, rebase};
pub use product::{Candidate, Dimension, OfferInfo, Product, Term, parse_item};

use std::collections::BTreeMap;

use crate::engine::price_book::{MissingPrice, Price, PriceBook, PriceBookError};
use crate::vocabulary::units::{PriceKey, Region};

/// Why Price List data could not become a snapshot.
#[derive(Debug, thiserror::Error)]
pub enum PriceListError {
    /// A document is not what the Price List sends.
    #[error("{origin}: {message}")]
    Malformed {
        /// The document (`GetProducts AmazonECS page 2 item 3`, a file and position).
        origin: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A product's price is not in US dollars.
    #[error(
        "SKU {sku} ({usage_type}) is priced in {found}; expected USD (archcost prices the commercial partition, in USD)"
    )]
    Currency {
        /// The SKU.
        sku: String,
        /// Its usage type.
        usage_type: String,
        /// The currencies it has.
        found: String,
    },
    /// A product has no on-demand price.
    #[error(
        "SKU {sku} ({usage_type}) has no OnDemand term; expected one with its price dimensions"
    )]
    NoOnDemand {
        /// The SKU.
        sku: String,
        /// Its usage type.
        usage_type: String,
    },
    /// A price dimension's unit is not the unit the engine meters in.
    #[error(
        "SKU {sku} ({usage_type}) is priced per `{found}`; expected a unit of {expected} ({accepted})"
    )]
    Unit {
        /// The SKU.
        sku: String,
        /// Its usage type.
        usage_type: String,
        /// The Price List's unit.
        found: String,
        /// The engine's unit.
        expected: String,
        /// The spellings accepted for it.
        accepted: String,
    },
    /// Two products answer for one entry at different prices.
    #[error("{key}: {count} products match at different prices (SKUs {skus}); expected one")]
    Ambiguous {
        /// The entry.
        key: PriceKey,
        /// How many matched.
        count: usize,
        /// Their SKUs.
        skus: String,
    },
    /// Prices the Price List should have and did not.
    #[error(
        "the Price List has no product for {} price(s) of {region}; nothing was written:\n{}",
        .missing.len(),
        .missing.iter().map(|m| format!("  - {m}")).collect::<Vec<_>>().join("\n")
    )]
    Missing {
        /// The region.
        region: Region,
        /// What was not found.
        missing: Vec<PriceKey>,
    },
    /// The snapshot made breaks a price-book rule.
    #[error(transparent)]
    Book(#[from] PriceBookError),
}

/// Picks, for each wanted entry, the matching candidate and turns it into a price.
///
/// Returns the prices found; a wanted entry without a match is simply absent (the caller
/// decides whether that is an error). Candidates that match nothing are ignored, whatever their
/// currency or terms.
pub fn select(
    wanted: &[Wanted],
    candidates: &[Candidate],
    region: Region,
) -> Result<Vec<Price>, PriceListError> {
    let mut found = Vec::new();
    for w in wanted.iter().filter(|w| w.origin == Origin::PriceList) {
        let matches: Vec<&Candidate> = candidates.iter().filter(|c| w.matches(c, region)).collect();
        let mut prices = matches
            .iter()
            .map(|c| product::to_price(w, c))
            .collect::<Result<Vec<_>, _>>()?;
        prices.sort_by(|a, b| a.sku.cmp(&b.sku));
        let Some(first) = prices.first() else {
            continue;
        };
        if prices.iter().any(|p| p.tiers != first.tiers) {
            return Err(PriceListError::Ambiguous {
                key: w.key.clone(),
                count: prices.len(),
                skus: prices
                    .iter()
                    .filter_map(|p| p.sku.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        found.push(prices.swap_remove(0));
    }
    Ok(found)
}

/// A new snapshot of `region` from prices just read from the Price List.
///
/// Every wanted Price List entry `in_scope` must be among `found`, or nothing is made and the
/// missing ones are listed. The rest (published rates outside the Price List, and services out
/// of scope) are carried from `current`, the region's snapshot so far; what it lacks too goes
/// to the snapshot's `missing` list with the reason.
pub fn assemble(
    region: Region,
    snapshot_date: &str,
    wanted: &[Wanted],
    found: Vec<Price>,
    current: Option<&PriceBook>,
    in_scope: impl Fn(&Wanted) -> bool,
    how: &str,
) -> Result<PriceBook, PriceListError> {
    let mut by_key: BTreeMap<PriceKey, Price> =
        found.into_iter().map(|p| (p.key.clone(), p)).collect();
    let fetched = by_key.len();
    let unfound: Vec<PriceKey> = wanted
        .iter()
        .filter(|w| w.origin == Origin::PriceList && in_scope(w) && !by_key.contains_key(&w.key))
        .map(|w| w.key.clone())
        .collect();
    if !unfound.is_empty() {
        return Err(PriceListError::Missing {
            region,
            missing: unfound,
        });
    }
    let mut missing = Vec::new();
    let mut carried = 0;
    for w in wanted {
        if by_key.contains_key(&w.key) {
            continue;
        }
        match current.and_then(|b| b.get(&w.key)) {
            Some(p) => {
                by_key.insert(w.key.clone(), p.clone());
                carried += 1;
            }
            None => missing.push(MissingPrice {
                service_code: w.key.service_code.code().to_string(),
                usage_type: w.key.usage_type.clone(),
                operation: w.key.operation.clone(),
                reason: match w.origin {
                    Origin::Published => "a published rate outside the Price List, and the region's snapshot so far has none; add it by hand with its source".into(),
                    Origin::PriceList => "not updated (outside --services), and the region's snapshot so far has none".into(),
                },
            }),
        }
    }
    // Entries of the current snapshot that the catalogue does not name stay as they are.
    if let Some(book) = current {
        for p in book.prices() {
            if !by_key.contains_key(&p.key) && !wanted.iter().any(|w| w.key == p.key) {
                by_key.insert(p.key.clone(), p.clone());
                carried += 1;
            }
        }
    }
    let note = format!(
        "{fetched} price(s) read from {how} on {snapshot_date}; {carried} carried from {}; {} missing (listed).",
        current.map_or("nothing (no earlier snapshot)".to_string(), |b| format!(
            "{} ({})",
            b.origin(),
            b.snapshot_date()
        )),
        missing.len()
    );
    Ok(PriceBook::new(
        region,
        snapshot_date,
        Some(note),
        by_key.into_values().collect(),
        missing,
        &format!("{how} ({region}, {snapshot_date})"),
    )?)
}
