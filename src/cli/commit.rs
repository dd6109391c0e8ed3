//! `archcost commit MODEL`: the Compute Savings Plan commitment that costs least for the
//! model's hourly load, the cost curve around it, its break-even and a lower-load what-if; and
//! for each class a reservation may cover, the reservation count that costs least.

use std::path::PathBuf;

use archcost::Error;
use archcost::analysis::commit::{best_commitment, best_reservations};
use archcost::model::commitment::{Payment, Term};
use archcost::report::CommitReport;
use clap::ValueEnum;

use super::options::{Common, design};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  archcost commit models/fintech-global-platform.yaml
  archcost commit models/fintech-provisioned-baseline.yaml --term 3 --payment no-upfront --format json")]
pub struct Args {
    /// The design's topology file (its own `commitments:` are set aside).
    model: PathBuf,
    /// Use a named variant of the model as the design.
    #[arg(long, value_name = "NAME")]
    variant: Option<String>,
    /// The commitments' term, years: 1 or 3.
    #[arg(long, default_value_t = 1, value_name = "YEARS")]
    term: u32,
    /// How the commitments are paid.
    #[arg(long, value_enum, default_value_t = PaymentArg::Nothing)]
    payment: PaymentArg,
    #[command(flatten)]
    common: Common,
}

#[derive(Clone, Copy, ValueEnum)]
enum PaymentArg {
    #[value(name = "no-upfront")]
    Nothing,
    #[value(name = "partial-upfront")]
    Half,
    #[value(name = "all-upfront")]
    All,
}

pub fn run(args: Args) -> anyhow::Result<String> {
    let Some(term) = Term::from_years(args.term) else {
        return Err(Error::Usage(format!(
            "--term {}: Savings Plans run 1 or 3 years",
            args.term
        ))
        .into());
    };
    let payment = match args.payment {
        PaymentArg::Nothing => Payment::NoUpfront,
        PaymentArg::Half => Payment::PartialUpfront,
        PaymentArg::All => Payment::AllUpfront,
    };
    let period = args.common.period()?;
    let topology = design(&args.model, args.variant.as_deref())?;
    let prices = args.common.prices(&topology)?;
    let plan = best_commitment(&topology, &prices, &period, term, payment);
    let reservations = best_reservations(&topology, &prices, &period, term, payment);
    // A plan that cannot be priced fails the command, unless there are reservations to show
    // (the plan then stands as unpriced, with what it lacks).
    let plan = match plan {
        Ok(p) => Ok(p),
        Err(e) if reservations.is_empty() => {
            return Err(anyhow::Error::from(Error::from(e))
                .context(format!("the best commitment for {}", args.model.display())));
        }
        Err(e) => Err(e.to_string()),
    };
    let model = match &args.variant {
        Some(v) => format!("{} [{v}]", args.model.display()),
        None => args.model.display().to_string(),
    };
    let text = args.common.render(&CommitReport {
        model: &model,
        term: (term.years(), payment.words()),
        plan: plan.as_ref().map_err(Clone::clone),
        reservations: &reservations,
    });
    Ok(args.common.deliver(text)?)
}
