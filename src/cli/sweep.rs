//! `archcost sweep`: a numeric field over a range, with the break-even points between the
//! first two designs.

use std::path::PathBuf;

use archcost::Error;
use archcost::sweep::{Candidate, SweepSpec};

use super::options::{Common, document};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  archcost sweep models/fintech-global-platform.yaml --set workload.peak_tps=100..5000 --steps 25
  archcost sweep models/fintech-global-platform.yaml --variant base --variant io-optimized \
      --set components.ledger-db.io_requests_per_transaction=0.5..8")]
pub struct Args {
    /// One topology file, or two (or more) to compare; the first two are tested for break-even.
    #[arg(required = true)]
    models: Vec<PathBuf>,
    /// The field and range to sweep: PATH=FROM..TO, e.g. workload.peak_tps=100..5000.
    #[arg(long, value_name = "PATH=FROM..TO")]
    set: String,
    /// Number of evenly spaced points, both ends included.
    #[arg(long, default_value_t = 10)]
    steps: usize,
    /// Sweep variants of the (single) model; `base` is its base design. Repeat to compare.
    #[arg(long = "variant", value_name = "NAME")]
    variants: Vec<String>,
    #[command(flatten)]
    common: Common,
}

pub fn run(args: Args) -> anyhow::Result<String> {
    let period = args.common.period()?;
    let spec = SweepSpec::parse(&args.set, args.steps).map_err(Error::Usage)?;
    let docs = args
        .models
        .iter()
        .map(|p| document(p))
        .collect::<Result<Vec<_>, _>>()?;
    let candidates: Vec<Candidate<'_>> = if args.variants.is_empty() {
        docs.iter()
            .map(|d| Candidate {
                document: d,
                variant: None,
            })
            .collect()
    } else if docs.len() == 1 {
        args.variants
            .iter()
            .map(|v| Candidate {
                document: &docs[0],
                variant: if v == "base" && !docs[0].variant_names().contains(&"base") {
                    None
                } else {
                    Some(v.as_str())
                },
            })
            .collect()
    } else {
        return Err(Error::Usage(
            "--variant applies to a single model; give one model with its variants, or several models"
                .into(),
        )
        .into());
    };
    let first = candidates[0]
        .document
        .design(candidates[0].variant, &[])
        .map_err(Error::from)?;
    let prices = args.common.prices(&first)?;
    let s = archcost::sweep::sweep(&candidates, &spec, &prices, &period).map_err(Error::from)?;
    let text = args.common.render(&s);
    Ok(args.common.deliver(text)?)
}
