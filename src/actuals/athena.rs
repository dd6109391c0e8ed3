//! Bills in Amazon Athena: the CUR 2.0 or FOCUS table an AWS Data Exports delivery (or a Glue
//! crawler) keeps over the export's Parquet files, queried where it lies. Athena does the
//! grouping a local read does with polars, and only the groups come back; they are turned
//! into rows by the same code as a file's (`export::push_groups`,
//! `tagged::push_lines`), so nothing after the reader can tell the engines apart.
//!
//! # The queries, in the order they run
//!
//! 1. **The table's columns**, from `information_schema.columns` (names lower-cased, as Glue
//!    keeps them): the format is detected from them as from a file's header, a table missing
//!    a required column is refused naming it, and a `billing_period` column (the partition
//!    Data Exports writes, `YYYY-MM`) is found.
//! 2. **The latest month**, only when a command that needs one month (`reconcile`, `report`)
//!    is given none: `SELECT max(…)` of the billing period.
//! 3. **The groups**: one `SELECT … GROUP BY` in the normalized schema of
//!    [`super`] (for `reconcile` and `report`, [`actuals_sql`]) or of the tag analysis (for
//!    `tags`, `spend` and the review's tag coverage, [`tagged_sql`]), with the same sums under
//!    the same conditions as the local reader. A month asked for is a `WHERE` on the
//!    `billing_period` partition, so Athena reads only that month's files (on a table without
//!    the partition, the same test on the billing period start).
//!
//! Text is read as `coalesce(CAST(c AS varchar), '')` and numbers as
//! `coalesce(CAST(c AS double), 0)`, as the local reader fills nulls; a column the table lacks
//! reads as `''` or `0`. A map of tags (`resource_tags`, FOCUS `Tags`) is joined into sorted
//! `key␝value` pairs separated by `␟`, the text a Parquet map becomes locally.
//!
//! Every name and value that comes from the user (catalog, database, table, month) is quoted:
//! identifiers in double quotes with `"` doubled, literals in single quotes with `'` doubled,
//! so none can end its quote and add SQL.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::export::{self, ExportFormat};
use super::tagged::{CostBasis, Fields, TaggedBill};
use super::{ActualsError, MonthlyActuals};
use crate::aws::AwsOptions;
use crate::aws::athena::Answer;

/// The prefix of an Athena source: `athena:DATABASE.TABLE`.
pub const PREFIX: &str = "athena:";

/// An Athena table holding a billing export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AthenaTable {
    /// The data catalog (`AwsDataCatalog` when not set).
    pub catalog: Option<String>,
    /// The database (Glue database) holding the table.
    pub database: String,
    /// The table.
    pub table: String,
}

impl AthenaTable {
    /// The table of a source `athena:DATABASE.TABLE`, in `catalog` when given.
    pub fn parse(source: &str, catalog: Option<&str>) -> Result<AthenaTable, ActualsError> {
        let named = source
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split_once('.'))
            .filter(|(d, t)| !d.is_empty() && !t.is_empty());
        match named {
            Some((database, table)) => Ok(AthenaTable {
                catalog: catalog.map(str::to_string),
                database: database.to_string(),
                table: table.to_string(),
            }),
            None => Err(ActualsError::Spec(format!(
                "`{source}`: expected athena:DATABASE.TABLE (or --engine athena --database D --table T)"
            ))),
        }
    }

    /// `athena:database.table`, as reports name the source.
    pub fn name(&self) -> String {
        format!("athena:{}.{}", self.database, self.table)
    }

    /// The table as SQL names it: `"catalog"."database"."table"`, each part quoted.
    pub fn sql_name(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = &self.catalog {
            parts.push(identifier(c));
        }
        parts.push(identifier(&self.database));
        parts.push(identifier(&self.table));
        parts.join(".")
    }
}

/// One query Athena ran for a command, and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryRun {
    /// What it was for (`columns`, `latest month`, `groups`).
    pub purpose: String,
    /// Athena's query execution id.
    pub query_id: String,
    /// The bytes it scanned.
    pub bytes_scanned: u64,
    /// The bytes Athena bills: the bytes scanned rounded up to the MiB, at least 10 MiB.
    pub billed_bytes: u64,
    /// Its price: USD per TB (TiB) scanned and the price's source, or why it is unpriced.
    pub price: Result<(f64, String), String>,
}

