//! `archcost tags SOURCE`: which share of the bill carries the required cost-allocation tags,
//! the costliest resources lacking one, and tag hygiene.

use std::path::PathBuf;

use archcost::Error;
use archcost::analysis::tags::{TagPolicy, TagQuery};
use archcost::report::TagsReport;

use super::bill::BillArgs;
use super::options::{Output, read};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  archcost tags exports/ --require CostCenter,Environment,Owner
  archcost tags s3://billing/focus/ --policy tagging.yaml --month 2026-10 --top 50
  archcost tags cur.parquet --require Owner --cost list --format csv

A policy file (YAML):
  required: [CostCenter, Environment, Owner]
  allowed:
    Environment: [prod, staging, dev]")]
pub struct Args {
    #[command(flatten)]
    bill: BillArgs,
    /// Keys every resource must carry (comma-separated).
    #[arg(long, value_name = "KEYS", value_delimiter = ',')]
    require: Vec<String>,
    /// A policy file: required keys and, per key, the values allowed.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// How many of the costliest untagged resources to list.
    #[arg(long, default_value_t = 20)]
    top: usize,
    /// Also check a model's components against the required keys and allowed values (with
    /// each one's estimated monthly cost), before any money is spent.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// Keep lines that cannot carry tags (tax, support, credits, lines without a resource id)
    /// in the denominator.
    #[arg(long)]
    include_untaggable: bool,
    #[command(flatten)]
    output: Output,
}

pub fn run(args: Args) -> anyhow::Result<String> {
    let policy = match &args.policy {
        Some(path) => {
            let text = read(path)?;
            parse_policy_file(&text, path)?
        }
        None => TagPolicy::default(),
    };
    let mut required = policy.required.clone();
    for k in &args.require {
        if !k.is_empty() && !required.contains(k) {
            required.push(k.clone());
        }
    }
    if required.is_empty() {
        return Err(Error::Usage(
            "no required keys: pass --require KEY[,KEY…] or a --policy file with `required`".into(),
        )
        .into());
    }
    let query = TagQuery {
        required,
        allowed: policy.allowed,
        include_untaggable: args.include_untaggable,
        top: args.top,
    };
    let (report, report_source, cost) = args.bill.tag_report(&query, args.output.verbose)?;
    let model = match &args.model {
        Some(path) => {
            let topology = super::options::design(path, None)?;
            // The cost beside each gap is a courtesy: a model without prices still gets checked.
            let estimate = archcost::PriceBook::embedded(topology.region)
                .ok()
                .and_then(|p| {
                    archcost::estimate(&topology, &p, &archcost::BillingPeriod::standard_month())
                        .ok()
                });
            let gaps = archcost::analysis::tags::model_gaps(&topology, estimate.as_ref(), &query);
            Some((topology.name.clone(), gaps))
        }
        None => None,
    };
    let text = args.output.render(&TagsReport {
        report: &report,
        source: &report_source,
        cost: &cost,
        model: model
            .as_ref()
            .map(|(name, gaps)| (name.as_str(), gaps.as_slice())),
    });
    Ok(args.output.deliver(text)?)
}

/// Reads a policy file (YAML); unknown fields are errors naming the file.
fn parse_policy_file(text: &str, path: &std::path::Path) -> Result<TagPolicy, Error> {
    archcost::model_file::parse_policy(text).map_err(|e| {
        // Positioned messages read `LINE:COLUMN: …`, joined to the file as `FILE:LINE:COLUMN`.
        let sep = if e.starts_with(|c: char| c.is_ascii_digit()) {
            ":"
        } else {
            ": "
        };
        Error::Usage(format!(
            "{}{sep}{e}; expected `required: [KEY…]` and `allowed: {{KEY: [VALUE…]}}`",
            path.display()
        ))
    })
}
