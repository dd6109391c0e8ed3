//! Bill lines for tag analysis: CUR 2.0 and FOCUS exports (Parquet, CSV, CSV.gz; a file, a
//! folder, a glob, or `s3://`) grouped by month, service, account, resource, charge and tags,
//! at the cost the user chose. Only the columns needed are read.

use std::collections::BTreeMap;
use std::path::PathBuf;

use polars::prelude::*;

use super::ActualsError;
use super::export::{
    self, ExportFormat, KEY_SEPARATOR, PAIR_SEPARATOR, number_column, tags_column, text_column,
};
use super::names::{cur_category, focus_category, service_code as code_of_name};
use crate::analysis::reconcile::ChargeCategory;
use crate::analysis::tags::TaggedCost;
use crate::aws::AwsOptions;

/// Which cost tag coverage is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostBasis {
    /// What was invoiced: FOCUS `BilledCost`, CUR unblended cost.
    Billed,
    /// Amortized: FOCUS `EffectiveCost`; CUR the Savings Plan or reservation effective cost of
    /// covered usage, unblended cost otherwise, Savings Plan negations left out.
    Effective,
    /// Public on-demand: FOCUS `ListCost`; CUR `pricing_public_on_demand_cost`.
    List,
}

impl CostBasis {
    /// The word in reports.
    pub fn key(self) -> &'static str {
        match self {
            CostBasis::Billed => "billed",
            CostBasis::Effective => "effective",
            CostBasis::List => "list",
        }
    }

    /// The columns it reads, for the report.
    pub fn columns(self, format: ExportFormat) -> &'static str {
        match (self, format) {
            (CostBasis::Billed, ExportFormat::Focus) => "BilledCost",
            (CostBasis::Effective, ExportFormat::Focus) => "EffectiveCost",
            (CostBasis::List, ExportFormat::Focus) => "ListCost",
            (CostBasis::Billed, ExportFormat::Cur2) => "line_item_unblended_cost",
            (CostBasis::Effective, ExportFormat::Cur2) => {
                "savings_plan_savings_plan_effective_cost / reservation_effective_cost / line_item_unblended_cost"
            }
            (CostBasis::List, ExportFormat::Cur2) => "pricing_public_on_demand_cost",
        }
    }
}

/// A bill read for tag analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedBill {
    /// Where it came from.
    pub source: String,
    /// The format read (`FOCUS`, `CUR 2.0`).
    pub format: String,
    /// The cost columns read.
    pub cost_columns: String,
    /// The lines, grouped.
    pub lines: Vec<TaggedCost>,
}

impl TaggedBill {
    /// Keeps one month's lines; an error lists the months the bill has when it has none.
    pub fn retain_month(&mut self, month: &str) -> Result<(), ActualsError> {
        let available: std::collections::BTreeSet<String> =
            self.lines.iter().map(|l| l.month.clone()).collect();
        if !available.contains(month) {
            return Err(ActualsError::EmptyMonth {
                origin: self.source.clone(),
                month: month.to_string(),
                available: if available.is_empty() {
                    "none".into()
                } else {
                    available.into_iter().collect::<Vec<_>>().join(", ")
                },
            });
        }
        self.lines.retain(|l| l.month == month);
        Ok(())
    }
}

/// Reads a bill for tag analysis from export files, local or under an S3 prefix.
pub fn load_tagged(
    source: &str,
    basis: CostBasis,
    aws: &AwsOptions,
) -> Result<TaggedBill, ActualsError> {
    if source.starts_with("ce:") || source.to_ascii_lowercase().ends_with(".json") {
        return Err(ActualsError::Spec(format!(
            "{source}: tag coverage reads CUR 2.0 or FOCUS exports (a file, folder, glob or s3:// prefix); Cost Explorer sources are not supported yet"
        )));
    }
    if source.starts_with("s3://") {
        return super::with_s3_files(source, aws, |files| read(files, basis, source));
    }
    read(&export::files(source)?, basis, source)
}

