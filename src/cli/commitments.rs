//! `archcost commitments SOURCE`: a month's Savings Plans and reservations on the bill.

use archcost::Error;
use archcost::actuals::commitments::{from_cost_explorer, load};
use archcost::analysis::bill_commitments::{Status, summarise};
use archcost::report::BillCommitmentsReport;

use super::options::{AwsArgs, Common};

#[derive(clap::Args)]
#[command(mut_arg("month", |a| a.help("The month, YYYY-MM (default: the latest month with a commitment on the bill, else the latest month)")))]
#[command(after_help = "Examples:
  archcost commitments exports/
  archcost commitments ce:2026-10 --profile billing
  archcost commitments s3://billing/focus/ --month 2026-10 --format json")]
pub struct Args {
    /// The bill: `ce:YYYY-MM` (the Cost Explorer API), or CUR 2.0 or FOCUS exports (a file, a
    /// folder, a glob, or s3://bucket/prefix).
    source: String,
    #[command(flatten)]
    aws: AwsArgs,
    #[command(flatten)]
    common: Common,
}

pub fn run(args: Args) -> anyhow::Result<String> {
    let aws = args.aws.options(args.common.output.verbose);
    if args.source.starts_with("ce:") {
        if args.common.month.is_some() {
            return Err(Error::Usage(
                "--month: a Cost Explorer source names its month (ce:YYYY-MM)".into(),
            )
            .into());
        }
        let bill = from_cost_explorer(&args.source, &aws).map_err(Error::from)?;
        let source = format!("{} (Cost Explorer)", args.source);
        let text = args.common.render(&BillCommitmentsReport {
            source: &source,
            bill: &bill,
        });
        return Ok(args.common.deliver(text)?);
    }
    let lines = load(&args.source, &aws).map_err(Error::from)?;
    let months: std::collections::BTreeSet<&str> = lines.iter().map(|l| l.month.as_str()).collect();
    let month = match &args.common.month {
        Some(m) if months.contains(m.as_str()) => m.clone(),
        Some(m) => {
            return Err(Error::Usage(format!(
                "{}: no lines for {m}; the bill has {}",
                args.source,
                if months.is_empty() {
                    "none".to_string()
                } else {
                    months.iter().copied().collect::<Vec<_>>().join(", ")
                }
            ))
            .into());
        }
        None => lines
            .iter()
            .filter(|l| l.status != Status::OnDemand)
            .map(|l| l.month.as_str())
            .max()
            .or_else(|| months.last().copied())
            .map(str::to_string)
            .ok_or_else(|| Error::Usage(format!("{}: no usage lines", args.source)))?,
    };
    let bill = summarise(&lines, &month);
    let text = args.common.render(&BillCommitmentsReport {
        source: &args.source,
        bill: &bill,
    });
    Ok(args.common.deliver(text)?)
}
