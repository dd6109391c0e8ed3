//! `archcost spend SOURCE`: the bill summarised by the dimensions asked for, with the usage /
//! commitment / credit / tax split.

use archcost::Error;
use archcost::analysis::spend::{Dimension, summarise};
use archcost::report::SpendReport;

use super::bill::BillArgs;
use super::options::Output;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  archcost spend exports/ --by service,usage-type
  archcost spend s3://billing/focus/ --by account,tag:CostCenter --month 2026-10
  archcost spend cur.parquet --by region --cost list --format csv")]
pub struct Args {
    /// Dimensions (comma-separated): service, usage-type, account, region, month, tag:KEY.
    #[arg(
        long,
        value_name = "DIMS",
        value_delimiter = ',',
        default_value = "service"
    )]
    by: Vec<String>,
    #[command(flatten)]
    bill: BillArgs,
    #[command(flatten)]
    output: Output,
}

pub fn run(args: Args) -> anyhow::Result<String> {
    let dimensions = args
        .by
        .iter()
        .map(|d| {
            d.parse::<Dimension>()
                .map_err(|e| Error::Usage(format!("--by: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    // Only what the dimensions name is read.
    let fields = archcost::actuals::tagged::Fields {
        account: dimensions.contains(&Dimension::Account),
        region: dimensions.contains(&Dimension::Region),
        resource: false,
        tags: dimensions.iter().any(|d| matches!(d, Dimension::Tag(_))),
    };
    let bill = args.bill.load(fields, args.output.verbose)?;
    let spend = summarise(&bill.bill.lines, &dimensions);
    let text = args.output.render(&SpendReport {
        spend: &spend,
        source: &bill.source,
        cost: &bill.cost,
    });
    Ok(args.output.deliver(text)?)
}
