//! The options commands share (output format, price file, month) and how they are resolved:
//! model files into documents and designs, a month into a billing period, a price file or the
//! embedded snapshot into a price book, and output files written whole.

use std::path::{Path, PathBuf};

use archcost::price_book::PriceHistory;
use archcost::progress::Unit;
use archcost::report::{Format, Report};
use archcost::uncertainty::Distribution;
use archcost::units::Region;
use archcost::vocabulary::calendar::check_date;
use archcost::{
    BillingPeriod, Error, ModelDocument, ModelError, PriceBook, PriceBookError, Topology,
};
use clap::ValueEnum;

/// Options every command on a model shares: how to write the result, which prices, which month.
#[derive(clap::Args)]
pub struct Common {
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub pricing: Pricing,
    /// Estimate a calendar month (its real hours, UTC) instead of the standard 730-hour month.
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
}

/// How a command writes its result.
#[derive(clap::Args)]
pub struct Output {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    format: FormatArg,
    /// Write the output to FILE (whole, or not at all) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print no warnings or notes on stderr (they stay in the output's own tables and JSON).
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more when something fails (the AWS SDK's own account of an error).
    #[arg(short, long)]
    pub verbose: bool,
    /// Tables at full width on a terminal (long descriptions and every column).
    #[arg(long)]
    pub wide: bool,
}

/// Where and as whom to call AWS, for commands that read from it.
#[derive(clap::Args)]
pub struct AwsArgs {
    /// AWS profile (for Cost Explorer and S3 sources).
    #[arg(long)]
    profile: Option<String>,
    /// AWS region (for S3 sources; Cost Explorer is called in us-east-1 unless set).
    #[arg(long)]
    region: Option<String>,
    /// Endpoint to call instead of AWS (also AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
}

impl AwsArgs {
    /// The SDK options, saying more on failure with `verbose`.
    pub fn options(&self, verbose: bool) -> archcost::aws::AwsOptions {
        archcost::aws::AwsOptions {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            verbose,
            ..Default::default()
        }
    }
}

/// Who reads a bill, for the commands that read one: archcost itself (files, S3, Cost
/// Explorer), or Amazon Athena over the export's table.
#[derive(clap::Args)]
pub struct EngineArgs {
    /// Who reads the bill: archcost (the files, S3 prefix or Cost Explorer source given), or
    /// Amazon Athena over the export's table (--database, --table), which sends back only the
    /// sums.
    #[arg(long, value_enum, default_value_t = EngineArg::Local)]
    engine: EngineArg,
    /// Athena: the database (Glue database) holding the export's table.
    #[arg(long, value_name = "NAME")]
    database: Option<String>,
    /// Athena: the export's table (the one AWS Data Exports or a Glue crawler created).
    #[arg(long, value_name = "NAME")]
    table: Option<String>,
    /// Athena: the workgroup queries run in (default: primary).
    #[arg(long, value_name = "NAME")]
    workgroup: Option<String>,
    /// Athena: where query results are written, s3://BUCKET/PREFIX/ (default: the
    /// workgroup's location).
    #[arg(long, value_name = "S3_URL")]
    athena_output: Option<String>,
    /// Athena: the data catalog (default: AwsDataCatalog).
    #[arg(long, value_name = "NAME")]
    catalog: Option<String>,
    /// Athena: seconds a query may run before it is stopped (StopQueryExecution).
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    timeout: u64,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EngineArg {
    /// archcost reads the source itself.
    Local,
    /// Amazon Athena queries the export's table.
    Athena,
}

impl EngineArgs {
    /// The bill to read: `given` (named by `flag` in messages) with the local engine, the
    /// table as `athena:DATABASE.TABLE` with Athena; `None` when neither names one.
    pub fn source(&self, given: Option<&str>, flag: &str) -> Result<Option<String>, Error> {
        let athena_only = [
            ("--database", self.database.is_some()),
            ("--table", self.table.is_some()),
            ("--workgroup", self.workgroup.is_some()),
            ("--athena-output", self.athena_output.is_some()),
            ("--catalog", self.catalog.is_some()),
        ];
        match self.engine {
            EngineArg::Local => {
                if let Some((name, _)) = athena_only.iter().find(|(_, set)| *set) {
                    return Err(Error::Usage(format!(
                        "{name} applies to --engine athena; add --engine athena or drop {name}"
                    )));
                }
                Ok(given.map(str::to_string))
            }
            EngineArg::Athena => {
                if let Some(g) = given {
                    return Err(Error::Usage(format!(
                        "{flag} {g}: with --engine athena the bill is the table (--database, --table); give one or the other"
                    )));
                }
                let (Some(database), Some(table)) = (&self.database, &self.table) else {
                    return Err(Error::Usage(
                        "--engine athena needs --database and --table: the export's table in Athena".into(),
                    ));
                };
                if let Some(o) = &self.athena_output
                    && !o.starts_with("s3://")
                {
                    return Err(Error::Usage(format!(
                        "--athena-output {o}: expected an s3://BUCKET/PREFIX/ location"
                    )));
                }
                if self.timeout == 0 {
                    return Err(Error::Usage("--timeout must be at least 1 second".into()));
                }
                Ok(Some(format!("athena:{database}.{table}")))
            }
        }
    }

