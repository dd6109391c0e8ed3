//! Billing exports, CUR 2.0 and FOCUS 1.0/1.2, as Parquet, CSV or CSV.gz: a file, a directory
//! of export parts, or a glob. The format is detected from the columns unless forced.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::names::{
    cur_category, focus_category, service_code as code_of_name, service_for_usage_type,
};
use super::parquet_rollup::{Key, NotRead, Test};
use super::{ActualsError, MonthlyActuals, parse_tags};
use crate::analysis::reconcile::{ActualRow, ChargeCategory};
use crate::engine::price_book::{PriceKey, embedded_skus};
use crate::services::{ComponentKind, cloudfront, data_transfer, public_ipv4};
use crate::vocabulary::text;
use crate::vocabulary::units::{Region, ServiceCode};

/// Separates the pairs of a Parquet tag map in the normalized `tags` column.
pub const PAIR_SEPARATOR: char = '\u{1f}';
/// Separates a key from its value in the normalized `tags` column.
pub const KEY_SEPARATOR: char = '\u{1d}';

/// A billing export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// AWS Data Exports, CUR 2.0 (`COST_AND_USAGE_REPORT`).
    Cur2,
    /// FinOps FOCUS 1.0 or 1.2 (AWS `FOCUS_1_0_AWS`, `FOCUS_1_2_AWS`, or another producer).
    Focus,
}

impl ExportFormat {
    /// A name for messages.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Cur2 => "CUR 2.0",
            ExportFormat::Focus => "FOCUS",
        }
    }

    /// Checks that a source of this format (`origin`) has the columns it must have (`has`);
    /// the error lists those it lacks.
    pub(crate) fn check_required(
        self,
        origin: &str,
        has: impl Fn(&str) -> bool,
    ) -> Result<(), ActualsError> {
        let missing: Vec<&str> = self
            .required()
            .iter()
            .copied()
            .filter(|c| !has(c))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(ActualsError::Format {
            origin: origin.to_string(),
            format: self.name().into(),
            message: format!("missing column(s) {}", missing.join(", ")),
        })
    }

    /// The columns a file of this format must have.
    fn required(self) -> &'static [&'static str] {
        match self {
            ExportFormat::Cur2 => &[
                "bill_billing_period_start_date",
                "line_item_usage_type",
                "line_item_line_item_type",
                "line_item_usage_amount",
                "line_item_unblended_cost",
            ],
            ExportFormat::Focus => &[
                "BillingPeriodStart",
                "ServiceName",
                "ChargeCategory",
                "PricingQuantity",
                "BilledCost",
            ],
        }
    }
}