/// A MiB, the unit Athena rounds bytes scanned up to.
const MIB: u64 = 1 << 20;
/// The least Athena bills a query: 10 MB (MiB).
const LEAST_BILLED: u64 = 10 * MIB;
/// A TB (TiB), the unit of Athena's price.
const TIB: f64 = (1u64 << 40) as f64;

/// The bytes Athena bills for a query that scanned `bytes`: rounded up to the MiB, at least
/// 10 MiB.
pub fn billed_bytes(bytes: u64) -> u64 {
    bytes.div_ceil(MIB).saturating_mul(MIB).max(LEAST_BILLED)
}

/// Athena's price per TB scanned in `region` (as the SDK resolved it), from the embedded
/// price book; an error saying why when there is none.
fn scan_price(region: Option<&str>) -> Result<(f64, String), String> {
    use crate::engine::price_book::PriceBook;
    use crate::vocabulary::units::{PriceKey, Region, ServiceCode};
    let code = region.ok_or("the region the queries ran in is not known")?;
    let region: Region = code
        .parse()
        .map_err(|_| format!("no price book for region {code}"))?;
    let book = PriceBook::embedded(region).map_err(|e| e.to_string())?;
    let key = PriceKey {
        service_code: ServiceCode::AmazonAthena,
        usage_type: format!("{}-DataScannedInTB", region.billing_prefix()),
        operation: None,
    };
    let price = book
        .get(&key)
        .ok_or_else(|| format!("{} has no price for {key}", book.label()))?;
    let rate = price.tiers.first().map_or(0.0, |t| t.usd_per_unit);
    Ok((
        rate,
        format!(
            "{}, {} {}, {}",
            key.usage_type,
            price.basis.key(),
            price.effective_date,
            book.label()
        ),
    ))
}

/// What Athena did for a command, for its report: `""` when it did nothing, else the engine,
/// each query's id and purpose, and the bytes scanned.
fn account(queries: &[QueryRun]) -> String {
    if queries.is_empty() {
        return String::new();
    }
    let ids: Vec<String> = queries
        .iter()
        .map(|q| format!("{} ({})", q.query_id, q.purpose))
        .collect();
    let bytes: u64 = queries.iter().map(|q| q.bytes_scanned).sum();
    let billed: u64 = queries.iter().map(|q| q.billed_bytes).sum();
    let cost = match queries
        .iter()
        .map(|q| q.price.clone())
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(prices) => {
            let usd: f64 = queries
                .iter()
                .zip(&prices)
                .map(|(q, (rate, _))| q.billed_bytes as f64 / TIB * rate)
                .sum();
            let (rate, source) = &prices[0];
            format!("{usd:.6} USD at {rate} USD per TB ({source})")
        }
        Err(reason) => format!("unpriced: {reason}"),
    };
    format!(
        "answered by Amazon Athena: queries {}; {bytes} bytes scanned, {} MiB billed (10 MiB at least a query): {cost}",
        ids.join(", "),
        billed / MIB
    )
}

/// A source as reports name it: where, the format, and what Athena did when it answered.
pub fn described(source: &str, format: &str, queries: &[QueryRun]) -> String {
    match account(queries).as_str() {
        "" => format!("{source} ({format})"),
        athena => format!("{source} ({format}; {athena})"),
    }
}

/// A SQL identifier in double quotes, any `"` in it doubled.
pub fn identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A SQL string literal in single quotes, any `'` in it doubled.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The partition column AWS Data Exports writes for CUR 2.0 and FOCUS tables (`YYYY-MM`).
const PARTITION: &str = "billing_period";