    /// The AWS options of `aws`, with these Athena settings.
    pub fn options(&self, aws: &AwsArgs, verbose: bool) -> archcost::aws::AwsOptions {
        archcost::aws::AwsOptions {
            athena: archcost::aws::athena::Settings {
                catalog: self.catalog.clone(),
                workgroup: self.workgroup.clone(),
                output: self.athena_output.clone(),
                timeout: std::time::Duration::from_secs(self.timeout),
            },
            ..aws.options(verbose)
        }
    }
}

/// Which prices a command uses.
#[derive(clap::Args)]
pub struct Pricing {
    /// A price file, or a folder of dated snapshots (searched recursively), to use instead of
    /// the embedded snapshots.
    #[arg(long, value_name = "FILE|DIR")]
    prices: Option<PathBuf>,
    /// Use the price snapshot in force on DATE (the newest dated on or before it) instead of the
    /// newest; `reconcile` takes the one in force at the end of the billing month by default.
    #[arg(long, value_name = "YYYY-MM-DD")]
    prices_at: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Table,
    Json,
    Csv,
    Markdown,
}

impl Common {
    /// The billing period: `--month`, else the standard 730-hour month.
    pub fn period(&self) -> Result<BillingPeriod, Error> {
        match &self.month {
            Some(m) => month(m),
            None => Ok(BillingPeriod::standard_month()),
        }
    }

    /// See [`Output::format`].
    pub fn format(&self) -> Format {
        self.output.format()
    }

    /// See [`Output::render`].
    pub fn render<R: Report>(&self, report: &R) -> String {
        self.output.render(report)
    }

    /// See [`Output::say`].
    pub fn say(&self, text: &str) {
        self.output.say(text)
    }

    /// See [`Output::deliver`].
    pub fn deliver(&self, text: String) -> Result<String, Error> {
        self.output.deliver(text)
    }

    /// See [`Pricing::prices`].
    pub fn prices(&self, topology: &Topology) -> Result<PriceBook, Error> {
        self.pricing.prices(topology)
    }

    /// See [`Pricing::prices_during`].
    pub fn prices_during(
        &self,
        topology: &Topology,
        period: &BillingPeriod,
    ) -> Result<(PriceBook, Option<String>), Error> {
        self.pricing.prices_during(topology, period)
    }
}

impl Output {
    /// The output format.
    pub fn format(&self) -> Format {
        match self.format {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
            FormatArg::Markdown => Format::Markdown,
        }
    }
}

impl Pricing {
    /// The price book for a topology: the snapshot in force on `--prices-at`, else the newest,
    /// from the file or folder given or the embedded snapshots of its region.
    pub fn prices(&self, topology: &Topology) -> Result<PriceBook, Error> {
        self.prices_on(topology, None)
    }

