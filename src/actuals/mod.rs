//! Actual spend, read from where AWS users keep it, normalized into one schema and summed into
//! rows per month for reconciliation.
//!
//! # The normalized schema
//!
//! Every source is read into a polars DataFrame with these columns before it is summed:
//!
//! | column | type | meaning |
//! |---|---|---|
//! | `billing_period` | str | `YYYY-MM` of the billing period |
//! | `service_code` | str | AWS service code (`AmazonECS`); empty when the source only names the service |
//! | `service_name` | str | the service's name where the source gives one |
//! | `usage_type` | str | usage type as billed; empty when the source lacks it (FOCUS without `x_UsageType`) |
//! | `charge_type` | str | the source's own line type (CUR `line_item_line_item_type`, FOCUS `ChargeCategory`, CE `RECORD_TYPE`) |
//! | `quantity` | f64 | usage in the pricing unit |
//! | `cost` | f64 | cost of the usage at on-demand (unblended) rates |
//! | `commitment` | f64 | the part a Savings Plan or RI covered, negated (FOCUS covered lines) |
//! | `currency` | str | billing currency |
//! | `tags` | str | resource tags: a JSON object (CSV) or `key␝value␟…` pairs (Parquet maps) |
//! | `description`, `pricing_unit`, `region` | str | FOCUS only, to map usage types when `x_UsageType` is absent |
//!
//! Usage is reconciled at its on-demand cost (CE `UnblendedCost` of usage records, CUR
//! `line_item_unblended_cost` of `Usage`, `DiscountedUsage` and `SavingsPlanCoveredUsage` lines,
//! FOCUS `BilledCost`, or `ListCost` where a commitment covered the line), because the model
//! prices at on-demand rates; what commitments change is reported with the other non-usage
//! charges.

pub mod athena;
pub mod commitments;
pub mod cost_explorer;
pub mod export;
pub mod names;
pub mod parquet_rollup;
pub mod table_export;
pub mod tagged;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::analysis::reconcile::{ActualRow, ChargeCategory};
use crate::aws::cost_explorer::{Query, next_month};
use crate::aws::{AwsError, AwsOptions};

/// Actual rows by month, with what the reader must know about them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MonthlyActuals {
    /// Where they came from.
    pub source: String,
    /// The detected format.
    pub format: String,
    /// Rows per month (`YYYY-MM`), summed per service, usage type, category and tag set; read
    /// through [`MonthlyActuals::month`], added to through [`MonthlyActuals::push`].
    months: BTreeMap<String, Vec<ActualRow>>,
    /// Months Cost Explorer marked as estimated.
    pub estimated_months: BTreeSet<String>,
    /// Currencies seen.
    pub currencies: BTreeSet<String>,
    /// How the source was interpreted, when it needed interpreting.
    pub notes: Vec<String>,
    /// The queries Athena ran to answer (none for other sources).
    pub queries: Vec<athena::QueryRun>,
    /// Where each row sits in `months`, so summing a large export stays linear.
    index: HashMap<RowKey, usize>,
}

/// Month, service code, usage type, category and tag set: what rows are summed by.
type RowKey = (
    String,
    String,
    String,
    ChargeCategory,
    Vec<(String, String)>,
);

impl MonthlyActuals {
    /// Empty actuals from `source`.
    pub fn new(source: &str) -> Self {
        MonthlyActuals {
            source: source.to_string(),
            ..Default::default()
        }
    }

    /// Adds a row, summing it into an existing row with the same keys.
    pub fn push(&mut self, month: &str, row: ActualRow) {
        let key: RowKey = (
            month.to_string(),
            row.service_code.clone(),
            row.usage_type.clone(),
            row.category,
            row.tags
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        );
        let rows = self.months.entry(month.to_string()).or_default();
        match self.index.get(&key) {
            Some(&i) => {
                rows[i].quantity += row.quantity;
                rows[i].cost_usd += row.cost_usd;
            }
            None => {
                self.index.insert(key, rows.len());
                rows.push(row);
            }
        }
    }

    /// Merges another source's rows into these.
    pub fn extend(&mut self, other: MonthlyActuals) {
        for (month, rows) in other.months {
            for row in rows {
                self.push(&month, row);
            }
        }
        self.estimated_months.extend(other.estimated_months);
        self.currencies.extend(other.currencies);
        self.notes.extend(other.notes);
        self.queries.extend(other.queries);
        if self.format.is_empty() {
            self.format = other.format;
        }
    }

