//! Bill lines for tag analysis: CUR 2.0 and FOCUS exports (Parquet, CSV, CSV.gz; a file, a
//! folder, a glob, or `s3://`) grouped by month, service, account, resource, charge and tags,
//! at the cost the user chose. Only the columns needed are read.

use std::collections::BTreeMap;
use std::path::PathBuf;

use polars::prelude::*;

use super::ActualsError;
use super::export::{
    self, ExportFormat, KEY_SEPARATOR, PAIR_SEPARATOR, Reads, tags_column, text_column,
};
use super::names::{
    cur_category, focus_category, service_code as code_of_name, service_for_usage_type,
};
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

/// Which of a line's fields an analysis needs: the others are not read (a Parquet column left
/// out is never decoded) and come back empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fields {
    /// Usage account.
    pub account: bool,
    /// Region.
    pub region: bool,
    /// Resource id.
    pub resource: bool,
    /// Tags.
    pub tags: bool,
}

impl Fields {
    /// Every field.
    pub const ALL: Fields = Fields {
        account: true,
        region: true,
        resource: true,
        tags: true,
    };
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
    /// The queries Athena ran to answer (none for files).
    pub queries: Vec<super::athena::QueryRun>,
}

/// Keeps the items of one month; an error lists the months there are when there are none.
pub fn retain_month<T>(
    items: &mut Vec<T>,
    month_of: impl Fn(&T) -> &str,
    month: &str,
    source: &str,
) -> Result<(), ActualsError> {
    let available: std::collections::BTreeSet<&str> = items.iter().map(&month_of).collect();
    if !available.contains(month) {
        return Err(ActualsError::EmptyMonth {
            origin: source.to_string(),
            month: month.to_string(),
            available: if available.is_empty() {
                "none".into()
            } else {
                available.into_iter().collect::<Vec<_>>().join(", ")
            },
        });
    }
    items.retain(|i| month_of(i) == month);
    Ok(())
}

impl TaggedBill {
    /// Keeps one month's lines; an error lists the months the bill has when it has none.
    pub fn retain_month(&mut self, month: &str) -> Result<(), ActualsError> {
        retain_month(&mut self.lines, |l| l.month.as_str(), month, &self.source)
    }
}

/// Reads a bill for tag analysis: export files, local or under an S3 prefix, or an Athena
/// table (`athena:DATABASE.TABLE`), for `months` (none: every month); the table is asked for
/// those months only, files give every month they hold.
pub fn load_tagged(
    source: &str,
    basis: CostBasis,
    fields: Fields,
    aws: &AwsOptions,
    months: &[String],
) -> Result<TaggedBill, ActualsError> {
    if source.starts_with(super::athena::PREFIX) {
        let table = super::athena::AthenaTable::parse(source, aws.athena.catalog.as_deref())?;
        return super::athena::load_tagged(&table, basis, fields, months, aws);
    }
    if is_cost_explorer(source) {
        return Err(ActualsError::Spec(format!(
            "{source}: line-level analysis reads CUR 2.0 or FOCUS exports (a file, folder, glob or s3:// prefix); Cost Explorer gives tag coverage only (archcost tags)"
        )));
    }
    if source.starts_with("s3://") {
        return super::with_s3_files(source, aws, |files| read(files, basis, fields, source));
    }
    read(&export::files(source)?, basis, fields, source)
}

/// Usage cost by tag value from Cost Explorer (`ce:YYYY-MM[..YYYY-MM]`, one query a key) or
/// a saved response file (`.json`, one response a key), at billed (unblended) or effective
/// (amortized) cost; Cost Explorer has no list cost.
pub fn load_key_costs(
    source: &str,
    keys: &[String],
    basis: CostBasis,
    aws: &AwsOptions,
) -> Result<Vec<crate::analysis::tags::KeyCost>, ActualsError> {
    let metric = match basis {
        CostBasis::Billed => "UnblendedCost",
        CostBasis::Effective => "AmortizedCost",
        CostBasis::List => {
            return Err(ActualsError::Spec(format!(
                "{source}: Cost Explorer has no list cost; expected --cost billed or effective"
            )));
        }
    };
    let pages = if source.starts_with("ce:") {
        let q = super::parse_spec(source)?;
        crate::aws::cost_explorer::fetch_by_tag(&q, keys, metric, aws)?
    } else {
        let text = std::fs::read_to_string(source).map_err(|e| ActualsError::Read {
            path: source.into(),
            source: e,
        })?;
        super::cost_explorer::saved_pages(&text, source)?
    };
    super::cost_explorer::key_costs(&pages, metric, source)
}

/// Whether a source is Cost Explorer's (the API or a saved response) rather than exports.
pub fn is_cost_explorer(source: &str) -> bool {
    source.starts_with("ce:") || source.to_ascii_lowercase().ends_with(".json")
}

