//! The options commands share (output format, price file, month) and how they are resolved:
//! model files into documents and designs, a month into a billing period, a price file or the
//! embedded snapshot into a price book, and output files written whole.

use std::path::{Path, PathBuf};

use archcost::report::{Format, Report};
use archcost::{BillingPeriod, Error, ModelDocument, ModelError, PriceBook, Topology};
use clap::ValueEnum;

/// Options every command shares.
#[derive(clap::Args)]
pub struct Common {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    format: FormatArg,
    /// A price file to use instead of the embedded snapshot.
    #[arg(long, value_name = "FILE")]
    prices: Option<PathBuf>,
    /// Estimate a calendar month (its real hours, UTC) instead of the standard 730-hour month.
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
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

    /// The output format.
    pub fn format(&self) -> Format {
        match self.format {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
            FormatArg::Markdown => Format::Markdown,
        }
    }

    /// The price book for a topology: the file given, or the embedded snapshot of its region.
    pub fn prices(&self, topology: &Topology) -> Result<PriceBook, Error> {
        match &self.prices {
            Some(path) => {
                let text = read(path)?;
                Ok(PriceBook::from_json(
                    &text,
                    &path.display().to_string(),
                    topology.region,
                )?)
            }
            None => PriceBook::embedded(topology.region).map_err(|e| {
                // Point at the model's `region` field: that is what the user would change.
                let at = topology.source.locate("region");
                Error::from(ModelError {
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

impl Common {
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

/// Writes a file whole or not at all: a temporary file beside it, then a rename.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), Error> {
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