/// Reads export files for tag analysis.
pub fn read(paths: &[PathBuf], basis: CostBasis, source: &str) -> Result<TaggedBill, ActualsError> {
    let mut lines = Vec::new();
    let mut format_seen = None;
    for path in paths {
        let name = path.display().to_string();
        let fail = |format: &str| {
            let name = name.clone();
            let format = format.to_string();
            move |e: PolarsError| ActualsError::Format {
                origin: name.clone(),
                format: format.clone(),
                message: e.to_string(),
            }
        };
        let lf = export::scan(path).map_err(fail("unreadable"))?;
        let schema = lf.clone().collect_schema().map_err(fail("unreadable"))?;
        let columns: Vec<String> = schema.iter_names().map(|c| c.to_string()).collect();
        let format = export::detect(&columns, &name)?;
        format_seen = Some(format);
        let tags_name = match format {
            ExportFormat::Focus => "Tags",
            ExportFormat::Cur2 => "resource_tags",
        };
        if let Some(t) = schema
            .get(tags_name)
            .filter(|t| !matches!(t, DataType::String | DataType::List(_) | DataType::Null))
        {
            return Err(ActualsError::Format {
                origin: name,
                format: format.name().into(),
                message: format!(
                    "the tags column `{tags_name}` holds {t}; expected a JSON object per line (CSV) or a map of strings (Parquet)"
                ),
            });
        }
        let text = |c: &str| text_column(&schema, c);
        let number = |c: &str| number_column(&schema, c);
        let period = |c: &str| col(c).cast(DataType::String).str().slice(lit(0), lit(7));
        let selected = match format {
            ExportFormat::Focus => lf.select([
                period("BillingPeriodStart").alias("month"),
                when(text("x_ServiceCode").neq(lit("")))
                    .then(text("x_ServiceCode"))
                    .otherwise(text("ServiceName"))
                    .alias("service"),
                text("ServiceName").alias("service_name"),
                text("SubAccountId").alias("account"),
                text("x_UsageType").alias("usage_type"),
                text("RegionId").alias("region"),
                number("PricingQuantity").alias("quantity"),
                text("ResourceId").alias("resource"),
                text("ChargeCategory").alias("charge"),
                text("CommitmentDiscountStatus").alias("status"),
                text("ProviderName").alias("provider"),
                number(match basis {
                    CostBasis::Billed => "BilledCost",
                    CostBasis::Effective => "EffectiveCost",
                    CostBasis::List => "ListCost",
                })
                .alias("cost"),
                tags_column(&schema, "Tags").alias("tags"),
            ]),
            ExportFormat::Cur2 => {
                let line_type = || text("line_item_line_item_type");
                let cost = match basis {
                    CostBasis::Billed => number("line_item_unblended_cost"),
                    CostBasis::List => when(number("pricing_public_on_demand_cost").gt(lit(0.0)))
                        .then(number("pricing_public_on_demand_cost"))
                        .otherwise(number("line_item_unblended_cost")),
                    CostBasis::Effective => when(line_type().eq(lit("SavingsPlanCoveredUsage")))
                        .then(number("savings_plan_savings_plan_effective_cost"))
                        .when(line_type().eq(lit("DiscountedUsage")))
                        .then(number("reservation_effective_cost"))
                        .when(line_type().eq(lit("SavingsPlanNegation")))
                        .then(lit(0.0))
                        .otherwise(number("line_item_unblended_cost")),
                };
                lf.select([
                    period("bill_billing_period_start_date").alias("month"),
                    when(text("product_servicecode").neq(lit("")))
                        .then(text("product_servicecode"))
                        .otherwise(text("line_item_product_code"))
                        .alias("service"),
                    lit("").alias("service_name"),
                    text("line_item_usage_account_id").alias("account"),
                    text("line_item_usage_type").alias("usage_type"),
                    text("product_region_code").alias("region"),
                    number("line_item_usage_amount").alias("quantity"),
                    text("line_item_resource_id").alias("resource"),
                    line_type().alias("charge"),
                    lit("").alias("status"),
                    lit("AWS").alias("provider"),
                    cost.alias("cost"),
                    tags_column(&schema, "resource_tags").alias("tags"),
                ])
            }
        };
        let keys = [
            "month",
            "service",
            "service_name",
            "usage_type",
            "account",
            "region",
            "resource",
            "charge",
            "status",
            "provider",
            "tags",
        ];
        let grouped = selected
            .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
            .agg([col("cost").sum(), col("quantity").sum()])
            .collect()
            .map_err(fail(format.name()))?;
        let s = |c: &str| {
            grouped
                .column(c)
                .and_then(|c| c.str().cloned())
                .map_err(fail(format.name()))
        };
        let (months, services, names, accounts) = (
            s("month")?,
            s("service")?,
            s("service_name")?,
            s("account")?,
        );
        let (usage_types, regions) = (s("usage_type")?, s("region")?);
        let quantities = grouped
            .column("quantity")
            .and_then(|c| c.f64().cloned())
            .map_err(fail(format.name()))?;
        let (resources, charges, statuses, providers, tags) = (
            s("resource")?,
            s("charge")?,
            s("status")?,
            s("provider")?,
            s("tags")?,
        );
        let costs = grouped
            .column("cost")
            .and_then(|c| c.f64().cloned())
            .map_err(fail(format.name()))?;
        for i in 0..grouped.height() {
            let get = |ca: &StringChunked| ca.get(i).unwrap_or("").to_string();
            if !matches!(get(&providers).as_str(), "" | "AWS" | "Amazon Web Services") {
                continue;
            }
            let mut service = get(&services);
            if format == ExportFormat::Focus && service == get(&names) {
                service = code_of_name(&service);
            }
            let category = match (format, get(&statuses).as_str()) {
                (_, "Unused") => ChargeCategory::UnusedCommitment,
                (ExportFormat::Cur2, _) => cur_category(&get(&charges), &service),
                (ExportFormat::Focus, _) => focus_category(&get(&charges), &get(&names)),
            };
            let raw = get(&tags);
            let tags = parse_tags_strict(&raw).map_err(|message| ActualsError::Format {
                origin: match first_row_with(path, &schema, tags_name, &raw) {
                    Some(row) => format!("{name}: row {row}"),
                    None => name.clone(),
                },
                format: format.name().into(),
                message: format!(
                    "the tags of a line of {service}{} are not a JSON object: {message} (`{}`)",
                    match get(&resources).as_str() {
                        "" => String::new(),
                        r => format!(", resource {r}"),
                    },
                    raw.chars().take(80).collect::<String>()
                ),
            })?;
            let usage_type = get(&usage_types);
            lines.push(TaggedCost {
                month: get(&months),
                service: export::service_for(service, &usage_type),
                usage_type,
                account: get(&accounts),
                region: get(&regions),
                quantity: quantities.get(i).unwrap_or(0.0),
                resource: get(&resources),
                category,
                cost_usd: costs.get(i).unwrap_or(0.0),
                tags,
            });
        }
    }
    let format = format_seen.unwrap_or(ExportFormat::Focus);
    Ok(TaggedBill {
        source: source.to_string(),
        format: format.name().to_string(),
        cost_columns: basis.columns(format).to_string(),
        lines,
    })
}

