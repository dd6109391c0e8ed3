//! `archcost prices …`: the price snapshots known (`list`), what changed between two (`diff`),
//! and new snapshots from AWS (`update`, through the Price List API) or from a bulk offer file
//! (`import`).

use anyhow::Context as _;
use archcost::Error;
use archcost::PriceBook;
use archcost::price_book::PriceHistory;
use archcost::report::{EntriesReport, SnapshotsReport};
use archcost::units::Region;

use super::options::{Output, Pricing, price_files, read};

#[derive(clap::Subcommand)]
pub enum Command {
    /// The snapshots embedded (or in --prices), or one region's prices with their sources.
    #[command(after_help = "Examples:
  archcost prices list
  archcost prices list --region eu-west-1 --entries
  archcost prices list --region us-east-1 --entries --prices-at 2026-10-31")]
    List(ListArgs),
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
