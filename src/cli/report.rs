//! `archcost report`: the monthly cost review in one command: `report.html`, `report.md`,
//! charts and data exports, written to a directory whole or not at all.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use archcost::actuals::table_export::{ExportColumn, parquet};
use archcost::actuals::tagged::CostBasis;
use archcost::actuals::{self, ActualsError, MonthlyActuals};
use archcost::analysis::reconcile::{ActualRow, ChargeCategory};
use archcost::analysis::tags::TagQuery;
use archcost::report::{RightsizeReport, TagsReport};
use archcost::review::{self, Actuals, Cell, ColumnKind, DataTable, Inputs, OutputFile, Previous};
use archcost::sweep::{Candidate, SweepSpec};
use archcost::{BillingPeriod, Error};

use super::bill::tag_report;
use super::options::{AwsArgs, EngineArgs, Pricing, document, month, sample};
use super::reconcile::month_of;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  archcost report --model models/fintech-global-platform.yaml --out review/
  archcost report --model models/fintech-global-platform.yaml --baseline models/fintech-provisioned-baseline.yaml \\
      --actuals exports/ --previous-month 2026-09 --require-tags CostCenter,Environment,Owner \\
      --rightsizing ecs.json --sweep workload.peak_tps=100..3000 --samples 1000 --out review/ --force

