//! `archcost rightsize [MODEL]`: the changes that would cost less, from the model (each priced
//! by estimating the changed model) and from Compute Optimizer (live or saved, each priced by
//! archcost's price book beside Compute Optimizer's own figure), largest saving first.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context as _;
use archcost::analysis::compute_optimizer::{
    self as pricing, PricedRecommendation, Recommendations, ResourceError,
};
use archcost::analysis::reconcile::ActualRow;
use archcost::analysis::rightsize::{
    Rightsizing, adopt_compute_optimizer, note_bill_nat_bytes, recommendations,
};
use archcost::aws::compute_optimizer::response::Page;
use archcost::compute_optimizer;
use archcost::report::RightsizeReport;
use archcost::{BillingPeriod, Error, PriceBook, Topology};

use super::options::{AwsArgs, Common, Pricing, design, month, read};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  archcost rightsize models/fintech-global-platform.yaml
  archcost rightsize models/fintech-provisioned-baseline.yaml --min-saving 50 --format json
  archcost rightsize --compute-optimizer --region eu-west-1
  archcost rightsize --compute-optimizer --account 111122223333 --account 444455556666
  archcost rightsize --from-file ecs.json --from-file ec2.json --actuals exports/ --month 2026-10
  archcost rightsize models/fintech-global-platform.yaml --from-file ecs.json

A saved response is what `aws compute-optimizer get-ecs-service-recommendations` (or
get-ec2-instance-recommendations, get-auto-scaling-group-recommendations,
get-rds-database-recommendations, get-idle-recommendations) prints as JSON; a file may hold
one response or an array of pages.")]
pub struct Args {
    /// The design's topology file: its own changes are weighed (optional with
    /// --compute-optimizer or --from-file).
    model: Option<PathBuf>,
    /// Use a named variant of the model as the design.
    #[arg(long, value_name = "NAME", requires = "model")]
    variant: Option<String>,
    /// Ask Compute Optimizer (its API, with the standard AWS credentials, in the region given or
    /// configured) for its ECS-on-Fargate, EC2, Auto Scaling group, RDS/Aurora and idle
    /// recommendations.
    #[arg(long, conflicts_with = "from_file")]
    compute_optimizer: bool,
    /// A saved Compute Optimizer response (JSON), instead of calling the API; repeatable.
    #[arg(long = "from-file", value_name = "FILE")]
    from_file: Vec<PathBuf>,
    /// From an organisation's management account: the member account to ask for
    /// (repeatable); by default the caller's own account.
    #[arg(
        long = "account",
        value_name = "ACCOUNT_ID",
        requires = "compute_optimizer"
    )]
    accounts: Vec<String>,
    /// Price over the hours of a month of actual spend (the latest month in it, or --month)
    /// instead of the standard 730: `ce:YYYY-MM`, a saved Cost Explorer response, or CUR 2.0 /
    /// FOCUS exports (a file, a folder, a glob or s3://bucket/prefix).
    #[arg(long, value_name = "SRC")]
    actuals: Option<String>,
    /// Hide changes that save less than this many USD a month.
    #[arg(long, value_name = "USD", default_value_t = 0.0)]
    min_saving: f64,
    #[command(flatten)]
    aws: AwsArgs,
    #[command(flatten)]
    common: Common,
}

/// Compute Optimizer's answers, live or saved, with the words reports use for where they came
/// from.
fn optimizer(args: &Args) -> Result<Option<(Recommendations, String)>, Error> {
    let aws = args.aws.options(args.common.output.verbose);
    let (pages, source): (Vec<Page>, String) = if args.compute_optimizer {
        for a in &args.accounts {
            if a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::Usage(format!(
                    "--account {a}: expected a 12-digit AWS account ID (e.g. 111122223333)"
                )));
            }
        }
        let pages = archcost::aws::compute_optimizer::fetch(&aws, &args.accounts)
            .map_err(|e| Error::Usage(e.to_string()))?;
        (pages, "the Compute Optimizer API".to_string())
    } else if !args.from_file.is_empty() {
        return saved(&args.from_file).map(Some);
    } else {
        return Ok(None);
    };
    Ok(Some((compute_optimizer::from_pages(pages), source)))
}

/// Compute Optimizer's answers saved as JSON files, with the words reports use for them.
pub fn saved(files: &[PathBuf]) -> Result<(Recommendations, String), Error> {
    let mut pages = Vec::new();
    for path in files {
        let text = read(path)?;
        pages.extend(
            compute_optimizer::parse_saved(&text, &path.display().to_string())
                .map_err(|e| Error::Usage(e.to_string()))?,
        );
    }
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    Ok((
        compute_optimizer::from_pages(pages),
        format!("Compute Optimizer ({})", names.join(", ")),
    ))
}

