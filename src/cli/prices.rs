//! `archcost prices …`: the price snapshots known (`list`), what changed between two (`diff`),
//! and new snapshots from AWS (`update`, through the Price List API) or from a bulk offer file
//! (`import`).

use std::path::PathBuf;

use anyhow::Context as _;
use archcost::aws::AwsOptions;
use archcost::aws::pricing::{self, ProductQuery};
use archcost::price_book::PriceHistory;
use archcost::price_list::{self, Matcher, Origin, PriceListError, offer_file};
use archcost::report::{EntriesReport, SnapshotsReport};
use archcost::units::{Region, ServiceCode};
use archcost::vocabulary::calendar::check_date;
use archcost::{Error, PriceBook};

use super::options::{Output, Pricing, load_history, price_files, read, today, write_atomically};

#[derive(clap::Subcommand)]
pub enum Command {
    /// The snapshots embedded (or in --prices), or one region's prices with their sources.
    #[command(after_help = "Examples:
  archcost prices list
  archcost prices list --region eu-west-1 --entries
  archcost prices list --region us-east-1 --entries --prices-at 2026-10-31")]
    List(ListArgs),
    /// Make a region's snapshot from the AWS Price List API (GetProducts): every price the
    /// engine uses, or fail listing what the Price List lacks (nothing is written then).
    #[command(after_help = "Examples:
  archcost prices update --region eu-west-1
  archcost prices update --region us-east-1 --services AmazonECS,AmazonRDS --out prices/us-east-1.json

Needs credentials allowed pricing:GetProducts. Published rates outside the Price List (Fargate
Spot) and services left out of --services are carried from the region's snapshot so far.")]
    Update(UpdateArgs),
    /// Make a region's snapshot from a bulk offer file (JSON or CSV, a path or s3://), read as a
    /// stream; the offer's service is replaced, the rest carried from the region's snapshot.
    #[command(after_help = "Examples:
  curl -O https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonECS/current/us-east-1/index.json
  archcost prices import index.json
  archcost prices import s3://my-bucket/offers/AmazonEC2-eu-west-1.csv --region eu-west-1")]
    Import(ImportArgs),
    /// What changed between two snapshots of a region, by usage type, and its effect on a model.
    #[command(after_help = "Examples:
  archcost prices diff us-east-1@2026-10-08 data/prices/us-east-1/2026-12-03.json
  archcost prices diff old.json new.json --model models/fintech-global-platform.yaml

OLD and NEW are price files, or REGION[@DATE] for the embedded snapshot in force on DATE
(the newest without @DATE).")]
    Diff(DiffArgs),
}

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The old snapshot: a file, or REGION[@DATE].
    old: String,
    /// The new snapshot: a file, or REGION[@DATE].
    new: String,
    /// Estimate this model with each snapshot and show what changes.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// Estimate a calendar month instead of the standard 730-hour month (with --model).
    #[arg(long, value_name = "YYYY-MM")]
    month: Option<String>,
    #[command(flatten)]
    output: Output,
}