Writes DIR/report.html (self-contained), DIR/report.md, DIR/charts/*.svg|png and
DIR/data/*.csv|parquet. A section whose input is not given is left out, and the report says so.")]
pub struct Args {
    /// The topology file (YAML).
    #[arg(long)]
    model: PathBuf,
    /// Review a named variant of the model.
    #[arg(long, value_name = "NAME")]
    variant: Option<String>,
    /// A topology file to use as the provisioned baseline instead of the derived twin; it is
    /// also swept beside the model (for the break-even).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Actual spend: `ce:YYYY-MM[..YYYY-MM]`, `s3://BUCKET/PREFIX`, a saved Cost Explorer
    /// response (.json), CUR 2.0 / FOCUS exports (a file, a folder or a glob), or an Athena
    /// table (athena:DATABASE.TABLE, or --engine athena --database D --table T instead).
    #[arg(long, value_name = "SRC")]
    actuals: Option<String>,
    /// The month to review, YYYY-MM (default: the latest month with spend in the actuals,
    /// else the standard 730-hour month).
    #[arg(long, value_name = "YYYY-MM")]
    month: Option<String>,
    /// The previous month's actual spend, from another source; it must hold the month before.
    #[arg(long, value_name = "SRC", conflicts_with = "previous_month")]
    previous: Option<String>,
    /// The previous month, from the same actuals (YYYY-MM, before the month reviewed).
    #[arg(long, value_name = "YYYY-MM")]
    previous_month: Option<String>,
    /// Tag keys every resource must carry (comma-separated): the tag coverage section.
    #[arg(long, value_name = "KEYS", value_delimiter = ',')]
    require_tags: Vec<String>,
    /// A saved Compute Optimizer response (JSON) for the rightsizing section; repeatable.
    /// The model's own changes are always weighed.
    #[arg(long, value_name = "FILE")]
    rightsizing: Vec<PathBuf>,
    /// A sweep for the cost-against-scale section: PATH=FROM..TO (e.g. workload.peak_tps=100..3000).
    #[arg(long, value_name = "PATH=FROM..TO")]
    sweep: Option<String>,
    /// Points of the sweep, both ends included.
    #[arg(long, default_value_t = 10)]
    steps: usize,
    /// Sample the model's ranges this many times for P10/P50/P90 in the assumptions section.
    #[arg(long, value_name = "N")]
    samples: Option<usize>,
    /// Seed of the sampling.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Allowed variance before a component is flagged, e.g. 10%.
    #[arg(long, default_value = "10%")]
    tolerance: String,
    /// The output directory.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Replace the output directory if it exists and is not empty.
    #[arg(long)]
    force: bool,
    /// Print nothing on stderr (no warnings, no progress).
    #[arg(short, long)]
    quiet: bool,
    /// Say more when something fails (the AWS SDK's own account of an error).
    #[arg(short, long)]
    verbose: bool,
    #[command(flatten)]
    pricing: Pricing,
    #[command(flatten)]
    aws: AwsArgs,
    #[command(flatten)]
    engine: EngineArgs,
}

/// The actuals of `source`. An Athena table is asked for the month reviewed and the previous
/// month in one query (each a partition read); without `--month`, for the latest month, then
/// the previous month.
fn load_actuals(
    source: &str,
    args: &Args,
    aws: &archcost::aws::AwsOptions,
) -> Result<MonthlyActuals, Error> {
    let athena = source.starts_with(actuals::athena::PREFIX);
    let mut months: Vec<String> = args.month.iter().cloned().collect();
    if athena && !months.is_empty() {
        months.extend(args.previous_month.iter().cloned());
    }
    let mut a = actuals::load_months(source, None, aws, &months, |_| {})?;
    if let Some(previous) = &args.previous_month
        && athena
        && args.month.is_none()
    {
        a.extend(actuals::load_months(
            source,
            None,
            aws,
            std::slice::from_ref(previous),
            |_| {},
        )?);
    }
    Ok(a)
}

/// The month before `YYYY-MM`.
fn month_before(m: &str) -> Option<String> {
    let (y, mm) = m.split_once('-')?;
    let (y, mm): (i32, u32) = (y.parse().ok()?, mm.parse().ok()?);
    Some(if mm == 1 {
        format!("{:04}-12", y - 1)
    } else {
        format!("{y:04}-{:02}", mm - 1)
    })
}

/// Usage spend by service code (credits, taxes and commitment fees left out, as in the
/// reconciliation's actual usage).
fn by_service(rows: &[ActualRow]) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for r in rows.iter().filter(|r| r.category == ChargeCategory::Usage) {
        *out.entry(r.service_code.clone()).or_insert(0.0) += r.cost_usd;
    }
    out
}

/// A month's rows, or `None` with the months the source has.
fn rows_of<'a>(a: &'a MonthlyActuals, m: &str) -> Result<Result<&'a [ActualRow], String>, Error> {
    match a.month(m) {
        Ok(rows) => Ok(Ok(rows)),
        Err(ActualsError::EmptyMonth { available, .. }) => Ok(Err(available)),
        Err(e) => Err(e.into()),
    }
}

/// Refuses an output directory that exists, is not empty and is not to be replaced.
fn check_out(out: &Path, force: bool) -> Result<(), Error> {
    super::options::refuse_overwriting_inputs(out)?;
    if out.exists() && !out.is_dir() {
        return Err(Error::Usage(format!(
            "--out {}: exists and is not a directory",
            out.display()
        )));
    }
    let full = std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some());
    if full && !force {
        return Err(Error::Usage(format!(
            "--out {}: the directory exists and is not empty; pass --force to replace it",
            out.display()
        )));
    }
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<String> {
    check_out(&args.out, args.force)?;
    let tolerance = super::reconcile::tolerance(&args.tolerance)?;
    let say = |text: &str| {
        if !args.quiet && !text.is_empty() {
            eprintln!("{}", text.trim_end());
        }
    };
    let doc = document(&args.model)?;
    let topology = doc
        .topology(args.variant.as_deref(), &[])
        .map_err(Error::from)?;
    let aws = args.engine.options(&args.aws, args.verbose);
    let source = args.engine.source(args.actuals.as_deref(), "--actuals")?;
    for (flag, given) in [
        ("--require-tags", !args.require_tags.is_empty()),
        ("--previous-month", args.previous_month.is_some()),
    ] {
        if given && source.is_none() {
            return Err(Error::Usage(format!(
                "{flag} reads the bill: give --actuals SRC (or --engine athena --database D --table T)"
            ))
            .into());
        }
    }
    let loaded = match &source {
        Some(src) => Some(load_actuals(src, &args, &aws)?),
        None => None,
    };
    // The month: asked, else the actuals' latest, else the standard month.
    let month_key = match (&loaded, &args.month) {
        (Some(a), m) => Some(month_of(a, m.as_deref())?),
        (None, Some(m)) => Some(m.clone()),
        (None, None) => None,
    };
    let period = match &month_key {
        Some(m) => month(m)?,
        None => BillingPeriod::standard_month(),
    };
    let (prices, stale) = args.pricing.prices_during(&topology, &period)?;
    if let Some(w) = &stale {
        say(&format!("warning: {w}"));
    }
    let estimate = archcost::estimate(&topology, &prices, &period)
        .map_err(Error::from)
        .with_context(|| format!("estimating {}", args.model.display()))?;
    // The month's rows, or the months the source has instead.
    let rows = match (&loaded, &month_key) {
        (Some(a), Some(m)) => Some(rows_of(a, m)?),
        _ => None,
    };
    let previous = previous_month(
        &args,
        source.as_deref(),
        loaded.as_ref(),
        month_key.as_deref(),
        &aws,
    )?;
    let source = source.unwrap_or_default();
    let reconciliation = match (&loaded, &rows, &month_key) {
        (Some(a), Some(Ok(rows)), Some(m)) => {
            let mut r = archcost::reconcile::reconcile(
                &topology,
                &estimate,
                &prices,
                rows,
                m,
                &archcost::actuals::athena::described(&source, &a.format, &a.queries),
                tolerance,
            );
            r.warnings.extend(stale.clone());
            r.warnings.extend(a.notes.iter().cloned());
            Some(r)
        }
        _ => None,
    };
    let actuals_input = match (&rows, &reconciliation, &month_key) {
        (_, Some(r), _) => Actuals::Reconciled(r),
        (Some(Err(available)), None, Some(m)) => Actuals::Missing {
            source: &source,
            month: m,
            available: available.clone(),
        },
        _ => Actuals::NotGiven,
    };
    // The previous month: from the same actuals, or another source holding the month before.
    let current_by_service = match &rows {
        Some(Ok(rows)) => by_service(rows),
        _ => BTreeMap::new(),
    };
    if previous.is_some() && !matches!(rows, Some(Ok(_))) {
        return Err(Error::Usage(format!(
            "--previous: there is no spend for {} in {source} to compare it with",
            month_key.as_deref().unwrap_or("the month")
        ))
        .into());
    }
    // Savings against the provisioned baseline.
    let baseline_doc = match &args.baseline {
        Some(path) => Some(document(path)?),
        None => None,
    };
    // Against the provisioned twin (lever by lever), and against a baseline file when given.
    let savings = archcost::savings::savings(&topology, &prices, &period)
        .map_err(Error::from)
        .with_context(|| format!("savings of {}", args.model.display()))?;
    let savings_against_file = match &baseline_doc {
        Some(b) => {
            let baseline = b.topology(None, &[]).map_err(Error::from)?;
            Some(
                archcost::savings::savings_against(&topology, &baseline, &prices, &period)
                    .map_err(Error::from)
                    .with_context(|| format!("savings of {}", args.model.display()))?,
            )
        }
        None => None,
    };
    // Tag coverage of the month's bill.
    let tags = match (source.is_empty(), args.require_tags.is_empty()) {
        (false, false) => {
            let query = TagQuery {
                required: args
                    .require_tags
                    .iter()
                    .filter(|k| !k.is_empty())
                    .cloned()
                    .collect(),
                allowed: BTreeMap::new(),
                include_untaggable: false,
                top: 10,
            };
            Some(tag_report(
                &source,
                month_key.as_deref(),
                CostBasis::Effective,
                &query,
                &aws,
            )?)
        }
        _ => None,
    };
    // Rightsizing: the model's own changes, and Compute Optimizer's from saved files.
    let optimizer = if args.rightsizing.is_empty() {
        None
    } else {
        Some(super::rightsize::saved(&args.rightsizing)?)
    };
    let bill = match (&rows, &month_key) {
        (Some(Ok(rows)), Some(m)) => Some((m.as_str(), *rows)),
        _ => None,
    };
    let found = super::rightsize::find(
        Some((&topology, &prices)),
        optimizer,
        &period,
        &args.pricing,
        &say,
        0.0,
        bill,
    )
    .map_err(anyhow::Error::from)
    .with_context(|| format!("rightsizing {}", args.model.display()))?;
    // The sweep, of the model and of the baseline file when given.
    let sweep = match &args.sweep {
        Some(set) => {
            let spec = SweepSpec::parse(set, args.steps).map_err(Error::Usage)?;
            let mut candidates = vec![Candidate {
                document: &doc,
                variant: args.variant.as_deref(),
            }];
            if let Some(b) = &baseline_doc {
                candidates.push(Candidate {
                    document: b,
                    variant: None,
                });
            }
            Some(
                archcost::sweep::sweep(&candidates, &spec, &prices, &period)
                    .map_err(Error::from)?,
            )
        }
        None => None,
    };
    let distribution = match args.samples {
        Some(0) => return Err(Error::Usage("--samples must be at least 1".into()).into()),
        Some(n) if !doc.ranges().is_empty() => Some(sample(
            &doc,
            args.variant.as_deref(),
            n,
            args.seed,
            &prices,
            &period,
        )?),
        Some(_) => {
            return Err(Error::Usage(format!(
                "--samples: {} has no usage ranges; write a field as {{p10: LOW, p90: HIGH}} to sample it",
                args.model.display()
            ))
            .into());
        }
        None => None,
    };
    let model_label = match &args.variant {
        Some(v) => format!("{} [{v}]", args.model.display()),
        None => args.model.display().to_string(),
    };
    let mut used = Vec::new();
    if let Some(b) = &args.baseline {
        used.push(("baseline".to_string(), b.display().to_string()));
    }
    if let Some(s) = &found.source {
        used.push(("rightsizing".to_string(), s.clone()));
    }
    let tags_report = tags.as_ref().map(|(report, source, cost)| TagsReport {
        report,
        source,
        cost,
        model: None,
    });
    let previous_input = previous.as_ref().map(|(m, src, by)| Previous {
        month: m,
        source: src,
        by_service: by,
        current_by_service: &current_by_service,
    });
    let document = review::build(&Inputs {
        model: &model_label,
        estimate: &estimate,
        actuals: actuals_input,
        previous: previous_input,
        savings: Some(&savings),
        savings_against_file: savings_against_file.as_ref(),
        tags: tags_report,
        rightsizing: Some(RightsizeReport {
            model: Some(&model_label),
            rightsizing: found.rightsizing.as_ref(),
            compute_optimizer: &found.priced,
            optimizer_errors: &found.errors,
            optimizer_source: found.source.as_deref(),
            min_saving_usd: 0.0,
        }),
        sweep: sweep.as_ref(),
        ranges: doc.ranges(),
        distribution: distribution.as_ref(),
        used,
    });
    let mut files = review::files(&document).map_err(|e| Error::Usage(e.to_string()))?;
    for d in document.data() {
        files.push(OutputFile {
            path: format!("data/{}.parquet", d.name),
            bytes: parquet(&d.name, columns(d)).map_err(Error::Usage)?,
        });
    }
    write_dir(&args.out, &files)?;
    let charts = document.charts().count();
    let tables = document.data().count();
    Ok(format!(
        "wrote {}: report.html, report.md, {charts} charts (SVG and PNG), {tables} data tables (CSV and Parquet)\n",
        args.out.display()
    ))
}

/// The previous month: (month, source, usage spend by service).
type PreviousSpend = (String, String, BTreeMap<String, f64>);

/// The previous month's spend by service, from the same actuals or another source.
fn previous_month(
    args: &Args,
    source: Option<&str>,
    loaded: Option<&MonthlyActuals>,
    current: Option<&str>,
    aws: &archcost::aws::AwsOptions,
) -> Result<Option<PreviousSpend>, Error> {
    if let Some(m) = &args.previous_month {
        month(m)?;
        let current = current.unwrap_or_default();
        if m.as_str() >= current {
            return Err(Error::Usage(format!(
                "--previous-month {m}: inputs from different months; the previous month must come before the month reviewed, {current}"
            )));
        }
        let Some(a) = loaded else {
            return Err(Error::Usage(format!(
                "--previous-month {m}: give --actuals, the spend it is read from"
            )));
        };
        return match rows_of(a, m)? {
            Ok(rows) => Ok(Some((
                m.clone(),
                source.unwrap_or_default().to_string(),
                by_service(rows),
            ))),
            Err(available) => Err(Error::Usage(format!(
                "--previous-month {m}: {} has no spend for it (it has {available})",
                source.unwrap_or_default()
            ))),
        };
    }
    let Some(src) = &args.previous else {
        return Ok(None);
    };
    let Some(want) = current.and_then(month_before) else {
        return Err(Error::Usage(
            "--previous: give --actuals (or --month) for the month it comes before".into(),
        ));
    };
    let other = actuals::load_from(src, None, aws, |_| {}).map_err(Error::from)?;
    match rows_of(&other, &want)? {
        Ok(rows) => Ok(Some((want, src.clone(), by_service(rows)))),
        Err(available) => Err(Error::Usage(format!(
            "--previous {src}: inputs from different months; it has spend for {available}, not for {want} (the month before {})",
            current.unwrap_or_default()
        ))),
    }
}

/// A data table's columns for Parquet.
fn columns(d: &DataTable) -> Vec<ExportColumn> {
    d.columns
        .iter()
        .enumerate()
        .map(|(i, (name, kind))| match kind {
            ColumnKind::Number => ExportColumn::Number(
                name.clone(),
                d.rows
                    .iter()
                    .map(|r| match r[i] {
                        Cell::Number(v) => Some(v),
                        _ => None,
                    })
                    .collect(),
            ),
            ColumnKind::Text => ExportColumn::Text(
                name.clone(),
                d.rows
                    .iter()
                    .map(|r| match &r[i] {
                        Cell::Text(s) => Some(s.clone()),
                        Cell::Number(v) => Some(format!("{v}")),
                        Cell::Empty => None,
                    })
                    .collect(),
            ),
        })
        .collect()
}

/// Writes the files into a temporary directory beside `out`, then puts it in `out`'s place:
/// a failure leaves `out` as it was.
fn write_dir(out: &Path, files: &[OutputFile]) -> Result<(), Error> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "review".into());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let err = |path: &Path| {
        let path = path.display().to_string();
        move |source| Error::Write { path, source }
    };
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        std::fs::create_dir_all(&tmp).map_err(err(&tmp))?;
        for f in files {
            let path = tmp.join(&f.path);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(err(dir))?;
            }
            std::fs::write(&path, &f.bytes).map_err(err(&out.join(&f.path)))?;
        }
        if out.exists() {
            let old = parent.join(format!(".{name}.old-{}", std::process::id()));
            std::fs::rename(out, &old).map_err(err(out))?;
            if let Err(e) = std::fs::rename(&tmp, out) {
                let _ = std::fs::rename(&old, out);
                return Err(err(out)(e));
            }
            let _ = std::fs::remove_dir_all(&old);
        } else {
            std::fs::rename(&tmp, out).map_err(err(out))?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}