/// Every column archcost reads from an export, in its canonical spelling; a table's columns
/// are matched to these ignoring case (Glue lower-cases names).
const KNOWN: &[&str] = &[
    "bill_billing_period_start_date",
    "product_servicecode",
    "line_item_product_code",
    "line_item_usage_type",
    "line_item_line_item_type",
    "line_item_currency_code",
    "line_item_usage_amount",
    "line_item_unblended_cost",
    "line_item_usage_account_id",
    "line_item_resource_id",
    "product_region_code",
    "pricing_public_on_demand_cost",
    "savings_plan_savings_plan_effective_cost",
    "reservation_effective_cost",
    "resource_tags",
    "BillingPeriodStart",
    "x_ServiceCode",
    "ServiceName",
    "x_UsageType",
    "ChargeCategory",
    "CommitmentDiscountStatus",
    "CommitmentDiscountCategory",
    "BillingCurrency",
    "Tags",
    "ChargeDescription",
    "PricingUnit",
    "RegionId",
    "ProviderName",
    "SkuId",
    "SubAccountId",
    "ResourceId",
    "PricingQuantity",
    "BilledCost",
    "EffectiveCost",
    "ListCost",
    "ContractedCost",
    PARTITION,
];

/// A table's columns as archcost reads them: its format, and each known column's name and
/// type as the table has them.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The export format, detected from the columns.
    pub format: ExportFormat,
    /// Canonical name → (the table's name, its Athena type).
    columns: BTreeMap<&'static str, (String, String)>,
    /// The table, as SQL names it.
    table: String,
}

impl Layout {
    /// The layout of a table with these (name, type) columns: the format detected as for a
    /// file, and a table missing a required column refused with the columns named.
    pub fn new(table: &AthenaTable, columns: &[(String, String)]) -> Result<Layout, ActualsError> {
        let source = table.name();
        if columns.is_empty() {
            return Err(ActualsError::Spec(format!(
                "{source}: no such table (information_schema lists no columns for table `{}` in database `{}`{}); expected the table AWS Data Exports or a Glue crawler created",
                table.table,
                table.database,
                table
                    .catalog
                    .as_ref()
                    .map(|c| format!(" of catalog `{c}`"))
                    .unwrap_or_default()
            )));
        }
        let mut known = BTreeMap::new();
        for (name, kind) in columns {
            if let Some(canonical) = KNOWN.iter().find(|k| k.eq_ignore_ascii_case(name)) {
                known.insert(*canonical, (name.clone(), kind.to_ascii_lowercase()));
            }
        }
        let canonical: Vec<String> = known.keys().map(|k| k.to_string()).collect();
        let format = export::format_of(&canonical).ok_or_else(|| {
            let names: Vec<String> = columns.iter().map(|(n, _)| n.clone()).collect();
            export::unknown_format(&source, &names)
        })?;
        format.check_required(&source, |c| known.contains_key(c))?;
        Ok(Layout {
            format,
            columns: known,
            table: table.sql_name(),
        })
    }

    fn has(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }

    /// A column as text, `''` when null or missing.
    fn text(&self, column: &str) -> String {
        match self.columns.get(column) {
            Some((name, _)) => format!("coalesce(CAST({} AS varchar), '')", identifier(name)),
            None => "''".into(),
        }
    }

    /// A column as a number, 0 when null or missing.
    fn number(&self, column: &str) -> String {
        match self.columns.get(column) {
            Some((name, _)) => format!("coalesce(CAST({} AS double), 0)", identifier(name)),
            None => "0".into(),
        }
    }

    /// A tags column as text: a map joined into sorted `key␝value` pairs separated by `␟`, a
    /// JSON string as it is, `''` when missing.
    fn tags(&self, column: &str) -> String {
        match self.columns.get(column) {
            Some((name, kind)) if kind.starts_with("map") => {
                let c = identifier(name);
                format!(
                    "coalesce(array_join(array_sort(zip_with(map_keys({c}), map_values({c}), (k, v) -> k || chr({}) || coalesce(v, ''))), chr({})), '')",
                    u32::from(export::KEY_SEPARATOR),
                    u32::from(export::PAIR_SEPARATOR)
                )
            }
            Some(_) => self.text(column),
            None => "''".into(),
        }
    }

