//! The `archcost` command line: parses flags, calls the library, prints, sets the exit code
//! (0 success, 1 bad input, 2 internal error).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use archcost::report::{self, Format};
use archcost::{BillingPeriod, GroupBy, PriceBook};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "archcost",
    version,
    about = "AWS cost modeling: estimate an architecture's monthly cost hour by hour"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Estimate a topology file's monthly cost.
    Estimate(EstimateArgs),
}

#[derive(clap::Args)]
struct EstimateArgs {
    /// The topology file (YAML).
    model: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    format: FormatArg,
    /// Summarize by component, service or usage type instead of listing every line.
    #[arg(long, value_enum)]
    by: Option<ByArg>,
    /// A price file to use instead of the embedded snapshot.
    #[arg(long, value_name = "FILE")]
    prices: Option<PathBuf>,
    /// Estimate a calendar month (its real hours, UTC) instead of the standard 730-hour month.
    #[arg(long, value_name = "YYYY-MM")]
    month: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Table,
    Json,
    Csv,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum ByArg {
    Component,
    Service,
    UsageType,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; a bad flag is a user error.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(output) => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(output.as_bytes())
                .and_then(|_| stdout.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                // A closed pipe (`archcost … | head`) is not a failure.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: writing output: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Err(err) => {
            let user = err
                .chain()
                .any(|c| c.downcast_ref::<archcost::Error>().is_some());
            eprintln!("error: {err:#}");
            ExitCode::from(if user { 1 } else { 2 })
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<String> {
    match cli.command {
        Command::Estimate(args) => estimate(args),
    }
}

fn estimate(args: EstimateArgs) -> anyhow::Result<String> {
    let period = match &args.month {
        Some(m) => m
            .parse::<BillingPeriod>()
            .map_err(|e| archcost::Error::Usage(format!("--month: {e}")))?,
        None => BillingPeriod::standard_month(),
    };
    let topology = archcost::topology_file::load(&args.model).map_err(archcost::Error::from)?;
    let prices = match &args.prices {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| archcost::Error::Io {
                path: path.display().to_string(),
                source,
            })?;
            PriceBook::from_json(&text, &path.display().to_string(), topology.region)
                .map_err(archcost::Error::from)?
        }
        None => PriceBook::embedded(topology.region).map_err(|e| {
            // Point at the model's `region` field: that is what the user would change.
            let at = topology.source.locate("region");
            archcost::Error::from(archcost::ModelError {
                file: topology.source.file().to_string(),
                line: at.as_ref().map(|l| l.line),
                column: at.as_ref().map(|l| l.column),
                field: Some("region".into()),
                message: e.to_string(),
            })
        })?,
    };
    let estimate = archcost::estimate(&topology, &prices, &period)
        .map_err(archcost::Error::from)
        .with_context(|| format!("estimating {}", args.model.display()))?;
    let format = match args.format {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
        FormatArg::Markdown => Format::Markdown,
    };
    let by = args.by.map(|b| match b {
        ByArg::Component => GroupBy::Component,
        ByArg::Service => GroupBy::Service,
        ByArg::UsageType => GroupBy::UsageType,
    });
    Ok(report::render(&estimate, format, by))
}
