//! Bulk offer files (`…/offers/v1.0/aws/<Offer>/<version>/<region>/index.json` or `.csv`), read
//! as a stream: only the products a `keep` test accepts, and their OnDemand terms, are held, so
//! memory stays flat whatever the file's size (the AmazonEC2 offer of one region is several
//! GB).
//!
//! JSON offers list `products` before `terms`, as AWS writes them; a file with terms first is
//! refused rather than held whole. CSV offers have five metadata lines, a header and one row
//! per price dimension.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::io::{BufRead, Read};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use super::PriceListError;
use super::product::{Candidate, Dimension, OfferInfo, Product, Term, normalize};

/// What was read: the offer's own description and the kept products with their terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// The offer's code, version and publication date.
    pub info: OfferInfo,
    /// The kept products, each with its OnDemand terms, in file order.
    pub candidates: Vec<Candidate>,
    /// Products read (kept or not).
    pub products_read: usize,
}

/// Reads a JSON offer file, keeping the products `keep` accepts. `origin` names the file in
/// errors.
pub fn read_json<R: Read>(
    reader: R,
    origin: &str,
    keep: &mut dyn FnMut(&Product) -> bool,
) -> Result<Offer, PriceListError> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut state = State {
        keep,
        info: OfferInfo::default(),
        products: Vec::new(),
        kept: HashSet::new(),
        terms: BTreeMap::new(),
        products_read: 0,
        seen_products: false,
        seen_terms: false,
    };
    let syntax = |e: serde_json::Error| {
        let full = e.to_string();
        let message = full.split(" at line ").next().unwrap_or(&full).to_string();
        PriceListError::Malformed {
            origin: format!("{origin}: line {}, column {}", e.line(), e.column()),
            message: if e.is_eof() {
                format!("{message}: the file ends early (truncated download?)")
            } else {
                message
            },
        }
    };
    Seed(&mut state, Level::Offer)
        .deserialize(&mut de)
        .map_err(syntax)?;
    de.end().map_err(syntax)?;
    let State {
        info,
        products,
        terms,
        products_read,
        seen_products,
        seen_terms,
        ..
    } = state;
    if info.offer_code.is_empty() || !seen_products || !seen_terms {
        return Err(PriceListError::Malformed {
            origin: origin.to_string(),
            message: "not an AWS Price List offer file: expected an object with offerCode, version, products and terms".into(),
        });
    }
    Ok(Offer::new(info, products, terms, products_read))
}

impl Offer {
    /// The offer from its kept products and their terms by SKU.
    fn new(
        info: OfferInfo,
        products: Vec<Product>,
        mut terms: BTreeMap<String, Vec<Term>>,
        products_read: usize,
    ) -> Offer {
        let candidates = products
            .into_iter()
            .map(|product| Candidate {
                on_demand: terms.remove(&product.sku).unwrap_or_default(),
                product,
                offer: info.clone(),
            })
            .collect();
        Offer {
            info,
            candidates,
            products_read,
        }
    }
}

struct State<'k> {
    keep: &'k mut dyn FnMut(&Product) -> bool,
    info: OfferInfo,
    products: Vec<Product>,
    kept: HashSet<String>,
    terms: BTreeMap<String, Vec<Term>>,
    products_read: usize,
    seen_products: bool,
    seen_terms: bool,
}

/// The maps of an offer file that are read as they stream by.
#[derive(Clone, Copy)]
enum Level {
    /// The top-level object.
    Offer,
    /// `products`: SKU → product; only the kept ones are held.
    Products,
    /// `terms`: term type → …; only `OnDemand` is read.
    Terms,
    /// `terms.OnDemand`: SKU → term id → term; only the kept SKUs' terms are held.
    OnDemand,
}

/// Reads one [`Level`] of the offer into the state.
struct Seed<'s, 'k>(&'s mut State<'k>, Level);

