//! Commitments on the bill, read from CUR 2.0 or FOCUS exports: each usage line as it stands to
//! a Savings Plan or reservation (covered, unused, on demand), with its effective and list
//! cost, summed by month, commitment, status and usage type.
//!
//! FOCUS: `CommitmentDiscountId`/`Type`/`Status` (`Used`, `Unused`) on `Usage` lines;
//! `EffectiveCost` and `ListCost`. CUR 2.0: `SavingsPlanCoveredUsage` lines
//! (`savings_plan_savings_plan_effective_cost`, `pricing_public_on_demand_cost`),
//! `SavingsPlanRecurringFee` lines (unused = `savings_plan_total_commitment_to_date` −
//! `savings_plan_used_commitment`), `DiscountedUsage` lines (`reservation_effective_cost`) and
//! `RIFee` lines (unused = `reservation_unused_amortized_upfront_fee_for_billing_period` +
//! `reservation_unused_recurring_fee`). Cost Explorer: `GetSavingsPlansUtilizationDetails`,
//! `GetSavingsPlansCoverage` and `GetReservationUtilization` by subscription.

use std::path::PathBuf;

use polars::prelude::*;

use super::ActualsError;
use super::export::{self, ExportFormat, Reads, collect_streaming, text_column};
use crate::analysis::bill_commitments::{
    BillCommitments, CommitmentLine, CommitmentOnBill, RESERVATION, SAVINGS_PLAN, Status,
};
use crate::aws::AwsOptions;

/// A month's commitments from the Cost Explorer API (`ce:YYYY-MM`): each Savings Plan's and
/// reservation's use, and the Savings Plans' coverage.
pub fn from_cost_explorer(source: &str, aws: &AwsOptions) -> Result<BillCommitments, ActualsError> {
    let q = super::parse_spec(source)?;
    if q.from_month != q.to_month {
        return Err(ActualsError::Spec(format!(
            "{source}: commitments are read one month at a time; expected ce:YYYY-MM"
        )));
    }
    let c = crate::aws::cost_explorer::fetch_commitments(&q.from_month, aws)?;
    let mut commitments: Vec<CommitmentOnBill> = c
        .plans
        .iter()
        .map(|p| CommitmentOnBill {
            id: p.arn.clone(),
            kind: SAVINGS_PLAN.into(),
            used_usd: p.used_usd,
            unused_usd: p.unused_usd,
            covered_list_usd: p.on_demand_equivalent_usd,
        })
        .collect();
    commitments.extend(c.reservations.iter().map(|r| CommitmentOnBill {
        id: r.subscription.clone(),
        kind: RESERVATION.into(),
        used_usd: r.total_amortized_usd - r.unused_usd,
        unused_usd: r.unused_usd,
        covered_list_usd: r.on_demand_equivalent_usd,
    }));
    commitments.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(BillCommitments {
        month: q.from_month,
        commitments,
        eligible_on_demand_usd: c.on_demand_usd,
        unknown_on_demand_usd: 0.0,
    })
}

/// Reads the commitment lines of export files, local or under an S3 prefix.
pub fn load(source: &str, aws: &AwsOptions) -> Result<Vec<CommitmentLine>, ActualsError> {
    if super::tagged::is_cost_explorer(source) {
        return Err(ActualsError::Spec(format!(
            "{source}: commitments on the bill are read from the Cost Explorer API (ce:YYYY-MM) or from CUR 2.0 or FOCUS exports (a file, folder, glob or s3:// prefix), not from a saved response"
        )));
    }
    if source.starts_with("s3://") {
        return super::with_s3_files(source, aws, read);
    }
    read(&export::files(source)?)
}