    /// A CUR 2.0 line's list (public on-demand) cost: `pricing_public_on_demand_cost`, or the
    /// unblended cost where the export has no public cost (as `export::cur_list_cost`).
    fn cur_list_cost(&self) -> String {
        format!(
            "CASE WHEN {public} > 0 THEN {public} ELSE {unblended} END",
            public = self.number("pricing_public_on_demand_cost"),
            unblended = self.number("line_item_unblended_cost")
        )
    }

    /// A CUR 2.0 line's service: its service code, else its product code.
    fn cur_service(&self) -> String {
        format!(
            "CASE WHEN {code} <> '' THEN {code} ELSE {product} END",
            code = self.text("product_servicecode"),
            product = self.text("line_item_product_code")
        )
    }

    /// The billing period's start column.
    fn period_column(&self) -> &'static str {
        match self.format {
            ExportFormat::Cur2 => "bill_billing_period_start_date",
            ExportFormat::Focus => "BillingPeriodStart",
        }
    }

    /// `YYYY-MM` of a line's billing period.
    fn month(&self) -> String {
        format!("substr({}, 1, 7)", self.text(self.period_column()))
    }

    /// The `WHERE` clause keeping `months` (none: every month): on the partition column when
    /// the table has it, so only those months' files are read.
    fn months_filter(&self, months: &[String]) -> String {
        if months.is_empty() {
            return String::new();
        }
        let listed: Vec<String> = months.iter().map(|m| literal(m)).collect();
        let on = match self.columns.get(PARTITION) {
            Some((name, _)) => identifier(name),
            None => self.month(),
        };
        format!("\nWHERE {on} IN ({})", listed.join(", "))
    }
}

/// The query for a table's columns (names and types), from `information_schema`.
pub fn columns_sql(table: &AthenaTable) -> String {
    let schema = match &table.catalog {
        Some(c) => format!("{}.information_schema.columns", identifier(c)),
        None => "information_schema.columns".into(),
    };
    format!(
        "SELECT column_name, data_type\nFROM {schema}\nWHERE table_schema = {} AND table_name = {}\nORDER BY ordinal_position",
        literal(&table.database.to_ascii_lowercase()),
        literal(&table.table.to_ascii_lowercase())
    )
}

/// The query for the latest billing month in the table.
pub fn latest_month_sql(layout: &Layout) -> String {
    let month = match layout.columns.get(PARTITION) {
        Some((name, _)) => identifier(name),
        None => layout.month(),
    };
    format!("SELECT max({month}) AS month\nFROM {}", layout.table)
}

/// The columns a query returns, then the SQL: `SELECT` of the named expressions, `GROUP BY`
/// every text one.
fn grouped(
    layout: &Layout,
    keys: &[(&str, String)],
    sums: &[(&str, String)],
    months: &[String],
) -> String {
    let mut select: Vec<String> = keys
        .iter()
        .map(|(alias, e)| format!("  {e} AS {alias}"))
        .collect();
    select.extend(
        sums.iter()
            .map(|(alias, e)| format!("  sum({e}) AS {alias}")),
    );
    let by: Vec<String> = (1..=keys.len()).map(|i| i.to_string()).collect();
    format!(
        "SELECT\n{}\nFROM {}{}\nGROUP BY {}",
        select.join(",\n"),
        layout.table,
        layout.months_filter(months),
        by.join(", ")
    )
}