    /// The price book in force during a billing period: the snapshot in force on `--prices-at`,
    /// else at the end of the period (a calendar month), else the newest.
    ///
    /// A period older than every snapshot takes the oldest, with a warning (the price effects
    /// then include every change since); an explicit `--prices-at` before them is an error.
    pub fn prices_during(
        &self,
        topology: &Topology,
        period: &BillingPeriod,
    ) -> Result<(PriceBook, Option<String>), Error> {
        if self.prices_at()?.is_some() {
            return Ok((self.prices(topology)?, None));
        }
        let Some(end) = period.last_day() else {
            return Ok((self.prices(topology)?, None));
        };
        let history = self.region_history(topology)?;
        match history.at(end) {
            Ok(book) => Ok((book.clone(), None)),
            Err(PriceBookError::BeforeHistory { oldest, .. }) => {
                let book = history.books()[0].clone();
                let warning = format!(
                    "no price snapshot of {} was in force in {}: priced with the oldest, {} ({oldest}); price effects include every change since",
                    topology.region,
                    period.label(),
                    book.origin()
                );
                Ok((book, Some(warning)))
            }
            Err(e) => Err(e.into()),
        }
    }

    fn prices_on(
        &self,
        topology: &Topology,
        default_date: Option<&str>,
    ) -> Result<PriceBook, Error> {
        let history = self.region_history(topology)?;
        match self.prices_at()?.or(default_date) {
            Some(date) => Ok(history.at(date)?.clone()),
            None => Ok(history.newest().clone()),
        }
    }

    /// The snapshots of the topology's region; a region without any points at its field.
    fn region_history(&self, topology: &Topology) -> Result<PriceHistory, Error> {
        self.history(topology.region).map_err(|e| match e {
            // Point at the model's `region` field: that is what the user would change.
            Error::PriceBook(e @ PriceBookError::NoSnapshot { .. }) => {
                let at = topology.source.locate("region");
                Error::from(ModelError {
                    file: topology.source.file().to_string(),
                    line: at.as_ref().map(|l| l.line),
                    column: at.as_ref().map(|l| l.column),
                    field: Some("region".into()),
                    message: e.to_string(),
                })
            }
            other => other,
        })
    }

    /// `--prices-at`, checked.
    fn prices_at(&self) -> Result<Option<&str>, Error> {
        match &self.prices_at {
            Some(d) => {
                check_date(d).map_err(|e| Error::Usage(format!("--prices-at: {e}")))?;
                Ok(Some(d))
            }
            None => Ok(None),
        }
    }

    /// The dated snapshots of a region: from `--prices`, else embedded.
    pub fn history(&self, region: Region) -> Result<PriceHistory, Error> {
        match &self.prices {
            Some(path) => load_history(path, region),
            None => Ok(PriceHistory::embedded(region)?),
        }
    }

    /// The snapshot of a region in force on `--prices-at`, else the newest.
    pub fn book(&self, region: Region) -> Result<PriceBook, Error> {
        let history = self.history(region)?;
        match self.prices_at()? {
            Some(date) => Ok(history.at(date)?.clone()),
            None => Ok(history.newest().clone()),
        }
    }