/// Reads the commitment lines of export files.
pub fn read(paths: &[PathBuf]) -> Result<Vec<CommitmentLine>, ActualsError> {
    let mut out = Vec::new();
    for path in export::scanning(paths) {
        let name = path.display().to_string();
        export::check_csv_text(path)?;
        let lf = export::scan(path).map_err(export::polars_error(&name, "unreadable"))?;
        let schema = lf
            .clone()
            .collect_schema()
            .map_err(export::polars_error(&name, "unreadable"))?;
        let columns: Vec<String> = schema.iter_names().map(|c| c.to_string()).collect();
        let format = export::detect(&columns, &name)?;
        let reads = Reads::new(&schema);
        let text = |c: &str| reads.text(c);
        let number = |c: &str| reads.number(c);
        let (month, kind, id, status, usage_type, effective, list, keep) = match format {
            ExportFormat::Focus => {
                let status = text("CommitmentDiscountStatus");
                (
                    reads.key(true, "BillingPeriodStart", "month"),
                    text("CommitmentDiscountType").alias("kind"),
                    text("CommitmentDiscountId").alias("id"),
                    when(status.clone().eq(lit("Used")))
                        .then(lit("used"))
                        .when(status.eq(lit("Unused")))
                        .then(lit("unused"))
                        .otherwise(lit("on_demand"))
                        .alias("status"),
                    text("x_UsageType").alias("usage_type"),
                    number("EffectiveCost").alias("effective"),
                    when(number("ListCost").gt(lit(0.0)))
                        .then(number("ListCost"))
                        .otherwise(number("BilledCost"))
                        .alias("list"),
                    text("ChargeCategory").eq(lit("Usage")),
                )
            }
            ExportFormat::Cur2 => {
                let line = || text("line_item_line_item_type");
                let plan = line().eq(lit("SavingsPlanCoveredUsage"));
                let plan_fee = line().eq(lit("SavingsPlanRecurringFee"));
                let reserved = line().eq(lit("DiscountedUsage"));
                let reservation_fee = line().eq(lit("RIFee"));
                // A Savings Plan's or a reservation's line; covered usage or the fee.
                let of_plan = plan.clone().or(plan_fee.clone());
                let of_reservation = reserved.clone().or(reservation_fee.clone());
                let fee = plan_fee.clone().or(reservation_fee.clone());
                let list = export::cur_list_cost(&reads);
                (
                    reads.key(true, "bill_billing_period_start_date", "month"),
                    when(of_plan.clone())
                        .then(lit(SAVINGS_PLAN))
                        .when(of_reservation.clone())
                        .then(lit(RESERVATION))
                        .otherwise(lit(""))
                        .alias("kind"),
                    when(of_plan.clone())
                        .then(text("savings_plan_savings_plan_a_r_n"))
                        .when(of_reservation.clone())
                        .then(text("reservation_reservation_a_r_n"))
                        .otherwise(lit(""))
                        .alias("id"),
                    when(plan.clone().or(reserved.clone()))
                        .then(lit("used"))
                        .when(fee.clone())
                        .then(lit("unused"))
                        .otherwise(lit("on_demand"))
                        .alias("status"),
                    text("line_item_usage_type").alias("usage_type"),
                    when(plan.clone())
                        .then(number("savings_plan_savings_plan_effective_cost"))
                        .when(plan_fee.clone())
                        .then(
                            number("savings_plan_total_commitment_to_date")
                                - number("savings_plan_used_commitment"),
                        )
                        .when(reserved.clone())
                        .then(number("reservation_effective_cost"))
                        .when(reservation_fee.clone())
                        .then(
                            number("reservation_unused_amortized_upfront_fee_for_billing_period")
                                + number("reservation_unused_recurring_fee"),
                        )
                        .otherwise(number("line_item_unblended_cost"))
                        .alias("effective"),
                    when(fee).then(lit(0.0)).otherwise(list).alias("list"),
                    line().eq(lit("Usage")).or(of_plan).or(of_reservation),
                )
            }
        };
        let lf = reads
            .lines(path)
            .map_err(export::polars_error(&name, "unreadable"))?;
        let groups = collect_streaming(
            lf.filter(keep)
                .select([month, kind, id, status, usage_type, effective, list])
                .group_by([
                    col("month"),
                    col("kind"),
                    col("id"),
                    col("status"),
                    col("usage_type"),
                ])
                .agg([col("effective").sum(), col("list").sum()]),
        )
        .map_err(export::polars_error(&name, format.name()))?;
        let gschema = groups.schema().clone();
        let summed = groups
            .lazy()
            .select([
                text_column(&gschema, "month")
                    .str()
                    .slice(lit(0), lit(7))
                    .alias("month"),
                col("kind"),
                col("id"),
                col("status"),
                col("usage_type"),
                col("effective"),
                col("list"),
            ])
            .collect()
            .map_err(export::polars_error(&name, format.name()))?;
        let s = |c: &str| {
            summed
                .column(c)
                .and_then(|c| c.str().cloned())
                .map_err(export::polars_error(&name, format.name()))
        };
        let f = |c: &str| {
            summed
                .column(c)
                .and_then(|c| c.f64().cloned())
                .map_err(export::polars_error(&name, format.name()))
        };
        let (months, kinds, ids, statuses, usage_types) = (
            s("month")?,
            s("kind")?,
            s("id")?,
            s("status")?,
            s("usage_type")?,
        );
        let (effective, list) = (f("effective")?, f("list")?);
        for i in 0..summed.height() {
            let get = |ca: &StringChunked| ca.get(i).unwrap_or("").to_string();
            out.push(CommitmentLine {
                month: get(&months),
                kind: get(&kinds),
                id: get(&ids),
                status: match statuses.get(i).unwrap_or("") {
                    "used" => Status::Used,
                    "unused" => Status::Unused,
                    _ => Status::OnDemand,
                },
                usage_type: get(&usage_types),
                effective_usd: effective.get(i).unwrap_or(0.0),
                list_usd: list.get(i).unwrap_or(0.0),
            });
        }
    }
    Ok(out)
}
