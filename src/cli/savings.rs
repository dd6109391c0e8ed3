//! `archcost savings`: the saving against the provisioned baseline, lever by lever.

use std::path::PathBuf;

use anyhow::Context as _;
use archcost::Error;

use super::options::{Common, design};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  archcost savings models/fintech-global-platform.yaml
  archcost savings models/fintech-global-platform.yaml --baseline models/fintech-provisioned-baseline.yaml")]
pub struct Args {
    /// The design's topology file.
    model: PathBuf,
    /// Use a named variant of the model as the design.
    #[arg(long, value_name = "NAME")]
    variant: Option<String>,
    /// A topology file to use as the baseline instead of the derived provisioned twin.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

pub fn run(args: Args) -> anyhow::Result<String> {
    let period = args.common.period()?;
    let topology = design(&args.model, args.variant.as_deref())?;
    let prices = args.common.prices(&topology)?;
    let savings = match &args.baseline {
        None => archcost::savings::savings(&topology, &prices, &period),
        Some(path) => {
            let baseline = design(path, None)?;
            archcost::savings::savings_against(&topology, &baseline, &prices, &period)
        }
    }
    .map_err(Error::from)
    .with_context(|| format!("savings of {}", args.model.display()))?;
    let text = args.common.render(&savings);
    Ok(args.common.deliver(text)?)
}