/// The query for monthly actuals: the normalized schema of [`super`], with the sums the local
/// reader makes (usage at list cost, the commitment and negotiated parts apart).
pub fn actuals_sql(layout: &Layout, months: &[String]) -> String {
    let t = |c: &str| layout.text(c);
    let n = |c: &str| layout.number(c);
    let (keys, sums) = match layout.format {
        ExportFormat::Cur2 => {
            let line_type = t("line_item_line_item_type");
            let usage =
                format!("{line_type} IN ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage')");
            let list = layout.cur_list_cost();
            let unblended = n("line_item_unblended_cost");
            (
                vec![
                    ("billing_period", layout.month()),
                    ("service_code", layout.cur_service()),
                    ("service_name", "''".into()),
                    ("usage_type", t("line_item_usage_type")),
                    ("charge_type", line_type.clone()),
                    ("status", "''".into()),
                    ("currency", t("line_item_currency_code")),
                    ("tags", layout.tags("resource_tags")),
                    ("description", "''".into()),
                    ("pricing_unit", "''".into()),
                    ("region", "''".into()),
                    ("provider", "'AWS'".into()),
                    ("sku", "''".into()),
                ],
                vec![
                    ("quantity", n("line_item_usage_amount")),
                    (
                        "cost",
                        format!("CASE WHEN {usage} THEN {list} ELSE {unblended} END"),
                    ),
                    (
                        "commitment",
                        format!(
                            "CASE WHEN {line_type} = 'DiscountedUsage' THEN {unblended} - ({list}) ELSE 0 END"
                        ),
                    ),
                    (
                        "negotiated",
                        format!(
                            "CASE WHEN {usage} AND {line_type} <> 'DiscountedUsage' THEN {unblended} - ({list}) ELSE 0 END"
                        ),
                    ),
                ],
            )
        }
        ExportFormat::Focus => {
            let usage = format!(
                "{} = 'Usage' AND {} <> 'Unused'",
                t("ChargeCategory"),
                t("CommitmentDiscountStatus")
            );
            let committed = format!("{} <> '' AND {usage}", t("CommitmentDiscountCategory"));
            let (billed, list_cost) = (n("BilledCost"), n("ListCost"));
            let list = format!(
                "CASE WHEN {list_cost} > 0 OR {billed} = 0 THEN {list_cost} ELSE {billed} END"
            );
            let contracted = format!(
                "CASE WHEN {c} > 0 THEN {c} WHEN {committed} THEN {list} ELSE {billed} END",
                c = n("ContractedCost")
            );
            (
                vec![
                    ("billing_period", layout.month()),
                    ("service_code", t("x_ServiceCode")),
                    ("service_name", focus_service_name(layout)),
                    ("usage_type", t("x_UsageType")),
                    ("charge_type", t("ChargeCategory")),
                    ("status", t("CommitmentDiscountStatus")),
                    ("currency", t("BillingCurrency")),
                    ("tags", layout.tags("Tags")),
                    ("description", t("ChargeDescription")),
                    ("pricing_unit", t("PricingUnit")),
                    ("region", t("RegionId")),
                    ("provider", t("ProviderName")),
                    ("sku", t("SkuId")),
                ],
                vec![
                    ("quantity", n("PricingQuantity")),
                    (
                        "cost",
                        format!("CASE WHEN {usage} THEN {list} ELSE {billed} END"),
                    ),
                    (
                        "commitment",
                        format!("CASE WHEN {committed} THEN {billed} - ({contracted}) ELSE 0 END"),
                    ),
                    (
                        "negotiated",
                        format!("CASE WHEN {usage} THEN ({contracted}) - ({list}) ELSE 0 END"),
                    ),
                ],
            )
        }
    };
    grouped(layout, &keys, &sums, months)
}

/// FOCUS `ServiceName`, read only where it is needed (no `x_ServiceCode`, or a purchase), as
/// the local reader does.
fn focus_service_name(layout: &Layout) -> String {
    format!(
        "CASE WHEN {} = '' OR {} = 'Purchase' THEN {} ELSE '' END",
        layout.text("x_ServiceCode"),
        layout.text("ChargeCategory"),
        layout.text("ServiceName")
    )
}

