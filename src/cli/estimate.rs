//! `archcost estimate`: one design's monthly cost, line by line or grouped; with `--samples`,
//! the P10/P50/P90 of a Monte Carlo run over the model's usage ranges.

use std::path::PathBuf;

use anyhow::Context as _;
use archcost::{Error, GroupBy, report};
use clap::ValueEnum;

use super::options::{Common, document, sample};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  archcost estimate models/fintech-global-platform.yaml
  archcost estimate models/fintech-global-platform.yaml --by service --month 2026-10
  archcost estimate models/fintech-global-platform.yaml --samples 10000 --seed 7 --format json -o p.json")]
pub struct Args {
    /// The topology file (YAML).
    model: PathBuf,
    /// Estimate a named variant of the model instead of its base design.
    #[arg(long, value_name = "NAME")]
    variant: Option<String>,
    /// Summarize by component, service or usage type instead of listing every line.
    #[arg(long, value_enum)]
    by: Option<ByArg>,
    /// Draw this many samples of the usage ranges ({p10, p90} fields) and report P10/P50/P90.
    #[arg(long, value_name = "N")]
    samples: Option<usize>,
    /// Seed of the sampling (the same seed gives the same result).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[command(flatten)]
    common: Common,
}

#[derive(Clone, Copy, ValueEnum)]
enum ByArg {
    Component,
    Service,
    UsageType,
}

pub fn run(args: Args) -> anyhow::Result<String> {
    let period = args.common.period()?;
    let doc = document(&args.model)?;
    let topology = doc
        .topology(args.variant.as_deref(), &[])
        .map_err(Error::from)?;
    let prices = args.common.prices(&topology)?;
    if let Some(samples) = args.samples {
        if samples == 0 {
            return Err(Error::Usage("--samples must be at least 1".into()).into());
        }
        // Regression: `--by component` with `--samples` silently showed services.
        if let Some(by @ (ByArg::Component | ByArg::UsageType)) = args.by {
            let word = match by {
                ByArg::Component => "component",
                _ => "usage-type",
            };
            return Err(Error::Usage(format!(
                "--by {word}: with --samples the percentiles are by service; use --by service or leave --by out"
            ))
            .into());
        }
        if doc.ranges().is_empty() {
            return Err(Error::Usage(format!(
                "--samples: {} has no usage ranges; write a field as {{p10: LOW, p90: HIGH}} to sample it",
                args.model.display()
            ))
            .into());
        }
        let d = sample(
            &doc,
            args.variant.as_deref(),
            samples,
            args.seed,
            &prices,
            &period,
        )?;
        let text = args.common.render(&d);
        return Ok(args.common.deliver(text)?);
    }
    let estimate = archcost::estimate(&topology, &prices, &period)
        .map_err(Error::from)
        .with_context(|| format!("estimating {}", args.model.display()))?;
    let by = args.by.map(|b| match b {
        ByArg::Component => GroupBy::Component,
        ByArg::Service => GroupBy::Service,
        ByArg::UsageType => GroupBy::UsageType,
    });
    let text = args.common.render(&report::EstimateReport {
        estimate: &estimate,
        by,
    });
    Ok(args.common.deliver(text)?)
}