/// What rightsizing found, owned: the model's changes and Compute Optimizer's, priced.
pub struct Found {
    /// The model's own recommendations (with Compute Optimizer's ECS sizes made on it).
    pub rightsizing: Option<Rightsizing>,
    /// Compute Optimizer's recommendations, each priced by archcost.
    pub priced: Vec<PricedRecommendation>,
    /// Resources Compute Optimizer could not answer for.
    pub errors: Vec<ResourceError>,
    /// Where Compute Optimizer's answers came from.
    pub source: Option<String>,
}

/// Weighs the model's changes and prices Compute Optimizer's answers over `period`; with the
/// bill's rows of the month, notes its NAT gateway bytes beside each endpoint change.
pub fn find(
    model: Option<(&Topology, &PriceBook)>,
    optimizer: Option<(Recommendations, String)>,
    period: &BillingPeriod,
    prices_of: &Pricing,
    say: &dyn Fn(&str),
    min_saving: f64,
    bill: Option<(&str, &[ActualRow])>,
) -> Result<Found, Error> {
    let mut found = match model {
        Some((topology, prices)) => {
            let mut found = recommendations(topology, prices, period, min_saving)?;
            if let Some((key, rows)) = bill {
                note_bill_nat_bytes(&mut found, rows, key);
            }
            Some(found)
        }
        None => None,
    };
    let (mut priced, errors, source) = match optimizer {
        Some((answers, source)) => {
            let mut books = BTreeMap::new();
            for region in pricing::regions(&answers.recommendations) {
                match prices_of.book(region) {
                    Ok(book) => {
                        books.insert(region, book);
                    }
                    Err(e) => say(&format!(
                        "warning: {region}: {e}; its recommendations are listed unpriced"
                    )),
                }
            }
            let priced = pricing::price(&answers.recommendations, &books, period);
            for e in &answers.errors {
                say(&format!(
                    "warning: Compute Optimizer could not answer for {e}"
                ));
            }
            (priced, answers.errors, Some(source))
        }
        None => (Vec::new(), Vec::new(), None),
    };
    if let (Some((topology, prices)), Some(found)) = (model, found.as_mut()) {
        adopt_compute_optimizer(topology, prices, period, found, &mut priced, min_saving)?;
    }
    Ok(Found {
        rightsizing: found,
        priced,
        errors,
        source,
    })
}

pub fn run(args: Args) -> anyhow::Result<String> {
    if !args.min_saving.is_finite() || args.min_saving < 0.0 {
        return Err(Error::Usage(format!(
            "--min-saving: `{}` is not an amount; expected USD a month, 0 or more (e.g. 50)",
            args.min_saving
        ))
        .into());
    }
    if args.model.is_none() && !args.compute_optimizer && args.from_file.is_empty() {
        return Err(Error::Usage(
            "nothing to rightsize: give a model file, --compute-optimizer, or --from-file FILE (a saved Compute Optimizer response)".into(),
        )
        .into());
    }
    // With actuals: their month's hours, and its rows (the bill's NAT gateway bytes).
    let (period, bill) = match &args.actuals {
        Some(source) => {
            let aws = args.aws.options(args.common.output.verbose);
            let actuals =
                archcost::actuals::load_from(source, None, &aws, |_| {}).map_err(Error::from)?;
            let key = super::reconcile::month_of(&actuals, args.common.month.as_deref())?;
            let rows = actuals.month(&key).map_err(Error::from)?.to_vec();
            (month(&key)?, Some((key, rows)))
        }
        None => (args.common.period()?, None),
    };
    let model = match &args.model {
        Some(path) => {
            let topology = design(path, args.variant.as_deref())?;
            let prices = args.common.prices(&topology)?;
            Some((topology, prices))
        }
        None => None,
    };
    let found = find(
        model.as_ref().map(|(t, p)| (t, p)),
        optimizer(&args)?,
        &period,
        &args.common.pricing,
        &|text| args.common.say(text),
        args.min_saving,
        bill.as_ref().map(|(k, rows)| (k.as_str(), rows.as_slice())),
    )
    .map_err(anyhow::Error::from)
    .with_context(|| match &args.model {
        Some(path) => format!("rightsizing {}", path.display()),
        None => "rightsizing".to_string(),
    })?;
    let model = args.model.as_ref().map(|path| match &args.variant {
        Some(v) => format!("{} [{v}]", path.display()),
        None => path.display().to_string(),
    });
    let text = args.common.render(&RightsizeReport {
        model: model.as_deref(),
        rightsizing: found.rightsizing.as_ref(),
        compute_optimizer: &found.priced,
        optimizer_errors: &found.errors,
        optimizer_source: found.source.as_deref(),
        min_saving_usd: args.min_saving,
    });
    Ok(args.common.deliver(text)?)
}