/// The query for tag analysis and spend: lines grouped by month, service, account, usage type,
/// region, resource, charge and tags (the fields not asked for read as `''`), with the cost
/// chosen and the quantity summed.
pub fn tagged_sql(layout: &Layout, basis: CostBasis, fields: Fields, months: &[String]) -> String {
    let t = |c: &str| layout.text(c);
    let n = |c: &str| layout.number(c);
    let wanted = |yes: bool, e: String| if yes { e } else { "''".into() };
    let (keys, cost, quantity) = match layout.format {
        ExportFormat::Focus => {
            let service_name = focus_service_name(layout);
            (
                vec![
                    ("month", layout.month()),
                    (
                        "service",
                        format!(
                            "CASE WHEN {code} <> '' THEN {code} ELSE {service_name} END",
                            code = t("x_ServiceCode")
                        ),
                    ),
                    ("service_name", service_name),
                    ("account", wanted(fields.account, t("SubAccountId"))),
                    ("usage_type", t("x_UsageType")),
                    ("region", wanted(fields.region, t("RegionId"))),
                    ("resource", wanted(fields.resource, t("ResourceId"))),
                    ("charge", t("ChargeCategory")),
                    ("status", t("CommitmentDiscountStatus")),
                    ("provider", t("ProviderName")),
                    ("tags", wanted(fields.tags, layout.tags("Tags"))),
                ],
                n(match basis {
                    CostBasis::Billed => "BilledCost",
                    CostBasis::Effective => "EffectiveCost",
                    CostBasis::List => "ListCost",
                }),
                n("PricingQuantity"),
            )
        }
        ExportFormat::Cur2 => {
            let line_type = t("line_item_line_item_type");
            let unblended = n("line_item_unblended_cost");
            let cost = match basis {
                CostBasis::Billed => unblended,
                CostBasis::List => layout.cur_list_cost(),
                CostBasis::Effective => format!(
                    "CASE {line_type} WHEN 'SavingsPlanCoveredUsage' THEN {} WHEN 'DiscountedUsage' THEN {} WHEN 'SavingsPlanNegation' THEN 0 ELSE {unblended} END",
                    n("savings_plan_savings_plan_effective_cost"),
                    n("reservation_effective_cost")
                ),
            };
            (
                vec![
                    ("month", layout.month()),
                    ("service", layout.cur_service()),
                    ("service_name", "''".into()),
                    (
                        "account",
                        wanted(fields.account, t("line_item_usage_account_id")),
                    ),
                    ("usage_type", t("line_item_usage_type")),
                    ("region", wanted(fields.region, t("product_region_code"))),
                    (
                        "resource",
                        wanted(fields.resource, t("line_item_resource_id")),
                    ),
                    ("charge", line_type),
                    ("status", "''".into()),
                    ("provider", "'AWS'".into()),
                    ("tags", wanted(fields.tags, layout.tags("resource_tags"))),
                ],
                cost,
                n("line_item_usage_amount"),
            )
        }
    };
    grouped(
        layout,
        &keys,
        &[("cost", cost), ("quantity", quantity)],
        months,
    )
}

/// An answer's rows as a frame: `numbers` parsed as f64 (an error names a cell that is not a
/// number), every other column as text.
fn frame(answer: &Answer, numbers: &[&str], origin: &str) -> Result<DataFrame, ActualsError> {
    let mut columns = Vec::with_capacity(answer.columns.len());
    for (i, name) in answer.columns.iter().enumerate() {
        let cells = answer.rows.iter().map(|r| r[i].as_str());
        let column = if numbers.contains(&name.as_str()) {
            let values = cells
                .map(|c| {
                    c.parse::<f64>().map_err(|_| ActualsError::Format {
                        origin: origin.to_string(),
                        format: "Athena result".into(),
                        message: format!(
                            "query {}: `{c}` in column {name} is not a number",
                            answer.query_id
                        ),
                    })
                })
                .collect::<Result<Vec<f64>, _>>()?;
            Column::new(name.as_str().into(), values)
        } else {
            Column::new(name.as_str().into(), cells.collect::<Vec<&str>>())
        };
        columns.push(column);
    }
    DataFrame::new(answer.rows.len(), columns)
        .map_err(export::polars_error(origin, "Athena result"))
}

/// Runs one query; its answer, its run noted in `runs`.
fn ask(
    table: &AthenaTable,
    purpose: &str,
    sql: String,
    aws: &AwsOptions,
    runs: &mut Vec<QueryRun>,
) -> Result<Answer, ActualsError> {
    let answer = crate::aws::athena::run(&sql, &table.database, aws)?;
    runs.push(QueryRun {
        purpose: purpose.into(),
        query_id: answer.query_id.clone(),
        bytes_scanned: answer.bytes_scanned,
        billed_bytes: billed_bytes(answer.bytes_scanned),
        price: scan_price(answer.region.as_deref()),
    });
    Ok(answer)
}