/// The 1-based data row (after the header) whose tags cell reads `raw`, for an error message.
fn first_row_with(path: &std::path::Path, schema: &Schema, column: &str, raw: &str) -> Option<u64> {
    let found = export::scan(path)
        .ok()?
        .with_row_index("row", Some(1))
        .filter(tags_column(schema, column).eq(lit(raw.to_string())))
        .select([col("row")])
        .limit(1)
        .collect()
        .ok()?;
    let row = found.column("row").ok()?.get(0).ok()?;
    row.extract::<u64>()
}

/// Tags from a tags cell: a JSON object (CSV) or the separator-joined pairs of a Parquet map;
/// CUR's `user:` prefix is dropped.
fn parse_tags_strict(raw: &str) -> Result<BTreeMap<String, String>, String> {
    let raw = raw.trim();
    let user = |k: &str| k.strip_prefix("user:").unwrap_or(k).to_string();
    if raw.is_empty() || raw == "NULL" {
        return Ok(BTreeMap::new());
    }
    if raw.starts_with('{') {
        let map: BTreeMap<String, serde_json::Value> =
            serde_json::from_str(raw).map_err(|e| e.to_string())?;
        return Ok(map
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                (user(&k), v)
            })
            .collect());
    }
    if raw.contains(KEY_SEPARATOR) {
        return Ok(raw
            .split(PAIR_SEPARATOR)
            .filter_map(|pair| pair.split_once(KEY_SEPARATOR))
            .map(|(k, v)| (user(k), v.to_string()))
            .collect());
    }
    Err("expected a JSON object such as {\"CostCenter\": \"payments\"}".into())
}
