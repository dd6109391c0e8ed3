//! `archcost reconcile`: the estimate against a month of actual spend, with price and usage
//! effects; optionally a calibrated copy of the model.

use std::path::PathBuf;

use anyhow::Context as _;
use archcost::actuals::export::ExportFormat;
use archcost::actuals::{self, ActualsError};
use archcost::report::{self, Format};
use archcost::{Error, calibrate};
use clap::ValueEnum;

use super::options::{AwsArgs, Common, EngineArgs, document, month, write_atomically};

#[derive(clap::Args)]
#[command(mut_arg("month", |a| a.help("The month to reconcile, YYYY-MM (default: the latest month with spend in the actuals); the estimate uses its real hours")))]
#[command(after_help = "Examples:
  archcost reconcile --model models/fintech-global-platform.yaml --actuals ce:2026-10
  archcost reconcile --model M.yaml --actuals ce:2026-08..2026-10 --month 2026-09 --filter-tag Environment=prod
  archcost reconcile --model M.yaml --actuals exports/ --tolerance 5% --write-calibrated M2.yaml
  archcost reconcile --model M.yaml --actuals s3://billing/cur/ --profile billing --region us-east-1")]
pub struct Args {
    /// The topology file (YAML).
    #[arg(long)]
    model: PathBuf,
    /// Actual spend: `ce:YYYY-MM` or `ce:YYYY-MM..YYYY-MM` (the Cost Explorer API, with the
    /// standard AWS credentials), `s3://BUCKET/PREFIX` (CUR 2.0 or FOCUS exports in S3), a saved
    /// Cost Explorer response (.json), CUR 2.0 / FOCUS exports (Parquet, CSV, CSV.gz) as a
    /// file, a directory of parts or a glob, or an Athena table (athena:DATABASE.TABLE, or
    /// --engine athena --database D --table T instead of --actuals).
    #[arg(long, value_name = "SRC")]
    actuals: Option<String>,
    /// Force the export format instead of detecting it from the columns.
    #[arg(long, value_enum)]
    export_format: Option<ExportFormatArg>,
    /// Reconcile a variant of the model.
    #[arg(long, value_name = "NAME")]
    variant: Option<String>,
    /// Allowed variance before a component is flagged, e.g. 10%.
    #[arg(long, default_value = "10%")]
    tolerance: String,
    /// Only spend with this tag, KEY=VALUE (e.g. Environment=prod): a Cost Explorer filter, or
    /// the resource tags of export lines (CUR's `user:KEY` too); untagged lines are left out.
    #[arg(long, value_name = "KEY=VALUE")]
    filter_tag: Option<String>,
    /// Cost Explorer only: only spend of this linked account.
    #[arg(long, value_name = "ACCOUNT_ID")]
    linked_account: Option<String>,
    /// Cost Explorer only: ask for DAILY results (summed into the month) instead of MONTHLY.
    #[arg(long)]
    daily: bool,
    #[command(flatten)]
    aws: AwsArgs,
    #[command(flatten)]
    engine: EngineArgs,
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

/// `10%` or `10` as a percentage.
pub fn tolerance(text: &str) -> Result<f64, Error> {
    text.trim_end_matches('%')
        .parse()
        .ok()
        .filter(|t: &f64| t.is_finite() && *t >= 0.0)
        .ok_or_else(|| {
            Error::Usage(format!(
                "--tolerance {text}: expected a percentage such as 10%"
            ))
        })
}

/// `KEY=VALUE`.
fn tag(text: &str) -> Result<(String, String), Error> {
    text.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| Error::Usage(format!("--filter-tag {text}: expected KEY=VALUE")))
}

/// The month asked for (`--month`), else the latest month with spend in the actuals.
pub fn month_of(actuals: &actuals::MonthlyActuals, asked: Option<&str>) -> Result<String, Error> {
    match asked {
        Some(m) => Ok(m.to_string()),
        None => actuals.latest_month().map(str::to_string).ok_or_else(|| {
            Error::from(ActualsError::EmptyMonth {
                origin: actuals.source.clone(),
                month: "any month".into(),
                available: "none".into(),
            })
        }),
    }
}

pub fn run(args: Args) -> anyhow::Result<String> {
    let tolerance = tolerance(&args.tolerance)?;
    let tag = args.filter_tag.as_deref().map(tag).transpose()?;
    if args.write_calibrated.is_some() && args.variant.is_some() {
        return Err(Error::Usage(
            "--write-calibrated writes the base design; drop --variant".into(),
        )
        .into());
    }
    let forced = args.export_format.map(|f| match f {
        ExportFormatArg::Cur => ExportFormat::Cur2,
        ExportFormatArg::Focus => ExportFormat::Focus,
    });
    let doc = document(&args.model)?;
    let topology = doc
        .topology(args.variant.as_deref(), &[])
        .map_err(Error::from)?;
    let aws = args.engine.options(&args.aws, args.common.output.verbose);
    let Some(source) = args.engine.source(args.actuals.as_deref(), "--actuals")? else {
        return Err(Error::Usage(
            "no actuals: give --actuals SRC, or --engine athena --database D --table T".into(),
        )
        .into());
    };
    let months: Vec<String> = args.common.month.iter().cloned().collect();
    let actuals = actuals::load_months(&source, forced, &aws, &months, |q| {
        q.tag = tag;
        q.linked_account = args.linked_account.clone();
        q.daily = args.daily;
    })
    .map_err(Error::from)?;
    let month_key = month_of(&actuals, args.common.month.as_deref())?;
    let period = month(&month_key)?;
    let rows = actuals.month(&month_key).map_err(Error::from)?;
    let (prices, stale) = args.common.prices_during(&topology, &period)?;
    let estimate = archcost::estimate(&topology, &prices, &period)
        .map_err(Error::from)
        .with_context(|| format!("estimating {}", args.model.display()))?;
    let source = archcost::actuals::athena::described(&source, &actuals.format, &actuals.queries);
    let mut r = archcost::reconcile::reconcile(
        &topology, &estimate, &prices, rows, &month_key, &source, tolerance,
    );
    if actuals.estimated_months.contains(&month_key) {
        r.warnings.insert(
            0,
            format!("Cost Explorer marks {month_key} as estimated: the figures may still change"),
        );
    }
    r.warnings.extend(stale);
    r.warnings.extend(actuals.notes.iter().cloned());
    let format = args.common.format();
    let mut output = args.common.render(&r);
    if let Some(path) = &args.write_calibrated {
        let calibration = calibrate::calibrate(&topology, &r);
        let calibrated =
            calibrate::apply(doc.text(), &topology, &calibration).map_err(Error::from)?;
        write_atomically(path, &calibrated)?;
        let log = report::render_calibration(&calibration, &path.display().to_string());
        // Keep machine-readable output clean: the change list goes to stderr then.
        match format {
            Format::Table | Format::Markdown => output.push_str(&log),
            Format::Json | Format::Csv => args.common.say(&log),
        }
    }
    Ok(args.common.deliver(output)?)
}