/// Reads export files for tag analysis.
pub fn read(
    paths: &[PathBuf],
    basis: CostBasis,
    fields: Fields,
    source: &str,
) -> Result<TaggedBill, ActualsError> {
    let mut lines = Vec::new();
    let mut format_seen = None;
    for path in export::scanning(paths) {
        let name = path.display().to_string();
        let groups = line_groups(path, basis, fields)?;
        format_seen = Some(groups.format);
        let located = |raw: &str| groups.row_of_tags(path, raw);
        push_lines(
            &groups.frame,
            groups.format,
            &name,
            &located,
            &|| export::first_not_finite(path),
            &mut lines,
        )?;
    }
    let format = format_seen.unwrap_or(ExportFormat::Focus);
    Ok(TaggedBill {
        source: source.to_string(),
        format: format.name().to_string(),
        cost_columns: basis.columns(format).to_string(),
        lines,
        queries: Vec::new(),
    })
}

/// An export file's lines grouped for tag analysis, before they become lines.
#[derive(Debug, Clone)]
pub struct LineGroups {
    /// `month`, `service`, `service_name`, `account`, `usage_type`, `region`, `resource`,
    /// `charge`, `status`, `provider` and `tags` as text, and the sums `cost` and `quantity`.
    pub frame: DataFrame,
    /// The file's format.
    pub format: ExportFormat,
    schema: Schema,
    tags_name: &'static str,
}

impl LineGroups {
    /// The 1-based row of the file whose tags cell reads `raw`.
    fn row_of_tags(&self, path: &std::path::Path, raw: &str) -> Option<u64> {
        first_row_with(path, &self.schema, self.tags_name, raw)
    }
}

/// Groups an export file's lines for tag analysis, as an Athena query over the same lines
/// does ([`super::athena::tagged_sql`]).
pub fn line_groups(
    path: &std::path::Path,
    basis: CostBasis,
    fields: Fields,
) -> Result<LineGroups, ActualsError> {
    export::check_csv_text(path)?;
    let name = path.display().to_string();
    let fail = |format: &str| export::polars_error(&name, format);
    let lf = export::scan(path).map_err(fail("unreadable"))?;
    let schema = lf.clone().collect_schema().map_err(fail("unreadable"))?;
    let columns: Vec<String> = schema.iter_names().map(|c| c.to_string()).collect();
    let format = export::detect(&columns, &name)?;
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
    let reads = Reads::new(&schema);
    let text = |c: &str| reads.text(c);
    let number = |c: &str| reads.number(c);
    // Grouping happens on the columns as stored (a timestamp, a dictionary of strings, a map),
    // so nothing is converted per line; the groups, far fewer, are converted after. A field
    // not needed is not read at all.
    let raw = |wanted: bool, c: &str, alias: &str| reads.key(wanted, c, alias);
    let (keys, cost, quantity) = match format {
        ExportFormat::Focus => (
            vec![
                raw(true, "BillingPeriodStart", "k_month"),
                raw(true, "x_ServiceCode", "k_service"),
                // The name stands in for a missing x_ServiceCode and tells Support from
                // other purchases; elsewhere it is not read.
                reads.key_where(
                    "ServiceName",
                    "k_service_name",
                    &[("x_ServiceCode", ""), ("ChargeCategory", "Purchase")],
                ),
                raw(fields.account, "SubAccountId", "k_account"),
                // Data transfer is filed by usage type: read it whenever the service is.
                raw(true, "x_UsageType", "k_usage_type"),
                raw(fields.region, "RegionId", "k_region"),
                raw(fields.resource, "ResourceId", "k_resource"),
                raw(true, "ChargeCategory", "k_charge"),
                raw(true, "CommitmentDiscountStatus", "k_status"),
                raw(true, "ProviderName", "k_provider"),
                raw(fields.tags, "Tags", "k_tags"),
            ],
            number(match basis {
                CostBasis::Billed => "BilledCost",
                CostBasis::Effective => "EffectiveCost",
                CostBasis::List => "ListCost",
            }),
            number("PricingQuantity"),
        ),
        ExportFormat::Cur2 => {
            let line_type = || text("line_item_line_item_type");
            let cost = match basis {
                CostBasis::Billed => number("line_item_unblended_cost"),
                CostBasis::List => export::cur_list_cost(&reads),
                CostBasis::Effective => when(line_type().eq(lit("SavingsPlanCoveredUsage")))
                    .then(number("savings_plan_savings_plan_effective_cost"))
                    .when(line_type().eq(lit("DiscountedUsage")))
                    .then(number("reservation_effective_cost"))
                    .when(line_type().eq(lit("SavingsPlanNegation")))
                    .then(lit(0.0))
                    .otherwise(number("line_item_unblended_cost")),
            };
            (
                vec![
                    raw(true, "bill_billing_period_start_date", "k_month"),
                    raw(true, "product_servicecode", "k_service"),
                    reads.key_where(
                        "line_item_product_code",
                        "k_service_name",
                        &[("product_servicecode", "")],
                    ),
                    raw(fields.account, "line_item_usage_account_id", "k_account"),
                    raw(true, "line_item_usage_type", "k_usage_type"),
                    raw(fields.region, "product_region_code", "k_region"),
                    raw(fields.resource, "line_item_resource_id", "k_resource"),
                    raw(true, "line_item_line_item_type", "k_charge"),
                    lit("").alias("k_status"),
                    lit("AWS").alias("k_provider"),
                    raw(fields.tags, "resource_tags", "k_tags"),
                ],
                cost,
                number("line_item_usage_amount"),
            )
        }
    };
    let key_names: Vec<Expr> = [
        "k_month",
        "k_service",
        "k_service_name",
        "k_account",
        "k_usage_type",
        "k_region",
        "k_resource",
        "k_charge",
        "k_status",
        "k_provider",
        "k_tags",
    ]
    .iter()
    .map(|k| col(*k))
    .collect();
    let mut selected = keys;
    selected.push(cost.alias("cost"));
    selected.push(quantity.alias("quantity"));
    let lf = reads.lines(path).map_err(fail("unreadable"))?;
    let groups = export::collect_streaming(
        lf.select(selected)
            .group_by(key_names)
            .agg([col("cost").sum(), col("quantity").sum()]),
    )
    .map_err(fail(format.name()))?;
    // The groups' keys as text.
    let gschema = groups.schema().clone();
    let gtext = |c: &str| text_column(&gschema, c);
    // The service code (FOCUS `x_ServiceCode`, CUR `product_servicecode`), else FOCUS's
    // service name (mapped to a code below) or CUR's product code.
    let service = when(gtext("k_service").neq(lit("")))
        .then(gtext("k_service"))
        .otherwise(gtext("k_service_name"));
    let grouped = groups
        .lazy()
        .select([
            gtext("k_month").str().slice(lit(0), lit(7)).alias("month"),
            service.alias("service"),
            match format {
                ExportFormat::Focus => gtext("k_service_name"),
                ExportFormat::Cur2 => lit(""),
            }
            .alias("service_name"),
            gtext("k_account").alias("account"),
            gtext("k_usage_type").alias("usage_type"),
            gtext("k_region").alias("region"),
            gtext("k_resource").alias("resource"),
            gtext("k_charge").alias("charge"),
            gtext("k_status").alias("status"),
            gtext("k_provider").alias("provider"),
            tags_column(&gschema, "k_tags").alias("tags"),
            col("cost"),
            col("quantity"),
        ])
        .collect()
        .map_err(fail(format.name()))?;
    Ok(LineGroups {
        frame: grouped,
        format,
        schema: (*schema).clone(),
        tags_name,
    })
}