/// Where a new snapshot goes and what it is dated.
#[derive(clap::Args)]
pub struct Target {
    /// The file to write (default data/prices/<region>/<date>.json). Written whole or not at
    /// all; an existing snapshot is only replaced once the new one is complete.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The snapshot's date (default today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// Print nothing but errors.
    #[arg(short, long)]
    quiet: bool,
    /// Say more when an AWS call fails.
    #[arg(short, long)]
    verbose: bool,
    /// The region's snapshots so far (a price file or a folder), to carry what is not read from
    /// AWS; default the embedded ones.
    #[arg(long, value_name = "FILE|DIR")]
    prices: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct UpdateArgs {
    /// The region to price.
    #[arg(long, value_name = "REGION")]
    region: String,
    /// Only these service codes (comma-separated, e.g. AmazonECS,AmazonRDS).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    services: Vec<String>,
    /// The Price List API region: us-east-1, eu-central-1 or ap-south-1 (default: the nearest).
    #[arg(long, value_name = "REGION")]
    api_region: Option<String>,
    /// AWS profile.
    #[arg(long)]
    profile: Option<String>,
    /// Endpoint to call instead of AWS (also AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    #[command(flatten)]
    target: Target,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The offer file: a path or s3://bucket/key; `.csv` is read as CSV, anything else as JSON.
    offer: String,
    /// The offer's region (default: the region its products name).
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// AWS profile, for s3:// offers.
    #[arg(long)]
    profile: Option<String>,
    /// The bucket's region, for s3:// offers (default: AWS_REGION, else us-east-1).
    #[arg(long, value_name = "REGION")]
    bucket_region: Option<String>,
    /// Endpoint to call instead of AWS, for s3:// offers (also AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    #[command(flatten)]
    target: Target,
}

#[derive(clap::Args)]
pub struct ListArgs {
    /// Only this region's snapshots.
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// Every price of one snapshot (the newest, or the one in force on --prices-at), with its
    /// source, and the prices it lacks. Needs --region.
    #[arg(long, requires = "region")]
    entries: bool,
    #[command(flatten)]
    pricing: Pricing,
    #[command(flatten)]
    output: Output,
}

pub fn run(command: Command) -> anyhow::Result<String> {
    match command {
        Command::List(args) => list(args),
        Command::Update(args) => update(args),
        Command::Import(args) => import(args),
        Command::Diff(args) => diff(args),
    }
}

/// A `--region` value.
pub fn region(value: &str) -> Result<Region, Error> {
    value
        .parse()
        .map_err(|e| Error::Usage(format!("--region: {e}")))
}

fn list(args: ListArgs) -> anyhow::Result<String> {
    let region = args.region.as_deref().map(region).transpose()?;
    if let (true, Some(r)) = (args.entries, region) {
        let book = args.pricing.book(r)?;
        let text = args.output.render(&EntriesReport { book: &book });
        return Ok(args.output.deliver(text)?);
    }
    let books: Vec<PriceBook> = match args.pricing.path() {
        Some(path) => {
            let mut books = Vec::new();
            for file in price_files(path)? {
                let text = read(&file)?;
                let book = PriceBook::from_json_any(&text, &file.display().to_string())
                    .map_err(Error::from)?;
                if region.is_none_or(|r| r == book.region()) {
                    books.push(book);
                }
            }
            books
        }
        None => {
            let regions: Vec<Region> = match region {
                Some(r) => vec![r],
                None => PriceHistory::embedded_regions()
                    .iter()
                    .map(|r| r.parse().expect("embedded regions are known"))
                    .collect(),
            };
            let mut books = Vec::new();
            for r in regions {
                books.extend(
                    PriceHistory::embedded(r)
                        .map_err(Error::from)
                        .with_context(|| format!("the embedded snapshots of {r}"))?
                        .books()
                        .iter()
                        .cloned(),
                );
            }
            books
        }
    };
    let text = args.output.render(&SnapshotsReport {
        books: books.iter().collect(),
    });
    Ok(args.output.deliver(text)?)
}

impl Target {
    /// The snapshot's date: `--date`, checked, or today.
    fn date(&self) -> Result<String, Error> {
        match &self.date {
            Some(d) => {
                check_date(d).map_err(|e| Error::Usage(format!("--date: {e}")))?;
                Ok(d.clone())
            }
            None => Ok(today()),
        }
    }

    /// The region's newest snapshot so far (from --prices, else embedded), if it has one.
    fn current(&self, region: Region) -> Result<Option<PriceBook>, Error> {
        let history = match &self.prices {
            Some(path) => match load_history(path, region) {
                Ok(h) => h,
                // A folder without this region: start from nothing.
                Err(Error::Usage(_)) if path.is_dir() => return Ok(None),
                Err(e) => return Err(e),
            },
            None => match PriceHistory::embedded(region) {
                Ok(h) => h,
                Err(archcost::PriceBookError::NoSnapshot { .. }) => return Ok(None),
                Err(e) => return Err(e.into()),
            },
        };
        Ok(Some(history.newest().clone()))
    }

    /// Writes a new snapshot and says what it holds.
    fn write(&self, book: &PriceBook, fetched: &str) -> Result<String, Error> {
        let out = self.out.clone().unwrap_or_else(|| {
            PathBuf::from("data/prices")
                .join(book.region().code())
                .join(format!("{}.json", book.snapshot_date()))
        });
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::Write {
                path: dir.display().to_string(),
                source,
            })?;
        }
        write_atomically(&out, &book.to_json())?;
        if self.quiet {
            return Ok(String::new());
        }
        Ok(format!(
            "Wrote {}: {} prices of {} on {} ({fetched}); {} missing{}.\n",
            out.display(),
            book.prices().count(),
            book.region(),
            book.snapshot_date(),
            book.missing().len(),
            if book.missing().is_empty() {
                ""
            } else {
                " (archcost prices list --prices FILE --region R --entries shows them)"
            }
        ))
    }
}