/// The billing files at a location: the file itself, every export file under a directory, or
/// the files a glob (`*` and `?` in the last part) matches.
pub fn files(location: &str) -> Result<Vec<PathBuf>, ActualsError> {
    let path = Path::new(location);
    let mut out = Vec::new();
    if path.is_file() {
        out.push(path.to_path_buf());
    } else if path.is_dir() {
        walk(path, &mut out).map_err(|source| ActualsError::Read {
            path: location.into(),
            source,
        })?;
    } else if location.contains(['*', '?']) {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let pattern = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let entries = std::fs::read_dir(dir).map_err(|source| ActualsError::Read {
            path: dir.display().to_string(),
            source,
        })?;
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if e.path().is_file() && glob_match(pattern, &name) {
                out.push(e.path());
            }
        }
    } else {
        return Err(ActualsError::Read {
            path: location.into(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such file, directory or glob",
            ),
        });
    }
    out.retain(|p| is_export_file(p));
    out.sort();
    if out.is_empty() {
        return Err(ActualsError::NoFiles {
            location: location.into(),
        });
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

fn is_export_file(p: &Path) -> bool {
    let name = p
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    name.ends_with(".parquet")
        || name.ends_with(".csv")
        || name.ends_with(".csv.gz")
        || name.ends_with(".gz")
}

/// `*` and `?` wildcard matching.
fn glob_match(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some('?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    go(
        &pattern.chars().collect::<Vec<_>>(),
        &name.chars().collect::<Vec<_>>(),
    )
}

fn is_parquet(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// The longest CSV line archcost reads: a billing export's lines are a few kB, and reading a
/// line takes memory in proportion to its length.
pub const LONGEST_LINE_BYTES: u64 = 16 << 20;

/// Checks a plain CSV file before polars reads it (compressed and Parquet files are not
/// checked), reading it in 1 MiB blocks: no line is longer than [`LONGEST_LINE_BYTES`], and
/// every quoted field is closed (polars 0.55's reader reads past a field that is a lone `"`
/// at the end of a file: undefined behaviour, found by fuzzing).
pub(crate) fn check_csv_text(path: &Path) -> Result<(), ActualsError> {
    use std::io::Read;
    let name = path.display().to_string();
    let lower = name.to_ascii_lowercase();
    if !lower.ends_with(".csv") {
        return Ok(());
    }
    let read_error = |source| ActualsError::Read {
        path: name.clone(),
        source,
    };
    let refuse = |line: u64, message: String| ActualsError::Format {
        origin: format!("{name}: line {line}"),
        format: "CSV".into(),
        message,
    };
    let mut file = std::fs::File::open(path).map_err(read_error)?;
    let mut block = vec![0u8; 1 << 20];
    let (mut line, mut length) = (1u64, 0u64);
    // The line where the quoted field still open began.
    let mut open_quote: Option<u64> = None;
    loop {
        let n = file.read(&mut block).map_err(read_error)?;
        if n == 0 {
            return match open_quote {
                Some(at) => Err(refuse(
                    at,
                    "a quoted field is never closed (an odd number of `\"`); expected every quoted field to end with `\"`".into(),
                )),
                None => Ok(()),
            };
        }
        for &byte in &block[..n] {
            length += 1;
            match byte {
                b'"' => {
                    open_quote = if open_quote.is_some() {
                        None
                    } else {
                        Some(line)
                    }
                }
                b'\n' => {
                    line += 1;
                    length = 0;
                }
                _ => {}
            }
            if length > LONGEST_LINE_BYTES {
                return Err(refuse(
                    line,
                    format!(
                        "the line is longer than {} MiB; expected a billing export's lines (a few kB each)",
                        LONGEST_LINE_BYTES >> 20
                    ),
                ));
            }
        }
    }
}

pub(crate) fn scan(path: &Path) -> PolarsResult<LazyFrame> {
    let p = PlRefPath::new(path.to_string_lossy().as_ref());
    if is_parquet(path) {
        LazyFrame::scan_parquet(p, ScanArgsParquet::default())
    } else {
        LazyCsvReader::new(p)
            .with_has_header(true)
            .with_infer_schema_length(Some(10_000))
            .with_null_values(Some(NullValues::AllColumnsSingle("NULL".into())))
            .finish()
    }
}

pub(crate) fn polars_error(
    source: &str,
    format: &str,
) -> impl Fn(PolarsError) -> ActualsError + use<> {
    let (source, format) = (source.to_string(), format.to_string());
    move |e| ActualsError::Format {
        origin: source.clone(),
        format: format.clone(),
        message: e.to_string(),
    }
}

/// Detects the format from the columns.
pub fn detect(columns: &[String], source: &str) -> Result<ExportFormat, ActualsError> {
    format_of(columns).ok_or_else(|| unknown_format(source, columns))
}

/// The format whose columns `columns` has, if any.
pub(crate) fn format_of(columns: &[String]) -> Option<ExportFormat> {
    let has = |c: &str| columns.iter().any(|x| x == c);
    if has("line_item_usage_type") || has("line_item_unblended_cost") {
        Some(ExportFormat::Cur2)
    } else if has("BilledCost") && has("ChargeCategory") {
        Some(ExportFormat::Focus)
    } else {
        None
    }
}

/// The error for a source whose columns (the first 12 named) are neither format's.
pub(crate) fn unknown_format(source: &str, columns: &[String]) -> ActualsError {
    ActualsError::Format {
        origin: source.into(),
        format: "unknown".into(),
        message: format!(
            "neither CUR 2.0 (line_item_usage_type, line_item_unblended_cost, …) nor FOCUS (BilledCost, ChargeCategory, …) columns; found: {}",
            columns
                .iter()
                .take(12)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A tags column as text: a Parquet map (a list of key/value structs) joined with the
/// separators below, a JSON string as it is, `""` when missing.
pub(crate) fn tags_column(schema: &Schema, column: &str) -> Expr {
    match schema.get(column) {
        Some(DataType::List(_)) => col(column)
            .list()
            .eval(concat_str(
                [
                    col("").struct_().field_by_name("key"),
                    lit(KEY_SEPARATOR.to_string()),
                    col("").struct_().field_by_name("value"),
                ],
                "",
                true,
            ))
            .list()
            .join(lit(PAIR_SEPARATOR.to_string()), true)
            .fill_null(lit("")),
        Some(_) => col(column).cast(DataType::String).fill_null(lit("")),
        None => lit(""),
    }
}

/// The list (public on-demand) cost of a CUR 2.0 line: `pricing_public_on_demand_cost`, or
/// the unblended cost where the export has no public cost.
pub(crate) fn cur_list_cost(reads: &Reads) -> Expr {
    when(reads.number("pricing_public_on_demand_cost").gt(lit(0.0)))
        .then(reads.number("pricing_public_on_demand_cost"))
        .otherwise(reads.number("line_item_unblended_cost"))
}

/// The columns of an export a query reads, noted as it builds its expressions: the columns it
/// groups by or tests as text, and the number columns it adds up. For a Parquet export,
/// [`Reads::lines`] then rolls the file up by the first and sums the second
/// ([`super::parquet_rollup`]), so the query runs on a few thousand groups instead of the lines.
///
/// The rollup is exact for queries whose numbers are sums of number columns chosen by
/// conditions on text columns or on the sign of a number; every query built here is one.
pub(crate) struct Reads<'a> {
    schema: &'a Schema,
    keys: std::cell::RefCell<Vec<Key>>,
    sums: std::cell::RefCell<Vec<String>>,
}

impl<'a> Reads<'a> {
    /// Nothing read yet from a file of this schema.
    pub(crate) fn new(schema: &'a Schema) -> Self {
        Reads {
            schema,
            keys: Default::default(),
            sums: Default::default(),
        }
    }

    /// Notes a key column, needed on every line or only where `only_where` says.
    fn note_key(&self, column: &str, only_where: Option<Vec<(String, Test)>>) {
        let mut keys = self.keys.borrow_mut();
        match keys.iter_mut().find(|k| k.column == column) {
            Some(known) if only_where.is_none() => known.only_where = None,
            Some(_) => {}
            None => keys.push(Key {
                column: column.to_string(),
                only_where,
            }),
        }
    }

    /// A column as stored, named `alias`, to group by (`""` when the file lacks it, or when
    /// `wanted` is false: a field not needed is not read).
    pub(crate) fn key(&self, wanted: bool, column: &str, alias: &str) -> Expr {
        if wanted && self.schema.get(column).is_some() {
            self.note_key(column, None);
            col(column).alias(alias)
        } else {
            lit("").alias(alias)
        }
    }

    /// A text column named `alias`, to group by, that the query needs only on the lines where
    /// one of `tests` holds (a text column and its value, `""` for empty) and reads as `""`
    /// elsewhere; the rollup then leaves it unread where no line needs it.
    pub(crate) fn key_where(&self, column: &str, alias: &str, tests: &[(&str, &str)]) -> Expr {
        if self.schema.get(column).is_none() {
            return lit("").alias(alias);
        }
        let mut needed = lit(false);
        for (on, value) in tests {
            needed = needed.or(self.text(on).eq(lit(*value)));
        }
        self.note_key(
            column,
            Some(
                tests
                    .iter()
                    .map(|(on, value)| {
                        let test = match *value {
                            "" => Test::Empty,
                            v => Test::Is(v.to_string()),
                        };
                        (on.to_string(), test)
                    })
                    .collect(),
            ),
        );
        when(needed)
            .then(text_column(self.schema, column))
            .otherwise(lit(""))
            .alias(alias)
    }

    /// A column as text (`""` when null or missing).
    pub(crate) fn text(&self, column: &str) -> Expr {
        if self.schema.get(column).is_some() {
            self.note_key(column, None);
        }
        text_column(self.schema, column)
    }

    /// A column as a number to add up (0 when null or missing).
    pub(crate) fn number(&self, column: &str) -> Expr {
        if self.schema.get(column).is_some() {
            let mut sums = self.sums.borrow_mut();
            if !sums.iter().any(|c| c == column) {
                sums.push(column.to_string());
            }
        }
        number_column(self.schema, column)
    }

    /// The lines to run the query on: a Parquet export rolled up by what was read, else (CSV,
    /// or a Parquet file the rollup does not read) the file as it is.
    pub(crate) fn lines(&self, path: &Path) -> PolarsResult<LazyFrame> {
        if is_parquet(path) {
            let keys = self.keys.borrow();
            let sums: Vec<String> = self
                .sums
                .borrow()
                .iter()
                .filter(|c| !keys.iter().any(|k| &k.column == *c))
                .cloned()
                .collect();
            match super::parquet_rollup::rollup(path, &keys, &sums) {
                Ok(frame) => return Ok(frame.lazy()),
                Err(NotRead::Invalid(reason)) => {
                    return Err(PolarsError::ComputeError(
                        format!("not valid Parquet: {reason}").into(),
                    ));
                }
                Err(NotRead::Unsupported(_)) => {}
            }
        }
        scan(path)
    }
}

/// Runs a query on polars' streaming engine: the file is read and aggregated chunk by chunk,
/// so memory follows the number of groups, not of lines.
pub(crate) fn collect_streaming(lf: LazyFrame) -> PolarsResult<DataFrame> {
    lf.collect_with_engine(Engine::Streaming)
        .map(|r| r.unwrap_single())
}

/// A column as text (`""` when null or missing).
pub(crate) fn text_column(schema: &Schema, column: &str) -> Expr {
    if schema.get(column).is_some() {
        col(column).cast(DataType::String).fill_null(lit(""))
    } else {
        lit("")
    }
}

/// A column as a number (0 when null or missing).
pub(crate) fn number_column(schema: &Schema, column: &str) -> Expr {
    if schema.get(column).is_some() {
        col(column)
            .strict_cast(DataType::Float64)
            .fill_null(lit(0.0))
    } else {
        lit(0.0)
    }
}

/// `paths` in order, shown while they are read as one progress step of files (a file is
/// counted when the next one is begun; the step ends with the last). Polars reads a file
/// whole, so a single large file shows as time passing, not as a share done.
pub(crate) fn scanning(paths: &[PathBuf]) -> impl Iterator<Item = &PathBuf> {
    let step = crate::progress::begin(
        "reading billing exports",
        Some(paths.len() as u64),
        crate::progress::Unit::Files,
    );
    paths.iter().enumerate().map(move |(i, path)| {
        step.advance(u64::from(i > 0));
        path
    })
}

/// Reads billing export files into monthly actuals.
pub fn read(
    paths: &[PathBuf],
    forced: Option<ExportFormat>,
    source: &str,
) -> Result<MonthlyActuals, ActualsError> {
    let mut out = MonthlyActuals::new(source);
    let sku_map = embedded_skus();
    for path in scanning(paths) {
        let name = path.display().to_string();
        let groups = line_groups(path, forced)?;
        push_groups(
            &groups.frame,
            groups.format,
            &name,
            groups.has_usage_types,
            &sku_map,
            &|| first_not_finite(path),
            &mut out,
        )?;
    }
    Ok(out)
}

/// An export file's lines grouped in the normalized schema (see [`super`]), before they
/// become rows.
#[derive(Debug, Clone)]
pub struct LineGroups {
    /// The groups: the normalized schema's text columns and the sums `quantity`, `cost`,
    /// `commitment` and `negotiated`.
    pub frame: DataFrame,
    /// The file's format.
    pub format: ExportFormat,
    /// Whether the file has usage types (FOCUS without `x_UsageType` has not).
    pub has_usage_types: bool,
}

/// Groups an export file's lines in the normalized schema, as an Athena query over the same
/// lines does ([`super::athena::actuals_sql`]).
pub fn line_groups(path: &Path, forced: Option<ExportFormat>) -> Result<LineGroups, ActualsError> {
    let name = path.display().to_string();
    check_csv_text(path)?;
    let lf = scan(path).map_err(polars_error(&name, "unreadable"))?;
    let schema = lf
        .clone()
        .collect_schema()
        .map_err(polars_error(&name, "unreadable"))?;
    let columns: Vec<String> = schema.iter_names().map(|c| c.to_string()).collect();
    let format = match forced {
        Some(f) => f,
        None => detect(&columns, &name)?,
    };
    format.check_required(&name, |c| columns.iter().any(|x| x == c))?;
    let reads = Reads::new(&schema);
    let text = |column: &str| reads.text(column);
    let number = |column: &str| reads.number(column);
    // CUR usage lines, and their list (public on-demand) cost, the unblended cost where the
    // export has no public cost.
    let line_type = || text("line_item_line_item_type");
    let cur_usage = line_type()
        .eq(lit("Usage"))
        .or(line_type().eq(lit("DiscountedUsage")))
        .or(line_type().eq(lit("SavingsPlanCoveredUsage")));
    let cur_list = cur_list_cost(&reads);
    // Keys are grouped as stored (a timestamp, a dictionary of strings, a tag map), and only
    // the groups, far fewer than the lines, are converted to text afterwards.
    let raw = |c: &str, alias: &str| reads.key(true, c, alias);
    let (keys, values) = match format {
        ExportFormat::Cur2 => (
            vec![
                raw("bill_billing_period_start_date", "billing_period"),
                raw("product_servicecode", "service_code"),
                // The product code stands in for a missing service code only.
                reads.key_where(
                    "line_item_product_code",
                    "service_alt",
                    &[("product_servicecode", "")],
                ),
                lit("").alias("service_name"),
                raw("line_item_usage_type", "usage_type"),
                raw("line_item_line_item_type", "charge_type"),
                lit("").alias("status"),
                raw("line_item_currency_code", "currency"),
                raw("resource_tags", "tags"),
                lit("").alias("description"),
                lit("").alias("pricing_unit"),
                lit("").alias("region"),
                lit("AWS").alias("provider"),
                lit("").alias("sku"),
            ],
            vec![
                number("line_item_usage_amount").alias("quantity"),
                // Usage is compared at list (public on-demand) cost. RI-covered usage is
                // billed at 0 unblended: the difference is commitment; on other usage lines
                // the unblended cost is at the account's negotiated rate: the difference is
                // a negotiated discount.
                when(cur_usage.clone())
                    .then(cur_list.clone())
                    .otherwise(number("line_item_unblended_cost"))
                    .alias("cost"),
                when(text("line_item_line_item_type").eq(lit("DiscountedUsage")))
                    .then(number("line_item_unblended_cost") - cur_list.clone())
                    .otherwise(lit(0.0))
                    .alias("commitment"),
                when(cur_usage.and(text("line_item_line_item_type").neq(lit("DiscountedUsage"))))
                    .then(number("line_item_unblended_cost") - cur_list)
                    .otherwise(lit(0.0))
                    .alias("negotiated"),
            ],
        ),
        ExportFormat::Focus => {
            // Usage is compared at list cost (ListCost; BilledCost where ListCost is empty).
            // A negotiated rate (ContractedCost, or BilledCost of uncommitted usage) below
            // list is a negotiated discount; usage a commitment covered is billed at 0 and
            // the contracted cost is the commitment's. Unused commitment is its own charge.
            let unused = text("CommitmentDiscountStatus").eq(lit("Unused"));
            let usage = text("ChargeCategory")
                .eq(lit("Usage"))
                .and(unused.clone().not());
            let committed = text("CommitmentDiscountCategory")
                .neq(lit(""))
                .and(usage.clone());
            let list = when(
                number("ListCost")
                    .gt(lit(0.0))
                    .or(number("BilledCost").eq(lit(0.0))),
            )
            .then(number("ListCost"))
            .otherwise(number("BilledCost"));
            let contracted = when(number("ContractedCost").gt(lit(0.0)))
                .then(number("ContractedCost"))
                .when(committed.clone())
                .then(list.clone())
                .otherwise(number("BilledCost"));
            (
                vec![
                    raw("BillingPeriodStart", "billing_period"),
                    raw("x_ServiceCode", "service_code"),
                    lit("").alias("service_alt"),
                    // The name stands in for a missing x_ServiceCode and tells Support
                    // from other purchases; elsewhere it is not read.
                    reads.key_where(
                        "ServiceName",
                        "service_name",
                        &[("x_ServiceCode", ""), ("ChargeCategory", "Purchase")],
                    ),
                    raw("x_UsageType", "usage_type"),
                    raw("ChargeCategory", "charge_type"),
                    raw("CommitmentDiscountStatus", "status"),
                    raw("BillingCurrency", "currency"),
                    raw("Tags", "tags"),
                    raw("ChargeDescription", "description"),
                    raw("PricingUnit", "pricing_unit"),
                    raw("RegionId", "region"),
                    raw("ProviderName", "provider"),
                    raw("SkuId", "sku"),
                ],
                vec![
                    number("PricingQuantity").alias("quantity"),
                    when(usage.clone())
                        .then(list.clone())
                        .otherwise(number("BilledCost"))
                        .alias("cost"),
                    when(committed)
                        .then(number("BilledCost") - contracted.clone())
                        .otherwise(lit(0.0))
                        .alias("commitment"),
                    when(usage)
                        .then(contracted - list)
                        .otherwise(lit(0.0))
                        .alias("negotiated"),
                ],
            )
        }
    };
    let key_names = [
        "billing_period",
        "service_code",
        "service_alt",
        "service_name",
        "usage_type",
        "charge_type",
        "status",
        "currency",
        "tags",
        "description",
        "pricing_unit",
        "region",
        "provider",
        "sku",
    ];
    let mut selected = keys;
    selected.extend(values);
    let lf = reads
        .lines(path)
        .map_err(polars_error(&name, "unreadable"))?;
    let groups = collect_streaming(
        lf.select(selected)
            .group_by(key_names.iter().map(|k| col(*k)).collect::<Vec<_>>())
            .agg([
                col("quantity").sum(),
                col("cost").sum(),
                col("commitment").sum(),
                col("negotiated").sum(),
            ]),
    )
    .map_err(polars_error(&name, format.name()))?;
    let gschema = groups.schema().clone();
    let gtext = |c: &str| text_column(&gschema, c);
    let mut converted: Vec<Expr> = key_names
        .iter()
        .filter(|k| {
            !matches!(
                **k,
                "billing_period" | "service_code" | "service_alt" | "tags"
            )
        })
        .map(|k| gtext(k).alias(*k))
        .collect();
    converted.extend([
        gtext("billing_period")
            .str()
            .slice(lit(0), lit(7))
            .alias("billing_period"),
        when(gtext("service_code").neq(lit("")))
            .then(gtext("service_code"))
            .otherwise(gtext("service_alt"))
            .alias("service_code"),
        tags_column(&gschema, "tags").alias("tags"),
        col("quantity"),
        col("cost"),
        col("commitment"),
        col("negotiated"),
    ]);
    let summed = groups
        .lazy()
        .select(converted)
        .collect()
        .map_err(polars_error(&name, format.name()))?;
    let has_usage_types =
        format == ExportFormat::Cur2 || columns.iter().any(|c| c == "x_UsageType");
    Ok(LineGroups {
        frame: summed,
        format,
        has_usage_types,
    })
}

/// The error for a line whose amount or quantity is not a finite number (NaN, infinite):
/// `what` says which; `at` the file's row and column when known.
pub(crate) fn not_finite(
    name: &str,
    format: ExportFormat,
    what: &str,
    at: Option<String>,
) -> ActualsError {
    ActualsError::Format {
        origin: match at {
            Some(at) => format!("{name}: {at}"),
            None => name.to_string(),
        },
        format: format.name().into(),
        message: format!(
            "{what} is not a finite number (NaN or infinite); expected amounts and quantities to be numbers"
        ),
    }
}

/// The first data row (1-based, after the header) and column of a file holding a number that
/// is NaN or infinite.
pub(crate) fn first_not_finite(path: &Path) -> Option<String> {
    let schema = scan(path).ok()?.collect_schema().ok()?;
    let floats: Vec<String> = schema
        .iter()
        .filter(|(_, t)| t.is_float())
        .map(|(n, _)| n.to_string())
        .collect();
    for column in floats {
        let found = scan(path)
            .ok()?
            .with_row_index("row", Some(1))
            .filter(col(column.as_str()).is_finite().not())
            .select([col("row")])
            .limit(1)
            .collect()
            .ok()?;
        if let Some(row) = found.column("row").ok()?.get(0).ok()?.extract::<u64>() {
            return Some(format!("row {row}, column {column}"));
        }
    }
    None
}

/// Adds one source's line groups, in the normalized schema (see [`super`]), to `out` as
/// actual rows: the service code from the name where the line has none, the charge category,
/// a FOCUS usage type derived where the export has no `x_UsageType` (`has_usage_types`), the
/// negotiated and commitment parts as rows of their own; other providers' lines are left out
/// and said in a note.
pub(crate) fn push_groups(
    summed: &DataFrame,
    format: ExportFormat,
    name: &str,
    has_usage_types: bool,
    sku_map: &BTreeMap<String, PriceKey>,
    locate_number: &dyn Fn() -> Option<String>,
    out: &mut MonthlyActuals,
) -> Result<(), ActualsError> {
    let mut unmapped_descriptions = 0usize;
    let s = |c: &str| {
        summed
            .column(c)
            .and_then(|c| c.str().cloned())
            .map_err(polars_error(name, format.name()))
    };
    let f = |c: &str| {
        summed
            .column(c)
            .and_then(|c| c.f64().cloned())
            .map_err(polars_error(name, format.name()))
    };
    let (periods, codes, service_names, usage_types, charge_types, currencies, tags) = (
        s("billing_period")?,
        s("service_code")?,
        s("service_name")?,
        s("usage_type")?,
        s("charge_type")?,
        s("currency")?,
        s("tags")?,
    );
    let (descriptions, regions) = (s("description")?, s("region")?);
    let (providers, skus) = (s("provider")?, s("sku")?);
    let mut derived = Derived::default();
    let (quantities, costs, commitments) = (f("quantity")?, f("cost")?, f("commitment")?);
    let (negotiations, statuses) = (f("negotiated")?, s("status")?);
    for i in 0..summed.height() {
        let get = |ca: &StringChunked| ca.get(i).unwrap_or("").to_string();
        for (what, values) in [
            ("quantity", &quantities),
            ("cost", &costs),
            ("commitment", &commitments),
            ("negotiated discount", &negotiations),
        ] {
            if values.get(i).is_some_and(|v| !v.is_finite()) {
                return Err(not_finite(
                    name,
                    format,
                    &format!(
                        "the {what} of a line of {} {} ({})",
                        get(&codes),
                        get(&usage_types),
                        get(&periods)
                    ),
                    locate_number(),
                ));
            }
        }
        let month = get(&periods);
        if month.is_empty() {
            return Err(ActualsError::Format {
                origin: name.to_string(),
                format: format.name().into(),
                message: format!(
                    "lines without a billing period ({} USD of {} {}); expected every line to have one",
                    costs.get(i).unwrap_or(0.0),
                    get(&codes),
                    get(&usage_types)
                ),
            });
        }
        let provider = get(&providers);
        if !is_aws(&provider) {
            let other = derived.other_providers.entry(provider).or_default();
            other.0 += 1;
            other.1 += costs.get(i).unwrap_or(0.0);
            continue;
        }
        let service_name = get(&service_names);
        let mut code = get(&codes);
        if code.is_empty() {
            code = code_of_name(&service_name);
        }
        let category = match format {
            _ if get(&statuses) == "Unused" => ChargeCategory::UnusedCommitment,
            ExportFormat::Cur2 => cur_category(&get(&charge_types), &code),
            ExportFormat::Focus => focus_category(&get(&charge_types), &service_name),
        };
        let mut usage_type = get(&usage_types);
        if usage_type.is_empty() && format == ExportFormat::Focus {
            let cost = costs.get(i).unwrap_or(0.0);
            let found = derive_usage_type(
                sku_map,
                &get(&skus),
                &code,
                &get(&descriptions),
                &get(&regions),
            );
            if category == ChargeCategory::Usage {
                derived.usage_usd += cost;
            }
            usage_type = match found {
                Some((u, from_sku)) => {
                    if from_sku {
                        derived.from_sku += 1;
                    } else {
                        derived.from_description += 1;
                    }
                    if category == ChargeCategory::Usage {
                        derived.mapped_usd += cost;
                    }
                    u
                }
                None => {
                    unmapped_descriptions += 1;
                    format!("(unmapped) {}", get(&descriptions))
                }
            };
        }
        let code = service_for_usage_type(code, &usage_type);
        out.currencies.insert(get(&currencies));
        let row_tags = parse_tags(&get(&tags));
        let (quantity, cost_usd, commitment) = (
            quantities.get(i).unwrap_or(0.0),
            costs.get(i).unwrap_or(0.0),
            commitments.get(i).unwrap_or(0.0),
        );
        let negotiated = negotiations.get(i).unwrap_or(0.0);
        if negotiated != 0.0 {
            out.push(
                &month,
                ActualRow {
                    service_code: code.clone(),
                    usage_type: usage_type.clone(),
                    category: ChargeCategory::NegotiatedDiscount,
                    quantity: 0.0,
                    cost_usd: negotiated,
                    tags: BTreeMap::new(),
                },
            );
        }
        if commitment != 0.0 {
            out.push(
                &month,
                ActualRow {
                    service_code: code.clone(),
                    usage_type: usage_type.clone(),
                    category: ChargeCategory::Commitment,
                    quantity: 0.0,
                    cost_usd: commitment,
                    tags: BTreeMap::new(),
                },
            );
        }
        out.push(
            &month,
            ActualRow {
                service_code: code,
                usage_type,
                category,
                quantity,
                cost_usd,
                tags: row_tags,
            },
        );
    }
    if format == ExportFormat::Focus && !has_usage_types {
        out.notes.push(format!(
            "{name}: FOCUS without x_UsageType (not an AWS export?): usage types derived from SkuId (the price book's SKUs) for {} line group(s) and from ChargeDescription and RegionId for {}; {} of {} USD of usage ({:.1}%) maps to a usage type; {unmapped_descriptions} line group(s) could not be mapped and show as unmapped spend",
            derived.from_sku,
            derived.from_description,
            text::usd(derived.mapped_usd),
            text::usd(derived.usage_usd),
            derived.mapped_percent()
        ));
    }
    if !derived.other_providers.is_empty() {
        let others: Vec<String> = derived
            .other_providers
            .iter()
            .map(|(p, (n, usd))| format!("{p} ({n} line group(s), {} USD)", text::usd(*usd)))
            .collect();
        out.notes.push(format!(
            "{name}: lines of other providers left out (archcost reconciles AWS): {}",
            others.join(", ")
        ));
    }
    out.format = format.name().to_string();
    Ok(())
}

/// What was derived for FOCUS lines without `x_UsageType`, for the note.
#[derive(Default)]
struct Derived {
    from_sku: usize,
    from_description: usize,
    usage_usd: f64,
    mapped_usd: f64,
    other_providers: BTreeMap<String, (usize, f64)>,
}

impl Derived {
    fn mapped_percent(&self) -> f64 {
        if self.usage_usd == 0.0 {
            100.0
        } else {
            self.mapped_usd / self.usage_usd * 100.0
        }
    }
}

/// Whether a FOCUS `ProviderName` is AWS (empty when the column is missing).
pub(crate) fn is_aws(provider: &str) -> bool {
    matches!(
        provider,
        "" | "AWS" | "Amazon Web Services" | "Amazon Web Services, Inc."
    )
}

/// The usage type of a FOCUS line without `x_UsageType`, and whether it came from the SKU:
/// the price book's own SKUs first, then the charge description, as each service reads it.
pub fn derive_usage_type(
    sku_map: &BTreeMap<String, PriceKey>,
    sku: &str,
    service_code: &str,
    description: &str,
    region: &str,
) -> Option<(String, bool)> {
    if let Some(key) = sku_map.get(sku) {
        return Some((key.usage_type.clone(), true));
    }
    usage_type_from_description(service_code, description, region).map(|u| (u, false))
}

/// The usage type of an AWS charge description: each service says which of its usage types a
/// description names; then data transfer and public IPv4 addresses; then a description that
/// names its usage type (`… per GB-Mo for EBS:SnapshotUsage in Africa (Cape Town)`).
fn usage_type_from_description(
    service_code: &str,
    description: &str,
    region: &str,
) -> Option<String> {
    let region: Region = region.parse().ok()?;
    let d = description.to_ascii_lowercase();
    if service_code == ServiceCode::AmazonCloudFront.code() {
        return cloudfront::usage_type_for_description(&d, region);
    }
    ComponentKind::usage_type_for_description(description, region)
        .or_else(|| data_transfer::usage_type_for_description(&d, region))
        .or_else(|| public_ipv4::usage_type_for_description(&d, region))
        .or_else(|| named_usage_type(description, region))
}

/// A usage type the description spells out: `… for <usage type> in <location>` (the Price
/// List's generated descriptions). A bare name takes the region's prefix (outside us-east-1).
fn named_usage_type(description: &str, region: Region) -> Option<String> {
    let (_, rest) = description.split_once(" for ")?;
    let name = rest.split_whitespace().next()?;
    let named = name.contains(['-', ':']) && rest.contains(" in ");
    if !named {
        return None;
    }
    let prefixed = name
        .split_once('-')
        .is_some_and(|(p, _)| Region::ALL.iter().any(|r| r.billing_prefix() == p));
    if prefixed || region == Region::UsEast1 {
        Some(name.to_string())
    } else {
        Some(format!("{}-{name}", region.billing_prefix()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_names() {
        assert!(glob_match("*.parquet", "part-0001.parquet"));
        assert!(glob_match("part-000?.csv.gz", "part-0001.csv.gz"));
        assert!(!glob_match("*.parquet", "part.csv"));
    }

    #[test]
    fn descriptions_map_to_usage_types() {
        let map =
            |service: &str, d: &str, region: &str| usage_type_from_description(service, d, region);
        assert_eq!(
            map(
                "AWSELB",
                "$0.008 per used Application load balancer capacity unit-hour (or partial hour)",
                "us-west-2"
            )
            .as_deref(),
            Some("USW2-LCUUsage")
        );
        assert_eq!(
            map(
                "AWSELB",
                "$0.006 per used Network load balancer capacity unit-hour (or partial hour)",
                "us-west-2"
            ),
            None
        );
        assert_eq!(
            map(
                "AmazonEC2",
                "$0.096 per On Demand Linux m5.large Instance Hour",
                "us-east-1"
            )
            .as_deref(),
            Some("BoxUsage:m5.large")
        );
        assert_eq!(
            map(
                "AWSQueueService",
                "$0.40 per million Amazon SQS requests",
                "us-west-2"
            )
            .as_deref(),
            Some("USW2-Requests-Tier1")
        );
        // The same words are EC2's internet egress or a CloudFront edge's, by service.
        let out = "$0.085 per GB - next 40 TB / month data transfer out";
        assert_eq!(
            map("AmazonEC2", out, "us-west-2").as_deref(),
            Some("USW2-DataTransfer-Out-Bytes")
        );
        assert_eq!(
            map("AmazonCloudFront", out, "us-east-1").as_deref(),
            Some("US-DataTransfer-Out-Bytes")
        );
        assert_eq!(
            map(
                "AmazonECR",
                "USD 0.1 per GB-Mo for TimedStorage-ByteHrs in EU (Stockholm)",
                "eu-north-1"
            )
            .as_deref(),
            Some("EUN1-TimedStorage-ByteHrs")
        );
        assert_eq!(
            map(
                "AmazonS3",
                "$0.05 per GB-month of Amazon Glacier storage",
                "us-east-1"
            ),
            None
        );
    }
}