    /// The rows of a month, checked: one currency (USD), and some rows.
    pub fn month(&self, month: &str) -> Result<&[ActualRow], ActualsError> {
        let currencies: Vec<&String> = self.currencies.iter().filter(|c| !c.is_empty()).collect();
        if currencies.len() > 1 {
            return Err(ActualsError::MixedCurrencies {
                origin: self.source.clone(),
                currencies: currencies
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        if let Some(c) = currencies.first()
            && c.as_str() != "USD"
        {
            return Err(ActualsError::MixedCurrencies {
                origin: self.source.clone(),
                currencies: c.to_string(),
            });
        }
        match self.months.get(month) {
            Some(rows) if !rows.is_empty() => Ok(rows),
            _ => Err(ActualsError::EmptyMonth {
                origin: self.source.clone(),
                month: month.to_string(),
                available: if self.months.is_empty() {
                    "none".into()
                } else {
                    self.months.keys().cloned().collect::<Vec<_>>().join(", ")
                },
            }),
        }
    }

    /// Keeps only the lines whose resource tags have `key` (as written, or with CUR's `user:`
    /// prefix) set to `value`, as Cost Explorer's tag filter does: untagged lines, taxes and
    /// credits among them, are left out. A note says so.
    pub fn retain_tag(&mut self, key: &str, value: &str) {
        let prefixed = format!("user:{key}");
        let months = std::mem::take(&mut self.months);
        self.index.clear();
        for (month, rows) in months {
            for row in rows {
                let tag = row.tags.get(key).or_else(|| row.tags.get(&prefixed));
                if tag.map(String::as_str) == Some(value) {
                    self.push(&month, row);
                }
            }
        }
        self.source = format!("{} (lines tagged {key}={value})", self.source);
        self.notes.push(format!(
            "only lines tagged {key}={value} (untagged lines, taxes and credits left out)"
        ));
    }

    /// The latest month with rows.
    pub fn latest_month(&self) -> Option<&str> {
        self.months
            .iter()
            .rev()
            .find(|(_, r)| !r.is_empty())
            .map(|(m, _)| m.as_str())
    }
}

/// Why actuals could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ActualsError {
    /// A file could not be read.
    #[error("cannot read {path}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The content does not have the expected shape.
    #[error("{origin} ({format}): {message}")]
    Format {
        /// The file or source.
        origin: String,
        /// The detected (or forced) format.
        format: String,
        /// What is missing or wrong, and what was expected.
        message: String,
    },
    /// Nothing to read at a location.
    #[error(
        "{location}: no billing files found; expected Parquet, CSV or CSV.gz files (or a Cost Explorer JSON file)"
    )]
    NoFiles {
        /// The directory, glob or prefix.
        location: String,
    },
    /// More than one currency, or not USD.
    #[error(
        "{origin}: billed in {currencies}; archcost reconciles USD bills only (the price book is in USD)"
    )]
    MixedCurrencies {
        /// The source.
        origin: String,
        /// The currencies seen.
        currencies: String,
    },
    /// No rows for the month.
    #[error("{origin}: no spend for {month}; the source has spend for: {available}")]
    EmptyMonth {
        /// The source.
        origin: String,
        /// The month asked for.
        month: String,
        /// Months present.
        available: String,
    },
    /// A source specification is malformed.
    #[error("{0}")]
    Spec(String),
    /// An AWS call failed.
    #[error(transparent)]
    Aws(#[from] AwsError),
}

/// Parses tags as the normalized `tags` column holds them.
pub(crate) fn parse_tags(raw: &str) -> BTreeMap<String, String> {
    let raw = raw.trim();
    if raw.is_empty() || raw == "{}" || raw == "NULL" {
        return BTreeMap::new();
    }
    if raw.starts_with('{') {
        return serde_json::from_str::<BTreeMap<String, serde_json::Value>>(raw)
            .map(|m| {
                m.into_iter()
                    .map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_string)))
                    .collect()
            })
            .unwrap_or_default();
    }
    raw.split(export::PAIR_SEPARATOR)
        .filter_map(|pair| pair.split_once(export::KEY_SEPARATOR))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Reads actuals from a source: the Cost Explorer API (`ce:YYYY-MM`, `ce:YYYY-MM..YYYY-MM`),
/// an S3 prefix (`s3://bucket/prefix`), a saved Cost Explorer response (`.json`), or billing
/// export files (a file, a directory of export parts, or a glob). `forced` overrides format
/// detection for exports; `query` adds Cost Explorer filters and granularity.
pub fn load_from(
    source: &str,
    forced: Option<export::ExportFormat>,
    aws: &AwsOptions,
    query: impl FnOnce(&mut Query),
) -> Result<MonthlyActuals, ActualsError> {
    load_months(source, forced, aws, &[], query)
}