/// The table's layout, from its columns.
fn describe(
    table: &AthenaTable,
    aws: &AwsOptions,
    runs: &mut Vec<QueryRun>,
) -> Result<Layout, ActualsError> {
    let answer = ask(table, "columns", columns_sql(table), aws, runs)?;
    let columns: Vec<(String, String)> = answer
        .rows
        .iter()
        .filter(|r| r.len() >= 2)
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    Layout::new(table, &columns)
}

/// Monthly actuals from the table, for `months` (none: the latest month in the table).
pub fn load_actuals(
    table: &AthenaTable,
    months: &[String],
    aws: &AwsOptions,
) -> Result<MonthlyActuals, ActualsError> {
    let mut runs = Vec::new();
    let layout = describe(table, aws, &mut runs)?;
    let months = if months.is_empty() {
        let answer = ask(
            table,
            "latest month",
            latest_month_sql(&layout),
            aws,
            &mut runs,
        )?;
        match answer.rows.first().and_then(|r| r.first()) {
            Some(m) if !m.is_empty() => vec![m.chars().take(7).collect()],
            _ => {
                return Err(ActualsError::EmptyMonth {
                    origin: table.name(),
                    month: "the latest month".into(),
                    available: "none".into(),
                });
            }
        }
    } else {
        months.to_vec()
    };
    let answer = ask(
        table,
        "groups",
        actuals_sql(&layout, &months),
        aws,
        &mut runs,
    )?;
    let name = table.name();
    let groups = frame(
        &answer,
        &["quantity", "cost", "commitment", "negotiated"],
        &name,
    )?;
    let mut out = MonthlyActuals::new(&name);
    export::push_groups(
        &groups,
        layout.format,
        &name,
        layout.has("x_UsageType"),
        &crate::engine::price_book::embedded_skus(),
        &|| None,
        &mut out,
    )?;
    out.format = layout.format.name().to_string();
    out.queries = runs;
    Ok(out)
}

/// A bill for tag analysis and spend from the table, for `months` (none: every month).
pub fn load_tagged(
    table: &AthenaTable,
    basis: CostBasis,
    fields: Fields,
    months: &[String],
    aws: &AwsOptions,
) -> Result<TaggedBill, ActualsError> {
    let mut runs = Vec::new();
    let layout = describe(table, aws, &mut runs)?;
    let answer = ask(
        table,
        "groups",
        tagged_sql(&layout, basis, fields, months),
        aws,
        &mut runs,
    )?;
    let name = table.name();
    let groups = frame(&answer, &["cost", "quantity"], &name)?;
    let mut lines = Vec::new();
    super::tagged::push_lines(
        &groups,
        layout.format,
        &name,
        &|_| None,
        &|| None,
        &mut lines,
    )?;
    Ok(TaggedBill {
        source: name,
        format: layout.format.name().to_string(),
        cost_columns: basis.columns(layout.format).to_string(),
        lines,
        queries: runs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn athena_bills_bytes_rounded_up_to_the_mib_and_at_least_10_mib() {
        assert_eq!(billed_bytes(0), 10 * MIB);
        assert_eq!(billed_bytes(7 * MIB), 10 * MIB);
        assert_eq!(billed_bytes(10 * MIB + 1), 11 * MIB);
        // 1 TiB scanned is billed as 1 TiB: 5 USD at 5 USD per TB.
        assert_eq!(billed_bytes(1 << 40), 1 << 40);
    }

    #[test]
    fn the_price_of_a_scan_comes_from_the_region_s_price_book_or_is_said_unpriced() {
        let (rate, source) = scan_price(Some("us-east-1")).unwrap();
        assert_eq!(rate, 5.0);
        assert!(source.starts_with("USE1-DataScannedInTB, published_rate 2020-10-15"));
        let e = scan_price(Some("us-west-2")).unwrap_err();
        assert!(
            e.contains("has no price for") && e.contains("USW2-DataScannedInTB"),
            "{e}"
        );
        assert!(scan_price(None).is_err());
    }
}