    /// The `--prices` path, if given.
    pub fn path(&self) -> Option<&Path> {
        self.prices.as_deref()
    }
}

/// The price files under a folder (recursively), or the one file given.
pub fn price_files(path: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |p: &Path| {
        let p = p.display().to_string();
        move |source| Error::Io { path: p, source }
    };
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let p = entry.map_err(io(&dir))?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The snapshots of `region` in a price file or folder. In a folder, other regions' files are
/// passed over; a file that is not a price file is an error.
pub fn load_history(path: &Path, region: Region) -> Result<PriceHistory, Error> {
    let files = price_files(path)?;
    let single = !path.is_dir();
    let mut books = Vec::new();
    for file in &files {
        let text = read(file)?;
        match PriceBook::from_json(&text, &file.display().to_string(), region) {
            Ok(book) => books.push(book),
            Err(PriceBookError::RegionMismatch { .. }) if !single => {}
            Err(e) => return Err(e.into()),
        }
    }
    if books.is_empty() {
        return Err(Error::Usage(format!(
            "--prices {}: no price snapshot for {region} in {} JSON file(s); expected files written by `archcost prices update --region {region}`",
            path.display(),
            files.len()
        )));
    }
    Ok(PriceHistory::new(region, books)?)
}

impl Output {
    /// A report rendered in the chosen format. With CSV and JSON, whose readers are programs,
    /// the report's warnings and notes are also printed on stderr so that a person sees them
    /// (unless `--quiet`).
    pub fn render<R: Report>(&self, report: &R) -> String {
        let format = self.format();
        if matches!(format, Format::Csv | Format::Json) {
            self.say(&report.diagnostics().join("\n"));
        }
        archcost::report::render_within(report, format, self.width())
    }

    /// The width tables fit: the terminal's when the output goes to one, else none.
    fn width(&self) -> Option<usize> {
        use std::io::IsTerminal;
        if self.wide || self.output.is_some() || !std::io::stdout().is_terminal() {
            return None;
        }
        terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
    }

    /// Prints lines for the person at the terminal on stderr, unless `--quiet`.
    pub fn say(&self, text: &str) {
        if !self.quiet && !text.is_empty() {
            eprintln!("{}", text.trim_end());
        }
    }

    /// Delivers a command's output: written to `--output` (whole, or not at all; nothing then
    /// goes to stdout), or returned for standard output.
    pub fn deliver(&self, text: String) -> Result<String, Error> {
        match &self.output {
            Some(path) => {
                write_atomically(path, &text)?;
                Ok(String::new())
            }
            None => Ok(text),
        }
    }
}

/// A Monte Carlo run of `samples` draws over the model's usage ranges, on every core, shown
/// as a progress step of draws.
pub fn sample(
    doc: &ModelDocument,
    variant: Option<&str>,
    samples: usize,
    seed: u64,
    prices: &PriceBook,
    period: &BillingPeriod,
) -> Result<Distribution, Error> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let step = archcost::progress::begin("sampling", Some(samples as u64), Unit::Draws);
    archcost::uncertainty::sample_reporting(
        doc,
        variant,
        samples,
        seed,
        threads,
        prices,
        period,
        &|n| step.advance(n as u64),
    )
    .map_err(Error::from)
}

/// A `YYYY-MM` month as a billing period.
pub fn month(m: &str) -> Result<BillingPeriod, Error> {
    m.parse().map_err(|e| Error::Usage(format!("--month: {e}")))
}

/// Reads a model file.
pub fn document(path: &Path) -> Result<ModelDocument, Error> {
    ModelDocument::load(path).map_err(Error::from)
}

/// A model file's base design or one of its variants.
pub fn design(path: &Path, variant: Option<&str>) -> Result<Topology, Error> {
    document(path)?.topology(variant, &[]).map_err(Error::from)
}

/// Reads a text file.
pub fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Refuses to write `path` when the command line also names it as an input, or (for a
/// directory to be replaced) names a file inside it: the output would destroy what was read.
pub fn refuse_overwriting_inputs(path: &Path) -> Result<(), Error> {
    let Ok(target) = path.canonicalize() else {
        // Nothing there yet: nothing to overwrite.
        return Ok(());
    };
    let mut named = 0;
    for arg in std::env::args_os().skip(1) {
        let arg = PathBuf::from(arg);
        // `--flag=VALUE` names VALUE.
        let value = arg
            .to_str()
            .and_then(|a| a.strip_prefix("--")?.split_once('='))
            .map(|(_, v)| PathBuf::from(v));
        for candidate in std::iter::once(arg).chain(value) {
            let Ok(c) = candidate.canonicalize() else {
                continue;
            };
            if c == target {
                named += 1;
            } else if target.is_dir() && c.starts_with(&target) {
                return Err(Error::Usage(format!(
                    "{}: the output would replace {}, an input of this command; write it elsewhere",
                    path.display(),
                    candidate.display()
                )));
            }
        }
    }
    // Once as the output itself; more is as an input too.
    if named > 1 {
        return Err(Error::Usage(format!(
            "{}: is an input of this command too; write the output elsewhere",
            path.display()
        )));
    }
    Ok(())
}

/// Writes a file whole or not at all: a temporary file beside it, then a rename; never over
/// an input of the command ([`refuse_overwriting_inputs`]).
pub fn write_atomically(path: &Path, text: &str) -> Result<(), Error> {
    refuse_overwriting_inputs(path)?;
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let io = |source| Error::Write {
        path: path.display().to_string(),
        source,
    };
    std::fs::write(&tmp, text).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}

/// Today's date (UTC), from the system clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
