//! The `archcost` command line: parses flags, calls the library, prints, sets the exit code
//! (0 success, 1 bad input, 2 internal error).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use archcost::report::{self, Format};
use archcost::topology_file::ModelDocument;
use archcost::{BillingPeriod, GroupBy, PriceBook, Topology};
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "archcost",
    version,
    about = "AWS cost modeling: estimate, compare and check the savings of architectures, hour by hour"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Estimate a topology file's monthly cost.
    Estimate(EstimateArgs),
    /// Compare designs: totals and the difference per component and per service.
    Compare(CompareArgs),
    /// Savings against a provisioned baseline, lever by lever.
    Savings(SavingsArgs),
    /// Sweep a numeric field over a range; with two designs, find the break-even points.
    Sweep(SweepArgs),
    /// Reconcile the estimate with actual spend, component by component.
    Reconcile(ReconcileArgs),
}

#[derive(Args)]
struct ReconcileArgs {
    /// The topology file (YAML).
    #[arg(long)]
    model: PathBuf,
    /// Actual spend: a saved Cost Explorer response (.json), or CUR 2.0 / FOCUS exports (Parquet,
    /// CSV, CSV.gz) as a file, a directory of parts or a glob.
    #[arg(long, value_name = "SRC")]
    actuals: String,
    /// Force the export format instead of detecting it from the columns.
    #[arg(long, value_enum)]
    export_format: Option<ExportFormatArg>,
    /// Reconcile a variant of the model.
    #[arg(long, value_name = "NAME")]
    variant: Option<String>,
    /// Allowed variance before a component is flagged, e.g. 10%.
    #[arg(long, default_value = "10%")]
    tolerance: String,
    /// Cost Explorer: only spend with this tag, KEY=VALUE (e.g. Environment=prod).
    #[arg(long, value_name = "KEY=VALUE")]
    filter_tag: Option<String>,
    /// Cost Explorer: only spend of this linked account.
    #[arg(long, value_name = "ACCOUNT_ID")]
    linked_account: Option<String>,
    /// Cost Explorer: ask for DAILY results (summed into the month) instead of MONTHLY.
    #[arg(long)]
    daily: bool,
    /// AWS profile for Cost Explorer and S3 sources.
    #[arg(long)]
    profile: Option<String>,
    /// AWS region for S3 sources (Cost Explorer defaults to us-east-1).
    #[arg(long)]
    region: Option<String>,
    /// Endpoint to call instead of AWS (also AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// Write a copy of the model whose usage fields reproduce the actual quantities.
    #[arg(long, value_name = "FILE")]
    write_calibrated: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormatArg {
    Cur,
    Focus,
}

/// Options every command shares.
#[derive(Args)]
struct Common {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    format: FormatArg,
    /// A price file to use instead of the embedded snapshot.
    #[arg(long, value_name = "FILE")]
    prices: Option<PathBuf>,
    /// Estimate a calendar month (its real hours, UTC) instead of the standard 730-hour month.
    #[arg(long, value_name = "YYYY-MM")]
    month: Option<String>,
}

#[derive(Args)]
struct EstimateArgs {
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

#[derive(Args)]
struct SweepArgs {
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

#[derive(Args)]
struct CompareArgs {
    /// Topology files; the first is the reference the differences are taken against.
    #[arg(required = true)]
    models: Vec<PathBuf>,
    /// Add every variant of each model beside its base design.
    #[arg(long)]
    all_variants: bool,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct SavingsArgs {
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
        Command::Compare(args) => compare(args),
        Command::Savings(args) => savings(args),
        Command::Sweep(args) => sweep(args),
        Command::Reconcile(args) => reconcile(args),
    }
}

impl Common {
    fn period(&self) -> Result<BillingPeriod, archcost::Error> {
        match &self.month {
            Some(m) => m
                .parse()
                .map_err(|e| archcost::Error::Usage(format!("--month: {e}"))),
            None => Ok(BillingPeriod::standard_month()),
        }
    }

    fn format(&self) -> Format {
        match self.format {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
            FormatArg::Markdown => Format::Markdown,
        }
    }

    /// The price book for a topology: the file given, or the embedded snapshot of its region.
    fn prices(&self, topology: &Topology) -> Result<PriceBook, archcost::Error> {
        match &self.prices {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| archcost::Error::Io {
                    path: path.display().to_string(),
                    source,
                })?;
                Ok(PriceBook::from_json(
                    &text,
                    &path.display().to_string(),
                    topology.region,
                )?)
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
            }),
        }
    }
}

