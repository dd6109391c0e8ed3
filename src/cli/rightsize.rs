//! `archcost rightsize MODEL`: the changes that would cost less, each priced by estimating the
//! changed model, largest saving first.

use std::path::PathBuf;

use anyhow::Context as _;
use archcost::Error;
use archcost::analysis::rightsize::recommendations;
use archcost::report::RightsizeReport;

use super::options::{Common, design};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  archcost rightsize models/fintech-global-platform.yaml
  archcost rightsize models/fintech-provisioned-baseline.yaml --min-saving 50 --format json")]
pub struct Args {
    /// The design's topology file.
    model: PathBuf,
    /// Use a named variant of the model as the design.
    #[arg(long, value_name = "NAME")]
    variant: Option<String>,
    /// Hide changes that save less than this many USD a month.
    #[arg(long, value_name = "USD", default_value_t = 0.0)]
    min_saving: f64,
    #[command(flatten)]
    common: Common,
}

pub fn run(args: Args) -> anyhow::Result<String> {
    if !args.min_saving.is_finite() || args.min_saving < 0.0 {
        return Err(Error::Usage(format!(
            "--min-saving: `{}` is not an amount; expected USD a month, 0 or more (e.g. 50)",
            args.min_saving
        ))
        .into());
    }
    let period = args.common.period()?;
    let topology = design(&args.model, args.variant.as_deref())?;
    let prices = args.common.prices(&topology)?;
    let found = recommendations(&topology, &prices, &period, args.min_saving)
        .map_err(Error::from)
        .with_context(|| format!("rightsizing {}", args.model.display()))?;
    let model = match &args.variant {
        Some(v) => format!("{} [{v}]", args.model.display()),
        None => args.model.display().to_string(),
    };
    let text = args.common.render(&RightsizeReport {
        model: &model,
        rightsizing: &found,
        min_saving_usd: args.min_saving,
    });
    Ok(args.common.deliver(text)?)
}