impl<'de> DeserializeSeed<'de> for Seed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self.1 {
            Level::Offer => "an AWS Price List offer file (a JSON object)",
            Level::Products => "products by SKU",
            Level::Terms => "terms by type",
            Level::OnDemand => "OnDemand terms by SKU",
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Seed(state, level) = self;
        while let Some(key) = map.next_key::<String>()? {
            match (level, key.as_str()) {
                (Level::Offer, "offerCode") => state.info.offer_code = map.next_value()?,
                (Level::Offer, "version") => state.info.version = map.next_value()?,
                (Level::Offer, "publicationDate") => {
                    state.info.publication_date = map.next_value()?
                }
                (Level::Offer, "products") => {
                    state.seen_products = true;
                    map.next_value_seed(Seed(&mut *state, Level::Products))?;
                }
                (Level::Offer, "terms") => {
                    if !state.seen_products {
                        return Err(de::Error::custom(
                            "terms come before products; expected products first, as AWS writes offer files",
                        ));
                    }
                    state.seen_terms = true;
                    map.next_value_seed(Seed(&mut *state, Level::Terms))?;
                }
                (Level::Products, _) => {
                    let product: Product = map.next_value()?;
                    state.products_read += 1;
                    if (state.keep)(&product) {
                        state.kept.insert(product.sku.clone());
                        state.products.push(product);
                    }
                }
                (Level::Terms, "OnDemand") => {
                    map.next_value_seed(Seed(&mut *state, Level::OnDemand))?;
                }
                (Level::OnDemand, sku) if state.kept.contains(sku) => {
                    let terms: BTreeMap<String, Term> = map.next_value()?;
                    state
                        .terms
                        .entry(key)
                        .or_default()
                        .extend(terms.into_values());
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Reads a CSV offer file, keeping the products `keep` accepts.
pub fn read_csv<R: BufRead>(
    reader: R,
    origin: &str,
    keep: &mut dyn FnMut(&Product) -> bool,
) -> Result<Offer, PriceListError> {
    let mut records = Records { reader, line: 0 };
    let malformed = |line: usize, message: String| PriceListError::Malformed {
        origin: format!("{origin}: line {line}"),
        message,
    };
    let mut info = OfferInfo::default();
    let header = loop {
        let Some(record) = records
            .next_record()
            .map_err(|m| malformed(records.line, m))?
        else {
            return Err(malformed(
                records.line,
                "not an AWS Price List offer file: expected metadata lines (FormatVersion, Publication Date, Version, OfferCode) and a header starting with SKU".into(),
            ));
        };
        match record.first().map(String::as_str) {
            Some("SKU") => break record,
            Some("Publication Date") => {
                info.publication_date = record.get(1).cloned().unwrap_or_default()
            }
            Some("Version") => info.version = record.get(1).cloned().unwrap_or_default(),
            Some("OfferCode") => info.offer_code = record.get(1).cloned().unwrap_or_default(),
            Some("FormatVersion" | "Disclaimer") => {}
            _ if records.line > 10 => {
                return Err(malformed(
                    records.line,
                    "not an AWS Price List offer file: no header starting with SKU in the first lines".into(),
                ));
            }
            _ => {}
        }
    };
    if info.offer_code.is_empty() {
        return Err(malformed(
            records.line,
            "not an AWS Price List offer file: no OfferCode line before the header".into(),
        ));
    }
    let column = |name: &str| header.iter().position(|h| h == name);
    let need = |name: &str| {
        column(name).ok_or_else(|| {
            malformed(
                records.line,
                format!("the header has no `{name}` column; expected the Price List CSV layout"),
            )
        })
    };
    let sku_at = need("SKU")?;
    let term_type = need("TermType")?;
    let description = need("PriceDescription")?;
    let effective = need("EffectiveDate")?;
    let begin = need("StartingRange")?;
    let end = need("EndingRange")?;
    let unit = need("Unit")?;
    let price = need("PricePerUnit")?;
    let currency = need("Currency")?;
    let rate_code = need("RateCode")?;
    let family = column("Product Family");
    // Product attribute columns: those after Currency (and Product Family), by their normalized
    // names, which match the JSON attribute names once normalized.
    let attribute_columns: Vec<(usize, String)> = header
        .iter()
        .enumerate()
        .filter(|(i, _)| *i > currency && Some(*i) != family)
        .map(|(i, h)| (i, normalize(h)))
        .collect();
    let mut products: Vec<Product> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut rejected: HashSet<String> = HashSet::new();
    let mut terms: BTreeMap<String, BTreeMap<String, Term>> = BTreeMap::new();
    let mut products_read = 0;
    while let Some(row) = records
        .next_record()
        .map_err(|m| malformed(records.line, m))?
    {
        if row.len() == 1 && row[0].is_empty() {
            continue;
        }
        if row.len() != header.len() {
            return Err(malformed(
                records.line,
                format!(
                    "{} fields; expected {} as in the header (truncated file?)",
                    row.len(),
                    header.len()
                ),
            ));
        }
        let sku = &row[sku_at];
        if rejected.contains(sku) {
            continue;
        }
        if !index.contains_key(sku) {
            products_read += 1;
            let product = Product {
                sku: sku.clone(),
                product_family: family.map(|f| row[f].clone()).filter(|f| !f.is_empty()),
                attributes: attribute_columns
                    .iter()
                    .filter(|(i, _)| !row[*i].is_empty())
                    .map(|(i, name)| (name.clone(), row[*i].clone()))
                    .collect(),
            };
            if !keep(&product) {
                rejected.insert(sku.clone());
                continue;
            }
            index.insert(sku.clone(), products.len());
            products.push(product);
        }
        if row[term_type] != "OnDemand" {
            continue;
        }
        // The term's code is the second part of the rate code (`SKU.TERM.RATE`).
        let term_id = row[rate_code]
            .rsplit_once('.')
            .map_or(row[rate_code].as_str(), |(t, _)| t);
        let term = terms
            .entry(sku.clone())
            .or_default()
            .entry(term_id.to_string())
            .or_insert_with(|| Term {
                effective_date: row[effective].clone(),
                price_dimensions: BTreeMap::new(),
            });
        term.price_dimensions.insert(
            row[rate_code].clone(),
            Dimension {
                description: row[description].clone(),
                begin_range: row[begin].clone(),
                end_range: row[end].clone(),
                unit: row[unit].clone(),
                price_per_unit: [(row[currency].clone(), row[price].clone())]
                    .into_iter()
                    .collect(),
            },
        );
    }
    let terms = terms
        .into_iter()
        .map(|(sku, by_id)| (sku, by_id.into_values().collect()))
        .collect();
    Ok(Offer::new(info, products, terms, products_read))
}

/// RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks.
struct Records<R> {
    reader: R,
    /// Lines read so far.
    line: usize,
}

impl<R: BufRead> Records<R> {
    fn next_record(&mut self) -> Result<Option<Vec<String>>, String> {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut started = false;
        let mut buf = String::new();
        loop {
            buf.clear();
            let n = self
                .reader
                .read_line(&mut buf)
                .map_err(|e| format!("cannot read: {e}"))?;
            if n == 0 {
                if quoted {
                    return Err("the file ends inside a quoted field (truncated download?)".into());
                }
                if !started {
                    return Ok(None);
                }
                fields.push(std::mem::take(&mut field));
                return Ok(Some(fields));
            }
            self.line += 1;
            started = true;
            let mut chars = buf.chars().peekable();
            while let Some(c) = chars.next() {
                match (quoted, c) {
                    (true, '"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    (true, '"') => quoted = false,
                    (true, c) => field.push(c),
                    (false, '"') => quoted = true,
                    (false, ',') => fields.push(std::mem::take(&mut field)),
                    (false, '\r') => {}
                    (false, '\n') => {
                        fields.push(std::mem::take(&mut field));
                        return Ok(Some(fields));
                    }
                    (false, c) => field.push(c),
                }
            }
        }
    }
}
