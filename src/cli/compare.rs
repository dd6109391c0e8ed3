//! `archcost compare`: designs side by side, the differences against the first.

use std::path::PathBuf;

use anyhow::Context as _;
use archcost::Error;

use super::options::{Common, document};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  archcost compare models/fintech-provisioned-baseline.yaml models/fintech-global-platform.yaml
  archcost compare models/fintech-global-platform.yaml --all-variants --format markdown")]
pub struct Args {
    /// Topology files; the first is the reference the differences are taken against.
    #[arg(required = true)]
    models: Vec<PathBuf>,
    /// Add every variant of each model beside its base design.
    #[arg(long)]
    all_variants: bool,
    #[command(flatten)]
    common: Common,
}

pub fn run(args: Args) -> anyhow::Result<String> {
    let period = args.common.period()?;
    let mut designs = Vec::new();
    for path in &args.models {
        let doc = document(path)?;
        designs.push(doc.topology(None, &[]).map_err(Error::from)?);
        if args.all_variants {
            for name in doc.variant_names() {
                designs.push(doc.topology(Some(name), &[]).map_err(Error::from)?);
            }
        }
    }
    if designs.len() < 2 {
        return Err(Error::Usage(
            "compare needs at least two designs: give two or more models, or --all-variants with a model that has variants"
                .into(),
        )
        .into());
    }
    let mut estimates = Vec::new();
    for t in &designs {
        let prices = args.common.prices(t)?;
        estimates.push(
            archcost::estimate(t, &prices, &period)
                .map_err(Error::from)
                .with_context(|| format!("estimating {}", t.name))?,
        );
    }
    let text = args.common.render(&archcost::compare::compare(&estimates));
    Ok(args.common.deliver(text)?)
}