fn document(path: &Path) -> Result<ModelDocument, archcost::Error> {
    ModelDocument::load(path).map_err(archcost::Error::from)
}

fn design(path: &Path, variant: Option<&str>) -> Result<Topology, archcost::Error> {
    Ok(document(path)?
        .topology(variant, &[])
        .map_err(archcost::TopologyError::from)?)
}

fn estimate(args: EstimateArgs) -> anyhow::Result<String> {
    let period = args.common.period()?;
    let doc = document(&args.model)?;
    let topology = doc
        .topology(args.variant.as_deref(), &[])
        .map_err(archcost::TopologyError::from)
        .map_err(archcost::Error::from)?;
    let prices = args.common.prices(&topology)?;
    if let Some(samples) = args.samples {
        if samples == 0 {
            return Err(archcost::Error::Usage("--samples must be at least 1".into()).into());
        }
        if doc.ranges().is_empty() {
            return Err(archcost::Error::Usage(format!(
                "--samples: {} has no usage ranges; write a field as {{p10: LOW, p90: HIGH}} to sample it",
                args.model.display()
            ))
            .into());
        }
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let d = archcost::uncertainty::sample(
            &doc,
            args.variant.as_deref(),
            samples,
            args.seed,
            threads,
            &prices,
            &period,
        )
        .map_err(archcost::Error::from)?;
        return Ok(report::render_distribution(&d, args.common.format()));
    }
    let estimate = archcost::estimate(&topology, &prices, &period)
        .map_err(archcost::Error::from)
        .with_context(|| format!("estimating {}", args.model.display()))?;
    let by = args.by.map(|b| match b {
        ByArg::Component => GroupBy::Component,
        ByArg::Service => GroupBy::Service,
        ByArg::UsageType => GroupBy::UsageType,
    });
    Ok(report::render(&estimate, args.common.format(), by))
}

fn compare(args: CompareArgs) -> anyhow::Result<String> {
    let period = args.common.period()?;
    let mut designs = Vec::new();
    for path in &args.models {
        let doc = document(path)?;
        designs.push(
            doc.topology(None, &[])
                .map_err(archcost::TopologyError::from)?,
        );
        if args.all_variants {
            for name in doc.variant_names() {
                designs.push(
                    doc.topology(Some(name), &[])
                        .map_err(archcost::TopologyError::from)?,
                );
            }
        }
    }
    if designs.len() < 2 {
        return Err(archcost::Error::Usage(
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
                .map_err(archcost::Error::from)
                .with_context(|| format!("estimating {}", t.name))?,
        );
    }
    Ok(report::render_comparison(
        &archcost::compare::compare(&estimates),
        args.common.format(),
    ))
}

fn savings(args: SavingsArgs) -> anyhow::Result<String> {
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
    .map_err(archcost::Error::from)
    .with_context(|| format!("savings of {}", args.model.display()))?;
    Ok(report::render_savings(&savings, args.common.format()))
}

fn sweep(args: SweepArgs) -> anyhow::Result<String> {
    let period = args.common.period()?;
    let spec =
        archcost::sweep::SweepSpec::parse(&args.set, args.steps).map_err(archcost::Error::Usage)?;
    let docs = args
        .models
        .iter()
        .map(|p| document(p))
        .collect::<Result<Vec<_>, _>>()?;
    let candidates: Vec<archcost::sweep::Candidate<'_>> = if args.variants.is_empty() {
        docs.iter()
            .map(|d| archcost::sweep::Candidate {
                document: d,
                variant: None,
            })
            .collect()
    } else if docs.len() == 1 {
        args.variants
            .iter()
            .map(|v| archcost::sweep::Candidate {
                document: &docs[0],
                variant: if v == "base" && !docs[0].variant_names().contains(&"base") {
                    None
                } else {
                    Some(v.as_str())
                },
            })
            .collect()
    } else {
        return Err(archcost::Error::Usage("--variant applies to a single model; give one model with its variants, or several models".into()).into());
    };
    let first = candidates[0]
        .document
        .topology(candidates[0].variant, &[])
        .map_err(archcost::TopologyError::from)
        .map_err(archcost::Error::from)?;
    let prices = args.common.prices(&first)?;
    let s = archcost::sweep::sweep(&candidates, &spec, &prices, &period)
        .map_err(archcost::Error::from)?;
    Ok(report::render_sweep(&s, args.common.format()))
}