/// The catalogue's reference: the newest embedded us-east-1 snapshot.
fn reference() -> Result<PriceBook, Error> {
    Ok(PriceBook::embedded(Region::UsEast1)?)
}

/// `--services` values as service codes.
fn services(codes: &[String]) -> Result<Vec<ServiceCode>, Error> {
    codes
        .iter()
        .map(|c| {
            c.parse()
                .map_err(|e| Error::Usage(format!("--services: {e}")))
        })
        .collect()
}

fn update(args: UpdateArgs) -> anyhow::Result<String> {
    let region = region(&args.region)?;
    let date = args.target.date()?;
    let only = services(&args.services)?;
    let in_scope = |w: &price_list::Wanted| only.is_empty() || only.contains(&w.key.service_code);
    let reference = reference()?;
    let wanted = price_list::catalogue(&reference, region);
    let asked: Vec<&price_list::Wanted> = wanted
        .iter()
        .filter(|w| w.origin == Origin::PriceList && in_scope(w))
        .collect();
    // One query per spelling: the usage type, then each alias, with the operation when the
    // entry names one.
    let mut queries = Vec::new();
    for w in &asked {
        for usage_type in std::iter::once(&w.key.usage_type).chain(&w.aliases) {
            let mut filters = vec![("usagetype".to_string(), usage_type.clone())];
            if let Some(op) = &w.key.operation {
                filters.push(("operation".into(), op.clone()));
            }
            queries.push(ProductQuery {
                service_code: w.key.service_code.code().to_string(),
                filters,
            });
        }
    }
    let options = AwsOptions {
        profile: args.profile.clone(),
        region: None,
        endpoint_url: args.endpoint_url.clone(),
        verbose: args.target.verbose,
        ..Default::default()
    };
    let api_region = args
        .api_region
        .clone()
        .unwrap_or_else(|| pricing::api_region_for(region.code()).to_string());
    let answers = pricing::get_products(&queries, &api_region, &options, None)
        .map_err(|e| Error::Usage(e.to_string()))?;
    let mut candidates = Vec::new();
    for (q, documents) in queries.iter().zip(&answers) {
        for (i, text) in documents.iter().enumerate() {
            let origin = format!(
                "GetProducts {} {} item {}",
                q.service_code,
                q.filters[0].1,
                i + 1
            );
            candidates.push(price_list::parse_item(text, &origin).map_err(price_error)?);
        }
    }
    let found = price_list::select(&wanted, &candidates, region).map_err(price_error)?;
    let current = args.target.current(region)?;
    let book = price_list::assemble(
        region,
        &date,
        &wanted,
        found,
        current.as_ref(),
        in_scope,
        "the AWS Price List API (GetProducts)",
    )
    .map_err(price_error)?;
    let fetched = format!(
        "{} read with {} GetProducts queries in {api_region}",
        asked.len(),
        queries.len()
    );
    Ok(args.target.write(&book, &fetched)?)
}

