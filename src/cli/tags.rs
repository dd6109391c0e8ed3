//! `archcost tags SOURCE`: which share of the bill carries the required cost-allocation tags,
//! the costliest resources lacking one, and tag hygiene.

use std::path::PathBuf;

use archcost::Error;
use archcost::actuals::tagged::{CostBasis, load_tagged};
use archcost::analysis::tags::{TagPolicy, TagQuery, analyse};
use archcost::aws::AwsOptions;
use archcost::report::TagsReport;
use clap::ValueEnum;

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
    /// The bill: CUR 2.0 or FOCUS exports (a file, a folder, a glob, or s3://bucket/prefix).
    source: String,
    /// Keys every resource must carry (comma-separated).
    #[arg(long, value_name = "KEYS", value_delimiter = ',')]
    require: Vec<String>,
    /// A policy file: required keys and, per key, the values allowed.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Only this month of the bill.
    #[arg(long, value_name = "YYYY-MM")]
    month: Option<String>,
    /// Which cost: billed (invoiced), effective (amortized commitments) or list (on-demand).
    #[arg(long, value_enum, default_value_t = CostArg::Effective)]
    cost: CostArg,
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
    /// AWS profile, for s3:// sources.
    #[arg(long)]
    profile: Option<String>,
    /// AWS region, for s3:// sources.
    #[arg(long)]
    region: Option<String>,
    /// Endpoint to call instead of AWS (also AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    #[command(flatten)]
    output: Output,
}

#[derive(Clone, Copy, ValueEnum)]
enum CostArg {
    Billed,
    Effective,
    List,
}

pub fn run(args: Args) -> anyhow::Result<String> {
    let policy = match &args.policy {
        Some(path) => {
            let text = read(path)?;
            marked_yaml_policy(&text, path)?
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
    if let Some(m) = &args.month {
        super::options::month(m)?;
    }
    let basis = match args.cost {
        CostArg::Billed => CostBasis::Billed,
        CostArg::Effective => CostBasis::Effective,
        CostArg::List => CostBasis::List,
    };
    let aws = AwsOptions {
        profile: args.profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
        verbose: args.output.verbose,
    };
    let mut bill = load_tagged(&args.source, basis, &aws).map_err(Error::from)?;
    if let Some(m) = &args.month {
        bill.retain_month(m).map_err(Error::from)?;
    }
    let query = TagQuery {
        required,
        allowed: policy.allowed,
        include_untaggable: args.include_untaggable,
        top: args.top,
    };
    let report = analyse(&bill.lines, &query);
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
    let source = format!("{} ({})", bill.source, bill.format);
    let cost = format!("{} ({})", basis.key(), bill.cost_columns);
    let text = args.output.render(&TagsReport {
        report: &report,
        source: &source,
        cost: &cost,
        model: model
            .as_ref()
            .map(|(name, gaps)| (name.as_str(), gaps.as_slice())),
    });
    Ok(args.output.deliver(text)?)
}

/// Reads a policy file (YAML); unknown fields are errors naming the file.
fn marked_yaml_policy(text: &str, path: &std::path::Path) -> Result<TagPolicy, Error> {
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