fn reconcile(args: ReconcileArgs) -> anyhow::Result<String> {
    let tolerance: f64 = args
        .tolerance
        .trim_end_matches('%')
        .parse()
        .ok()
        .filter(|t: &f64| t.is_finite() && *t >= 0.0)
        .ok_or_else(|| {
            archcost::Error::Usage(format!(
                "--tolerance {}: expected a percentage such as 10%",
                args.tolerance
            ))
        })?;
    let forced = args.export_format.map(|f| match f {
        ExportFormatArg::Cur => archcost::actuals::export::ExportFormat::Cur2,
        ExportFormatArg::Focus => archcost::actuals::export::ExportFormat::Focus,
    });
    let topology = design(&args.model, args.variant.as_deref())?;
    let tag = match &args.filter_tag {
        Some(t) => Some(
            t.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| {
                    archcost::Error::Usage(format!("--filter-tag {t}: expected KEY=VALUE"))
                })?,
        ),
        None => None,
    };
    let aws = archcost::aws::AwsOptions {
        profile: args.profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
    };
    let actuals = archcost::actuals::load_from(&args.actuals, forced, &aws, |q| {
        q.tag = tag;
        q.linked_account = args.linked_account.clone();
        q.daily = args.daily;
    })
    .map_err(archcost::Error::from)?;
    let month = match &args.common.month {
        Some(m) => m.clone(),
        None => actuals
            .latest_month()
            .ok_or_else(|| {
                archcost::Error::from(archcost::actuals::ActualsError::EmptyMonth {
                    origin: args.actuals.clone(),
                    month: "any month".into(),
                    available: "none".into(),
                })
            })?
            .to_string(),
    };
    let period: BillingPeriod = month
        .parse()
        .map_err(|e| archcost::Error::Usage(format!("--month: {e}")))?;
    let rows = actuals.month(&month).map_err(archcost::Error::from)?;
    let prices = args.common.prices(&topology)?;
    let estimate = archcost::estimate(&topology, &prices, &period)
        .map_err(archcost::Error::from)
        .with_context(|| format!("estimating {}", args.model.display()))?;
    let source = format!("{} ({})", args.actuals, actuals.format);
    let mut r =
        archcost::reconcile::reconcile(&topology, &estimate, rows, &month, &source, tolerance);
    if actuals.estimated_months.contains(&month) {
        r.warnings.insert(
            0,
            format!("Cost Explorer marks {month} as estimated: the figures may still change"),
        );
    }
    r.warnings.extend(actuals.notes.iter().cloned());
    let mut output = report::render_reconciliation(&r, args.common.format());
    if let Some(path) = &args.write_calibrated {
        if args.variant.is_some() {
            return Err(archcost::Error::Usage(
                "--write-calibrated writes the base design; drop --variant".into(),
            )
            .into());
        }
        let calibration = archcost::calibrate::calibrate(&topology, &r);
        let text = std::fs::read_to_string(&args.model).map_err(|source| archcost::Error::Io {
            path: args.model.display().to_string(),
            source,
        })?;
        let calibrated = archcost::calibrate::apply(&text, &topology, &calibration)
            .map_err(|m| anyhow::anyhow!("calibrating {}: {m}", args.model.display()))?;
        write_atomically(path, &calibrated)?;
        let mut log = format!("\nCalibrated model written to {}:\n", path.display());
        for c in &calibration.changes {
            log.push_str(&format!(
                "  {}: {} -> {}   ({})\n",
                c.path, c.old, c.new, c.reason
            ));
        }
        for s in &calibration.skipped {
            log.push_str(&format!("  not calibrated: {s}\n"));
        }
        if calibration.changes.is_empty() {
            log.push_str("  no field changed: every calibratable quantity matched\n");
        }
        // Keep machine-readable output clean: the change list goes to stderr then.
        match args.common.format() {
            Format::Table | Format::Markdown => output.push_str(&log),
            Format::Json | Format::Csv => eprint!("{log}"),
        }
    }
    Ok(output)
}

/// Writes a file whole or not at all: a temporary file beside it, then a rename.
fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let io = |source| archcost::Error::Io {
        path: path.display().to_string(),
        source,
    };
    std::fs::write(&tmp, text).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })?;
    Ok(())
}
