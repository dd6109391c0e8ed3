//! The commands, one file each, and what they share: the options every command takes
//! (`options`), resolved in one place.

mod bill;
mod commit;
mod commitments;
mod compare;
mod estimate;
mod kinds;
mod options;
mod prices;
pub mod progress_bars;
mod reconcile;
mod report;
mod rightsize;
mod savings;
mod schema;
mod spend;
mod sweep;
mod tags;

use clap::{ArgMatches, CommandFactory, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "archcost",
    version,
    about = "AWS cost modeling: estimate, compare and check the savings of architectures, hour by hour"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Estimate a topology file's monthly cost.
    Estimate(estimate::Args),
    /// Compare designs: totals and the difference per component and per service.
    Compare(compare::Args),
    /// Savings against a provisioned baseline, lever by lever.
    Savings(savings::Args),
    /// The Compute Savings Plan commitment and the reservation counts that cost the model's
    /// hourly load least, with the cost curve around the plan.
    Commit(commit::Args),
    /// A month's Savings Plans and reservations on the bill: used, unused, utilisation, net
    /// saving and coverage.
    Commitments(commitments::Args),
    /// Sweep a numeric field over a range; with two designs, find the break-even points.
    Sweep(sweep::Args),
    /// Reconcile the estimate with actual spend, component by component.
    Reconcile(reconcile::Args),
    /// The monthly cost review: report.html, report.md, charts and data exports in a directory.
    Report(report::Args),
    /// Changes that would cost less, from the model and from Compute Optimizer, each priced
    /// by archcost, largest saving first.
    Rightsize(rightsize::Args),
    /// A bill summarised by service, usage type, account, region, month or a tag, with the
    /// usage / commitment / credit / tax split.
    Spend(spend::Args),
    /// Tag coverage of a bill: the share of cost carrying each required tag, the costliest
    /// untagged resources, and values spelt several ways.
    Tags(tags::Args),
    /// Price snapshots: list them, compare two, or make new ones from AWS's Price List.
    #[command(subcommand)]
    Prices(prices::Command),
    /// List the component kinds, or one kind's fields and what each takes.
    #[command(after_help = "Examples:\n  archcost kinds\n  archcost kinds sqs_queue")]
    Kinds {
        /// A kind (`fargate_service`, …); all kinds when left out.
        kind: Option<String>,
    },
    /// Print the JSON Schema of the model file (for yaml-language-server and other editors).
    #[command(after_help = "Example:\n  archcost schema > schema/model.schema.json")]
    Schema,
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  archcost completions bash > ~/.local/share/bash-completion/completions/archcost"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

impl Cli {
    /// Runs the command; its output, rendered whole.
    pub fn run(self) -> anyhow::Result<String> {
        match self.command {
            Command::Estimate(args) => estimate::run(args),
            Command::Compare(args) => compare::run(args),
            Command::Savings(args) => savings::run(args),
            Command::Sweep(args) => sweep::run(args),
            Command::Reconcile(args) => reconcile::run(args),
            Command::Rightsize(args) => rightsize::run(args),
            Command::Report(args) => report::run(args),
            Command::Commit(args) => commit::run(args),
            Command::Commitments(args) => commitments::run(args),
            Command::Prices(command) => prices::run(command),
            Command::Tags(args) => tags::run(args),
            Command::Spend(args) => spend::run(args),
            Command::Kinds { kind } => kinds::run(kind.as_deref()),
            Command::Schema => schema::run(),
            Command::Completions { shell } => {
                let mut script = Vec::new();
                clap_complete::generate(shell, &mut Cli::command(), "archcost", &mut script);
                Ok(String::from_utf8(script)?)
            }
        }
    }
}

/// Whether the command line asked for `--quiet` (on whichever subcommand took it).
pub fn quiet(matches: &ArgMatches) -> bool {
    matches
        .try_get_one::<bool>("quiet")
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false)
        || matches.subcommand().is_some_and(|(_, sub)| quiet(sub))
}

/// 1 when the error is the user's (a typed `archcost::Error` anywhere in the chain), else 2.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if err
        .chain()
        .any(|c| c.downcast_ref::<archcost::Error>().is_some())
    {
        1
    } else {
        2
    }
}