/// Adds one source's line groups (`month`, `service`, `service_name`, `account`,
/// `usage_type`, `region`, `resource`, `charge`, `status`, `provider`, `tags` as text, `cost`
/// and `quantity`) to `lines`: other providers' lines left out, the service code from the
/// name where the line has none, the charge category, the tags parsed. `locate` finds the
/// source row of a tags cell that is not a JSON object, for the error.
pub(crate) fn push_lines(
    grouped: &DataFrame,
    format: ExportFormat,
    name: &str,
    locate: &dyn Fn(&str) -> Option<u64>,
    locate_number: &dyn Fn() -> Option<String>,
    lines: &mut Vec<TaggedCost>,
) -> Result<(), ActualsError> {
    let s = |c: &str| {
        grouped
            .column(c)
            .and_then(|c| c.str().cloned())
            .map_err(export::polars_error(name, format.name()))
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
        .map_err(export::polars_error(name, format.name()))?;
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
        .map_err(export::polars_error(name, format.name()))?;
    for i in 0..grouped.height() {
        let get = |ca: &StringChunked| ca.get(i).unwrap_or("").to_string();
        for (what, values) in [("quantity", &quantities), ("cost", &costs)] {
            if values.get(i).is_some_and(|v| !v.is_finite()) {
                return Err(export::not_finite(
                    name,
                    format,
                    &format!(
                        "the {what} of a line of {} {} ({})",
                        get(&services),
                        get(&usage_types),
                        get(&months)
                    ),
                    locate_number(),
                ));
            }
        }
        if !export::is_aws(&get(&providers)) {
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
            origin: match locate(&raw) {
                Some(row) => format!("{name}: row {row}"),
                None => name.to_string(),
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
            service: service_for_usage_type(service, &usage_type),
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
    Ok(())
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