fn import(args: ImportArgs) -> anyhow::Result<String> {
    let date = args.target.date()?;
    let given = args.region.as_deref().map(region).transpose()?;
    let reference = reference()?;
    // An s3:// offer is downloaded to a temporary folder first, then streamed like a file.
    let scratch = std::env::temp_dir().join(format!("archcost-offer-{}", std::process::id()));
    let path = match args.offer.strip_prefix("s3://") {
        Some(rest) => {
            let (bucket, key) = rest
                .split_once('/')
                .filter(|(b, k)| !b.is_empty() && !k.is_empty())
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "`{}` is not an S3 object; expected s3://BUCKET/KEY",
                        args.offer
                    ))
                })?;
            std::fs::create_dir_all(&scratch).map_err(|source| Error::Write {
                path: scratch.display().to_string(),
                source,
            })?;
            let from_env = ["AWS_REGION", "AWS_DEFAULT_REGION"]
                .iter()
                .any(|v| std::env::var_os(v).is_some_and(|r| !r.is_empty()));
            let options = AwsOptions {
                profile: args.profile.clone(),
                region: args
                    .bucket_region
                    .clone()
                    .or_else(|| (!from_env).then(|| "us-east-1".to_string())),
                endpoint_url: args.endpoint_url.clone(),
                verbose: args.target.verbose,
                ..Default::default()
            };
            archcost::aws::s3::download_object(bucket, key, &options, &scratch)
                .map_err(|e| Error::Usage(e.to_string()))?
        }
        None => PathBuf::from(&args.offer),
    };
    let result = import_file(&path, &args, given, &reference, &date);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn import_file(
    path: &std::path::Path,
    args: &ImportArgs,
    given: Option<Region>,
    reference: &PriceBook,
    date: &str,
) -> anyhow::Result<String> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    let origin = args.offer.clone();
    let mut matcher = Matcher::new(reference, given);
    let mut keep = |p: &price_list::Product| matcher.keep(p);
    let csv = args.offer.to_ascii_lowercase().ends_with(".csv");
    let offer = if csv {
        offer_file::read_csv(reader, &origin, &mut keep)
    } else {
        offer_file::read_json(reader, &origin, &mut keep)
    }
    .map_err(price_error)?;
    let region = matcher.region().ok_or_else(|| {
        Error::Usage(format!(
            "{origin}: no product names a region archcost knows (regionCode); pass --region"
        ))
    })?;
    let code: ServiceCode = offer.info.offer_code.parse().map_err(|_| {
        Error::Usage(format!(
            "{origin}: offer {} prices nothing archcost meters; expected one of {}",
            offer.info.offer_code,
            ServiceCode::ALL
                .iter()
                .map(|c| c.code())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    let wanted = price_list::catalogue(reference, region);
    let in_scope = |w: &price_list::Wanted| w.key.service_code == code;
    let found = price_list::select(&wanted, &offer.candidates, region).map_err(price_error)?;
    let fetched = format!(
        "{} of {} read from {} offer {}",
        found.len(),
        offer.products_read,
        code,
        offer.info.version
    );
    let current = args.target.current(region)?;
    let book = price_list::assemble(
        region,
        date,
        &wanted,
        found,
        current.as_ref(),
        in_scope,
        &format!("the {code} offer file {}", offer.info.version),
    )
    .map_err(price_error)?;
    Ok(args.target.write(&book, &fetched)?)
}

/// A Price List problem is the input's (the offer file or the answer), said as a user error.
fn price_error(e: PriceListError) -> Error {
    Error::PriceList(e)
}

/// A snapshot named on the command line: a file, or `REGION[@DATE]` of the embedded ones.
fn snapshot(spec: &str) -> Result<PriceBook, Error> {
    let path = std::path::Path::new(spec);
    if path.is_file() {
        return Ok(PriceBook::from_json_any(&read(path)?, spec)?);
    }
    let (r, date) = match spec.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (spec, None),
    };
    let region: Region = r.parse().map_err(|e| {
        Error::Usage(format!(
            "`{spec}` is neither a price file nor REGION[@DATE] ({e})"
        ))
    })?;
    let history = PriceHistory::embedded(region)?;
    match date {
        Some(d) => {
            check_date(d).map_err(|e| Error::Usage(format!("`{spec}`: {e}")))?;
            Ok(history.at(d)?.clone())
        }
        None => Ok(history.newest().clone()),
    }
}

fn diff(args: DiffArgs) -> anyhow::Result<String> {
    let old = snapshot(&args.old)?;
    let new = snapshot(&args.new)?;
    if old.region() != new.region() {
        return Err(Error::Usage(format!(
            "{} prices {} and {} prices {}; expected two snapshots of one region",
            args.old,
            old.region(),
            args.new,
            new.region()
        ))
        .into());
    }
    let mut d = archcost::analysis::price_diff::diff(&old, &new);
    if let Some(model) = &args.model {
        let topology = super::options::design(model, None)?;
        if topology.region != old.region() {
            return Err(Error::Usage(format!(
                "{} runs in {}, but the snapshots price {}; expected a model of the same region",
                model.display(),
                topology.region,
                old.region()
            ))
            .into());
        }
        let period = match &args.month {
            Some(m) => super::options::month(m)?,
            None => archcost::BillingPeriod::standard_month(),
        };
        let estimate = |book: &PriceBook, which: &str| {
            archcost::estimate(&topology, book, &period)
                .map_err(Error::from)
                .with_context(|| format!("estimating {} with the {which} prices", model.display()))
        };
        let (a, b) = (estimate(&old, "old")?, estimate(&new, "new")?);
        d.effect = Some(archcost::analysis::price_diff::effect(
            &topology.name,
            &a,
            &b,
        ));
    }
    let text = args.output.render(&d);
    Ok(args.output.deliver(text)?)
}