/// [`load_from`], for `months`: a source that reads only the months asked for (an Athena
/// table, `athena:DATABASE.TABLE`, whose query then reads only those partitions) reads these,
/// or its latest month when none is given; the others read every month they hold.
pub fn load_months(
    source: &str,
    forced: Option<export::ExportFormat>,
    aws: &AwsOptions,
    months: &[String],
    query: impl FnOnce(&mut Query),
) -> Result<MonthlyActuals, ActualsError> {
    if source.starts_with("ce:") {
        let mut q = parse_spec(source)?;
        query(&mut q);
        let pages = crate::aws::cost_explorer::fetch_all(&q, aws)?;
        let mut a = cost_explorer::to_actuals(&pages, source)?;
        a.format = "Cost Explorer API".into();
        return Ok(a);
    }
    // The same options for files, S3 and Athena tables: a tag filter applies to their lines'
    // resource tags; the Cost Explorer query options have no meaning there and are refused,
    // not ignored.
    let mut q = Query {
        from_month: String::new(),
        to_month: String::new(),
        daily: false,
        tag: None,
        linked_account: None,
    };
    query(&mut q);
    if q.daily {
        return Err(ActualsError::Spec(format!(
            "--daily applies to Cost Explorer sources (ce:YYYY-MM); {source} is a billing export, whose hourly or daily lines are summed into months as they are"
        )));
    }
    if q.linked_account.is_some() {
        return Err(ActualsError::Spec(format!(
            "--linked-account applies to Cost Explorer sources (ce:YYYY-MM); for {source}, export only that account's lines"
        )));
    }
    let mut a = if source.starts_with(athena::PREFIX) {
        if forced.is_some() {
            return Err(ActualsError::Spec(format!(
                "{source}: --export-format applies to files; an Athena table's format is detected from its columns"
            )));
        }
        let table = athena::AthenaTable::parse(source, aws.athena.catalog.as_deref())?;
        athena::load_actuals(&table, months, aws)?
    } else if source.starts_with("s3://") {
        load_s3(source, forced, aws)?
    } else {
        load(source, forced)?
    };
    if let Some((key, value)) = &q.tag {
        a.retain_tag(key, value);
    }
    Ok(a)
}

/// Parses `ce:YYYY-MM` or `ce:YYYY-MM..YYYY-MM`.
pub fn parse_spec(spec: &str) -> Result<Query, ActualsError> {
    let body = spec.strip_prefix("ce:").unwrap_or(spec);
    let (from, to) = body.split_once("..").unwrap_or((body, body));
    for month in [from, to] {
        if next_month(month).is_none() {
            return Err(ActualsError::Spec(format!(
                "`{month}` is not a month; expected YYYY-MM"
            )));
        }
    }
    if to < from {
        return Err(ActualsError::Spec(format!(
            "{spec}: the range ends before it starts"
        )));
    }
    Ok(Query {
        from_month: from.into(),
        to_month: to.into(),
        daily: false,
        tag: None,
        linked_account: None,
    })
}

/// Splits `s3://bucket/prefix` into bucket and prefix.
pub fn parse_s3_url(url: &str) -> Result<(String, String), ActualsError> {
    let rest = url
        .strip_prefix("s3://")
        .ok_or_else(|| ActualsError::Spec(format!("`{url}` is not an s3:// URL")))?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return Err(ActualsError::Spec(format!(
            "`{url}` names no bucket; expected s3://BUCKET/PREFIX"
        )));
    }
    Ok((bucket.to_string(), prefix.to_string()))
}

/// Actuals from the export files under an S3 prefix: downloaded into a scratch directory
/// (removed afterwards), then read like local files.
fn load_s3(
    url: &str,
    forced: Option<export::ExportFormat>,
    aws: &AwsOptions,
) -> Result<MonthlyActuals, ActualsError> {
    with_s3_files(url, aws, |files| export::read(files, forced, url))
}

/// Runs `read` on the export files under an S3 prefix, downloaded into a scratch directory
/// that is removed afterwards.
pub(crate) fn with_s3_files<T>(
    url: &str,
    aws: &AwsOptions,
    read: impl FnOnce(&[std::path::PathBuf]) -> Result<T, ActualsError>,
) -> Result<T, ActualsError> {
    let (bucket, prefix) = parse_s3_url(url)?;
    let scratch =
        std::env::temp_dir().join(format!("archcost-s3-{}-{}", std::process::id(), url.len()));
    std::fs::create_dir_all(&scratch).map_err(|e| ActualsError::Read {
        path: scratch.display().to_string(),
        source: e,
    })?;
    let result = crate::aws::s3::download(&bucket, &prefix, aws, &scratch, None)
        .map_err(ActualsError::from)
        .and_then(|files| {
            if files.is_empty() {
                Err(ActualsError::NoFiles {
                    location: url.to_string(),
                })
            } else {
                read(&files)
            }
        });
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// Reads actuals from local files: a saved Cost Explorer response (`.json`), or billing export
/// files (a file, a directory of export parts, or a glob).
pub fn load(
    source: &str,
    forced: Option<export::ExportFormat>,
) -> Result<MonthlyActuals, ActualsError> {
    if source.starts_with("ce:") || source.starts_with("s3://") {
        return load_from(source, forced, &AwsOptions::default(), |_| {});
    }
    let path = std::path::Path::new(source);
    if path.is_file() && source.to_ascii_lowercase().ends_with(".json") {
        let text = std::fs::read_to_string(path).map_err(|e| ActualsError::Read {
            path: source.into(),
            source: e,
        })?;
        let mut a = cost_explorer::parse_saved(&text, source)?;
        a.format = "Cost Explorer JSON".into();
        return Ok(a);
    }
    let files = export::files(source)?;
    export::read(&files, forced, source)
}
